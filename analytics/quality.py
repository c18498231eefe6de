"""Data quality (数据质量): the WHO Data Quality Review metrics, as DHIS2 implements them, on the exports.

The page follows the four DQR dimensions (WHO, *Data Quality Review*, 2017; the page's own
captions, which quote the definitions below):

1. **Completeness and timeliness of reporting.** A *county report* is a county-level reporting
   unit's monthly progress export (its rows of ``exports/progress`` for the month; statistical
   zones report through their host county). Expected = every county-level unit × every month
   from January to the as-of date; received = the county sent any row for the month; on time =
   it reached the association by the deadline (:attr:`QualitySettings.deadline_days` after the
   month end). Completeness of indicator data = received reports with a value for the
   indicator / received reports. Village coverage = village-level units (the instructors export
   is per village) that never reported, out of every village-level unit of the region table.
2. **Internal consistency.** Outliers by the modified z-score (median and median absolute
   deviation, robust on a 12-month series where one wild month inflates a standard deviation and
   hides itself): a county's month against its own months, and against the province's counties
   in the same month. Consistency between related fields and indicators: the rules
   in ``sql/queries/quality_consistency_violations.sql`` (:data:`CONSISTENCY_RULES`) beside the
   contract's own rules (:mod:`analytics.validate`).
3. and 4. **External consistency and population denominators.** The same population figure from
   two files of ``reference/population/`` compared within :attr:`QualitySettings.population_tolerance`.

Every threshold is in :data:`SETTINGS`, the one place they are set; the page shows each one next
to the metric that uses it. Pure pandas and numpy: no DuckDB, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from analytics.contract import TABLES, Table
from analytics.validate import Problem, check_values


@dataclass(frozen=True)
class QualitySettings:
    """The thresholds of the data quality page, each shown on the page beside its metric."""

    # A month's report is due by the 5th of the next month: month end + 5 days. The notice sets no
    # reporting deadline; the 5th is the DQR guidance's example and the rule the demo exports
    # follow ("within 5 days after month end", analytics/demo.py).
    deadline_days: int = 5
    # Reporting rates at or above the target are good, between the floor and the target fair,
    # below the floor poor: 90 % is the benchmark WHO's DQR and DHIS2 dashboards commonly use
    # for completeness and timeliness of facility reporting; 80 % marks a real gap.
    reporting_target: float = 0.90
    reporting_floor: float = 0.80
    # Modified z-score |0.6745 (x - median) / MAD| at or above which a value is an outlier
    # (Iglewicz and Hoaglin's 3.5). Chosen over the DQR's 2-3 standard deviations because a
    # year has at most 12 months: one wild month inflates the standard deviation enough to
    # hide itself, while the median and the MAD do not move.
    outlier_threshold: float = 3.5
    # Only values far ABOVE what is usual are flagged: an inflated figure is the error that
    # changes a judgement (a county looks ahead), while a low month of a flow is mostly a quiet
    # month, and a report that did not come is dimension 1's finding, not an outlier.
    flag_low_values: bool = False
    # A county's own history is scored only with at least this many months that have a value:
    # the median of fewer says little about what is usual.
    min_months: int = 6
    # Peers are the counties of the province in the same month, scored only when at least this
    # many have a value. The province rather than the prefecture: a prefecture has 4 to 13
    # counties, and the MAD of 5 values is often tiny by chance (3 of them close together),
    # which turned ordinary values into "extreme" ones in a first version.
    min_peers: int = 10
    # Two sources of the same population figure agree when they differ by at most this share
    # of the figure in force (DQR's comparison of denominators uses ±10 %).
    population_tolerance: float = 0.10


SETTINGS: Final = QualitySettings()

# 0.6745 is the 0.75 quantile of the standard normal: it makes the MAD comparable with a
# standard deviation, so a modified z-score reads like a z-score.
MAD_SCALE: Final = 0.6745

REPORT_STATES: Final = ("on_time", "late", "missing")
RATE_BANDS: Final = ("on_track", "at_risk", "behind", "no_data")  # named after the status colours they use
GAPS: Final = ("blank", "absent")
OUTLIER_TESTS: Final = ("history", "peers")

# The consistency rules quality_consistency_violations.sql checks, in the order the page lists
# them, with the table each reads. Keep in step with the SQL file (a unit test checks both ways).
CONSISTENCY_RULES: Final = (
    ("ratio_numerator_le_denominator", "progress"),
    ("progress_indicator_reported", "progress"),
    ("period_in_plan_year", "progress, instructors"),
    ("reported_after_period", "progress, instructors"),
    ("childcare_status_dates", "childcare_points"),
    ("childcare_date_order", "childcare_points"),
    ("training_status_dates", "trainings"),
    ("participants_of_held_class", "training_participants"),
)


def deadline(period_end: dt.date, settings: QualitySettings = SETTINGS) -> dt.date:
    """The date by which the report for the month ending ``period_end`` is due."""
    return period_end + dt.timedelta(days=settings.deadline_days)


# --- 1 completeness and timeliness of reporting -------------------------------------------


def classify_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """Each expected county report as on time, late or missing.

    ``reports`` is ``quality_reports.sql`` (one row per county and month expected, with figures,
    first_reported_at and deadline). A report is received when it has any figure; it is on time
    when it first reached the association by the deadline: the report had arrived, and figures
    sent after it are counted apart (``figures_on_time``). Adds: received, state (on_time | late
    | missing), days_late (days after the deadline, late reports only).
    """
    out = reports.copy()
    received = out["figures"].fillna(0).astype(int) > 0
    first = pd.to_datetime(out["first_reported_at"])
    due = pd.to_datetime(out["deadline"])
    on_time = received & (first <= due)
    out["received"] = received
    out["state"] = np.where(on_time, "on_time", np.where(received, "late", "missing"))
    late_days = (first - due).dt.days
    out["days_late"] = late_days.where(received & ~on_time).astype("Int64")
    return out


def reporting_rates(classified: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Reporting completeness and timeliness per group of ``by`` (all reports when empty).

    Columns: the ``by`` columns, expected, received, on_time, late, missing, completeness
    (received / expected), timeliness (on time / expected, the DQR definition: a report not
    received is not on time either), figures, figures_on_time and figure_timeliness (figures
    that reached the association by the deadline / figures received).
    """
    frame = classified.assign(
        _n=1,
        _received=classified["received"].astype(int),
        _on_time=(classified["state"] == "on_time").astype(int),
        _late=(classified["state"] == "late").astype(int),
    )
    sums = {
        "expected": ("_n", "sum"),
        "received": ("_received", "sum"),
        "on_time": ("_on_time", "sum"),
        "late": ("_late", "sum"),
        "figures": ("figures", "sum"),
        "figures_on_time": ("figures_on_time", "sum"),
    }
    if by:
        out = frame.groupby(list(by), sort=True, dropna=False).agg(**sums).reset_index()  # type: ignore[call-overload]
    else:
        out = pd.DataFrame({k: [frame[c].sum()] for k, (c, _) in sums.items()})
    out["missing"] = out["expected"] - out["received"]
    out["completeness"] = _ratio(out["received"], out["expected"])
    out["timeliness"] = _ratio(out["on_time"], out["expected"])
    out["figure_timeliness"] = _ratio(out["figures_on_time"], out["figures"])
    cols = [*by, "expected", "received", "on_time", "late", "missing", "completeness", "timeliness"]
    return out[[*cols, "figures", "figures_on_time", "figure_timeliness"]]


