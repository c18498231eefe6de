"""Import exports: read, normalise, validate against the contract, publish atomically.

``python -m analytics.ingest PATH... [--data-dir DIR] [--table NAME] [--scope CODE] [--dry-run] [--allow-nulls]``
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
5. under the publish lock, against the version in force at that moment, merge (rows replace
   published rows with the same key) and check what only the published data can tell: a
   numerator above its denominator, published values an import would empty, a replaced row
   outside the analyst's scope; on no error, publish one new version with analytics/publish.py
   (audited before it takes effect); on any error, nothing is written.

The report speaks Chinese and English; the import page shows the same findings as a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import getpass
import hashlib
import io
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics import audit, publish
from analytics.contract import TABLES, Table
from analytics.validate import MAX_EXAMPLES, Problem, check_limits, check_status_dates, check_values

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
# Texts that programs write for "no value". In a cell they are a mistake, not an empty cell: the
# figure was lost on the way (a pandas or database export), and reading them as empty would hide it.
PLACEHOLDERS = frozenset({"nan", "NaN", "NAN", "None", "none", "NONE", "NaT", "nat", "<NA>", "<na>", "null", "NULL"})
# A number with separators is read only when they group its digits in threes (1,234,567 or
# 1 234 567, one kind of separator): "1,5" is a decimal comma and "2.301,5" a European number,
# and stripping their commas would publish 15 and 2.3015.
_GROUPED = re.compile(r"[+-]?\d{1,3}([,\s_'])\d{3}(?:\1\d{3})*(?:\.\d+)?")
_SEPARATOR = re.compile(r"[,\s_']")
# Excel sheets often carry a title above the header: the header is looked for in the first rows.
HEADER_SEARCH_ROWS = 10

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
    "out_of_scope_replaced": (
        "将替换的已发布行属于地区 {region}，不在您的范围 {scope} 内",
        "the published row it would replace is of region {region}, outside your scope {scope}",
    ),
    "placeholder_text": (
        "单元格是占位文字，不是数值：没有数值请留空",
        "the cell holds a placeholder text, not a value: leave it empty when there is no value",
    ),
    "decimal_comma": (
        "千位分隔符（逗号、空格）只能每三位一组（如 1,234,567）；小数请用小数点（1.5），不能用逗号",
        "a thousands separator (comma, space) must group the digits in threes (1,234,567); "
        "write decimals with a point (1.5), not a comma",
    ),
    "not_finite": ("不是有限的数（inf、NaN）", "not a finite number (inf, NaN)"),
    "above_max": ("数值大于合理上限 {max}", "number above the plausible maximum {max}"),
    "status_needs_date": ("状态为 {status} 时，{column} 不能为空", "status {status} needs {column} filled in"),
    "status_forbids_date": ("状态为 {status} 时，{column} 应为空", "status {status} cannot have {column}"),
    "would_empty": (
        "会把已发布的 {n} 个值清空（主键相同的行在文件中此列为空）；确需清空，请勾选“允许清空已发布的值”或加 --allow-nulls",
        "would empty {n} published values (rows with the same key have this column empty in the file); "
        "if that is meant, tick 'allow emptying published values' or pass --allow-nulls",
    ),
    "audit_failed": ("{error}", "{error}"),
    # notes: not errors
    "note_encoding": ("按 {encoding} 编码读取", "read as {encoding}"),
    "note_region_names": ("地区名称已换成代码：{mapping}", "region names replaced by codes: {mapping}"),
    "note_numbers": ("已去掉数字中的千位分隔符或全角字符", "thousands separators or full-width digits removed"),
    "note_replaces": ("将替换已发布数据中主键相同的 {n} 行", "replaces {n} published rows with the same key"),
    "note_month_filled": ("只写了年月，按该月最后一天处理", "year and month only: read as the month's last day"),
    "note_header_row": (
        "表头在第 {row} 行：上面的 {above} 行（标题）已跳过",
        "the header is on row {row}: the {above} row(s) above it (a title) were skipped",
    ),
    "note_same_path": ("同一文件给了 {n} 次，只读一次", "the same file was given {n} times: read once"),
    "note_empties": ("清空已发布的 {n} 个值（已允许）", "empties {n} published values (allowed)"),
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
        # a finding may word its code's problem more precisely (detail "message": another key)
        zh, en = MESSAGES[self.detail.get("message", self.code)]
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
    label: str = ""  # how the report names the file: its name, or enough of its path to tell two apart
    sha256: str = ""  # of the bytes that were checked
    table: str | None = None
    rows: int = 0
    findings: list[Finding] = field(default_factory=list)
    data: pa.Table | None = None  # normalised rows in the contract's schema
    origin: pd.DataFrame | None = None  # per row: sheet and file row, for reporting

    def __post_init__(self) -> None:
        self.label = self.label or self.path.name

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
                    f"  {r.label} → {what}, {r.rows:,} {'行' if lang == 'zh' else 'rows'}"
                    if lang == "zh"
                    else f"  {r.label} → table {what}, {r.rows:,} rows"
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
    names = {_clean_header(c) for c in cells if isinstance(c, str)}
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
    """Cells as stripped NFKC text; empty cells NA. Excel numbers like 430100.0 lose the .0.

    Only a cell with nothing in it is empty: the text "NaN" or "None" stays (see PLACEHOLDERS).
    """
    text = col.astype("string").str.normalize("NFKC").str.strip()
    text = text.mask(text == "")
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
    origin = pd.DataFrame({"row": frame.index + sheet.header_rows + 1})
    out: dict[str, pd.Series] = {}
    # cells reported here as unreadable: empty afterwards, and not reported again as "required"
    reported: dict[str, pd.Series] = {}
    region_levels = REGION_LEVELS.get(table.name, ())

    def report(code: str, column: str, mask: pd.Series, shown: pd.Series, error: bool = True) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            rows, n = _row_numbers(mask, origin)
            findings.append(Finding(name, code, column, tab, rows, n, _values(shown, mask), error=error))
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
                rows, n = _row_numbers(month_only, origin)
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
    detail: dict[str, str] = dict(p.detail)
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
    problems = check_values(table, df, regions=None, reported=df.attrs.get("reported"))
    units = ref.indicators.drop_duplicates("indicator_id")
    unit_of = {str(i): str(u) for i, u in zip(units["indicator_id"], units["unit_en"], strict=True)}
    problems += check_limits(table, df, indicator_units=unit_of)
    problems += check_status_dates(table, df)
    for p in problems:
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
    path: Path,
    ref: Reference,
    *,
    table: str | None = None,
    scope: str | None = None,
    today: dt.date | None = None,
    label: str | None = None,
) -> FileResult:
    """Read, normalise and check one file; its rows in the contract's schema when it has no error.

    ``label`` is how the report names the file (default: its name).
    """
    result = FileResult(path, label or path.name)
    name = result.label
    today = today or dt.date.today()
    raw = path.read_bytes()  # once: the bytes checked are the bytes hashed for the record
    result.sha256 = hashlib.sha256(raw).hexdigest()
    sheets = read_sheets(path, result.findings, raw=raw, name=name)
    if not sheets and not result.errors:
        result.findings.append(Finding(name, "no_rows"))
    frames: list[pa.Table] = []
    origins: list[pd.DataFrame] = []
    for sheet in sheets:
        columns = [_clean_header(c) for c in sheet.frame.columns]
        named, by_columns = guess_table(path.name, sheet.sheet, columns)
        chosen = table or named or by_columns
        if chosen is None:
            result.findings.append(
                Finding(name, "unknown_table", sheet=sheet.sheet, detail={"tables": ", ".join(IMPORTABLE)})
            )
            continue
        if chosen not in IMPORTABLE:
            result.findings.append(Finding(name, "not_importable", sheet=sheet.sheet, detail={"table": chosen}))
            continue
        if by_columns and by_columns != chosen and not set(TABLES[chosen].schema.names) <= set(columns):
            result.findings.append(
                Finding(name, "wrong_table", sheet=sheet.sheet, detail={"named": chosen, "actual": by_columns})
            )
            continue
        if result.table and result.table != chosen:
            result.findings.append(
                Finding(name, "wrong_table", sheet=sheet.sheet, detail={"named": result.table, "actual": chosen})
            )
            continue
        result.table = chosen
        contract = TABLES[chosen]
        if sheet.frame.empty:
            result.findings.append(Finding(name, "no_rows", sheet=sheet.sheet))
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
    """Keys that occur in more than one file or sheet of one import (files told apart by their label,
    which is unique per path: two files of the same name in different folders are two files)."""
    parts = []
    for r in results:
        if r.data is None or r.origin is None:
            continue
        keys = _key_frame(r.data, table)
        keys["_file"] = r.label
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


def _os_user() -> str:
    """The operating-system account running this process: who an import from the command line is by."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (a bare container)
        return f"uid:{os.getuid()}"


