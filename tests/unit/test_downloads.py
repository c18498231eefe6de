"""Downloads carry no live formula (issue 18, case 9; OWASP "CSV injection").

A text cell that starts with = + - @, a tab or a carriage return is quoted in CSV and stored as
text (Excel's quote prefix) in Excel; numbers, negative ones too, stay numbers; Parquet stays
raw. The last test runs the childcare page on a copy of the bundled data with a point named
``=HYPERLINK(...)`` and opens what its download buttons serve.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.bundled import copy_bundled
from ui import downloads

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = '=HYPERLINK("http://example.invalid/x","点击查看详情")'
DANGEROUS = [PAYLOAD, "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=1"]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "名称": [*DANGEROUS, "黑石铺街道社区普惠托育点", None, "-3.5", "-"],
            "托位": [-5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
            "补助": [-1.5, None, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0],
        }
    )


def read_csv(raw: bytes, notes: int = 0) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", skiprows=notes, keep_default_na=False)


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_is_recognised(text: str) -> None:
    assert downloads.is_formula_like(text)
    assert downloads.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["黑石铺", "a=b", " =1", "", "-3.5", "+7", "-1e5", "12%", -5, -1.5, None])
def test_other_values_are_left_alone(value: object) -> None:
    assert not downloads.is_formula_like(value)
    assert downloads.neutralise(value) == value


# ---------------------------------------------------------------- CSV


def test_csv_quotes_formula_like_text_and_keeps_numbers() -> None:
    table = read_csv(downloads.csv_bytes(frame()))
    assert list(table["名称"][: len(DANGEROUS)]) == ["'" + t for t in DANGEROUS]
    assert list(table["名称"][len(DANGEROUS) :]) == ["黑石铺街道社区普惠托育点", "", "-3.5", "'-"]
    numbers = pd.read_csv(io.BytesIO(downloads.csv_bytes(frame())), encoding="utf-8-sig")
    assert numbers["托位"].tolist()[0] == -5 and numbers["托位"].dtype.kind == "i"
    assert numbers["补助"].tolist()[0] == -1.5 and numbers["补助"].dtype.kind == "f"


def test_csv_no_cell_starts_a_formula_and_a_carriage_return_starts_no_row() -> None:
    """What a spreadsheet sees, read as Excel does (a bare CR ends a row): every row whole, no
    cell starting with = + - @ unless it is a signed number."""
    df = pd.concat([frame(), pd.DataFrame({"名称": ["托育点\r=cmd()", "a\nb"], "托位": [1, 2], "补助": [1.0, 2.0]})])
    text = downloads.csv_bytes(df).decode("utf-8-sig")
    outside = text.split('"')[::2]  # the text outside quoted fields
    assert not any("\r" in part.replace("\r\n", "") for part in outside), "a CR outside quotes ends a row"
    lines = [line for part in outside for line in part.split("\r\n")]
    assert not [line for line in lines if downloads.is_formula_like(line.split(",")[0])]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["名称", "托位", "补助"], "the header is the first line"
    assert len(rows) == 1 + len(df) and all(len(r) == 3 for r in rows)
    cells = [c for r in rows[1:] for c in r]
    assert not [c for c in cells if downloads.is_formula_like(c)]
    assert "'托育点\r=cmd()" not in cells and "托育点\r=cmd()" in cells  # inside a quoted cell: text


def test_the_notes_file_keeps_each_note_on_one_line_and_starts_no_formula() -> None:
    text = downloads.notes_bytes(["note one\n=note two", "=HYPERLINK(1)", "来源：普查"]).decode("utf-8-sig")
    assert text.split("\r\n") == ["note one =note two", "'=HYPERLINK(1)", "来源：普查", ""]


def test_csv_column_names_are_quoted_too() -> None:
    table = read_csv(downloads.csv_bytes(pd.DataFrame({"=cmd": ["a"], "ok": [1]})))
    assert list(table.columns) == ["'=cmd", "ok"]


# ---------------------------------------------------------------- Excel


def test_excel_stores_formula_like_text_as_text() -> None:
    book = openpyxl.load_workbook(io.BytesIO(downloads.excel_bytes(frame(), ["=not a formula either"])))
    sheet = book["数据"]
    names = [sheet.cell(row=r, column=1) for r in range(2, 2 + len(DANGEROUS))]
    assert [c.value for c in names] == DANGEROUS, "the name is kept as typed"
    assert [c.data_type for c in names] == ["s"] * len(DANGEROUS), "text, not a formula ('f')"
    assert all(c.quotePrefix for c in names), "Excel keeps it text when the cell is edited"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    plain = sheet.cell(row=2 + len(DANGEROUS), column=1)
    assert (plain.value, plain.data_type, plain.quotePrefix) == ("黑石铺街道社区普惠托育点", "s", False)
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-5, "n")
    assert (sheet["C2"].value, sheet["C2"].data_type) == (-1.5, "n")
    note = book["说明"]["B2"]
    assert (note.value, note.data_type) == ("=not a formula either", "s")


# ---------------------------------------------------------------- Parquet stays raw


def test_parquet_keeps_the_text_as_it_is() -> None:
    """Parquet is typed data for pandas and DuckDB; no spreadsheet runs it: the name is the name."""
    back = pq.read_table(io.BytesIO(downloads.parquet_bytes(frame()))).to_pandas()
    assert back["名称"].iloc[0] == PAYLOAD and back["托位"].iloc[0] == -5


# ---------------------------------------------------------------- through the childcare page


class _KeptStorage(MemoryMediaFileStorage):
    """AppTest's media storage, kept after the run so the test can read what a button serves."""

    instances: ClassVar[list[_KeptStorage]] = []

    def __init__(self, endpoint: str) -> None:
        super().__init__(endpoint)
        _KeptStorage.instances.append(self)


