"""Import exports: read, normalise, validate against the contract, publish atomically.

``python -m analytics.ingest PATH... [--data-dir DIR] [--table NAME] [--scope CODE] [--dry-run]``
``python -m analytics.ingest --rollback [--to VERSION]``   ``python -m analytics.ingest --versions``

What a real monthly export looks like decides the order of work:

1. read each file as what its bytes say it is (a CSV named ``.xlsx`` is caught), CSV in
   UTF-8, UTF-8 with BOM or GBK, every sheet of a workbook;
2. find the table from the file name (``progress_2023-07.csv``) or the sheet name, and
   check the columns are that table's (a wrong table in the right name is caught);
3. normalise: numbers typed as text with thousands separators, full-width digits, dates
   written 2023/7/31 or 2023年7月31日, region names (长沙 / 长沙市 → 430100, reported);
4. validate every rule of the contract plus what only an import can know (known
   indicators, periods in the plan year, scope, numerator ≤ denominator against what is
   already published), grouped so that 10,000 bad rows read as a few lines;
5. on no error, publish one new version with analytics/publish.py: rows replace published
   rows with the same key; on any error, nothing is written.

The report speaks Chinese and English; the import page shows the same findings as a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import hashlib
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analytics import publish
from analytics.contract import TABLES, Table
from analytics.validate import MAX_EXAMPLES, Problem, check_values

# Tables an import may carry. Regions, plan items, indicators and targets are the
# association's plan and the real reference data: they change through their build
# scripts (scripts/), reviewed, never through a monthly import.
IMPORTABLE = ("progress", "instructors", "childcare_points", "trainings", "training_participants", "population")
# Tables whose imported rows go into a file of their own instead of replacing rows: the
# population table keeps every source and picks the figure in force between them.
APPENDED = ("population",)
ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 reads everything GBK and GB2312 wrote
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
PERIOD_TABLES = ("progress", "instructors")

# code → (Chinese, English). Placeholders come from Finding.detail.
MESSAGES: Mapping[str, tuple[str, str]] = {
    "empty_file": ("文件是空的", "the file is empty"),
    "unreadable": ("文件无法读取：{error}", "the file cannot be read: {error}"),
    "not_what_named": (
        "文件扩展名是 {suffix}，但内容是 {actual}",
        "the file is named {suffix} but holds {actual}",
    ),
    "unsupported_format": (
        "不支持的文件格式 {suffix}（可用 Parquet、CSV、Excel .xlsx）",
        "unsupported file format {suffix} (use Parquet, CSV or Excel .xlsx)",
    ),
    "no_rows": ("没有数据行", "no data rows"),
    "unknown_table": (
        "无法确定是哪张表：文件名或工作表名应包含表名（{tables}），或用 --table 指定",
        "cannot tell which table this is: name the file or sheet after a table ({tables}) or pass --table",
    ),
    "not_importable": (
        "表 {table} 不能通过导入更改（由构建脚本维护）",
        "table {table} is not changed by imports (it is maintained by its build script)",
    ),
    "wrong_table": (
        "文件名说是 {named} 表，但列是 {actual} 表的",
        "the name says table {named}, but the columns are those of table {actual}",
    ),
    "missing_column": ("缺少必需的列", "required column is missing"),
    "unknown_column": ("未知的列{hint}", "unknown column{hint}"),
    "duplicate_column": ("列名重复", "the column appears twice"),
    "not_a_number": ("不是数字", "not a number"),
    "not_an_integer": ("不是整数", "not a whole number"),
    "out_of_range": ("数值超出范围", "number out of range"),
    "not_a_date": ("不是有效日期（年-月-日）", "not a valid date (year-month-day)"),
    "not_a_boolean": ("不是是/否值", "not a yes/no value"),
    "required": ("必填的列为空", "empty value in a required column"),
    "duplicate_key": ("主键重复（{key}）", "duplicate key ({key})"),
    "duplicate_key_across": (
        "与 {other} 中的行主键重复（{key}）",
        "same key ({key}) as rows in {other}",
    ),
    "not_allowed": ("不是允许的取值（{allowed}）", "not an allowed value ({allowed})"),
    "negative": ("数值为负", "negative value"),
    "not_month_end": ("不是月末日期", "not the last day of a month"),
    "greater_than": ("{column} 大于 {other}", "{column} is greater than {other}"),
    "unknown_region": ("地区代码或名称不在地区表中", "region code or name not in the region table"),
    "ambiguous_region": (
        "地区名称对应多个地区（{candidates}），请填写代码",
        "region name matches several regions ({candidates}): give the code",
    ),
    "wrong_level": ("地区级别是 {level}，本表要求 {wanted}", "region is a {level}, this table reports at {wanted}"),
    "unknown_indicator": ("指标不在本年度计划的指标中", "indicator is not one of the plan's indicators"),
    "wrong_source": (
        "指标 {indicator} 不由 {table} 表报送",
        "indicator {indicator} is not reported through table {table}",
    ),
    "outside_plan_year": ("日期不在计划年度 {year} 内", "date is outside plan year {year}"),
    "unknown_plan_year": ("没有 {year} 年度的工作要点", "there is no work plan for year {year}"),
    "reported_before_period": ("报送日期早于所报月份的月末", "reported before the month it reports on ended"),
    "in_future": ("日期晚于今天", "date is later than today"),
    "numerator_above_denominator": (
        "{numerator} 大于同地区同月的 {denominator}（{denominator_value}）",
        "{numerator} is above {denominator} of the same region and month ({denominator_value})",
    ),
    "out_of_scope": ("地区不属于您的范围 {scope}", "region is outside your scope {scope}"),
    # notes: not errors
    "note_encoding": ("按 {encoding} 编码读取", "read as {encoding}"),
    "note_region_names": ("地区名称已换成代码：{mapping}", "region names replaced by codes: {mapping}"),
    "note_numbers": ("已去掉数字中的千位分隔符或全角字符", "thousands separators or full-width digits removed"),
    "note_replaces": ("将替换已发布数据中主键相同的 {n} 行", "replaces {n} published rows with the same key"),
    "note_month_filled": ("只写了年月，按该月最后一天处理", "year and month only: read as the month's last day"),
}


@dataclass(frozen=True)
class Finding:
    """One kind of problem (or note) in one file, sheet and column, with the rows it concerns."""

    file: str
    code: str
    column: str = ""
    sheet: str = ""
    rows: tuple[int, ...] = ()  # row numbers as the user sees them in the file (the header is row 1)
    n_rows: int = 0
    values: tuple[str, ...] = ()  # a few of the offending values, distinct
    detail: Mapping[str, str] = field(default_factory=dict)
    error: bool = True

    def reason(self, lang: str) -> str:
        zh, en = MESSAGES[self.code]
        template = zh if lang == "zh" else en
        return template.format(**{"hint": "", **self.detail})

    def where(self, lang: str) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表 {self.sheet}" if lang == "zh" else f"sheet {self.sheet}")
        if self.column:
            parts.append(f"列 {self.column}" if lang == "zh" else f"column {self.column}")
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows)
            more = self.n_rows - len(self.rows)
            if lang == "zh":
                parts.append(f"第 {shown} 行" + (f" 等共 {self.n_rows:,} 行" if more > 0 else ""))
            else:
                parts.append(f"row {shown}" + (f" and {more:,} more ({self.n_rows:,} rows)" if more > 0 else ""))
        return ", ".join(parts)

    def line(self, lang: str) -> str:
        value = f": {' | '.join(repr(v) for v in self.values)}" if self.values else ""
        return f"{self.where(lang)} — {self.reason(lang)}{value}"


@dataclass
class Sheet:
    """Rows of one file (or one sheet of a workbook), every cell still as the file had it."""

    file: str
    sheet: str
    frame: pd.DataFrame
    header_rows: int = 1  # file row of the first data row is header_rows + 1 (Parquet: 0)


@dataclass
class FileResult:
    """One input file after reading, normalising and checking."""

    path: Path
    table: str | None = None
    rows: int = 0
    findings: list[Finding] = field(default_factory=list)
    data: pa.Table | None = None  # normalised rows in the contract's schema
    origin: pd.DataFrame | None = None  # per row: sheet and file row, for reporting

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.error]


@dataclass
class Report:
    files: list[FileResult]
    findings: list[Finding]  # findings across files (duplicates between files, ratios, scope)
    published: publish.VersionInfo | None = None
    dry_run: bool = False
    replaced: dict[str, int] = field(default_factory=dict)

    @property
    def all_findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings] + self.findings

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.all_findings if f.error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def frame(self, lang: str) -> pd.DataFrame:
        """The findings as a table (the import page shows this)."""
        zh = lang == "zh"
        rows = [
            {
                ("级别" if zh else "severity"): ("错误" if zh else "error") if f.error else ("说明" if zh else "note"),
                ("问题" if zh else "problem"): f.reason(lang),
                ("工作表" if zh else "sheet"): f.sheet,
                ("文件" if zh else "file"): f.file,
                ("列" if zh else "column"): f.column,
                ("行" if zh else "rows"): ", ".join(str(r) for r in f.rows),
                ("行数" if zh else "row count"): f.n_rows or None,
                ("值" if zh else "value"): " | ".join(f.values),
            }
            # errors first: they are what stops the publish
            for f in sorted(self.all_findings, key=lambda f: not f.error)
        ]
        return pd.DataFrame(rows)

    def text(self) -> str:
        """The report for the terminal: every finding in Chinese, then in English."""
        out: list[str] = []
        for lang in ("zh", "en"):
            out.append("导入检查报告" if lang == "zh" else "Import report")
            for r in self.files:
                what = r.table or ("?" if lang == "en" else "未知表")
                out.append(
                    f"  {r.path.name} → {what}, {r.rows:,} {'行' if lang == 'zh' else 'rows'}"
                    if lang == "zh"
                    else f"  {r.path.name} → table {what}, {r.rows:,} rows"
                )
                out.extend(_finding_lines(r.findings, lang))
            if self.findings:
                out.append("  跨文件检查：" if lang == "zh" else "  Checks across files and published data:")
                out.extend(_finding_lines(self.findings, lang))
            out.append(self.summary(lang))
            out.append("")
        return "\n".join(out)

    def summary(self, lang: str) -> str:
        n = len(self.errors)
        zh = lang == "zh"
        if n:
            return (
                f"结果：发现 {n} 类错误，未发布任何数据，已发布的数据保持不变。"
                if zh
                else f"Result: {n} problem(s) found; nothing was published, the published data is unchanged."
            )
        if self.dry_run:
            return (
                "结果：检查通过（试运行，未发布）。"
                if zh
                else "Result: all checks passed (dry run: nothing published)."
            )
        v = self.published.id if self.published else "?"
        return f"结果：检查通过，已发布新版本 {v}。" if zh else f"Result: all checks passed; published version {v}."


def _finding_lines(findings: Iterable[Finding], lang: str) -> list[str]:
    tag_err, tag_note = ("错误", "说明") if lang == "zh" else ("ERROR", "note")
    return [f"    [{tag_err if f.error else tag_note}] {f.line(lang)}" for f in findings]


# ------------------------------------------------------------------------------- reading


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


def read_sheets(path: Path, findings: list[Finding]) -> list[Sheet]:
    """Every sheet of ``path`` with its cells as the file has them; problems go to ``findings``."""
    name = path.name
    raw = path.read_bytes()
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
            table = pq.read_table(io.BytesIO(raw))
            return [Sheet(name, "", table.to_pandas(), header_rows=0)]
        if actual == "xlsx":
            book = pd.read_excel(io.BytesIO(raw), sheet_name=None, dtype=object, engine="openpyxl")
            return [Sheet(name, str(sheet), frame) for sheet, frame in book.items() if not frame.empty]
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


def _clean_header(name: object) -> str:
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


# ------------------------------------------------------------------------------- normalising


def _as_text(col: pd.Series) -> pd.Series:
    """Cells as stripped NFKC text; empty cells NA. Excel numbers like 430100.0 lose the .0."""
    text = col.astype("string").str.normalize("NFKC").str.strip()
    text = text.mask(text.isin(["", "nan", "NaN", "None", "NaT", "<NA>"]))
    numeric = col.map(lambda v: isinstance(v, float) and v.is_integer())
    if bool(numeric.any()):
        text = text.mask(numeric, col[numeric].map(lambda v: str(int(v))).astype("string"))
    return text


def _row_numbers(mask: pd.Series, origin: pd.DataFrame) -> tuple[tuple[int, ...], int]:
    idx = mask[mask.fillna(False).astype(bool)].index
    numbers = origin["row"].to_numpy()
    return tuple(int(numbers[i]) for i in idx[:MAX_EXAMPLES]), len(idx)


def _values(series: pd.Series, mask: pd.Series) -> tuple[str, ...]:
    bad = series[mask.fillna(False).astype(bool)].astype(str)
    return tuple(bad.drop_duplicates().head(3))


def _numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(numbers, had_separators): '1,234' / '1，234' / '1 234' / '１２３４' → 1234."""
    stripped = text.str.replace(r"[,，\s_']", "", regex=True)
    changed = text.notna() & (stripped != text)
    return pd.to_numeric(stripped, errors="coerce"), changed


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


