"""The analysts' SQL console: read-only, bounded in time, rows, bytes and memory, over the published tables.

Defence in depth, each layer tested on its own (tests/unit/test_console.py, test_console_limits.py):

1. **A database of its own, locked down.** :func:`connect` builds the console's database with
   :func:`analytics.db.connect` (the same staging tables and marts the pages read), writes it to a
   file of this server process's own (outside the data root) and opens that file read-only. Every
   connection to it is locked down (:func:`_lock_down`): no file is read or written outside the
   table folders of the version in force (``read_csv('/etc/passwd')``, ``COPY … TO``,
   ``ATTACH 'file'``, ``INSTALL``/``LOAD`` all fail with DuckDB's permission error), no Python
   variable is scanned as a table, nothing spills to disk, and no ``SET`` can undo any of it.
   **Readable folders** are the contract's table folders of the version in force
   (``reference/regions/``, ``plan/targets/``, ``exports/progress/`` …), never the data root: the
   audit log (``<root>/audit/``), the version history (``<root>/versions/``), ``CURRENT`` and a
   users file stay unreadable whichever version is in force, the bundled one included.
2. **One SELECT only.** :func:`check` parses the text with ``duckdb.extract_statements`` and
   refuses anything but exactly one ``SELECT`` (which includes ``WITH``, ``VALUES``, ``FROM …``,
   ``DESCRIBE``, ``SHOW`` and ``SUMMARIZE``), naming the statement type it found.
3. **Read-only and rolled back.** The database file is opened read-only, and the query runs inside
   a transaction that is always rolled back.
4. **Bounded, in a process of its own.** Each query runs in a short-lived child process
   that opens the database file read-only. Why a process: DuckDB
   computes 2,048 rows at a time and the text those rows hold is not counted by its
   ``memory_limit`` (``select repeat('x', 1000000) from range(2500)`` built 2 GB in one step with
   the limit at 100 MB), so no setting inside the server's own process can bound a query's memory.
   The child is this module run by the server's own interpreter (``_child``). In it:

   * **memory**: the operating system caps the process's address space (``RLIMIT_AS``: its size
     after start-up plus :data:`QUERY_MEMORY_BYTES`); DuckDB's ``memory_limit``, ``threads = 1``,
     no temporary directory and ``max_temp_directory_size = 0`` keep DuckDB's own part inside that.
     A query over it fails with "out of memory" in the child; the server process never sees it.
   * **rows and bytes**: the result is read in Arrow record batches and reading stops at
     :data:`ROW_CAP` rows or :data:`BYTE_CAP` bytes kept, whichever comes first (the rest is never
     computed); text cells longer than :data:`CELL_CHARS` characters are cut, marked ``…[+N]``.
   * **time**: a timer interrupts the connection (``con.interrupt()``) at the deadline, which
     counts from the moment the server asked, so start-up, execution and fetching are all inside
     it. The server waits :data:`KILL_GRACE_S` more and then kills the child, so the limit holds
     even for a query that does not answer the interrupt.

   At most :data:`MAX_RUNNING` queries run at once per server process (others wait, within their
   own time limit), so the console as a whole is bounded too.

Every error comes back as a :class:`ConsoleError` whose ``kind`` the page explains in the
user's language, beside DuckDB's own message.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import decimal
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:  # the child process does without pandas (start-up time counts against the limit)
    import pandas as pd

TIME_LIMIT_S: Final = 10.0
ROW_CAP: Final = 5_000
# Bytes of result kept (after long cells are cut): what reaches the server, the browser and a download.
BYTE_CAP: Final = 32 << 20
# Text cells longer than this are cut for display; the marker says how much was left out.
CELL_CHARS: Final = 1_000
# Address space a query's process may take on top of what it holds after start-up (~0.8 GB of
# mostly untouched reservations): the bound on a console query's memory.
QUERY_MEMORY_BYTES: Final = 1 << 30
# DuckDB's own buffer pool in the query's process (sorts, hash tables, table blocks read from the
# file): inside QUERY_MEMORY_BYTES, so that DuckDB says "out of memory" before the OS refuses.
DUCKDB_MEMORY_BYTES: Final = 512 << 20
# After the deadline the child has this long to answer the interrupt before it is killed.
KILL_GRACE_S: Final = 3.0
# Console queries running at once in one server process (each in its own bounded process).
MAX_RUNNING: Final = 2
# Rows per Arrow batch read from DuckDB: the byte cap is checked after each.
BATCH_ROWS: Final = 256
ALLOWED: Final = frozenset({"SELECT"})
CUT_MARK: Final = "…[+{n}]"

# In this order; lock_configuration last, so that nothing before it can be changed again.
# enable_external_access=false is the one that closes files outside allowed_directories, network,
# ATTACH, COPY and extensions, and Python replacement scans (a query naming a Python variable);
# the others say the same thing again where DuckDB has a setting of its own, so that no single
# setting carries the whole guarantee. (python_enable_replacements=false would say it once more,
# but the Python client keeps it per connection: every cursor starts again from true, so it is
# not relied on.)
LOCKDOWN: Final = (
    ("threads", "1"),
    ("temp_directory", "''"),  # no spilling to disk: over the memory limit is an error
    ("max_temp_directory_size", "'0B'"),
    ("enable_external_access", "false"),
    ("autoinstall_known_extensions", "false"),
    ("autoload_known_extensions", "false"),
    ("allow_community_extensions", "false"),
    ("lock_configuration", "true"),
)

ERROR_KINDS: Final = ("empty", "syntax", "refused", "catalog", "timeout", "memory", "busy", "other")
STOPS: Final = ("rows", "bytes")

_RUNNING = threading.BoundedSemaphore(MAX_RUNNING)
_REPO: Final = Path(__file__).resolve().parent.parent


# --- the database -------------------------------------------------------------------------------


def readable_dirs(folder: Path) -> list[str]:
    """The folders a console query may read: the contract's table folders of ``folder`` (the version
    in force), never the data root, its audit log, its version history or anything beside them."""
    from analytics.contract import TABLES

    return sorted(str((folder / t.folder).resolve()) + "/" for t in TABLES.values())


def connect(data_dir: Path | None = None, *, query_memory_bytes: int = QUERY_MEMORY_BYTES) -> duckdb.DuckDBPyConnection:
    """The console's database for the version in ``data_dir``: built, written to a file of this
    process's own, and opened read-only and locked down. Queries run on it in a child process
    (:func:`run`); this connection serves the schema browser and names the file to the child."""
    from analytics import db

    folder = (data_dir or db.published_dir()).resolve()
    path = _store() / f"console-{uuid.uuid4().hex}.duckdb"
    if not _copy_built(folder, path):
        built = db.connect_in_memory(folder, threads=1)
        try:
            # the path is ours (a random name in our own temporary folder), never a user's
            built.execute(f"ATTACH '{path}' AS console_file")
            built.execute("COPY FROM DATABASE memory TO console_file")
            built.execute("DETACH console_file")
        finally:
            built.close()
    con = duckdb.connect(str(path), read_only=True)
    _lock_down(con, readable_dirs(folder), DUCKDB_MEMORY_BYTES, query_memory_bytes)
    # the file goes when the connection does (ui/cached.py keeps two); a child that has it open
    # keeps reading it until it ends (POSIX)
    weakref.finalize(con, _remove, path)
    return con


def _copy_built(folder: Path, path: Path) -> bool:
    """Copy the version's built file (analytics.db.BUILT_FILE) to ``path`` when it is current, its
    export views rewritten with absolute paths (a locked-down connection checks a file's path as
    written, and the built file's are relative to the version folder). A copy, not a rebuild of the
    marts; its own path, so its DuckDB instance and locks are not the pages' instance of the file.
    False when there is none to use."""
    from analytics import db
    from analytics.contract import TABLES

    source = folder / db.BUILT_FILE
    if not source.is_file():
        return False
    shutil.copyfile(source, path)
    try:
        con = duckdb.connect(str(path))
        try:
            stamp = con.execute("SELECT code, files FROM fpa_build").fetchone()
            if stamp is not None and stamp == (db.code_stamp(), db.files_stamp(folder)):
                for name in sorted(db.PARQUET_VIEWS):
                    # names from the contract, paths from the data-dir setting, never a user's
                    con.execute(f"CREATE OR REPLACE VIEW stg_{name} AS {db.staging_sql(folder, TABLES[name])}")
                con.execute("DROP TABLE fpa_build")  # bookkeeping, not data: not in the analysts' list
                con.execute("CHECKPOINT")
                return True
        finally:
            con.close()
    except duckdb.Error:
        pass
    _remove(path)
    return False


def _lock_down(con: duckdb.DuckDBPyConnection, dirs: list[str], duckdb_bytes: int, query_bytes: int) -> None:
    con.execute("SET allowed_directories = $dirs", {"dirs": dirs})
    con.execute(f"SET memory_limit = '{int(duckdb_bytes) >> 20}MB'")
    # what the child's address space may grow by: kept on the connection so that run() finds it
    con.execute("SET VARIABLE console_query_memory = $b", {"b": int(query_bytes)})
    for name, value in LOCKDOWN:
        con.execute(f"SET {name} = {value}")


_STORE: list[Path] = []


def _store() -> Path:
    """This process's folder for console database files (removed at exit)."""
    if not _STORE:
        folder = Path(tempfile.mkdtemp(prefix="fpa-console-"))
        atexit.register(shutil.rmtree, folder, True)
        _STORE.append(folder)
    return _STORE[0]


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(OSError):
            p.unlink()


def stated_limits() -> dict[str, str]:
    """The limits as the page states them, formatted for its messages (the values applied here)."""
    return {
        "seconds": f"{TIME_LIMIT_S:g}",
        "rows": f"{ROW_CAP:,}",
        "mb": f"{BYTE_CAP / (1 << 20):g}",
        "memory": f"{QUERY_MEMORY_BYTES / (1 << 20):,.0f}",
        "chars": f"{CELL_CHARS:,}",
    }


# --- results ------------------------------------------------------------------------------------


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
    capped: bool = False  # stopped at the row cap
    error: ConsoleError | None = None
    stopped: str | None = None  # "rows" or "bytes": why reading stopped before the result's end
    cut_cells: int = 0  # text cells cut at CELL_CHARS
    nbytes: int = 0  # bytes of the result kept
    peak_rss_bytes: int = 0  # the query process's peak resident memory (Linux; 0 when unknown)

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
    byte_cap: int = BYTE_CAP,
    cell_chars: int = CELL_CHARS,
) -> ConsoleResult:
    """Check ``sql`` and, when it is one SELECT, run it on ``con``'s database within the limits."""
    refused = check(sql)
    if refused is not None:
        return ConsoleResult(None, 0.0, error=refused)
    return _run_bounded(con, sql, time_limit_s=time_limit_s, row_cap=row_cap, byte_cap=byte_cap, cell_chars=cell_chars)


