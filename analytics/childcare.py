"""Childcare (items 6 and 7 of the plan): the rules the childcare page applies, pure pandas.

* **The register rule** (:func:`fill_register_zeros`). The childcare export is the
  province's register of inclusive childcare points: one row per point, whatever its
  state (contract: ``exports/childcare_points``). The mart ``fct_indicator_month`` only
  has rows for counties that appear in it, so a prefecture without a point would read
  "no data". But a prefecture missing from a register that exists *has* reported: it has
  no point. So when the register holds at least one point of the plan year, every region
  without a row gets 0 points open, 0 places and 0 yuan paid (judged like any other 0);
  when the register holds no point of the plan year (the table is absent or empty),
  nothing was reported at all and every region stays "no data".
  The register is dated by each point's own dates (planned_on, opened_on …), as the mart
  does, not by ``reported_at``; so is the zero.
* **Pipeline states** (:func:`state_at`): a point's state on a day follows from its dates,
  latest stage first: closed (closed_on on or before the day), open (opened_on on or
  before it), under construction (construction_started_on), planned (planned_on); a point
  planned after the day is not in the pipeline yet. "Open" is exactly the mart's rule for
  ``childcare_points_open`` (opened and not closed by the day), so the pipeline's open
  band equals the indicator.
* **Places per 1,000 residents** (:func:`per_thousand`): places in open points divided by
  the 2020 census resident population, times 1,000, beside the national goal of 4.5
  places for under-3s per 1,000 *population* by 2025 (:data:`GOAL_PER_1000`).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import pandas as pd

# item 6: figures derived from the childcare register (source_table = childcare_points)
REGISTER_INDICATORS: Final = ("childcare_points_open", "childcare_funds_yuan", "childcare_places")
# item 7: provincial milestones reported in the progress export, due 30 June
MILESTONES: Final = ("childcare_demo_institutions", "caring_employers")
INDICATORS: Final = (*REGISTER_INDICATORS, *MILESTONES)

STATES: Final = ("planned", "under_construction", "open", "closed")
OPERATORS: Final = ("public", "enterprise", "community", "private_inclusive", "other")

# Population denominator: the 7th census (2020-11-01), resident basis, measure "population".
CENSUS_YEAR: Final = 2020
# National goal: 4.5 childcare places for under-3s per 1,000 population by 2025
# (全国每千人口拥有3岁以下婴幼儿托位数), 《"十四五"公共服务规划》, 国家发展改革委等, 2022-01-10;
# data/reference/sources/childcare.csv. Per 1,000 people of all ages, not per 1,000 under-3s.
GOAL_PER_1000: Final = 4.5
GOAL_YEAR: Final = 2025

PER_THOUSAND_COLUMNS: Final = [
    "region_code",
    "places",
    "has_data",
    "population",
    "per_1000",
    "places_for_goal",  # places the region would need for 4.5 per 1,000
    "share_of_goal",  # places / places_for_goal
]


def register_reported(register_points: int) -> bool:
    """Whether the register counts as a report for every region (see the module docstring)."""
    return register_points > 0


def fill_register_zeros(
    actuals: pd.DataFrame,
    region_codes: list[str],
    *,
    register_points: int,
    indicator_ids: tuple[str, ...] = REGISTER_INDICATORS,
) -> pd.DataFrame:
    """Add a 0 for every region that the register shows to have no point.

    ``actuals``: indicator_id, region_code, actual, n_rows, last_period (the shape of
    ``analytics.queries.indicator_actuals``). For each indicator in ``indicator_ids`` and
    each code in ``region_codes`` without a row, a row with actual 0 is added when the
    register holds any point (``register_points`` > 0); its ``n_rows`` is the register's
    size, the rows that show the region has none, so it counts as reported. With an empty
    register nothing is added: those regions stay "no data".
    """
    if not register_reported(register_points):
        return actuals
    have = set(zip(actuals["indicator_id"], actuals["region_code"], strict=True))
    missing = [
        {"indicator_id": i, "region_code": c, "actual": 0.0, "n_rows": register_points, "last_period": pd.NaT}
        for i in indicator_ids
        for c in region_codes
        if (i, c) not in have
    ]
    if not missing:
        return actuals
    # the added rows carry every column of ``actuals`` (numerator, denominator … stay empty)
    added = pd.DataFrame(missing).reindex(columns=list(dict.fromkeys([*actuals.columns, *missing[0]])))
    # concat with an empty frame would take its column dtypes from nothing
    return pd.concat([actuals, added], ignore_index=True) if len(actuals) else added


def milestone_due(targets: pd.DataFrame) -> dt.date | None:
    """The due date of item 7's milestones (30 June in the 2023 plan), from the targets table."""
    due = targets.loc[targets["indicator_id"].isin(MILESTONES), "due_date"].dropna()
    return pd.Timestamp(due.max()).date() if len(due) else None


# the dates that decide a point's state, latest stage first (np.select takes the first that holds)
STAGE_DATES: Final = (
    ("closed", "closed_on"),
    ("open", "opened_on"),
    ("under_construction", "construction_started_on"),
    ("planned", "planned_on"),
)


def _stage_dates(points: pd.DataFrame) -> list[np.ndarray]:
    return [pd.to_datetime(points[col]).to_numpy(dtype="datetime64[ns]") for _, col in STAGE_DATES]