def _labels(paths: Sequence[Path]) -> list[str]:
    """A name per file, unique within the import: the base name, or as many of the path's last
    parts as it takes to tell two files of the same name apart (``x/progress.csv``)."""
    parts = [Path(os.path.realpath(p)).parts for p in paths]
    out = []
    for mine in parts:
        k = 1
        while k < len(mine) and sum(1 for other in parts if other[-k:] == mine[-k:]) > 1:
            k += 1
        out.append("/".join(mine[-k:]))
    return out


def _identify(paths: Sequence[Path], labels: Sequence[str] | None) -> tuple[list[Path], list[str], list[Finding]]:
    """The files of one import, each once (a file is its path, not its name), with their labels."""
    kept: list[Path] = []
    given: list[str] = []
    times: dict[str, int] = {}
    for i, p in enumerate(paths):
        key = os.path.realpath(p)
        times[key] = times.get(key, 0) + 1
        if times[key] == 1:
            kept.append(Path(p))
            given.append(labels[i] if labels is not None else "")
    names = given if labels is not None else _labels(kept)
    # labels from a caller (the page's uploads) must still tell the files apart
    seen: dict[str, int] = {}
    unique = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        unique.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    notes = [
        Finding(unique[kept.index(Path(p))], "note_same_path", detail={"n": str(n)}, error=False)
        for p, n in ((next(q for q in kept if os.path.realpath(q) == k), n) for k, n in times.items())
        if n > 1
    ]
    return kept, unique, notes


