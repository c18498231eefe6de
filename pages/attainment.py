"""Target attainment by prefecture (目标完成情况): map, league table, scorecard, drill-down, progress."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.queries import PROVINCE_CODE
from ui import cached, maps
from ui.charts import attainment as charts
from ui.components import indicator_info, page_header, show_chart, status_label, status_legend
from ui.downloads import download_buttons
from ui.i18n import name_col, t
from ui.state import Filters, current_filters, page_choice
from ui.theme import STATUS_COLORS, STATUS_MARK, STATUS_ORDER, STATUS_WORST_FIRST
from views import regions as region_lists
from views import statuses


def _drill(key: str) -> None:
    """A region clicked on the map or picked in the table becomes the global region filter."""
    state = st.session_state.get(key)
    code = maps.selected_code(state)
    if code is None and state is not None:
        rows = state.get("selection", {}).get("rows", [])
        codes = st.session_state.get(f"{key}_codes", [])
        code = codes[rows[0]] if rows and rows[0] < len(codes) else None
    if code and len(code) == 6 and code.endswith("00"):
        st.session_state["region"] = code


def render(f: Filters) -> None:
    page_header("attainment.title", f)
    status_legend()
    version, lang = f.data_version, f.lang
    inds = cached.indicators(version, f.plan_year)
    level = f.level_below
    own_level = "province" if f.region == PROVINCE_CODE else "prefecture"
    tables = cached.attainment_tables(version, f.plan_year, (f.as_of,), (own_level, level), f.region)
    table, own = tables[(f.as_of, level)], tables[(f.as_of, own_level)]
    judged_here = table.loc[table["status"] != "no_target", "indicator_id"].unique().tolist()
    options = [i for i in inds["indicator_id"] if i in set(judged_here)]
    if not options:
        st.info(t("attainment.none_at_level"))
        return
    names = inds.set_index("indicator_id")[name_col("name", lang)].to_dict()
    default = "instructor_coverage" if "instructor_coverage" in options else options[0]
    indicator = page_choice("indicator", options, default)
    st.selectbox(t("attainment.indicator"), options, key="indicator", format_func=lambda i: names.get(i, i))
    ind = inds.set_index("indicator_id").loc[indicator]
    targets = cached.targets(version, f.plan_year)
    target = statuses.target_rows(targets, f.region).get(indicator)
    indicator_info(ind, f, target)
    # the target's basis (the notice's words or the association's reading) and its phasing, in view
    if target is not None:
        st.caption(
            "　".join(
                line
                for line in (
                    statuses.basis(target, lang),
                    statuses.due_dates([target.get("due_date")], lang),
                    statuses.phasing(target.get("phasing"), ind.to_dict(), lang),
                )
                if line
            )
        )

    regions = cached.regions_at_level(version, level, f.region)
    labels = dict(zip(regions["region_code"], regions[name_col("name", lang)].fillna(regions["name_zh"]), strict=True))
    rows = table[table["indicator_id"] == indicator].set_index("region_code").reindex(regions["region_code"])
    head = own[(own["indicator_id"] == indicator) & (own["region_code"] == f.region)]
    _headline(head, ind, f)

    left, right = st.columns([3, 2])
    with left:
        st.subheader(t("attainment.map_title", level=t(f"level.{level}")))
        shapes = cached.map_shapes(version, level)
        colors = {c: STATUS_COLORS[str(r.status)] for c, r in rows.iterrows()}
        pace = {c: _pct(r.pace) for c, r in rows.iterrows()}
        # the status's mark beside the pace: colour is never the only cue
        mark = {c: STATUS_MARK[str(r.status)] for c, r in rows.iterrows()}
        present = tuple(s for s in STATUS_ORDER if s in set(rows["status"].astype(str)))
        fig = cached.region_map(
            version,
            level,
            regions,
            colors=colors,
            labels={c: f"{maps.short_name(labels[c], level)}<br>{mark[c]} {pace[c]}" for c in labels},
            hover={
                c: f"{labels[c]}：{status_label(str(rows.loc[c, 'status']), rows.loc[c, 'reached_on'])}，"
                f"{t('attainment.pace')} {pace[c]}"
                for c in labels
            },
            legend=charts.legend_pairs({s: status_label(s) for s in STATUS_ORDER}, present),
            height=800 if f.present else 520,
        )
        if shapes:
            show_chart(
                fig,
                key="attainment_map",
                filters=f,
                on_select=lambda: _drill("attainment_map"),
                selection_mode="points",
            )
            if level == "prefecture":
                st.caption(t("attainment.map_click"))
        else:
            st.info(t("attainment.no_boundaries"))
    with right:
        st.subheader(t("attainment.league_title"))
        league = _league(rows.reset_index(), labels, ind, lang)
        st.session_state["attainment_league_codes"] = list(league["code"])
        st.dataframe(
            league.drop(columns=["code"]),
            hide_index=True,
            key="attainment_league",
            on_select=lambda: _drill("attainment_league"),
            selection_mode="single-row",
            column_config={
                "rank": st.column_config.NumberColumn(t("attainment.col.rank"), width="small"),
                "region": t(f"level.{level}"),
                "actual": st.column_config.TextColumn(t("attainment.col.actual")),
                "expected": st.column_config.TextColumn(t("attainment.col.expected")),
                "pace": st.column_config.ProgressColumn(
                    t("attainment.col.pace"), min_value=0.0, max_value=1.5, format="percent"
                ),
                "status": t("attainment.col.status"),
            },
            height=min(38 + 35 * len(league), 560),
        )

    st.subheader(t("attainment.scorecard_title", level=t(f"level.{level}")))
    judged = [i for i in options if not inds.set_index("indicator_id").loc[i, "is_component"]]
    card = table[table["indicator_id"].isin(judged)]
    show_chart(
        cached.figure(
            f.data_version,
            charts.scorecard,
            card[["indicator_id", "region_code", "status"]],  # what it draws (hashable: no list column)
            region_labels=labels,
            indicator_labels={i: names[i] for i in judged},
            status_labels={s: status_label(s) for s in STATUS_ORDER},
            cell_text={(r.region_code, r.indicator_id): _cell(r.status, r.pace) for r in card.itertuples()},
        ),
        key="attainment_scorecard",
        filters=f,
    )
    st.caption(t("attainment.scorecard_note"))
    _download(own, table, inds, targets, labels, f)

    st.subheader(t("attainment.series_title", region=_region_name(f, labels)))
    series = cached.indicator_series(version, f.plan_year, indicator, f.region, f.as_of)
    show_chart(
        cached.figure(
            f.data_version,
            charts.progress_over_months,
            series,
            actual_name=t("attainment.actual"),
            expected_name=t("attainment.expected_line"),
            target_name=t("attainment.target_line"),
            y_title=_unit(ind, lang),
            as_of=f.as_of,
            as_of_label=t("attainment.as_of_marker", as_of=f.as_of.isoformat()),
            month_labels=t("month.names").split(","),
            percent=ind["target_rule"] == "coverage",
        ),
        key="attainment_series",
        filters=f,
    )
    phasing = head["phasing"].iloc[0] if len(head) else ind["phasing"]
    if charts.starts_from_zero(series, target_rule=str(ind["target_rule"]), phasing=phasing):
        st.caption(t("attainment.baseline_zero"))


def _headline(head: pd.DataFrame, ind: pd.Series, f: Filters) -> None:
    if head.empty:
        return
    r = head.iloc[0]
    cols = st.columns(5)
    cols[0].metric(t("attainment.col.actual"), _fmt(r["actual"], ind))
    cols[1].metric(t("attainment.col.target"), _fmt(r["target"], ind))
    cols[2].metric(t("attainment.col.expected"), _fmt(r["expected"], ind))
    cols[3].metric(t("attainment.col.pace"), _pct(r["pace"]))
    with cols[4]:
        st.caption(t("attainment.col.status"))
        status = str(r["status"])
        st.html(statuses.chip_html(status, status_label(status, r["reached_on"]), size="1.2rem", pad="4px 12px"))
    missing = region_lists.codes(r["regions_missing"])
    if missing:
        # the members are regions of the rule's own level inside this one (counties of a prefecture)
        members = cached.regions_at_level(f.data_version, str(ind["target_level"]), f.region)
        names = region_lists.region_names(members, f.lang)
        st.caption(region_lists.not_there(missing, r["regions_unreported"], names, f.lang))


def _league(rows: pd.DataFrame, labels: dict[str, str], ind: pd.Series, lang: str) -> pd.DataFrame:
    # best pace first; at the same pace the better status (analytics.attainment's severity, reversed)
    order = {s: -i for i, s in enumerate(STATUS_WORST_FIRST)}
    data = rows.assign(
        _order=rows["status"].map(order),
        _pace=rows["pace"].fillna(-1),
    ).sort_values(["_pace", "_order"], ascending=[False, True])
    return pd.DataFrame(
        {
            "rank": range(1, len(data) + 1),
            "code": data["region_code"],
            "region": [labels.get(c, c) for c in data["region_code"]],
            "actual": [_fmt(v, ind) for v in data["actual"]],
            "expected": [_fmt(v, ind) for v in data["expected"]],
            "pace": data["pace"],
            "status": [status_label(str(s), d) for s, d in zip(data["status"], data["reached_on"], strict=True)],
        }
    )


def _cell(status: object, pace: object) -> str:
    """A scorecard cell: the status's mark (colour is never the only cue) and the pace."""
    return f"{STATUS_MARK[str(status)]} {_pct(pace)}" if pd.notna(pace) else STATUS_MARK[str(status)]  # type: ignore[call-overload]


