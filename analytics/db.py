"""One DuckDB connection over a data folder: staging views and materialised marts.

``connect(data_dir)`` is the only place that knows where the Parquet files are. It
creates

* ``stg_<table>`` tables read from every ``*.parquet`` of a table's folder, each column
  cast to the contract's type, plus ``source_file`` (the file a row came from, relative
  to the table's folder); an absent table is an empty table of the right shape, so a
  data folder without, say, trainings still opens; the big exports (progress,
  instructors) are views over their files instead, read where they are asked for;
* the marts in ``sql/marts/*.sql`` (file order), materialised as tables once, because
  every page reads them many times and they are small next to memory.

Callers take a cursor per query (``con.cursor()``): a DuckDB connection is not safe to
share between threads, and every Streamlit session is a thread.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from analytics import publish
from analytics.contract import MANIFEST_FILE, TABLES, Table

SQL_DIR = Path(__file__).parent / "sql"
# exports read through views over their files rather than copied into memory (see connect)
PARQUET_VIEWS = frozenset({"progress", "instructors"})
# optional cap on DuckDB's memory, e.g. FPA_DUCKDB_MEMORY=1GB
MEMORY_ENV = "FPA_DUCKDB_MEMORY"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

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
    value = os.environ.get("FPA_DATA_DIR")
    return Path(value).expanduser().resolve() if value else DEFAULT_DATA_DIR


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


def _sql_literal(text: str) -> str:
    """A SQL string literal. Only used for file paths from the data-dir setting, never user input."""
    return "'" + text.replace("'", "''") + "'"


def staging_sql(data_dir: Path, table: Table) -> str:
    """The SELECT behind ``stg_<table>``: contract columns, cast to contract types."""
    files = table_files(data_dir, table)
    cols = []
    for field in table.schema:
        duck = _DUCK_TYPES[field.type]
        source = f'"{field.name}"' if files else "NULL"
        cols.append(f'CAST({source} AS {duck}) AS "{field.name}"')
    # the file each row came from, relative to the table's folder: the figure-in-force rule
    # for population and the data quality page trace rows to files with it
    folder = str(data_dir / table.folder).replace("\\", "/").rstrip("/") + "/"
    if files:
        cols.append(f"replace(replace(filename, '\\', '/'), {_sql_literal(folder)}, '') AS source_file")
    else:
        cols.append("CAST(NULL AS VARCHAR) AS source_file")
    select = ",\n    ".join(cols)
    if not files:
        return f"SELECT\n    {select}\nWHERE false"
    file_list = ", ".join(_sql_literal(str(f)) for f in files)
    return f"SELECT\n    {select}\nFROM read_parquet([{file_list}], union_by_name = true, filename = true)"


def mart_files() -> list[Path]:
    return sorted((SQL_DIR / "marts").glob("*.sql"))


def mart_name(path: Path) -> str:
    """``030_fct_instructor_village_month.sql`` → ``fct_instructor_village_month``."""
    return path.stem.split("_", 1)[1]


def connect(data_dir: Path | None = None, *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the staging tables and marts of ``data_dir``.

    Without ``data_dir``: the version in force under the data root from the environment.
    """
    data_dir = data_dir or published_dir()
    con = duckdb.connect(":memory:")
    # a data version's files never change (analytics/publish.py): their Parquet footers can be
    # read once; a national export split by year and province is 155 files a table
    con.execute("SET parquet_metadata_cache = true")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for table in TABLES.values():
        # Staging tables are read into memory once: every page query joins the small plan
        # and region tables, and re-reading Parquet on each query cost more than the query.
        # The big exports stay views over their Parquet files: the marts read them once here,
        # and a query that asks for one year or province reads only those row groups, so
        # memory does not grow with the exports (a national instructors export is 5 million rows).
        kind = "VIEW" if table.name in PARQUET_VIEWS else "TABLE"
        con.execute(f"CREATE {kind} stg_{table.name} AS {staging_sql(data_dir, table)}")
    memory = os.environ.get(MEMORY_ENV)
    if memory:
        # a cap on DuckDB's memory (e.g. "1GB" on a national server): above it DuckDB spills
        # to disk instead of growing the process (docs/deployment.md)
        con.execute("SET memory_limit = $limit", {"limit": memory})
    for path in mart_files():
        build_mart(con, path)
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
    parts = []
    for table in TABLES.values():
        for f in table_files(data_dir, table):
            st = f.stat()
            parts.append(f"{f}:{st.st_size}:{st.st_mtime_ns}")
    manifest = data_dir / MANIFEST_FILE
    if manifest.exists():
        parts.append(f"manifest:{manifest.stat().st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
