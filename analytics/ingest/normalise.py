"""Normalising one sheet into the contract's columns and types: numbers typed as text with
thousands separators or full-width digits, dates written 2023/7/31 or 2023年7月31日, region names
(长沙 / 长沙市 → 430100, reported), placeholders such as "NaN" refused rather than read as empty.

Each cell that cannot be read is reported here once; check.py then applies the rules to the typed rows.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics.contract import Table
from analytics.ingest.read import Sheet, clean_header
from analytics.ingest.report import Finding
from analytics.validate import MAX_EXAMPLES

REGION_SUFFIXES = (
    "土家族苗族自治州",
    "苗族侗族自治县",
    "土家族自治县",
    "侗族自治县",
    "瑶族自治县",
    "苗族自治县",
    "自治州",
    "自治县",
    "市",
    "县",
    "区",
)
LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2, "township": 3, "village": 4}
# Columns of these tables with a region code, and the levels they accept (from the contract rules).
REGION_LEVELS: Mapping[str, tuple[str, ...]] = {
    "progress": ("province", "prefecture", "county"),
    "instructors": ("village",),
    "childcare_points": ("county",),
    "trainings": ("province", "prefecture", "county"),
    "training_participants": ("county",),
    "population": ("province", "prefecture", "county"),
}
# Reports of a month arrive after it ends; these tables say which month they report on.


# Texts that programs write for "no value". In a cell they are a mistake, not an empty cell: the
# figure was lost on the way (a pandas or database export), and reading them as empty would hide it.
PLACEHOLDERS = frozenset({"nan", "NaN", "NAN", "None", "none", "NONE", "NaT", "nat", "<NA>", "<na>", "null", "NULL"})
# A number with separators is read only when they group its digits in threes (1,234,567 or
# 1 234 567, one kind of separator): "1,5" is a decimal comma and "2.301,5" a European number,
# and stripping their commas would publish 15 and 2.3015.
_GROUPED = re.compile(r"[+-]?\d{1,3}([,\s_'])\d{3}(?:\1\d{3})*(?:\.\d+)?")
_SEPARATOR = re.compile(r"[,\s_']")


def _as_text(col: pd.Series) -> pd.Series:
    """Cells as stripped NFKC text; empty cells NA. Excel numbers like 430100.0 lose the .0.

    Only a cell with nothing in it is empty: the text "NaN" or "None" stays (see PLACEHOLDERS).
    """
    text = col.astype("string").str.normalize("NFKC").str.strip()
    text = text.mask(text == "")
    numeric = col.map(lambda v: isinstance(v, float) and v.is_integer())
    if bool(numeric.any()):
        text = text.mask(numeric, col[numeric].map(lambda v: str(int(v))).astype("string"))
    return text


def row_numbers(mask: pd.Series, origin: pd.DataFrame) -> tuple[tuple[int, ...], int]:
    idx = mask[mask.fillna(False).astype(bool)].index
    numbers = origin["row"].to_numpy()
    return tuple(int(numbers[i]) for i in idx[:MAX_EXAMPLES]), len(idx)


def shown_values(series: pd.Series, mask: pd.Series) -> tuple[str, ...]:
    bad = series[mask.fillna(False).astype(bool)].astype(str)
    return tuple(bad.drop_duplicates().head(3))


def _numbers(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(numbers, had_separators, misplaced_separators): '1,234' / '1，234' / '1 234' / '１２３４' → 1234.

    ``text`` is NFKC already (a full-width comma is a comma). Separators are taken out only where
    they group the digits in threes; '1,5' and '2.301,5' are misplaced (a decimal comma), not 15.
    """
    has_separator = text.str.contains(_SEPARATOR).fillna(False).astype(bool)
    grouped = text.str.fullmatch(_GROUPED).fillna(False).astype(bool)
    without = text.str.replace(_SEPARATOR, "", regex=True)
    # a number once its separators are gone, but not grouped in threes: '1,5', '2.301,5', '12,34'
    misplaced = has_separator & ~grouped & pd.to_numeric(without, errors="coerce").notna()
    stripped = text.where(~grouped, without).mask(misplaced)
    return pd.to_numeric(stripped, errors="coerce"), grouped, misplaced


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*(?:月)?(?:[ T]00:00(?::00)?)?$")


