"""Queries of the childcare page (items 6 and 7): the register of points, population, attainment.

Attainment goes through the same path as every other page (``indicator_actuals`` for the
actuals, ``analytics.attainment.evaluate`` for expected-by-now and status), with one rule
added: the register rule of :mod:`analytics.childcare` (a region absent from a register
that exists has 0 points, not "no data").
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics import attainment, childcare
from analytics.queries import (
    PROVINCE_CODE,
    indicator_actuals,
    indicators,
    regions_at_level,
    run,
    targets,
)


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


def attainment_table(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_year: int,
    as_of: dt.date,
    level: str,
    within: str = PROVINCE_CODE,
) -> pd.DataFrame:
    """The five childcare indicators judged in every region of ``level`` inside ``within``.

    Columns: :data:`analytics.attainment.ATTAINMENT_COLUMNS`. Same actuals, proration and
    status rules as ``analytics.queries.attainment_table``, plus the register rule.
    """
    inds = indicators(con, plan_year=plan_year)
    inds = inds[inds["indicator_id"].isin(childcare.INDICATORS)]
    tgts = targets(con, plan_year=plan_year)
    tgts = tgts[tgts["indicator_id"].isin(childcare.INDICATORS)]
    regions = regions_at_level(con, level=level, within=within)
    codes = list(regions["region_code"])
    raw = indicator_actuals(con, plan_year=plan_year, as_of=as_of, level=level, within=within)
    raw = raw[raw["indicator_id"].isin(childcare.INDICATORS)].reset_index(drop=True)
    filled = childcare.fill_register_zeros(raw, codes, register_points=register_points(con, plan_year=plan_year))
    # none of the five is a ratio, so the actuals need no composing before they are judged
    return attainment.evaluate(
        filled,
        inds,
        tgts,
        as_of=as_of,
        plan_year=plan_year,
        level=level,
        region_codes=codes,
        # where each region lies only matters to every-region rules, which none of the five has
        placement=regions[["region_code", "province_code", "prefecture_code", "county_code"]],
    )


def places_per_thousand(con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date) -> pd.DataFrame:
    """Places per 1,000 residents for the province (first row) and each prefecture.

    Columns: :data:`analytics.childcare.PER_THOUSAND_COLUMNS` plus level.
    """
    parts = []
    for level in ("province", "prefecture"):
        table = attainment_table(con, plan_year=plan_year, as_of=as_of, level=level)
        places = table[table["indicator_id"] == "childcare_places"].rename(columns={"actual": "places"})
        parts.append(places.assign(level=level))
    per = childcare.per_thousand(pd.concat(parts, ignore_index=True), population(con))
    per["level"] = pd.concat(parts, ignore_index=True)["level"].to_numpy()
    return per