def rate_band(rate: float | None, settings: QualitySettings = SETTINGS) -> str:
    """The colour band of a reporting rate: on_track (≥ target), at_risk (≥ floor), behind, no_data."""
    if rate is None or pd.isna(rate):
        return "no_data"
    if rate >= settings.reporting_target:
        return "on_track"
    if rate >= settings.reporting_floor:
        return "at_risk"
    return "behind"


def report_records(classified: pd.DataFrame) -> pd.DataFrame:
    """The records behind the rates: every expected report that is late or missing, worst first."""
    out = classified[classified["state"] != "on_time"].copy()
    out["_order"] = out["state"].map({"missing": 0, "late": 1})
    out = out.sort_values(["_order", "prefecture_code", "county_code", "period_end"])
    return out.drop(columns="_order").reset_index(drop=True)


def indicator_completeness(classified: pd.DataFrame, gaps: pd.DataFrame, indicator_ids: Sequence[str]) -> pd.DataFrame:
    """Completeness of indicator data: received reports with a value for the indicator / received reports.

    ``gaps`` is ``quality_indicator_gaps.sql`` (one row per received report and indicator
    without a value, gap = blank | absent). Columns: indicator_id, received, blank, absent,
    with_value, completeness (null when no report was received).
    """
    received = int(classified["received"].sum())
    # (indicator, gap) → how many received reports miss the indicator that way
    counts: dict[tuple[str, str], int] = {}
    for iid, gap in zip(gaps["indicator_id"], gaps["gap"], strict=True):
        counts[(str(iid), str(gap))] = counts.get((str(iid), str(gap)), 0) + 1
    rows = []
    for iid in indicator_ids:
        blank, absent = counts.get((iid, "blank"), 0), counts.get((iid, "absent"), 0)
        with_value = received - blank - absent
        rows.append(
            {
                "indicator_id": iid,
                "received": received,
                "blank": blank,
                "absent": absent,
                "with_value": with_value,
                "completeness": with_value / received if received else None,
            }
        )
    columns = ["indicator_id", "received", "blank", "absent", "with_value", "completeness"]
    return pd.DataFrame(rows, columns=columns)


