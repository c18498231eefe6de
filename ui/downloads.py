"""Downloads of what a page shows: CSV that Excel opens with Chinese intact, Excel, Parquet, and the notes.

What a spreadsheet user gets (issue 20, item 8):

* **CSV** is the table alone, its header on the first line: notes above a header make Excel and
  pandas read the notes as the header. It is UTF-8 with a byte-order mark (Excel on Chinese
  Windows reads a CSV without one as GBK and shows the names as mojibake).
* **Excel**: the table on the first sheet (named in the page's language), its header on row 1 and
  frozen; the notes (source, filters, as-of date, the demo label, the page's own notes) on a
  second sheet, 说明 / Notes. Whole numbers are stored as integers (never "12.0"), months as real
  dates shown as months (2023年6月 / 2023-06), dates as dates.
* **Notes** (a .txt beside the buttons, UTF-8 with a byte-order mark) carry the same notes for
  whoever takes the CSV; Parquet keeps them in its metadata (``fpa.notes``).

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

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import streamlit as st

from ui.i18n import current_lang, t

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


# ---------------------------------------------------------------- tidy: the values as a spreadsheet should hold them

_MONTH_TEXT = re.compile(r"\d{4}-\d{2}")
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
# a date column headed as a month holds each month's last (or first) day: shown as the month
_MONTH_WORDS = re.compile(r"月份|\bmonth\b", re.IGNORECASE)
MONTH_FORMATS = {"zh": 'yyyy"年"m"月"', "en": "yyyy-mm"}
DATE_FORMAT = "yyyy-mm-dd"
# Excel forbids these in a sheet's name, and allows 31 characters
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str) -> str:
    """``name`` as Excel accepts a sheet's name: none of [ ] : * ? / and backslash, at most 31 characters."""
    return (_SHEET_BAD.sub(" ", name).strip(" '") or "Sheet1")[:31]


def _text_values(col: pd.Series) -> pd.Series | None:
    """The non-empty values of a text column, or None when it is not text."""
    if pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_datetime64_any_dtype(col.dtype):
        return None
    values = col.dropna()
    values = values[values.astype(str) != ""]
    if values.empty or not values.map(lambda v: isinstance(v, str)).all():
        return None
    return values


def _dates(col: pd.Series) -> bool:
    values = col.dropna()
    return not values.empty and bool(values.map(lambda v: isinstance(v, dt.date)).all())


def tidy(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, str]]:
    """``df`` with its values as a spreadsheet should hold them, and the kind of each date column
    by position ("month" or "date").

    * a float column holding only whole numbers becomes integers (nullable: a gap stays empty),
      so neither Excel nor the CSV writes "12.0";
    * a month — a ``Period`` column, text like "2023-06", or dates under a header naming a month
      (月份 / month) — becomes a real date (the month's first day for a period or text);
    * text like "2023-06-30" becomes a real date; other dates stay dates.
    Text that only looks numeric (a region code "430102") stays text.
    """
    out = df.copy(deep=False)
    kinds: dict[int, str] = {}
    for j, name in enumerate(df.columns):
        col = df.iloc[:, j]
        if pd.api.types.is_float_dtype(col.dtype):
            values = col.dropna()
            if not values.empty and bool(((values % 1 == 0) & (values.abs() < 2**53)).all()):
                out.isetitem(j, col.astype("Int64"))
        elif isinstance(col.dtype, pd.PeriodDtype):
            out.isetitem(j, col.dt.to_timestamp())
            kinds[j] = "month"
        elif pd.api.types.is_datetime64_any_dtype(col.dtype) or _dates(col):
            kinds[j] = "month" if _MONTH_WORDS.search(str(name)) else "date"
            if not pd.api.types.is_datetime64_any_dtype(col.dtype):
                out.isetitem(j, pd.to_datetime(col))
        elif (text := _text_values(col)) is not None:
            if bool(text.map(lambda v: bool(_MONTH_TEXT.fullmatch(v))).all()):
                out.isetitem(j, pd.to_datetime(col.where(col.astype(str) != ""), format="%Y-%m"))
                kinds[j] = "month"
            elif bool(text.map(lambda v: bool(_DATE_TEXT.fullmatch(v))).all()):
                out.isetitem(j, pd.to_datetime(col.where(col.astype(str) != ""), format="%Y-%m-%d"))
                kinds[j] = "date"
    return out, kinds


