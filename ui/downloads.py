"""Downloads of what a page shows: CSV that Excel opens with Chinese intact, Excel, Parquet.

CSV is written as UTF-8 with a byte-order mark: Excel on Chinese Windows reads a CSV
without one as GBK and shows the names as mojibake. Notes (a citation, the sources,
the demo label) go in ``#`` lines above the table in CSV and on a second sheet in Excel,
so the numbers stay a clean table for whoever reads them back.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import streamlit as st

from ui.i18n import t

# A CSV up to this many rows is made on every run (cheap, and tests read it back); a longer
# one, like Excel and Parquet always, only when clicked: a village list of a few thousand
# rows took a fifth of its page's rerun to write.
EAGER_CSV_ROWS = 1000


def csv_bytes(df: pd.DataFrame, notes: Sequence[str] = ()) -> bytes:
    head = "".join(f"# {line}\n" for line in notes)
    return (head + df.to_csv(index=False)).encode("utf-8-sig")


def excel_bytes(df: pd.DataFrame, notes: Sequence[str] = (), sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        df.to_excel(writer, sheet_name=sheet[:31], index=False)
        if notes:
            pd.DataFrame({"notes": list(notes)}).to_excel(writer, sheet_name="notes", index=False)
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
