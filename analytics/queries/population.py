"""Queries of the population page: every population file with its provenance, instructors by prefecture,
and the association's figures per resident.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics import population
from analytics.queries import PROVINCE_CODE, regions_at_level, run

CANDIDATE_COLUMNS = (
    "region_code",
    "name_zh",
    "name_en",
    "level",
    "year",
    "measure",
    "value",
    "unit",
    "basis",
    "quality",
    "reference_date",
    "source",
    "note",
    "source_file",
    "source_tier",
    "official_source",
    "is_bundled",
    "candidate_rank",
    "n_candidates",
)


def population_candidates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every population row of every file in reference/population/, ranked per key (rank 1 =
    the figure in force; the rule is in ``sql/marts/050_fct_population_candidates.sql``).

    Columns: :data:`CANDIDATE_COLUMNS` (source_file: the path inside reference/population/).
    """
    return run(con, "population_candidates")


def instructors_by_prefecture(
    con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date, within: str = PROVINCE_CODE
) -> pd.DataFrame:
    """Instructors in post as of ``as_of`` (each village's latest report), for the province ``within``
    and each of its prefectures.

    Columns: region_code, instructors_in_post, villages_reported, last_period.
    """
    return run(con, "population_instructors", plan_year=plan_year, as_of=as_of, within=within)


def association_per_capita(con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date) -> pd.DataFrame:
    """Childcare places per 1,000, instructors per 10,000 and funds per resident, for the province and
    each prefecture, as of ``as_of``, over the 2020 census population in force (the same figures
    the page shows). Columns: :data:`analytics.population.PER_CAPITA_COLUMNS`.
    """
    figures = population.in_force(population_candidates(con))
    regions = pd.concat(
        [regions_at_level(con, level=level, within=PROVINCE_CODE) for level in ("province", "prefecture")],
        ignore_index=True,
    )
    census = population.complete(figures, regions=regions, measures=["population"], years=[population.CENSUS_YEAR])
    # the province and its prefectures, the page's indicators only: one lookup in the actuals mart
    wanted = run(
        con,
        "attainment_actuals",
        plan_year=plan_year,
        as_of_dates=[as_of],
        within=PROVINCE_CODE,
        levels=["province", "prefecture"],
        indicator_ids=list(population.ASSOCIATION_INDICATORS),
        lower_levels=[],
        lower_ids=[],
    )
    instructors = instructors_by_prefecture(con, plan_year=plan_year, as_of=as_of)
    return population.per_capita(wanted, instructors, census.rename(columns={"value": "population"}))
