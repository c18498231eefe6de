"""Workforce and training (队伍与培训): items 9, 14 and 28 of the plan.

Instructors in every village-level unit (coverage over all units of the region table, with
the list of units short of 2), the plan's classes against their deadlines, participants'
completion, and the youth health demonstration bases in every prefecture.
"""

from __future__ import annotations

import calendar

import pandas as pd
import streamlit as st

from analytics import training
from analytics.attainment import COMPLETION_THRESHOLD
from analytics.queries import PROVINCE_CODE
from ui import auth, cached, downloads, maps
from ui.charts import training as charts
from ui.components import page_header, show_chart, status_badge, status_label, status_legend
from ui.i18n import name_col, t
from ui.state import Filters, current_filters
from ui.theme import STATUS_ORDER
from views import regions as region_lists


def render(f: Filters) -> None:
    page_header("training.title", f)
    st.markdown(t("training.intro"))
    status_legend()
    # the province and every prefecture, judged in one query, for this page's indicators only
    tables = cached.attainment_tables(
        f.data_version, f.plan_year, (f.as_of,), ("province", "prefecture"), PROVINCE_CODE, training.JUDGED_INDICATORS
    )
    province, prefectures = tables[(f.as_of, "province")], tables[(f.as_of, "prefecture")]
    own = province if f.region == PROVINCE_CODE else prefectures[prefectures["region_code"] == f.region]
    _coverage(f, own)
    _short_list(f)
    _classes(f, province)
    _participants(f)
    _bases(f, own, province, prefectures)


# --- instructors --------------------------------------------------------------------------


