"""Childcare (items 6 and 7): points, funds and places against the plan, the pipeline, places per
1,000 residents, the map, the two item-7 milestones and every point."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import childcare
from analytics.attainment import THRESHOLDS, month_ends
from analytics.queries import PROVINCE_CODE
from ui import cached
from ui.charts import childcare as charts
from ui.components import page_header, show_chart, status_badge, status_label, status_legend
from ui.downloads import download_buttons
from ui.i18n import name_col, t
from ui.state import Filters, current_filters
from ui.theme import STATUS_COLORS, STATUS_ORDER
from views.statuses import download_columns

KPIS = (("points", "childcare_points_open", 1), ("funds", "childcare_funds_yuan", 0), ("places", "childcare_places", 0))


def render(filters: Filters) -> None:
    page_header("childcare.title", filters)
    st.caption(t("childcare.intro"))
    v, year, as_of, region = filters.data_version, filters.plan_year, filters.as_of, filters.region
    below = filters.level_below
    inds = cached.indicators(v, year).set_index("indicator_id")
    prefectures = _labels(cached.regions_at_level(v, "prefecture", PROVINCE_CODE))
    regions = cached.regions_at_level(v, below, region)
    labels = _labels(regions)
    short = {c: charts.short_name(n) for c, n in labels.items()}
    region_name = prefectures.get(region, t("filters.whole_province"))
    # the province, every prefecture and, when a prefecture is chosen, its counties: one scan
    overview = cached.childcare_overview(v, year, as_of, region)
    own = overview.province if region == PROVINCE_CODE else overview.prefectures
    sub = overview.prefectures if below == "prefecture" else overview.counties
    per = overview.per_thousand
    register = cached.childcare_register(v, year)
    reported = childcare.register_reported(int(register["points"].iloc[0]))
    raw_points = cached.childcare_points(v, year, region)
    points = childcare.points_as_of(raw_points, as_of)
    table = childcare.breakdown(sub, regions)

    _headline(own, per, inds, region, region_name, filters.lang)
    st.caption(t("childcare.rule.register") if reported else t("childcare.rule.register_empty", year=year))

    st.subheader(
        t("childcare.by_region.prefecture")
        if below == "prefecture"
        else t("childcare.by_region.county", region=region_name)
    )
    _by_region(table, labels, short, below, region_name, filters)

    st.subheader(t("childcare.pipeline.title"))
    ends = [e for e in month_ends(year) if e <= as_of]
    states = {s: t(f"childcare.state.{s}") for s in childcare.STATES}
    fig = cached.figure(
        filters.data_version,
        charts.pipeline_area,
        childcare.pipeline(raw_points, ends),
        state_labels=states,
        x_title=t("childcare.pipeline.x"),
        y_title=t("childcare.pipeline.y"),
    )
    show_chart(fig, key="childcare_pipeline_chart", filters=filters)
    st.caption(t("childcare.pipeline.note"))

    st.subheader(t("childcare.places.title"))
    _places(points, per, short, prefectures, below, states, filters)

    st.subheader(t("childcare.map.title"))
    _map(table, per, short, prefectures, below, filters)

    st.subheader(t("childcare.milestones.title"))
    _milestones(overview.province, overview.milestones_at_due, inds, filters.lang)

    st.subheader(t("childcare.points.title"))
    _points_table(points, below, labels, region_name, filters)

    with st.expander(t("childcare.definitions")):
        for iid in childcare.INDICATORS:
            ind = inds.loc[iid]
            lang = filters.lang
            st.markdown(
                t(
                    "childcare.definition_line",
                    name=ind[f"name_{lang}"],
                    unit=ind[f"unit_{lang}"],
                    definition=ind[f"definition_{lang}"],
                )
            )


def _labels(regions: pd.DataFrame) -> dict[str, str]:
    """Region code → name in the UI's language (Chinese where a region has no English name)."""
    names = regions[name_col("name")].fillna(regions["name_zh"])
    return dict(zip(regions["region_code"], names, strict=True))


def _no_data() -> str:
    """A value's placeholder: the status's words without its mark."""
    return status_label("no_data", mark=False)


