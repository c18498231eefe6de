"""Data quality (数据质量) as data, DHIS2-style: the WHO Data Quality Review dimensions on the association's exports.

1 completeness and timeliness of the county reports, completeness of indicator data, village
coverage; 2 internal consistency: outliers and rule violations; 3/4 external consistency of the
population figures. Definitions and thresholds: analytics/quality.py (SETTINGS), quoted beside
each metric.

``view(con, filters, **choices)`` is the page's one recipe: pages/quality.py lays it out, the
benchmark times ``view(con, filters)``. The contract's checks over every published table take
about half a second and do not depend on the filters: the page keeps them once per data version
(``ui.cached.quality_contract``) and words them with :func:`contract`, asking the view with
``contract_checks=False``; by default the view runs them itself. The files the connection left
out (:func:`skipped_notice`) are the data folder's, not the connection's: the page reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics import db, queries
from analytics import quality as Q
from analytics.queries import population as population_queries
from analytics.queries import quality as quality_queries
from analytics.reporting.cycle import with_tracked_submissions
from views.filters import Filters
from views.i18n import catalog, name_col, text
from views.regions import region_names, short_name

S = Q.SETTINGS
RATES = ("completeness", "timeliness", "figure_timeliness")
COUNTS = ("expected", "received", "on_time", "late", "missing")


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str | None = None


@dataclass(frozen=True)
class Reporting:
    """1 completeness and timeliness of the county reports."""

    definition: str
    metrics: tuple[Metric, ...]
    level: str  # the level of the rows: the filters' level below
    level_name: str
    heatmap_title: str
    measures: dict[str, str]  # rate column → its name (the heatmap's choice)
    bands: dict[str, str]  # rate band → its legend text with the thresholds
    grid: pd.DataFrame  # the region's row and its sub-regions' × month, every rate (reporting_rates)
    row_col: str
    row_labels: dict[str, str]
    month_labels: tuple[str, ...]
    hover: dict[tuple[str, Any], str]  # (code, month end) → hover text
    table_title: str
    table: pd.DataFrame  # region, the counts, the rates in percent (the page's column_config names them)
    records_count: str
    records: pd.DataFrame  # every late or missing report (empty: none), headers in the filters' language
    records_name: str  # the download's file name


@dataclass(frozen=True)
class Values:
    """Completeness of the indicator data in the reports received."""

    metrics: tuple[Metric, ...]
    table: pd.DataFrame  # indicator, item, received, blank, absent, with_value, completeness (percent)
    gaps: pd.DataFrame  # every blank or absent value (empty: none), headers in the filters' language
    gaps_title: str
    gaps_name: str


@dataclass(frozen=True)
class Villages:
    metrics: tuple[Metric, ...]
    level: str
    table: pd.DataFrame  # region, units, reported, never_reported, share (percent)
    never: pd.DataFrame  # the villages that never reported (empty: none), headers in the filters' language
    never_title: str
    never_name: str


@dataclass(frozen=True)
class OutlierChart:
    """One flagged series against what it was judged by (ui.charts.quality.outlier_series)."""

    own: pd.DataFrame
    band: tuple[float, float, float] | None  # (median, low, high); None: the series cannot be scored
    flagged: pd.DataFrame  # one row per flagged month with its hover text
    peers: pd.DataFrame
    names: dict[str, str]
    y_title: str


@dataclass(frozen=True)
class Outliers:
    definition: str
    metrics: tuple[Metric, ...]
    short_history: str  # "" unless the history is too short to compare a county with its own months
    flags: pd.DataFrame  # the flagged values of the region (empty: none)
    indicator_labels: dict[str, str]
    test_labels: dict[str, str]
    indicators: dict[str, str]  # the indicator choice: "" (all) and each flagged indicator → label
    indicator: str  # the indicator chosen, fitted to the choices ("" when it is not one)
    table: pd.DataFrame  # the flagged values of that choice, headers in the filters' language
    table_name: str
    series_options: dict[str, str]  # "county|indicator" → label, each flagged series of that choice
    series: str  # the series chosen, fitted (the first when it is not one)
    chart: OutlierChart | None


@dataclass(frozen=True)
class Consistency:
    """The consistency rules of the region's records."""

    checks: int
    violations: int
    table: pd.DataFrame  # one row per rule (indexed by the rule's words): its tables and violations
    records: pd.DataFrame  # every violation (empty: none), headers in the filters' language
    records_name: str


