"""The analysts' SQL console: read-only, bounded in time and rows, over the published tables.

Defence in depth, each layer tested on its own (tests/unit/test_console.py):

1. **A database of its own, locked down.** :func:`connect` builds the console's connection
   with :func:`analytics.db.connect` (the same staging tables and marts the pages read, copied
   into memory, so no file needs to be read afterwards), then turns off everything that reaches
   outside it and locks the configuration (:data:`LOCKDOWN`): no file is read or written
   (``read_csv('/etc/passwd')``, ``COPY … TO``, ``ATTACH 'file'``, ``INSTALL``/``LOAD`` all fail
   with DuckDB's permission error), no Python variable is scanned as a table, nothing spills to disk, and
   no ``SET`` can undo any of it. One thread and a memory limit keep a heavy query from starving
   the pages, which use another connection (and database) altogether.
2. **One SELECT only.** :func:`check` parses the text with ``duckdb.extract_statements`` and
   refuses anything but exactly one ``SELECT`` (which includes ``WITH``, ``VALUES``, ``FROM …``,
   ``DESCRIBE``, ``SHOW`` and ``SUMMARIZE``), naming the statement type it found.
3. **Rolled back.** The query runs inside a transaction that is always rolled back.
4. **Bounded.** A timer interrupts the query's own cursor after the time limit; at most
   ``row_cap`` rows are fetched from the streamed result and the rest abandoned (so a long
   result is not computed in full), and the result says when it was cut.

Every error comes back as a :class:`ConsoleError` whose ``kind`` the page explains in the
user's language, beside DuckDB's own message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import duckdb
import pandas as pd

from analytics import db

TIME_LIMIT_S: Final = 10.0
ROW_CAP: Final = 5_000
# Memory a console query may use on top of the tables themselves: a limit for the whole
# console database, shared by everyone using it at the same time.
QUERY_MEMORY_BYTES: Final = 1 << 30
ALLOWED: Final = frozenset({"SELECT"})

# In this order; lock_configuration last, so that nothing before it can be changed again.
# enable_external_access=false is the one that closes files, network, ATTACH, COPY and
# extensions, and Python replacement scans (a query naming a Python variable); the others say
# the same thing again where DuckDB has a setting of its own, so that no single setting carries
# the whole guarantee. (python_enable_replacements=false would say it once more, but the Python
# client keeps it per connection: every cursor starts again from true, so it is not relied on.)
LOCKDOWN: Final = (
    ("threads", "1"),
    ("temp_directory", "''"),  # no spilling to disk: over the memory limit is an error
    ("enable_external_access", "false"),
    ("autoinstall_known_extensions", "false"),
    ("autoload_known_extensions", "false"),
    ("allow_community_extensions", "false"),
    ("lock_configuration", "true"),
)

ERROR_KINDS: Final = ("empty", "syntax", "refused", "catalog", "timeout", "memory", "other")


def connect(data_dir: Path | None = None, *, query_memory_bytes: int = QUERY_MEMORY_BYTES) -> duckdb.DuckDBPyConnection:
    """A connection for the console: the published tables and marts, then locked down (see the module)."""
    folder = data_dir or db.published_dir()
    con = db.connect(folder, threads=1)
    # the big exports are views over the version's Parquet files (analytics/db.py): with external
    # access off, only that folder stays readable, so the views work and /etc/passwd does not
    con.execute("SET allowed_directories = $dirs", {"dirs": [str(folder.resolve()) + "/"]})
    # the tables live in the same buffer pool the limit counts, so the limit is their size plus room
    used = con.execute("select coalesce(sum(memory_usage_bytes), 0) from duckdb_memory()").fetchone()
    limit_mb = (int(used[0] if used else 0) + query_memory_bytes) // (1 << 20)
    con.execute(f"SET memory_limit = '{int(limit_mb)}MB'")
    for name, value in LOCKDOWN:
        con.execute(f"SET {name} = {value}")
    return con


@dataclass(frozen=True)
class ConsoleError:
    """What went wrong: ``kind`` (one of :data:`ERROR_KINDS`), DuckDB's message, the statement type refused."""

    kind: str
    message: str = ""
    statement_type: str = ""


