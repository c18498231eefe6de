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


def view_rows(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, int | None]:
    """The exact row count of each of ``names`` (views: DuckDB has no estimate for them), None for
    one that cannot be counted (a file gone or unreadable: the listing says why instead).

    The console's views are projections over Parquet files, so a count reads only the files'
    footers (a millisecond for the bundled exports). The relation API takes the name as an
    identifier, never as SQL text.
    """
    out: dict[str, int | None] = {}
    for name in names:
        try:
            [(n,)] = con.view(name).aggregate("count(*)").fetchall()
            out[name] = int(n)
        except duckdb.Error:
            out[name] = None
    return out
