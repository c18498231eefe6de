"""The SQL console's limits on bytes, memory and time (fetching included), and its readable folders.

Issue 18, cases 5 and 7. Each test asserts what the analyst would see: the page's message for the
error kind or the stop, in both languages, and the rows shown.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from analytics import audit, console, publish
from tests.unit import tiny
from ui.i18n import catalog

REPO = Path(__file__).resolve().parents[2]
BIG_VALUES = "select repeat('x', 1000000) as s from range(2500)"  # the query: 2.5 GB of text
CROSS_JOIN = "select count(*) from range(1000000) a(x), range(1000000) b(y) where x + y < 0"
# The bound stated in docs/security.md for the server process and for the query's own process
# while the query runs: ~0.3 GB and ~1 GB were measured (an idle server: 0.35 GB). Before
# the fix the same query took the server to 2.6 GB here after 20 rows, and to 11.5 GB in the issue.
PEAK_BOUND_BYTES = 1_500 * (1 << 20)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny.build(tmp_path_factory.mktemp("tiny_console_limits"))


@pytest.fixture(scope="module")
def con(data_dir: Path) -> duckdb.DuckDBPyConnection:
    return console.connect(data_dir)


def said(kind: str, lang: str) -> str:
    """The page's message for an error kind, formatted as pages/console.py formats it."""
    return catalog(lang)[f"console.error.{kind}"].format(**console.stated_limits())


# --- case 5: memory and bytes -------------------------------------------------------------------


