"""Typed query functions: one per file in ``sql/queries/``, named parameters only.

This package's ``__init__`` holds the queries every page shares; a page's own queries
live in a module of the package named for it (``analytics.queries.childcare`` …),
built on :func:`run`.

Every function takes a DuckDB connection (the caller passes a cursor of the shared
connection) and returns a pandas DataFrame whose columns the docstring lists. Values
reach SQL only as named parameters (``$as_of``); identifiers never come from callers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import duckdb
import pandas as pd

from analytics import attainment

QUERY_DIR: Final = Path(__file__).resolve().parent.parent / "sql" / "queries"
LEVELS: Final = ("province", "prefecture", "county")
PROVINCE_CODE: Final = "430000"


@cache
def sql_text(name: str) -> str:
    """The text of ``sql/queries/<name>.sql``; raises for a name that has no file."""
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query file named {name!r}")
    return path.read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run a query file with named parameters and return its result."""
    return con.execute(sql_text(name), params).df()


def _level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    return level


def indicator_actuals(
    con: duckdb.DuckDBPyConnection, *, plan_year: int, as_of: dt.date, level: str, within: str = PROVINCE_CODE
) -> pd.DataFrame:
    """Actual of every indicator per region of ``level`` inside ``within``, by its kind.

    Columns: indicator_id, region_code, actual, n_rows (reports behind the figure),
    last_period, numerator and denominator (ratios only).
    """
    _level(level)
    # one query holds the aggregation rules: the several-dates-and-levels one, asked for one of each
    found = run(
        con, "indicator_actuals_levels", plan_year=plan_year, as_of_dates=[as_of], within=within, indicator_ids=[]
    )
    return found[found["level"] == level].drop(columns=["as_of", "level"]).reset_index(drop=True)


def regions_at_level(con: duckdb.DuckDBPyConnection, *, level: str, within: str = PROVINCE_CODE) -> pd.DataFrame:
    """Regions of ``level`` inside ``within`` (statistical zones excluded at county level).

    Columns: region_code, name_zh, name_en, level, kind, parent_code, province_code,
    prefecture_code, county_code.
    """
    return run(con, "regions_at_level", level=_level(level), within=within)