def _normalise(sheet: Sheet, table: Table, regions: pd.DataFrame, findings: list[Finding]) -> pd.DataFrame | None:
    """The sheet's rows in the contract's columns and types, or None when a column problem stops it."""
    frame = sheet.frame
    headers = [_clean_header(c) for c in frame.columns]
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
    missing = [c for c in wanted if c not in headers and not table.schema.field(c).nullable]
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
    origin = pd.DataFrame({"row": frame.index + sheet.header_rows + 1})
    out: dict[str, pd.Series] = {}
    region_levels = REGION_LEVELS.get(table.name, ())
    for f in table.schema:
        col = frame[f.name] if f.name in frame else pd.Series([None] * len(frame), dtype=object)
        text = _as_text(col)
        if f.name == "region_code" and region_levels:
            out[f.name] = _region_codes(text, region_levels, regions, sheet, origin, findings)
        elif pa.types.is_integer(f.type) or pa.types.is_floating(f.type):
            nums, changed = _numbers(text)
            bad = text.notna() & nums.isna()
            if bad.any():
                rows, n = _row_numbers(bad, origin)
                findings.append(Finding(name, "not_a_number", f.name, tab, rows, n, _values(text, bad)))
            if changed.any() and not bad.all():
                rows, n = _row_numbers(changed & ~bad, origin)
                if n:
                    findings.append(
                        Finding(name, "note_numbers", f.name, tab, rows, n, _values(text, changed), error=False)
                    )
            if pa.types.is_integer(f.type):
                frac = nums.notna() & (nums % 1 != 0)
                if frac.any():
                    rows, n = _row_numbers(frac, origin)
                    findings.append(Finding(name, "not_an_integer", f.name, tab, rows, n, _values(text, frac)))
                limit = 2 ** (f.type.bit_width - 1) - 1
                big = nums.notna() & (nums.abs() > limit)
                if big.any():
                    rows, n = _row_numbers(big, origin)
                    findings.append(Finding(name, "out_of_range", f.name, tab, rows, n, _values(text, big)))
                nums = nums.where(~(frac | big))
                out[f.name] = nums.astype("Int64")
            else:
                out[f.name] = nums.astype("Float64")
        elif pa.types.is_date32(f.type):
            month_end_ok = f.name == "period_end"
            dates, month_only = _dates(col, text, month_end_ok)
            bad = text.notna() & dates.isna()
            if bad.any():
                rows, n = _row_numbers(bad, origin)
                findings.append(Finding(name, "not_a_date", f.name, tab, rows, n, _values(text, bad)))
            if month_only.any():
                rows, n = _row_numbers(month_only, origin)
                findings.append(Finding(name, "note_month_filled", f.name, tab, rows, n, error=False))
            out[f.name] = dates
        elif pa.types.is_boolean(f.type):
            low = text.str.lower()
            truth = low.map(
                {"true": True, "1": True, "是": True, "yes": True, "false": False, "0": False, "否": False, "no": False}
            )
            bad = text.notna() & truth.isna()
            if bad.any():
                rows, n = _row_numbers(bad, origin)
                findings.append(Finding(name, "not_a_boolean", f.name, tab, rows, n, _values(text, bad)))
            out[f.name] = truth.astype("boolean")
        else:
            out[f.name] = text
    result = pd.DataFrame(out)
    result.attrs["origin"] = origin
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
        rows, n = _row_numbers(text.isin(list(mapping)), origin)
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
        rows, n = _row_numbers(text == value, origin)
        findings.append(
            Finding(
                sheet.file, "ambiguous_region", "region_code", sheet.sheet, rows, n, (value,), {"candidates": cands}
            )
        )
    unknown = ~is_code & ~names.isin(list(mapping)).reindex(text.index, fill_value=True) & ~text.isin(list(ambiguous))
    if unknown.any():
        rows, n = _row_numbers(unknown, origin)
        findings.append(
            Finding(sheet.file, "unknown_region", "region_code", sheet.sheet, rows, n, _values(text, unknown))
        )
    # ambiguous and unknown names stay as text: the code check below does not report them twice
    return out.where(~(unknown | text.isin(list(ambiguous))), pd.NA)


