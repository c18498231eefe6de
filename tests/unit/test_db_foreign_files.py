"""A Parquet file that does not fit its table is left out and named, not a crash of every page
(issue 18, case 11): analytics.db.connect builds each staging table from the files that fit
the contract, and db.skipped_files says which file was left out and which columns differ.

Each test works on a copy of the bundled data folder (the bundled folder is never written).
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from analytics import db
from analytics.contract import TABLES
from tests.bundled import copy_bundled

ROOT = Path(__file__).resolve().parents[2]
PROGRESS = TABLES["progress"]


def copy_of_bundled(target: Path) -> Path:
    copy_bundled(target)
    return target


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_bundled(tmp_path_factory.mktemp("clean") / "data")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_of_bundled(tmp_path / "data")


def progress_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute("select * exclude (source_file) from stg_progress order by all").fetchall()


def skipped_in(folder: Path, table: str = "progress") -> list[db.SkippedFile]:
    # only the table under test: another table's files are another engineer's to keep in step
    return [s for s in db.skipped_files(folder) if s.table == table]


# ---------------------------------------------------------------- the case


def test_a_file_of_foreign_columns_is_left_out_and_named(
    data: Path, clean: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pq.write_table(pa.table({"foo": [1, 2], "bar": ["x", "y"]}), data / "exports/progress/foreign.parquet")
    with caplog.at_level(logging.WARNING, logger="analytics.db"):
        con = db.connect(data)  # raised TypeError in build_mart before (a plan year of NULL)
    assert progress_rows(con) == progress_rows(db.connect(clean)), "the other files are read as before"
    [skipped] = skipped_in(data)
    assert (skipped.file, skipped.foreign) == ("exports/progress/foreign.parquet", ("foo", "bar"))
    assert skipped.missing == ("plan_year", "indicator_id", "region_code", "period_end", "reported_at")
    assert skipped.message == (
        "exports/progress/foreign.parquet: left out of table progress: "
        "columns not in the data contract of progress: foo, bar; "
        "required columns missing: plan_year, indicator_id, region_code, period_end, reported_at"
    )
    assert skipped.message in caplog.text, "the server log says it too"


def test_a_contract_file_with_one_extra_column_is_left_out(data: Path) -> None:
    """A file with every contract column and one more (another table's file, another format)."""
    good = pq.read_table(next((data / "exports/progress").glob("*.parquet")))
    pq.write_table(
        good.slice(0, 3).append_column("comment", pa.array(["a", "b", "c"])), data / "exports/progress/x.parquet"
    )
    db.connect(data)
    [skipped] = skipped_in(data)
    assert skipped.foreign == ("comment",) and skipped.missing == ()
    assert "columns not in the data contract of progress: comment" in skipped.message


def test_a_column_of_the_wrong_type_is_named_with_both_types(data: Path) -> None:
    rows = pq.read_table(next((data / "exports/progress").glob("*.parquet"))).slice(0, 2).to_pydict()
    rows["plan_year"] = ["二〇二三", "2023"]
    pq.write_table(pa.table(rows), data / "exports/progress/text_year.parquet")
    con = db.connect(data)
    assert con.execute("select count(*) from stg_progress where plan_year is null").fetchone() == (0,)
    [skipped] = skipped_in(data)
    assert skipped.mistyped == (("plan_year", "string", "int16"),)
    assert "column plan_year is string, the contract says int16" in skipped.message


def test_a_file_that_is_not_parquet_is_left_out(data: Path, clean: Path) -> None:
    (data / "exports/progress/notes.parquet").write_text("not parquet", encoding="utf-8")
    con = db.connect(data)
    assert progress_rows(con) == progress_rows(db.connect(clean))
    [skipped] = skipped_in(data)
    assert skipped.file == "exports/progress/notes.parquet" and "not a readable Parquet file" in skipped.message


def test_a_missing_nullable_column_reads_as_empty(data: Path) -> None:
    """An older export without a nullable column still fits: its rows have no value there."""
    one = pq.read_table(next((data / "exports/progress").glob("*.parquet"))).slice(0, 1)
    old = one.drop_columns(["value"]).set_column(0, "plan_year", pa.array([1999], pa.int16()))
    pq.write_table(old, data / "exports/progress/old.parquet")
    con = db.connect(data)
    assert skipped_in(data) == []
    assert con.execute("select value from stg_progress where plan_year = 1999").fetchall() == [(None,)]


def test_a_table_whose_only_file_lacks_a_nullable_column_still_opens(data: Path) -> None:
    folder = data / "exports/progress"
    table = pq.read_table(folder)
    for f in folder.glob("**/*.parquet"):
        f.unlink()
    pq.write_table(table.drop_columns(["value"]), folder / "part-0.parquet")
    con = db.connect(data)  # was a binder error: a column no file has
    assert con.execute("select count(*), count(value) from stg_progress").fetchone() == (len(table), 0)


# ---------------------------------------------------------------- the pages keep working


PAGES_READING_PROGRESS = ("pages/home.py", "pages/attainment.py", "pages/quality.py")


def run_page(path: str) -> AppTest:
    app = ROOT / "app.py"
    at = AppTest.from_string(f"import runpy\nrunpy.run_path({str(app)!r}, run_name='__main__')\n", default_timeout=120)
    at.run()
    if path != "pages/home.py":
        at.switch_page(str(ROOT / path))
        at.run()
    return at


def test_pages_keep_working_with_a_foreign_file(data: Path, clean: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page that reads progress shows on the folder with a foreign file what it shows on the
    clean copy (compared with the clean copy, so a page's own state elsewhere does not decide)."""
    monkeypatch.delenv("FPA_USERS_FILE", raising=False)
    pq.write_table(pa.table({"foo": [1, 2], "bar": ["x", "y"]}), data / "exports/progress/foreign.parquet")
    for path in PAGES_READING_PROGRESS:
        monkeypatch.setenv("FPA_DATA_DIR", str(clean))
        before = run_page(path)
        monkeypatch.setenv("FPA_DATA_DIR", str(data))
        after = run_page(path)
        assert len(after.exception) == len(before.exception), (path, [e.message for e in after.exception])
        assert [t.value for t in after.title] == [t.value for t in before.title], path
        assert [m.value for m in after.metric] == [m.value for m in before.metric], path


def test_the_quality_page_names_a_file_left_out(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Left out of every page's figures, the file is named on the data quality page with its columns."""
    monkeypatch.delenv("FPA_USERS_FILE", raising=False)
    pq.write_table(pa.table({"foo": [1, 2], "bar": ["x", "y"]}), data / "exports/progress/foreign.parquet")
    monkeypatch.setenv("FPA_DATA_DIR", str(data))
    at = run_page("pages/quality.py")
    errors = " ".join(e.value for e in at.error)
    assert "exports/progress/foreign.parquet" in errors
    assert "foo" in errors and "bar" in errors