def region_placement(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Columns: region_code, level, province_code, prefecture_code, county_code."""
    return run(con, "region_placement")


def plan_items(con: duckdb.DuckDBPyConnection, *, plan_year: int) -> pd.DataFrame:
    """The plan's items. Columns: the plan_items contract columns plus n_indicators."""
    return run(con, "plan_items", plan_year=plan_year)


def indicators(con: duckdb.DuckDBPyConnection, *, plan_year: int) -> pd.DataFrame:
    """Every indicator. Columns: the indicators contract columns plus area_no, item_due_date."""
    return run(con, "indicators", plan_year=plan_year)


def targets(con: duckdb.DuckDBPyConnection, *, plan_year: int) -> pd.DataFrame:
    """Columns: indicator_id, region_code, target_value, due_date, phasing, basis, stated_zh,
    interpretation_zh, interpretation_en, note."""
    return run(con, "targets", plan_year=plan_year)


def target_schedules(con: duckdb.DuckDBPyConnection, *, plan_year: int) -> pd.DataFrame:
    """Columns: indicator_id, region_code, period_end, cumulative_value (schedule-phased targets only)."""
    return run(con, "target_schedules", plan_year=plan_year)


def plan(con: duckdb.DuckDBPyConnection, *, plan_year: int) -> pd.DataFrame:
    """The plan year's row of ``plans`` (none when no workbook set that year). Columns:
    plan_year, association_zh, association_en, notice_no, notice_title_zh, notice_date,
    province_code, on_track_share, at_risk_share, completion_share."""
    return run(con, "plans", plan_year=plan_year)


def plan_settings(con: duckdb.DuckDBPyConnection, *, plan_year: int) -> attainment.PlanSettings:
    """The association's judgement settings for ``plan_year`` (its plan workbook's 设置 sheet):
    the thresholds a status is judged by and the share of enrolled trainees a class should see
    complete. A year no workbook has set (data published before plans had a row) is judged with
    the template's defaults."""
    row = plan(con, plan_year=plan_year)
    if row.empty:
        return attainment.DEFAULT_SETTINGS
    first = row.iloc[0]
    return attainment.PlanSettings(
        thresholds=attainment.Thresholds(
            on_track=float(first["on_track_share"]), at_risk=float(first["at_risk_share"])
        ),
        completion_share=float(first["completion_share"]),
    )


def data_status(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row. Columns: progress_through, last_reported_at, progress_rows,
    instructors_through, instructor_rows, childcare_points, trainings, plan_years."""
    return run(con, "data_status")


def attainment_table(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_year: int,
    as_of: dt.date,
    level: str,
    within: str = PROVINCE_CODE,
) -> pd.DataFrame:
    """Every judged indicator in every region of ``level`` inside ``within``, as of ``as_of``.

    Columns: :data:`analytics.attainment.ATTAINMENT_COLUMNS`. Every-region rules whose
    target level lies below ``level`` are counted from the actuals at that lower level.
    """
    return attainment_tables(con, plan_year=plan_year, as_ofs=(as_of,), levels=(level,), within=within)[(as_of, level)]


def attainment_tables(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_year: int,
    as_ofs: tuple[dt.date, ...],
    levels: tuple[str, ...],
    within: str = PROVINCE_CODE,
    indicator_ids: tuple[str, ...] = (),
    plan_targets: pd.DataFrame | None = None,
    level_within: Mapping[str, str] | None = None,
    fill_actuals: Callable[[pd.DataFrame, list[str]], pd.DataFrame] | None = None,
) -> dict[tuple[dt.date, str], pd.DataFrame]:
    """:func:`attainment_table` for several dates and levels, from one scan of the facts.

    A page that shows this month and last month, the region and its sub-regions asks once.
    ``indicator_ids`` limits the judgement to those indicators (all when empty);
    ``plan_targets``: the targets of ``plan_year`` when the caller has them already;
    ``level_within``: a narrower region for some levels (the counties of one prefecture);
    ``fill_actuals(actuals, region_codes)``: a page's own rule for regions the facts do not
    name (the childcare register: a prefecture without points reported 0), applied at every
    date judged, so that the reach dates of done-late targets follow the same rule.
    """
    for level in levels:
        _level(level)
    inds = indicators(con, plan_year=plan_year)
    if indicator_ids:
        inds = inds[inds["indicator_id"].isin(indicator_ids)]
    # every region inside ``within`` lies in its province, whose codes share its first two
    # digits: the plan of the other provinces of a national table is never read
    tgts = targets(con, plan_year=plan_year) if plan_targets is None else plan_targets
    placement = run(con, "region_placement_within", within=within)
    judge = attainment.Judge(
        inds,
        tgts[tgts["region_code"].str.startswith(within[:2])],
        placement,
        plan_year=plan_year,
        schedules=target_schedules(con, plan_year=plan_year),
        # the association's thresholds for this plan year, not the code's
        thresholds=plan_settings(con, plan_year=plan_year).thresholds,
    )
    # reports are monthly: an as-of date is judged at the last complete month end on or before it
    judged = {as_of: attainment.judged_date(as_of, plan_year) for as_of in as_ofs}
    # coverage targets are prorated from the level reported at the end of January
    january = attainment.month_ends(plan_year)[0]
    # a target reached after its due date is done late: the month ends from the earliest due
    # date before a judged date up to that date are read too, to find when it was reached
    last = max(judged.values())
    dues = sorted(d for d in judge.due_dates() if d < last)
    late_dates = sorted({*dues, *(m for m in attainment.month_ends(plan_year) if dues[0] <= m <= last)}) if dues else []
    dates = sorted({*judged.values(), january, *late_dates})
    # every-region rules are counted from the level their members are at: only those
    # indicators are read at the levels below the judged ones
    counted = inds.loc[inds["target_rule"] == "every_region_at_least"]
    lower_levels = sorted({str(t) for t in counted["target_level"].dropna()} - set(levels))
    actuals = run(
        con,
        "attainment_actuals",
        plan_year=plan_year,
        as_of_dates=dates,
        within=within,
        levels=list(levels),
        indicator_ids=list(indicator_ids),
        lower_levels=lower_levels,
        lower_ids=sorted(counted["indicator_id"]),
    )
    parts = {
        (pd.Timestamp(str(as_of)).date(), str(level)): frame.drop(columns=["as_of", "level"])
        for (as_of, level), frame in actuals.groupby(["as_of", "level"])
    }
    empty = actuals.iloc[:0].drop(columns=["as_of", "level"])
    coverage = set(inds.loc[inds["target_rule"] == "coverage", "indicator_id"])
    lower_at = {str(t) for t in counted["target_level"].dropna()}
    out: dict[tuple[dt.date, str], pd.DataFrame] = {}
    for level in levels:
        # the regions regions_at_level lists, read from the placement already at hand
        area = (level_within or {}).get(level, within)
        inside = placement[
            (placement[["province_code", "prefecture_code", "county_code", "region_code"]] == area).any(axis=1)
        ]
        here = inside[(inside["level"] == level) & ~((inside["level"] == "county") & inside["is_stat_zone"])]
        codes = list(here["region_code"])
        below = LEVELS[LEVELS.index(level) + 1 :]
        day = _Day(parts, empty, level, tuple(lv for lv in below if lv in lower_at), codes, fill_actuals)
        base = day.actuals(january)
        baselines = {
            (str(i), str(c)): float(a)
            for i, c, a, n in zip(
                base["indicator_id"], base["region_code"], base["actual"], base["n_rows"], strict=True
            )
            # a January with no report has no level to start from (the line starts from zero)
            if i in coverage and pd.notna(a) and n > 0
        }
        for as_of in as_ofs:
            when = judged[as_of]
            first = judge.evaluate(
                day.actuals(when),
                level_actuals=day.lower(when),
                as_of=when,
                level=level,
                region_codes=codes,
                baselines=baselines,
            )
            reached_on = _reached_on(judge, first, when, late_dates, day, baselines)
            out[(as_of, level)] = attainment.mark_late(first, reached_on)
    return out


@dataclass(frozen=True)
class _Day:
    """The actuals of one judged level (and the levels below it that every-region rules count)
    at any date read, with the page's fill rule applied."""

    parts: Mapping[tuple[dt.date, str], pd.DataFrame]
    empty: pd.DataFrame
    level: str
    below: tuple[str, ...]
    codes: list[str]
    fill: Callable[[pd.DataFrame, list[str]], pd.DataFrame] | None

    def actuals(self, date: dt.date) -> pd.DataFrame:
        found = self.parts.get((date, self.level), self.empty)
        return self.fill(found.reset_index(drop=True), self.codes) if self.fill else found

    def lower(self, date: dt.date) -> dict[str, pd.DataFrame]:
        return {lv: self.parts.get((date, lv), self.empty) for lv in self.below}


def _reached_on(
    judge: attainment.Judge,
    judged: pd.DataFrame,
    when: dt.date,
    late_dates: list[dt.date],
    day: _Day,
    baselines: dict[tuple[str, str], float],
) -> dict[tuple[str, str], dt.date]:
    """(indicator, region) → the first of ``late_dates`` on which a target reached by ``when``
    and due before it was reached: after its due date, it is done late."""
    late = judged[(judged["status"] == "done") & (pd.to_datetime(judged["due_date"]).dt.date < when)]
    if late.empty:
        return {}
    pending = set(zip(late["indicator_id"], late["region_code"], strict=True))
    only = set(late["indicator_id"])
    found: dict[tuple[str, str], dt.date] = {}
    for date in (d for d in late_dates if d <= when):
        if not pending:
            break
        then = judge.evaluate(
            day.actuals(date),
            level_actuals=day.lower(date),
            as_of=date,
            level=day.level,
            region_codes=day.codes,
            baselines=baselines,
            only=only,
        )
        hit = then[then["status"].isin(attainment.REACHED)]
        for key in zip(hit["indicator_id"], hit["region_code"], strict=True):
            if key in pending:
                found[key] = date
                pending.discard(key)
    return found
