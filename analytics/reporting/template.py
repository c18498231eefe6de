"""The monthly template of one county: an Excel workbook to fill in, and reading it back by its layout.

The workbook (layout version :data:`LAYOUT_VERSION`, versioned with the data contract: a change
that an older template would not have raises it, and the reader keeps reading the versions in
:data:`READABLE_VERSIONS`):

* 填写说明 — instructions in Chinese;
* 工作进展 progress — one row per indicator the county reports (its code, name, unit and kind
  filled in and locked), the month's figure and the date it was reported to fill in;
* 指导员 instructors — one row per village and community of the county (code, township and name
  filled in and locked), the instructors in post at month end to fill in;
* a very hidden sheet ``_layout`` naming the layout, its version, the county and the month.

Header rows are protected (sheet protection, no password: against slips, not against people);
the cells to fill in are unlocked and validated: figures non-negative numbers (whole numbers for
instructors), a milestone a drop-down (已完成 / 未完成), dates after the month's end.

An import (analytics/ingest) recognises a template by its ``_layout`` sheet and reads it here,
into the contract's columns, with every row's number in the workbook: the import's own checks and
report then name sheet, row and column as for any other file. Rows with nothing filled in are
not reported and are left out.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from analytics.contract import TABLES
from analytics.ingest.check import Reference, read_table, reference
from analytics.ingest.read import Sheet
from analytics.ingest.report import Finding

LAYOUT_NAME: Final = "fpa-county-month"
LAYOUT_VERSION: Final = 1
READABLE_VERSIONS: Final = frozenset({1})
LAYOUT_SHEET: Final = "_layout"
INSTRUCTIONS_SHEET: Final = "填写说明"
PROGRESS_SHEET: Final = "工作进展 progress"
INSTRUCTORS_SHEET: Final = "指导员 instructors"
HEADER_ROW: Final = 3  # rows 1-2: title and the county/month line; row 3: the header; data from row 4
DONE, NOT_DONE = "已完成", "未完成"

_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells to fill in
_HEAD = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class Column:
    field: str  # the contract's column, or a label column the reader ignores ("")
    header: str  # Chinese label, then the field name (the report names the field)
    width: int
    editable: bool = False


PROGRESS_COLUMNS: Final = (
    Column("indicator_id", "指标编号 indicator_id", 34),
    Column("", "指标名称", 40),
    Column("", "单位", 8),
    Column("", "类型", 10),
    Column("value", "本月数值 value", 16, editable=True),
    Column("reported_at", "报送日期 reported_at", 16, editable=True),
)
INSTRUCTORS_COLUMNS: Final = (
    Column("region_code", "村（社区）代码 region_code", 18),
    Column("", "乡镇（街道）", 18),
    Column("", "村（社区）", 22),
    Column("instructors_in_post", "在岗指导员人数 instructors_in_post", 22, editable=True),
    Column("reported_at", "报送日期 reported_at", 16, editable=True),
)
SHEETS: Final = {
    PROGRESS_SHEET: ("progress", PROGRESS_COLUMNS),
    INSTRUCTORS_SHEET: ("instructors", INSTRUCTORS_COLUMNS),
}
KIND_ZH: Final = {"flow": "本月发生数", "stock": "月末存量", "milestone": "是否完成"}

INSTRUCTIONS: Final = (
    "{county}（{code}）{month} 月报模板 · 第 {version} 版格式",
    "",
    "本模板由湖南省计生协工作要点监测系统生成，只用于 {county} {month} 的月报。",
    "",
    "填写步骤：",
    "  1. 在“工作进展 progress”表中，按指标填写本月数值（黄色单元格）：",
    "       本月发生数（flow）填本月新发生的数量；月末存量（stock）填月末的总数；",
    "       是否完成（milestone）从下拉列表选“已完成”或“未完成”。",
    "  2. 在“指导员 instructors”表中，逐村（社区）填写月末在岗的家庭健康指导员人数（整数）。",
    "  3. 每个填了数值的行都要填报送日期（年-月-日），须晚于 {month_end}。",
    "  4. 没有发生、暂无数据的行请留空，不要填 0 以外的占位文字（如“无”“/”）。",
    "",
    "截止日期：{deadline} 前报送至所属市州计生协。",
    "",
    "注意：",
    "  · 灰色列（指标编号、村代码、名称）已锁定，请勿修改；不要增删行列、不要改工作表名称。",
    "  · 数值不能为负；指导员人数为整数；下拉列表的单元格只能选列表中的值。",
    "  · 市州审核通过、省级验收后，本月数据即锁定；如需更正，须由省级撤回验收。",
    "  · 导入时系统按本模板的格式读取，检查报告会写明工作表、行号和列名。",
)


@dataclass(frozen=True)
class Meta:
    """What a template's ``_layout`` sheet says: which layout, which county and month."""

    version: int
    county_code: str
    period_end: dt.date
    plan_year: int