def _outside(codes: pd.Series, regions: pd.DataFrame, scope: str | None) -> pd.Series:
    """Codes of regions outside the prefecture ``scope`` (unknown codes are not: they are reported as such)."""
    if not scope or scope == "430000" or len(scope) != 6:
        return pd.Series(False, index=codes.index)
    by_code = regions.set_index("region_code")
    level = codes.map(by_code["level"])
    prefecture = codes.map(by_code["prefecture_code"]).where(codes != scope, scope)
    return (level.notna() & (prefecture != scope)).fillna(False).astype(bool)


def _replaced_findings(
    published: pa.Table,
    new: pa.Table,
    origin: pd.DataFrame,
    table: Table,
    ref: Reference,
    scope: str | None,
    allow_nulls: bool,
) -> list[Finding]:
    """What the rows an import replaces say about it: published values it would empty, and
    replaced rows of a region outside the analyst's scope.

    ``origin`` has, per row of ``new``: label, sheet, row (as the file shows it). The scope of a
    replaced row matters only where the key has no region (a childcare point, a training class):
    with the region in the key, the replaced row has the incoming row's region, checked already.
    """
    nullable = [f.name for f in table.schema if f.nullable and f.name not in table.key]
    with_scope = bool(scope) and "region_code" in table.schema.names and "region_code" not in table.key
    if published.num_rows == 0 or new.num_rows == 0 or not (nullable or with_scope):
        return []
    key = list(table.key)
    columns = list(dict.fromkeys([*key, *nullable, *(["region_code"] if with_scope else [])]))
    mine = new.select(columns).to_pandas()
    theirs = published.select(columns).to_pandas()
    for k in key:
        mine[k] = mine[k].astype("string")
        theirs[k] = theirs[k].astype("string")
    mine["_i"] = np.arange(len(mine))
    both = mine.merge(theirs, on=key, how="inner", suffixes=("", "_published"))
    if both.empty:
        return []
    where = origin.iloc[both["_i"].to_numpy()].reset_index(drop=True)
    both = both.reset_index(drop=True)
    out: list[Finding] = []

    def add(code: str, column: str, mask: pd.Series, values: pd.Series, error: bool, **detail: str) -> None:
        for (label, sheet), rows in where[mask].groupby(["label", "sheet"], sort=True):
            shown = values[rows.index].astype(str).drop_duplicates().head(3)
            out.append(
                Finding(
                    str(label),
                    code,
                    column,
                    str(sheet),
                    tuple(int(r) for r in rows["row"].head(MAX_EXAMPLES)),
                    len(rows),
                    tuple(shown),
                    {"n": f"{len(rows):,}", **detail},
                    error=error,
                )
            )

    for column in nullable:
        emptied = both[f"{column}_published"].notna() & both[column].isna()
        if emptied.any():
            published_values = both[f"{column}_published"].map(lambda v: f"{v:g}" if isinstance(v, float) else str(v))
            add("note_empties" if allow_nulls else "would_empty", column, emptied, published_values, not allow_nulls)
    if with_scope:
        old = both["region_code_published"].astype("string")
        outside = _outside(old, ref.regions, scope)
        if outside.any():
            names = ref.regions.set_index("region_code")["name_zh"]
            first = str(old[outside].iloc[0])
            region = f"{first} {names.get(first, '')}".strip()
            key_text = both[key].astype(str).agg(" / ".join, axis=1)
            shown = key_text + ": " + old.astype(str) + " → " + both["region_code"].astype(str)
            # the code a refusal by scope has, worded for the row it would replace
            add(
                "out_of_scope",
                "region_code",
                outside,
                shown,
                True,
                scope=str(scope),
                region=region,
                message="out_of_scope_replaced",
            )
    return out