def _headline(
    own: pd.DataFrame, per: pd.DataFrame, inds: pd.DataFrame, region: str, region_name: str, lang: str
) -> None:
    st.subheader(t("childcare.headline", region=region_name))
    rows = own[own["region_code"] == region].set_index("indicator_id")
    cols = st.columns(4)
    for col, (key, iid, decimals) in zip(cols, KPIS, strict=False):
        r = rows.loc[iid]
        value = charts.fmt(r["actual"], 0, _no_data()) if r["has_data"] else _no_data()
        col.metric(t(f"childcare.kpi.{key}"), value, help=str(inds.loc[iid, f"definition_{lang}"]))
        with col:
            if pd.notna(r["target"]):
                expected = float(r["expected"])
                st.caption(
                    t(
                        "childcare.kpi.target_expected",
                        target=charts.fmt(r["target"]),
                        expected=charts.fmt(expected, 0 if expected.is_integer() else decimals),
                    )
                )
                status_badge(str(r["status"]), r.get("reached_on"))
    mine = per[per["region_code"] == region]
    cols[3].metric(
        t("childcare.kpi.per_1000"), charts.fmt(mine["per_1000"].iloc[0] if len(mine) else None, 3, _no_data())
    )
    with cols[3]:
        st.caption(t("childcare.kpi.per_1000_note"))
    status_legend()
    st.caption(
        t("childcare.thresholds", on_track=round(THRESHOLDS.on_track * 100), at_risk=round(THRESHOLDS.at_risk * 100))
    )


def _by_region(
    table: pd.DataFrame, labels: dict[str, str], short: dict[str, str], below: str, region_name: str, filters: Filters
) -> None:
    names = {k: t(f"childcare.chart.{k}") for k in ("actual", "target", "expected")}
    statuses = {s: status_label(s) for s in STATUS_COLORS}
    cols = st.columns(2)
    for col, measure in zip(cols, ("points", "funds"), strict=True):
        with col:
            st.markdown(f"**{t(f'childcare.chart.{measure}_title')}**")
            fig = cached.figure(
                filters.data_version,
                charts.attainment_bars,
                table,
                measure=measure,
                labels=short,
                status_labels=statuses,
                names=names,
                x_title=t(f"childcare.chart.{measure}_x"),
                no_data=_no_data(),
                integer=measure == "points",
            )
            show_chart(fig, key=f"childcare_{measure}_chart", filters=filters)
    if below == "county":
        st.caption(t("childcare.by_region.county_note"))
    with st.expander(t("childcare.breakdown.details")):
        view = table.assign(region=table["region_code"].map(labels))
        cols_out = ["region", "points", "points_target", "points_expected", "points_status"]
        cols_out += ["funds", "funds_target", "funds_expected", "funds_status", "places"]
        if below == "county":  # no targets below prefectures
            cols_out = ["region", "points", "funds", "places"]
        for c in ("points_status", "funds_status"):
            view[c] = view[c].map(status_label)
        view = view[cols_out].rename(columns={c: t(f"childcare.col.{c}") for c in cols_out})
        st.dataframe(view, hide_index=True, key="childcare_breakdown_table")
        download = view
        if below == "prefecture":  # the download: each status as its words in this language beside its code
            for m in ("points", "funds"):
                part = download_columns(
                    table.rename(columns={f"{m}_{c}": c for c in ("status", "reached_on", "gap")}), filters.lang
                )
                download = pd.concat([download, part.add_prefix(f"{t(f'childcare.col.{m}_status')} · ")], axis=1)
        download_buttons(
            download,
            f"childcare_by_{below}_{filters.region}_{filters.as_of.isoformat()}",
            key="childcare_breakdown",
            notes=[t("childcare.download.note", as_of=filters.as_of.isoformat(), region=region_name)],
        )


def _places(
    points: pd.DataFrame,
    per: pd.DataFrame,
    labels: dict[str, str],
    prefectures: dict[str, str],
    below: str,
    states: dict[str, str],
    filters: Filters,
) -> None:
    region = filters.region
    cols = st.columns(2)
    with cols[0]:
        st.markdown(f"**{t('childcare.places.chart_title')}**")
        group = f"{below}_code"
        by_state = childcare.places_by_state(points, group, list(labels))
        fig = cached.figure(
            filters.data_version,
            charts.places_bars,
            by_state,
            group_col=group,
            labels=labels,
            state_labels={s: states[s] for s in ("open", "under_construction", "planned")},
            x_title=t("childcare.places.x"),
        )
        show_chart(fig, key="childcare_places_chart", filters=filters)
        st.caption(t("childcare.places.note"))
    with cols[1]:
        st.markdown(f"**{t('childcare.per_1000.chart_title')}**")
        fig = cached.figure(
            filters.data_version,
            charts.per_thousand_bars,
            per,
            labels={
                PROVINCE_CODE: t("filters.whole_province"),
                **{c: charts.short_name(n) for c, n in prefectures.items()},
            },
            highlight=[region] if region != PROVINCE_CODE else [],
            x_title=t("childcare.per_1000.x"),
            no_data=_no_data(),
        )
        show_chart(fig, key="childcare_per_1000_chart", filters=filters)
        st.caption(t("childcare.per_1000.highlight" if region != PROVINCE_CODE else "childcare.per_1000.province_row"))
    st.info(t("childcare.per_1000.demo_real"), icon=":material/info:")
    _society_context()
    with st.expander(t("childcare.per_1000.details")):
        sources = cached.childcare_population(filters.data_version).set_index("region_code")
        names = {PROVINCE_CODE: t("filters.whole_province"), **prefectures}
        view = pd.DataFrame(
            {
                t("childcare.col.region"): per["region_code"].map(names),
                t("childcare.col.population"): per["population"],
                t("childcare.col.places"): per["places"],
                t("childcare.col.per_1000"): per["per_1000"].round(4),
                t("childcare.col.source"): per["region_code"].map(sources["source"]),
                t("childcare.col.source_tier"): per["region_code"]
                .map(sources["source_tier"])
                .map(lambda s: t(f"population.tier.{s}") if isinstance(s, str) else t("population.tier.none")),
            }
        )
        st.dataframe(view, hide_index=True, key="childcare_per_1000_table")


