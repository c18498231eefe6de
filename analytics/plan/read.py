"""Reading a plan workbook: its sheets, headers and cells, into typed records.

Everything a cell can get wrong is reported here, with its sheet, row and column (the row as
Excel numbers it): a missing sheet or column, an unknown column, a value of the wrong type, an
empty required cell, a value outside a drop-down's list. What the values mean together (an
item's area exists, allocations add up) is build.py's.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from analytics.plan.layout import KV_FIELD, KV_VALUE, NO, SHEETS, YES, Column, SheetSpec
from analytics.plan.report import Collector

_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*$")


@dataclass(frozen=True)
class Record:
    """One row of a table sheet: its Excel row number and its typed values (None: empty)."""

    row: int
    values: dict[str, object]

    def __getitem__(self, name: str) -> object:
        return self.values.get(name)


@dataclass
class Book:
    """A plan workbook as read: table sheets as records, key/value sheets as field → (row, value)."""

    label: str
    tables: dict[str, list[Record]] = field(default_factory=dict)
    fields: dict[str, dict[str, tuple[int, object]]] = field(default_factory=dict)

    def value(self, sheet: str, name: str) -> object:
        return self.fields.get(sheet, {}).get(name, (0, None))[1]

    def row(self, sheet: str, name: str) -> int | None:
        found = self.fields.get(sheet, {}).get(name)
        return found[0] if found else None


def _empty(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _field_of(cell: object, columns: tuple[Column, ...]) -> str | None:
    """The field a header names: "指标编号 indicator_id", "indicator_id" or "指标编号"."""
    text = re.sub(r"\s+", " ", str(cell or "")).strip()
    if not text:
        return None
    by_field = {c.field: c.field for c in columns}
    by_zh = {c.zh: c.field for c in columns}
    last = text.split(" ")[-1]
    first = text.split(" ")[0]
    return by_field.get(last) or by_field.get(text) or by_zh.get(text) or by_zh.get(first)


def convert(value: object, column: Column) -> tuple[object, str | None]:
    """A cell's value in the column's type, or the code of what is wrong with it."""
    if _empty(value):
        return None, None
    kind = column.kind
    if kind in ("text", "choice"):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code typed as a number: 430000
        text = str(value).strip()
        if kind == "choice" and text not in column.choices:
            return text, "not_allowed"
        return text, None
    if kind == "int":
        if isinstance(value, bool):
            return value, "not_an_integer"
        if isinstance(value, int):
            return value, None
        if isinstance(value, float):
            return (int(value), None) if value.is_integer() else (value, "not_an_integer")
        text = str(value).strip()
        return (int(text), None) if re.fullmatch(r"-?\d+", text) else (text, "not_an_integer")
    if kind == "number":
        if isinstance(value, bool):
            return value, "not_a_number"
        if isinstance(value, int | float):
            return float(value), None
        text = str(value).strip().replace(",", "")
        try:
            return float(text), None
        except ValueError:
            return str(value), "not_a_number"
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        m = _DATE_TEXT.match(str(value))
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
            except ValueError:
                pass
        return str(value), "not_a_date"
    if kind == "bool":
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in YES:
            return True, None
        if text in NO:
            return False, None
        return str(value), "not_a_boolean"
    raise ValueError(f"unknown column kind {kind!r}")


def _read_table(spec: SheetSpec, rows: list[tuple[object, ...]], found: Collector) -> list[Record]:
    header = rows[0] if rows else ()
    where: dict[str, int] = {}
    for i, cell in enumerate(header):
        if _empty(cell):
            continue
        name = _field_of(cell, spec.columns)
        if name is None:
            found.add("unknown_column", spec, column=str(cell).strip(), row=1)
        elif name in where:
            found.add("duplicate_column", spec, name, row=1)
        else:
            where[name] = i
    for c in spec.columns:
        if c.field not in where and c.required:
            found.add("missing_column", spec, c.field, row=1)
    records = []
    for n, cells in enumerate(rows[1:], start=2):
        if all(_empty(v) for v in cells):
            continue
        values: dict[str, object] = {}
        for c in spec.columns:
            at = where.get(c.field)
            raw = cells[at] if at is not None and at < len(cells) else None
            value, problem = convert(raw, c)
            if problem:
                if problem == "not_allowed":
                    found.add(problem, spec, c.field, n, value, allowed=", ".join(c.choices))
                else:
                    found.add(problem, spec, c.field, n, value)
                value = None
            elif value is None and c.required and at is not None:
                found.add("required", spec, c.field, n)
            values[c.field] = value
        records.append(Record(n, values))
    return records


def _read_fields(spec: SheetSpec, rows: list[tuple[object, ...]], found: Collector) -> dict[str, tuple[int, object]]:
    out: dict[str, tuple[int, object]] = {}
    for n, cells in enumerate(rows[1:], start=2):
        label = cells[0] if cells else None
        if _empty(label):
            continue
        name = _field_of(label, spec.columns)
        if name is None:
            found.add("unknown_field", spec, column=KV_FIELD.header, row=n, value=label)
            continue
        column = spec.column(name)
        value, problem = convert(cells[1] if len(cells) > 1 else None, column)
        if problem:
            found.add(problem, spec, column=f"{KV_VALUE.header}（{column.header}）", row=n, value=value)
            value = None
        elif value is None and column.required:
            found.add("required", spec, column=f"{KV_VALUE.header}（{column.header}）", row=n)
        out[name] = (n, value)
    for c in spec.columns:
        if c.field not in out and c.required:
            found.add("missing_field", spec, column=c.header)
    return out


def read_book(raw: bytes, label: str, found: Collector) -> Book | None:
    """The workbook's sheets as records; None when it cannot be opened at all."""
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        found.add("not_a_workbook", why=f"{type(exc).__name__}: {exc}"[:200])
        return None
    book = Book(label)
    names = {re.sub(r"\s+", " ", str(n)).strip(): n for n in wb.sheetnames}
    try:
        for spec in SHEETS:
            # a sheet is found by its full name, or by either half ("指标" or "indicators")
            actual = next((names[n] for n in (spec.name, spec.zh, spec.key) if n in names), None)
            if actual is None:
                found.add("missing_sheet", spec)
                continue
            rows = [tuple(r) for r in wb[actual].iter_rows(values_only=True)]
            if spec.keyvalue:
                book.fields[spec.key] = _read_fields(spec, rows, found)
            else:
                book.tables[spec.key] = _read_table(spec, rows, found)
    finally:
        wb.close()
    return book


def read_path(path: Path, found: Collector) -> tuple[Book | None, bytes]:
    raw = path.read_bytes()
    return read_book(raw, path.name, found), raw
