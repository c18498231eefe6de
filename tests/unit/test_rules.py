"""The numerator ≤ denominator rule, written once (sql/macros/ratio_numerator_above_denominator.sql)
and applied by the data quality page and, through analytics.rules, ready for the import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db, rules
from analytics.queries import quality as q
from tests.unit import tiny_quality

JAN, FEB = dt.date(2023, 1, 31), dt.date(2023, 2, 28)

INDICATORS = pd.DataFrame(
    [
        # a ratio of the progress export, and one of the instructors export (not this rule's)
        {
            "plan_year": 2023,
            "indicator_id": "cov",
            "kind": "ratio",
            "source_table": "progress",
            "numerator_id": "num",
            "denominator_id": "den",
        },
        {
            "plan_year": 2023,
            "indicator_id": "ins",
            "kind": "ratio",
            "source_table": "instructors",
            "numerator_id": "a",
            "denominator_id": "b",
        },
        {
            "plan_year": 2023,
            "indicator_id": "num",
            "kind": "stock",
            "source_table": "progress",
            "numerator_id": None,
            "denominator_id": None,
        },
        {
            "plan_year": 2023,
            "indicator_id": "den",
            "kind": "stock",
            "source_table": "progress",
            "numerator_id": None,
            "denominator_id": None,
        },
    ]
)


def _rows(*rows: tuple[str, str, dt.date, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"plan_year": 2023, "indicator_id": i, "region_code": r, "period_end": p, "value": v} for i, r, p, v in rows]
    )


# by hand: 430102 Jan 12 > 10 (a breach), 430102 Feb 9 ≤ 10 (fine), 430202 Jan 7 > 5 (a breach),
# a 3 > 1 of the instructors ratio's components (not compared: they are not progress figures)
MERGED = _rows(
    ("num", "430102", JAN, 12.0),
    ("den", "430102", JAN, 10.0),
    ("num", "430102", FEB, 9.0),
    ("den", "430102", FEB, 10.0),
    ("num", "430202", JAN, 7.0),
    ("den", "430202", JAN, 5.0),
    ("a", "430202", JAN, 3.0),
    ("b", "430202", JAN, 1.0),
)


def test_the_macro_finds_each_numerator_above_its_denominator() -> None:
    con = duckdb.connect()
    con.execute(rules.RATIO_MACRO.read_text(encoding="utf-8"))
    con.register("p", MERGED)
    con.register("i", INDICATORS)
    found = con.execute("select * from ratio_numerator_above_denominator('p', 'i') order by region_code").df()
    assert list(zip(found["region_code"], found["value"], found["denominator_value"], strict=True)) == [
        ("430102", 12.0, 10.0),
        ("430202", 7.0, 5.0),
    ]
    assert set(found["indicator_id"]) == {"num"} and set(found["denominator_id"]) == {"den"}


def test_an_import_is_told_the_breaches_its_rows_bring() -> None:
    # the import brings 430102's January denominator and both rows of 430202's January: each breach
    # once, whichever of its two rows (or both) the import brought
    imported = _rows(("den", "430102", JAN, 10.0), ("num", "430202", JAN, 7.0), ("den", "430202", JAN, 5.0))
    found = rules.numerator_above_denominator(MERGED, INDICATORS, imported)
    assert found.to_dict("records") == [
        {
            "numerator": "num",
            "denominator": "den",
            "region_code": "430102",
            "period_end": pd.Timestamp(JAN),
            "value": 12.0,
            "denominator_value": 10.0,
        },
        {
            "numerator": "num",
            "denominator": "den",
            "region_code": "430202",
            "period_end": pd.Timestamp(JAN),
            "value": 7.0,
            "denominator_value": 5.0,
        },
    ]
    # rows of another month or region bring none
    assert rules.numerator_above_denominator(MERGED, INDICATORS, _rows(("num", "430102", FEB, 9.0))).empty


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    folder: Path = tiny_quality.build(tmp_path_factory.mktemp("tiny_quality"))
    return db.connect(folder)


def test_the_quality_page_applies_the_same_rule(con: duckdb.DuckDBPyConnection) -> None:
    """The page's consistency rule is the macro over everything published (tiny_quality: cov_num 12 >
    cov_total 10 in 430102, January), and the import's helper finds the same breach there."""
    cur = con.cursor()
    page = q.consistency_violations(cur)
    page = page[page["rule_id"] == "ratio_numerator_le_denominator"]
    progress = cur.execute("select * exclude (source_file) from stg_progress").df()
    # every indicator row with its plan year, as the import's reference has them (tiny_quality's
    # indicators file has none: dim_indicator gives each the years of the data)
    indicators = cur.execute("select * from dim_indicator").df()
    found = rules.numerator_above_denominator(progress, indicators, progress)
    assert list(zip(page["record"], page["region_code"], page["value"], page["compared"], strict=True)) == [
        ("cov_num", "430102", "12.0", "cov_total = 10.0")
    ]
    assert list(
        zip(found["numerator"], found["region_code"], found["value"], found["denominator_value"], strict=True)
    ) == [("cov_num", "430102", 12.0, 10.0)]