@pytest.fixture
def hostile_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the bundled data whose first childcare point is named with a formula."""
    data = tmp_path / "data"
    copy_bundled(data)
    path = data / "exports" / "childcare_points" / "part-0.parquet"
    table = pq.read_table(path)
    names = table.column("name_zh").to_pylist()
    names[0] = PAYLOAD
    pq.write_table(table.set_column(table.schema.get_field_index("name_zh"), "name_zh", [names]), path)
    monkeypatch.setenv("FPA_DATA_DIR", str(data))
    monkeypatch.delenv("FPA_USERS_FILE", raising=False)
    _KeptStorage.instances.clear()
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", _KeptStorage)
    yield data


def test_the_childcare_downloads_carry_no_formula(hostile_point: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, tuple[pd.DataFrame, list[str]]] = {}
    original = downloads.download_buttons

    def recording(df: pd.DataFrame, basename: str, *, key: str, **kwargs: Any) -> None:
        served[key] = (df, list(kwargs.get("notes", ())))
        original(df, basename, key=key, **kwargs)

    monkeypatch.setattr(downloads, "download_buttons", recording)
    app = ROOT / "app.py"
    at = AppTest.from_string(f"import runpy\nrunpy.run_path({str(app)!r}, run_name='__main__')\n", default_timeout=120)
    at.query_params["as_of"] = "2023-12-31"
    at.run()
    at.switch_page(str(ROOT / "pages" / "childcare.py"))
    at.run()
    assert "childcare_points" in served, "the points list and its downloads are on the page"
    df, notes = served["childcare_points"]
    assert PAYLOAD in df.astype(str).to_numpy(), "the page lists the point by its name"
    # the CSV exactly as the button serves it (made on the run: the list is short)
    button = next(b for b in at.get("download_button") if b.proto.id.endswith("childcare_points_download_csv"))
    name = button.proto.url.rsplit("/", 1)[-1]
    raw = b""
    for store in reversed(_KeptStorage.instances):
        with contextlib.suppress(Exception):  # not in this run's storage
            raw = bytes(store.get_file(name).content)
            break
    assert raw, f"{name} not served"
    text = raw.decode("utf-8-sig")
    assert "'" + PAYLOAD.replace('"', '""') in text and "\n" + '"' + PAYLOAD.replace('"', '""') not in text
    # the Excel file is made when clicked, from the same frame: open it as Excel would
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.excel_bytes(df, notes))).active
    [cell] = [c for row in sheet.iter_rows() for c in row if c.value == PAYLOAD]
    assert cell.data_type == "s" and cell.quotePrefix
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
