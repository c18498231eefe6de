"""One DuckDB connection over a data folder: staging views and materialised marts.

``connect(data_dir)`` is the only place that knows where the Parquet files are. It
creates

* ``stg_<table>`` tables read from every ``*.parquet`` of a table's folder, each column
  cast to the contract's type, plus ``source_file`` (the file a row came from, relative
  to the table's folder); an absent table is an empty table of the right shape, so a
  data folder without, say, trainings still opens; the big exports (progress,
  instructors) are views over their files instead, read where they are asked for;
* the marts in ``sql/marts/*.sql`` (file order), materialised as tables once, because
  every page reads them many times and they are small next to memory;
* the table macros in ``sql/macros/*.sql`` (``village_units($within)`` …): a rule several
  query files share, written once; a macro is expanded where it is used, so a query reads
  no more than it did with the rule pasted in.

Callers take a cursor per query (``con.cursor()``): a DuckDB connection is not safe to
share between threads, and every Streamlit session is a thread.

**Built once at publish time.** A published version carries ``marts.duckdb`` (:func:`build_file`,
called by analytics/publish.py before the version goes in force): the same staging tables, marts
and macros written to a DuckDB file, the big exports as views whose paths are relative to the
version folder. :func:`connect` attaches it read-only when it was built by the SQL in force
(:func:`code_stamp`), so every server process — every replica — opens a version without building
anything, and the operating system's page cache is shared between them. A folder without it (the
bundled data, a version published before this file existed, SQL changed since) is built in memory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analytics import publish, settings
from analytics.contract import MANIFEST_FILE, TABLES, Table

log = logging.getLogger(__name__)

SQL_DIR = Path(__file__).parent / "sql"
# exports read through views over their files rather than copied into memory (see connect)
PARQUET_VIEWS = frozenset({"progress", "instructors"})
# optional cap on DuckDB's memory, e.g. FPA_DUCKDB_MEMORY=1GB
MEMORY_ENV = settings.DUCKDB_MEMORY.name
DEFAULT_DATA_DIR = settings.data_dir({})  # the bundled data/ (the setting's default)
# the database a version is built into at publish time, and the table naming the code that built it
BUILT_FILE = "marts.duckdb"
_STAMP_TABLE = "fpa_build"  # a constant: the only name put into SQL text here

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int8(): "TINYINT",
    pa.int16(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
    pa.bool_(): "BOOLEAN",
}


def data_dir_from_env() -> Path:
    """The data root: ``FPA_DATA_DIR`` when set, else the bundled ``data/``.

    The root holds the published versions (analytics/publish.py); read tables from
    ``published_dir(root)``, the version in force, never from the root directly.
    """
    return settings.data_dir()


def published_dir(root: Path | None = None) -> Path:
    """The folder of the version in force under ``root`` (default: the data root from the environment)."""
    return publish.current_dir(root or data_dir_from_env())


@dataclass(frozen=True)
class Manifest:
    """What a data folder says about itself (``manifest.json``)."""

    demo: bool
    description: str
    generated_by: str | None
    scale: str | None

    @staticmethod
    def read(data_dir: Path) -> Manifest:
        path = data_dir / MANIFEST_FILE
        if not path.exists():
            # An analyst's own folder without a manifest is taken as real data.
            return Manifest(demo=False, description="", generated_by=None, scale=None)
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(
            demo=bool(raw.get("demo", False)),
            description=str(raw.get("description", "")),
            generated_by=raw.get("generated_by"),
            scale=raw.get("scale"),
        )


def table_files(data_dir: Path, table: Table) -> list[Path]:
    folder = data_dir / table.folder
    return sorted(folder.glob("**/*.parquet")) if folder.is_dir() else []


@dataclass(frozen=True)
class SkippedFile:
    """A Parquet file in a table's folder that does not fit the table, left out of it.

    One file of another shape (a trainings export dropped into ``exports/progress/``, a file with
    renamed columns) used to make the connection raise and took every page down; it is now left
    out, the table is read from its other files, and this says which file and which columns.
    """

    table: str
    file: str  # relative to the data folder
    foreign: tuple[str, ...] = ()  # columns the contract does not have
    missing: tuple[str, ...] = ()  # required (non-nullable) contract columns the file lacks
    mistyped: tuple[tuple[str, str, str], ...] = ()  # (column, the file's type, the contract's type)
    unreadable: str = ""  # why the file could not be read as Parquet

    @property
    def message(self) -> str:
        parts = []
        if self.unreadable:
            parts.append(f"not a readable Parquet file ({self.unreadable})")
        if self.foreign:
            parts.append(f"columns not in the data contract of {self.table}: {', '.join(self.foreign)}")
        if self.missing:
            parts.append(f"required columns missing: {', '.join(self.missing)}")
        for column, found, wanted in self.mistyped:
            parts.append(f"column {column} is {found}, the contract says {wanted}")
        return f"{self.file}: left out of table {self.table}: " + "; ".join(parts)


def _family(typ: pa.DataType) -> str:
    """What a column's values are, as far as casting to the contract's type goes."""
    if pa.types.is_dictionary(typ):  # a pandas category: its values' type
        return _family(typ.value_type)
    if pa.types.is_integer(typ):
        return "integer"
    if pa.types.is_floating(typ) or pa.types.is_decimal(typ):
        return "number"
    if pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_string_view(typ):
        return "text"
    if pa.types.is_date(typ) or pa.types.is_timestamp(typ):
        return "date"
    if pa.types.is_boolean(typ):
        return "boolean"
    if pa.types.is_null(typ):  # a column with no value at all casts to anything
        return "null"
    return str(typ)


# which kinds of values each contract kind is read from (the staging SQL casts them)
_CASTS_FROM = {
    "integer": {"integer", "null"},
    "number": {"integer", "number", "null"},
    "text": {"text", "null"},
    "date": {"date", "null"},
    "boolean": {"boolean", "null"},
}


def check_file(data_dir: Path, table: Table, path: Path) -> SkippedFile | None:
    """None when ``path`` fits ``table`` (see :func:`_check`); else what is wrong with it."""
    return _check(data_dir, table, path)[0]


def _check(data_dir: Path, table: Table, path: Path) -> tuple[SkippedFile | None, list[str]]:
    """What is wrong with ``path`` for ``table`` (None: it fits) and its column names; only the
    file's footer is read.

    A file fits when every column is the contract's, every required (non-nullable) column is
    there, and each column's type casts to the contract's. A nullable column a file lacks reads
    as empty for that file's rows (older exports); a column the contract does not know is not
    read past: it is a sign the file belongs to another table or another format.
    """
    rel = str(path.relative_to(data_dir)) if path.is_relative_to(data_dir) else str(path)
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as error:
        return SkippedFile(table.name, rel, unreadable=(str(error).splitlines() or [""])[0][:200]), []
    contract = {f.name: f for f in table.schema}
    names = [n for n in schema.names if n != "__index_level_0__"]  # pandas' index, when written
    foreign = tuple(n for n in names if n not in contract)
    missing = tuple(f.name for f in table.schema if not f.nullable and f.name not in names)
    mistyped = tuple(
        (n, str(schema.field(n).type), str(contract[n].type))
        for n in names
        if n in contract
        and _family(schema.field(n).type) not in _CASTS_FROM.get(_family(contract[n].type), {_family(contract[n].type)})
    )
    if foreign or missing or mistyped:
        return SkippedFile(table.name, rel, foreign, missing, mistyped), names
    return None, names


def usable_files(data_dir: Path, table: Table) -> tuple[list[Path], list[SkippedFile], set[str]]:
    """A table's files that fit its contract, the ones left out, and the contract columns the
    usable files have between them."""
    usable: list[Path] = []
    skipped: list[SkippedFile] = []
    present: set[str] = set()
    for path in table_files(data_dir, table):
        problem, names = _check(data_dir, table, path)
        if problem is None:
            usable.append(path)
            present.update(names)
        else:
            skipped.append(problem)
    return usable, skipped, present


def skipped_files(data_dir: Path | None = None) -> list[SkippedFile]:
    """Every file left out of its table in ``data_dir`` (default: the version in force), for the
    data quality page and the server log."""
    data_dir = data_dir or published_dir()
    return [s for table in TABLES.values() for s in usable_files(data_dir, table)[1]]


def _sql_literal(text: str) -> str:
    """A SQL string literal. Only used for file paths from the data-dir setting, never user input."""
    return "'" + text.replace("'", "''") + "'"


def staging_sql(
    data_dir: Path,
    table: Table,
    files: list[Path] | None = None,
    present: set[str] | None = None,
    *,
    relative: bool = False,
) -> str:
    """The SELECT behind ``stg_<table>``: contract columns, cast to contract types, read from
    ``files`` (default: every file that fits the contract, :func:`usable_files`); a column none
    of them has (``present``) reads as empty. ``relative``: the paths relative to ``data_dir``,
    for a view stored in a built file and read wherever the version folder is (DuckDB's
    ``file_search_path`` names the folder when the file is opened)."""
    if files is None:
        files, _, present = usable_files(data_dir, table)
    cols = []
    for field in table.schema:
        duck = _DUCK_TYPES[field.type]
        source = f'"{field.name}"' if files and (present is None or field.name in present) else "NULL"
        cols.append(f'CAST({source} AS {duck}) AS "{field.name}"')
    # the file each row came from, relative to the table's folder: the figure-in-force rule
    # for population and the data quality page trace rows to files with it
    folder = str(data_dir / table.folder).replace("\\", "/").rstrip("/") + "/"
    if files and relative:
        # the reader prefixes the search path it finds the file under: keep what follows the
        # table's folder (a table's folder never holds another folder of the same name)
        pattern = "^.*/" + table.folder.rstrip("/") + "/"
        cols.append(f"regexp_replace(replace(filename, '\\', '/'), {_sql_literal(pattern)}, '') AS source_file")
    elif files:
        cols.append(f"replace(replace(filename, '\\', '/'), {_sql_literal(folder)}, '') AS source_file")
    else:
        cols.append("CAST(NULL AS VARCHAR) AS source_file")
    select = ",\n    ".join(cols)
    if not files:
        return f"SELECT\n    {select}\nWHERE false"
    file_list = ", ".join(_sql_literal(str(f.relative_to(data_dir)) if relative else str(f)) for f in files)
    return f"SELECT\n    {select}\nFROM read_parquet([{file_list}], union_by_name = true, filename = true)"


def mart_files() -> list[Path]:
    return sorted((SQL_DIR / "marts").glob("*.sql"))


def macro_files() -> list[Path]:
    return sorted((SQL_DIR / "macros").glob("*.sql"))


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table macros of ``sql/macros/`` (each file one ``create macro`` statement, its
    grain on the first line). The tables they read must exist: a macro is bound when created."""
    for path in macro_files():
        con.execute(path.read_text(encoding="utf-8"))


