"""Queries of the childcare page (items 6 and 7): the register of points, population, attainment.

Attainment goes through the same path as every other page (the shared actuals lookup
``attainment_actuals``, then ``analytics.attainment.Judge`` for expected-by-now
and status), with one rule added: the register rule of :mod:`analytics.childcare` (a
region absent from a register that exists has 0 points, not "no data").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import childcare
from analytics.queries import PROVINCE_CODE, run, targets
from analytics.queries import attainment_tables as shared_attainment_tables


def points(con: duckdb.DuckDBPyConnection, *, plan_year: int, within: str = PROVINCE_CODE) -> pd.DataFrame:
    """Every childcare point of ``plan_year`` inside ``within`` (latest state, as exported).

    Columns: point_id, plan_year, region_code, region_name_zh, region_name_en, county_code,
    county_name_zh, county_name_en, prefecture_code, prefecture_name_zh, prefecture_name_en,
    name_zh, operator_type, places, subsidy_yuan, status, planned_on,
    construction_started_on, opened_on, closed_on, subsidy_paid_on, reported_at.
    """
    return run(con, "childcare_points", plan_year=plan_year, within=within)


def register(con: duckdb.DuckDBPyConnection, *, plan_year: int) -> pd.DataFrame:
    """One row. Columns: points (in the export for ``plan_year``), first_reported_at, last_reported_at."""
    return run(con, "childcare_register", plan_year=plan_year)


def register_points(con: duckdb.DuckDBPyConnection, *, plan_year: int) -> int:
    """How many points of ``plan_year`` the register holds, province-wide."""
    return int(register(con, plan_year=plan_year)["points"].iloc[0])


def population(con: duckdb.DuckDBPyConnection, *, year: int = childcare.CENSUS_YEAR) -> pd.DataFrame:
    """Census resident population of the province and the prefectures.

    Columns: region_code, population, reference_date, quality, source.
    """
    return run(con, "childcare_population", year=year)


def attainment_tables(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_year: int,
    as_ofs: tuple[dt.date, ...],
    levels: tuple[str, ...],
    within: str = PROVINCE_CODE,
    plan_targets: pd.DataFrame | None = None,
    level_within: Mapping[str, str] | None = None,
) -> dict[tuple[dt.date, str], pd.DataFrame]:
    """The five childcare indicators judged in every region of each level inside ``within``,
    at each date, from one scan of the facts.

    Each value has the columns :data:`analytics.attainment.ATTAINMENT_COLUMNS`: the judgement of
    ``analytics.queries.attainment_tables`` (one recipe), plus the register rule. ``plan_targets``:
    the targets of ``plan_year`` when the caller has them already; ``level_within``: a narrower
    region for some levels (the counties of one prefecture), judged from the same scan.
    """
    n_register = register_points(con, plan_year=plan_year)

    def fill(actuals: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
        return childcare.fill_register_zeros(actuals, codes, register_points=n_register)

    tables = shared_attainment_tables(
        con,
        plan_year=plan_year,
        as_ofs=as_ofs,
        levels=levels,
        within=within,
        indicator_ids=tuple(childcare.INDICATORS),
        plan_targets=plan_targets,
        level_within=level_within,
        fill_actuals=fill,
    )
    # item 7's milestones are the province's own: below it they are neither reported nor targeted
    return {
        (as_of, level): (
            frame
            if level == "province"
            else frame[frame["indicator_id"].isin(childcare.REGISTER_INDICATORS)].reset_index(drop=True)
        )
        for (as_of, level), frame in tables.items()
    }


def attainment_table(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_year: int,
    as_of: dt.date,
    level: str,
    within: str = PROVINCE_CODE,
) -> pd.DataFrame:
    """:func:`attainment_tables` for one date and one level."""
    tables = attainment_tables(con, plan_year=plan_year, as_ofs=(as_of,), levels=(level,), within=within)
    return tables[(as_of, level)]


@dataclass(frozen=True)
class Overview:
    """What the childcare page shows for the province and the prefectures at an as-of date."""

    province: pd.DataFrame  # judged, the province (attainment columns)
    prefectures: pd.DataFrame  # judged, every prefecture
    milestones_at_due: pd.DataFrame  # the province judged on item 7's due date; empty until it has passed
    per_thousand: pd.DataFrame  # places per 1,000 residents: province first, then the prefectures
    counties: pd.DataFrame  # judged, the counties of the chosen prefecture (none for the province)


def overview(
    con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date, region: str = PROVINCE_CODE
) -> Overview:
    """Province and prefectures (and the counties of ``region`` when it is a prefecture), at
    ``as_of`` and on item 7's due date, from one scan."""
    tgts = targets(con, plan_year=plan_year)
    due = childcare.milestone_due(tgts)
    late = due is not None and as_of > due
    as_ofs = (as_of, due) if late and due is not None else (as_of,)
    levels = ("province", "prefecture") if region == PROVINCE_CODE else ("province", "prefecture", "county")
    tables = attainment_tables(
        con, plan_year=plan_year, as_ofs=as_ofs, levels=levels, plan_targets=tgts, level_within={"county": region}
    )
    province, prefectures = tables[(as_of, "province")], tables[(as_of, "prefecture")]
    counties = tables[(as_of, "county")] if "county" in levels else prefectures.iloc[:0]
    at_due = tables[(due, "province")] if late and due is not None else province.iloc[:0]
    places = pd.concat([province, prefectures], ignore_index=True)
    places = places[places["indicator_id"] == "childcare_places"].rename(columns={"actual": "places"})
    per = childcare.per_thousand(places, population(con))
    return Overview(province, prefectures, at_due[at_due["indicator_id"].isin(childcare.MILESTONES)], per, counties)


def places_per_thousand(con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date) -> pd.DataFrame:
    """Places per 1,000 residents for the province (first row) and each prefecture.

    Columns: :data:`analytics.childcare.PER_THOUSAND_COLUMNS`.
    """
    return overview(con, plan_year=plan_year, as_of=as_of).per_thousand