# ---------------------------------------------------------------- the files


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The table alone, its header on the first line (the notes are in Excel and the notes file)."""
    # Lines end in CRLF (RFC 4180): Python's csv writer quotes a field holding a character of the
    # line ending, and with a bare "\n" ending it left a carriage return inside a name unquoted,
    # which a spreadsheet takes as a new row, so "托育点\r=cmd()" began a row with a formula.
    out, kinds = tidy(df)
    for j, kind in kinds.items():
        stamps = pd.to_datetime(out.iloc[:, j])
        out.isetitem(j, stamps.dt.strftime("%Y-%m" if kind == "month" else "%Y-%m-%d").astype(object))
    for j in range(out.shape[1]):
        if pd.api.types.is_float_dtype(out.iloc[:, j].dtype):  # a decimal column's whole values: "2", not "2.0"
            out.isetitem(j, out.iloc[:, j].map(_decimal, na_action="ignore").astype(object))
    return formula_safe(out).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _decimal(v: float) -> str:
    """A float as Python writes it back exactly (shortest round-trip), without a trailing ".0"."""
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


def notes_bytes(notes: Sequence[str]) -> bytes:
    """The notes as a text file: one per line, CRLF, UTF-8 with a byte-order mark (Notepad, Excel)."""
    # a spreadsheet may open a .txt too: a line never starts a formula
    return "".join(neutralise(" ".join(line.splitlines())) + "\r\n" for line in notes).encode("utf-8-sig")


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


def _width(values: Sequence[object]) -> float:
    """A column's width in Excel's units: a Chinese character takes two."""
    longest = max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(v)) for v in values), default=8)
    return min(max(longest + 2, 8), 60)


def _lay_out(sheet: Any, df: pd.DataFrame, kinds: dict[int, str], lang: str) -> None:
    """Header frozen on row 1, a filter on it, readable widths, months and dates formatted."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    if len(df.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{len(df) + 1}"
    for j, name in enumerate(df.columns):
        letter = get_column_letter(j + 1)
        sample = [name, *df.iloc[:200, j].tolist()]
        sheet.column_dimensions[letter].width = _width(sample) if j not in kinds else 12
        if j in kinds:
            number_format = MONTH_FORMATS.get(lang, MONTH_FORMATS["en"]) if kinds[j] == "month" else DATE_FORMAT
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j + 1, max_col=j + 1):
                cell.number_format = number_format