@dataclass
class _Merged:
    """An import's tables merged with one published version, and what the merge found."""

    change: publish.Change
    findings: list[Finding]
    replaced: dict[str, int]


def _merge_with(
    folder: Path,
    by_table: Mapping[str, list[FileResult]],
    ref: Reference,
    scope: str | None,
    allow_nulls: bool,
) -> _Merged:
    """Merge the import with the version in ``folder``; the checks only published data allows."""
    replacing: dict[str, pa.Table] = {}
    appending: dict[str, pa.Table] = {}
    findings: list[Finding] = []
    replaced: dict[str, int] = {}
    for name, group in by_table.items():
        contract = TABLES[name]
        new = pa.concat_tables([r.data for r in group if r.data is not None])
        if name in APPENDED:
            appending[name] = new
            continue
        origin = pd.concat(
            [r.origin.assign(label=r.label) for r in group if r.origin is not None and r.data is not None],
            ignore_index=True,
        )
        published = _read_table(folder, contract)
        findings.extend(_replaced_findings(published, new, origin, contract, ref, scope, allow_nulls))
        merged, n_replaced = _merge(published, new, contract)
        replacing[name] = merged
        replaced[name] = n_replaced
        if n_replaced:
            findings.append(Finding(group[0].label, "note_replaces", detail={"n": f"{n_replaced:,}"}, error=False))
        if name == "progress":
            findings.extend(_ratio_findings(merged, new, ref))
    return _Merged(publish.Change(tables=replacing, appended=appending, replaced=replaced), findings, replaced)