def _society_context() -> None:
    """Public figures for all childcare in society: labelled context, never the association's target."""
    st.markdown(f"**{t('childcare.context.title')}**")
    keys = [f"{f.key}.{w}" for f in charts.SOCIETY_CONTEXT for w in ("region", "what", "source")]
    words = {k: t(f"childcare.context.{k}") for k in keys}
    words |= {f"tier.{f.tier}": t(f"population.tier.{f.tier}") for f in charts.SOCIETY_CONTEXT}
    words["low_confidence"] = t("childcare.context.low_confidence")
    cols = ("region", "what", "value", "as_of", "source", "tier")
    table = charts.context_table(
        charts.SOCIETY_CONTEXT, words=words, columns={c: t(f"childcare.context.col.{c}") for c in cols}
    )
    st.dataframe(
        table,
        hide_index=True,
        key="childcare_society_context_table",
        column_config={
            t("childcare.context.col.what"): st.column_config.TextColumn(width="medium"),
            t("childcare.context.col.source"): st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(t("childcare.context.note"))


def _map(
    table: pd.DataFrame,
    per: pd.DataFrame,
    short: dict[str, str],
    prefectures: dict[str, str],
    below: str,
    filters: Filters,
) -> None:
    lang = filters.lang  # bound into format_func: it is also called outside the script run
    metric = st.radio(
        t("childcare.map.metric"),
        options=["points", "funds", "places", "per_1000"],
        format_func=lambda m: t(f"childcare.map.{m}", lang),
        horizontal=True,
        key="childcare_map_metric",
    )
    name = t(f"childcare.map.{metric}")
    if metric == "per_1000":
        # places per 1,000 exist for prefectures only (the population goes no lower)
        level, shown, decimals = "prefecture", {c: charts.short_name(n) for c, n in prefectures.items()}, 3
        values = per.set_index("region_code")["per_1000"]
        status = pd.Series(dtype=object)
    else:
        level, shown, decimals = below, short, 0
        by_code = table.set_index("region_code")
        values = by_code[metric]
        # judged against expected-by-now where there are targets: prefectures, points and funds
        status = (
            by_code[f"{metric}_status"] if metric != "places" and below == "prefecture" else pd.Series(dtype=object)
        )
    text = {c: charts.fmt(values.get(c), decimals, _no_data()) for c in shown}
    hover = {c: f"{shown[c]}<br>{name}: {text[c]}" for c in shown}
    if len(status):
        colors = {c: STATUS_COLORS[str(status[c])] for c in shown if c in status.index and status[c] != "no_data"}
        hover = {c: f"{h}<br>{status_label(str(status.get(c, 'no_data')))}" for c, h in hover.items()}
        present = set(status.astype(str)) | {"no_data"}
        legend = [(status_label(s), STATUS_COLORS[s]) for s in STATUS_ORDER if s in present]
        colorbar = None
    else:
        colors, top = charts.sequential_colors({c: values.get(c) for c in shown})
        legend = []
        colorbar = (name, charts.sequential_scale(), 0.0, top if top > 0 else 1.0)  # all 0: a 0…1 scale
    fig = cached.region_map(
        filters.data_version,
        level,
        pd.DataFrame({"region_code": list(shown)}),
        colors=colors,
        labels={c: f"{shown[c]}<br>{text[c]}" for c in shown},
        hover=hover,
        legend=legend,
        colorbar=colorbar,
    )
    show_chart(fig, key="childcare_map", filters=filters)
    notes = [t("childcare.map.status_note") if len(status) else t("childcare.map.scale_note")]
    if metric == "per_1000" and below == "county":
        notes.append(t("childcare.map.county_note"))
    st.caption(" ".join(notes))


def _milestones(now: pd.DataFrame, at_due: pd.DataFrame, inds: pd.DataFrame, lang: str) -> None:
    """Item 7, judged at the as-of date and, once it has passed, at the 30 June deadline itself."""
    rows = now[now["region_code"] == PROVINCE_CODE].set_index("indicator_id")
    due_rows = at_due[at_due["region_code"] == PROVINCE_CODE].set_index("indicator_id")
    cols = st.columns(len(childcare.MILESTONES))
    for col, iid in zip(cols, childcare.MILESTONES, strict=True):
        r = rows.loc[iid]
        col.metric(str(inds.loc[iid, f"name_{lang}"]), _created(r), help=str(inds.loc[iid, f"definition_{lang}"]))
        with col:
            due = pd.Timestamp(r["due_date"]).date().isoformat()
            st.caption(t("childcare.milestones.due", due=due))
            status_badge(str(r["status"]), r.get("reached_on"))
            if iid in due_rows.index:
                then = due_rows.loc[iid]
                st.caption(
                    t("childcare.milestones.at_due", due=due, state=_created(then), status=status_label(then["status"]))
                )
    st.caption(t("childcare.milestones.note"))


def _created(r: pd.Series) -> str:
    if not r["has_data"]:
        return _no_data()
    done = pd.notna(r["actual"]) and pd.notna(r["target"]) and r["actual"] >= r["target"]
    return t("childcare.milestones.created") if done else t("childcare.milestones.not_created")


def _points_table(points: pd.DataFrame, below: str, labels: dict[str, str], region_name: str, filters: Filters) -> None:
    lang = filters.lang
    cols = st.columns(3)
    all_text = t("childcare.points.all")
    states = cols[0].multiselect(
        t("childcare.points.filter_state"),
        list(childcare.STATES),
        format_func=lambda s: t(f"childcare.state.{s}", lang),
        key="childcare_state_filter",
        placeholder=all_text,
    )
    operators = cols[1].multiselect(
        t("childcare.points.filter_operator"),
        list(childcare.OPERATORS),
        format_func=lambda s: t(f"childcare.operator.{s}", lang),
        key="childcare_operator_filter",
        placeholder=all_text,
    )
    where = cols[2].multiselect(
        t(f"childcare.points.filter_{below}"),
        list(labels),
        format_func=lambda c: labels.get(c, c),
        key=f"childcare_{below}_filter",
        placeholder=all_text,
    )
    shown = points
    if states:
        shown = shown[shown["state"].isin(states)]
    if operators:
        shown = shown[shown["operator_type"].isin(operators)]
    if where:
        shown = shown[shown[f"{below}_code"].isin(where)]
    view = pd.DataFrame(
        {
            "prefecture": shown[f"prefecture_name_{lang}"],
            "county": shown[f"region_name_{lang}"],
            "name": shown["name_zh"],
            "operator": shown["operator_type"].map(lambda s: t(f"childcare.operator.{s}")),
            "point_places": shown["places"],
            "subsidy": shown["subsidy_yuan"],
            "state": shown["state"].map(lambda s: t(f"childcare.state.{s}")),
            "planned_on": _dates(shown["planned_on"]),
            "construction_started_on": _dates(shown["construction_started_on"]),
            "opened_on": _dates(shown["opened_on"]),
            "closed_on": _dates(shown["closed_on"]),
            "subsidy_paid_on": _dates(shown["subsidy_paid_on"]),
            "point_id": shown["point_id"],
        }
    )
    view = view.rename(columns={c: t(f"childcare.col.{c}") for c in view.columns})
    st.caption(t("childcare.points.count", n=len(view)))
    if view.empty:
        st.info(t("childcare.points.empty"))
    # the grid writes a missing date as "None": shown as an empty cell (not yet), the download keeps dates
    dates = [t(f"childcare.col.{c}") for c in DATE_COLUMNS]
    shown_view = view.assign(**{c: view[c].map(lambda d: "" if pd.isna(d) else d.isoformat()) for c in dates})
    st.dataframe(
        shown_view,
        hide_index=True,
        key="childcare_points_table",
        height=min(38 + 35 * max(len(view), 1), 640),
        column_config={t("childcare.col.subsidy"): st.column_config.NumberColumn(format="localized")},
    )
    st.caption(t("childcare.points.note"))
    download_buttons(
        view,
        f"childcare_points_{filters.region}_{filters.as_of.isoformat()}",
        key="childcare_points",
        notes=[t("childcare.download.note", as_of=filters.as_of.isoformat(), region=region_name)],
    )


DATE_COLUMNS = ("planned_on", "construction_started_on", "opened_on", "closed_on", "subsidy_paid_on")


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.date


render(current_filters())
