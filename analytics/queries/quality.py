"""Queries of the data quality page: one per ``sql/queries/quality_*.sql``, plus the staging tables
the contract checks read.

Every function takes a DuckDB connection (a cursor of the shared connection) and returns a
DataFrame whose columns its docstring lists. The reporting deadline comes from
:data:`analytics.quality.SETTINGS`, the one place it is set.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.contract import TABLES
from analytics.quality import SETTINGS, QualitySettings
from analytics.queries import PROVINCE_CODE, run


def reports(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_year: int,
    as_of: dt.date,
    within: str = PROVINCE_CODE,
    settings: QualitySettings = SETTINGS,
) -> pd.DataFrame:
    """The county reports expected: every county-level reporting unit inside ``within`` × every month up to ``as_of``.

    Columns: county_code, county_name_zh, county_name_en, prefecture_code, prefecture_name_zh,
    prefecture_name_en, period_end, deadline, figures (rows received for the month; 0 when the
    report is missing), figures_with_value, figures_on_time (rows that arrived by the deadline),
    first_reported_at, last_reported_at (null when missing).
    """
    return run(
        con, "quality_reports", plan_year=plan_year, as_of=as_of, within=within, deadline_days=settings.deadline_days
    )


def report_indicators(con: duckdb.DuckDBPyConnection, *, plan_year: int) -> pd.DataFrame:
    """The indicators every county report is expected to carry.

    Columns: indicator_id, kind, name_zh, name_en, unit_zh, unit_en, item_no, display_order.
    """
    return run(con, "quality_report_indicators", plan_year=plan_year)


def indicator_gaps(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_year: int,
    as_of: dt.date,
    indicator_ids: list[str],
    within: str = PROVINCE_CODE,
) -> pd.DataFrame:
    """Indicators missing from received county reports: one row per report and missing indicator.

    Columns: county_code, prefecture_code, period_end, indicator_id, gap (absent: no row |
    blank: a row without a value), source_file.
    """
    return run(
        con, "quality_indicator_gaps", plan_year=plan_year, as_of=as_of, within=within, indicator_ids=indicator_ids
    )


def village_units(
    con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date, within: str = PROVINCE_CODE
) -> pd.DataFrame:
    """Village-level units per county inside ``within`` and how many have reported by ``as_of``.

    Columns: county_code, county_name_zh, county_name_en, prefecture_code, prefecture_name_zh,
    prefecture_name_en, units, reported, never_reported.
    """
    return run(con, "quality_village_units", plan_year=plan_year, as_of=as_of, within=within)


def villages_never_reported(
    con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date, within: str = PROVINCE_CODE
) -> pd.DataFrame:
    """Village-level units inside ``within`` with no instructor report up to ``as_of``.

    Columns: prefecture_code, prefecture_name_zh, prefecture_name_en, county_code,
    county_name_zh, county_name_en, township_name_zh, region_code, village_name_zh.
    """
    return run(con, "quality_villages_never_reported", plan_year=plan_year, as_of=as_of, within=within)


def series(
    con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date, within: str = PROVINCE_CODE
) -> pd.DataFrame:
    """Monthly values of the flow and stock indicators per county up to ``as_of`` (what outliers are scored on).

    Columns: county_code, prefecture_code, province_code, indicator_id, period_end, value.
    """
    return run(con, "quality_series", plan_year=plan_year, as_of=as_of, within=within)


def consistency_violations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Published records that break a consistency rule (:data:`analytics.quality.CONSISTENCY_RULES`).

    Columns: rule_id, table_name, record, region_code, region_name_zh, region_name_en,
    prefecture_code, period_end (null for records without a month), value, compared, source_file.
    """
    return run(con, "quality_consistency_violations")


def population_pairs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The population figure in force beside another file's value for the same key.

    Columns: region_code, region_name_zh, region_name_en, year, measure, basis, unit, value,
    source_file, other_value, other_source_file.
    """
    return run(con, "quality_population_pairs")


def staging_tables(con: duckdb.DuckDBPyConnection, within: str = PROVINCE_CODE) -> dict[str, pd.DataFrame]:
    """Every contract table as published (``stg_<table>``: the contract's columns plus source_file),
    the rows of the province ``within`` and every row whose region is unknown.

    The contract checks (:func:`analytics.quality.contract_problems`) run over these. The page
    checks its own province's data: a national folder holds every province's rows, and reading
    all of them into pandas took minutes and gigabytes (27 million instructor reports over five
    years). Rows with no region code, or one that is in no region table, stay in: they are
    errors of whoever published them, and a filter must not hide them. They come after the
    province's rows, so ``row`` numbers count the rows checked; with one file per province (how
    national exports are written) ``row_in_file`` is the row in the file.

    Not a query file: the names come from the contract (``analytics.contract.TABLES``), never from
    a caller, and the relation API reads a table without SQL text.
    """
    code = duckdb.ColumnExpression("region_code")
    # the province's codes share its first two digits: a range DuckDB also uses to skip other
    # provinces' files and row groups
    lo = within[:2]
    inside = (code >= duckdb.ConstantExpression(lo)) & (code < duckdb.ConstantExpression(f"{int(lo) + 1:02d}"))
    known = con.table("stg_regions").select("region_code").set_alias("known_regions")  # the regions table joins itself
    out: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        rel = con.table(f"stg_{name}")
        if "region_code" not in rel.columns:
            out[name] = rel.df()
            continue
        mine = rel.filter(inside).df()
        stray = rel.filter(code.isnull() | ~inside).join(known, "region_code", how="anti").df()
        out[name] = pd.concat([mine, stray], ignore_index=True) if len(stray) else mine
    return out
