"""Reading an export: what a file's bytes say it is (a CSV named ``.xlsx`` is caught), CSV in
UTF-8, UTF-8 with BOM or GBK, every sheet of a workbook with its header row found under a title,
and which table a file or sheet is from its name and its columns.

Cells stay as the file has them; turning them into numbers, dates and codes is normalise.py's job.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics.contract import TABLES
from analytics.ingest.report import Finding

# Tables an import may carry. Regions, plan items, indicators and targets are the
# association's plan and the real reference data: they change through their build
# scripts (scripts/), reviewed, never through a monthly import.
IMPORTABLE = ("progress", "instructors", "childcare_points", "trainings", "training_participants", "population")


ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 reads everything GBK and GB2312 wrote


# Excel sheets often carry a title above the header: the header is looked for in the first rows.
HEADER_SEARCH_ROWS = 10


@dataclass
class Sheet:
    """Rows of one file (or one sheet of a workbook), every cell still as the file had it."""

    file: str
    sheet: str
    frame: pd.DataFrame
    header_rows: int = 1  # file row of the first data row is header_rows + 1 (Parquet: 0)
    # the file row of each frame row, when the rows are not consecutive (a report template read by
    # its layout leaves out the rows nothing was filled in on: analytics/reporting/template.py)
    rows: tuple[int, ...] | None = None


def _sniff(head: bytes) -> str:
    """What the first bytes of a file say it is: parquet, xlsx, xls or text."""
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "text"


_KIND_NAMES = {"parquet": "Parquet", "xlsx": "Excel (.xlsx)", "xls": "Excel 97 (.xls)", "text": "text (CSV)"}
_SUFFIX_KINDS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "text",
    ".txt": "text",
}


def read_sheets(path: Path, findings: list[Finding], *, raw: bytes | None = None, name: str = "") -> list[Sheet]:
    """Every sheet of ``path`` with its cells as the file has them; problems go to ``findings``.

    ``raw`` is the file's bytes when already read; ``name`` is how findings name the file.
    """
    name = name or path.name
    raw = path.read_bytes() if raw is None else raw
    if not raw.strip():
        findings.append(Finding(name, "empty_file"))
        return []
    suffix = path.suffix.lower()
    expected = _SUFFIX_KINDS.get(suffix)
    actual = _sniff(raw[:8])
    if expected is None:
        findings.append(Finding(name, "unsupported_format", detail={"suffix": suffix or "(none)"}))
        return []
    if actual != expected:
        findings.append(Finding(name, "not_what_named", detail={"suffix": suffix, "actual": _KIND_NAMES[actual]}))
        return []
    try:
        if actual == "parquet":
            return [Sheet(name, "", _parquet_frame(pq.read_table(io.BytesIO(raw))), header_rows=0)]
        if actual == "xlsx":
            # a county's monthly template is read by its own layout (imported here: it builds on this module)
            from analytics.reporting.template import layout_sheets

            by_layout = layout_sheets(raw, name, findings)
            if by_layout is not None:
                return by_layout
            book = pd.read_excel(io.BytesIO(raw), sheet_name=None, header=None, dtype=object, engine="openpyxl")
            sheets = []
            for sheet, cells in book.items():
                found = _with_header(name, str(sheet), cells, findings)
                if found is not None and not found.frame.empty:
                    sheets.append(found)
            return sheets
        for encoding in ENCODINGS:
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            if encoding != "utf-8-sig":
                findings.append(Finding(name, "note_encoding", detail={"encoding": "GBK/GB18030"}, error=False))
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
            return [Sheet(name, "", frame)]
        findings.append(Finding(name, "unreadable", detail={"error": "not UTF-8 or GBK text"}))
        return []
    except Exception as exc:  # any reader failure is the file's problem, reported as such
        findings.append(Finding(name, "unreadable", detail={"error": f"{type(exc).__name__}: {exc}"[:300]}))
        return []


def _parquet_frame(table: pa.Table) -> pd.DataFrame:
    """A Parquet file's rows; a float NaN (a value in Parquet, unlike null) becomes the text "NaN".

    pandas reads both null and NaN as NaN, which would publish a NaN as an empty cell; as text it
    is reported like the "NaN" a CSV carries.
    """
    frame: pd.DataFrame = table.to_pandas()
    for i, column in enumerate(table.schema):
        if pa.types.is_floating(column.type):
            nan = pc.fill_null(pc.is_nan(table.column(i)), False).to_numpy(zero_copy_only=False)
            if nan.any():
                cells = frame.iloc[:, i].astype(object)
                cells[nan] = "NaN"
                frame[frame.columns[i]] = cells
    return frame


def _header_score(cells: Iterable[object]) -> int:
    """How many of the cells name a column of one importable table (the best table's count)."""
    names = {clean_header(c) for c in cells if isinstance(c, str)}
    return max(len(names & set(TABLES[t].schema.names)) for t in IMPORTABLE)


def _with_header(name: str, sheet: str, cells: pd.DataFrame, findings: list[Finding]) -> Sheet | None:
    """A sheet read without a header, with its header found: row 1, or a row below a title.

    A title row ("2023年7月工作进展报表") above the header would otherwise read as one unknown
    column and every real column missing; the header is the first of the first rows that names
    more of a table's columns than row 1 does, and the report says where it was found.
    """
    if cells.empty:
        return None
    scores = [_header_score(cells.iloc[i]) for i in range(min(HEADER_SEARCH_ROWS, len(cells)))]
    at = 0
    best = max(scores)
    if best > scores[0]:
        at = scores.index(best)
        findings.append(
            Finding(name, "note_header_row", sheet=sheet, detail={"row": str(at + 1), "above": str(at)}, error=False)
        )
    header = [
        f"Unnamed: {i}" if (pd.isna(v) if not isinstance(v, str) else not v.strip()) else v
        for i, v in enumerate(cells.iloc[at])
    ]
    frame = cells.iloc[at + 1 :].set_axis(header, axis=1).reset_index(drop=True)
    # what pandas drops when it reads the header itself: rows empty to the end of the sheet
    filled = frame.notna().any(axis=1).to_numpy()
    last = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    return Sheet(name, sheet, frame.iloc[:last], header_rows=at + 1)


def clean_header(name: object) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip().lstrip("\ufeff").strip().lower()


def guess_table(file_name: str, sheet: str, columns: Sequence[str]) -> tuple[str | None, str | None]:
    """(table named by the file or sheet, table whose columns these are)."""
    named = None
    for text in (sheet, Path(file_name).stem):
        low = text.lower()
        # longest names first: "training_participants" before "trainings"
        for t in sorted(TABLES, key=len, reverse=True):
            if re.search(rf"(^|[^a-z]){t}([^a-z]|$)", low):
                named = t
                break
        if named:
            break
    cols = set(columns)
    fits = [t for t in IMPORTABLE if set(TABLES[t].schema.names) <= cols]
    # the table with the most of its columns present, when none fits fully
    best = max(IMPORTABLE, key=lambda t: len(set(TABLES[t].schema.names) & cols) / len(TABLES[t].schema.names))
    by_columns = fits[0] if len(fits) == 1 else (best if not fits else None)
    if len(fits) > 1:
        by_columns = max(fits, key=lambda t: len(TABLES[t].schema.names))
    return named, by_columns
