"""The facts behind the overview's work-report paragraph, computed from the attainment tables.

Only numbers and lists come out of here; the wording is in the UI's catalogs (so the
paragraph exists in both languages and says nothing the numbers do not). Every verdict
the paragraph states is the status of the attainment table (:data:`analytics.attainment.
STATUSES`), never a test of its own: "落后于时间进度 / behind the time elapsed" means the
status ``behind`` or ``at_risk`` (both only before the due date); a target whose due date
has passed is named as missed, done late or overdue with no report, as its status says.
Each list holds every indicator of its status, so a count and its list always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analytics.attainment import STATUSES, expected_fraction, judged_date, plan_start

# Every status but no_target (tracked, never judged), in the order the paragraph states them:
# what is settled by the calendar first, then the pace, then what cannot be judged yet.
JUDGED: tuple[str, ...] = (
    "done",
    "done_late",
    "missed",
    "overdue_no_report",
    "on_track",
    "at_risk",
    "behind",
    "not_yet_due",
    "no_data",
)
if set(JUDGED) != set(STATUSES) - {"no_target"}:  # a status added to the model must be worded here
    raise ImportError("analytics.narrative.JUDGED does not cover analytics.attainment.STATUSES")
# Statuses that make a region "lagging": out of time without reaching the target, or behind.
LAGGING: tuple[str, ...] = ("missed", "behind")


@dataclass(frozen=True)
class Lagging:
    """A sub-region with targets missed or behind: the ids of each, in plan order."""

    region_code: str
    missed: list[str]
    behind: list[str]

    @property
    def total(self) -> int:
        return len(self.missed) + len(self.behind)


@dataclass(frozen=True)
class Facts:
    as_of: dt.date
    judged_on: dt.date  # the last complete month end on or before as_of: what the statuses judge
    time_share: float  # share of the plan year elapsed at the judged date
    counts: dict[str, int]  # status (each of JUDGED) → number of indicators with it
    by_status: dict[str, list[str]]  # status → every indicator id with it, in plan order
    reached_on: dict[str, dt.date] = field(default_factory=dict)  # done_late id → month end first reached
    lagging_regions: list[Lagging] = field(default_factory=list)

    @property
    def judged(self) -> int:
        """Indicators with a quantitative target: the counts add up to it."""
        return sum(self.counts.values())


def facts(
    own: pd.DataFrame,
    below: pd.DataFrame | None,
    indicators: pd.DataFrame,
    *,
    as_of: dt.date,
    plan_year: int,
    max_regions: int = 3,
) -> Facts:
    """Facts for one region's attainment table (``own``) and its sub-regions' (``below``).

    Indicators without a target are left out. Lagging regions are the sub-regions with the
    most indicators missed or behind (together); ties go to the one with the lower average
    pace, then to the lower code.
    """
    position = {
        str(i): (int(item), int(order))
        for i, item, order in zip(
            indicators["indicator_id"], indicators["item_no"], indicators["display_order"], strict=True
        )
    }

    def order_of(indicator_id: str) -> tuple[int, int, str]:
        return (*position.get(indicator_id, (99, 99)), indicator_id)

    judged = own[own["status"].isin(JUDGED)]
    by_status = {
        s: sorted((str(i) for i in judged.loc[judged["status"] == s, "indicator_id"]), key=order_of) for s in JUDGED
    }
    late = judged[judged["status"] == "done_late"]
    reached_on = {
        str(i): pd.Timestamp(d).date()
        for i, d in zip(late["indicator_id"], late["reached_on"], strict=True)
        if pd.notna(d)
    }
    judged_on = judged_date(as_of, plan_year)
    time_share = expected_fraction(judged_on, plan_start(plan_year), dt.date(plan_year, 12, 31), "linear")
    lagging: list[Lagging] = []
    if below is not None and len(below):
        bad = below[below["status"].isin(LAGGING)]
        if len(bad):
            pace = below.groupby("region_code")["pace"].mean()
            per_region = [
                Lagging(
                    str(code),
                    sorted((str(i) for i in g.loc[g["status"] == "missed", "indicator_id"]), key=order_of),
                    sorted((str(i) for i in g.loc[g["status"] == "behind", "indicator_id"]), key=order_of),
                )
                for code, g in bad.groupby("region_code")
            ]

            def rank(lag: Lagging) -> tuple[int, float, str]:
                p = pace.get(lag.region_code)
                return (-lag.total, float(p) if p is not None and pd.notna(p) else 0.0, lag.region_code)

            lagging = sorted(per_region, key=rank)[:max_regions]
    return Facts(
        as_of=as_of,
        judged_on=judged_on,
        time_share=time_share,
        counts={s: len(ids) for s, ids in by_status.items()},
        by_status=by_status,
        reached_on=reached_on,
        lagging_regions=lagging,
    )
