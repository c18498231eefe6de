"""The SQL console: every refusal the issue lists changes nothing, and each layer holds on its own.

Layers (analytics/console.py): 1 the locked-down database, 2 the one-SELECT check, 3 the
read-only database and the transaction always rolled back, 4 the query's own process bounded in
time, rows, bytes and memory. The tests of a single layer call ``console._run_bounded`` directly,
which skips layer 2, to show that the layer below still holds. The limits on bytes, memory and
time including fetching, and the readable folders, are in test_console_limits.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import console, db
from analytics.queries import console as console_queries
from tests.threads import Checked
from tests.unit import tiny

CROSS_JOIN = "select count(*) from range(1000000) a(x), range(1000000) b(y) where x + y < 0"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny.build(tmp_path_factory.mktemp("tiny_console"))


@pytest.fixture(scope="module")
def con(data_dir: Path) -> duckdb.DuckDBPyConnection:
    return console.connect(data_dir)


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """What a refused statement must leave as it was: tables and their rows, databases, settings, functions."""
    cur = con.cursor()
    tables = cur.execute("select table_name, estimated_size from duckdb_tables() order by 1").fetchall()
    counts = {name: cur.execute(f'select count(*) from "{name}"').fetchone() for name, _ in tables}
    return {
        "tables": tables,
        "rows": counts,
        "views": cur.execute("select view_name from duckdb_views() where not internal").fetchall(),
        "databases": cur.execute("select database_name from duckdb_databases() order by 1").fetchall(),
        "settings": cur.execute("select name, value from duckdb_settings() order by 1").fetchall(),
        # an extension loaded would bring functions (duckdb_extensions() itself reads the disk: refused)
        "functions": cur.execute("select count(*) from duckdb_functions()").fetchone(),
    }


# --- the list: a clear message, nothing changed -------------------------------------------


@pytest.mark.parametrize(
    ("sql", "kind", "statement_type"),
    [
        ("select * from read_csv('/etc/passwd', sep = ':')", "refused", ""),
        ("select * from read_text('/etc/passwd')", "refused", ""),
        ("COPY (select * from stg_regions) TO '{tmp}/out.csv'", "refused", "COPY"),
        ("ATTACH '{tmp}/other.duckdb' AS other", "refused", "ATTACH"),
        ("ATTACH ':memory:' AS other", "refused", "ATTACH"),
        ("INSTALL httpfs", "refused", "LOAD"),
        ("LOAD httpfs", "refused", "LOAD"),
        ("SET memory_limit = '100GB'", "refused", "SET"),
        ("SET enable_external_access = true", "refused", "SET"),
        ("RESET lock_configuration", "refused", "SET"),
        ("DROP VIEW stg_regions", "refused", "DROP"),
        ("DROP TABLE stg_regions", "refused", "DROP"),
        ("DELETE FROM stg_progress", "refused", "DELETE"),
        ("CREATE TABLE notes AS SELECT 1", "refused", "CREATE"),
        ("EXPORT DATABASE '{tmp}/export'", "refused", "EXPORT"),
        ("select 1; drop table stg_regions", "refused", "2 × SELECT; DROP"),
    ],
)
def test_refused_with_a_clear_message_and_nothing_changes(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, sql: str, kind: str, statement_type: str
) -> None:
    before = snapshot(con)
    result = console.run(con, sql.format(tmp=tmp_path), time_limit_s=5)
    assert result.error is not None and result.frame is None
    assert (result.error.kind, result.error.statement_type) == (kind, statement_type)
    if not statement_type:  # refused by DuckDB itself: its message says why
        assert "Permission Error" in result.error.message and "disabled by configuration" in result.error.message
    assert snapshot(con) == before
    assert list(tmp_path.iterdir()) == [], "a refused statement wrote a file"


# --- layer 1: the locked-down database, on its own ----------------------------------------------


def _lockdown_in_force(settings: dict[str, str]) -> None:
    for name, value in console.LOCKDOWN:
        expected = value.strip("'").lower()
        if name == "max_temp_directory_size":  # DuckDB shows 0B as "0 bytes"
            assert str(settings[name]).lower() in ("0 bytes", "0b", "0"), settings[name]
        else:
            assert str(settings[name]).lower() == expected, name
    assert settings["memory_limit"] not in ("", "-1")


def test_lockdown_settings_are_in_force(con: duckdb.DuckDBPyConnection) -> None:
    """On the server's connection (schema browser) and in the process that runs a query."""
    _lockdown_in_force(dict(con.cursor().execute("select name, value from duckdb_settings()").fetchall()))
    seen = console._run_bounded(con, "select name, value from duckdb_settings()", time_limit_s=10, row_cap=10_000)
    assert seen.ok and seen.frame is not None
    _lockdown_in_force(dict(zip(seen.frame["name"], seen.frame["value"], strict=True)))


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select * from read_csv('/etc/passwd')", "file system operations are disabled"),
        ("select * from glob('/etc/*')", "file system operations are disabled"),
        ("COPY (select 1) TO '{tmp}/out.csv'", "file system operations are disabled"),
        ("ATTACH '{tmp}/other.duckdb' AS other", "file system operations are disabled"),
        ("INSTALL httpfs", "file system operations are disabled"),
        ("LOAD httpfs", "disabled"),
        ("select * from read_csv('http://example.com/a.csv')", "file system operations are disabled"),
        ("SET threads = 4", "the configuration has been locked"),
        ("SET lock_configuration = false", "the configuration has been locked"),
        ("PRAGMA threads = 4", "the configuration has been locked"),
    ],
)
def test_the_database_itself_refuses(con: duckdb.DuckDBPyConnection, tmp_path: Path, sql: str, expected: str) -> None:
    """Without the statement check, DuckDB's own settings still refuse (and roll back)."""
    before = snapshot(con)
    result = console._run_bounded(con, sql.format(tmp=tmp_path), time_limit_s=5, row_cap=10)
    assert result.error is not None and result.error.kind == "refused", result
    assert expected in result.error.message
    assert snapshot(con) == before
    assert list(tmp_path.iterdir()) == []