def _download(
    own: pd.DataFrame,
    table: pd.DataFrame,
    inds: pd.DataFrame,
    targets: pd.DataFrame,
    labels: dict[str, str],
    f: Filters,
) -> None:
    """Every indicator in the region and its sub-regions as judged here: the status as the label in
    the page's language beside its code, the date a late target was reached and the gap."""
    lang = f.lang
    rows = pd.concat([own[own["region_code"] == f.region], table], ignore_index=True)
    judged = pd.Timestamp(rows["judged_on"].iloc[0]).date().isoformat() if len(rows) else f.as_of.isoformat()
    info = inds.set_index("indicator_id")
    basis = {
        (str(r["indicator_id"]), str(r["region_code"])): statuses.basis(r, lang) for r in targets.to_dict("records")
    }
    names = {f.region: _region_name(f, labels), **labels}
    out = pd.DataFrame(
        {
            t("download.col.indicator_id"): rows["indicator_id"],
            t("attainment.indicator"): rows["indicator_id"].map(info[name_col("name", lang)]),
            t("download.col.region_code"): rows["region_code"],
            t("download.col.region"): rows["region_code"].map(names),
            t("attainment.col.actual"): rows["actual"],
            t("attainment.col.target"): rows["target"],
            t("attainment.col.expected"): rows["expected"],
            t("attainment.col.pace"): rows["pace"],
            t("status.col.due"): rows["due_date"],
            t("status.col.judged_on"): rows["judged_on"],
            t("status.col.phasing"): [t(f"phasing.{p}") if isinstance(p, str) else "" for p in rows["phasing"]],
        }
    )
    out = pd.concat([out, statuses.download_columns(rows, lang)], axis=1)
    out[t("status.col.basis")] = [
        basis.get((str(i), str(c)), "") for i, c in zip(rows["indicator_id"], rows["region_code"], strict=True)
    ]
    download_buttons(
        out,
        f"attainment_{f.region}_{f.as_of.isoformat()}",
        key="attainment_table",
        notes=[t("download.attainment_note", as_of=f.as_of.isoformat(), judged=judged), statuses.rule(lang)],
    )


def _region_name(f: Filters, labels: dict[str, str]) -> str:
    if f.region == PROVINCE_CODE:
        return t("filters.whole_province")
    prefs = cached.regions_at_level(f.data_version, "prefecture", PROVINCE_CODE)
    row = prefs[prefs["region_code"] == f.region]
    return str(row[name_col("name", f.lang)].fillna(row["name_zh"]).iloc[0]) if len(row) else f.region


def _unit(ind: pd.Series, lang: str) -> str:
    return str(ind[f"unit_{lang}"])


def _fmt(value: object, ind: pd.Series) -> str:
    if value is None or pd.isna(value):
        return "—"
    v = float(value)  # type: ignore[arg-type]
    if ind["target_rule"] == "coverage":
        return f"{v:.1%}"
    return f"{v:,.0f}" if abs(v) >= 100 or v == int(v) else f"{v:,.2f}"


def _pct(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.0%}"  # type: ignore[arg-type]


render(current_filters())
