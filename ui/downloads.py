"""Downloads of what a page shows: CSV that Excel opens with Chinese intact, Excel, Parquet.

CSV is written as UTF-8 with a byte-order mark: Excel on Chinese Windows reads a CSV
without one as GBK and shows the names as mojibake. Notes (a citation, the sources,
the demo label) go in ``#`` lines above the table in CSV and on a second sheet in Excel,
so the numbers stay a clean table for whoever reads them back.

Formula-safe (OWASP "CSV injection"): the tables carry text typed by county staff (a
childcare point's name, a class's title) and by analysts (the SQL console's results), and a
spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (``=HYPERLINK(...)``, DDE). So every such *text* cell, column names and
notes included, is neutralised: in CSV it gets a leading single quote (the text then reads
``'=HYPERLINK(...)``); in Excel it is stored as text with Excel's own quote prefix (the cell
shows the name as typed and stays text when edited). Numbers stay numbers, negative ones too,
and so does a text that is only a signed number (``-3.5``: a spreadsheet reads it as that
number, never as a formula). Parquet stays raw: it is typed data for pandas and DuckDB, no
spreadsheet evaluates it, and a quote added there would change the data an analyst reads back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import streamlit as st

from ui.i18n import t

# A CSV up to this many rows is made on every run (cheap, and tests read it back); a longer
# one, like Excel and Parquet always, only when clicked: a village list of a few thousand
# rows took a fifth of its page's rerun to write.
EAGER_CSV_ROWS = 1000

# what a spreadsheet takes as the start of a formula (OWASP: = + - @, tab, carriage return)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# a text that is only a signed number is read as that number, never run: left as it is
_SIGNED_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet could run ``value`` as a formula: text starting with = + - @, tab or CR."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _SIGNED_NUMBER.fullmatch(value)


def neutralise(value: Any) -> Any:
    """``value`` with a leading single quote if it is formula-like text (OWASP), else unchanged."""
    return "'" + value if is_formula_like(value) else value


def _text_positions(df: pd.DataFrame) -> list[int]:
    """Positions of the columns that may hold text: object, string and category columns
    (a numeric or datetime column holds no text, so its negative numbers are never touched)."""
    return [
        j
        for j, dtype in enumerate(df.dtypes)
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype))
    ]


def _flags(cells: pd.Series) -> pd.Series:
    return cells.astype(object).map(is_formula_like, na_action="ignore").fillna(False).astype(bool)


def formula_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every formula-like text cell and column name quoted (for CSV)."""
    out = df.copy(deep=False)
    for j in _text_positions(df):
        cells = df.iloc[:, j].astype(object)
        mask = _flags(cells)
        if mask.any():
            out.isetitem(j, cells.where(~mask, "'" + cells.where(mask, "").astype(str)))
    if isinstance(df.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples([tuple(neutralise(x) for x in c) for c in df.columns])
    else:
        out.columns = [neutralise(c) for c in df.columns]
    return out


def csv_bytes(df: pd.DataFrame, notes: Sequence[str] = ()) -> bytes:
    # Lines end in CRLF (RFC 4180): Python's csv writer quotes a field holding a character of the
    # line ending, and with a bare "\n" ending it left a carriage return inside a name unquoted,
    # which a spreadsheet takes as a new row, so "托育点\r=cmd()" began a row with a formula.
    # A note line starts with "# " and never starts a formula; a line break in a note would.
    head = "".join("# " + " ".join(line.splitlines()) + "\r\n" for line in notes)
    return (head + formula_safe(df).to_csv(index=False, lineterminator="\r\n")).encode("utf-8-sig")


def _as_text(sheet: Any, df: pd.DataFrame) -> None:
    """Store every formula-like text cell of ``sheet`` (written from ``df`` without its index,
    header in row 1) as text with Excel's quote prefix: openpyxl writes a text starting with "="
    as a live formula."""
    cells = [(1, j) for j, name in enumerate(df.columns) if is_formula_like(name)]
    for j in _text_positions(df):
        cells.extend((int(i) + 2, j) for i in _flags(df.iloc[:, j]).to_numpy().nonzero()[0])
    for row, j in cells:
        cell = sheet.cell(row=row, column=j + 1)
        cell.value = str(cell.value)  # a string again: openpyxl made "=..." a formula
        cell.data_type = "s"
        cell.quotePrefix = True  # what Excel sets for a cell typed with a leading apostrophe


def excel_bytes(df: pd.DataFrame, notes: Sequence[str] = (), sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        df.to_excel(writer, sheet_name=sheet[:31], index=False)
        _as_text(writer.sheets[sheet[:31]], df)
        if notes:
            frame = pd.DataFrame({"notes": list(notes)})
            frame.to_excel(writer, sheet_name="notes", index=False)
            _as_text(writer.sheets["notes"], frame)
    return buffer.getvalue()


def parquet_bytes(df: pd.DataFrame, notes: Sequence[str] = ()) -> bytes:
    table = pa.Table.from_pandas(df, preserve_index=False)
    if notes:
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), b"fpa.notes": "\n".join(notes).encode()}
        )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def download_buttons(
    df: pd.DataFrame,
    basename: str,
    *,
    key: str,
    notes: Sequence[str] = (),
    formats: Sequence[str] = ("csv", "xlsx"),
) -> None:
    """A row of download buttons for ``df``; ``key`` prefixes the widget keys (page name first)."""
    makers = {
        "csv": (csv_bytes, "text/csv", "downloads.csv"),
        "xlsx": (excel_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "downloads.xlsx"),
        "parquet": (parquet_bytes, "application/vnd.apache.parquet", "downloads.parquet"),
    }
    cols = st.columns(len(formats))
    for col, fmt in zip(cols, formats, strict=True):
        make, mime, label = makers[fmt]
        col.download_button(
            t(label),
            # Excel and Parquet only when clicked: openpyxl takes a good part of a second per
            # table (seconds for a few thousand rows); CSV too above EAGER_CSV_ROWS
            data=make(df, notes) if fmt == "csv" and len(df) <= EAGER_CSV_ROWS else (lambda make=make: make(df, notes)),
            file_name=f"{basename}.{fmt}",
            mime=mime,
            key=f"{key}_download_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