def _progress_indicators(ref: Reference, folder: Path, plan_year: int) -> pd.DataFrame:
    """The indicators a county reports on the progress sheet: those reported at county level in the
    published exports of the plan year (a county's own figures; ratios are computed from their
    parts), or every progress indicator that is not a ratio when the year has no county figures yet."""
    ind = ref.indicators
    ind = ind[(ind["plan_year"] == plan_year) & (ind["source_table"] == "progress") & (ind["kind"] != "ratio")]
    progress = read_table(folder, TABLES["progress"]).to_pandas()
    county_codes = set(ref.regions.loc[ref.regions["level"] == "county", "region_code"])
    reported = set(
        progress.loc[(progress["plan_year"] == plan_year) & progress["region_code"].isin(county_codes), "indicator_id"]
    )
    if reported:
        ind = ind[ind["indicator_id"].isin(reported)]
    return ind.sort_values(["item_no", "display_order", "indicator_id"]).reset_index(drop=True)


def _villages(ref: Reference, county: str) -> pd.DataFrame:
    regions = ref.regions
    villages = regions[(regions["level"] == "village") & (regions["county_code"] == county)]
    towns = regions.set_index("region_code")["name_zh"]
    out = pd.DataFrame(
        {
            "region_code": villages["region_code"].astype(str),
            "township": villages["parent_code"].map(towns).fillna(""),
            "name": villages["name_zh"].astype(str),
        }
    )
    return out.sort_values("region_code").reset_index(drop=True)


def _table_sheet(ws: Any, title: str, subtitle: str, columns: Sequence[Column], rows: list[list[object]]) -> None:
    ws.append([title])
    ws.append([subtitle])
    ws.append([c.header for c in columns])
    for r in rows:
        ws.append(r)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1).font = Font(color="595959")
    for i, c in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = c.width
        head = ws.cell(row=HEADER_ROW, column=i)
        head.font = Font(bold=True)
        head.fill = _HEAD
        head.alignment = Alignment(wrap_text=True, vertical="top")
        if c.editable:
            for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(rows)):
                cell = ws.cell(row=row, column=i)
                cell.protection = Protection(locked=False)
                cell.fill = _FILL
                if c.field == "reported_at":
                    cell.number_format = "yyyy-mm-dd"
    ws.row_dimensions[HEADER_ROW].height = 32
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    # the header rows and the filled-in columns are locked; no password: it stops slips, and a
    # template someone unprotects is still read by its layout and checked like any other file
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widening a column stays allowed
    ws.protection.autoFilter = False


def _validate(ws: Any, rng: str, dv: DataValidation) -> None:
    for part in rng.split():
        dv.add(part)
    ws.add_data_validation(dv)


