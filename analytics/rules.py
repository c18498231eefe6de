"""Rules on the data that more than one part of the product applies, written once.

A ratio's numerator cannot exceed its denominator (families with a contact person cannot
outnumber the families). The rule is the table macro
``sql/macros/ratio_numerator_above_denominator.sql``: the data quality page applies it to
everything published (``sql/queries/quality_consistency_violations.sql``, on a connection from
:func:`analytics.db.connect`, which creates the macros), and :func:`numerator_above_denominator`
applies it to the rows of an import, merged with the published ones, keeping the breaches the
import brings.
"""

from __future__ import annotations

from typing import Final

import duckdb
import pandas as pd
import pyarrow as pa

from analytics.db import SQL_DIR

RATIO_MACRO: Final = SQL_DIR / "macros" / "ratio_numerator_above_denominator.sql"

# the breaches in which one of the two rows (numerator or denominator) is one an import brings
_BROUGHT = """
select
    b.indicator_id as numerator,
    b.denominator_id as denominator,
    b.region_code,
    b.period_end,
    b.value,
    b.denominator_value
from ratio_numerator_above_denominator('merged', 'indicators') as b
where exists (
    select 1 from imported as i
    where i.plan_year = b.plan_year and i.region_code = b.region_code and i.period_end = b.period_end
      and i.indicator_id in (b.indicator_id, b.denominator_id)
)
order by 1, 3, 4
"""


def numerator_above_denominator(
    merged: pa.Table | pd.DataFrame, indicators: pd.DataFrame, imported: pa.Table | pd.DataFrame
) -> pd.DataFrame:
    """The numerators above their denominators (same plan year, region and month) in ``merged``
    (the progress rows once an import is merged with the published ones) that involve a row of
    ``imported``; ``indicators`` has the contract's indicators columns, each row with its plan
    year (``analytics.ingest.check.reference`` gives them so): a ratio is its year's.

    Columns: numerator, denominator (indicator ids), region_code, period_end, value (the
    numerator's), denominator_value; one row per breach, ordered by numerator, region and month.
    """
    con = duckdb.connect()
    try:
        con.execute(RATIO_MACRO.read_text(encoding="utf-8"))
        con.register("merged", merged)
        con.register("indicators", indicators)
        con.register("imported", imported)
        return con.execute(_BROUGHT).df()
    finally:
        con.close()