@dataclass(frozen=True)
class Contract:
    """The contract's checks over every published table (once per data version)."""

    checks: int
    violations: int
    table: pd.DataFrame  # table, rule, violations (most violations first)
    examples: pd.DataFrame  # example rows breaking a check (empty: none), headers in the filters' language


@dataclass(frozen=True)
class External:
    definition: str
    notice: str  # "" unless there are no population files or no pairs to compare
    disagree: str  # "n / m" ("" with the notice)
    table: pd.DataFrame  # the pairs compared, headers in the filters' language
    over_time: str


@dataclass(frozen=True)
class QualityModel:
    filters: Filters
    region_name: str
    reporting: Reporting
    values: Values
    villages: Villages
    outliers: Outliers
    consistency: Consistency
    contract: Contract | None  # None: asked without the contract's checks (the page brings its own)
    external: External
    download_notes: tuple[str, ...]  # the view a download came from

    def rules_none(self, contract: Contract) -> str:
        """ "" unless no rule is broken: then how many rules were checked."""
        if contract.violations + self.consistency.violations:
            return ""
        return text("quality.rules.none", self.filters.lang, n=contract.checks + self.consistency.checks)


def _contract_checks(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    tables = quality_queries.staging_tables(con)
    return Q.contract_problems(tables, tables["regions"])


# What the page keeps once per data version (python -m benchmarks reports it apart from a view's
# cost) and the choices it then asks the view with.
ONCE_PER_VERSION = {"quality contract": _contract_checks}
PER_VIEW = {"contract_checks": False}


def view(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    *,
    outlier_indicator: str = "",
    outlier_series: str = "",
    contract_checks: bool = True,
) -> QualityModel:
    """Everything the quality page shows for ``f`` and the outlier list's choices."""
    lang = f.lang
    prefectures = queries.regions_at_level(con, level="prefecture", within=f.province)
    region = (
        text("filters.whole_province", lang)
        if f.region == f.province
        else region_names(prefectures, lang).get(f.region, f.region)
    )
    # timeliness: a county month handed in through the reporting cycle arrived when first submitted
    reports = Q.classify_reports(
        with_tracked_submissions(
            quality_queries.reports(con, plan_year=f.plan_year, as_of=f.as_of, within=f.region),
            db.data_dir_from_env(),
        )
    )
    inds = queries.indicators(con, plan_year=f.plan_year)
    names = {str(k): str(v) for k, v in zip(inds["indicator_id"], inds[name_col("name", lang)], strict=True)}
    units = {str(k): str(v) for k, v in zip(inds["indicator_id"], inds[name_col("unit", lang)], strict=True)}
    if contract_checks:
        summary, examples = _contract_checks(con)
        checks: Contract | None = contract(summary, examples, lang)
    else:
        checks = None
    return QualityModel(
        filters=f,
        region_name=region,
        reporting=_reporting(reports, region, f),
        values=_values(con, reports, f),
        villages=_villages(con, f),
        outliers=_outliers(con, names, units, f, outlier_indicator, outlier_series),
        consistency=_consistency(con, names, f),
        contract=checks,
        external=_external(con, lang),
        download_notes=(
            text("quality.download_note", lang, as_of=f.as_of.isoformat(), region=region),
            text("demo.short", lang),
        ),
    )


# --- 1 completeness and timeliness -------------------------------------------------------------


def _pct(value: object, digits: int = 1) -> str:
    """0.934 → "93.4%"; missing → "—" (ui.charts.quality.pct)."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    return f"{float(value):.{digits}%}"  # type: ignore[arg-type]


def _reporting(reports: pd.DataFrame, region: str, f: Filters) -> Reporting:
    lang, level = f.lang, f.level_below
    total = Q.reporting_rates(reports, []).iloc[0]
    metrics = (
        Metric(text("quality.reporting.expected", lang), f"{int(total['expected']):,}"),
        Metric(text("quality.reporting.received", lang), f"{int(total['received']):,}"),
        Metric(text("quality.reporting.completeness", lang), _pct(total["completeness"])),
        Metric(text("quality.reporting.timeliness", lang), _pct(total["timeliness"])),
        Metric(
            text("quality.reporting.figure_timeliness", lang),
            _pct(total["figure_timeliness"]),
            text("quality.reporting.figure_timeliness_help", lang, days=S.deadline_days),
        ),
    )
    code_col = f"{level}_code"
    labels = region_names(reports, lang, code_col=code_col, base=f"{level}_name")
    by_month = Q.reporting_rates(reports, [code_col, "period_end"])
    overall = Q.reporting_rates(reports, ["period_end"]).assign(**{code_col: f.region})
    short = {c: short_name(n, "prefecture") for c, n in labels.items()} if level == "prefecture" else labels
    rows = {f.region: region, **short}
    grid = pd.concat([overall, by_month], ignore_index=True)
    hover = {
        (str(r[code_col]), pd.Timestamp(r["period_end"]).date()): text(
            "quality.reporting.hover",
            lang,
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
    table = Q.reporting_rates(reports, [code_col])
    records = Q.report_records(reports)
    level_name = text(f"level.{level}", lang)
    bands = {
        band: text(f"quality.band.{band}", lang, target=_pct(S.reporting_target, 0), floor=_pct(S.reporting_floor, 0))
        for band in Q.RATE_BANDS
    }
    return Reporting(
        definition=text("quality.reporting.definition", lang, days=S.deadline_days),
        metrics=metrics,
        level=level,
        level_name=level_name,
        heatmap_title=text("quality.reporting.heatmap_title", lang, level=level_name),
        measures={m: text(f"quality.reporting.{m}", lang) for m in RATES},
        bands=bands,
        grid=grid,
        row_col=code_col,
        row_labels=rows,
        month_labels=tuple(text("month.names", lang).split(",")),
        hover=hover,
        table_title=text("quality.reporting.table_title", lang, level=level_name),
        table=pd.DataFrame(
            {
                "region": [labels.get(str(c), c) for c in table[code_col]],
                **{c: table[c] for c in COUNTS},
                **{c: table[c] * 100 for c in RATES},
            }
        ),
        records_count=text(
            "quality.reporting.records_count", lang, missing=int(total["missing"]), late=int(total["late"])
        ),
        records=pd.DataFrame()
        if records.empty
        else pd.DataFrame(
            {
                text("quality.col.prefecture", lang): _names(records, "prefecture_name", lang),
                text("quality.col.county", lang): _names(records, "county_name", lang),
                text("quality.col.county_code", lang): records["county_code"].to_numpy(),
                text("quality.col.month", lang): _months(records["period_end"]),
                text("quality.col.state", lang): [text(f"quality.state.{s}", lang) for s in records["state"]],
                text("quality.col.deadline", lang): _dates(records["deadline"]),
                text("quality.col.first_reported", lang): _dates(records["first_reported_at"]),
                text("quality.col.days_late", lang): ["" if pd.isna(d) else str(int(d)) for d in records["days_late"]],
            }
        ),
        records_name=f"quality_reports_{f.region}_{f.as_of.isoformat()}",
    )


def _values(con: duckdb.DuckDBPyConnection, reports: pd.DataFrame, f: Filters) -> Values:
    lang = f.lang
    inds = quality_queries.report_indicators(con, plan_year=f.plan_year)
    ids = tuple(inds["indicator_id"])
    gaps = quality_queries.indicator_gaps(
        con, plan_year=f.plan_year, as_of=f.as_of, within=f.region, indicator_ids=list(ids)
    )
    table = Q.indicator_completeness(reports, gaps, ids).merge(inds, on="indicator_id")
    table = table.sort_values(["completeness", "item_no", "display_order"], na_position="first")
    complete = table["completeness"].dropna()
    metrics = (
        Metric(text("quality.values.indicators", lang), f"{len(ids):,}"),
        Metric(text("quality.values.gaps", lang), f"{len(gaps):,}"),
        Metric(text("quality.values.lowest", lang), _pct(complete.min() if len(complete) else None)),
    )
    out = pd.DataFrame()
    if not gaps.empty:
        names = dict(zip(inds["indicator_id"], inds[name_col("name", lang)], strict=True))
        county = region_names(reports, lang, code_col="county_code", base="county_name")
        pref = region_names(reports, lang, code_col="prefecture_code", base="prefecture_name")
        out = pd.DataFrame(
            {
                text("quality.col.prefecture", lang): [pref.get(c, c) for c in gaps["prefecture_code"]],
                text("quality.col.county", lang): [county.get(c, c) for c in gaps["county_code"]],
                text("quality.col.county_code", lang): gaps["county_code"].to_numpy(),
                text("quality.col.month", lang): _months(gaps["period_end"]),
                text("quality.col.indicator", lang): [names.get(i, i) for i in gaps["indicator_id"]],
                text("quality.col.gap", lang): [text(f"quality.gap.{g}", lang) for g in gaps["gap"]],
                text("quality.col.file", lang): gaps["source_file"].to_numpy(),
            }
        )
    return Values(
        metrics=metrics,
        table=pd.DataFrame(
            {
                "indicator": table[name_col("name", lang)].to_numpy(),
                "item": table["item_no"].to_numpy(),
                **{c: table[c].to_numpy() for c in ("received", "blank", "absent", "with_value")},
                "completeness": (table["completeness"] * 100).to_numpy(),
            }
        ),
        gaps=out,
        gaps_title=text("quality.values.records", lang, n=len(out)),
        gaps_name=f"quality_indicator_gaps_{f.region}_{f.as_of.isoformat()}",
    )


def _villages(con: duckdb.DuckDBPyConnection, f: Filters) -> Villages:
    lang, level = f.lang, f.level_below
    units = quality_queries.village_units(con, plan_year=f.plan_year, as_of=f.as_of, within=f.region)
    total = Q.village_coverage(units, []).iloc[0]
    metrics = (
        Metric(text("quality.villages.units", lang), f"{int(total['units']):,}"),
        Metric(text("quality.villages.never", lang), f"{int(total['never_reported']):,}"),
        Metric(text("quality.villages.share", lang), _pct(total["never_share"])),
    )
    by = Q.village_coverage(units, [f"{level}_code"]).sort_values("never_share", ascending=False)
    labels = region_names(units, lang, code_col=f"{level}_code", base=f"{level}_name")
    never = quality_queries.villages_never_reported(con, plan_year=f.plan_year, as_of=f.as_of, within=f.region)
    out = (
        pd.DataFrame()
        if never.empty
        else pd.DataFrame(
            {
                text("quality.col.prefecture", lang): _names(never, "prefecture_name", lang),
                text("quality.col.county", lang): _names(never, "county_name", lang),
                text("quality.col.township", lang): never["township_name_zh"].to_numpy(),
                text("quality.col.village", lang): never["village_name_zh"].to_numpy(),
                text("quality.col.village_code", lang): never["region_code"].to_numpy(),
            }
        )
    )
    return Villages(
        metrics=metrics,
        level=level,
        table=pd.DataFrame(
            {
                "region": [labels.get(str(c), c) for c in by[f"{level}_code"]],
                **{c: by[c].to_numpy() for c in ("units", "reported", "never_reported")},
                "share": (by["never_share"] * 100).to_numpy(),
            }
        ),
        never=out,
        never_title=text("quality.villages.records", lang, n=len(out)),
        never_name=f"quality_villages_never_reported_{f.region}_{f.as_of.isoformat()}",
    )


# --- 2 internal consistency -------------------------------------------------------------------


def _outliers(
    con: duckdb.DuckDBPyConnection,
    names: Mapping[str, str],
    units: Mapping[str, str],
    f: Filters,
    indicator: str,
    chosen_series: str,
) -> Outliers:
    lang = f.lang
    # peers are the province's counties: scored over the province, then narrowed to the region
    series = quality_queries.series(con, plan_year=f.plan_year, as_of=f.as_of, within=f.province)
    flags = Q.outliers(series)
    if f.region != f.province:
        flags = flags[flags["prefecture_code"] == f.region]
    tests = {k: text(f"quality.test.{k}", lang) for k in Q.OUTLIER_TESTS}
    own_values = series if f.region == f.province else series[series["prefecture_code"] == f.region]
    metrics = (
        Metric(text("quality.outliers.values", lang), f"{len(own_values):,}"),
        *(
            Metric(text("quality.outliers.flagged", lang, test=tests[test]), f"{int((flags['test'] == test).sum()):,}")
            for test in Q.OUTLIER_TESTS
        ),
    )
    n_months = series["period_end"].nunique()
    # say that the comparison with the county's own months did not run, rather than "none found"
    short_history = (
        text("quality.outliers.short_history", lang, n=n_months, months=S.min_months) if n_months < S.min_months else ""
    )
    options = {"": text("quality.outliers.all", lang)} | {
        str(i): names.get(str(i), str(i)) for i in sorted(flags["indicator_id"].unique(), key=lambda i: names.get(i, i))
    }
    indicator = indicator if indicator in options else ""
    shown = flags if not indicator else flags[flags["indicator_id"] == indicator]
    counties = region_names(queries.regions_at_level(con, level="county", within=f.province), lang)
    table = pd.DataFrame(
        {
            text("quality.col.county", lang): [counties.get(c, c) for c in shown["county_code"]],
            text("quality.col.county_code", lang): shown["county_code"].to_numpy(),
            text("quality.col.indicator", lang): [names.get(i, i) for i in shown["indicator_id"]],
            text("quality.col.month", lang): _months(shown["period_end"]),
            text("quality.col.value", lang): shown["value"].to_numpy(),
            text("quality.col.median", lang): shown["median"].to_numpy(),
            text("quality.col.mad", lang): shown["mad"].to_numpy(),
            text("quality.col.score", lang): shown["score"].round(1).to_numpy(),
            text("quality.col.n", lang): shown["n"].to_numpy(),
            text("quality.col.test", lang): [tests[x] for x in shown["test"]],
        }
    )
    pairs = list(dict.fromkeys(zip(shown["county_code"], shown["indicator_id"], strict=True)))
    series_options = {f"{c}|{i}": f"{counties.get(c, c)} · {names.get(i, i)}" for c, i in pairs}
    chosen = chosen_series if chosen_series in series_options else next(iter(series_options), "")
    chart = _outlier_chart(series, flags, chosen, counties, names, units, tests, f) if chosen else None
    return Outliers(
        definition=text(
            "quality.outliers.definition", lang, threshold=S.outlier_threshold, months=S.min_months, peers=S.min_peers
        ),
        metrics=metrics,
        short_history=short_history,
        flags=flags,
        indicator_labels=dict(names),
        test_labels=tests,
        indicators=options,
        indicator=indicator,
        table=table,
        table_name=f"quality_outliers_{f.region}_{f.as_of.isoformat()}",
        series_options=series_options,
        series=chosen,
        chart=chart,
    )


def _outlier_chart(
    series: pd.DataFrame,
    flags: pd.DataFrame,
    pick: str,
    counties: Mapping[str, str],
    names: Mapping[str, str],
    units: Mapping[str, str],
    tests: Mapping[str, str],
    f: Filters,
) -> OutlierChart:
    """One flagged series drawn against what it was judged by."""
    lang = f.lang
    county, indicator = pick.split("|")
    own = series[(series["county_code"] == county) & (series["indicator_id"] == indicator)]
    peers = series[(series["indicator_id"] == indicator) & (series["county_code"] != county)]
    name, unit = names.get(indicator, indicator), units.get(indicator, "")
    return OutlierChart(
        own=own,
        band=Q.outlier_band(own),
        flagged=_flag_hover(flags[(flags["county_code"] == county) & (flags["indicator_id"] == indicator)], tests),
        peers=peers,
        names={k: text(f"quality.outliers.legend.{k}", lang) for k in ("county", "median", "band", "peers", "flagged")}
        | {"county": counties.get(county, county)},
        y_title=f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})",
    )


def _flag_hover(flagged: pd.DataFrame, tests: Mapping[str, str]) -> pd.DataFrame:
    """One row per flagged month, its hover text naming the tests that flagged it and their scores."""
    return (
        flagged.assign(_text=[f"{tests[x]}: {s:.1f}" for x, s in zip(flagged["test"], flagged["score"], strict=True)])
        .groupby("period_end", as_index=False)
        .agg(value=("value", "first"), hover=("_text", "<br>".join))
    )


def _consistency(con: duckdb.DuckDBPyConnection, names: Mapping[str, str], f: Filters) -> Consistency:
    lang = f.lang
    violations = quality_queries.consistency_violations(con)
    if f.region != f.province:
        violations = violations[violations["prefecture_code"] == f.region]
    summary = Q.consistency_summary(violations)
    records = pd.DataFrame()
    if len(violations):
        records = pd.DataFrame(
            {
                text("quality.col.rule", lang): [text(f"quality.rule.{r}", lang) for r in violations["rule_id"]],
                text("quality.col.table", lang): [_tables(x, lang) for x in violations["table_name"]],
                text("quality.col.record", lang): [
                    names.get(r, r) if tb == "progress" else r
                    for r, tb in zip(violations["record"], violations["table_name"], strict=True)
                ],
                text("quality.col.region", lang): _names(violations, "region_name", lang),
                text("quality.col.month", lang): _months(violations["period_end"]),
                text("quality.col.value", lang): violations["value"].to_numpy(),
                text("quality.col.compared", lang): violations["compared"].to_numpy(),
                text("quality.col.file", lang): violations["source_file"].to_numpy(),
            }
        )
    return Consistency(
        checks=len(summary),
        violations=int(summary["violations"].sum()),
        # the consistency rules in a static table, so their full wording wraps and stays readable
        table=pd.DataFrame(
            {
                text("quality.col.rule", lang): [text(f"quality.rule.{r}", lang) for r in summary["rule_id"]],
                text("quality.col.table", lang): [_tables(x, lang) for x in summary["tables"]],
                text("quality.col.violations", lang): summary["violations"].to_numpy(),
            }
        ).set_index(text("quality.col.rule", lang)),
        records=records,
        records_name=f"quality_consistency_{f.region}",
    )


def contract(summary: pd.DataFrame, examples: pd.DataFrame, lang: str) -> Contract:
    """The contract's checks (analytics.quality.contract_problems) in words, in ``lang``."""
    out = pd.DataFrame()
    if len(examples):
        out = pd.DataFrame(
            {
                text("quality.col.table", lang): [_tables(x, lang) for x in examples["table"]],
                text("quality.col.rule", lang): [_check_text(r, lang) for r in _example_checks(examples, summary)],
                text("quality.col.file", lang): examples["source_file"].to_numpy(),
                text("quality.col.row", lang): examples["row_in_file"].to_numpy(),
                text("quality.col.record", lang): examples["record"].to_numpy(),
                text("quality.col.column", lang): examples["column"].to_numpy(),
                text("quality.col.value", lang): examples["value"].to_numpy(),
            }
        )
    return Contract(
        checks=len(summary),
        violations=int(summary["violations"].sum()),
        table=pd.DataFrame(
            {
                "table": [_tables(x, lang) for x in summary["table"]],
                "rule": [_check_text(r, lang) for r in summary.itertuples()],
                "violations": summary["violations"].to_numpy(),
            }
        ).sort_values("violations", ascending=False, kind="stable"),
        examples=out,
    )


def _example_checks(examples: pd.DataFrame, summary: pd.DataFrame) -> list[object]:
    """The check (row of ``summary``) each example breaks, for its description."""
    by_kind = {(r.table, r.kind): r for r in summary.itertuples()}
    by_column = {(r.table, r.kind, r.column): r for r in summary.itertuples()}
    return [by_column.get((e.table, e.kind, e.column), by_kind.get((e.table, e.kind))) for e in examples.itertuples()]


def _check_text(check: object, lang: str) -> str:
    """A contract check in words."""
    kind, column, arg = check.kind, check.column, check.arg  # type: ignore[attr-defined]
    if kind == "allowed":
        return text("quality.check.allowed", lang, column=column, values=", ".join(arg))
    if kind == "le":
        return text("quality.check.le", lang, column=column, other=arg[0])
    if kind == "region_level":
        levels = text("quality.or_sep", lang).join(text(f"quality.level.{a}", lang) for a in arg)
        return text("quality.check.region_level", lang, column=column, levels=levels)
    return text(f"quality.check.{kind}", lang, column=column)


# --- 3 and 4 external consistency, population -------------------------------------------------


def _external(con: duckdb.DuckDBPyConnection, lang: str) -> External:
    pairs = Q.population_comparison(quality_queries.population_pairs(con))
    files = population_queries.population_candidates(con)["source_file"].dropna().unique()
    notice, disagree, table = "", "", pd.DataFrame()
    if not len(files):
        notice = text("quality.external.no_files", lang)
    elif pairs.empty:
        notice = text(
            "quality.external.none", lang, n=len(files), files=text("quality.list_sep", lang).join(sorted(files))
        )
    else:
        disagree = f"{int(pairs['disagrees'].sum()):,} / {len(pairs):,}"
        table = pd.DataFrame(
            {
                text("quality.col.region", lang): _names(pairs, "region_name", lang),
                text("quality.col.year", lang): pairs["year"].to_numpy(),
                # the population page's names of the measures, where it has one
                text("quality.col.measure", lang): [
                    catalog(lang).get(f"population.measure.{m}", m) for m in pairs["measure"]
                ],
                text("quality.col.value", lang): pairs["value"].to_numpy(),
                text("quality.col.file", lang): pairs["source_file"].to_numpy(),
                text("quality.col.other_value", lang): pairs["other_value"].to_numpy(),
                text("quality.col.other_file", lang): pairs["other_source_file"].to_numpy(),
                text("quality.col.difference", lang): (pairs["difference"] * 100).round(1).to_numpy(),
                text("quality.col.disagrees", lang): [
                    text("quality.yes", lang) if d else "" for d in pairs["disagrees"]
                ],
            }
        )
    status = queries.data_status(con)
    years = len(status["plan_years"].iloc[0]) if len(status) else 0
    return External(
        definition=text("quality.external.definition", lang, tolerance=_pct(S.population_tolerance, 0)),
        notice=notice,
        disagree=disagree,
        table=table,
        over_time=text(
            "quality.external.over_time_one" if years <= 1 else "quality.external.over_time_many", lang, years=years
        ),
    )


# --- files left out -----------------------------------------------------------------------------


def skipped_notice(skipped: Sequence[db.SkippedFile], lang: str) -> str:
    """ "" unless files were left out of their tables: then which, and why (the page shows it first,
    because every figure of that table on every page is then read without them)."""
    if not skipped:
        return ""
    lines = []
    for s in skipped:
        why = []
        if s.foreign:
            why.append(text("quality.skipped.foreign", lang, columns=", ".join(s.foreign)))
        if s.missing:
            why.append(text("quality.skipped.missing", lang, columns=", ".join(s.missing)))
        if s.mistyped:
            mistyped = ", ".join(f"{c} ({got} ≠ {want})" for c, got, want in s.mistyped)
            why.append(text("quality.skipped.mistyped", lang, columns=mistyped))
        lines.append(f"- `{s.file}` ({s.table}): {'; '.join(why) or text('quality.skipped.unreadable', lang)}")
    return text("quality.skipped.title", lang, n=len(skipped)) + "\n\n" + "\n".join(lines)


# --- helpers ----------------------------------------------------------------------------------


def _tables(names: str, lang: str) -> str:
    """ "progress, instructors" → the tables' names in ``lang``."""
    return text("quality.list_sep", lang).join(text(f"quality.table.{n.strip()}", lang) for n in names.split(","))


def _names(df: pd.DataFrame, base: str, lang: str) -> list[str]:
    """Each row's name in ``lang`` (Chinese where the data has none; "" where there is no name)."""
    own = name_col(base, lang)
    names = df[own].fillna(df[f"{base}_zh"]) if own in df else df[f"{base}_zh"]
    return [str(n) if pd.notna(n) else "" for n in names]


def _months(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m") for v in values]


def _dates(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else pd.Timestamp(v).date().isoformat() for v in values]
