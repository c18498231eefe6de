"""The facts behind the overview's work-report paragraph, computed from the attainment tables.

Only numbers and lists come out of here; the wording is in the UI's catalogs (so the
paragraph exists in both languages and says nothing the numbers do not). "时间过半、
任务过半" compares each indicator's actual with its target prorated to the as-of date
(for flows: the attainment against the share of the year elapsed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analytics.attainment import expected_fraction, plan_start

JUDGED = ("done", "on_track", "at_risk", "behind", "not_yet_due", "no_data")


@dataclass(frozen=True)
class Facts:
    as_of: dt.date
    time_share: float  # share of the plan year elapsed at the as-of date
    counts: dict[str, int]  # status → number of judged indicators
    done: list[str]  # indicator ids done
    ahead_of_time: list[str]  # linear targets not yet met whose actual ≥ expected by now
    behind_time: list[str]  # linear targets whose actual < expected by now
    lagging_regions: list[tuple[str, list[str]]] = field(default_factory=list)  # (region, behind indicator ids)


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

    Indicators without a target are left out. Lagging regions are those with the most
    indicators ``behind``; ties go to the one with the lower average pace.
    """
    inds = indicators.set_index("indicator_id")

    position = {
        str(i): (int(item), int(order))
        for i, item, order in zip(inds.index, inds["item_no"], inds["display_order"], strict=True)
    }

    def order_of(indicator_id: str) -> tuple[int, int]:
        return position.get(indicator_id, (99, 99))

    judged = own[own["status"].isin(JUDGED)].copy()
    judged["order"] = judged["indicator_id"].map(order_of)
    judged = judged.sort_values("order")
    year_end = dt.date(plan_year, 12, 31)
    time_share = expected_fraction(as_of, plan_start(plan_year), year_end, "linear")
    counts = {s: int((judged["status"] == s).sum()) for s in JUDGED}
    linear = judged[judged["indicator_id"].map(lambda i: inds.loc[i, "phasing"] == "linear")]
    # "时间过半、任务过半": actual against the prorated target (for a flow that is its
    # attainment against the share of time elapsed; a coverage line starts from January)
    open_linear = linear[(linear["status"] != "done") & linear["pace"].notna()]
    ahead = open_linear[open_linear["pace"] >= 1]["indicator_id"].tolist()
    behind = open_linear[open_linear["pace"] < 1]["indicator_id"].tolist()
    lagging: list[tuple[str, list[str]]] = []
    if below is not None and len(below):
        b = below[below["status"] == "behind"]
        if len(b):
            pace = below.groupby("region_code")["pace"].mean()
            per_region = b.groupby("region_code")["indicator_id"].apply(list)
            ranked = sorted(per_region.index, key=lambda r: (-len(per_region[r]), float(pace.get(r, 0) or 0)))
            lagging = [(str(r), sorted(per_region[r], key=order_of)) for r in ranked[:max_regions]]
    return Facts(
        as_of=as_of,
        time_share=time_share,
        counts=counts,
        done=judged.loc[judged["status"] == "done", "indicator_id"].tolist(),
        ahead_of_time=ahead,
        behind_time=behind,
        lagging_regions=lagging,
    )
