"""Indicator semantics: how an actual is judged against a target at an as-of date.

This module is the single home of the rules that every page, export and briefing
shares (docs/indicators.md explains them for users):

* aggregation kinds (``sql/queries/indicator_actuals_levels.sql`` applies them per region):
  flow = sum over months and regions; stock = last value per reporting region within
  the window, then summed over regions; milestone = completions summed, done once they
  reach the target; ratio = sum of numerators / sum of denominators, composed here from
  its two component indicators, never a mean of percentages.
* target rules: ``total`` and ``coverage`` compare the region's actual with its target;
  ``every_region_at_least`` counts the regions of ``target_level`` that reached their
  minimum and lists those that did not; ``none`` is tracked, never coloured.
* expected progress: the target prorated to the as-of date, linearly from the start of
  the plan year to the due date (coverage: from the level reported at the end of
  January), or ``at_due`` (nothing expected before the due date).
* status: done / on_track / at_risk / behind / not_yet_due / no_data / no_target, with
  the thresholds in :data:`THRESHOLDS`.

Everything here is pure pandas: no DuckDB, no Streamlit, so it is tested on tiny frames.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

STATUSES: Final = ("done", "on_track", "at_risk", "behind", "not_yet_due", "no_data", "no_target")
# Worst first: the order a board sorts by and a summary counts in.
STATUS_SEVERITY: Final = {
    s: i for i, s in enumerate(("behind", "at_risk", "no_data", "on_track", "not_yet_due", "done", "no_target"))
}


@dataclass(frozen=True)
class Thresholds:
    """Ratio of actual to expected-by-now at or above which a status applies.

    0.95 rather than 1.0 for on track, because monthly reporting lags by a few days
    and a region 2 % short of a linear path is not behind in any useful sense.
    """

    on_track: float = 0.95
    at_risk: float = 0.80


THRESHOLDS: Final = Thresholds()

# A training class whose completion rate (sum of completed / sum of enrolled) is below this
# is highlighted for follow-up on the training page. Set by the dashboard, not the notice:
# fewer than 3 in 5 of those enrolled finishing a class is worth asking about.
COMPLETION_THRESHOLD: Final = 0.6


def plan_start(plan_year: int) -> dt.date:
    return dt.date(plan_year, 1, 1)


def month_ends(year: int) -> list[dt.date]:
    """The twelve month-end dates of ``year``: the periods reports are made for."""
    return [dt.date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)]


def expected_fraction(as_of: dt.date, start: dt.date, due: dt.date, proration: str) -> float:
    """Share of the target that should be reached by ``as_of`` (0 … 1).

    Days are counted inclusively, so on the due date the whole target is expected and
    on 30 June of a calendar-year target 181/365 of it is.
    """
    if proration == "at_due":
        return 1.0 if as_of >= due else 0.0
    if proration != "linear":
        raise ValueError(f"unknown proration {proration!r}")
    if as_of < start:
        return 0.0
    if as_of >= due:
        return 1.0
    return ((as_of - start).days + 1) / ((due - start).days + 1)


def expected_value(
    target: float,
    as_of: dt.date,
    *,
    plan_year: int,
    due: dt.date,
    proration: str,
    baseline: float | None = None,
) -> float:
    """The target prorated to ``as_of``.

    Flows, stocks and milestones start the year from nothing, so the expected value is
    ``target × expected_fraction``. A coverage share does not: villages had instructors
    before the plan. For coverage targets the line therefore runs from the level
    reported at the end of January (``baseline``) to the target on the due date; until
    the end of January the baseline itself is expected.
    """
    if baseline is None or proration != "linear" or baseline >= target:
        return target * expected_fraction(as_of, plan_start(plan_year), due, proration)
    baseline_date = month_ends(plan_year)[0]
    if as_of <= baseline_date:
        return baseline
    if as_of >= due:
        return target
    return baseline + (target - baseline) * (as_of - baseline_date).days / (due - baseline_date).days


def judge(
    actual: float | None,
    target: float | None,
    expected: float | None,
    *,
    has_data: bool,
    overdue: bool,
    target_rule: str,
    thresholds: Thresholds = THRESHOLDS,
) -> str:
    """The status of one indicator in one region.

    ``expected`` is the target prorated to the as-of date; ``overdue`` is true once the
    as-of date is past the due date. Missing data is ``no_data`` (grey), never behind:
    a county that did not report is a reporting problem, not a performance one.
    """
    if target_rule == "none" or target is None or pd.isna(target):
        return "no_target"
    if not has_data or actual is None or pd.isna(actual):
        return "no_data"
    if actual >= target:
        return "done"
    if overdue:
        return "behind"
    if expected is None or pd.isna(expected) or expected <= 0:
        return "not_yet_due"
    ratio = actual / expected
    if ratio >= thresholds.on_track:
        return "on_track"
    if ratio >= thresholds.at_risk:
        return "at_risk"
    return "behind"


ATTAINMENT_COLUMNS: Final = [
    "indicator_id",
    "region_code",
    "actual",
    "target",
    "expected",
    "attainment",  # actual / target
    "pace",  # actual / expected
    "due_date",
    "status",
    "has_data",
    "numerator",
    "denominator",
    "regions_total",
    "regions_reached",
    "regions_missing",  # list of region codes that have not reached a per-region minimum
]


def evaluate(
    actuals: pd.DataFrame,
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    as_of: dt.date,
    plan_year: int,
    level: str,
    region_codes: list[str],
    placement: pd.DataFrame,
    level_actuals: dict[str, pd.DataFrame] | None = None,
    baselines: Mapping[tuple[str, str], float] | None = None,
    thresholds: Thresholds = THRESHOLDS,
) -> pd.DataFrame:
    """Judge every indicator in every region of one level.

    Parameters
    ----------
    actuals:
        per-region actuals (``sql/queries/indicator_actuals_levels.sql``: indicator_id,
        region_code, actual, n_rows, numerator, denominator) for the regions judged.
    indicators, targets:
        the plan tables (targets already filtered to ``plan_year``).
    level, region_codes:
        the level being judged (province, prefecture, county) and its regions.
    placement:
        region_code with province_code, prefecture_code and county_code: where each
        region lies, so an every-region rule can count the lower regions inside a higher one.
    level_actuals:
        actuals at other levels, keyed by level name; an every-region rule whose target
        level is below the judged level is counted from these.
    baselines:
        (indicator_id, region_code) → the coverage reported at the end of January: where
        the expected line of a coverage target starts (see :func:`expected_value`).

    Returns one row per (indicator, region) with :data:`ATTAINMENT_COLUMNS`.
    """
    return Judge(indicators, targets, placement, plan_year=plan_year, thresholds=thresholds).evaluate(
        actuals, as_of=as_of, level=level, region_codes=region_codes, level_actuals=level_actuals, baselines=baselines
    )


class Judge:
    """The plan side of :func:`evaluate` (indicators, targets, where regions lie), read once.

    A page that judges several dates and levels (this month and last, the region and its
    sub-regions) prepares the plan once and judges each from it: the rules are the same,
    only the per-call preparation is not repeated.
    """

    def __init__(
        self,
        indicators: pd.DataFrame,
        targets: pd.DataFrame,
        placement: pd.DataFrame,
        *,
        plan_year: int,
        thresholds: Thresholds = THRESHOLDS,
    ) -> None:
        # Plain dicts and lists: this runs for every indicator in every region, and row-wise
        # pandas access costs more than the queries that feed it.
        self.plan_year = plan_year
        self.thresholds = thresholds
        used = ["indicator_id", "target_rule", "proration", "target_level", "is_component"]
        self.indicators = [ind for ind in indicators[used].to_dict("records") if not bool(ind["is_component"])]
        self.targets = {
            key: (_float(value), _due(due, plan_year))
            for key, (value, due) in _by_key(targets, ("target_value", "due_date")).items()
        }
        self.per_indicator: dict[str, list[tuple[str, float]]] = {}
        for (ind_id, code), (value, _due_date) in self.targets.items():
            self.per_indicator.setdefault(ind_id, []).append((code, value))
        # only the every-region indicators are read at lower levels: a county table holds all
        # indicators for ~120 counties, and keying all of it costs more than the rest together
        self.counted_ids = set(indicators.loc[indicators["target_rule"] == "every_region_at_least", "indicator_id"])
        self.placement = placement
        self._containers: dict[str, dict[Any, Any]] = {}

    def container(self, level: str) -> dict[Any, Any]:
        """region_code → the code of the region of ``level`` it lies in."""
        if level not in self._containers:
            p = self.placement
            self._containers[level] = dict(zip(p["region_code"], p[f"{level}_code"], strict=True))
        return self._containers[level]

    def evaluate(
        self,
        actuals: pd.DataFrame,
        *,
        as_of: dt.date,
        level: str,
        region_codes: list[str],
        level_actuals: dict[str, pd.DataFrame] | None = None,
        baselines: Mapping[tuple[str, str], float] | None = None,
    ) -> pd.DataFrame:
        """:func:`evaluate` for one date and level, with the plan prepared."""
        baselines = baselines or {}
        act = _by_key(actuals, ("actual", "n_rows", "numerator", "denominator"))
        lower = {
            lv: _by_key(frame[frame["indicator_id"].isin(self.counted_ids)], ("actual", "n_rows"))
            for lv, frame in (level_actuals or {}).items()
        }
        year_end = dt.date(self.plan_year, 12, 31)
        cols: dict[str, list[object]] = {c: [] for c in ATTAINMENT_COLUMNS}
        for ind in self.indicators:
            ind_id, rule = str(ind["indicator_id"]), str(ind["target_rule"])
            proration = str(ind["proration"])
            per_region = rule == "every_region_at_least" and ind["target_level"] != level
            counted = (
                _count_reached(
                    self.per_indicator.get(ind_id, []),
                    lower.get(str(ind["target_level"])),
                    ind_id,
                    self.container(level),
                )
                if per_region
                else {}
            )
            for code in region_codes:
                target_row = self.targets.get((ind_id, code))
                due = year_end if target_row is None else target_row[1]
                numerator = denominator = None
                regions_total = regions_reached = regions_missing = None
                raw_actual: object = None
                raw_target: object = None
                has_data: object = False
                if per_region:
                    c = counted.get(code)
                    if c is not None:
                        raw_actual, raw_target, has_data = c["actual"], c["target"], c["has_data"]
                        regions_total, regions_reached = c["regions_total"], c["regions_reached"]
                        regions_missing = c["regions_missing"]
                else:
                    a = act.get((ind_id, code))
                    if a is not None:
                        raw_actual, has_data = _num(a[0]), _float(a[1]) > 0
                        numerator, denominator = _num(a[2]), _num(a[3])
                    raw_target = None if target_row is None else target_row[0]
                actual = _num(raw_actual)
                target = _num(raw_target)
                baseline = baselines.get((ind_id, code)) if rule == "coverage" else None
                expected = (
                    None
                    if target is None
                    else expected_value(
                        target, as_of, plan_year=self.plan_year, due=due, proration=proration, baseline=baseline
                    )
                )
                cols["indicator_id"].append(ind_id)
                cols["region_code"].append(code)
                cols["actual"].append(actual)
                cols["target"].append(target)
                cols["expected"].append(expected)
                cols["attainment"].append(_safe_div(actual, target))
                cols["pace"].append(_safe_div(actual, expected))
                cols["due_date"].append(due)
                cols["status"].append(
                    judge(
                        actual,
                        target,
                        expected,
                        has_data=bool(has_data),
                        overdue=as_of > due,
                        target_rule=rule,
                        thresholds=self.thresholds,
                    )
                )
                cols["has_data"].append(bool(has_data))
                cols["numerator"].append(numerator)
                cols["denominator"].append(denominator)
                cols["regions_total"].append(regions_total)
                cols["regions_reached"].append(regions_reached)
                cols["regions_missing"].append(regions_missing)
        if not cols["indicator_id"]:
            return pd.DataFrame([], columns=ATTAINMENT_COLUMNS)
        return pd.DataFrame(cols, columns=ATTAINMENT_COLUMNS)


def _by_key(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """(indicator_id, region_code) → the values of ``columns`` (absent columns read as None)."""
    cols = [frame[c].tolist() if c in frame else [None] * len(frame) for c in columns]
    keys = zip(frame["indicator_id"].tolist(), frame["region_code"].tolist(), strict=True)
    return (
        {(str(i), str(r)): values for (i, r), values in zip(keys, zip(*cols, strict=True), strict=True)}
        if len(frame)
        else {}
    )


def _count_reached(
    members_targets: list[tuple[str, float]],
    lower: Mapping[tuple[str, str], tuple[Any, ...]] | None,
    indicator_id: str,
    container: Mapping[Any, Any],
) -> dict[str, dict[str, object]]:
    """For an every-region rule: per judged region, how many member regions reached their minimum.

    Members are the regions that carry a per-region target and lie inside the judged
    region; a member that did not report counts as not reached (and is listed).
    """
    lower = lower or {}
    result: dict[str, dict[str, Any]] = {}
    for code, minimum in members_targets:
        parent = container.get(code)
        if parent is None or pd.isna(parent) or parent == code:
            continue
        slot = result.setdefault(str(parent), {"members": [], "reached": [], "has_data": False})
        slot["members"].append(code)
        actual, n_rows = lower.get((indicator_id, code), (None, 0))[:2]
        slot["has_data"] = slot["has_data"] or _float(n_rows or 0) > 0
        value = _num(actual)
        if value is not None and value >= minimum:
            slot["reached"].append(code)
    return {
        parent: {
            "actual": float(len(slot["reached"])),
            "target": float(len(slot["members"])),
            "has_data": slot["has_data"],
            "regions_total": len(slot["members"]),
            "regions_reached": len(slot["reached"]),
            "regions_missing": sorted(set(slot["members"]) - set(slot["reached"])),
        }
        for parent, slot in result.items()
    }


def _due(due: object, plan_year: int) -> dt.date:
    if type(due) is dt.date:  # what DuckDB and Parquet give; the general path below is slower
        return due
    if due is not None and pd.notna(due):  # type: ignore[call-overload]
        return pd.Timestamp(due).date()  # type: ignore[arg-type]
    return dt.date(plan_year, 12, 31)


def _float(v: Any) -> float:
    """float() of a pandas scalar (typed loosely by pandas-stubs)."""
    return float(v)


def _num(v: object) -> float | None:
    if v is None or pd.isna(v):  # type: ignore[call-overload]
        return None
    return float(v)  # type: ignore[arg-type]


def _safe_div(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b