def test_a_file_named_as_a_table_is_not_read(con: duckdb.DuckDBPyConnection) -> None:
    result = console.run(con, "select * from '/etc/passwd'")
    assert result.error is not None and result.error.kind == "catalog"
    assert "root" not in result.error.message


def test_python_variables_are_not_tables(con: duckdb.DuckDBPyConnection) -> None:
    secret = pd.DataFrame({"password": ["hunter2"]})  # noqa: F841 - what a replacement scan would find
    result = console.run(con, "select * from secret")
    assert result.error is not None and result.error.kind == "catalog"


# --- layer 3: read-only and rolled back, on its own -----------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "DROP TABLE stg_regions",
        "DELETE FROM fct_indicator_month",  # a table (stg_progress is a view over Parquet)
        "UPDATE stg_indicators SET kind = 'flow'",
        "CREATE TABLE notes AS SELECT 1 AS x",
        "ALTER TABLE stg_targets ADD COLUMN extra INTEGER",
    ],
)
def test_writes_are_refused_by_the_read_only_database(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    before = snapshot(con)
    result = console._run_bounded(con, sql, time_limit_s=5, row_cap=10)
    assert result.error is not None and result.error.kind == "refused", result
    assert "read-only mode" in result.error.message
    assert snapshot(con) == before  # …and left nothing behind


def test_a_temporary_table_dies_with_its_query(con: duckdb.DuckDBPyConnection) -> None:
    """The one write a read-only database allows (the temp schema) is rolled back, and the next
    query runs in a new process anyway."""
    made = console._run_bounded(con, "CREATE TEMP TABLE notes AS SELECT 1 AS x", time_limit_s=5, row_cap=10)
    assert made.ok
    after = console.run(con, "select * from notes")
    assert after.error is not None and after.error.kind == "catalog"


# --- layer 4: time limit and row cap -------------------------------------------------------------


def test_a_query_over_the_time_limit_is_stopped(con: duckdb.DuckDBPyConnection) -> None:
    started = time.perf_counter()
    result = console.run(con, CROSS_JOIN, time_limit_s=1.0)
    elapsed = time.perf_counter() - started
    assert result.error is not None and result.error.kind == "timeout"
    assert "Interrupted" in result.error.message
    # a trillion rows would take hours; the margin is for a busy machine, not a measurement
    assert 1.0 <= elapsed < 1.0 + console.KILL_GRACE_S + 10, elapsed
    # the console is still there for the next query
    assert console.run(con, "select 42 as answer").frame.to_dict("list") == {"answer": [42]}  # type: ignore[union-attr]


def test_rows_are_capped_and_the_cap_is_reported(con: duckdb.DuckDBPyConnection) -> None:
    capped = console.run(con, "select * from range(20) t(x)", row_cap=5)
    assert capped.ok and capped.capped
    assert capped.frame is not None and capped.frame["x"].tolist() == [0, 1, 2, 3, 4]
    exact = console.run(con, "select * from range(5) t(x)", row_cap=5)
    assert exact.ok and not exact.capped and len(exact.frame) == 5  # type: ignore[arg-type]
    # a long result is not computed in full: ten billion rows, five fetched
    huge = console.run(con, "select * from range(10000000000) t(x)", row_cap=5, time_limit_s=5)
    assert huge.ok and huge.capped and huge.seconds < 5


def test_a_slow_console_query_does_not_hold_up_the_pages(data_dir: Path, con: duckdb.DuckDBPyConnection) -> None:
    """A page query on the pages' connection answers while a console query runs (its own database)."""
    pages = db.connect(data_dir)
    done: list[console.ConsoleResult] = []
    slow = Checked(lambda: done.append(console.run(con, CROSS_JOIN, time_limit_s=3.0)))
    slow.start()
    time.sleep(0.5)  # the console query is under way
    started = time.perf_counter()
    for _ in range(5):
        pages.cursor().execute("select count(*) from fct_indicator_month").fetchall()
    page_seconds = time.perf_counter() - started
    assert slow.is_alive(), "the console query ended before the page queries: nothing was shown"
    slow.join()
    assert page_seconds < 1.0, page_seconds
    assert done[0].error is not None and done[0].error.kind == "timeout"


# --- errors are classified for the page's message -----------------------------------------------


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("", "empty"),
        ("   -- only a comment", "empty"),
        ("selec 1", "syntax"),
        ("select (1", "syntax"),
        ("select * from no_such_table", "catalog"),
        ("select no_such_column from stg_regions", "catalog"),
        ("select 'a'::integer", "other"),
    ],
)
def test_errors_are_classified(con: duckdb.DuckDBPyConnection, sql: str, kind: str) -> None:
    result = console.run(con, sql)
    assert result.error is not None and result.error.kind == kind
    assert kind in ("empty",) or result.error.message