def _coverage(f: Filters, own: pd.DataFrame) -> None:
    st.header(t("training.coverage.title"))
    cov = training.with_share(cached.training_coverage(f.data_version, f.plan_year, f.as_of, f.region))
    if cov.empty:
        st.info(t("training.coverage.none"))
        return
    labels = _labels(cov, "region_code", "name")
    now = training.at_month(cov)
    month = pd.Timestamp(now["period_end"].iloc[0]).date()
    head = now[now["region_code"] == f.region].iloc[0]
    months = sorted(cov["period_end"].unique())
    delta = None
    if len(months) > 1:
        before = training.at_month(cov, months[-2])
        prior = before.loc[before["region_code"] == f.region].iloc[0]
        prev = prior["share"]
        # no change to speak of while the region has not reported (0 % then and now is no "+0.0")
        if pd.notna(prev) and pd.notna(head["share"]) and head["reported"] and prior["reported"]:
            delta = t("training.coverage.delta", value=f"{(head['share'] - prev) * 100:+.1f}")
    cols = st.columns(5)
    cols[0].metric(
        t("training.coverage.share"), charts.pct(head["share"]), delta=delta, help=t("training.coverage.delta_help")
    )
    for col, cat in zip(cols[1:4], training.CATEGORIES, strict=True):
        col.metric(t(f"training.cat.{cat}"), f"{int(head[cat]):,}")
    cols[4].metric(t("training.coverage.units"), f"{int(head['units_total']):,}")
    judged = own[(own["indicator_id"] == training.COVERAGE_INDICATOR) & (own["region_code"] == f.region)]
    if len(judged):
        row = judged.iloc[0]
        left, right = st.columns([1, 5], vertical_alignment="center")
        with left:
            status_badge(str(row["status"]), row["reached_on"])
        right.caption(
            t(
                "training.coverage.status",
                target=charts.pct(row["target"], 0),
                due=pd.Timestamp(row["due_date"]).date().isoformat(),
                expected=charts.pct(row["expected"]),
            )
        )
    st.caption(t("training.coverage.definition", month=month.isoformat()))

    level = f.level_below
    below = now[now["level"] == level]
    left, right = st.columns(2)
    with left:
        st.subheader(t("training.coverage.map_title", level=t(f"training.level.{level}"), month=month.isoformat()))
        shapes = cached.map_shapes(f.data_version, level)
        shares = dict(zip(below["region_code"], below["share"], strict=True))
        low = charts.scale_floor(below["share"])
        if shapes:
            fig = cached.region_map(
                f.data_version,
                level,
                below[["region_code"]],
                colors=charts.share_colors(shares, low),
                labels={c: f"{_map_label(labels[c], level, f.lang)}<br>{charts.pct(v, 0)}" for c, v in shares.items()},
                hover={
                    r.region_code: f"{labels[r.region_code]}：{charts.pct(r.share)}（{r.covered:,} / {r.units_total:,}）"
                    + ("" if r.reported else f"，{t('training.no_report')}")
                    for r in below.itertuples()
                },
                colorbar=(t("training.coverage.share_short"), charts.share_scale(), low, 1.0),
                colorbar_format=".0%",
                height=480,
            )
            show_chart(fig, key="training_coverage_map", filters=f)
        else:
            st.info(t("training.no_boundaries"))
    with right:
        st.subheader(t("training.coverage.bars_title", level=t(f"training.level.{level}")))
        fig = cached.figure(
            f.data_version,
            charts.category_bars,
            below,
            labels=_short(labels),
            category_labels={c: t(f"training.cat.{c}") for c in training.CATEGORIES},
            x_title=t("training.coverage.bars_x"),
        )
        show_chart(fig, key="training_coverage_bars", filters=f)

    st.subheader(t("training.coverage.trend_title"))
    order = _short({f.region: labels[f.region], **{c: labels[c] for c in below["region_code"]}})
    fig = cached.figure(
        f.data_version,
        charts.coverage_over_months,
        cov[cov["region_code"].isin(list(order))],
        own_code=f.region,
        labels=order,
        target_label=t("training.coverage.target"),
        y_title=t("training.coverage.share_short"),
        month_labels=_month_labels(),
    )
    show_chart(fig, key="training_coverage_trend", filters=f)
    st.caption(t("training.coverage.trend_note"))

    st.subheader(t("training.coverage.counties_title"))
    counties = now[now["level"] == "county"].sort_values(["share", "region_code"], na_position="first")
    st.dataframe(
        pd.DataFrame(
            {
                "prefecture": [labels.get(c, c) for c in counties["prefecture_code"]],
                "county": [labels[c] for c in counties["region_code"]],
                "units": counties["units_total"],
                **{c: counties[c] for c in training.CATEGORIES},
                "share": counties["share"] * 100,  # in percent: one decimal for every row
            }
        ),
        hide_index=True,
        key="training_county_table",
        height=min(38 + 35 * len(counties), 420),
        column_config={
            "prefecture": t("training.col.prefecture"),
            "county": t("training.col.county"),
            "units": st.column_config.NumberColumn(t("training.col.units"), format="localized"),
            **{
                c: st.column_config.NumberColumn(t(f"training.cat.{c}"), format="localized")
                for c in training.CATEGORIES
            },
            "share": st.column_config.ProgressColumn(
                t("training.coverage.share_short"), min_value=0.0, max_value=100.0, format="%.1f%%"
            ),
        },
    )


