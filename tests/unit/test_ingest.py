"""Imports: every kind of bad input is refused with a message naming where, and changes nothing.

Each bad-input case writes one file the way a real export goes wrong, runs the command
line (``analytics.ingest.main``), and checks three things: a non-zero exit, the report
naming the problem and where it is (file, column, row), and every byte under the data
root unchanged. The good cases check what is published, the rollback, a publish killed
halfway and readers during a publish.
"""

from __future__ import annotations

import getpass
import hashlib
import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics import audit, db, publish
from analytics.ingest import IMPORTABLE, ingest, main
from tests.bundled import copy_bundled
from tests.threads import Checked

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
JULY = "2023-07-31"


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """A data root copied from the bundled data (the bundled folder itself is never written)."""
    target = tmp_path / "root"
    copy_bundled(target)
    return target


def tree_digest(root: Path) -> dict[str, str]:
    """Every byte under the data root except the audit log (which records refused imports too) and
    the publish lock's empty file (a refusal found under the lock creates it)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and p.relative_to(root).parts[0] != audit.AUDIT_DIR
        and p.relative_to(root) != Path("versions/.lock")
    }


def served_digest(root: Path) -> dict[str, str]:
    """The bytes of the tables in force (what the app reads), not the root's bookkeeping."""
    folder = db.published_dir(root)
    return {k: v for k, v in tree_digest(folder).items() if k.split("/")[0] in publish.GROUPS}


def progress() -> pd.DataFrame:
    return pd.read_parquet(DATA / "exports/progress")


def july_changsha() -> pd.DataFrame:
    """Changsha's counties' July rows of the bundled progress table: a realistic monthly export."""
    p = progress()
    rows = p[p["region_code"].str.startswith("4301") & (p["period_end"].astype(str) == JULY)].copy()
    rows["period_end"] = rows["period_end"].astype(str)
    rows["reported_at"] = rows["reported_at"].astype(str)
    return rows.reset_index(drop=True)


