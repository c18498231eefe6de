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
    )