# ------------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class Reference:
    """What the checks compare against, read from the version in force."""

    regions: pd.DataFrame
    indicators: pd.DataFrame
    plan_years: frozenset[int]


def _read_table(folder: Path, table: Table) -> pa.Table:
    """Every file of a table in a data folder, in the contract's schema (empty when absent)."""
    files = sorted((folder / table.folder).glob("**/*.parquet")) if (folder / table.folder).is_dir() else []
    if not files:
        return table.schema.empty_table()
    parts = [pq.read_table(f).select(table.schema.names).cast(table.schema) for f in files]
    return pa.concat_tables(parts)


def reference(folder: Path) -> Reference:
    regions = _read_table(folder, TABLES["regions"]).to_pandas()
    indicators = _read_table(folder, TABLES["indicators"]).to_pandas()
    years = _read_table(folder, TABLES["plan_items"]).column("plan_year").to_pylist()
    return Reference(regions, indicators, frozenset(int(y) for y in years))


def _from_problem(p: Problem, table: Table, sheet: Sheet, origin: pd.DataFrame) -> Finding:
    numbers = origin["row"].to_numpy()
    rows = tuple(int(numbers[r]) for r in p.rows)
    detail: dict[str, str] = {}
    rule = next((r for r in table.rules if r.column == p.column), None)
    if p.code == "greater_than" and rule is not None:
        detail = {"column": p.column, "other": str(rule.arg)}
    elif p.code == "not_allowed" and rule is not None:
        detail = {"allowed": ", ".join(str(a) for a in rule.arg)}  # type: ignore[attr-defined]
    elif p.code == "duplicate_key":
        detail = {"key": ", ".join(table.key)}
    value = p.value.replace(" 00:00:00", "")  # dates are timestamps while checked
    return Finding(
        sheet.file, p.code or "required", p.column, sheet.sheet, rows, p.n_rows, (value,) if value else (), detail
    )