def run(paths: list[Path], root: Path, *extra: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main([*map(str, paths), "--data-dir", str(root), *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


# --------------------------------------------------------------------------- bad input


def _csv(df: pd.DataFrame, path: Path, encoding: str = "utf-8") -> Path:
    df.to_csv(path, index=False, encoding=encoding)
    return path


def one_cell(tmp: Path, row: int, column: str, value: object, encoding: str = "utf-8") -> Path:
    """The July export with one cell changed (``row`` counts data rows from 0: file row ``row + 2``)."""
    df = july_changsha().astype({column: object})
    df.loc[row, column] = value
    return _csv(df, tmp / "progress_2023-07.csv", encoding)


def bad_region_name(tmp: Path) -> Path:
    """No such county."""
    return one_cell(tmp, 4, "region_code", "长沙新区")


def bad_number_text(tmp: Path) -> Path:
    """A letter O typed for a zero."""
    return one_cell(tmp, 7, "value", "1,2O3")


def duplicated_sheet(tmp: Path) -> Path:
    df = july_changsha()
    path = tmp / "progress_2023-07.xlsx"
    with pd.ExcelWriter(path) as xl:
        df.to_excel(xl, sheet_name="progress", index=False)
        df.to_excel(xl, sheet_name="progress (2)", index=False)
    return path


def month_does_not_exist(tmp: Path) -> Path:
    return one_cell(tmp, 2, "period_end", "2023-13-31")


def day_does_not_exist(tmp: Path) -> Path:
    return one_cell(tmp, 3, "period_end", "2023-02-30")


def not_what_named(tmp: Path) -> Path:
    path = tmp / "progress_2023-07.parquet"
    path.write_bytes(july_changsha().to_csv(index=False).encode())  # a CSV renamed to .parquet
    return path


def gbk_with_bad_value(tmp: Path) -> Path:
    df = july_changsha().astype({"value": object})
    df.loc[5, "value"] = "十二"  # a number written in words, in a GBK file
    return _csv(df, tmp / "progress_2023-07.csv", encoding="gbk")


def empty_file(tmp: Path) -> Path:
    path = tmp / "progress_2023-07.csv"
    path.write_bytes(b"")
    return path


def truncated_parquet(tmp: Path) -> Path:
    buf = io.BytesIO()
    july_changsha().to_parquet(buf)
    path = tmp / "progress_2023-07.parquet"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    return path


def extra_column(tmp: Path) -> Path:
    df = july_changsha()
    df["备注"] = "核对后"
    df = df.rename(columns={"reported_at": "reported_on"})  # and a typo in a required one
    return _csv(df, tmp / "progress_2023-07.csv")


def wrong_table(tmp: Path) -> Path:
    inst = pd.read_parquet(DATA / "exports/instructors").head(50)
    return _csv(inst, tmp / "progress_2023-07.csv")  # instructors' rows in a file named progress


def missing_column(tmp: Path) -> Path:
    return _csv(july_changsha().drop(columns=["period_end"]), tmp / "progress_2023-07.csv")


def negative_count(tmp: Path) -> Path:
    return one_cell(tmp, 6, "value", -3)


def unknown_indicator(tmp: Path) -> Path:
    """A typo in an indicator id."""
    return one_cell(tmp, 1, "indicator_id", "childcare_pionts")


def outside_plan_year(tmp: Path) -> Path:
    df = july_changsha()
    df.loc[8, "period_end"] = "2022-12-31"
    df.loc[8, "reported_at"] = "2023-01-04"
    return _csv(df, tmp / "progress_2023-07.csv")


def duplicate_key(tmp: Path) -> Path:
    df = july_changsha()
    df = pd.concat([df, df.iloc[[9]]], ignore_index=True)
    return _csv(df, tmp / "progress_2023-07.csv")


def not_month_end(tmp: Path) -> Path:
    return one_cell(tmp, 0, "period_end", "2023-07-15")


def unsupported_format(tmp: Path) -> Path:
    path = tmp / "progress_2023-07.json"
    path.write_text(july_changsha().to_json(), encoding="utf-8")
    return path


def reported_in_future(tmp: Path) -> Path:
    return one_cell(tmp, 10, "reported_at", "2099-08-03")


def numerator_above_denominator(tmp: Path) -> Path:
    """Special families contacted above the special families of the same county and month."""
    p = progress()
    p = p[(p["period_end"].astype(str) == JULY) & (p["indicator_id"] == "special_families_with_contact")].head(1).copy()
    assert len(p) == 1
    total = progress()
    den = total[
        (total["indicator_id"] == "special_families_total")
        & (total["region_code"] == p["region_code"].iloc[0])
        & (total["period_end"].astype(str) == JULY)
    ]["value"].iloc[0]
    p["value"] = den + 5
    return _csv(p.assign(period_end=JULY, reported_at="2023-08-03"), tmp / "progress_2023-07.csv")


def big_file_scattered(tmp: Path) -> Path:
    """100,000 rows with 2,000 scattered bad values: the report must stay a few lines."""
    p = progress()
    # the bundled table three times over: its copies also repeat keys, a second finding
    p = pd.concat([p] * 3, ignore_index=True).head(100_000).copy()
    p["period_end"] = p["period_end"].astype(str)
    p["reported_at"] = p["reported_at"].astype(str)
    p = p.astype({"value": object})
    bad = list(range(17, 100_000, 50))  # 2,000 rows
    p.loc[bad, "value"] = "n/a"
    return _csv(p, tmp / "progress_big.csv")


# (case, the problem's words in the report, where: a column or file name that must be named)
BAD_INPUTS: list[tuple[Callable[[Path], Path], str, str]] = [
    (bad_region_name, "region code or name not in the region table", "row 6"),
    (bad_number_text, "not a number", "row 9"),
    (duplicated_sheet, "same key", "sheet progress (2)"),
    (month_does_not_exist, "not a valid date", "row 4"),
    (day_does_not_exist, "not a valid date", "row 5"),
    (not_what_named, "the file is named .parquet but holds text (CSV)", "progress_2023-07.parquet"),
    (gbk_with_bad_value, "not a number", "'十二'"),
    (empty_file, "the file is empty", "progress_2023-07.csv"),
    (truncated_parquet, "the file cannot be read", "progress_2023-07.parquet"),
    (extra_column, "unknown column", "column 备注"),
    (wrong_table, "the columns are those of table instructors", "progress_2023-07.csv"),
    (missing_column, "required column is missing", "column period_end"),
    (negative_count, "negative value", "row 8"),
    (unknown_indicator, "indicator is not one of the plan's indicators", "row 3"),
    (outside_plan_year, "outside plan year 2023", "row 10"),
    (duplicate_key, "duplicate key", "column plan_year+indicator_id+region_code+period_end"),
    (not_month_end, "not the last day of a month", "row 2"),
    (unsupported_format, "unsupported file format .json", "progress_2023-07.json"),
    (reported_in_future, "date is later than today", "row 12"),
    (numerator_above_denominator, "special_families_with_contact is above special_families_total", "column value"),
    (big_file_scattered, "not a number", "(2,000 rows)"),
]


@pytest.mark.parametrize(("make", "problem", "where"), BAD_INPUTS, ids=[c[0].__name__ for c in BAD_INPUTS])
def test_bad_input_is_refused_and_changes_nothing(
    make: Callable[[Path], Path],
    problem: str,
    where: str,
    root: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = make(tmp_path)
    before = tree_digest(root)
    code, text = run([path], root, capsys=capsys)
    assert code != 0, text
    english = text.split("Import report", 1)[1]
    error_lines = [line for line in english.splitlines() if "[ERROR]" in line]
    assert any(problem in line and where in line for line in error_lines), text
    assert path.name in english
    assert "nothing was published" in english
    assert "未发布任何数据" in text  # the Chinese half says the same
    assert tree_digest(root) == before
    # the refusal is in the audit log, by the account that ran the command
    log = audit.read(root)
    assert list(log["event"]) == ["import_refused"]
    assert list(log["user"]) == [getpass.getuser()]


def test_a_big_bad_file_gives_a_short_report(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run([big_file_scattered(tmp_path)], root, capsys=capsys)
    assert code == 1
    # 2,000 bad rows (and the duplicate keys of the copied rows) read as a few lines per language
    assert len(text.splitlines()) < 30, text
    assert "row 19, 69, 119, 169, 219 and 1,995 more (2,000 rows)" in text


def test_out_of_scope_rows_are_named(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Changsha analyst's file with one row of Zhuzhou (430200): refused, the row named."""
    df = july_changsha()
    zhuzhou = progress()
    zhuzhou = zhuzhou[(zhuzhou["region_code"] == "430211") & (zhuzhou["period_end"].astype(str) == JULY)].head(1)
    df = pd.concat([df, zhuzhou.astype({"period_end": str, "reported_at": str})], ignore_index=True)
    path = _csv(df, tmp_path / "progress_2023-07.csv")
    before = tree_digest(root)
    code, text = run([path], root, "--scope", "430100", capsys=capsys)
    assert code == 1
    assert f"row {len(df) + 1}" in text and "outside your scope 430100" in text and "'430211'" in text
    assert tree_digest(root) == before


# --------------------------------------------------------------------------- good input


def test_messy_but_valid_export_is_normalised_and_published(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GBK, names for codes, thousands separators, 2023/7/31 dates: all read, all reported."""
    df = july_changsha().astype({"value": object, "region_code": object})
    # '1,012' …; a blank stays a blank cell (the text 'nan' is refused: see test_ingest_numbers.py)
    df["value"] = ["" if pd.isna(v) else f"{v + 1000:,.0f}" for v in july_changsha()["value"]]
    wanted = july_changsha()["value"] + 1000
    county = df["region_code"] == "430121"
    df.loc[county, "region_code"] = "长沙县"
    df["period_end"] = "2023/7/31"
    path = _csv(df, tmp_path / "progress_2023-07.csv", encoding="gbk")
    code, text = run([path], root, capsys=capsys)
    assert code == 0, text
    assert "read as GBK" in text and "长沙县 → 430121" in text and "thousands separators" in text
    assert f"replaces {len(df)} published rows" in text
    folder = db.published_dir(root)
    assert folder.parent.name == "versions"
    published = pd.read_parquet(folder / "exports/progress")
    july = published[published["region_code"].str.startswith("4301") & (published["period_end"].astype(str) == JULY)]
    assert sorted(july["value"].fillna(-1)) == sorted(wanted.fillna(-1))  # blanks stay blank
    assert len(published) == len(progress())  # replaced, not added
    info = publish.read_info(root, folder.name)
    # the command line's user is the account that ran it
    assert info.user == getpass.getuser() and info.files[0]["name"] == path.name


def test_dry_run_publishes_nothing(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(july_changsha(), tmp_path / "progress_2023-07.csv")
    before = tree_digest(root)
    code, text = run([path], root, "--dry-run", capsys=capsys)
    assert code == 0 and "dry run" in text
    assert tree_digest(root) == before


def test_excel_import_of_a_new_table_file(root: Path, tmp_path: Path) -> None:
    """A workbook whose sheet names the table; Excel's own dates and numbers."""
    parts = pd.read_parquet(DATA / "exports/training_participants").head(5).copy()
    parts["enrolled"] = parts["enrolled"] + 1
    parts["attended"] = parts["attended"] + 1
    path = tmp_path / "2023年7月报表.xlsx"
    parts.to_excel(path, sheet_name="training_participants", index=False)
    report = ingest([path], data_dir=root)
    assert report.ok, report.text()
    assert report.replaced == {"training_participants": 5}


def test_rollback_restores_the_previous_version_exactly(root: Path, tmp_path: Path) -> None:
    served_bundled = served_digest(root)
    first = ingest([_csv(july_changsha().assign(value=1.0), tmp_path / "progress_2023-07.csv")], data_dir=root)
    assert first.published is not None
    served_first = served_digest(root)
    assert served_first != served_bundled
    second = ingest([_csv(july_changsha().assign(value=2.0), tmp_path / "progress_2023-07b.csv")], data_dir=root)
    assert second.published is not None
    assert served_digest(root) != served_first
    # each rollback serves, byte for byte, what was served when that version was in force
    assert main(["--rollback", "--data-dir", str(root)]) == 0
    assert publish.current_id(root) == first.published.id
    assert served_digest(root) == served_first
    assert main(["--rollback", "--data-dir", str(root)]) == 0
    assert publish.current_id(root) == publish.BUNDLED
    assert served_digest(root) == served_bundled
    events = [e["event"] for e in publish.history(root)]
    assert events == ["publish", "publish", "rollback", "rollback"]


def test_a_publish_killed_halfway_leaves_the_previous_version(root: Path, tmp_path: Path) -> None:
    path = _csv(july_changsha().assign(value=7.0), tmp_path / "progress_2023-07.csv")
    before = tree_digest(root)
    env = {**os.environ, "FPA_PUBLISH_PAUSE": "60", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analytics.ingest", str(path), "--data-dir", str(root)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        staging: list[Path] = []
        while time.monotonic() < deadline:
            staging = list((root / "versions").glob(".staging-*/version.json"))
            if staging:
                break
            time.sleep(0.05)
        assert staging, "the publish never reached its pause"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # the half-written version is there, but nothing points at it
    assert publish.current_id(root) == publish.BUNDLED
    con = db.connect(db.published_dir(root))
    assert con.execute("select count(*) from stg_progress where value = 7 and period_end = ?", [JULY]).fetchone() == (
        int(((progress()["value"] == 7) & (progress()["period_end"].astype(str) == JULY)).sum()),
    )
    served = {k: v for k, v in tree_digest(root).items() if not k.startswith("versions/")}
    assert served == before
    # the next publish sweeps the leftovers and succeeds
    report = ingest([path], data_dir=root)
    assert report.published is not None
    assert not list((root / "versions").glob(".staging-*"))


def test_readers_never_see_a_mixed_state(root: Path, tmp_path: Path) -> None:
    """Publish k writes value k into every July Changsha row; a reader must always find one k,
    equal to the number of the version it resolved."""
    rows = july_changsha()
    files = [_csv(rows.assign(value=float(k)), tmp_path / f"progress_2023-07_{k}.csv") for k in range(1, 5)]
    seen: list[tuple[str, set[float]]] = []
    stop = threading.Event()
    failures: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            folder = db.published_dir(root)
            table = pq.read_table(folder / "exports/progress").to_pandas()
            july = table[table["region_code"].str.startswith("4301") & (table["period_end"].astype(str) == JULY)]
            values = set(july["value"])
            seen.append((folder.name, values))
            if folder.name != "root":
                k = float(int(folder.name[1:5]))
                if values != {k}:
                    failures.append(f"{folder.name}: {values}")

    thread = Checked(reader)  # an exception in the reader fails the test (at join)
    thread.start()
    try:
        for f in files:
            assert ingest([f], data_dir=root).published is not None
    finally:
        stop.set()
        thread.join()
    assert not failures
    assert len({name for name, _ in seen}) >= 2  # the reader really read during the publishes


def test_importable_tables_exist_in_the_contract() -> None:
    from analytics.contract import TABLES

    assert set(IMPORTABLE) <= set(TABLES)


def test_population_figures_are_added_beside_the_bundled_ones(root: Path, tmp_path: Path) -> None:
    """An association's population file is a new source, not a replacement: the figure-in-force
    rule (fct_population_candidates) puts it first and keeps the bundled figure as a candidate."""
    bundled = pd.read_parquet(DATA / "reference/population/population.parquet")
    mine = bundled[(bundled["measure"] == "yearend_population") & (bundled["year"] == 2022)].head(2).copy()
    mine["value"] = mine["value"] + 1
    path = _csv(mine, tmp_path / "population_association_2023.csv")
    report = ingest([path], data_dir=root)
    assert report.published is not None, report.text()
    folder = db.published_dir(root)
    assert sorted(p.name for p in (folder / "reference/population").iterdir()) == [
        f"import-{report.published.id}.parquet",
        "population.parquet",
    ]
    con = db.connect(folder)
    got = con.execute(
        "select region_code, value, candidate_rank, n_candidates from fct_population_candidates "
        "where measure = 'yearend_population' and year = 2022 and source_file like 'import-%' order by 1"
    ).fetchall()
    assert [(c, v, r, n) for c, v, r, n in got] == [
        (c, v, 1, 2) for c, v in sorted(zip(mine["region_code"], mine["value"], strict=True))
    ]
