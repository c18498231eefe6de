"""Numbers no count can take are refused, with the row and column (issue 18, case 8).

inf and NaN (typed, or as Parquet floats), 1e300, a decimal comma, and the texts programs
write for "no value" are errors, never a published figure or a silent null; a thousands
separator in groups of three and an empty cell still read as before. Maxima are the
contract's (``Table.limits``, docs/data-contract.md).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics import db
from tests.unit.test_ingest import DATA, JULY, _csv, july_changsha, root, run, tree_digest

__all__ = ["root"]

ROW = 7  # data row of the changed cell: file row 9


def errors(text: str) -> list[str]:
    return [line for line in text.split("Import report", 1)[1].splitlines() if "[ERROR]" in line]


def indicator_row(indicator: str) -> int:
    """A data row of july_changsha() reporting ``indicator`` with a value."""
    rows = july_changsha()
    hit = rows.index[(rows["indicator_id"] == indicator) & rows["value"].notna()]
    assert len(hit), indicator
    return int(hit[0])


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("inf", "not a finite number"),
        ("Infinity", "not a finite number"),
        ("-inf", "not a finite number"),
        ("1e400", "not a finite number"),
        ("1e300", "number above the plausible maximum 10,000,000"),
        ("1.7e308", "number above the plausible maximum 10,000,000"),
        ("1,5", "write decimals with a point"),
        ("2.301,5", "write decimals with a point"),
        ("12,34", "must group the digits in threes"),
        ("NaN", "placeholder text"),
        ("nan", "placeholder text"),
        ("None", "placeholder text"),
        ("<NA>", "placeholder text"),
        ("NaT", "placeholder text"),
    ],
)
def test_a_cell_no_count_can_hold_is_refused(
    cell: str, problem: str, root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    df = july_changsha().astype({"value": object})
    row = indicator_row("publicity_articles")  # a count: maximum 10,000,000
    df.loc[row, "value"] = cell
    path = _csv(df, tmp_path / "progress_2023-07.csv")
    before = tree_digest(root)
    code, text = run([path], root, capsys=capsys)
    assert code == 1, text
    lines = errors(text)
    assert any(f"progress_2023-07.csv, column value, row {row + 2} " in line and problem in line for line in lines), (
        text
    )
    assert len(lines) == 1, text  # one mistake, one line (not also "empty value" and the like)
    assert tree_digest(root) == before


def test_the_maximum_depends_on_the_indicators_unit(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A yuan figure may be larger than any count, up to 1,000,000,000."""
    indicators = pd.read_parquet(DATA / "plan/indicators").set_index("indicator_id")["unit_en"]
    df = july_changsha()
    yuan = indicator_row("livelihood_project_funds_yuan")
    count = indicator_row("publicity_articles")
    assert indicators["livelihood_project_funds_yuan"] == "yuan" and indicators["publicity_articles"] != "yuan"
    df.loc[yuan, "value"] = 50_000_000.0  # fine for yuan
    df.loc[count, "value"] = 50_000_000.0  # not for a count
    path = _csv(df, tmp_path / "progress_2023-07.csv")
    code, text = run([path], root, capsys=capsys)
    assert code == 1
    assert [line for line in errors(text) if "plausible maximum" in line] == [
        line for line in errors(text) if f"row {count + 2} " in line and "maximum 10,000,000" in line
    ]
    df.loc[count, "value"] = 5.0
    df.loc[yuan, "value"] = 2e9
    code, text = run([_csv(df, tmp_path / "progress_2023-07.csv")], root, capsys=capsys)
    assert code == 1
    assert any(f"row {yuan + 2} " in line and "maximum 1,000,000,000" in line for line in errors(text)), text


def test_parquet_inf_and_nan_are_refused(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In Parquet, NaN is a value (not null) and inf a float: both refused, each row named."""
    df = july_changsha()
    df["period_end"] = pd.to_datetime(df["period_end"]).dt.date
    df["reported_at"] = pd.to_datetime(df["reported_at"]).dt.date
    values = df["value"].to_numpy(dtype="float64", na_value=np.nan).copy()
    values[3] = np.inf
    values[5] = np.nan
    mask = df["value"].isna().to_numpy().copy()
    mask[5] = False  # row 5 holds a real NaN, not a null
    table = pa.Table.from_pandas(df.drop(columns="value"), preserve_index=False).append_column(
        "value", pa.array(values, mask=mask, type=pa.float64())
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    path = tmp_path / "progress_2023-07.parquet"
    path.write_bytes(buf.getvalue())
    before = tree_digest(root)
    code, text = run([path], root, capsys=capsys)
    assert code == 1, text
    lines = errors(text)
    # Parquet has no header row: data row i is row i + 1
    assert any("column value, row 4 " in line and "not a finite number" in line for line in lines), text
    assert any("column value, row 6 " in line and "placeholder text" in line for line in lines), text
    assert tree_digest(root) == before


def test_grouped_thousands_and_empty_cells_still_read(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    df = july_changsha().astype({"value": object})
    row = indicator_row("livelihood_project_funds_yuan")
    df.loc[row, "value"] = "1,234,567"
    empty = int(df.index[df["value"].isna()][0])  # a cell empty in the file and in the published data
    df.loc[empty, "value"] = ""
    path = _csv(df, tmp_path / "progress_2023-07.csv")
    code, text = run([path], root, capsys=capsys)
    assert code == 0, text
    now = pd.read_parquet(db.published_dir(root) / "exports/progress")
    july = now[(now["period_end"].astype(str) == JULY)].set_index(["indicator_id", "region_code"])["value"]
    assert july[(df.loc[row, "indicator_id"], df.loc[row, "region_code"])] == 1_234_567
    assert pd.isna(july[(df.loc[empty, "indicator_id"], df.loc[empty, "region_code"])])
