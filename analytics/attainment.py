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
* expected progress follows each target's phasing: ``linear`` (the target prorated by
  days from the start of the plan year to the due date; coverage from the level reported
  at the end of January), ``step`` (nothing before the due date) or ``schedule``
  (cumulative values the association sets); countable units expect whole numbers.
* the judged date is the last complete month end on or before the as-of date.
* status (:data:`STATUSES`): before the due date the pace decides (done / on_track /
  at_risk / behind, not_yet_due, no_data); on and after it the calendar does (done,
  done_late, missed, overdue_no_report); no_target is never judged. Thresholds in
  :data:`THRESHOLDS`.

Everything here is pure pandas: no DuckDB, no Streamlit, so it is tested on tiny frames.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

# The status set, defined once (docs/indicators.md, "Statuses"). Before a target's due date:
# done, on_track, at_risk, behind, not_yet_due, no_data; on or after it: done (reached by
# the due date), done_late (reached after it), missed (not reached), overdue_no_report (no
# report at all). no_target: tracked, never judged.
STATUSES: Final = (
    "done",
    "done_late",
    "on_track",
    "at_risk",
    "behind",
    "missed",
    "overdue_no_report",
    "not_yet_due",
    "no_data",
    "no_target",
)
# Statuses only reachable once the due date has come: what the calendar says, not the pace.
AFTER_DUE: Final = ("done", "done_late", "missed", "overdue_no_report")
# Worst first: the order a board sorts by, a card shows when several statuses meet, and a
# follow-up list ranks in. A missed target outranks one merely behind: it has run out of time.
STATUS_SEVERITY: Final = {
    s: i
    for i, s in enumerate(
        (
            "missed",
            "overdue_no_report",
            "behind",
            "at_risk",
            "no_data",
            "on_track",
            "not_yet_due",
            "done_late",
            "done",
            "no_target",
        )
    )
}
WORST_FIRST: Final = tuple(sorted(STATUS_SEVERITY, key=STATUS_SEVERITY.__getitem__))
# Statuses that call for action (a follow-up list holds these) and statuses that mean the
# target is reached.
NEEDS_ACTION: Final = ("missed", "overdue_no_report", "behind", "at_risk")
REACHED: Final = ("done", "done_late")

# How expected-by-now grows (docs/indicators.md, "Phasing"): linear for divisible amounts
# (时间过半、任务过半), step for indivisible one-offs (nothing expected before the due date),
# schedule for cumulative values the association sets per month or quarter.
PHASINGS: Final = ("linear", "step", "schedule")
# Units whose amounts are whole things (points, classes, events): their expected values are
# whole numbers, rounded down: nobody is expected to have 9.9 points, and a region 0.9 of a
# point short of a prorated line has not missed a point. Yuan and shares are divisible.
DIVISIBLE_UNITS: Final = frozenset({"元", "%"})


@dataclass(frozen=True)
class Thresholds:
    """Ratio of actual to expected-by-now at or above which a status applies.

    The association's choice, written in each year's plan workbook (设置 settings); these are
    the blank template's defaults. 0.95 rather than 1.0 for on track, because monthly
    reporting lags by a few days and a region 2 % short of a linear path is not behind in any
    useful sense.
    """

    on_track: float = 0.95
    at_risk: float = 0.80


# The template's default thresholds (analytics/plan/template.py writes them into a new workbook);
# a plan year is judged with its own (PlanSettings), these only where no plan row says otherwise.
THRESHOLDS: Final = Thresholds()

# A training class whose completion rate (sum of completed / sum of enrolled) is below this
# is highlighted for follow-up on the training page: the template's default; each plan year's
# own share is the plan workbook's (PlanSettings.completion_share). Fewer than 3 in 5 of those
# enrolled finishing a class is worth asking about.
COMPLETION_THRESHOLD: Final = 0.6


@dataclass(frozen=True)
class PlanSettings:
    """One plan year's judgement settings, from its row of the ``plans`` table (docs/plan.md);
    the defaults are the template's, for a plan year no workbook has set (older data)."""

    thresholds: Thresholds = THRESHOLDS
    completion_share: float = COMPLETION_THRESHOLD


DEFAULT_SETTINGS: Final = PlanSettings()


def plan_start(plan_year: int) -> dt.date:
    return dt.date(plan_year, 1, 1)


def month_ends(year: int) -> list[dt.date]:
    """The twelve month-end dates of ``year``: the periods reports are made for."""
    return [dt.date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)]