def _short_list(f: Filters) -> None:
    st.subheader(t("training.short.title"))
    short = cached.training_short_units(f.data_version, f.plan_year, f.as_of, f.region)
    # the counties of the region, from the coverage rows already fetched (the same cache entry)
    coverage = cached.training_coverage(f.data_version, f.plan_year, f.as_of, f.region)
    counties = coverage[coverage["level"] == "county"].drop_duplicates("region_code")
    county_names = _labels(counties, "region_code", "name")
    county_options = ["", *counties["region_code"]]
    categories = ["", "short", "no_report"]
    for key, options in (("training_short_county", county_options), ("training_short_category", categories)):
        if st.session_state.get(key) not in options:
            st.session_state[key] = ""  # a county of another prefecture after the region filter changed
    left, right = st.columns(2)
    county = left.selectbox(
        t("training.short.county"),
        county_options,
        format_func=lambda c: county_names.get(c, c) if c else t("training.short.all_counties"),
        key="training_short_county",
    )
    category = right.selectbox(
        t("training.short.category"),
        categories,
        format_func=lambda c: t(f"training.cat.{c}") if c else t("training.short.all_categories"),
        key="training_short_category",
    )
    shown = training.filter_short(short, county=county or None, category=category or None)
    n_short = int((short["category"] == "short").sum())
    st.caption(
        t("training.short.count", shown=len(shown), total=len(short), short=n_short, no_report=len(short) - n_short)
    )
    if shown.empty:
        st.success(t("training.short.none"))
        return
    table = _short_table(shown)
    no_report = t("training.no_report")  # once: t() reads the session's language, per row it was a tenth of the page
    st.dataframe(
        table.assign(
            **{
                # whole columns at once: per-row formatting of a few thousand villages was a tenth of the page
                t("training.col.instructors"): shown["instructors_in_post"]
                .astype("Int64")
                .astype("string")
                .fillna(no_report)
                .to_numpy(),
                t("training.col.last_report"): pd.to_datetime(shown["last_period"])
                .dt.strftime("%Y-%m")
                .fillna(no_report)
                .to_numpy(),
                t("training.col.received"): pd.to_datetime(shown["reported_at"])
                .dt.strftime("%Y-%m-%d")
                .fillna("")
                .to_numpy(),
            }
        ),
        hide_index=True,
        key="training_short_table",
        height=420,
    )
    if not auth.allows("analyst"):  # village lists are analysts' downloads: no button, no file, for viewers
        st.caption(t("auth.downloads_analyst_only"))
        return
    notes = [t("training.short.notes", as_of=f.as_of.isoformat(), region=_region_name(f)), t("demo.short")]
    downloads.download_buttons(
        table, f"training_short_units_{f.region}_{f.as_of.isoformat()}", key="training_short", notes=notes
    )


def _short_table(short: pd.DataFrame) -> pd.DataFrame:
    """The list as users read it (and download it): names in the UI language, numbers as numbers."""
    county = short[name_col("county_name")].fillna(short["county_name_zh"])
    zone = t("training.short.zone")  # the pattern once (t() per row read the session state per row)
    county = [
        zone.format(county=c, zone=z) if isinstance(z, str) else c
        for c, z in zip(county, short["zone_name_zh"], strict=True)
    ]
    category = {c: t(f"training.cat.{c}") for c in short["category"].unique()}
    return pd.DataFrame(
        {
            t("training.col.prefecture"): short[name_col("prefecture_name")]
            .fillna(short["prefecture_name_zh"])
            .to_numpy(),
            t("training.col.county"): county,
            t("training.col.township"): short["township_name_zh"].to_numpy(),
            t("training.col.village"): short["village_name_zh"].to_numpy(),
            t("training.col.code"): short["region_code"].to_numpy(),
            # nullable integers: a count stays 0, 1 (not 0.0) and "no report" stays empty
            t("training.col.instructors"): short["instructors_in_post"].astype("Int64").reset_index(drop=True),
            t("training.col.last_report"): pd.to_datetime(short["last_period"]).dt.date.to_numpy(),
            t("training.col.received"): pd.to_datetime(short["reported_at"]).dt.date.to_numpy(),
            t("training.col.category"): short["category"].map(category).to_numpy(),
        }
    )