def test_large_values_stay_under_the_memory_bound(data_dir: Path) -> None:
    """The issue's query, through console.run in a process standing for the server: that process's
    peak memory and the query process's stay under the stated bound; the query is stopped by the
    memory limit, and says so."""
    script = textwrap.dedent(
        f"""
        import json, resource, sys
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from analytics import console

        def hwm():
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        con = console.connect(Path({str(data_dir)!r}))
        before = hwm()
        result = console.run(con, {BIG_VALUES!r}, time_limit_s=60)
        print(json.dumps({{
            "before": before,
            "server_peak": hwm(),
            "query_peak": result.peak_rss_bytes,
            "children_peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
            "kind": result.error.kind if result.error else None,
            "rows": None if result.frame is None else len(result.frame),
            "stopped": result.stopped,
            "seconds": result.seconds,
        }}))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    print(seen)  # the measured figures, for docs/security.md
    assert seen["server_peak"] < PEAK_BOUND_BYTES, seen
    assert seen["server_peak"] - seen["before"] < 200 * (1 << 20), seen  # the server holds no part of it
    assert 0 < seen["query_peak"] < PEAK_BOUND_BYTES, seen
    assert seen["children_peak"] < PEAK_BOUND_BYTES, seen
    # stopped by the limit, with the page's message in both languages
    assert seen["kind"] == "memory" and seen["rows"] is None, seen
    assert said("memory", "zh").startswith("已停止：超过内存上限")
    assert said("memory", "en").startswith("Stopped: over the memory limit")


@pytest.mark.parametrize(
    "sql",
    [
        "select len(list(range)) from range(300000000)",  # a list of 300 million numbers: 2.4 GB
        "select len(string_agg(repeat('x', 1000), ',')) from range(3000000)",  # one text of 3 GB
    ],
)
def test_other_large_queries_stop_at_the_memory_limit(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """What DuckDB counts itself stops at its memory_limit, inside the process's own bound."""
    result = console.run(con, sql, time_limit_s=60)
    assert result.error is not None and result.error.kind == "memory", result.error
    assert result.peak_rss_bytes < PEAK_BOUND_BYTES


def test_reading_stops_at_the_byte_cap(con: duckdb.DuckDBPyConnection) -> None:
    """Rows of 16 kB each (a list of 2,000 numbers; 80 MB in all, under the row cap): reading stops
    once 32 MB are kept, and the page says it stopped at the byte limit."""
    result = console.run(con, "select x, range(0, 2000) as l from range(5000) t(x)", time_limit_s=60)
    assert result.ok and result.frame is not None, result.error
    assert result.stopped == "bytes" and not result.capped
    assert 0 < len(result.frame) < 5000
    assert result.frame["x"].tolist() == list(range(len(result.frame)))  # the first rows, in order
    assert result.nbytes <= console.BYTE_CAP
    text = catalog("en")["console.stopped_bytes"].format(n=f"{len(result.frame):,}", **console.stated_limits())
    assert text.startswith("Stopped: over the byte limit")
    assert catalog("zh")["console.stopped_bytes"].startswith("已停止：超过字节上限")


def test_a_small_byte_cap_keeps_whole_rows(con: duckdb.DuckDBPyConnection) -> None:
    result = console.run(con, "select x, repeat('y', 100) as t from range(1000) t(x)", byte_cap=10_000)
    assert result.ok and result.stopped == "bytes" and result.frame is not None
    assert 0 < len(result.frame) < 1000 and result.nbytes <= 10_000
    assert set(result.frame["t"]) == {"y" * 100}


def test_long_text_cells_are_cut_with_a_marker(con: duckdb.DuckDBPyConnection) -> None:
    result = console.run(con, "select repeat('湖', 1500) as long, 'short' as short, null::varchar as empty")
    assert result.ok and result.frame is not None
    cell = result.frame["long"].iloc[0]
    assert cell == "湖" * console.CELL_CHARS + "…[+500]"  # characters, not bytes
    assert result.frame["short"].iloc[0] == "short" and result.frame["empty"].isna().all()
    assert result.cut_cells == 1
    assert (
        catalog("zh")["console.cut_cells"].format(n="1", chars="1,000").startswith("有 1 个文本单元格超过 1,000 个字符")
    )


def test_the_row_cap_still_holds(con: duckdb.DuckDBPyConnection) -> None:
    capped = console.run(con, "select * from range(20) t(x)", row_cap=5)
    assert capped.capped and capped.stopped == "rows" and capped.frame is not None and len(capped.frame) == 5
    assert catalog("zh")["console.capped"].startswith("已停止：超过行数上限")
    exact = console.run(con, "select * from range(512) t(x)", row_cap=512)  # exactly two batches
    assert exact.ok and exact.stopped is None and len(exact.frame) == 512  # type: ignore[arg-type]


# --- case 5: time, fetching included ------------------------------------------------------------


def test_a_slow_query_is_stopped_at_the_time_limit_fetch_included(con: duckdb.DuckDBPyConnection) -> None:
    """The cross join computes while its result is read: the limit holds for the whole run. The
    margin is generous (a busy machine), the point is that it does not run on for minutes."""
    started = time.monotonic()
    result = console.run(con, CROSS_JOIN, time_limit_s=2.0)
    elapsed = time.monotonic() - started
    assert result.error is not None and result.error.kind == "timeout"
    assert 2.0 <= elapsed < 2.0 + console.KILL_GRACE_S + 15, elapsed
    assert said("timeout", "zh").startswith("已停止：超过时间限制")
    assert said("timeout", "en").startswith("Stopped: over the time limit")


def test_a_child_that_does_not_answer_is_killed(con: duckdb.DuckDBPyConnection) -> None:
    """The server's own backstop: a child whose interrupt never comes (its deadline far off) is
    killed when the server's wait ends, and the analyst reads "over the time limit"."""
    request = {
        "sql": CROSS_JOIN,
        "deadline": time.monotonic() + 3600,
        "row_cap": 10,
        "byte_cap": 1000,
        "cell_chars": 10,
    }
    request.update(console._where(con))
    started = time.monotonic()
    header, body = console._ask_child(request, time.monotonic() + 1.5)
    assert header["error"]["kind"] == "timeout" and body == b""
    assert time.monotonic() - started < 1.5 + 15


def test_a_busy_console_says_so(con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    full = threading.BoundedSemaphore(1)
    full.acquire()
    monkeypatch.setattr(console, "_RUNNING", full)
    result = console.run(con, "select 1", time_limit_s=0.2)
    assert result.error is not None and result.error.kind == "busy"
    assert said("busy", "en").startswith("Stopped: the console is busy")


# --- case 7: readable folders ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data root with the bundled-layout tables, an audit log, and a users file beside them."""
    root = tiny.build(tmp_path_factory.mktemp("console_root"))
    audit.record(root, "sign_in", "anna", {"ip": "10.0.0.7"})
    audit.record(root, "sql_query", "anna", {"sql": "select 'secret plan'"})
    (root / "users.json").write_text('{"format": 1, "users": {"anna": {"hash": "$argon2id$x"}}}', encoding="utf-8")
    return root


def forbidden(root: Path) -> dict[str, str]:
    """What a console query must not read, whichever version is in force."""
    return {
        "audit log": f"select * from read_parquet('{root}/audit/**/*.parquet')",
        "audit log folder": f"select * from glob('{root}/audit/*')",
        "whole root": f"select * from glob('{root}/**')",
        "root listing": f"select * from glob('{root}/*')",
        "history": f"select * from read_text('{root}/versions/history.jsonl')",
        "history as json": f"select * from read_json_auto('{root}/versions/history.jsonl')",
        "versions": f"select * from glob('{root}/versions/**')",
        "current": f"select * from read_text('{root}/CURRENT')",
        "users file": f"select * from read_text('{root}/users.json')",
        "manifest": f"select * from read_text('{root}/manifest.json')",
        "climbing out": f"select * from read_text('{root}/exports/progress/../../users.json')",
    }


def assert_refused(con: duckdb.DuckDBPyConnection, sql: str, what: str) -> None:
    result = console.run(con, sql, time_limit_s=30)
    assert result.error is not None and result.error.kind == "refused", (what, sql, result.error)
    assert "file system operations are disabled" in result.error.message
    assert result.frame is None
    # the analyst reads why, in both languages
    assert "审计日志" in catalog("zh")["console.error.refused"]
    assert "audit log" in catalog("en")["console.error.refused"]


def assert_views_work(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("stg_progress", "stg_instructors"):  # views over the version's Parquet files
        result = console.run(con, f"select count(*) as n from {table}", time_limit_s=30)
        assert result.ok and result.frame is not None and int(result.frame["n"].iloc[0]) > 0, (table, result.error)
    summary = console.run(con, "summarize stg_progress", time_limit_s=30)
    assert summary.ok, summary.error


def test_bundled_version_in_force_reads_no_audit_log_users_or_history(root: Path) -> None:
    assert publish.current_id(root) == publish.BUNDLED  # the readable folders were once the whole root
    con = console.connect(publish.current_dir(root))
    for what, sql in forbidden(root).items():
        assert_refused(con, sql, what)
    assert_views_work(con)
    # what is readable: the table folders of the version in force, nothing above them
    dirs = console.readable_dirs(publish.current_dir(root))
    assert str(root.resolve()) + "/" not in dirs
    assert all(
        d.startswith(str(root.resolve()) + "/") and d.count("/") > str(root.resolve()).count("/") + 1 for d in dirs
    )
    assert not any("/audit" in d or "/versions" in d for d in dirs)


def test_published_version_in_force_reads_no_audit_log_users_or_history(root: Path) -> None:
    info = publish.publish(root, publish.Change(note="console test"), user="tester")
    assert info is not None and publish.current_id(root) == info.id
    folder = publish.current_dir(root)
    assert (root / "versions" / "history.jsonl").exists()
    con = console.connect(folder)
    checks = forbidden(root) | {
        "version's own record": f"select * from read_text('{folder}/version.json')",
        "version folder": f"select * from glob('{folder}/**')",
        "the bundled tables, not in force": f"select * from read_parquet('{root}/exports/progress/*.parquet')",
    }
    for what, sql in checks.items():
        assert_refused(con, sql, what)
    assert_views_work(con)
    # the exports' views read the version in force: its own files are readable by their table folder
    own = console.run(con, f"select count(*) as n from glob('{folder}/exports/progress/*.parquet')")
    assert own.ok and int(own.frame["n"].iloc[0]) > 0  # type: ignore[index]


def test_the_child_process_gets_the_same_folders(root: Path) -> None:
    con = console.connect(publish.current_dir(root))
    where = console._where(con)
    assert where["dirs"] == console.readable_dirs(publish.current_dir(root))
    assert os.path.exists(where["path"]) and not where["path"].startswith(str(root))  # the database file is ours
