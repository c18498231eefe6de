"""Marts built once at publish time (analytics/db.py ``build_file``): a published version carries
``marts.duckdb``, every server opens it read-only instead of building, and what it reads is what
the in-memory build (the path every other test covers) reads, table by table and row by row."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db, publish
from tests.bundled import copy_bundled

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled data with one import published (Changsha's July progress set to 3)."""
    target = tmp_path_factory.mktemp("built") / "root"
    copy_bundled(target)
    p = pd.read_parquet(REPO / "data/exports/progress")
    rows = p[p["region_code"].str.startswith("4301") & (p["period_end"].astype(str) == "2023-07-31")].copy()
    rows["value"] = 3.0
    csv = target.parent / "progress_2023-07.csv"
    rows.to_csv(csv, index=False)
    done = subprocess.run(
        [sys.executable, "-m", "analytics.ingest", str(csv), "--data-dir", str(target)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return target


def _objects(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_catalog = current_database() order by 1"
    ).fetchall()
    return [r[0] for r in rows if r[0] != "fpa_build"]


def _same_content(built: duckdb.DuckDBPyConnection, memory: duckdb.DuckDBPyConnection) -> None:
    names = _objects(built)
    assert names == _objects(memory)
    assert {"stg_progress", "stg_instructors", "fct_indicator_actuals"} <= set(names)
    for name in names:
        # names from the catalog, never from input
        a = built.cursor().execute(f"select * from {name} order by all").fetchall()
        b = memory.cursor().execute(f"select * from {name} order by all").fetchall()
        assert a == b, f"{name} differs between the built file and the in-memory build"


def test_a_publish_builds_the_marts_and_servers_open_them(root: Path) -> None:
    version = publish.current_dir(root)
    assert (version / db.BUILT_FILE).is_file()
    built = db.connect(version)
    (path,) = built.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    assert Path(path) == version / db.BUILT_FILE  # opened, not built
    _same_content(built, db.connect_in_memory(version))
    # the imported figure is there, counted against the Parquet by pandas
    files = sorted((version / "exports/progress").rglob("*.parquet"))
    expected = pd.concat(pd.read_parquet(f) for f in files)
    july = expected[
        expected["region_code"].str.startswith("4301") & (expected["period_end"].astype(str) == "2023-07-31")
    ]
    got = (
        built.cursor()
        .execute(
            "select count(*), sum(value) from stg_progress where region_code like '4301%' and period_end = date '2023-07-31'"
        )
        .fetchone()
    )
    assert got == (len(july), 3.0 * len(july))
    assert built.execute("select count(*) from stg_progress").fetchone() == (len(expected),)
    built.close()


def test_the_file_reads_its_exports_wherever_the_version_folder_is(root: Path, tmp_path: Path) -> None:
    """The big exports are views with paths relative to the version: a copied or moved data root
    (a backup restored elsewhere, another machine's mount point) reads its own files."""
    moved = tmp_path / "elsewhere"
    shutil.copytree(publish.current_dir(root), moved)
    con = db.connect(moved)
    (path,) = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    assert Path(path) == moved / db.BUILT_FILE
    _same_content(con, db.connect_in_memory(moved))
    # the view reads the moved folder's file, not the original's: cut the moved file to 10 rows
    (first, *_) = sorted((moved / "exports/instructors").rglob("*.parquet"))
    pd.read_parquet(first).head(10).to_parquet(first, index=False)
    others = sum(len(pd.read_parquet(f)) for f in sorted((moved / "exports/instructors").rglob("*.parquet"))[1:])
    assert con.cursor().execute("select count(*) from stg_instructors").fetchone() == (10 + others,)
    con.close()


def test_a_file_built_by_other_code_is_not_used(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(publish.current_dir(root), copy)
    monkeypatch.setattr(db, "code_stamp", lambda: "0" * 16)  # the SQL changed since the file was built
    con = db.connect(copy)
    (name,) = con.execute("select current_database()").fetchone()
    assert name == "memory"
    con.close()


def test_a_file_built_from_other_files_is_not_used(root: Path, tmp_path: Path) -> None:
    """A folder that is not a published version may be edited in place: a file built before an
    edit is not used."""
    folder = tmp_path / "edited"
    shutil.copytree(publish.current_dir(root), folder)
    (first, *_) = sorted((folder / "exports/instructors").rglob("*.parquet"))
    pd.read_parquet(first).head(10).to_parquet(first, index=False)
    con = db.connect(folder)
    assert con.execute("select current_database()").fetchone() == ("memory",)
    con.close()


def test_several_processes_read_the_file_at_once(root: Path) -> None:
    """Replicas share one file: another process opens it while this one holds it open."""
    version = publish.current_dir(root)
    mine = db.connect(version)
    script = (
        "import sys; from pathlib import Path; from analytics import db;"
        "con = db.connect(Path(sys.argv[1]));"
        "print(con.execute('select count(*) from fct_indicator_actuals').fetchone()[0],"
        " con.execute('select current_database()').fetchone()[0])"
    )
    other = subprocess.run(
        [sys.executable, "-c", script, str(version)], cwd=REPO, capture_output=True, text=True, check=True
    )
    count = mine.execute("select count(*) from fct_indicator_actuals").fetchone()[0]
    assert other.stdout.split() == [str(count), "marts"]
    mine.close()


def test_a_version_whose_marts_cannot_be_built_is_not_put_in_force(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "root"
    shutil.copytree(root, copy)
    before = (copy / publish.CURRENT_FILE).read_bytes()

    def broken(data_dir: Path) -> Path:
        raise duckdb.BinderException("a mart's SQL does not bind")

    monkeypatch.setattr(db, "build_file", broken)
    change = publish.Change(note="nothing but a rebuild")
    with pytest.raises(duckdb.BinderException):
        publish.publish(copy, change, user="test")
    assert (copy / publish.CURRENT_FILE).read_bytes() == before
    # no new version folder (a half-written staging folder is swept by the next publish)
    versions = sorted(p.name for p in (copy / publish.VERSIONS).iterdir() if not p.name.startswith("."))
    assert versions == sorted(p.name for p in (root / publish.VERSIONS).iterdir() if not p.name.startswith("."))


def test_the_console_reads_the_built_file_under_its_locks(root: Path) -> None:
    """The SQL console takes a copy of the version's built file (not a rebuild) and keeps every lock:
    its export views read the version's files, a file outside the table folders stays refused."""
    from analytics import console

    version = publish.current_dir(root)
    con = console.connect(version)
    # the same tables as the pages' connection, less the build's bookkeeping
    pages = db.connect(version)
    assert _objects(con) == _objects(pages)
    assert "fpa_build" not in {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    files = sorted((version / "exports/instructors").rglob("*.parquet"))
    expected = sum(len(pd.read_parquet(f)) for f in files)
    result = console.run(con, "select count(*) as n from stg_instructors")
    assert result.error is None, result.error
    assert result.frame is not None and int(result.frame["n"].iloc[0]) == expected
    refused = console.run(con, "select * from read_text('/etc/passwd')")
    assert refused.error is not None
    assert refused.error.kind in ("refused", "other")
    assert "passwd" not in str(refused.frame)