def _classes(f: Filters, province: pd.DataFrame) -> None:
    st.header(t("training.classes.title"))
    classes = training.class_states(cached.training_classes(f.data_version, f.plan_year, f.region), f.as_of)
    plan_rows = province[
        (province["region_code"] == PROVINCE_CODE)
        & province["indicator_id"].isin(list(training.KIND_INDICATOR.values()))
    ]
    summary = training.kind_summary(classes, plan_rows, plan_year=f.plan_year)
    kinds = {k: t(f"training.kind.{k}") for k in training.KINDS}
    cols = st.columns(len(training.KIND_INDICATOR))
    for col, row in zip(cols, summary[summary["kind"].isin(list(training.KIND_INDICATOR))].itertuples(), strict=True):
        with col.container(border=True):
            st.markdown(f"**{kinds[row.kind]}**")
            status_badge(str(row.plan_status))
            st.caption(
                t(
                    "training.classes.plan_card",
                    held=row.plan_held,
                    planned=row.plan_classes,
                    window=t(
                        "training.classes.window", start=row.window_start.isoformat(), end=row.due_date.isoformat()
                    )
                    if row.due_date is not None
                    else "—",
                )
            )
            if row.plan_held_early:
                st.caption(t("training.classes.early", n=row.plan_held_early))
    st.dataframe(
        pd.DataFrame(
            {
                "kind": [kinds[k] for k in summary["kind"]],
                **{c: summary[c] for c in ("classes", *training.CLASS_STATES)},
                "due": [d.isoformat() if d is not None else "—" for d in summary["due_date"]],
                "status": [status_label(s) for s in summary["plan_status"]],
            }
        ),
        hide_index=True,
        key="training_kind_table",
        column_config={
            "kind": t("training.col.kind"),
            "classes": t("training.classes.count"),
            **{s: t(f"training.state.{s}") for s in training.CLASS_STATES},
            "due": t("training.classes.due"),
            "status": t("training.classes.plan_status"),
        },
    )
    st.caption(t("training.classes.note"))

    st.subheader(t("training.timeline.title"))
    levels = ["province", "prefecture", "county"]
    default = ["province", "prefecture"] if f.region == PROVINCE_CODE else levels
    chosen = st.pills(
        t("training.timeline.levels"),
        levels,
        selection_mode="multi",
        default=default,
        format_func=lambda lv: t(f"training.org.{lv}"),
        key=f"training_timeline_levels_{'province' if f.region == PROVINCE_CODE else 'prefecture'}",
    )
    shown = classes[classes["level"].isin(chosen or [])]
    shown = shown.assign(
        _k=shown["kind"].map({k: i for i, k in enumerate(training.KINDS)}),
        _l=shown["level"].map({lv: i for i, lv in enumerate(levels)}),
    ).sort_values(["_k", "_l", "shown_start", "class_id"])
    if shown.empty:
        st.info(t("training.timeline.none"))
        return
    organiser = _short(_labels(shown, "region_code", "organiser_name"))
    rows = [
        f"{organiser.get(c, c)} · {t(f'training.kind_short.{k}')}"
        for c, k in zip(shown["region_code"], shown["kind"], strict=True)
    ]
    rows = _unique(rows)
    deadlines: dict[object, list[str]] = {}
    for r in summary.itertuples():
        if r.due_date is not None:
            deadlines.setdefault(r.due_date, []).append(t(f"training.kind_short.{r.kind}"))
    youth = summary.set_index("kind").loc["youth_trainer"]
    fig = cached.figure(
        f.data_version,
        charts.classes_timeline,
        shown,
        row_labels=rows,
        kind_labels=kinds,
        state_labels={s: t(f"training.state.{s}") for s in training.CLASS_STATES},
        deadlines={
            d: t("training.timeline.deadline", kinds=t("training.list_sep").join(ks)) for d, ks in deadlines.items()
        },
        windows=[(youth["window_start"], youth["due_date"], t("training.timeline.window"))]
        if youth["due_date"] is not None
        else [],
        as_of=f.as_of,
        as_of_label=t("training.timeline.as_of", date=f.as_of.isoformat()),
        planned_label=t("training.timeline.planned"),
        month_labels=_month_labels(),
    )
    show_chart(fig, key="training_timeline", filters=f)
    st.caption(t("training.timeline.note"))