@pytest.mark.parametrize(
    "sql",
    [
        "select count(*) as n from stg_regions",
        "with a as (select 1 as x) select * from a",
        "from stg_indicators select indicator_id",
        "values (1), (2)",
        "describe stg_regions",
        "summarize stg_progress",
        "select 1;",
    ],
)
def test_selects_run(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    result = console.run(con, sql)
    assert result.ok and result.frame is not None and len(result.frame) > 0


def test_results_can_be_downloaded_whatever_their_types(con: duckdb.DuckDBPyConnection) -> None:
    from ui import downloads

    result = console.run(
        con,
        "select [1, 2] as l, {'a': 1} as s, interval 1 day as i, 1.5::decimal(10, 2) as d, now() as ts,"
        " 'x'::blob as b, uuid() as u, current_date as day, 1 as l",
    )
    assert result.frame is not None
    assert list(result.frame.columns) == ["l", "s", "i", "d", "ts", "b", "u", "day", "l (2)"]
    frame = console.for_download(result.frame)
    assert downloads.csv_bytes(frame) and downloads.excel_bytes(frame) and downloads.parquet_bytes(frame)


# --- the schema browser --------------------------------------------------------------------------


def test_every_table_and_column_has_a_meaning_in_both_languages() -> None:
    """Over the bundled data: a table or column (a new mart, a new contract column) without a
    meaning in either catalog fails here."""
    from ui.i18n import LANGS, catalog

    schema = console_queries.schema(console.connect().cursor())
    assert {"stg_regions", "stg_progress", "fct_indicator_month", "dim_region"} <= set(schema["table_name"])
    for lang in LANGS:
        words = catalog(lang)
        missing_tables = {n for n in schema["table_name"] if f"console.table.{n}" not in words}
        assert not missing_tables, (lang, missing_tables)
        missing = [
            (table, column)
            for table, column in zip(schema["table_name"], schema["column_name"], strict=True)
            if not any(k in words for k in console.meaning_keys(table, column))
        ]
        assert not missing, (lang, missing)


def test_mart_meanings_in_english_are_their_grain_lines() -> None:
    """The English meaning of a mart is the first line of its SQL file: a changed grain shows up here."""
    from ui.i18n import catalog

    en = catalog("en")
    for path in db.mart_files():
        grain = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("-- grain:").strip()
        assert en[f"console.table.{db.mart_name(path)}"] == grain