def _flag(
    findings: list[Finding],
    sheet: Sheet,
    origin: pd.DataFrame,
    code: str,
    column: str,
    mask: pd.Series,
    values: pd.Series,
    **detail: str,
) -> None:
    mask = mask.fillna(False).astype(bool)
    if mask.any():
        rows, n = _row_numbers(mask, origin)
        findings.append(Finding(sheet.file, code, column, sheet.sheet, rows, n, _values(values, mask), detail))


def _check(
    df: pd.DataFrame,
    table: Table,
    sheet: Sheet,
    ref: Reference,
    scope: str | None,
    today: dt.date,
    findings: list[Finding],
) -> None:
    """Every rule of the contract and of an import on one sheet's normalised rows."""
    origin: pd.DataFrame = df.attrs["origin"]
    # region_level is checked below with every row's mask, so it is left out of the contract pass
    for p in check_values(table, df, regions=None):
        findings.append(_from_problem(p, table, sheet, origin))
    regions = ref.regions.set_index("region_code")
    if "region_code" in df and table.name in REGION_LEVELS:
        codes = df["region_code"]
        level = codes.map(regions["level"])
        _flag(findings, sheet, origin, "unknown_region", "region_code", codes.notna() & level.isna(), codes)
        wanted = REGION_LEVELS[table.name]
        wrong = level.notna() & ~level.isin(wanted)
        if wrong.any():
            first = str(level[wrong].iloc[0])
            _flag(
                findings,
                sheet,
                origin,
                "wrong_level",
                "region_code",
                wrong,
                codes,
                level=first,
                wanted=" / ".join(wanted),
            )
        if scope and scope != "430000" and len(scope) == 6:
            prefecture = codes.map(regions["prefecture_code"]).where(codes != scope, scope)
            outside = level.notna() & (prefecture != scope)
            _flag(findings, sheet, origin, "out_of_scope", "region_code", outside, codes, scope=scope)
    if "plan_year" in df:
        years = df["plan_year"]
        _flag(
            findings,
            sheet,
            origin,
            "unknown_plan_year",
            "plan_year",
            years.notna() & ~years.isin(ref.plan_years),
            years.astype("string"),
            year=str(years.dropna().iloc[0]) if years.notna().any() else "",
        )
    if "indicator_id" in df:
        ids = df["indicator_id"]
        source = ids.map(ref.indicators.drop_duplicates("indicator_id").set_index("indicator_id")["source_table"])
        _flag(findings, sheet, origin, "unknown_indicator", "indicator_id", ids.notna() & source.isna(), ids)
        wrong = source.notna() & (source != table.name)
        if wrong.any():
            _flag(
                findings,
                sheet,
                origin,
                "wrong_source",
                "indicator_id",
                wrong,
                ids,
                indicator=str(ids[wrong].iloc[0]),
                table=table.name,
            )
    if table.name in PERIOD_TABLES:
        period = pd.to_datetime(df["period_end"])
        years = df["plan_year"]
        outside = period.notna() & years.notna() & (period.dt.year != years)
        if outside.any():
            _flag(
                findings,
                sheet,
                origin,
                "outside_plan_year",
                "period_end",
                outside,
                period.dt.date.astype(str),
                year=str(years[outside].iloc[0]),
            )
        reported = pd.to_datetime(df["reported_at"])
        _flag(
            findings,
            sheet,
            origin,
            "reported_before_period",
            "reported_at",
            reported < period,
            reported.dt.date.astype(str),
        )
    for f in table.schema:
        if pa.types.is_date32(f.type) and f.name in df:
            d = pd.to_datetime(df[f.name])
            _flag(findings, sheet, origin, "in_future", f.name, d > pd.Timestamp(today), d.dt.date.astype(str))


