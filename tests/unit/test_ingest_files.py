"""A file is its path, not its name (issue 18, case 3); a sheet's header below a title row and a
bad date reported once (case 11).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analytics import db
from tests.unit.test_ingest import JULY, _csv, july_changsha, progress, root, run, tree_digest

__all__ = ["root"]


def errors(text: str) -> list[str]:
    return [line for line in text.split("Import report", 1)[1].splitlines() if "[ERROR]" in line]


def one_row(value: float) -> pd.DataFrame:
    return july_changsha().head(1).assign(value=value)


# --------------------------------------------------------------------------- same name, two files


def test_two_files_of_the_same_name_are_two_files(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """x/progress_same.csv and y/progress_same.csv carry the same key (111 and 222): refused,
    each named by enough of its path to tell them apart."""
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    first = _csv(one_row(111.0), tmp_path / "x" / "progress_same.csv")
    second = _csv(one_row(222.0), tmp_path / "y" / "progress_same.csv")
    before = tree_digest(root)
    code, text = run([first, second], root, capsys=capsys)
    assert code == 1, text
    lines = [line for line in errors(text) if "same key" in line]
    assert any(
        line.strip().startswith("[ERROR] x/progress_same.csv,") and "y/progress_same.csv" in line for line in lines
    )
    assert any(
        line.strip().startswith("[ERROR] y/progress_same.csv,") and "x/progress_same.csv" in line for line in lines
    )
    assert all("row 2" in line for line in lines), text
    assert tree_digest(root) == before


def test_the_same_path_twice_is_read_once(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(one_row(111.0), tmp_path / "progress_same.csv")
    code, text = run([path, path, tmp_path / "." / "progress_same.csv"], root, capsys=capsys)
    assert code == 0, text
    assert "the same file was given 3 times: read once" in text
    now = pd.read_parquet(db.published_dir(root) / "exports/progress")
    key = one_row(111.0).iloc[0]
    hit = now[
        (now["indicator_id"] == key["indicator_id"])
        & (now["region_code"] == key["region_code"])
        & (now["period_end"].astype(str) == JULY)
    ]
    assert list(hit["value"]) == [111.0]  # one row, not [111, 111]
    assert len(now) == len(progress())


# --------------------------------------------------------------------------- Excel title row


def titled_workbook(path: Path, rows: pd.DataFrame) -> Path:
    """A sheet as offices make them: a title in A1, an empty row, then the header on row 3."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "progress"
    sheet["A1"] = "2023年7月长沙市工作进展报表"
    sheet.append([])
    sheet.append(list(rows.columns))
    for record in rows.itertuples(index=False):
        sheet.append([None if pd.isna(v) else v for v in record])
    book.save(path)
    return path


def test_a_title_row_above_the_header_is_skipped_and_said(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = july_changsha().assign(value=lambda d: d["value"].fillna(0) + 1)
    path = titled_workbook(tmp_path / "progress_2023-07.xlsx", rows)
    code, text = run([path], root, capsys=capsys)
    assert code == 0, text
    assert "the header is on row 3: the 2 row(s) above it (a title) were skipped" in text
    now = pd.read_parquet(db.published_dir(root) / "exports/progress")
    july = now[now["region_code"].str.startswith("4301") & (now["period_end"].astype(str) == JULY)]
    assert sorted(july["value"]) == sorted(rows["value"])


def test_rows_below_a_title_are_numbered_as_excel_shows_them(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = july_changsha().astype({"value": object})
    rows.loc[4, "value"] = "abc"  # data row 4: Excel row 3 (header) + 1 + 4 = 8
    path = titled_workbook(tmp_path / "progress_2023-07.xlsx", rows)
    before = tree_digest(root)
    code, text = run([path], root, capsys=capsys)
    assert code == 1
    assert any("sheet progress, column value, row 8 " in line and "not a number" in line for line in errors(text))
    assert tree_digest(root) == before


# --------------------------------------------------------------------------- a bad date, once


def test_a_bad_date_is_reported_once(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It was reported twice: as not a date, and again as an empty required cell."""
    rows = july_changsha()
    rows.loc[3, "period_end"] = "2023-02-30"
    path = _csv(rows, tmp_path / "progress_2023-07.csv")
    code, text = run([path], root, capsys=capsys)
    assert code == 1
    assert errors(text) == [
        "    [ERROR] progress_2023-07.csv, column period_end, row 5 — not a valid date (year-month-day): '2023-02-30'"
    ]