def excel_bytes(
    df: pd.DataFrame,
    notes: Sequence[str] = (),
    *,
    lang: str = "zh",
    sheet: str | None = None,
    context: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The table on its own sheet (``sheet``, default 数据 / Data) with the header frozen on row 1, and
    a second sheet 说明 / Notes listing ``context`` (label, text) then ``notes``."""
    data_name = sheet_name(sheet or t("downloads.sheet_data", lang))
    notes_name = sheet_name(t("downloads.sheet_notes", lang))
    if notes_name == data_name:
        notes_name = sheet_name(notes_name + " 2")
    out, kinds = tidy(df)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        out.to_excel(writer, sheet_name=data_name, index=False)
        _as_text(writer.sheets[data_name], out)
        _lay_out(writer.sheets[data_name], out, kinds, lang)
        rows = [*context, *((t("downloads.notes_note", lang), line) for line in notes)]
        if rows:
            frame = pd.DataFrame(rows, columns=[t("downloads.notes_item", lang), t("downloads.notes_text", lang)])
            frame.to_excel(writer, sheet_name=notes_name, index=False)
            _as_text(writer.sheets[notes_name], frame)
            writer.sheets[notes_name].freeze_panes = "A2"
            writer.sheets[notes_name].column_dimensions["A"].width = _width(frame.iloc[:, 0].tolist())
            writer.sheets[notes_name].column_dimensions["B"].width = 100
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


def context_notes(lang: str, *, demo: bool | None = None) -> list[tuple[str, str]]:
    """What every download says about where it comes from: the page's filters (plan year, as-of
    date, region), the data version, when it was downloaded and, for demo data, that it is demo."""
    filters = st.session_state.get("filters")
    out: list[tuple[str, str]] = []
    if filters is not None:
        from ui import cached
        from views.format import date

        # the region's name where the reference table has it; its code always
        region = filters.region
        names = cached.regions_at_level(filters.data_version, filters.own_level, _parent(filters.region))
        row = names[names["region_code"] == filters.region]
        if len(row):
            own = row.iloc[0].get(f"name_{lang}")
            region = f"{own if isinstance(own, str) and own else row.iloc[0]['name_zh']} ({filters.region})"
        out += [
            (t("downloads.ctx_plan_year", lang), str(filters.plan_year)),
            (t("downloads.ctx_as_of", lang), date(filters.as_of, lang)),
            (t("downloads.ctx_region", lang), region),
        ]
        if filters.data_version:
            out.append((t("downloads.ctx_data_version", lang), filters.data_version))
        if demo is None:
            demo = cached.manifest(filters.data_version).demo
    out.append((t("downloads.ctx_downloaded", lang), dt.datetime.now().strftime("%Y-%m-%d %H:%M")))
    if demo:
        out.append((t("downloads.ctx_demo", lang), t("demo.short", lang)))
    return out


def _parent(code: str) -> str:
    """The region a region is listed within (regions_at_level's ``within``)."""
    if code.endswith("0000"):
        return code
    if code.endswith("00"):
        return code[:2] + "0000"
    return code[:4] + "00"


def download_buttons(
    df: pd.DataFrame,
    basename: str,
    *,
    key: str,
    notes: Sequence[str] = (),
    formats: Sequence[str] = ("csv", "xlsx"),
    sheet: str | None = None,
    demo: bool | None = None,
) -> None:
    """A row of download buttons for ``df``; ``key`` prefixes the widget keys (page name first).

    ``sheet`` names the Excel sheet (default 数据 / Data); ``demo`` says whether the table is demo
    data (default: whether the published data is). The filters, the data version and the demo
    label go with ``notes`` on the Excel file's second sheet and in the notes file.
    """
    lang = current_lang()
    context = context_notes(lang, demo=demo)
    lines = [f"{label}: {value}" for label, value in context] + list(notes)
    makers = {
        "csv": (lambda d: csv_bytes(d), "text/csv", "downloads.csv"),
        "xlsx": (
            lambda d: excel_bytes(d, notes, lang=lang, sheet=sheet, context=context),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "downloads.xlsx",
        ),
        "parquet": (lambda d: parquet_bytes(d, lines), "application/vnd.apache.parquet", "downloads.parquet"),
    }
    cols = st.columns(len(formats) + 1)
    for col, fmt in zip(cols, formats, strict=False):
        make, mime, label = makers[fmt]
        col.download_button(
            t(label),
            # Excel and Parquet only when clicked: openpyxl takes a good part of a second per
            # table (seconds for a few thousand rows); CSV too above EAGER_CSV_ROWS
            data=make(df) if fmt == "csv" and len(df) <= EAGER_CSV_ROWS else (lambda make=make: make(df)),
            file_name=f"{basename}.{fmt}",
            mime=mime,
            key=f"{key}_download_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
    # the notes for whoever takes the CSV (which is the table alone)
    cols[-1].download_button(
        t("downloads.notes"),
        data=notes_bytes(lines),
        file_name=f"{basename}_notes.txt",
        mime="text/plain",
        key=f"{key}_download_notes",
        on_click="ignore",
        icon=":material/description:",
    )