def village_coverage(units: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Village-level units that never reported, per group of ``by`` (all units when empty).

    ``units`` is ``quality_village_units.sql`` (one row per county: units, reported,
    never_reported). Columns: the ``by`` columns, units, reported, never_reported,
    never_share (never reported / units; null for a region without village-level units).
    """
    cols = ["units", "reported", "never_reported"]
    if by:
        out = units.groupby(list(by), sort=True)[cols].sum().reset_index()
    else:
        out = pd.DataFrame({c: [int(units[c].sum())] for c in cols})
    out["never_share"] = _ratio(out["never_reported"], out["units"])
    return out


# --- 2 internal consistency: outliers -------------------------------------------------------

OUTLIER_COLUMNS: Final = [
    "county_code",
    "prefecture_code",
    "indicator_id",
    "period_end",
    "value",
    "test",  # history: against the county's own months; peers: against the province's counties that month
    "median",
    "mad",
    "score",
    "n",  # values the median and MAD were taken over
    "direction",  # above | below
]


def modified_z(values: Sequence[float]) -> tuple[float, float, list[float | None]]:
    """Median, median absolute deviation and modified z-score 0.6745 (x - median) / MAD of each value.

    With a MAD of 0 (more than half the values equal) no value can be scored: the scores are None.
    """
    x = np.asarray(values, dtype=float)
    median = float(np.median(x))
    mad = float(np.median(np.abs(x - median)))
    if mad == 0:
        return median, mad, [None] * len(x)
    return median, mad, [float(s) for s in MAD_SCALE * (x - median) / mad]


def _flagged(
    series: pd.DataFrame, group: list[str], minimum: int, test: str, settings: QualitySettings
) -> pd.DataFrame:
    """The values of ``series`` whose modified z-score within their group of ``group`` (of at least
    ``minimum`` values) reaches the threshold, with the group's median, MAD, size and the score."""
    # group ids once, then plain arrays: keying 37,000 values by strings per step cost more than the scoring
    ids = series.groupby(group, sort=False).ngroup().to_numpy()
    values = series["value"].to_numpy(dtype=float)
    by = pd.Series(values).groupby(ids)
    n = by.transform("size").to_numpy()
    median = by.transform("median").to_numpy()
    mad = pd.Series(np.abs(values - median)).groupby(ids).transform("median").to_numpy()
    scorable = (n >= minimum) & (mad > 0)
    score = np.full(len(values), np.nan)
    score[scorable] = MAD_SCALE * (values[scorable] - median[scorable]) / mad[scorable]
    size = np.abs(score) if settings.flag_low_values else score
    hit = np.flatnonzero(scorable & (size >= settings.outlier_threshold))
    return series.iloc[hit].assign(test=test, median=median[hit], mad=mad[hit], score=score[hit], n=n[hit].astype(int))


def outliers(series: pd.DataFrame, settings: QualitySettings = SETTINGS) -> pd.DataFrame:
    """Values far from the county's own months or from its peers that month, with what they were compared with.

    ``series`` is ``quality_series.sql`` (county_code, prefecture_code, province_code,
    indicator_id, period_end, value) for the whole province: peers are counted over all of it. A
    value is flagged when its modified z-score is at least ``outlier_threshold``, either

    * **history**: among the county's own months of the indicator (at least ``min_months``), or
    * **peers**: among the counties of its province that month (at least ``min_peers``).

    Only scores above the median count unless ``flag_low_values``. A group whose MAD is 0 is
    not scored (see :func:`modified_z`). Returns :data:`OUTLIER_COLUMNS`, largest scores first.
    """
    if series.empty:
        return pd.DataFrame(columns=OUTLIER_COLUMNS)
    base = series[["county_code", "prefecture_code", "province_code", "indicator_id", "period_end", "value"]]
    parts = [
        _flagged(base, ["county_code", "indicator_id"], settings.min_months, "history", settings),
        _flagged(base, ["province_code", "indicator_id", "period_end"], settings.min_peers, "peers", settings),
    ]
    flagged = pd.concat(parts, ignore_index=True)
    flagged["direction"] = np.where(flagged["score"] > 0, "above", "below")
    flagged = flagged.assign(_abs=flagged["score"].abs()).sort_values(
        ["_abs", "county_code", "indicator_id", "period_end"], ascending=[False, True, True, True]
    )
    return flagged[OUTLIER_COLUMNS].reset_index(drop=True)


def outlier_band(series: pd.DataFrame, settings: QualitySettings = SETTINGS) -> tuple[float, float, float] | None:
    """(median, low, high) of one county's series: values above high (below low, when low values are
    flagged) score as outliers against the county's own months.

    None when the series cannot be scored (fewer than ``min_months`` values, or a MAD of 0).
    """
    values = series["value"].dropna().to_list()
    if len(values) < settings.min_months:
        return None
    median, mad, _ = modified_z(values)
    if mad == 0:
        return None
    half = settings.outlier_threshold * mad / MAD_SCALE
    return median, median - half, median + half


# --- 2 internal consistency: rules ------------------------------------------------------------

CHECK_KINDS: Final = ("required", "key", "allowed", "non_negative", "month_end", "le", "region_known", "region_level")


@dataclass(frozen=True)
class Check:
    """One contract rule as the page lists it: the table, what is checked, on which column(s)."""

    table: str
    kind: str  # one of CHECK_KINDS
    column: str  # the column; for required and key the columns, joined with ", "
    arg: tuple[str, ...] = ()  # allowed values, the other column (le), the levels (region_level)


def contract_checks(tables: Mapping[str, Table] = TABLES) -> list[Check]:
    """Every check :func:`analytics.validate.check_values` makes, table by table."""
    checks: list[Check] = []
    for name, table in tables.items():
        required = [f.name for f in table.schema if not f.nullable]
        checks.append(Check(name, "required", ", ".join(required)))
        checks.append(Check(name, "key", ", ".join(table.key)))
        for rule in table.rules:
            arg = rule.arg
            if rule.check == "region_level":
                levels = tuple(str(a) for a in arg)  # type: ignore[attr-defined]
                checks.append(Check(name, "region_known", rule.column))
                checks.append(Check(name, "region_level", rule.column, levels))
            elif rule.check == "allowed":
                checks.append(Check(name, "allowed", rule.column, tuple(str(a) for a in arg)))  # type: ignore[attr-defined]
            elif rule.check == "le":
                checks.append(Check(name, "le", rule.column, (str(arg),)))
            else:
                checks.append(Check(name, rule.check, rule.column))
    return checks


def problem_kind(problem: Problem) -> str:
    """Which of :data:`CHECK_KINDS` a problem from :func:`analytics.validate.check_values` is.

    validate.py words its reasons for people; this reads them back (tests/unit/test_quality.py
    breaks every kind once, so a reworded reason fails there).
    """
    reason = problem.reason
    if reason == "empty value in a required column":
        return "required"
    if reason == "duplicate key":
        return "key"
    if reason == "negative value":
        return "non_negative"
    if reason.startswith("not an allowed value"):
        return "allowed"
    if reason == "not the last day of a month":
        return "month_end"
    if reason == "code not in the region table":
        return "region_known"
    if reason.startswith("region is a"):
        return "region_level"
    return "le"


CONTRACT_EXAMPLE_COLUMNS: Final = ["table", "kind", "column", "row", "source_file", "row_in_file", "record", "value"]


def contract_problems(
    tables: Mapping[str, pd.DataFrame], regions: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the contract's checks over the published tables.

    ``tables`` maps a contract table name to its staging rows (the contract's columns plus
    source_file). Returns (checks, examples):

    * checks: one row per :class:`Check` of the tables given, with violations (rows that break
      it; 0 when none): columns table, kind, column, arg, violations;
    * examples: the rows behind each problem, at most ``validate.MAX_EXAMPLES`` per problem:
      :data:`CONTRACT_EXAMPLE_COLUMNS` (row = position in the table, 1-based; row_in_file the
      position in its file; record = the row's key values).
    """
    found: dict[tuple[str, str, str], int] = {}
    examples: list[dict[str, object]] = []
    for name, df in tables.items():
        table = TABLES[name]
        frame = df.reset_index(drop=True)
        files = frame["source_file"] if "source_file" in frame else pd.Series([None] * len(frame))
        row_in_file = frame.groupby(files.fillna(""), sort=False).cumcount() + 1 if len(frame) else files
        data = frame.drop(columns=[c for c in frame.columns if c not in table.schema.names])
        for problem, positions in _checked(table, data, files, regions):
            kind = problem_kind(problem)
            column = ", ".join(f.name for f in table.schema if not f.nullable) if kind == "required" else problem.column
            if kind == "key":
                column = ", ".join(table.key)
            found[(name, kind, column)] = found.get((name, kind, column), 0) + problem.n_rows
            for row in (positions[r] for r in problem.rows):
                value = frame.at[row, problem.column] if problem.column in frame else problem.value
                examples.append(
                    {
                        "table": name,
                        "kind": kind,
                        "column": problem.column,
                        "row": row + 1,
                        "source_file": files.iloc[row],
                        "row_in_file": int(row_in_file.iloc[row]),
                        "record": " / ".join(_text(frame.at[row, k]) for k in table.key if k in frame),
                        "value": _text(value) if kind != "key" else problem.value,
                    }
                )
    checks = [c for c in contract_checks() if c.table in tables]
    summary = pd.DataFrame(
        {
            "table": [c.table for c in checks],
            "kind": [c.kind for c in checks],
            "column": [c.column for c in checks],
            "arg": [c.arg for c in checks],
            "violations": [found.get((c.table, c.kind, c.column), 0) for c in checks],
        }
    )
    return summary, pd.DataFrame(examples, columns=CONTRACT_EXAMPLE_COLUMNS)


# Tables whose files may hold the same key on purpose: an association's population export
# replaces or extends the bundled compilation key by key, and population_candidates.sql chooses
# the figure in force. Their key must be unique within each file, not over all of them.
PER_FILE_KEY_TABLES: Final = ("population",)


def _checked(
    table: Table, data: pd.DataFrame, files: pd.Series, regions: pd.DataFrame | None
) -> list[tuple[Problem, list[int]]]:
    """check_values over ``data`` (per file for :data:`PER_FILE_KEY_TABLES`), each problem with the
    positions in ``data`` of the rows its ``rows`` number."""
    if table.name not in PER_FILE_KEY_TABLES or files.nunique(dropna=False) <= 1:
        return [(p, list(range(len(data)))) for p in check_values(table, data, regions)]
    out: list[tuple[Problem, list[int]]] = []
    for _, part in data.groupby(files.fillna("").to_numpy(), sort=True):
        positions = [int(i) for i in part.index]
        out += [(p, positions) for p in check_values(table, part, regions)]
    return out


def consistency_summary(violations: pd.DataFrame) -> pd.DataFrame:
    """Every rule of :data:`CONSISTENCY_RULES` with its number of violating records (0 when none).

    Columns: rule_id, tables, violations.
    """
    counts = violations["rule_id"].value_counts() if len(violations) else pd.Series(dtype=int)
    return pd.DataFrame(
        {
            "rule_id": [r for r, _ in CONSISTENCY_RULES],
            "tables": [t for _, t in CONSISTENCY_RULES],
            "violations": [int(counts.get(r, 0)) for r, _ in CONSISTENCY_RULES],
        }
    )


# --- 3 and 4 external consistency, population denominators ------------------------------------


def population_comparison(pairs: pd.DataFrame, settings: QualitySettings = SETTINGS) -> pd.DataFrame:
    """Each pair of ``quality_population_pairs.sql`` with difference = (other − in force) / in force
    and disagrees = |difference| > ``population_tolerance``."""
    out = pairs.copy()
    base = out["value"].astype(float)
    out["difference"] = ((out["other_value"].astype(float) - base) / base.where(base != 0)).astype(float)
    out["disagrees"] = out["difference"].abs() > settings.population_tolerance
    return out


# --- helpers ------------------------------------------------------------------------------------


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den as floats, null where den is 0 (no report expected is no data, not 0 %)."""
    n = num.astype(float)
    d = den.astype(float)
    return (n / d.where(d != 0)).astype(float)


def _text(value: object) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    if isinstance(value, pd.Timestamp):
        # dates of the contract are days: 2023-01-31, not 2023-01-31 00:00:00
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return str(value)