def _number_rule(whole: bool, maximum: float | None = None) -> DataValidation:
    kind = "whole" if whole else "decimal"
    if maximum is None:
        dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    else:
        dv = DataValidation(type=kind, operator="between", formula1="0", formula2=str(maximum), allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = "数值有误"
    dv.error = "请填写不小于 0 的" + ("整数" if whole else "数") + (f"（不超过 {maximum:g}）" if maximum else "")
    return dv


def _date_rule(period_end: dt.date) -> DataValidation:
    after = f"DATE({period_end.year},{period_end.month},{period_end.day})"
    dv = DataValidation(type="date", operator="greaterThan", formula1=after, allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = "日期有误"
    dv.error = f"报送日期写成 年-月-日，须晚于 {period_end.isoformat()}"
    return dv


def write(
    out: Path | io.BytesIO,
    county: str,
    period_end: dt.date,
    *,
    folder: Path,
    ref: Reference | None = None,
    deadline: dt.date | None = None,
) -> None:
    """The template of ``county`` for the month ending ``period_end``, from the data in ``folder``."""
    from analytics.reporting.cycle import deadline as due_date

    ref = ref or reference(folder)
    regions = ref.regions.set_index("region_code")
    if county not in regions.index or regions.at[county, "level"] != "county":
        raise ValueError(f"{county} is not a county-level unit of the region table")
    name = str(regions.at[county, "name_zh"])
    month = period_end.strftime("%Y-%m")
    due = deadline or due_date(period_end)
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = INSTRUCTIONS_SHEET
    for line in INSTRUCTIONS:
        ws.append(
            [
                line.format(
                    county=name,
                    code=county,
                    month=month,
                    month_end=period_end.isoformat(),
                    version=LAYOUT_VERSION,
                    deadline=due.isoformat(),
                )
            ]
        )
    ws.column_dimensions["A"].width = 110
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.protection.sheet = True

    subtitle = f"县市区 {name}（{county}） · 月份 {month} · 模板格式第 {LAYOUT_VERSION} 版 · 黄色单元格填写"
    indicators = _progress_indicators(ref, folder, period_end.year)
    p = wb.create_sheet(PROGRESS_SHEET)
    _table_sheet(
        p,
        f"{name} {period_end.year}年{period_end.month}月 工作进展月报",
        subtitle,
        PROGRESS_COLUMNS,
        [
            [r.indicator_id, r.name_zh, r.unit_zh, KIND_ZH.get(str(r.kind), str(r.kind)), None, None]
            for r in indicators.itertuples(index=False)
        ],
    )
    first, last = HEADER_ROW + 1, HEADER_ROW + max(len(indicators), 1)
    kinds = list(indicators["kind"])
    milestone_rows = [first + i for i, k in enumerate(kinds) if k == "milestone"]
    number_rows = [first + i for i, k in enumerate(kinds) if k != "milestone"]
    if milestone_rows:
        dv = DataValidation(type="list", formula1=f'"{DONE},{NOT_DONE}"', allow_blank=True)
        dv.showErrorMessage, dv.errorTitle, dv.error = True, "不在列表中", f"请从下拉列表中选择：{DONE}、{NOT_DONE}"
        _validate(p, " ".join(f"E{r}" for r in milestone_rows), dv)
    if number_rows:
        _validate(p, " ".join(f"E{r}" for r in number_rows), _number_rule(whole=False))
    _validate(p, f"F{first}:F{last}", _date_rule(period_end))

    villages = _villages(ref, county)
    v = wb.create_sheet(INSTRUCTORS_SHEET)
    _table_sheet(
        v,
        f"{name} {period_end.year}年{period_end.month}月 家庭健康指导员在岗情况",
        subtitle,
        INSTRUCTORS_COLUMNS,
        [[r.region_code, r.township, r.name, None, None] for r in villages.itertuples(index=False)],
    )
    vlast = HEADER_ROW + max(len(villages), 1)
    _validate(v, f"D{first}:D{vlast}", _number_rule(whole=True, maximum=1000))
    _validate(v, f"E{first}:E{vlast}", _date_rule(period_end))

    meta = wb.create_sheet(LAYOUT_SHEET)
    for key, value in (
        ("layout", LAYOUT_NAME),
        ("version", LAYOUT_VERSION),
        ("county_code", county),
        ("period_end", period_end.isoformat()),
        ("plan_year", period_end.year),
    ):
        meta.append([key, value])
    meta.sheet_state = "veryHidden"  # not listed by Excel's Unhide: only code reads it
    meta.protection.sheet = True
    wb.security.lockStructure = True  # no sheet added, removed or renamed
    wb.active = 1
    wb.save(out)


def prefecture_zip(prefecture: str, period_end: dt.date, *, folder: Path) -> tuple[bytes, list[str]]:
    """Every county template of ``prefecture`` for the month, in one zip: (bytes, file names)."""
    ref = reference(folder)
    regions = ref.regions
    county_rows = regions[(regions["level"] == "county") & (regions["prefecture_code"] == prefecture)]
    if county_rows.empty:
        raise ValueError(f"{prefecture} has no counties in the region table")
    buf = io.BytesIO()
    names = []
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for r in county_rows.sort_values("region_code").itertuples(index=False):
            one = io.BytesIO()
            write(one, str(r.region_code), period_end, folder=folder, ref=ref)
            name = file_name(str(r.region_code), str(r.name_zh), period_end)
            z.writestr(name, one.getvalue())
            names.append(name)
    return buf.getvalue(), names


def file_name(county: str, name_zh: str, period_end: dt.date) -> str:
    return f"月报_{period_end.strftime('%Y-%m')}_{county}_{name_zh}.xlsx"


# --- reading back ------------------------------------------------------------------------


def _meta_of(wb: Any) -> tuple[Meta | None, str]:
    """(the template's Meta, "") or (None, why it cannot be read); (None, "") for a workbook that is no template."""
    if LAYOUT_SHEET not in wb.sheetnames:
        return None, ""
    pairs = {str(k): v for k, v, *_ in wb[LAYOUT_SHEET].iter_rows(values_only=True) if k is not None}
    if pairs.get("layout") != LAYOUT_NAME:
        return None, f"unknown layout {pairs.get('layout')!r}"
    try:
        version = int(pairs["version"])  # type: ignore[arg-type]
        meta = Meta(
            version,
            str(pairs["county_code"]),
            dt.date.fromisoformat(str(pairs["period_end"])),
            int(pairs["plan_year"]),  # type: ignore[arg-type]
        )
    except (KeyError, TypeError, ValueError) as error:
        return None, f"the layout sheet is damaged ({error})"
    if version not in READABLE_VERSIONS:
        return (
            None,
            f"layout version {version} is not one this system reads ({', '.join(map(str, sorted(READABLE_VERSIONS)))})",
        )
    return meta, ""


def read_meta(path: Path) -> Meta | None:
    """The template's Meta, or None for a file that is no (readable) template."""
    with open(path, "rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            return None  # not a workbook (a CSV named .xlsx is the import's to report)
    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # not a workbook openpyxl reads: not a template either
        return None
    try:
        return _meta_of(wb)[0]
    finally:
        wb.close()


def template_tables(path: Path) -> list[str]:
    """The tables of a county template (progress, instructors); empty for any other file."""
    if path.suffix.lower() not in (".xlsx", ".xlsm") or read_meta(path) is None:
        return []
    return [table for table, _ in SHEETS.values()]


def layout_sheets(raw: bytes, name: str, findings: list[Finding]) -> list[Sheet] | None:
    """A template's sheets in the contract's columns, each row with its workbook row number; None
    for a workbook that is no template (the import reads it as any workbook)."""
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # the ordinary reader reports what is wrong with the file
        return None
    try:
        meta, problem = _meta_of(wb)
        if meta is None:
            if problem:
                findings.append(Finding(name, "template_layout", sheet=LAYOUT_SHEET, detail={"problem": problem}))
                return []
            return None
        sheets = []
        for sheet_name, (table, columns) in SHEETS.items():
            if sheet_name not in wb.sheetnames:
                findings.append(Finding(name, "template_layout", sheet=sheet_name, detail={"problem": "sheet missing"}))
                continue
            found = _read_sheet(wb[sheet_name], name, sheet_name, table, columns, meta, findings)
            if found is not None:
                sheets.append(found)
        return sheets
    finally:
        wb.close()


def _read_sheet(
    ws: Any,
    name: str,
    sheet_name: str,
    table: str,
    columns: Sequence[Column],
    meta: Meta,
    findings: list[Finding],
) -> Sheet | None:
    cells = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    header = [str(c).strip() if c is not None else "" for c in (cells[0] if cells else ())]
    expected = [c.header for c in columns]
    if header[: len(expected)] != expected:
        findings.append(
            Finding(
                name,
                "template_layout",
                sheet=sheet_name,
                rows=(HEADER_ROW,),
                detail={"problem": f"row {HEADER_ROW} should be the header {' | '.join(expected)}"},
            )
        )
        return None
    editable = [i for i, c in enumerate(columns) if c.editable]
    kept: list[dict[str, object]] = []
    rows: list[int] = []
    for n, values in enumerate(cells[1:], start=HEADER_ROW + 1):
        values = tuple(values) + (None,) * (len(columns) - len(values))
        if all(values[i] is None or (isinstance(values[i], str) and not str(values[i]).strip()) for i in editable):
            continue  # nothing filled in: not reported
        row: dict[str, object] = {c.field: values[i] for i, c in enumerate(columns) if c.field}
        if table == "progress":
            row["region_code"] = meta.county_code
            if row.get("value") == DONE:
                row["value"] = 1
            elif row.get("value") == NOT_DONE:
                row["value"] = 0
        row["plan_year"] = meta.plan_year
        row["period_end"] = meta.period_end
        kept.append(row)
        rows.append(n)
    if not kept:
        return None
    order = [f.name for f in TABLES[table].schema]
    frame = pd.DataFrame(kept, dtype=object)[order]
    return Sheet(name, sheet_name, frame, header_rows=HEADER_ROW, rows=tuple(rows))