def ingest(
    paths: Sequence[Path],
    *,
    data_dir: Path,
    table: str | None = None,
    scope: str | None = None,
    user: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    allow_nulls: bool = False,
    labels: Sequence[str] | None = None,
    via: str = "api",
) -> Report:
    """Check ``paths`` and, when nothing is wrong and not ``dry_run``, publish them as a new version.

    ``data_dir`` is the data root. ``scope`` (a prefecture code) refuses rows of other regions,
    incoming or replaced. ``user`` is who imports (default: the operating-system account);
    ``allow_nulls`` lets the import empty published values; ``labels`` name the files in the
    report (default: their names, or enough of their paths to tell two apart); ``via`` says in the
    audit log where the import came from (cli, page). Every import that is not a dry run is in
    the audit log: refused, or announced before it is published and then its outcome.
    """
    user = user or _os_user()
    files, names, notes = _identify(paths, labels)
    current = publish.current_dir(data_dir)
    # regions, indicators and plan years change only through their build scripts, never through
    # an import, so reading them from the version in force before the lock is safe
    ref = reference(current)
    results = [
        check_file(p, ref, table=table, scope=scope, today=today, label=n) for p, n in zip(files, names, strict=True)
    ]
    report = Report(results, list(notes), dry_run=dry_run)
    by_table: dict[str, list[FileResult]] = {}
    for r in results:
        if r.table and r.data is not None:
            by_table.setdefault(r.table, []).append(r)
    for name, group in by_table.items():
        if len(group) > 1:
            _cross_duplicates(group, TABLES[name], report.findings)
    detail: dict[str, object] = {"via": via, "scope": scope, "allow_nulls": allow_nulls}
    if report.errors or not by_table:
        if not dry_run:
            _record_refused(data_dir, report, user, {**detail, "parent": publish.current_id(data_dir)})
        return report
    if dry_run:
        merged = _merge_with(current, by_table, ref, scope, allow_nulls)
        report.findings.extend(merged.findings)
        report.replaced = merged.replaced
        return report
    parents: list[str] = []

    def build(parent: str, folder: Path) -> publish.Change | None:
        # under the publish lock: ``parent`` stays in force until this import's version replaces it
        parents.append(parent)
        merged = _merge_with(folder, by_table, ref, scope, allow_nulls)
        report.findings.extend(merged.findings)
        report.replaced = merged.replaced
        if any(f.error for f in merged.findings):
            return None
        return publish.Change(
            tables=merged.change.tables,
            appended=merged.change.appended,
            replaced=merged.replaced,
            files=[_file_record(r, via) for r in results],
        )

    try:
        report.published = publish.publish(data_dir, build, user=user, detail=detail)
    except publish.PublishError as error:
        report.findings.append(Finding("", "audit_failed", detail={"error": str(error)}))
        return report
    if report.published is None:
        _record_refused(data_dir, report, user, {**detail, "parent": parents[-1] if parents else None})
    return report


def _file_record(r: FileResult, via: str) -> dict[str, object]:
    entry: dict[str, object] = {"name": r.label, "table": r.table, "rows": r.rows, "sha256": r.sha256}
    if via == "cli":
        entry["path"] = str(r.path.resolve())  # the page's uploads live in a temporary folder
    return entry


def _record_refused(root: Path, report: Report, user: str, detail: Mapping[str, object]) -> None:
    """A refused import in the audit log: who tried what, and why."""
    try:
        audit.record(
            root,
            audit.IMPORT_REFUSED,
            user,
            {
                **detail,
                "files": [_file_record(r, str(detail.get("via"))) for r in report.files],
                "problems": sorted({f.code for f in report.errors}),
            },
        )
    except OSError as error:
        report.findings.append(
            Finding("", "audit_failed", detail={"error": f"audit log not written: {error.strerror or error}"})
        )


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
    parser.add_argument(
        "--user",
        help="accepted only as your own operating-system account: imports and rollbacks are recorded as "
        "the account that runs them",
    )
    parser.add_argument("--dry-run", action="store_true", help="check only; publish nothing")
    parser.add_argument(
        "--allow-nulls",
        action="store_true",
        help="let the import empty published values (rows with the same key and an empty cell)",
    )
    parser.add_argument("--rollback", action="store_true", help="put the previous version back in force")
    parser.add_argument("--to", help="with --rollback: the version to put in force")
    parser.add_argument("--versions", action="store_true", help="list the published versions")
    args = parser.parse_args(argv)
    root = (args.data_dir or data_dir_from_env()).resolve()
    # who did it is the account running the command, never a name typed on the command line
    user = _os_user()
    if args.user is not None and args.user != user:
        print(
            f"--user 只能是运行本命令的系统账户 {user} / --user can only be the account running this command ({user})",
            file=sys.stderr,
        )
        return 2
    if args.versions:
        current = publish.current_id(root)
        for v in publish.list_versions(root):
            mark = "*" if v.id == current else " "
            names = ", ".join(str(f.get("name")) for f in v.files)
            print(f"{mark} {v.id}\t{v.published_at or '-'}\t{v.user or '-'}\t{names or v.note}")
        return 0
    if args.rollback:
        try:
            to = publish.rollback(root, args.to, user=user, detail={"via": "cli"})
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
    report = ingest(
        args.paths,
        data_dir=root,
        table=args.table,
        scope=args.scope,
        user=user,
        dry_run=args.dry_run,
        allow_nulls=args.allow_nulls,
        via="cli",
    )
    print(report.text(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