def _states(dates: list[np.ndarray], day: dt.date) -> np.ndarray:
    d = np.datetime64(day, "ns")
    # a missing date (NaT) is never on or before a day
    reached = [~np.isnat(col) & (col <= d) for col in dates]
    return np.select(reached, [state for state, _ in STAGE_DATES], "")


def state_at(points: pd.DataFrame, day: dt.date) -> pd.Series:
    """Each point's state on ``day`` (one of :data:`STATES`), or None before it entered the plan.

    ``points`` needs planned_on, construction_started_on, opened_on, closed_on.
    """
    state = _states(_stage_dates(points), day)
    return pd.Series(state, index=points.index, dtype=object).replace("", None)


def pipeline(points: pd.DataFrame, ends: list[dt.date]) -> pd.DataFrame:
    """Points and places in each state at each date of ``ends`` (month ends).

    Columns: period_end, state, points, places: one row per date and state, 0 where none.
    """
    dates = _stage_dates(points)  # converted once, not once per month
    places = points["places"].to_numpy(dtype="int64")
    rows = []
    for end in ends:
        state = _states(dates, end)
        for s in STATES:
            mine = state == s
            rows.append({"period_end": end, "state": s, "points": int(mine.sum()), "places": int(places[mine].sum())})
    return pd.DataFrame(rows, columns=["period_end", "state", "points", "places"])


def points_as_of(points: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The register as it stood on ``as_of``: points planned by then, with their state that day.

    Adds ``state`` (see :func:`state_at`) and blanks the dates of events after ``as_of``
    (an opening in November is not known on 30 June). Points planned later are dropped.
    """
    state = state_at(points, as_of)
    out = points.loc[state.notna()].copy()
    out["state"] = state[state.notna()]
    day = pd.Timestamp(as_of)
    for col in ("construction_started_on", "opened_on", "closed_on", "subsidy_paid_on"):
        dates = pd.to_datetime(out[col])
        out[col] = dates.where(dates <= day)
    return out.reset_index(drop=True)


def places_by_state(points: pd.DataFrame, group_col: str, groups: list[str]) -> pd.DataFrame:
    """Places per group (region) and state from :func:`points_as_of` rows.

    Columns: ``group_col``, state, places, points; every group × state, 0 where none.
    """
    grid = pd.MultiIndex.from_product([groups, list(STATES)], names=[group_col, "state"])
    summed = points.groupby([group_col, "state"])[["places"]].sum()
    counted = points.groupby([group_col, "state"]).size().rename("points")
    out = pd.concat([summed, counted], axis=1).reindex(grid).fillna(0).astype(int).reset_index()
    return out


def per_thousand(places: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Places per 1,000 residents against the national goal.

    ``places``: region_code, places (open at the as-of date), has_data; ``population``:
    region_code, population. A region without data or without a population gets no
    figure (missing stays missing). Columns: :data:`PER_THOUSAND_COLUMNS`.
    """
    pop = population.set_index("region_code")["population"]
    out = places[["region_code", "places", "has_data"]].copy()
    out["population"] = out["region_code"].map(pop).astype(float)
    known = out["has_data"].astype(bool) & out["population"].gt(0)
    value = out["places"].astype(float)
    out["per_1000"] = (value / out["population"] * 1000).where(known)
    out["places_for_goal"] = (out["population"] * GOAL_PER_1000 / 1000).where(out["population"].gt(0))
    out["share_of_goal"] = (value / out["places_for_goal"]).where(known)
    out.loc[~out["has_data"].astype(bool), "places"] = np.nan
    return out[PER_THOUSAND_COLUMNS]


BREAKDOWN_MEASURES: Final = {
    "childcare_points_open": "points",
    "childcare_funds_yuan": "funds",
    "childcare_places": "places",
}


def breakdown(attainment: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """One row per region of ``regions`` (in its order): the three register figures side by side.

    ``attainment``: rows of ``analytics.attainment.ATTAINMENT_COLUMNS`` for the register
    indicators. Columns: region_code, then for m in points, funds, places:
    m, m_target, m_expected, m_status, m_has_data (an actual without data is NaN), and where the
    attainment rows carry them m_reached_on and m_gap.
    """
    out = regions[["region_code"]].reset_index(drop=True)
    for indicator_id, m in BREAKDOWN_MEASURES.items():
        part = attainment[attainment["indicator_id"] == indicator_id].set_index("region_code")
        has = part["has_data"].reindex(out["region_code"]).fillna(False).astype(bool).to_numpy()
        actual = pd.to_numeric(part["actual"].reindex(out["region_code"]), errors="coerce").to_numpy()
        out[m] = np.where(has, actual, np.nan)
        out[f"{m}_target"] = pd.to_numeric(part["target"].reindex(out["region_code"]), errors="coerce").to_numpy()
        out[f"{m}_expected"] = pd.to_numeric(part["expected"].reindex(out["region_code"]), errors="coerce").to_numpy()
        out[f"{m}_status"] = part["status"].reindex(out["region_code"]).fillna("no_data").to_numpy()
        out[f"{m}_has_data"] = has
        # the date a late target was reached and how far short it is, for the downloads
        for extra in ("reached_on", "gap"):
            if extra in part:
                out[f"{m}_{extra}"] = part[extra].reindex(out["region_code"]).to_numpy()
    return out