def _participants(f: Filters) -> None:
    st.header(t("training.participants.title"))
    parts = cached.training_participants(f.data_version, f.plan_year, f.as_of, f.region)
    threshold = charts.pct(COMPLETION_THRESHOLD, 0)
    st.caption(t("training.participants.note", threshold=threshold))
    if parts.empty:
        st.info(t("training.participants.none", as_of=f.as_of.isoformat()))
        return
    total = training.total_completion(parts)
    cols = st.columns(4)
    for col, key in zip(cols, ("enrolled", "attended", "completed"), strict=False):
        col.metric(t(f"training.participants.{key}"), f"{total[key]:,}")
    cols[3].metric(t("training.participants.rate"), charts.pct(total["rate"]))

    level = f.level_below
    by_level = training.completion(parts, level)
    by_level["label"] = list(_short(_labels(by_level, f"{level}_code", f"{level}_name")).values())
    st.subheader(t("training.participants.chart_title", level=t(f"training.level.{level}")))
    fig = cached.figure(
        f.data_version,
        charts.completion_bars,
        by_level,
        label_col="label",
        threshold=COMPLETION_THRESHOLD,
        threshold_label=t("training.participants.threshold", threshold=threshold),
        x_title=t("training.participants.rate"),
        below_name=t("training.participants.below"),
        above_name=t("training.participants.above"),
    )
    show_chart(fig, key="training_completion_chart", filters=f)

    by_class = training.completion(parts, "class")
    n_below = int(by_class["below"].sum())
    if n_below:
        st.warning(t("training.participants.below_count", n=n_below, total=len(by_class), threshold=threshold))
    breakdown = st.segmented_control(
        t("training.participants.by"),
        list(training.BREAKDOWNS),
        format_func=lambda b: t(f"training.participants.by_{b}"),
        default="class",
        key="training_breakdown",
    )
    table = _completion_table(training.completion(parts, breakdown or "class"), breakdown or "class")
    below = table.pop("_below")
    st.dataframe(
        table.style.apply(lambda col: ["background-color: #fff8c5" if b else "" for b in below], axis=0).format(
            {t("training.participants.rate"): charts.pct}
        ),
        hide_index=True,
        key="training_completion_table",
        height=min(38 + 35 * len(table), 460),
    )


def _completion_table(table: pd.DataFrame, by: str) -> pd.DataFrame:
    if by == "class":
        organiser = table[name_col("organiser_name")].fillna(table["organiser_name_zh"]).fillna(table["organiser_code"])
        first = {
            t("training.col.class"): [
                f"{o} · {t(f'training.kind_short.{k}')}" for o, k in zip(organiser, table["kind"], strict=True)
            ],
            t("training.col.end"): pd.to_datetime(table["end_date"]).dt.date.to_numpy(),
        }
    elif by == "county":
        first = {
            t("training.col.prefecture"): table[name_col("prefecture_name")]
            .fillna(table["prefecture_name_zh"])
            .to_numpy(),
            t("training.col.county"): table[name_col("county_name")].fillna(table["county_name_zh"]).to_numpy(),
        }
    else:
        first = {
            t("training.col.prefecture"): table[name_col("prefecture_name")]
            .fillna(table["prefecture_name_zh"])
            .to_numpy()
        }
    out = pd.DataFrame(
        {
            **first,
            **{
                t(f"training.participants.{c}"): table[c].to_numpy()
                for c in ("enrolled", "attended", "completed", "dropped")
            },
            t("training.participants.rate"): table["rate"].to_numpy(),
        }
    )
    out["_below"] = table["below"].to_numpy()
    return out


# --- youth health demonstration bases -------------------------------------------------------