def mart_name(path: Path) -> str:
    """``030_fct_instructor_village_month.sql`` → ``fct_instructor_village_month``."""
    return path.stem.split("_", 1)[1]


def connect(
    data_dir: Path | None = None, *, threads: int | None = None, held_back: pd.DataFrame | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the staging tables, marts and macros of ``data_dir``: the version's
    built file attached read-only when it is current (:func:`open_built`), else built in memory.

    Without ``data_dir``: the version in force under the data root from the environment.
    ``held_back`` (county_code, period_end: analytics.reporting.cycle.held_back) leaves those county
    months' progress and instructor rows out of everything, marts included: the figures the
    province has accepted only. Such a connection is built in memory (the built file holds all).
    """
    data_dir = data_dir or published_dir()
    if held_back is not None and not held_back.empty:
        return connect_in_memory(data_dir, threads=threads, held_back=held_back)
    built = open_built(data_dir, threads=threads)
    return built if built is not None else connect_in_memory(data_dir, threads=threads)


def _settings(con: duckdb.DuckDBPyConnection, threads: int | None) -> None:
    # a data version's files never change (analytics/publish.py): their Parquet footers can be
    # read once; a national export split by year and province is 155 files a table
    con.execute("SET parquet_metadata_cache = true")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    memory = settings.duckdb_memory()
    if memory:
        # a cap on DuckDB's memory (e.g. "1GB" on a national server): above it DuckDB spills
        # to disk instead of growing the process (docs/deployment.md)
        con.execute("SET memory_limit = $limit", {"limit": memory})


# the exports whose rows belong to a county month of the reporting cycle (analytics/reporting)
HELD_TABLES = frozenset({"progress", "instructors"})
# a row is held back when its region reports through a held-back county (a county's own row, a
# village's row through its county_code) for the same month; names are constants, values a table
_HELD_FILTER = """SELECT s.* FROM ({sql}) AS s
WHERE NOT EXISTS (
    SELECT 1 FROM reporting_held_back AS h JOIN stg_regions AS r ON r.county_code = h.county_code
    WHERE r.region_code = s.region_code AND h.period_end = s.period_end
)"""


def _build(
    con: duckdb.DuckDBPyConnection, data_dir: Path, *, relative: bool = False, held_back: pd.DataFrame | None = None
) -> None:
    """Staging tables and views, marts and macros of ``data_dir`` in ``con``'s default database."""
    if held_back is not None:
        frame = held_back[["county_code", "period_end"]].astype({"county_code": "string"})
        con.execute("CREATE TABLE reporting_held_back (county_code VARCHAR, period_end DATE)")
        con.executemany(
            "INSERT INTO reporting_held_back VALUES (?, ?)",
            [(str(c), p) for c, p in zip(frame["county_code"], frame["period_end"], strict=True)],
        )
    for table in TABLES.values():
        # Staging tables are read into memory once: every page query joins the small plan
        # and region tables, and re-reading Parquet on each query cost more than the query.
        # The big exports stay views over their Parquet files: the marts read them once here,
        # and a query that asks for one year or province reads only those row groups, so
        # memory does not grow with the exports (a national instructors export is 5 million rows).
        kind = "VIEW" if table.name in PARQUET_VIEWS else "TABLE"
        files, skipped, present = usable_files(data_dir, table)
        for problem in skipped:
            # one foreign file must not take every page down: it is left out and said so
            # (the data quality page lists them too, db.skipped_files)
            log.warning("%s", problem.message)
        sql = staging_sql(data_dir, table, files, present, relative=relative)
        if held_back is not None and table.name in HELD_TABLES:
            sql = _HELD_FILTER.format(sql=sql)
        con.execute(f"CREATE {kind} stg_{table.name} AS {sql}")
    for path in mart_files():
        build_mart(con, path)
    create_macros(con)


def code_stamp() -> str:
    """What a built file depends on besides the data: the mart and macro SQL, the contract's
    schemas, the staging rules. A file built by other code is not used (it is built in memory)."""
    digest = hashlib.sha256()
    for path in [*mart_files(), *macro_files(), Path(__file__)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for table in TABLES.values():
        digest.update(f"{table.name}:{table.folder}:{table.schema}".encode())
    return digest.hexdigest()[:16]


def files_stamp(data_dir: Path) -> str:
    """The table files a build read: each one's path in the folder, size and modification time
    (kept by the hard links and copies of a publish), and the manifest's."""
    parts = []
    for table in TABLES.values():
        for f in table_files(data_dir, table):
            st = f.stat()
            parts.append(f"{f.relative_to(data_dir).as_posix()}:{st.st_size}:{st.st_mtime_ns}")
    manifest = data_dir / MANIFEST_FILE
    if manifest.exists():
        parts.append(f"manifest:{manifest.stat().st_size}:{manifest.stat().st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def build_file(data_dir: Path) -> Path:
    """Build ``data_dir``'s staging tables, marts and macros into ``data_dir/marts.duckdb`` (written
    beside, then renamed into place). Called at publish time on the version being written, which
    no one reads yet: the file is never written while anyone has it open."""
    target = data_dir / BUILT_FILE
    partial = data_dir / f".{BUILT_FILE}.partial"
    partial.unlink(missing_ok=True)
    con = duckdb.connect(str(partial))
    try:
        _settings(con, None)
        # relative paths resolve against the folder being built now, the version folder later
        con.execute("SET GLOBAL file_search_path = $p", {"p": str(data_dir.resolve())})
        _build(con, data_dir, relative=True)
        con.execute(
            f"CREATE TABLE {_STAMP_TABLE} AS SELECT $code AS code, $files AS files",
            {"code": code_stamp(), "files": files_stamp(data_dir)},
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(partial, target)
    return target


def open_built(data_dir: Path, *, threads: int | None = None) -> duckdb.DuckDBPyConnection | None:
    """``data_dir``'s built file opened read-only, or None when there is none or it was built by
    other code. Several processes may hold it open at once (read-only), and every connection of
    this process to it shares one DuckDB instance and its settings."""
    path = data_dir / BUILT_FILE
    if not path.is_file():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        log.warning("%s cannot be opened (%s): building in memory", path, error)
        return None
    try:
        # GLOBAL: every cursor of the connection (one per query) resolves the views' relative paths
        con.execute("SET GLOBAL file_search_path = $p", {"p": str(data_dir.resolve())})
        _settings(con, threads)
        stamp = con.execute(f"SELECT code, files FROM {_STAMP_TABLE}").fetchone()  # noqa: S608 - a constant
    except duckdb.Error as error:
        log.warning("%s cannot be used (%s): building in memory", path, error)
        con.close()
        return None
    if stamp is None or stamp[0] != code_stamp():
        log.info("%s was built by other code: building in memory", path)
        con.close()
        return None
    if stamp[1] != files_stamp(data_dir):
        # a folder edited in place (not a published version, whose files never change)
        log.warning("%s was built from other files: building in memory", path)
        con.close()
        return None
    return con


def connect_in_memory(
    data_dir: Path, *, threads: int | None = None, held_back: pd.DataFrame | None = None
) -> duckdb.DuckDBPyConnection:
    """``data_dir`` built in memory, whether or not it has a built file (the console copies it into
    a locked-down file of its own, which a shared read-only instance could not be)."""
    con = duckdb.connect(":memory:")
    _settings(con, threads)
    _build(con, data_dir, held_back=held_back)
    return con


# every plan year the data mentions (the plan tables and the exports)
PLAN_YEARS_SQL = """
    select plan_year from stg_plan_items union select plan_year from stg_targets
    union select plan_year from stg_progress union select plan_year from stg_instructors
    union select plan_year from stg_childcare_points union select plan_year from stg_trainings
    order by 1
"""
# the areas of the region table: the first digit of its province codes (GB/T 2260: 1 north,
# 2 northeast, 3 east, 4 central south, 5 southwest, 6 northwest); Hunan alone is one
AREAS_SQL = "select distinct substr(province_code, 1, 1) from dim_region where province_code is not null order by 1"


def build_mart(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Materialise one mart. A mart whose SQL takes ``$plan_year`` is built one plan year at a
    time, and if it also takes ``$area`` one area of each year at a time (a sixth of a national
    table): what it holds in memory while it is built is one year's (one area's), however big
    the data, and its rows are stored in that order."""
    name, sql = mart_name(path), path.read_text(encoding="utf-8")
    if "$plan_year" not in sql:
        con.execute(f"CREATE TABLE {name} AS {sql}")
        return
    years = [int(y) for (y,) in con.execute(PLAN_YEARS_SQL).fetchall()]
    areas = [str(a) for (a,) in con.execute(AREAS_SQL).fetchall()] if "$area" in sql else [None]
    chunks = [{"plan_year": y} if a is None else {"plan_year": y, "area": a} for y in years for a in areas]
    if not chunks:  # no data: an empty mart of the right shape
        chunks = [{"plan_year": 0} if areas == [None] else {"plan_year": 0, "area": ""}]
    con.execute(f"CREATE TABLE {name} AS {sql}", chunks[0])
    for params in chunks[1:]:
        # the name is a mart file's, never a caller's
        con.execute(f"INSERT INTO {name} {sql}", params)


def data_version(data_dir: Path) -> str:
    """A token that changes whenever a table file or the manifest changes (for cache keys)."""
    info = data_dir / publish.VERSION_FILE
    if info.exists():
        # a published version's folder never changes: its id is its version
        return data_dir.name
    return files_stamp(data_dir)