def _to_arrow(df: pd.DataFrame, table: Table) -> pa.Table:
    cols = {}
    for f in table.schema:
        series = df[f.name]
        if pa.types.is_date32(f.type):
            cols[f.name] = pa.array(pd.to_datetime(series).dt.date, type=pa.date32(), from_pandas=True)
        else:
            cols[f.name] = pa.array(series, type=f.type, from_pandas=True)
    return pa.table(cols, schema=table.schema)


def _key_frame(t: pa.Table, table: Table) -> pd.DataFrame:
    keys: pd.DataFrame = t.select(list(table.key)).to_pandas().astype("string")
    return keys


def _merge(published: pa.Table, new: pa.Table, table: Table) -> tuple[pa.Table, int]:
    """Published rows whose key the import does not carry, then the imported rows; and how many were replaced."""
    if published.num_rows == 0:
        return new, 0
    old_keys = _key_frame(published, table)
    new_keys = _key_frame(new, table).drop_duplicates()
    hit = old_keys.merge(new_keys.assign(_hit=True), on=list(table.key), how="left")["_hit"].fillna(False).astype(bool)
    kept = published.filter(pa.array(~hit.to_numpy()))
    merged = pa.concat_tables([kept, new])
    order = [(k, "ascending") for k in table.key]
    return merged.sort_by(order), int(hit.sum())


