"""Data quality (数据质量), DHIS2-style: the WHO Data Quality Review dimensions on the association's exports.

1 completeness and timeliness of the county reports, completeness of indicator data, village
coverage; 2 internal consistency: outliers and rule violations; 3/4 external consistency of the
population figures. Definitions and thresholds: analytics/quality.py (SETTINGS), quoted beside
each metric.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from analytics import quality
from analytics.queries import PROVINCE_CODE
from ui import cached, downloads, maps
from ui.charts import quality as charts
from ui.components import page_header, show_chart
from ui.i18n import catalog, name_col, t
from ui.state import Filters, current_filters
from ui.theme import STATUS_COLORS

S = quality.SETTINGS


def render(f: Filters) -> None:
    page_header("quality.title", f)
    st.markdown(t("quality.intro"))
    _skipped(f)
    reports = cached.quality_reports(f.data_version, f.plan_year, f.as_of, f.region)
    _reporting(f, reports)
    _indicator_data(f, reports)
    _villages(f)
    _outliers(f)
    _rules(f)
    _external(f)


def _skipped(f: Filters) -> None:
    """Files the connection left out because they do not fit their table: first, because every
    figure of that table on every page is then read without them."""
    skipped = cached.skipped_files(f.data_version)
    if not skipped:
        return
    lines = []
    for s in skipped:
        why = []
        if s.foreign:
            why.append(t("quality.skipped.foreign", columns=", ".join(s.foreign)))
        if s.missing:
            why.append(t("quality.skipped.missing", columns=", ".join(s.missing)))
        if s.mistyped:
            why.append(
                t("quality.skipped.mistyped", columns=", ".join(f"{c} ({got} ≠ {want})" for c, got, want in s.mistyped))
            )
        lines.append(f"- `{s.file}` ({s.table}): {'; '.join(why) or t('quality.skipped.unreadable')}")
    st.error(t("quality.skipped.title", n=len(skipped)) + "\n\n" + "\n".join(lines))


# --- 1 completeness and timeliness -------------------------------------------------------------


def _reporting(f: Filters, reports: pd.DataFrame) -> None:
    st.header(t("quality.reporting.title"))
    st.caption(t("quality.reporting.definition", days=S.deadline_days))
    total = quality.reporting_rates(reports, []).iloc[0]
    cols = st.columns(5)
    cols[0].metric(t("quality.reporting.expected"), f"{int(total['expected']):,}")
    cols[1].metric(t("quality.reporting.received"), f"{int(total['received']):,}")
    cols[2].metric(t("quality.reporting.completeness"), charts.pct(total["completeness"]))
    cols[3].metric(t("quality.reporting.timeliness"), charts.pct(total["timeliness"]))
    cols[4].metric(
        t("quality.reporting.figure_timeliness"),
        charts.pct(total["figure_timeliness"]),
        help=t("quality.reporting.figure_timeliness_help", days=S.deadline_days),
    )

    level = f.level_below
    code_col = f"{level}_code"
    labels = _labels(reports, code_col, f"{level}_name")
    st.subheader(t("quality.reporting.heatmap_title", level=t(f"level.{level}")))
    # labels looked up now, not inside format_func: it is also called outside the page's run
    # (AppTest), where the session's language is unknown
    measures = {m: t(f"quality.reporting.{m}") for m in ("completeness", "timeliness", "figure_timeliness")}
    measure = st.segmented_control(
        t("quality.reporting.measure"),
        list(measures),
        default="completeness",
        format_func=measures.__getitem__,
        key="quality_heatmap_measure",
    )
    measure = measure or "completeness"
    _band_legend()
    by_month = quality.reporting_rates(reports, [code_col, "period_end"])
    overall = quality.reporting_rates(reports, ["period_end"]).assign(**{code_col: f.region})
    rows = {f.region: _region_name(f), **(_short(labels) if level == "prefecture" else labels)}
    grid = pd.concat([overall, by_month], ignore_index=True)
    months = t("month.names").split(",")
    hover = {
        (str(r[code_col]), pd.Timestamp(r["period_end"]).date()): t(
            "quality.reporting.hover",
            region=rows.get(str(r[code_col]), r[code_col]),
            month=pd.Timestamp(r["period_end"]).strftime("%Y-%m"),
            received=int(r["received"]),
            on_time=int(r["on_time"]),
            expected=int(r["expected"]),
            figures_on_time=int(r["figures_on_time"]),
            figures=int(r["figures"]),
        )
        for _, r in grid.iterrows()
    }
    fig = charts.reporting_heatmap(
        grid, row_col=code_col, rate_col=measure, row_labels=rows, month_labels=months, hover=hover
    )
    show_chart(fig, key="quality_heatmap", filters=f)
    st.caption(t("quality.reporting.heatmap_note"))

    st.subheader(t("quality.reporting.table_title", level=t(f"level.{level}")))
    table = quality.reporting_rates(reports, [code_col])
    st.dataframe(
        pd.DataFrame(
            {
                "region": [labels.get(str(c), c) for c in table[code_col]],
                **{c: table[c] for c in ("expected", "received", "on_time", "late", "missing")},
                **{c: table[c] * 100 for c in ("completeness", "timeliness", "figure_timeliness")},
            }
        ),
        hide_index=True,
        key="quality_reporting_table",
        height=40 + 35 * len(table),  # every region in view: at most 14 prefectures or 13 counties
        column_config={
            "region": st.column_config.TextColumn(t(f"level.{level}"), width="medium"),
            **{c: st.column_config.NumberColumn(t(f"quality.col.{c}"), format="localized") for c in _COUNTS},
            **{
                c: st.column_config.ProgressColumn(
                    t(f"quality.reporting.{c}"), min_value=0.0, max_value=100.0, format="%.1f%%"
                )
                for c in ("completeness", "timeliness", "figure_timeliness")
            },
        },
    )
    records = quality.report_records(reports)
    st.subheader(t("quality.reporting.records_title"))
    st.caption(t("quality.reporting.records_count", missing=int(total["missing"]), late=int(total["late"])))
    if records.empty:
        st.success(t("quality.reporting.records_none"))
        return
    out = pd.DataFrame(
        {
            t("quality.col.prefecture"): _names(records, "prefecture_name"),
            t("quality.col.county"): _names(records, "county_name"),
            t("quality.col.county_code"): records["county_code"].to_numpy(),
            t("quality.col.month"): _months(records["period_end"]),
            t("quality.col.state"): [t(f"quality.state.{s}") for s in records["state"]],
            t("quality.col.deadline"): _dates(records["deadline"]),
            t("quality.col.first_reported"): _dates(records["first_reported_at"]),
            t("quality.col.days_late"): ["" if pd.isna(d) else str(int(d)) for d in records["days_late"]],
        }
    )
    st.dataframe(out, hide_index=True, key="quality_records_table", height=min(38 + 35 * len(out), 360))
    _downloads(out, f"quality_reports_{f.region}_{f.as_of.isoformat()}", "quality_records", f)


_COUNTS = ("expected", "received", "on_time", "late", "missing")


def _band_legend() -> None:
    """The colours of the reporting-rate bands with their thresholds, in one line."""
    chips = " ".join(
        f'<span style="display:inline-block;margin-right:14px;white-space:nowrap">'
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:2px;'
        f'background:{STATUS_COLORS[band]};border:1px solid #d0d7de;vertical-align:middle;margin-right:4px"></span>'
        f"{t(f'quality.band.{band}', target=charts.pct(S.reporting_target, 0), floor=charts.pct(S.reporting_floor, 0))}"
        f"</span>"
        for band in quality.RATE_BANDS
    )
    st.html(f'<div style="font-size:0.9rem;color:#57606a">{chips}</div>')


def _indicator_data(f: Filters, reports: pd.DataFrame) -> None:
    st.header(t("quality.values.title"))
    st.caption(t("quality.values.definition"))
    inds = cached.quality_report_indicators(f.data_version, f.plan_year)
    ids = tuple(inds["indicator_id"])
    gaps = cached.quality_indicator_gaps(f.data_version, f.plan_year, f.as_of, f.region, ids)
    table = quality.indicator_completeness(reports, gaps, ids).merge(inds, on="indicator_id")
    table = table.sort_values(["completeness", "item_no", "display_order"], na_position="first")
    cols = st.columns(3)
    cols[0].metric(t("quality.values.indicators"), f"{len(ids):,}")
    cols[1].metric(t("quality.values.gaps"), f"{len(gaps):,}")
    complete = table["completeness"].dropna()
    cols[2].metric(t("quality.values.lowest"), charts.pct(complete.min() if len(complete) else None))
    st.dataframe(
        pd.DataFrame(
            {
                "indicator": table[name_col("name")].to_numpy(),
                "item": table["item_no"].to_numpy(),
                **{c: table[c].to_numpy() for c in ("received", "blank", "absent", "with_value")},
                "completeness": (table["completeness"] * 100).to_numpy(),
            }
        ),
        hide_index=True,
        key="quality_values_table",
        height=min(38 + 35 * len(table), 360),
        column_config={
            "indicator": t("quality.col.indicator"),
            "item": st.column_config.NumberColumn(t("quality.col.item"), format="%d"),
            **{
                c: st.column_config.NumberColumn(t(f"quality.col.{c}"), format="localized")
                for c in ("received", "blank", "absent", "with_value")
            },
            "completeness": st.column_config.ProgressColumn(
                t("quality.values.completeness"), min_value=0.0, max_value=100.0, format="%.1f%%"
            ),
        },
    )
    if gaps.empty:
        st.success(t("quality.values.none"))
        return
    names = dict(zip(inds["indicator_id"], inds[name_col("name")], strict=True))
    county = _labels(reports, "county_code", "county_name")
    pref = _labels(reports, "prefecture_code", "prefecture_name")
    out = pd.DataFrame(
        {
            t("quality.col.prefecture"): [pref.get(c, c) for c in gaps["prefecture_code"]],
            t("quality.col.county"): [county.get(c, c) for c in gaps["county_code"]],
            t("quality.col.county_code"): gaps["county_code"].to_numpy(),
            t("quality.col.month"): _months(gaps["period_end"]),
            t("quality.col.indicator"): [names.get(i, i) for i in gaps["indicator_id"]],
            t("quality.col.gap"): [t(f"quality.gap.{g}") for g in gaps["gap"]],
            t("quality.col.file"): gaps["source_file"].to_numpy(),
        }
    )
    with st.expander(t("quality.values.records", n=len(out))):
        st.dataframe(out, hide_index=True, key="quality_gaps_table", height=min(38 + 35 * len(out), 360))
        _downloads(out, f"quality_indicator_gaps_{f.region}_{f.as_of.isoformat()}", "quality_gaps", f)


def _villages(f: Filters) -> None:
    st.header(t("quality.villages.title"))
    st.caption(t("quality.villages.definition"))
    units = cached.quality_village_units(f.data_version, f.plan_year, f.as_of, f.region)
    total = quality.village_coverage(units, []).iloc[0]
    cols = st.columns(3)
    cols[0].metric(t("quality.villages.units"), f"{int(total['units']):,}")
    cols[1].metric(t("quality.villages.never"), f"{int(total['never_reported']):,}")
    cols[2].metric(t("quality.villages.share"), charts.pct(total["never_share"]))
    level = f.level_below
    by = quality.village_coverage(units, [f"{level}_code"]).sort_values("never_share", ascending=False)
    labels = _labels(units, f"{level}_code", f"{level}_name")
    st.dataframe(
        pd.DataFrame(
            {
                "region": [labels.get(str(c), c) for c in by[f"{level}_code"]],
                **{c: by[c].to_numpy() for c in ("units", "reported", "never_reported")},
                "share": (by["never_share"] * 100).to_numpy(),
            }
        ),
        hide_index=True,
        key="quality_villages_table",
        height=40 + 35 * len(by),
        column_config={
            "region": st.column_config.TextColumn(t(f"level.{level}"), width="medium"),
            "units": st.column_config.NumberColumn(t("quality.villages.units"), format="localized"),
            "reported": st.column_config.NumberColumn(t("quality.villages.reported"), format="localized"),
            "never_reported": st.column_config.NumberColumn(t("quality.villages.never"), format="localized"),
            "share": st.column_config.NumberColumn(t("quality.villages.share"), format="%.1f%%"),
        },
    )
    never = cached.quality_villages_never_reported(f.data_version, f.plan_year, f.as_of, f.region)
    if never.empty:
        st.success(t("quality.villages.none"))
        return
    out = pd.DataFrame(
        {
            t("quality.col.prefecture"): _names(never, "prefecture_name"),
            t("quality.col.county"): _names(never, "county_name"),
            t("quality.col.township"): never["township_name_zh"].to_numpy(),
            t("quality.col.village"): never["village_name_zh"].to_numpy(),
            t("quality.col.village_code"): never["region_code"].to_numpy(),
        }
    )
    with st.expander(t("quality.villages.records", n=len(out))):
        st.dataframe(out, hide_index=True, key="quality_never_table", height=360)
        _downloads(out, f"quality_villages_never_reported_{f.region}_{f.as_of.isoformat()}", "quality_never", f)


# --- 2 internal consistency -------------------------------------------------------------------


def _outliers(f: Filters) -> None:
    st.header(t("quality.outliers.title"))
    st.caption(
        t(
            "quality.outliers.definition",
            threshold=S.outlier_threshold,
            months=S.min_months,
            peers=S.min_peers,
        )
    )
    # peers are the province's counties: scored over the province, then narrowed to the region
    series = cached.quality_series(f.data_version, f.plan_year, f.as_of, PROVINCE_CODE)
    flags = cached.quality_outliers(f.data_version, f.plan_year, f.as_of)
    if f.region != PROVINCE_CODE:
        flags = flags[flags["prefecture_code"] == f.region]
    inds = cached.indicators(f.data_version, f.plan_year)
    names = dict(zip(inds["indicator_id"], inds[name_col("name")], strict=True))
    tests = {k: t(f"quality.test.{k}") for k in quality.OUTLIER_TESTS}
    cols = st.columns(3)
    own_values = series if f.region == PROVINCE_CODE else series[series["prefecture_code"] == f.region]
    cols[0].metric(t("quality.outliers.values"), f"{len(own_values):,}")
    for col, test in zip(cols[1:], quality.OUTLIER_TESTS, strict=True):
        col.metric(t("quality.outliers.flagged", test=tests[test]), f"{int((flags['test'] == test).sum()):,}")
    n_months = series["period_end"].nunique()
    if n_months < S.min_months:
        # say that the comparison with the county's own months did not run, rather than "none found"
        st.info(t("quality.outliers.short_history", n=n_months, months=S.min_months))
    if flags.empty:
        st.success(t("quality.outliers.none"))
        return
    fig = charts.outlier_counts(flags, indicator_labels=names, test_labels=tests, x_title=t("quality.outliers.count"))
    show_chart(fig, key="quality_outlier_counts", filters=f)

    options = ["", *sorted(flags["indicator_id"].unique(), key=lambda i: names.get(i, i))]
    if st.session_state.get("quality_outlier_indicator") not in options:
        st.session_state["quality_outlier_indicator"] = ""
    everything = t("quality.outliers.all")
    chosen = st.selectbox(
        t("quality.outliers.indicator"),
        options,
        format_func=lambda i: names.get(i, i) if i else everything,
        key="quality_outlier_indicator",
    )
    shown = flags if not chosen else flags[flags["indicator_id"] == chosen]
    counties = _labels(cached.regions_at_level(f.data_version, "county", PROVINCE_CODE), "region_code", "name")
    out = pd.DataFrame(
        {
            t("quality.col.county"): [counties.get(c, c) for c in shown["county_code"]],
            t("quality.col.county_code"): shown["county_code"].to_numpy(),
            t("quality.col.indicator"): [names.get(i, i) for i in shown["indicator_id"]],
            t("quality.col.month"): _months(shown["period_end"]),
            t("quality.col.value"): shown["value"].to_numpy(),
            t("quality.col.median"): shown["median"].to_numpy(),
            t("quality.col.mad"): shown["mad"].to_numpy(),
            t("quality.col.score"): shown["score"].round(1).to_numpy(),
            t("quality.col.n"): shown["n"].to_numpy(),
            t("quality.col.test"): [tests[x] for x in shown["test"]],
        }
    )
    st.dataframe(out, hide_index=True, key="quality_outliers_table", height=min(38 + 35 * len(out), 360))
    _downloads(out, f"quality_outliers_{f.region}_{f.as_of.isoformat()}", "quality_outliers", f)

    # one flagged series drawn against what it was judged by
    pairs = list(dict.fromkeys(zip(shown["county_code"], shown["indicator_id"], strict=True)))
    keys = [f"{c}|{i}" for c, i in pairs]
    if st.session_state.get("quality_outlier_series") not in keys:
        st.session_state["quality_outlier_series"] = keys[0]
    pick = st.selectbox(
        t("quality.outliers.series"),
        keys,
        format_func=lambda k: f"{counties.get(k.split('|')[0], k)} · {names.get(k.split('|')[1], k)}",
        key="quality_outlier_series",
    )
    county, indicator = pick.split("|")
    own = series[(series["county_code"] == county) & (series["indicator_id"] == indicator)]
    peers = series[(series["indicator_id"] == indicator) & (series["county_code"] != county)]
    unit = (
        inds.set_index("indicator_id").at[indicator, name_col("unit")] if indicator in set(inds["indicator_id"]) else ""
    )
    fig = charts.outlier_series(
        own,
        band=quality.outlier_band(own),
        flagged=_flag_hover(flags[(flags["county_code"] == county) & (flags["indicator_id"] == indicator)], tests),
        peers=peers,
        names={k: t(f"quality.outliers.legend.{k}") for k in ("county", "median", "band", "peers", "flagged")}
        | {"county": counties.get(county, county)},
        month_labels=t("month.names").split(","),
        y_title=f"{names.get(indicator, indicator)}（{unit}）"
        if f.lang == "zh"
        else f"{names.get(indicator, indicator)} ({unit})",
    )
    show_chart(fig, key="quality_outlier_series_chart", filters=f)


def _flag_hover(flagged: pd.DataFrame, tests: Mapping[str, str]) -> pd.DataFrame:
    """One row per flagged month, its hover text naming the tests that flagged it and their scores."""
    return (
        flagged.assign(_text=[f"{tests[x]}: {s:.1f}" for x, s in zip(flagged["test"], flagged["score"], strict=True)])
        .groupby("period_end", as_index=False)
        .agg(value=("value", "first"), hover=("_text", "<br>".join))
    )


def _rules(f: Filters) -> None:
    st.header(t("quality.rules.title"))
    st.caption(t("quality.rules.definition"))
    summary, examples = cached.quality_contract(f.data_version)
    violations = cached.quality_consistency(f.data_version)
    if f.region != PROVINCE_CODE:
        violations = violations[violations["prefecture_code"] == f.region]
    consistency = quality.consistency_summary(violations)
    n_contract, n_consistency = int(summary["violations"].sum()), int(consistency["violations"].sum())
    cols = st.columns(4)
    cols[0].metric(t("quality.rules.contract_checks"), f"{len(summary):,}")
    cols[1].metric(t("quality.rules.contract_violations"), f"{n_contract:,}")
    cols[2].metric(t("quality.rules.consistency_checks"), f"{len(consistency):,}")
    cols[3].metric(t("quality.rules.consistency_violations"), f"{n_consistency:,}")
    if n_contract + n_consistency == 0:
        st.success(t("quality.rules.none", n=len(summary) + len(consistency)))
    # the consistency rules in a static table, so their full wording wraps and stays readable
    st.subheader(t("quality.rules.consistency_list", n=len(consistency)))
    st.table(
        pd.DataFrame(
            {
                t("quality.col.rule"): [t(f"quality.rule.{r}") for r in consistency["rule_id"]],
                t("quality.col.table"): [_tables(x) for x in consistency["tables"]],
                t("quality.col.violations"): consistency["violations"].to_numpy(),
            }
        ).set_index(t("quality.col.rule"))
    )
    st.subheader(t("quality.rules.contract_list", n=len(summary)))
    st.dataframe(
        pd.DataFrame(
            {
                "table": [_tables(x) for x in summary["table"]],
                "rule": [_check_text(r) for r in summary.itertuples()],
                "violations": summary["violations"].to_numpy(),
            }
        ).sort_values("violations", ascending=False, kind="stable"),
        hide_index=True,
        key="quality_rules_table",
        height=420,
        column_config={
            "table": st.column_config.TextColumn(t("quality.col.table"), width="small"),
            "rule": st.column_config.TextColumn(t("quality.col.rule"), width="large"),
            "violations": st.column_config.NumberColumn(t("quality.col.violations"), format="localized", width="small"),
        },
    )
    st.caption(t("quality.rules.not_checkable"))
    if len(violations):
        inds = cached.indicators(f.data_version, f.plan_year)
        names = dict(zip(inds["indicator_id"], inds[name_col("name")], strict=True))
        st.subheader(t("quality.rules.consistency_records"))
        out = pd.DataFrame(
            {
                t("quality.col.rule"): [t(f"quality.rule.{r}") for r in violations["rule_id"]],
                t("quality.col.table"): [_tables(x) for x in violations["table_name"]],
                t("quality.col.record"): [
                    names.get(r, r) if tb == "progress" else r
                    for r, tb in zip(violations["record"], violations["table_name"], strict=True)
                ],
                t("quality.col.region"): _names(violations, "region_name"),
                t("quality.col.month"): _months(violations["period_end"]),
                t("quality.col.value"): violations["value"].to_numpy(),
                t("quality.col.compared"): violations["compared"].to_numpy(),
                t("quality.col.file"): violations["source_file"].to_numpy(),
            }
        )
        st.dataframe(out, hide_index=True, key="quality_consistency_table", height=min(38 + 35 * len(out), 360))
        _downloads(out, f"quality_consistency_{f.region}", "quality_consistency", f)
    if len(examples):
        st.subheader(t("quality.rules.contract_records"))
        out = pd.DataFrame(
            {
                t("quality.col.table"): [_tables(x) for x in examples["table"]],
                t("quality.col.rule"): [_check_text(r) for r in _example_checks(examples, summary)],
                t("quality.col.file"): examples["source_file"].to_numpy(),
                t("quality.col.row"): examples["row_in_file"].to_numpy(),
                t("quality.col.record"): examples["record"].to_numpy(),
                t("quality.col.column"): examples["column"].to_numpy(),
                t("quality.col.value"): examples["value"].to_numpy(),
            }
        )
        st.caption(t("quality.rules.examples_note"))
        st.dataframe(out, hide_index=True, key="quality_contract_table", height=min(38 + 35 * len(out), 360))
        _downloads(out, "quality_contract", "quality_contract", f)


def _example_checks(examples: pd.DataFrame, summary: pd.DataFrame) -> list[object]:
    """The check (row of ``summary``) each example breaks, for its description."""
    by_kind = {(r.table, r.kind): r for r in summary.itertuples()}
    by_column = {(r.table, r.kind, r.column): r for r in summary.itertuples()}
    return [by_column.get((e.table, e.kind, e.column), by_kind.get((e.table, e.kind))) for e in examples.itertuples()]


def _check_text(check: object) -> str:
    """A contract check in words, in the UI language."""
    kind, column, arg = check.kind, check.column, check.arg  # type: ignore[attr-defined]
    if kind == "allowed":
        return t("quality.check.allowed", column=column, values=", ".join(arg))
    if kind == "le":
        return t("quality.check.le", column=column, other=arg[0])
    if kind == "region_level":
        return t(
            "quality.check.region_level",
            column=column,
            levels=t("quality.or_sep").join(t(f"quality.level.{a}") for a in arg),
        )
    return t(f"quality.check.{kind}", column=column)


# --- 3 and 4 external consistency, population -------------------------------------------------


def _external(f: Filters) -> None:
    st.header(t("quality.external.title"))
    st.caption(t("quality.external.definition", tolerance=charts.pct(S.population_tolerance, 0)))
    pairs = quality.population_comparison(cached.quality_population_pairs(f.data_version))
    files = cached.population_candidates(f.data_version)["source_file"].dropna().unique()
    if not len(files):
        st.info(t("quality.external.no_files"))
    elif pairs.empty:
        st.info(t("quality.external.none", n=len(files), files=t("quality.list_sep").join(sorted(files))))
    else:
        n_bad = int(pairs["disagrees"].sum())
        st.metric(t("quality.external.disagree"), f"{n_bad:,} / {len(pairs):,}")
        out = pd.DataFrame(
            {
                t("quality.col.region"): _names(pairs, "region_name"),
                t("quality.col.year"): pairs["year"].to_numpy(),
                # the population page's names of the measures, where it has one
                t("quality.col.measure"): [catalog(f.lang).get(f"population.measure.{m}", m) for m in pairs["measure"]],
                t("quality.col.value"): pairs["value"].to_numpy(),
                t("quality.col.file"): pairs["source_file"].to_numpy(),
                t("quality.col.other_value"): pairs["other_value"].to_numpy(),
                t("quality.col.other_file"): pairs["other_source_file"].to_numpy(),
                t("quality.col.difference"): (pairs["difference"] * 100).round(1).to_numpy(),
                t("quality.col.disagrees"): [t("quality.yes") if d else "" for d in pairs["disagrees"]],
            }
        )
        st.dataframe(out, hide_index=True, key="quality_population_table")
        _downloads(out, "quality_population", "quality_population", f)
    status = cached.data_status(f.data_version)
    years = len(status["plan_years"].iloc[0]) if len(status) else 0
    st.caption(t("quality.external.over_time_one" if years <= 1 else "quality.external.over_time_many", years=years))


# --- helpers ----------------------------------------------------------------------------------


def _downloads(df: pd.DataFrame, basename: str, key: str, f: Filters) -> None:
    """CSV (with BOM) and Excel of ``df``, with the view it came from in the notes."""
    notes = [t("quality.download_note", as_of=f.as_of.isoformat(), region=_region_name(f)), t("demo.short")]
    downloads.download_buttons(df, basename, key=key, notes=notes)


def _tables(names: str) -> str:
    """ "progress, instructors" → the tables' names in the UI language."""
    return t("quality.list_sep").join(t(f"quality.table.{n.strip()}") for n in names.split(","))


def _labels(df: pd.DataFrame, code_col: str, base: str) -> dict[str, str]:
    """Code → name in the UI language (Chinese where the data has no English name)."""
    names = df[name_col(base)].fillna(df[f"{base}_zh"]) if name_col(base) in df else df[f"{base}_zh"]
    return dict(zip(df[code_col].astype(str), names.astype(str), strict=True))


def _names(df: pd.DataFrame, base: str) -> list[str]:
    names = df[name_col(base)].fillna(df[f"{base}_zh"]) if name_col(base) in df else df[f"{base}_zh"]
    return [str(n) if pd.notna(n) else "" for n in names]


def _short(labels: Mapping[str, str]) -> dict[str, str]:
    return {c: maps.short_name(n, "prefecture") for c, n in labels.items()}


def _region_name(f: Filters) -> str:
    if f.region == PROVINCE_CODE:
        return t("filters.whole_province")
    prefectures = cached.regions_at_level(f.data_version, "prefecture", PROVINCE_CODE)
    return _labels(prefectures, "region_code", "name").get(f.region, f.region)


def _months(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m") for v in values]


def _dates(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else pd.Timestamp(v).date().isoformat() for v in values]


render(current_filters())