def _dates(col: pd.Series, text: pd.Series, month_end_ok: bool) -> tuple[pd.Series, pd.Series]:
    """(dates, month_only): ISO, 2023/7/31, 2023.7.31, 2023年7月31日, Excel dates; 2023-07 where allowed."""
    out = pd.Series(pd.NaT, index=col.index, dtype="datetime64[ns]")
    native = col.map(lambda v: isinstance(v, (pd.Timestamp, dt.date)))
    if bool(native.any()):
        out[native] = pd.to_datetime(col[native]).dt.normalize()
    # most cells are ISO dates: parse those in one vectorised pass, the rest by pattern
    iso = pd.to_datetime(text.where(~native), format="%Y-%m-%d", errors="coerce")
    out = out.where(iso.isna(), iso)
    rest = ~native & iso.isna() & text.notna()
    parts = text[rest].str.extract(_DATE)
    month_only = pd.Series(False, index=col.index)
    if len(parts):
        y = pd.to_numeric(parts[0], errors="coerce")
        m = pd.to_numeric(parts[1], errors="coerce")
        d = pd.to_numeric(parts[2], errors="coerce")
        only = d.isna() & y.notna()
        if month_end_ok:
            month_only[only.index] = only
            first = pd.to_datetime(pd.DataFrame({"year": y, "month": m, "day": 1}), errors="coerce")
            d = d.where(~only, (first + pd.offsets.MonthEnd(0)).dt.day)
        built = pd.to_datetime(pd.DataFrame({"year": y, "month": m, "day": d}), errors="coerce")
        out[built.index] = built
    return out, month_only


def normalise_sheet(sheet: Sheet, table: Table, regions: pd.DataFrame, findings: list[Finding]) -> pd.DataFrame | None:
    """The sheet's rows in the contract's columns and types, or None when a column problem stops it."""
    frame = sheet.frame
    headers = [clean_header(c) for c in frame.columns]
    name, tab = sheet.file, sheet.sheet
    wanted = table.schema.names
    stop = False
    seen: set[str] = set()
    for h in headers:
        if h in seen:
            findings.append(Finding(name, "duplicate_column", h, tab))
            stop = True
        seen.add(h)
    for h in headers:
        if h not in wanted and not h.startswith("unnamed:"):
            near = difflib.get_close_matches(h, wanted, n=1)
            hint = {"hint": f"（是否应为 {near[0]}？）" if near else ""}
            findings.append(Finding(name, "unknown_column", h, tab, detail=hint))
            stop = True
    # a nullable column may have empty cells, but a file without the column would empty every
    # published value of it: only the contract's import_optional columns may be left out
    missing = [c for c in wanted if c not in headers and c not in table.import_optional]
    for c in missing:
        findings.append(Finding(name, "missing_column", c, tab))
        stop = True
    if stop:
        return None
    frame = frame.set_axis(headers, axis=1)
    # an "Unnamed: 7" column is an empty column Excel saved: only if it really is empty
    for h in headers:
        if h.startswith("unnamed:"):
            if _as_text(frame[h]).notna().any():
                findings.append(Finding(name, "unknown_column", h, tab, detail={"hint": ""}))
                return None
            frame = frame.drop(columns=h)
    frame = frame.reset_index(drop=True)
    numbers = list(sheet.rows) if sheet.rows is not None else frame.index + sheet.header_rows + 1
    origin = pd.DataFrame({"row": numbers})
    out: dict[str, pd.Series] = {}
    # cells reported here as unreadable: empty afterwards, and not reported again as "required"
    reported: dict[str, pd.Series] = {}
    region_levels = REGION_LEVELS.get(table.name, ())

    def report(code: str, column: str, mask: pd.Series, shown: pd.Series, error: bool = True) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            rows, n = row_numbers(mask, origin)
            findings.append(Finding(name, code, column, tab, rows, n, shown_values(shown, mask), error=error))
            if error:
                reported[column] = reported.get(column, pd.Series(False, index=mask.index)) | mask

    for f in table.schema:
        col = frame[f.name] if f.name in frame else pd.Series([None] * len(frame), dtype=object)
        raw_text = _as_text(col)
        placeholder = raw_text.isin(PLACEHOLDERS).fillna(False).astype(bool)
        report("placeholder_text", f.name, placeholder, raw_text)
        text = raw_text.mask(placeholder)
        if f.name == "region_code" and region_levels:
            codes = _region_codes(text, region_levels, regions, sheet, origin, findings)
            reported[f.name] = reported.get(f.name, placeholder) | (text.notna() & codes.isna())
            out[f.name] = codes
        elif pa.types.is_integer(f.type) or pa.types.is_floating(f.type):
            nums, changed, misplaced = _numbers(text)
            report("decimal_comma", f.name, misplaced, text)
            bad = text.notna() & nums.isna() & ~misplaced
            report("not_a_number", f.name, bad, text)
            if changed.any():
                report("note_numbers", f.name, changed, text, error=False)
            infinite = nums.notna() & ~np.isfinite(nums.fillna(0.0).astype("float64"))
            report("not_finite", f.name, infinite, text)
            nums = nums.where(~infinite)
            if pa.types.is_integer(f.type):
                frac = nums.notna() & (nums % 1 != 0)
                report("not_an_integer", f.name, frac, text)
                limit = 2 ** (f.type.bit_width - 1) - 1
                big = nums.notna() & (nums.abs() > limit)
                report("out_of_range", f.name, big, text)
                nums = nums.where(~(frac | big))
                out[f.name] = nums.astype("Int64")
            else:
                out[f.name] = nums.astype("Float64")
        elif pa.types.is_date32(f.type):
            month_end_ok = f.name == "period_end"
            dates, month_only = _dates(col.mask(placeholder), text, month_end_ok)
            report("not_a_date", f.name, text.notna() & dates.isna(), text)
            if month_only.any():
                rows, n = row_numbers(month_only, origin)
                findings.append(Finding(name, "note_month_filled", f.name, tab, rows, n, error=False))
            out[f.name] = dates
        elif pa.types.is_boolean(f.type):
            low = text.str.lower()
            truth = low.map(
                {"true": True, "1": True, "是": True, "yes": True, "false": False, "0": False, "否": False, "no": False}
            )
            report("not_a_boolean", f.name, text.notna() & truth.isna(), text)
            out[f.name] = truth.astype("boolean")
        else:
            out[f.name] = text
    result = pd.DataFrame(out)
    result.attrs["origin"] = origin
    result.attrs["reported"] = reported
    return result