def _ratio_findings(merged: pa.Table, imported: pa.Table, ref: Reference) -> list[Finding]:
    """Numerators above their denominators for the same region and month, in the rows an import brings."""
    ratios = ref.indicators[(ref.indicators["kind"] == "ratio") & (ref.indicators["source_table"] == "progress")]
    pairs = ratios[["numerator_id", "denominator_id"]].dropna().drop_duplicates()
    if pairs.empty or imported.num_rows == 0:
        return []
    con = duckdb.connect()
    try:
        con.register("merged", merged)
        con.register("imported", imported)
        con.register("pairs", pairs)
        bad = con.execute(
            """
            select i.indicator_id as numerator, p.denominator_id as denominator, i.region_code,
                   i.period_end, i.value, d.value as denominator_value
            from imported i
            join pairs p on p.numerator_id = i.indicator_id
            join merged d on d.indicator_id = p.denominator_id and d.region_code = i.region_code
                         and d.period_end = i.period_end and d.plan_year = i.plan_year
            where i.value > d.value
            union all
            select n.indicator_id, i.indicator_id, i.region_code, i.period_end, n.value, i.value
            from imported i
            join pairs p on p.denominator_id = i.indicator_id
            join merged n on n.indicator_id = p.numerator_id and n.region_code = i.region_code
                         and n.period_end = i.period_end and n.plan_year = i.plan_year
            where n.value > i.value
            order by 1, 3, 4
            """
        ).df()
    finally:
        con.close()
    out = []
    for (num, den), group in bad.groupby(["numerator", "denominator"], sort=True):
        first = group.iloc[0]
        out.append(
            Finding(
                "progress",
                "numerator_above_denominator",
                "value",
                rows=(),
                n_rows=len(group),
                values=tuple(
                    f"{r.region_code} {r.period_end}: {r.value:g} > {r.denominator_value:g}"
                    for r in group.head(3).itertuples()
                ),
                detail={
                    "numerator": str(num),
                    "denominator": str(den),
                    "denominator_value": f"{first.denominator_value:g}",
                },
            )
        )
    return out


