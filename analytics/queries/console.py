"""The SQL console's own query: what its tables and columns are."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.queries import run


def schema(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every column of every table on ``con``.

    Columns: table_name, column_name, data_type, column_index, table_rows (DuckDB's estimate).
    """
    return run(con, "console_schema")