def judged_date(as_of: dt.date, plan_year: int) -> dt.date:
    """The date an as-of date is judged at: the last complete month end on or before it.

    Reports are monthly, so on 15 July the data runs through 30 June and is compared with
    what was expected on 30 June, not on 15 July (which would count two weeks no report
    can yet show). A month end is its own judged date. Before the first month of the plan
    year has ended there is no complete month: the as-of date itself is used (nothing is
    expected yet, and nothing is reported).
    """
    if as_of == dt.date(as_of.year, as_of.month, calendar.monthrange(as_of.year, as_of.month)[1]):
        return as_of
    previous = as_of.replace(day=1) - dt.timedelta(days=1)
    return previous if previous >= plan_start(plan_year) else as_of


def expected_fraction(as_of: dt.date, start: dt.date, due: dt.date, phasing: str) -> float:
    """Share of the target that should be reached by ``as_of`` (0 … 1), for linear and step.

    Days are counted inclusively, so on the due date the whole target is expected and
    on 30 June of a calendar-year target 181/365 of it is.
    """
    if phasing == "step":
        return 1.0 if as_of >= due else 0.0
    if phasing != "linear":
        raise ValueError(f"expected_fraction: phasing {phasing!r} is not linear or step")
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
    phasing: str,
    baseline: float | None = None,
    schedule: tuple[tuple[dt.date, float], ...] = (),
    whole: bool = False,
) -> float:
    """What should have been reached by ``as_of`` under the target's ``phasing``.

    * linear: ``target × expected_fraction``. Flows, stocks and milestones start the year
      from nothing; a coverage share does not (villages had instructors before the plan),
      so with a ``baseline`` the line runs from the level reported at the end of January to
      the target on the due date, and until the end of January the baseline is expected.
    * step: nothing before the due date, the whole target from it on.
    * schedule: the cumulative value of the last scheduled point on or before ``as_of``
      (0 before the first); the whole target from the due date on.

    ``whole``: the unit counts whole things, so the value is rounded down (a line reaching
    9.92 points on 30 June expects 9).
    """
    if as_of >= due:
        value = target
    elif phasing == "step":
        value = 0.0
    elif phasing == "schedule":
        points = [v for d, v in sorted(schedule) if d <= as_of]
        value = min(points[-1], target) if points else 0.0
    elif phasing == "linear":
        if baseline is None or baseline >= target:
            value = target * expected_fraction(as_of, plan_start(plan_year), due, phasing)
        else:
            baseline_date = month_ends(plan_year)[0]
            if as_of <= baseline_date:
                value = baseline
            else:
                value = baseline + (target - baseline) * (as_of - baseline_date).days / (due - baseline_date).days
    else:
        raise ValueError(f"unknown phasing {phasing!r}")
    # a hair of tolerance: 20 × 365/365 computed in floats must stay 20, not 19
    return float(math.floor(value + 1e-9)) if whole else value