def check_file(
    path: Path, ref: Reference, *, table: str | None = None, scope: str | None = None, today: dt.date | None = None
) -> FileResult:
    """Read, normalise and check one file; its rows in the contract's schema when it has no error."""
    result = FileResult(path)
    today = today or dt.date.today()
    sheets = read_sheets(path, result.findings)
    if not sheets and not result.errors:
        result.findings.append(Finding(path.name, "no_rows"))
    frames: list[pa.Table] = []
    origins: list[pd.DataFrame] = []
    for sheet in sheets:
        columns = [_clean_header(c) for c in sheet.frame.columns]
        named, by_columns = guess_table(path.name, sheet.sheet, columns)
        chosen = table or named or by_columns
        if chosen is None:
            result.findings.append(
                Finding(path.name, "unknown_table", sheet=sheet.sheet, detail={"tables": ", ".join(IMPORTABLE)})
            )
            continue
        if chosen not in IMPORTABLE:
            result.findings.append(Finding(path.name, "not_importable", sheet=sheet.sheet, detail={"table": chosen}))
            continue
        if by_columns and by_columns != chosen and not set(TABLES[chosen].schema.names) <= set(columns):
            result.findings.append(
                Finding(path.name, "wrong_table", sheet=sheet.sheet, detail={"named": chosen, "actual": by_columns})
            )
            continue
        if result.table and result.table != chosen:
            result.findings.append(
                Finding(path.name, "wrong_table", sheet=sheet.sheet, detail={"named": result.table, "actual": chosen})
            )
            continue
        result.table = chosen
        contract = TABLES[chosen]
        if sheet.frame.empty:
            result.findings.append(Finding(path.name, "no_rows", sheet=sheet.sheet))
            continue
        df = _normalise(sheet, contract, ref.regions, result.findings)
        if df is None:
            continue
        result.rows += len(df)
        before = len(result.errors)
        _check(df, contract, sheet, ref, scope, today, result.findings)
        if len(result.errors) == before:
            frames.append(_to_arrow(df, contract))
            origins.append(pd.DataFrame({"sheet": sheet.sheet, "row": df.attrs["origin"]["row"]}))
    if frames and not result.errors:
        result.data = pa.concat_tables(frames)
        result.origin = pd.concat(origins, ignore_index=True)
        if len(frames) > 1 and result.table:
            # a workbook with the same rows on two sheets: the duplicate-key check across sheets
            _cross_duplicates([result], TABLES[result.table], result.findings)
    return result


def _cross_duplicates(results: Sequence[FileResult], table: Table, findings: list[Finding]) -> None:
    """Keys that occur in more than one file or sheet of one import."""
    parts = []
    for r in results:
        if r.data is None or r.origin is None:
            continue
        keys = _key_frame(r.data, table)
        keys["_file"] = r.path.name
        keys["_sheet"] = r.origin["sheet"].to_numpy()
        keys["_row"] = r.origin["row"].to_numpy()
        parts.append(keys)
    if not parts:
        return
    allk = pd.concat(parts, ignore_index=True)
    allk["_where"] = allk["_file"] + allk["_sheet"].map(lambda s: f" [{s}]" if s else "")
    dup = allk[allk.duplicated(list(table.key), keep=False)]
    if dup.empty:
        return
    spread = dup.groupby(list(table.key), dropna=False)["_where"].transform("nunique")
    dup = dup[spread > 1]
    for (where, file, sheet), group in dup.groupby(["_where", "_file", "_sheet"], sort=True):
        others = sorted(set(dup["_where"]) - {where})
        findings.append(
            Finding(
                str(file),
                "duplicate_key_across",
                "+".join(table.key),
                str(sheet),
                tuple(int(r) for r in group["_row"].head(MAX_EXAMPLES)),
                len(group),
                tuple(
                    " / ".join(str(v) for v in row) for row in group[list(table.key)].head(2).itertuples(index=False)
                ),
                {"key": ", ".join(table.key), "other": ", ".join(others[:3])},
            )
        )


