"""What an import found and how it is worded: a Finding per kind of problem (or note), a
FileResult per file, the Report of one import, and MESSAGES, the bilingual wording of each code.

Every other module of the import produces Findings; this one alone turns them into text, for the
terminal (Report.text) and for the import page (Report.frame), in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from analytics import publish

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
    "locked_month": (
        "{month} {county_name}（{county}）已于 {accepted_at} 由 {accepted_by} 验收，数据已锁定：须省级撤回验收后才能导入",
        "{month} of {county_name} ({county}) was accepted by {accepted_by} on {accepted_at} and is locked: "
        "the province must withdraw its acceptance before anything is imported into it",
    ),
    "template_layout": ("报表模板格式有误：{problem}", "the report template's layout is wrong: {problem}"),
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
    "note_submitted": ("{county} {month} 的月报已标记为“已报送”", "{county}'s report for {month} is marked submitted"),
    "note_not_submitted": (
        "已发布，但月报状态未能更新：{error}",
        "published, but the report's state could not be updated: {error}",
    ),
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