def judge(
    actual: float | None,
    target: float | None,
    expected: float | None,
    *,
    has_data: bool,
    due_reached: bool,
    reached_late: bool = False,
    target_rule: str,
    thresholds: Thresholds = THRESHOLDS,
) -> str:
    """The status of one indicator in one region.

    ``due_reached``: the judged date is on or after the due date, so the calendar decides:
    done (reached by the due date), done_late (``reached_late``: reached only after it),
    missed (reported, not reached), overdue_no_report (nothing reported). Before it the
    pace decides: done, on_track, at_risk, behind against ``expected``; not_yet_due while
    nothing is expected yet; no_data (grey, a reporting problem rather than a performance
    one) while nothing is reported.
    """
    if target_rule == "none" or target is None or pd.isna(target):
        return "no_target"
    value = None if actual is None or pd.isna(actual) or not has_data else float(actual)
    if due_reached:
        if value is None:
            return "overdue_no_report"
        if value >= target:
            return "done_late" if reached_late else "done"
        return "missed"
    if value is None:
        return "no_data"
    if value >= target:
        return "done"
    if expected is None or pd.isna(expected) or expected <= 0:
        return "not_yet_due"
    ratio = value / expected
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
    "regions_missing",  # region codes that have not reached a per-region minimum (reported or not)
    "regions_unreported",  # of those, the ones with no report at all
    "phasing",  # linear | step | schedule: how expected grows (the target's own)
    "judged_on",  # the date judged: the last complete month end on or before the as-of date
    "reached_on",  # for a target reached after its due date: the month end it was first reached
    "gap",  # target − actual where not reached (in the indicator's unit); expected − actual before due
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
    reached_on: Mapping[tuple[str, str], dt.date] | None = None,
    schedules: pd.DataFrame | None = None,
    thresholds: Thresholds = THRESHOLDS,
) -> pd.DataFrame:
    """Judge every indicator in every region of one level.

    Parameters
    ----------
    actuals:
        per-region actuals (``sql/queries/indicator_actuals_levels.sql``: indicator_id,
        region_code, actual, n_rows, numerator, denominator) for the regions judged, as of
        the judged date (:func:`judged_date` of ``as_of``).
    indicators, targets:
        the plan tables (targets already filtered to ``plan_year``); a target's ``phasing``
        column, when present, overrides its indicator's.
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
    reached_on:
        (indicator_id, region_code) → the first date the target was reached, for targets
        whose due date lies before the judged date: reached after the due date is done_late.
    schedules:
        indicator_id, region_code, period_end, cumulative_value: the points of targets
        phased by ``schedule``.

    Returns one row per (indicator, region) with :data:`ATTAINMENT_COLUMNS`.
    """
    judged = Judge(
        indicators, targets, placement, plan_year=plan_year, schedules=schedules, thresholds=thresholds
    ).evaluate(
        actuals,
        as_of=as_of,
        level=level,
        region_codes=region_codes,
        level_actuals=level_actuals,
        baselines=baselines,
    )
    return mark_late(judged, reached_on or {})


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
        schedules: pd.DataFrame | None = None,
        thresholds: Thresholds = THRESHOLDS,
    ) -> None:
        # Plain dicts and lists: this runs for every indicator in every region, and row-wise
        # pandas access costs more than the queries that feed it.
        self.plan_year = plan_year
        self.thresholds = thresholds
        used = ["indicator_id", "target_rule", "phasing", "target_level", "is_component", "unit_zh"]
        self.indicators = [ind for ind in indicators[used].to_dict("records") if not bool(ind["is_component"])]
        default_phasing = dict(zip(indicators["indicator_id"], indicators["phasing"], strict=True))
        if "phasing" not in targets:
            targets = targets.assign(phasing=targets["indicator_id"].map(default_phasing))
        self.targets = {
            key: (_float(value), _due(due, plan_year), str(ph) if isinstance(ph, str) else default_phasing.get(key[0]))
            for key, (value, due, ph) in _by_key(targets, ("target_value", "due_date", "phasing")).items()
        }
        self.per_indicator: dict[str, list[tuple[str, float]]] = {}
        for (ind_id, code), (value, _due_date, _ph) in self.targets.items():
            self.per_indicator.setdefault(ind_id, []).append((code, value))
        self.schedules: dict[tuple[str, str], tuple[tuple[dt.date, float], ...]] = {}
        if schedules is not None and len(schedules):
            for key, group in schedules.groupby(["indicator_id", "region_code"]):
                ind_key, code_key = key  # type: ignore[misc]
                self.schedules[(str(ind_key), str(code_key))] = tuple(
                    (_due(d, plan_year), float(v))
                    for d, v in zip(group["period_end"], group["cumulative_value"], strict=True)
                )
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

    def due_dates(self) -> set[dt.date]:
        """Every due date of the plan's targets."""
        return {due for _value, due, _ph in self.targets.values()}

    def evaluate(
        self,
        actuals: pd.DataFrame,
        *,
        as_of: dt.date,
        level: str,
        region_codes: list[str],
        level_actuals: dict[str, pd.DataFrame] | None = None,
        baselines: Mapping[tuple[str, str], float] | None = None,
        only: set[str] | None = None,
    ) -> pd.DataFrame:
        """:func:`evaluate` for one date and level, with the plan prepared, without reach dates:
        a target reached reads done; :func:`mark_late` marks those reached after their due date.

        ``only``: judge these indicators only (the others are left out of the result).
        """
        baselines = baselines or {}
        judged_on = judged_date(as_of, self.plan_year)
        act = _by_key(actuals, ("actual", "n_rows", "numerator", "denominator"))
        lower = {
            lv: _by_key(frame[frame["indicator_id"].isin(self.counted_ids)], ("actual", "n_rows"))
            for lv, frame in (level_actuals or {}).items()
        }
        year_end = dt.date(self.plan_year, 12, 31)
        cols: dict[str, list[object]] = {c: [] for c in ATTAINMENT_COLUMNS}
        for ind in self.indicators:
            ind_id, rule = str(ind["indicator_id"]), str(ind["target_rule"])
            if only is not None and ind_id not in only:
                continue
            per_region = rule == "every_region_at_least" and ind["target_level"] != level
            # counts of regions and counts of things are whole; yuan and shares are not
            whole = per_region or (str(ind["unit_zh"]) not in DIVISIBLE_UNITS and rule != "coverage")
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
                phasing = str(ind["phasing"]) if target_row is None or not target_row[2] else str(target_row[2])
                numerator = denominator = None
                regions_total = regions_reached = regions_missing = regions_unreported = None
                raw_actual: object = None
                raw_target: object = None
                has_data: object = False
                if per_region:
                    c = counted.get(code)
                    if c is not None:
                        raw_actual, raw_target, has_data = c["actual"], c["target"], c["has_data"]
                        regions_total, regions_reached = c["regions_total"], c["regions_reached"]
                        regions_missing, regions_unreported = c["regions_missing"], c["regions_unreported"]
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
                        target,
                        judged_on,
                        plan_year=self.plan_year,
                        due=due,
                        phasing=phasing,
                        baseline=baseline,
                        schedule=self.schedules.get((ind_id, code), ()),
                        whole=whole,
                    )
                )
                due_reached = judged_on >= due
                status = judge(
                    actual,
                    target,
                    expected,
                    has_data=bool(has_data),
                    due_reached=due_reached,
                    target_rule=rule,
                    thresholds=self.thresholds,
                )
                cols["indicator_id"].append(ind_id)
                cols["region_code"].append(code)
                cols["actual"].append(actual)
                cols["target"].append(target)
                cols["expected"].append(expected)
                cols["attainment"].append(_safe_div(actual, target))
                cols["pace"].append(_safe_div(actual, expected))
                cols["due_date"].append(due)
                cols["status"].append(status)
                cols["has_data"].append(bool(has_data))
                cols["numerator"].append(numerator)
                cols["denominator"].append(denominator)
                cols["regions_total"].append(regions_total)
                cols["regions_reached"].append(regions_reached)
                cols["regions_missing"].append(regions_missing)
                cols["regions_unreported"].append(regions_unreported)
                cols["phasing"].append(phasing if target is not None else None)
                cols["judged_on"].append(judged_on)
                cols["reached_on"].append(None)  # set by mark_late
                cols["gap"].append(_gap(actual, target, expected, status))
        if not cols["indicator_id"]:
            return pd.DataFrame([], columns=ATTAINMENT_COLUMNS)
        return pd.DataFrame(cols, columns=ATTAINMENT_COLUMNS)