def _run_bounded(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    time_limit_s: float,
    row_cap: int,
    byte_cap: int = BYTE_CAP,
    cell_chars: int = CELL_CHARS,
) -> ConsoleResult:
    """Layers 3 and 4: in a child process, read-only, rolled back, within time, rows, bytes, memory.

    Kept apart from :func:`run` so that the tests can show that these layers hold on their own,
    for statements the check in :func:`run` would have refused.
    """
    started = time.monotonic()
    deadline = started + time_limit_s
    if not _RUNNING.acquire(timeout=time_limit_s):
        return ConsoleResult(None, time.monotonic() - started, error=ConsoleError("busy"))
    try:
        request = {"sql": sql, "deadline": deadline, "row_cap": row_cap, "byte_cap": byte_cap, "cell_chars": cell_chars}
        request.update(_where(con))
        header, body = _ask_child(request, deadline + KILL_GRACE_S)
    finally:
        _RUNNING.release()
    seconds = time.monotonic() - started
    peak = int(header.get("peak_rss_bytes") or 0)
    if header.get("error"):
        error = ConsoleError(**header["error"])
        return ConsoleResult(None, seconds, error=error, peak_rss_bytes=peak)
    table = pa.ipc.open_stream(body).read_all()
    return ConsoleResult(
        table.to_pandas(),
        seconds,
        capped=header.get("stopped") == "rows",
        stopped=header.get("stopped"),
        cut_cells=int(header.get("cut_cells", 0)),
        nbytes=int(header.get("nbytes", 0)),
        peak_rss_bytes=peak,
    )