def _bases(f: Filters, own: pd.DataFrame, province: pd.DataFrame, prefectures: pd.DataFrame) -> None:
    st.header(t("training.bases.title"))
    rule = province[(province["indicator_id"] == training.BASES_INDICATOR) & (province["region_code"] == PROVINCE_CODE)]
    names = _labels(cached.regions_at_level(f.data_version, "prefecture", PROVINCE_CODE), "region_code", "name")
    if rule.empty:
        st.info(t("training.bases.none"))
        return
    r = rule.iloc[0]
    missing = region_lists.codes(r["regions_missing"])
    if f.region != PROVINCE_CODE:
        mine = training.bases_by_prefecture(own[own["region_code"] == f.region])
        row = mine.iloc[0] if len(mine) else None
        cols = st.columns([1, 1, 3], vertical_alignment="center")
        cols[0].metric(
            t("training.bases.own"),
            t("training.no_data") if row is None or pd.isna(row["bases"]) else f"{int(row['bases'])}",
        )
        with cols[1]:
            status_badge(str(row["status"]) if row is not None else "no_data")
        cols[2].caption(
            t(
                "training.bases.province_context",
                reached=int(r["regions_reached"] or 0),
                total=int(r["regions_total"] or 0),
            )
        )
        st.caption(t("training.bases.target", due=pd.Timestamp(r["due_date"]).date().isoformat()))
        return
    cols = st.columns([1, 1, 3], vertical_alignment="center")
    cols[0].metric(t("training.bases.reached"), f"{int(r['regions_reached'] or 0)} / {int(r['regions_total'] or 0)}")
    with cols[1]:
        status_badge(str(r["status"]), r["reached_on"])
    if missing:
        # each prefecture not there, by name and state: reported below the minimum, or no report
        cols[2].markdown(region_lists.not_there(missing, r["regions_unreported"], names, f.lang))
    else:
        cols[2].markdown(t("training.bases.all"))
    st.caption(t("training.bases.target", due=pd.Timestamp(r["due_date"]).date().isoformat()))
    by_prefecture = training.bases_by_prefecture(prefectures)
    fig = cached.figure(
        f.data_version,
        charts.bases_bars,
        by_prefecture,
        labels=_short(names),
        status_labels={s: status_label(s) for s in STATUS_ORDER},
        x_title=t("training.bases.x"),
        no_data=t("training.no_data"),
    )
    st.subheader(t("training.bases.chart_title"))
    show_chart(fig, key="training_bases_chart", filters=f)


# --- names ---------------------------------------------------------------------------------


def _labels(df: pd.DataFrame, code_col: str, base: str) -> dict[str, str]:
    """Code → name in the UI language (Chinese where the data has no English name)."""
    names = df[name_col(base)].fillna(df[f"{base}_zh"]) if name_col(base) in df else df[f"{base}_zh"]
    return dict(zip(df[code_col].astype(str), names.astype(str), strict=True))


def _region_name(f: Filters) -> str:
    if f.region == PROVINCE_CODE:
        return t("filters.whole_province")
    return _labels(cached.regions_at_level(f.data_version, "prefecture", PROVINCE_CODE), "region_code", "name").get(
        f.region, f.region
    )


def _map_label(name: str, level: str, lang: str) -> str:
    """A label that fits on the map: short prefecture names; an English county name's first word
    (Mayang Miao Autonomous County → Mayang), the place name itself. The hover has the full name."""
    if level == "county" and lang == "en":
        return name.split(" ")[0]
    return maps.short_name(name, level)


def _short(labels: dict[str, str]) -> dict[str, str]:
    """Prefecture names short enough for a chart's axis (长沙市 → 长沙, Xiangxi … Prefecture → Xiangxi)."""
    return {
        c: maps.short_name(n, "prefecture") if c.endswith("00") and not c.endswith("0000") else n
        for c, n in labels.items()
    }


def _month_labels() -> list[str]:
    return [t("training.month_label", m=m, abbr=calendar.month_abbr[m]) for m in range(1, 13)]


def _unique(labels: list[str]) -> list[str]:
    """Row labels of a timeline must be unique: a second class of the same organiser and kind gets (2)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


render(current_filters())