def _short(name: str) -> str:
    for suffix in REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _region_codes(
    text: pd.Series,
    levels: tuple[str, ...],
    regions: pd.DataFrame,
    sheet: Sheet,
    origin: pd.DataFrame,
    findings: list[Finding],
) -> pd.Series:
    """Codes stay; names become codes when one region of the table's levels has that name."""
    known = set(regions["region_code"])
    is_code = text.isna() | text.isin(known) | text.str.fullmatch(r"\d{6}|\d{12}").fillna(False)
    names = text[~is_code]
    if names.empty:
        return text
    pool = regions[regions["level"].isin(levels)]
    mapping: dict[str, str] = {}
    ambiguous: dict[str, str] = {}
    for value in names.drop_duplicates():
        exact = pool[pool["name_zh"] == value]
        candidates = exact if len(exact) else pool[pool["name_zh"].map(_short) == _short(value)]
        if len(candidates) > 1:
            # 长沙 is 长沙市 (the prefecture) and 长沙县 (a county): the higher level is what
            # people mean by the bare name; the report says which code was chosen
            top = candidates["level"].map(LEVEL_ORDER).min()
            highest = candidates[candidates["level"].map(LEVEL_ORDER) == top]
            if len(highest) == 1 and not len(exact):
                candidates = highest
        if len(candidates) == 1:
            mapping[value] = str(candidates["region_code"].iloc[0])
        elif len(candidates) > 1:
            shown = candidates.head(4)
            ambiguous[value] = "、".join(
                f"{n} {c}" for n, c in zip(shown["name_zh"], shown["region_code"], strict=True)
            )
    out = text.copy()
    out[~is_code] = names.map(mapping).astype("string")
    if mapping:
        used = names[names.isin(list(mapping))]
        rows, n = row_numbers(text.isin(list(mapping)), origin)
        shown = "; ".join(f"{k} → {v}" for k, v in list(mapping.items())[:8])
        findings.append(
            Finding(
                sheet.file,
                "note_region_names",
                "region_code",
                sheet.sheet,
                rows,
                n,
                detail={"mapping": shown},
                error=False,
            )
        )
        del used
    for value, cands in ambiguous.items():
        rows, n = row_numbers(text == value, origin)
        findings.append(
            Finding(
                sheet.file, "ambiguous_region", "region_code", sheet.sheet, rows, n, (value,), {"candidates": cands}
            )
        )
    unknown = ~is_code & ~names.isin(list(mapping)).reindex(text.index, fill_value=True) & ~text.isin(list(ambiguous))
    if unknown.any():
        rows, n = row_numbers(unknown, origin)
        findings.append(
            Finding(sheet.file, "unknown_region", "region_code", sheet.sheet, rows, n, shown_values(text, unknown))
        )
    # ambiguous and unknown names stay as text: the code check below does not report them twice
    return out.where(~(unknown | text.isin(list(ambiguous))), pd.NA)
