"""Workforce and training (items 9, 14 and 28): the pure rules behind the training page.

* Instructor coverage: every village-level unit of the region table is in the denominator;
  a unit is *covered* when its latest report up to the as-of date has at least
  :data:`MIN_INSTRUCTORS` instructors in post, *short* when it has fewer, and *no report*
  when it has not reported by then. The three add up to all units. The SQL counts them
  (``sql/queries/training_coverage_month.sql``); the share is computed here.
* Classes: a class's state at the as-of date (held once it has ended), each kind against
  its deadline, judged for the plan's own classes by :mod:`analytics.attainment`.
* Completion: sum(completed) / sum(enrolled), summed before dividing, never a mean of rates;
  classes below :data:`analytics.attainment.COMPLETION_THRESHOLD` are flagged.

Pure pandas: no DuckDB, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import pandas as pd

from analytics.attainment import COMPLETION_THRESHOLD

# Item 9: "每个村（社区）至少有2名家庭健康指导员". The mart behind the attainment table
# (sql/marts/040_fct_indicator_month.sql) counts the same ">= 2"; a test checks that the page's
# coverage and the attainment table's instructor_coverage agree.
MIN_INSTRUCTORS: Final = 2

CATEGORIES: Final = ("covered", "short", "no_report")
KINDS: Final = ("instructor_trainer", "youth_trainer", "capacity_building", "other")
# The plan's classes are the province's own (level province); each kind of them is a milestone
# indicator judged by analytics.attainment. "other" classes are not in the plan.
KIND_INDICATOR: Final = {
    "instructor_trainer": "instructor_trainer_class_held",
    "youth_trainer": "youth_trainer_class_held",
    "capacity_building": "capacity_class_held",
}
COVERAGE_INDICATOR: Final = "instructor_coverage"
BASES_INDICATOR: Final = "youth_demo_bases_new"
# what the page judges: it asks the shared attainment query for these only
JUDGED_INDICATORS: Final = (COVERAGE_INDICATOR, BASES_INDICATOR, *KIND_INDICATOR.values())
CLASS_STATES: Final = ("held", "in_progress", "planned", "cancelled")
# The participants' rates, each a sum over a sum (never a mean of rates): the completion rate the
# page shows and flags, and the attendance rate (people who came at least once) the explorer adds.
# The explorer composes both from these components (analytics/explorer.TRAINING_MEASURES).
RATES: Final = {"completion": ("completed", "enrolled"), "attendance": ("attended", "enrolled")}
BREAKDOWNS: Final = ("prefecture", "county", "class")


def window_start(kind: str, plan_year: int) -> dt.date:
    """First day a class of ``kind`` may count from: item 14 puts the youth trainer class in
    the second half (下半年), so 1 July; every other kind from 1 January."""
    return dt.date(plan_year, 7, 1) if kind == "youth_trainer" else dt.date(plan_year, 1, 1)


def with_share(coverage: pd.DataFrame) -> pd.DataFrame:
    """Add ``reported`` (covered + short) and ``share`` (covered / units_total).

    A region none of whose units has reported reads 0 % (0 of its known units), as it counts
    inside its parent: the province's "no report 1,797" and 湘西's own row are one figure.
    That it has not reported is said beside the figure (``reported`` is 0; the attainment
    table's status is no_data, or overdue_no_report after the due date), never by a blank.
    The share is missing only for a region with no units at all.
    """
    out = coverage.copy()
    out["reported"] = out["covered"] + out["short"]
    out["share"] = out["covered"] / out["units_total"].where(out["units_total"] > 0)
    return out


def at_month(coverage: pd.DataFrame, period_end: dt.date | None = None) -> pd.DataFrame:
    """The rows of ``coverage`` at ``period_end`` (default: its latest month)."""
    if coverage.empty:
        return coverage
    ends = pd.to_datetime(coverage["period_end"])
    when = ends.max() if period_end is None else pd.Timestamp(period_end)
    return coverage[ends == when]


def filter_short(short: pd.DataFrame, *, county: str | None = None, category: str | None = None) -> pd.DataFrame:
    """The short-of-2 list narrowed to one reporting county and/or one category (None: all)."""
    keep = pd.Series(True, index=short.index)
    if county:
        keep &= short["county_code"] == county
    if category:
        keep &= short["category"] == category
    return short[keep]


def class_states(classes: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Add ``state`` at ``as_of`` (held | in_progress | planned | cancelled) and the dates a timeline draws.

    The export holds each class's latest state; at an earlier as-of date a class that ended
    later was not yet held. ``shown_start``/``shown_end`` are the actual dates once held or
    running, else the planned start.
    """
    out = classes.copy()
    as_of_ts = pd.Timestamp(as_of)
    start = pd.to_datetime(out["start_date"])
    end = pd.to_datetime(out["end_date"])
    planned = pd.to_datetime(out["planned_start"])
    held = (out["status"] == "held") & end.notna() & (end <= as_of_ts)
    running = (out["status"] == "held") & start.notna() & (start <= as_of_ts) & ~held
    state = pd.Series("planned", index=out.index, dtype=object)
    state[held] = "held"
    state[running] = "in_progress"
    state[out["status"] == "cancelled"] = "cancelled"
    out["state"] = state
    shown = held | running
    out["shown_start"] = start.where(shown, planned)
    out["shown_end"] = end.where(shown, planned)
    return out


def kind_summary(classes: pd.DataFrame, plan_rows: pd.DataFrame, *, plan_year: int) -> pd.DataFrame:
    """Planned against held, per kind of class, with the plan's deadline and status.

    ``classes``: output of :func:`class_states`. ``plan_rows``: the province's attainment rows
    (indicator_id, status, due_date) of the milestone indicators in :data:`KIND_INDICATOR`.
    Returns one row per kind in :data:`KINDS`: kind, classes (not cancelled), held,
    in_progress, planned, cancelled, plan_classes and plan_held (the province's own),
    plan_held_early (the province's held classes that started before the kind's window),
    window_start, due_date (None for kinds outside the plan), plan_status (no_target for them).
    """
    plan_by_id = {str(r.indicator_id): r for r in plan_rows.itertuples(index=False)}
    rows = []
    for kind in KINDS:
        mine = classes[classes["kind"] == kind]
        counts = mine["state"].value_counts()
        own = mine[mine["level"] == "province"]
        opens = window_start(kind, plan_year)
        own_held = own[own["state"] == "held"]
        early = own_held[pd.to_datetime(own_held["start_date"]) < pd.Timestamp(opens)]
        indicator = KIND_INDICATOR.get(kind)
        plan = plan_by_id.get(indicator) if indicator is not None else None
        rows.append(
            {
                "kind": kind,
                "classes": int(len(mine) - counts.get("cancelled", 0)),
                **{s: int(counts.get(s, 0)) for s in CLASS_STATES},
                "plan_classes": int((own["state"] != "cancelled").sum()),
                "plan_held": len(own_held),
                "plan_held_early": len(early),
                "window_start": opens if indicator is not None else None,
                "due_date": None if plan is None else _date(plan.due_date),
                "plan_status": "no_target" if plan is None else str(plan.status),
            }
        )
    return pd.DataFrame(rows)


def _date(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


_BREAKDOWN_KEYS: Final = {
    "prefecture": ["prefecture_code", "prefecture_name_zh", "prefecture_name_en"],
    "county": [
        "prefecture_code",
        "prefecture_name_zh",
        "prefecture_name_en",
        "county_code",
        "county_name_zh",
        "county_name_en",
    ],
    "class": [
        "class_id",
        "title_zh",
        "kind",
        "class_level",
        "organiser_code",
        "organiser_name_zh",
        "organiser_name_en",
        "end_date",
    ],
}


def completion(participants: pd.DataFrame, by: str, threshold: float = COMPLETION_THRESHOLD) -> pd.DataFrame:
    """Enrolled, attended, completed and the completion rate per prefecture, county or class.

    ``participants``: output of :func:`analytics.queries.training.participants`. The rate is
    sum(completed) / sum(enrolled) over the group's rows, summed before dividing; it is missing
    where nobody enrolled. Columns: the group's key columns, enrolled, attended, completed,
    dropped (enrolled - completed), rate, below (rate under ``threshold``).
    """
    keys = _BREAKDOWN_KEYS[by]
    sums = participants.groupby(keys, dropna=False, sort=True)[["enrolled", "attended", "completed"]].sum()
    out = sums.reset_index()
    for col in ("enrolled", "attended", "completed"):
        out[col] = out[col].astype("int64")
    out["dropped"] = out["enrolled"] - out["completed"]
    numerator, denominator = RATES["completion"]
    out["rate"] = out[numerator] / out[denominator].where(out[denominator] > 0)
    out["below"] = out["rate"] < threshold
    return out


def total_completion(participants: pd.DataFrame) -> dict[str, float | int | None]:
    """The whole region's enrolled, attended, completed and rate (summed before dividing)."""
    enrolled = int(participants["enrolled"].sum())
    completed = int(participants["completed"].sum())
    return {
        "enrolled": enrolled,
        "attended": int(participants["attended"].sum()),
        "completed": completed,
        "rate": completed / enrolled if enrolled else None,
    }


def bases_by_prefecture(attainment_rows: pd.DataFrame) -> pd.DataFrame:
    """New youth health demonstration bases per prefecture, from the prefecture-level attainment rows.

    Returns region_code, bases (missing when the prefecture has not reported: no data, not 0),
    target, reached (bases ≥ target), status.
    """
    rows = attainment_rows[attainment_rows["indicator_id"] == BASES_INDICATOR]
    out = pd.DataFrame(
        {
            "region_code": rows["region_code"].astype(str),
            "bases": rows["actual"].where(rows["has_data"].astype(bool)).astype("float64"),
            "target": rows["target"].astype("float64"),
            "status": rows["status"].astype(str),
        }
    )
    out["reached"] = (out["bases"] >= out["target"]).fillna(False).astype(bool)
    return out.reset_index(drop=True)