def mark_late(table: pd.DataFrame, reached_on: Mapping[tuple[str, str], dt.date]) -> pd.DataFrame:
    """``table`` (judged by :meth:`Judge.evaluate`) with each target reached only after its due
    date turned from done into done_late and its reach date set (``judge``'s calendar rule: a
    target done on or after its due date is done late when first reached after it)."""
    if not reached_on or table.empty:
        return table
    keys = list(zip(table["indicator_id"], table["region_code"], strict=True))
    when = [reached_on.get((str(i), str(c))) for i, c in keys]
    late = [
        status == "done" and reached is not None and reached > _due(due, reached.year)
        for status, reached, due in zip(table["status"], when, table["due_date"], strict=True)
    ]
    if not any(late):
        return table
    out = table.copy()
    flags = pd.Series(late, index=out.index)
    out.loc[flags, "status"] = "done_late"
    out["reached_on"] = [r if f else old for r, f, old in zip(when, late, out["reached_on"], strict=True)]
    return out


def _gap(actual: float | None, target: float | None, expected: float | None, status: str) -> float | None:
    """How far short, in the indicator's unit: of the target once it is due, of the
    expected value before (what a follow-up list asks a region to make up)."""
    if status in ("missed", "overdue_no_report"):
        return None if target is None else target - (actual or 0.0)
    if status in ("behind", "at_risk") and expected is not None:
        return expected - (actual or 0.0)
    return None


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
        slot = result.setdefault(str(parent), {"members": [], "reached": [], "unreported": [], "has_data": False})
        slot["members"].append(code)
        actual, n_rows = lower.get((indicator_id, code), (None, 0))[:2]
        reported = _float(n_rows or 0) > 0
        slot["has_data"] = slot["has_data"] or reported
        if not reported:
            slot["unreported"].append(code)
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
            "regions_unreported": sorted(slot["unreported"]),
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