def _where(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the child needs to open the same database under the same locks, read from ``con``."""
    cur = con.cursor()
    row = cur.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    dirs = cur.execute("select current_setting('allowed_directories')").fetchone()
    memory = cur.execute("select current_setting('memory_limit')").fetchone()
    query_bytes = cur.execute("select getvariable('console_query_memory')").fetchone()
    if not row or not row[0]:
        raise ValueError("not a console connection: use analytics.console.connect()")
    return {
        "path": str(row[0]),
        # DuckDB adds the database's own .tmp folder; the child sets its own list again
        "dirs": [d for d in (dirs[0] if dirs else []) if not str(d).startswith(str(row[0]) + ".tmp")],
        "duckdb_memory": memory[0] if memory else f"{DUCKDB_MEMORY_BYTES >> 20}MB",
        "query_memory": int(query_bytes[0]) if query_bytes and query_bytes[0] else QUERY_MEMORY_BYTES,
    }


def _ask_child(request: dict[str, Any], kill_at: float) -> tuple[dict[str, Any], bytes]:
    """Run one query in a child process; kill it at ``kill_at`` (monotonic) if it has not answered."""
    boot = f"import sys; sys.path.insert(0, {str(_REPO)!r}); from analytics.console import _child; _child()"
    # -I: no PYTHONPATH, user site or startup file from the environment; a bare environment
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": tempfile.gettempdir()}
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and code, no shell, no user text in argv
        [sys.executable, "-I", "-c", boot],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        out, err = proc.communicate(json.dumps(request).encode(), timeout=max(0.1, kill_at - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {
            "error": {"kind": "timeout", "message": "stopped: the query's process was ended at the time limit"}
        }, b""
    if len(out) < 4:
        # the child died without answering: killed by the system for memory, or crashed
        text = err.decode("utf-8", "replace")[-2000:]
        memory = proc.returncode == -9 or "alloc" in text or "MemoryError" in text or "Out of Memory" in text
        kind = "memory" if memory else "other"
        return {
            "error": {"kind": kind, "message": f"the query's process ended (exit code {proc.returncode}). {text}"}
        }, b""
    (size,) = struct.unpack("!I", out[:4])
    return json.loads(out[4 : 4 + size]), out[4 + size :]


# --- the child process --------------------------------------------------------------------------


def _status_kib(key: str) -> int:
    """A line of /proc/self/status in KiB (0 where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _child() -> None:
    """The child's whole life: read the request, run the query bounded, write the answer, end."""
    request = json.loads(sys.stdin.buffer.read())
    header, body = _child_run(request)
    header["peak_rss_bytes"] = _status_kib("VmHWM") * 1024
    raw = json.dumps(header).encode()
    sys.stdout.buffer.write(struct.pack("!I", len(raw)) + raw + body)
    sys.stdout.buffer.flush()


def _child_run(req: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    import resource

    deadline = float(req["deadline"])
    timed_out = threading.Event()
    try:
        con = duckdb.connect(str(req["path"]), read_only=True)
        con.execute("SET allowed_directories = $dirs", {"dirs": list(req["dirs"])})
        con.execute("SET memory_limit = $m", {"m": str(req["duckdb_memory"])})
        for name, value in LOCKDOWN:
            con.execute(f"SET {name} = {value}")
    except duckdb.Error as e:
        return {"error": {"kind": "other", "message": str(e)}}, b""
    # the memory bound: from here on the process cannot map more than this, whatever DuckDB counts
    # (Linux, where the service runs; without /proc the size is unknown and only DuckDB's limit holds)
    size = _status_kib("VmSize") * 1024
    if size:
        limit = size + int(req["query_memory"])
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def stop() -> None:
        timed_out.set()
        con.interrupt()

    timer = threading.Timer(max(0.0, deadline - time.monotonic()), stop)
    timer.daemon = True
    timer.start()
    try:
        con.execute("BEGIN TRANSACTION")
        header, body = _fetch(con, req)
        if timed_out.is_set() or time.monotonic() > deadline:
            # the limit holds for fetching too: a result finished after the deadline is not shown
            return {"error": {"kind": "timeout", "message": "Interrupted: over the time limit"}}, b""
        return header, body
    except (duckdb.Error, pa.ArrowException, MemoryError, OSError) as e:
        return {"error": {"kind": _classify(e, timed_out.is_set()), "message": str(e)}}, b""
    finally:
        timer.cancel()
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")


def _fetch(con: duckdb.DuckDBPyConnection, req: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Read the result in Arrow batches until its end, the row cap or the byte cap."""
    row_cap, byte_cap, cell_chars = int(req["row_cap"]), int(req["byte_cap"]), int(req["cell_chars"])
    rel = con.sql(str(req["sql"]))
    if rel is None:  # a statement with no result (only reached in the tests of the lower layers)
        return {"columns": [], "stopped": None, "cut_cells": 0, "nbytes": 0}, _ipc(pa.table({}))
    reader = rel.to_arrow_reader(BATCH_ROWS)
    kept: list[pa.RecordBatch] = []
    rows = nbytes = cut = 0
    stopped: str | None = None
    schema: pa.Schema | None = None
    for batch in reader:
        over_cap = batch.num_rows > row_cap - rows  # more rows than the cap exist: say so
        batch = batch.slice(0, row_cap - rows)
        batch, n_cut = _cut_cells(batch, cell_chars)
        schema = batch.schema
        cut += n_cut
        if nbytes + batch.nbytes > byte_cap:
            batch = _fit(batch, byte_cap - nbytes)
            kept.append(batch)
            rows, nbytes = rows + batch.num_rows, nbytes + batch.nbytes
            stopped = "bytes"
            break
        kept.append(batch)
        rows, nbytes = rows + batch.num_rows, nbytes + batch.nbytes
        if over_cap:
            stopped = "rows"
            break
    # stop DuckDB at once: the rest of the result is never computed
    with contextlib.suppress(Exception):
        reader.close()
    table = pa.Table.from_batches(kept, schema=schema) if kept else _empty(reader.schema, cell_chars)
    table = table.rename_columns(_unique_names(table.column_names))
    return {"stopped": stopped, "cut_cells": cut, "nbytes": nbytes}, _ipc(table)


def _empty(schema: pa.Schema, cell_chars: int) -> pa.Table:
    batch, _ = _cut_cells(pa.RecordBatch.from_pylist([], schema=schema), cell_chars)
    return pa.Table.from_batches([], schema=batch.schema)


def _cut_cells(batch: pa.RecordBatch, limit: int) -> tuple[pa.RecordBatch, int]:
    """Text cells longer than ``limit`` characters cut to ``limit`` and marked with what was left out."""
    columns, cut = [], 0
    for col in batch.columns:
        if pa.types.is_string_view(col.type) or pa.types.is_large_string(col.type):
            col = col.cast(pa.string())
        if pa.types.is_string(col.type) and len(col):
            lengths = pc.utf8_length(col)
            long = pc.greater(lengths, limit)
            n = int(pc.sum(long).as_py() or 0)
            if n:
                rest = pc.cast(pc.subtract(lengths, limit), pa.string())
                marked = pc.binary_join_element_wise(
                    pc.utf8_slice_codeunits(col, 0, limit), CUT_MARK.split("{n}")[0], rest, CUT_MARK.split("{n}")[1], ""
                )
                col = pc.if_else(long, marked, col)
                cut += n
        columns.append(col)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names), cut


def _fit(batch: pa.RecordBatch, room: int) -> pa.RecordBatch:
    """The longest head of ``batch`` whose bytes fit in ``room``."""
    lo, hi = 0, batch.num_rows
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if batch.slice(0, mid).nbytes <= room:
            lo = mid
        else:
            hi = mid - 1
    return batch.slice(0, lo)


def _ipc(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _unique_names(names: list[str]) -> list[str]:
    """Column names as a table can show them: a repeated name gets " (2)", " (3)" …"""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _classify(error: BaseException, timed_out: bool) -> str:
    message = str(error)
    if isinstance(error, duckdb.InterruptException) or timed_out or "INTERRUPT" in message:
        return "timeout"
    if isinstance(error, duckdb.ParserException):
        return "syntax"
    if isinstance(error, duckdb.CatalogException | duckdb.BinderException):
        return "catalog"
    if isinstance(error, duckdb.PermissionException) or "configuration has been locked" in message:
        return "refused"
    if "read-only mode" in message:
        return "refused"
    if isinstance(error, duckdb.OutOfMemoryException | MemoryError) or "Out of Memory" in message:
        return "memory"
    if "bad_alloc" in message or "failed to allocate" in message:
        return "memory"
    return "other"


# --- downloads ------------------------------------------------------------------------------------

_PLAIN: Final = (str, int, float, bool, dt.date, dt.time, decimal.Decimal)


def for_download(frame: pd.DataFrame) -> pd.DataFrame:
    """A result every download format can hold: lists, structs, maps, intervals, blobs and the like
    become text; time zones are dropped (Excel has none)."""
    import pandas as pd

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
    "dim_indicator": "stg_indicators",
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
