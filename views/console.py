"""The SQL console (SQL 查询) as data: the tables and columns it offers, and a query's result.

``view(con, filters)`` is the schema browser: every table with its rows and meaning, each
table's columns with type and meaning, in the filters' language, and the limits as the page
states them. The console's own database is a copy of the pages' (``analytics.console.connect``
copies ``analytics.db.connect``'s tables and views), so the listing is the same on either
connection: the page takes it from ``ui.cached.view`` (shared per data version), the benchmark
calls ``view(con, filters)``.

``view(con, filters, sql=…)`` also runs ``sql`` through :func:`analytics.console.run` with the
console's limits (read when called: a test may lower them); ``con`` must then be the console's
own connection (:func:`analytics.console.connect`). A result is never cached nor shared: the
page calls this directly when its Run button is pressed, and records the run in the audit log
itself (that needs the signed-in user).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import console
from analytics.queries import console as console_queries
from views.filters import Filters
from views.format import MISSING
from views.i18n import catalog, text

# a result's integer column whose name says it is a year, a code, an id or a number of a thing
# (not a count): written without separators
_NOT_COUNTS = re.compile(r"year|code|_id$|^id$|_no$|^no$|年|代码|编号|序号", re.IGNORECASE)


@dataclass(frozen=True)
class Result:
    """A query's outcome as the page shows it."""

    sql: str
    lang: str  # the language it is worded in
    raw: console.ConsoleResult  # what analytics.console returned (to word it again in another language)
    outcome: str  # "ok" or the error's kind (analytics.console.ERROR_KINDS): what the audit log records
    refused: bool  # refused for its statement type (the page marks it so)
    error: str  # why it failed, in words ("" when it ran)
    message: str  # DuckDB's own message ("" when none)
    frame: pd.DataFrame | None  # the rows (None: it failed)
    download: pd.DataFrame | None  # the rows as every download format holds them
    rows: str  # "共 9 行 · 用时 0.12 秒"
    cut: str  # "" unless reading stopped at the row cap or the byte limit
    cut_cells: str  # "" unless long text cells were cut
    stopped: str | None  # "rows" or "bytes"

    @property
    def row_count(self) -> int:
        return 0 if self.frame is None else len(self.frame)


@dataclass(frozen=True)
class ConsoleModel:
    filters: Filters
    limits: str  # the console's limits in words
    tables: pd.DataFrame  # table, rows (text: "31,691", "—" when not counted), meaning (headers in the language)
    rows_note: str  # "" unless some rows show "—": which tables, and why
    meanings: dict[str, str]  # table → its meaning ("" for a table without one yet)
    columns: dict[str, pd.DataFrame]  # table → its columns: name, type, meaning (headers in the language)
    result: Result | None  # None: no query given

    @property
    def table_names(self) -> list[str]:
        return list(self.meanings)


def view(con: duckdb.DuckDBPyConnection, f: Filters, *, sql: str | None = None) -> ConsoleModel:
    """The schema browser for ``f``'s language and, when ``sql`` is given, its result."""
    lang = f.lang
    words = catalog(lang)
    schema = console_queries.schema(con.cursor())
    names = [str(n) for n in schema.drop_duplicates("table_name")["table_name"]]
    # a table new to the contract before its meaning is written shows without one (the unit
    # test of the catalogs names it) rather than taking the page down
    meanings = {n: words.get(f"console.table.{n}", "") for n in names}
    estimates = schema.drop_duplicates("table_name")["table_rows"].tolist()
    # a view has no stored row count: counted (its Parquet files' footers), or "—" and why
    counted = console_queries.view_rows(con, [n for n, e in zip(names, estimates, strict=True) if pd.isna(e)])
    rows = [counted.get(n) if pd.isna(e) else int(e) for n, e in zip(names, estimates, strict=True)]
    uncounted = [n for n, r in zip(names, rows, strict=True) if r is None]
    tables = pd.DataFrame(
        {
            text("console.col_table", lang): names,
            text("console.col_rows", lang): [rows_text(r) for r in rows],
            text("console.col_meaning", lang): list(meanings.values()),
        }
    )
    columns = {
        str(name): pd.DataFrame(
            {
                text("console.col_name", lang): cols["column_name"].tolist(),
                text("console.col_type", lang): cols["data_type"].tolist(),
                text("console.col_meaning", lang): [_meaning(words, str(name), str(c)) for c in cols["column_name"]],
            }
        )
        for name, cols in schema.groupby("table_name", sort=False)
    }
    return ConsoleModel(
        filters=f,
        limits=text("console.limits", lang, **console.stated_limits()),
        tables=tables,
        rows_note=text("console.rows_uncounted", lang, tables=", ".join(uncounted)) if uncounted else "",
        meanings=meanings,
        columns=columns,
        result=None if sql is None else run(con, sql, lang),
    )


def rows_text(n: int | None) -> str:
    """A row count as the listing shows it: with thousands separators; "—" when not known."""
    return MISSING if n is None else f"{n:,}"


def count_columns(frame: pd.DataFrame) -> list[str]:
    """A result's integer columns that are counts (shown with thousands separators): not a year,
    a code or an id, which read wrong as "2,023" or "430,100"."""
    return [
        str(c)
        for c in frame.columns
        if pd.api.types.is_integer_dtype(frame[c].dtype) and not _NOT_COUNTS.search(str(c))
    ]


def run(con: duckdb.DuckDBPyConnection, sql: str, lang: str) -> Result:
    """Run ``sql`` on the console's connection within its limits, and word the outcome."""
    r = console.run(
        con,
        sql,
        time_limit_s=console.TIME_LIMIT_S,
        row_cap=console.ROW_CAP,
        byte_cap=console.BYTE_CAP,
        cell_chars=console.CELL_CHARS,
    )
    return word(r, sql, lang)


def word(r: console.ConsoleResult, sql: str, lang: str) -> Result:
    """A query's outcome in ``lang`` (the page words a kept result again when the language changes)."""
    limits = console.stated_limits()
    e, frame = r.error, r.frame
    if e is not None:
        refused = e.kind == "refused" and bool(e.statement_type)
        why = (
            text("console.error.refused_type", lang, type=e.statement_type)
            if refused
            else text(f"console.error.{e.kind}", lang, **limits)
        )
        return Result(sql, lang, r, e.kind, refused, why, e.message, None, None, "", "", "", r.stopped)
    if frame is None:  # not an error, and nothing to show
        return Result(sql, lang, r, "ok", False, "", "", None, None, "", "", "", r.stopped)
    cut = ""
    if r.stopped == "rows":
        cut = text("console.capped", lang, cap=f"{console.ROW_CAP:,}")
    elif r.stopped == "bytes":
        cut = text("console.stopped_bytes", lang, n=f"{len(frame):,}", **limits)
    return Result(
        sql=sql,
        lang=lang,
        raw=r,
        outcome="ok",
        refused=False,
        error="",
        message="",
        frame=frame,
        download=console.for_download(frame),
        rows=text("console.rows", lang, n=f"{len(frame):,}", seconds=f"{r.seconds:.2f}"),
        cut=cut,
        cut_cells=text("console.cut_cells", lang, n=f"{r.cut_cells:,}", **limits) if r.cut_cells else "",
        stopped=r.stopped,
    )


def _meaning(words: dict[str, str], table: str, column: str) -> str:
    return next((words[k] for k in console.meaning_keys(table, column) if k in words), "")
