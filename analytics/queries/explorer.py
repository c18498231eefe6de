"""The data explorer's query: every cell and total of a pivot, by each indicator's own rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pandas as pd

from analytics import explorer
from analytics.queries import LEVELS, run


def pivot_facts(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_year: int,
    as_of: dt.date,
    level: str,
    grain: str,
    within: str,
    indicator_ids: Sequence[str],
    regions: Sequence[str] = (),
) -> pd.DataFrame:
    """Each indicator per region of ``level`` inside ``within`` and per period of ``grain`` up to
    ``as_of``, with the totals over regions (region_code null) and over periods (period null).

    ``regions`` (codes at ``level``) narrows the regions, empty for all. Columns: indicator_id,
    region_code, period (:attr:`analytics.explorer.Period.key`), value, numerator and
    denominator (ratios only), n_rows (reports behind the figure; 0 or null value: no data).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    windows = explorer.periods(grain, plan_year, as_of)
    return run(
        con,
        "explorer_pivot",
        plan_year=plan_year,
        level=level,
        within=within,
        indicator_ids=list(indicator_ids),
        regions=list(regions),
        period_keys=[p.key for p in windows],
        period_starts=[p.start for p in windows],
        period_ends=[p.end for p in windows],
        # the training register's measures, offered beside the plan's indicators
        extra_ids=[m.indicator_id for m in explorer.TRAINING_MEASURES],
        extra_kinds=[m.kind for m in explorer.TRAINING_MEASURES],
        extra_numerators=[m.numerator_id for m in explorer.TRAINING_MEASURES],
        extra_denominators=[m.denominator_id for m in explorer.TRAINING_MEASURES],
    )


def reported_depth(con: duckdb.DuckDBPyConnection, *, plan_year: int, indicator_ids: Sequence[str]) -> dict[str, int]:
    """How deep each of ``indicator_ids`` is reported in ``plan_year``: 0 by the province only, 1 by
    prefectures, 2 by counties, 3 below; an indicator nobody has reported is left out.

    A level above the depth never has a figure of its own: a prefecture's cell of an indicator
    only the province reports is empty for that reason, not for a missing report.
    """
    found = run(con, "explorer_report_depth", plan_year=plan_year, indicator_ids=list(indicator_ids))
    return {str(i): int(d) for i, d in zip(found["indicator_id"], found["depth"], strict=True)}