def ingest(
    paths: Sequence[Path],
    *,
    data_dir: Path,
    table: str | None = None,
    scope: str | None = None,
    user: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Report:
    """Check ``paths`` and, when nothing is wrong and not ``dry_run``, publish them as a new version.

    ``data_dir`` is the data root. ``scope`` (a prefecture code) refuses rows of other regions.
    """
    current = publish.current_dir(data_dir)
    ref = reference(current)
    results = [check_file(Path(p), ref, table=table, scope=scope, today=today) for p in paths]
    report = Report(results, [], dry_run=dry_run)
    by_table: dict[str, list[FileResult]] = {}
    for r in results:
        if r.table and r.data is not None:
            by_table.setdefault(r.table, []).append(r)
    for name, group in by_table.items():
        if len(group) > 1:
            _cross_duplicates(group, TABLES[name], report.findings)
    if report.errors:
        return report
    replacing: dict[str, pa.Table] = {}
    appending: dict[str, pa.Table] = {}
    for name, group in by_table.items():
        contract = TABLES[name]
        new = pa.concat_tables([r.data for r in group if r.data is not None])
        if name in APPENDED:
            appending[name] = new
            continue
        merged, n_replaced = _merge(_read_table(current, contract), new, contract)
        replacing[name] = merged
        report.replaced[name] = n_replaced
        if n_replaced:
            report.findings.append(
                Finding(group[0].path.name, "note_replaces", detail={"n": f"{n_replaced:,}"}, error=False)
            )
        if name == "progress":
            report.findings.extend(_ratio_findings(merged, new, ref))
    if report.errors or dry_run or not (replacing or appending):
        return report
    files = [
        {
            "name": r.path.name,
            "table": r.table,
            "rows": r.rows,
            "sha256": hashlib.sha256(r.path.read_bytes()).hexdigest(),
        }
        for r in results
    ]
    report.published = publish.publish(
        data_dir, replacing, appended=appending, user=user, files=files, replaced=report.replaced
    )
    return report


# ------------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    from analytics.db import data_dir_from_env

    parser = argparse.ArgumentParser(
        prog="python -m analytics.ingest",
        description="导入数据：检查后原子发布新版本 / import exports: check, then publish a new version atomically",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="Parquet, CSV (UTF-8 / GBK) or Excel files")
    parser.add_argument("--data-dir", type=Path, default=None, help="data root (default: FPA_DATA_DIR or data/)")
    parser.add_argument("--table", choices=IMPORTABLE, help="the table of every file (default: from the file name)")
    parser.add_argument("--scope", help="prefecture code: refuse rows of other regions")
    parser.add_argument("--user", help="who publishes (recorded with the version)")
    parser.add_argument("--dry-run", action="store_true", help="check only; publish nothing")
    parser.add_argument("--rollback", action="store_true", help="put the previous version back in force")
    parser.add_argument("--to", help="with --rollback: the version to put in force")
    parser.add_argument("--versions", action="store_true", help="list the published versions")
    args = parser.parse_args(argv)
    root = (args.data_dir or data_dir_from_env()).resolve()
    if args.versions:
        current = publish.current_id(root)
        for v in publish.list_versions(root):
            mark = "*" if v.id == current else " "
            names = ", ".join(str(f.get("name")) for f in v.files)
            print(f"{mark} {v.id}\t{v.published_at or '-'}\t{v.user or '-'}\t{names or v.note}")
        return 0
    if args.rollback:
        try:
            to = publish.rollback(root, args.to, user=args.user)
        except publish.PublishError as exc:
            print(f"回退失败 / rollback failed: {exc}", file=sys.stderr)
            return 1
        print(f"已回退到版本 {to} / version {to} is in force again")
        return 0
    if not args.paths:
        parser.error("give at least one file to import (or --rollback / --versions)")
    missing = [p for p in args.paths if not p.is_file()]
    if missing:
        print("找不到文件 / file not found: " + ", ".join(str(p) for p in missing), file=sys.stderr)
        return 2
    report = ingest(args.paths, data_dir=root, table=args.table, scope=args.scope, user=args.user, dry_run=args.dry_run)
    print(report.text(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
