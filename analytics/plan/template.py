"""Writing a plan workbook: the blank template of a year, or a plan's rows in the layout.

The template has an instructions sheet in Chinese (填写说明), every header with a comment saying
what to write, drop-down lists for the columns with fixed values (kinds, rules, phasings, bases,
allocation methods, yes/no), and the settings filled in with the dashboard's defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from analytics.attainment import COMPLETION_THRESHOLD, THRESHOLDS
from analytics.plan.layout import (
    INSTRUCTIONS,
    KV_FIELD,
    KV_NOTE,
    KV_VALUE,
    LAYOUT_VERSION,
    SETTINGS,
    SHEETS,
    YES_NO,
    Column,
    SheetSpec,
)

VALIDATED_ROWS = 2000  # drop-downs reach this far down a sheet
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")

INSTRUCTIONS_TEXT: tuple[str, ...] = (
    "工作要点工作簿（第 {layout} 版格式）：{year} 年",
    "",
    "本工作簿把一年的工作要点写成数据：事项、指标、目标、分解规则和评判口径。填好后先检查、再导入：",
    "    python -m analytics.plan check 本文件.xlsx        只检查，不发布",
    "    python -m analytics.plan import 本文件.xlsx       检查全部通过后，发布为新的数据版本（可回退）",
    "检查报告逐条写明工作表、行号和列名；有任何错误时不发布任何数据，已发布的数据保持不变。",
    "",
    "各工作表：",
    "  计划 plan        发文单位、文号、发文日期、计划年度、本省代码（每行一项，B列填值）",
    "  设置 settings    评判口径：进度正常、有风险的阈值，培训结业比例（0到1之间的小数）",
    "  领域 areas       工作要点的各部分（一、二、三……）",
    "  事项 items       每个编号事项：所属领域、简称、原文、完成时限",
    "  指标 indicators  衡量事项的指标：类型、目标规则、分期方式、数据来源、口径",
    "  目标 targets     每个有量化目标的指标至少一行全省目标；依据写明是通知原文（stated）还是本协会理解（interpreted）",
    "  分解 allocations 全省总数如何分到市州、县市区：按人口、平均、按单位数、按另一指标、每地区同值，或手工（manual）",
    "  进度计划 schedules 仅分期方式为 schedule 的目标：逐月累计应达到值",
    "",
    "填写规则：",
    "  · 第1行是表头（中文名称和字段名），请勿修改；从第2行起每行一条。橙色表头为必填列。",
    "  · 鼠标停在表头上可看到该列的说明；有下拉列表的列只能选列表中的值。",
    "  · 日期写成 年-月-日（如 {year}-12-31），且须在计划年度内；比例写成小数（95% 写 0.95）。",
    "  · 地区用6位代码（如 430100），须在地区表中、且在本省内；可另填地区名称核对。",
    "  · 分解生成的目标一定加总等于上级目标；手工填写的分解目标（manual）也须加总相等，否则不发布。",
    "  · 指标编号用小写英文字母、数字和下划线；跨年度延续的指标请用同一编号，便于逐年比较。",
    "",
    "完整说明和2023年的示例见 docs/plan.md；2023年工作要点的工作簿是 data/plan/source/plan_2023.xlsx。",
)


def _cell_value(value: object) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _choices(column: Column) -> tuple[str, ...]:
    if column.kind == "bool":
        return YES_NO
    return column.choices


def _write_keyvalue(ws: object, spec: SheetSpec, values: Mapping[str, object]) -> None:
    ws.append([KV_FIELD.header, KV_VALUE.header, KV_NOTE.header])  # type: ignore[attr-defined]
    for c in spec.columns:
        ws.append([c.header, _cell_value(values.get(c.field)), c.help_zh + ("" if c.required else "（可空）")])  # type: ignore[attr-defined]
    for i, col in enumerate((KV_FIELD, KV_VALUE, KV_NOTE), start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width  # type: ignore[attr-defined]
        ws.cell(row=1, column=i).font = Font(bold=True)  # type: ignore[attr-defined]
        ws.cell(row=1, column=i).fill = _HEADER_FILL  # type: ignore[attr-defined]
    for row in range(2, len(spec.columns) + 2):
        ws.cell(row=row, column=2).alignment = Alignment(horizontal="left")  # type: ignore[attr-defined]
        if isinstance(ws.cell(row=row, column=2).value, dt.date):  # type: ignore[attr-defined]
            ws.cell(row=row, column=2).number_format = "yyyy-mm-dd"  # type: ignore[attr-defined]


def _write_table(ws: object, spec: SheetSpec, rows: Sequence[Mapping[str, object]]) -> None:
    ws.append([c.header for c in spec.columns])  # type: ignore[attr-defined]
    for r in rows:
        ws.append([_cell_value(r.get(c.field)) for c in spec.columns])  # type: ignore[attr-defined]
    for i, c in enumerate(spec.columns, start=1):
        letter = get_column_letter(i)
        head = ws.cell(row=1, column=i)  # type: ignore[attr-defined]
        head.font = Font(bold=True)
        head.fill = _REQUIRED_FILL if c.required else _HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="top")
        note = (c.help_zh or c.zh) + ("（必填）" if c.required else "（可空）")
        head.comment = Comment(note, "工作要点模板", width=320, height=110)
        ws.column_dimensions[letter].width = c.width  # type: ignore[attr-defined]
        if c.kind == "date":
            for row in range(2, len(rows) + 2):
                ws.cell(row=row, column=i).number_format = "yyyy-mm-dd"  # type: ignore[attr-defined]
        choices = _choices(c)
        if choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="不在列表中",
                error="请从下拉列表中选择：" + "、".join(choices),
            )
            dv.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            ws.add_data_validation(dv)  # type: ignore[attr-defined]
    ws.freeze_panes = "B2"  # type: ignore[attr-defined]
    ws.row_dimensions[1].height = 32  # type: ignore[attr-defined]


def write_workbook(
    path: Path,
    year: int,
    fields: Mapping[str, Mapping[str, object]] | None = None,
    tables: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
) -> None:
    """A plan workbook at ``path``: ``fields`` fill the key/value sheets, ``tables`` the others."""
    fields = fields or {}
    tables = tables or {}
    wb = Workbook()
    ws = wb.worksheets[0]  # a new workbook has one sheet
    ws.title = INSTRUCTIONS
    for line in INSTRUCTIONS_TEXT:
        ws.append([line.format(year=year, layout=LAYOUT_VERSION)])
    ws.column_dimensions["A"].width = 130
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    for spec in SHEETS:
        sheet = wb.create_sheet(spec.name)
        if spec.keyvalue:
            _write_keyvalue(sheet, spec, fields.get(spec.key, {}))
        else:
            _write_table(sheet, spec, tables.get(spec.key, ()))
    wb.save(path)


def template(path: Path, year: int) -> None:
    """The blank template of ``year``: the plan year and the default settings filled in."""
    write_workbook(
        path,
        year,
        fields={
            "plan": {"plan_year": year, "province_code": "430000", "association_zh": "湖南省计划生育协会"},
            SETTINGS.key: {
                "on_track_share": THRESHOLDS.on_track,
                "at_risk_share": THRESHOLDS.at_risk,
                "completion_share": COMPLETION_THRESHOLD,
            },
        },
    )
