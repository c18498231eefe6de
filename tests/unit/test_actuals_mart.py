"""The actuals mart (sql/marts/060_fct_indicator_actuals.sql) gives the same figures as
aggregating the facts at request time.

``indicator_actuals_scan.sql`` beside this file is the query the pages ran before the mart
existed: the aggregation kinds applied to ``fct_indicator_month`` for the dates asked for. The
lookups that replaced it (indicator_actuals_levels.sql, attainment_actuals.sql,
attainment_series.sql) must return exactly its figures for every region inside ``within``, at
month ends, between them, before anything was reported and after the plan year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db, queries

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "data"
SCAN = (HERE / "indicator_actuals_scan.sql").read_text(encoding="utf-8")
KEY = ["as_of", "level", "indicator_id", "region_code"]
D = dt.date
DATES = [
    D(2022, 12, 31),
    D(2023, 1, 31),
    D(2023, 2, 14),
    D(2023, 6, 30),
    D(2023, 7, 31),
    D(2023, 12, 31),
    D(2024, 3, 31),
]


@pytest.fixture(scope="module")
def bundled() -> duckdb.DuckDBPyConnection:
    return db.connect(DATA)


def _inside(con: duckdb.DuckDBPyConnection, within: str) -> set[str]:
    sql = "select region_code from dim_region where $w in (province_code, prefecture_code, county_code, region_code)"
    return set(con.execute(sql, {"w": within}).df()["region_code"])


def _scan(con: duckdb.DuckDBPyConnection, within: str, ids: list[str]) -> pd.DataFrame:
    # the lookups compose a ratio from its parts whether or not the parts are asked for; the
    # scan could only compose it from the parts it had read
    parts = con.execute(
        "select numerator_id, denominator_id from stg_indicators where list_contains($ids, indicator_id)", {"ids": ids}
    ).fetchall()
    scanned = sorted({*ids, *(p for pair in parts for p in pair if p)})
    params = {"plan_year": 2023, "as_of_dates": DATES, "within": within, "indicator_ids": scanned}
    found = con.execute(SCAN, params).df()
    # the scan also summed the sources inside $within into the levels above it (a province
    # row holding one prefecture's part); the lookups keep to the documented grain
    found = found[found["region_code"].isin(_inside(con, within))]
    if ids:
        found = found[found["indicator_id"].isin(ids)]
    return found.sort_values(KEY).reset_index(drop=True)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a.sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b.sort_values(KEY).reset_index(drop=True), check_dtype=False, rtol=1e-12)


@pytest.mark.parametrize("within", ["430000", "430100", "431100", "433100", "430102"])
@pytest.mark.parametrize(
    "ids", [[], ["instructor_coverage", "villages_total", "childcare_places", "election_county_held"]]
)
def test_levels_lookup_equals_the_scan(bundled: duckdb.DuckDBPyConnection, within: str, ids: list[str]) -> None:
    params = {"plan_year": 2023, "as_of_dates": DATES, "within": within, "indicator_ids": ids}
    _same(queries.run(bundled, "indicator_actuals_levels", **params), _scan(bundled, within, ids))


def test_attainment_lookup_reads_only_the_levels_asked(bundled: duckdb.DuckDBPyConnection) -> None:
    found = queries.run(
        bundled,
        "attainment_actuals",
        plan_year=2023,
        as_of_dates=DATES,
        within="430000",
        levels=["province", "prefecture"],
        indicator_ids=[],
        lower_levels=["county"],
        lower_ids=["election_county_held"],
    )
    scan = _scan(bundled, "430000", [])
    wanted = scan["level"].isin(["province", "prefecture"]) | (
        (scan["level"] == "county") & (scan["indicator_id"] == "election_county_held")
    )
    _same(found, scan[wanted].reset_index(drop=True))


def test_tiny_fixture_lookup_equals_the_scan(tiny_con: duckdb.DuckDBPyConnection) -> None:
    # the tiny data has a statistical zone reporting through its host county, stocks with
    # gaps and blank values, and reports on one month end only for some regions
    for within in ("430000", "430100", "430200", "430103"):
        params = {"plan_year": 2023, "as_of_dates": DATES, "within": within, "indicator_ids": []}
        _same(queries.run(tiny_con, "indicator_actuals_levels", **params), _scan(tiny_con, within, []))


def test_mart_is_built_one_plan_year_at_a_time(tiny_con: duckdb.DuckDBPyConnection) -> None:
    # every year of the data is in the mart, stored year by year (analytics/db.py build_mart)
    years = [
        y for (y,) in tiny_con.execute("select distinct plan_year from fct_indicator_actuals order by 1").fetchall()
    ]
    facts = [y for (y,) in tiny_con.execute("select distinct plan_year from fct_indicator_month order by 1").fetchall()]
    assert years == facts
