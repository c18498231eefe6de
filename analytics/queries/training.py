"""Queries of the workforce and training page (items 9, 14 and 28): one per ``sql/queries/training_*.sql``.

Every function takes a DuckDB connection (a cursor of the shared connection) and returns a
DataFrame whose columns its docstring lists. The instructor threshold comes from
:data:`analytics.training.MIN_INSTRUCTORS`, the one place it is set.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.queries import PROVINCE_CODE, run
from analytics.training import MIN_INSTRUCTORS


def coverage_month(
    con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date, within: str = PROVINCE_CODE
) -> pd.DataFrame:
    """Village-level units by instructor category, per region and month end up to ``as_of``.

    One row per region (``within`` itself, the prefectures and the counties inside it) and
    month end. Columns: level, region_code, name_zh, name_en, prefecture_code, period_end,
    units_total (every village-level unit of the region table), covered (≥ 2 in post in the
    report in force), short (fewer than 2), no_report (not reported by then); the three
    categories add up to units_total.
    """
    return run(
        con,
        "training_coverage_month",
        plan_year=plan_year,
        as_of=as_of,
        within=within,
        min_instructors=MIN_INSTRUCTORS,
    )


def short_units(
    con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date, within: str = PROVINCE_CODE
) -> pd.DataFrame:
    """Village-level units short of 2 instructors at ``as_of``: fewer in their latest report, or no report.

    Columns: prefecture_code, prefecture_name_zh, prefecture_name_en, county_code (the
    reporting county), county_name_zh, county_name_en, zone_name_zh (the statistical zone the
    unit lies in, else null), township_code, township_name_zh, region_code, village_name_zh,
    instructors_in_post (null without a report), last_period (month of the latest report),
    reported_at, category (short | no_report).
    """
    return run(
        con,
        "training_short_units",
        plan_year=plan_year,
        as_of=as_of,
        within=within,
        min_instructors=MIN_INSTRUCTORS,
    )


def classes(con: duckdb.DuckDBPyConnection, *, plan_year: int, within: str = PROVINCE_CODE) -> pd.DataFrame:
    """Training classes of the province's own association and of the regions inside ``within``.

    Columns: class_id, kind, title_zh, level, region_code (organiser), organiser_name_zh,
    organiser_name_en, prefecture_code, planned_start, start_date, end_date, status, reported_at.
    """
    return run(con, "training_classes", plan_year=plan_year, within=within)


def participants(
    con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date, within: str = PROVINCE_CODE
) -> pd.DataFrame:
    """Participants of the classes that ended by ``as_of``, per class and participants' county inside ``within``.

    Columns: class_id, kind, class_level, organiser_code, organiser_name_zh, organiser_name_en,
    title_zh, end_date, county_code,
    county_name_zh, county_name_en, prefecture_code, prefecture_name_zh, prefecture_name_en,
    enrolled, attended, completed.
    """
    return run(con, "training_participants", plan_year=plan_year, as_of=as_of, within=within)
