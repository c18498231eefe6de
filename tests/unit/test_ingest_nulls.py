"""A nullable cell is not an optional column, and an import does not empty published values
unasked (issue 18, case 2); a status must fit its dates.

Every case runs the command line on a copy of the bundled data and checks what the analyst
sees: the exit code, the report naming file, column and rows, and the data in force (every
byte unchanged when refused). Expected counts are worked out here with pandas from the
bundled Parquet, not read back from the import's report.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analytics import db
from tests.unit.test_ingest import DATA, JULY, _csv, july_changsha, root, run, tree_digest

__all__ = ["root"]  # the fixture, imported for pytest


def english(text: str) -> str:
    return text.split("Import report", 1)[1]


def errors(text: str) -> list[str]:
    return [line for line in english(text).splitlines() if "[ERROR]" in line]


def points() -> pd.DataFrame:
    df = pd.read_parquet(DATA / "exports/childcare_points")
    for c in df.columns:
        if str(df[c].dtype) == "object" and c.endswith(("_on", "_at")):
            df[c] = df[c].astype("string")
    return df


def trainings() -> pd.DataFrame:
    return pd.read_parquet(DATA / "exports/trainings")


# --------------------------------------------------------------------------- missing columns


@pytest.mark.parametrize(
    ("table", "name", "drop"),
    [
        ("progress", "progress_2023-07.csv", ["value"]),
        (
            "childcare_points",
            "childcare_points_2023-12.csv",
            ["construction_started_on", "opened_on", "closed_on", "subsidy_paid_on"],
        ),
        ("trainings", "trainings_2023.csv", ["start_date", "end_date"]),
    ],
)
def test_a_nullable_column_left_out_is_a_missing_column(
    table: str, name: str, drop: list[str], root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Leaving out a column whose cells may be empty would empty every published value of it."""
    df = {"progress": july_changsha, "childcare_points": points, "trainings": trainings}[table]()
    path = _csv(df.drop(columns=drop), tmp_path / name)
    before = tree_digest(root)
    code, text = run([path], root, capsys=capsys)
    assert code == 1, text
    for column in drop:
        assert any(
            f"{name}, column {column}" in line and "required column is missing" in line for line in errors(text)
        ), text
    assert tree_digest(root) == before


# --------------------------------------------------------------------------- emptied values


def test_every_value_empty_is_refused_naming_how_many(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = july_changsha()
    published = int(rows["value"].notna().sum())  # what the file's keys hold in the bundled data
    assert published > 0
    path = _csv(rows.assign(value=None), tmp_path / "progress_2023-07.csv")
    before = tree_digest(root)
    code, text = run([path], root, capsys=capsys)
    assert code == 1, text
    wiped = [line for line in errors(text) if f"would empty {published:,} published values" in line]
    assert len(wiped) == 1, text
    first = int(rows.index[rows["value"].notna()][0]) + 2  # file row: the header is row 1
    assert "progress_2023-07.csv, column value, row " + str(first) in wiped[0]
    assert "--allow-nulls" in wiped[0]
    assert tree_digest(root) == before


def test_allow_nulls_empties_them_when_asked(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = july_changsha()
    published = int(rows["value"].notna().sum())
    path = _csv(rows.assign(value=None), tmp_path / "progress_2023-07.csv")
    code, text = run([path], root, "--allow-nulls", capsys=capsys)
    assert code == 0, text
    assert f"empties {published:,} published values (allowed)" in text
    now = pd.read_parquet(db.published_dir(root) / "exports/progress")
    july = now[now["region_code"].str.startswith("4301") & (now["period_end"].astype(str) == JULY)]
    assert len(july) == len(rows) and july["value"].isna().all()


def test_one_emptied_childcare_date_is_refused(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One point's subsidy_paid_on cleared (the status does not need it): named, refused."""
    df = points()
    paid = df.index[df["subsidy_paid_on"].notna()][3]
    df.loc[paid, "subsidy_paid_on"] = None
    path = _csv(df, tmp_path / "childcare_points_2023-12.csv")
    before = tree_digest(root)
    code, text = run([path], root, capsys=capsys)
    assert code == 1, text
    assert any(
        f"column subsidy_paid_on, row {paid + 2} " in line and "would empty 1 published values" in line
        for line in errors(text)
    ), text
    assert tree_digest(root) == before


# --------------------------------------------------------------------------- status and dates


def test_an_open_point_needs_its_opening_date(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    df = points()
    row = int(df.index[df["status"] == "open"][0])
    df.loc[row, "opened_on"] = None
    path = _csv(df, tmp_path / "childcare_points_2023-12.csv")
    before = tree_digest(root)
    code, text = run([path], root, "--allow-nulls", capsys=capsys)  # not a wipe: a contradiction
    assert code == 1, text
    assert any(
        f"childcare_points_2023-12.csv, column opened_on, row {row + 2} " in line
        and "status open needs opened_on filled in" in line
        for line in errors(text)
    ), text
    assert tree_digest(root) == before


def test_a_closed_point_needs_its_closing_date(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    df = points()
    row = int(df.index[df["status"] == "open"][1])
    df.loc[row, "status"] = "closed"  # closed, but no date it closed
    path = _csv(df, tmp_path / "childcare_points_2023-12.csv")
    code, text = run([path], root, capsys=capsys)
    assert code == 1, text
    assert any(
        f"column closed_on, row {row + 2} " in line and "status closed needs closed_on filled in" in line
        for line in errors(text)
    ), text


def test_a_held_class_needs_its_dates(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    df = trainings()
    row = int(df.index[df["status"] == "held"][2])
    df.loc[row, ["start_date", "end_date"]] = None
    path = _csv(df, tmp_path / "trainings_2023.csv")
    code, text = run([path], root, "--allow-nulls", capsys=capsys)
    assert code == 1, text
    for column in ("start_date", "end_date"):
        assert any(
            f"column {column}, row {row + 2} " in line and f"status held needs {column} filled in" in line
            for line in errors(text)
        ), text