@dataclass(frozen=True)
class ConsoleResult:
    frame: pd.DataFrame | None
    seconds: float
    capped: bool = False
    error: ConsoleError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def check(sql: str) -> ConsoleError | None:
    """None when ``sql`` is exactly one SELECT; otherwise why it is refused."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.ParserException as e:
        return ConsoleError("syntax", str(e))
    if not statements:
        return ConsoleError("empty")
    if len(statements) > 1:
        return ConsoleError("refused", statement_type=f"{len(statements)} × " + "; ".join(_types(statements)))
    kind = _types(statements)[0]
    if kind not in ALLOWED:
        return ConsoleError("refused", statement_type=kind)
    return None


def _types(statements: list[duckdb.Statement]) -> list[str]:
    return [str(getattr(s.type, "name", s.type)).removeprefix("StatementType.") for s in statements]


def run(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    time_limit_s: float = TIME_LIMIT_S,
    row_cap: int = ROW_CAP,
) -> ConsoleResult:
    """Check ``sql`` and, when it is one SELECT, run it on a cursor of ``con`` within the limits."""
    refused = check(sql)
    if refused is not None:
        return ConsoleResult(None, 0.0, error=refused)
    return _run_bounded(con, sql, time_limit_s=time_limit_s, row_cap=row_cap)


def _run_bounded(con: duckdb.DuckDBPyConnection, sql: str, *, time_limit_s: float, row_cap: int) -> ConsoleResult:
    """Layers 3 and 4: in a transaction always rolled back, interrupted at the time limit, capped.

    Kept apart from :func:`run` so that the tests can show that these layers hold on their own,
    for statements the check in :func:`run` would have refused.
    """
    cur = con.cursor()
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        cur.interrupt()

    timer = threading.Timer(time_limit_s, stop)
    timer.daemon = True
    started = time.perf_counter()
    try:
        cur.execute("BEGIN TRANSACTION")
        timer.start()
        try:
            # execute() streams a SELECT's result: fetching cap + 1 rows and abandoning the rest
            # stops the query there, so a long result is never computed in full
            cur.execute(sql)
            columns = [str(d[0]) for d in (cur.description or [])]
            rows = cur.fetchmany(row_cap + 1) if columns else []
            cur.abort()
        finally:
            timer.cancel()
    except duckdb.Error as e:
        return ConsoleResult(None, time.perf_counter() - started, error=_classify(e, timed_out.is_set()))
    finally:
        # nothing to roll back when BEGIN failed, or when the error ended the transaction already
        with contextlib.suppress(duckdb.Error):
            cur.execute("ROLLBACK")
        cur.close()
    frame = pd.DataFrame.from_records(rows[:row_cap], columns=_unique_names(columns))
    return ConsoleResult(frame, time.perf_counter() - started, capped=len(rows) > row_cap)


def _unique_names(names: list[str]) -> list[str]:
    """Column names as a table can show them: a repeated name gets " (2)", " (3)" …"""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _classify(error: duckdb.Error, timed_out: bool) -> ConsoleError:
    message = str(error)
    if isinstance(error, duckdb.InterruptException) or timed_out:
        return ConsoleError("timeout", message)
    if isinstance(error, duckdb.ParserException):
        return ConsoleError("syntax", message)
    if isinstance(error, duckdb.CatalogException | duckdb.BinderException):
        return ConsoleError("catalog", message)
    if isinstance(error, duckdb.PermissionException) or "configuration has been locked" in message:
        return ConsoleError("refused", message)
    if isinstance(error, duckdb.OutOfMemoryException):
        return ConsoleError("memory", message)
    return ConsoleError("other", message)


_PLAIN: Final = (str, int, float, bool, dt.date, dt.time, decimal.Decimal)


def for_download(frame: pd.DataFrame) -> pd.DataFrame:
    """A result every download format can hold: lists, structs, maps, intervals, blobs and the like
    become text; time zones are dropped (Excel has none)."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[col] = series.dt.tz_localize(None)
        elif pd.api.types.is_timedelta64_dtype(series.dtype):
            out[col] = series.astype(str)
        elif series.dtype == object:
            scalar = series.map(lambda v: v is None or isinstance(v, _PLAIN))
            if not bool(scalar.all()):
                out[col] = series.map(lambda v: None if v is None else str(v))
    return out


# --- the schema browser ----------------------------------------------------------------------

# A mart's columns mean what they mean in the staging table it is built from, unless the
# catalog gives the mart's column a meaning of its own.
MART_SOURCES: Final = {
    "dim_region": "stg_regions",
    "fct_indicator_month": "stg_progress",
    "fct_instructor_village_month": "stg_instructors",
    "fct_population_candidates": "stg_population",
}


def meaning_keys(table: str, column: str) -> tuple[str, ...]:
    """The catalog keys that may hold a column's meaning, the most specific first."""
    keys = [f"console.col.{table}.{column}"]
    if table in MART_SOURCES:
        keys.append(f"console.col.{MART_SOURCES[table]}.{column}")
    keys.append(f"console.col.{column}")
    return tuple(keys)
