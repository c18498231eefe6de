"""How a plan workbook's problems are worded and collected.

A plan check speaks like an import (analytics/ingest/report.py): each finding names the sheet,
the row and the column, in Chinese and in English, and the whole is an ingest ``Report``, so the
terminal and (later) the import page show it the same way. The codes an import already has
(not a number, unknown region, duplicate key …) keep their wording; the plan's own are below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analytics.ingest.report import MESSAGES, Finding
from analytics.plan.layout import SheetSpec

MAX_ROWS = 5  # rows named per finding; the count says how many more

PLAN_MESSAGES: Mapping[str, tuple[str, str]] = {
    "not_a_workbook": (
        "不是 Excel 工作簿（.xlsx）：{why}",
        "not an Excel workbook (.xlsx): {why}",
    ),
    "missing_sheet": ("缺少必需的工作表", "required sheet is missing"),
    "missing_field": ("缺少必填项", "required field is missing"),
    "unknown_field": ("未知的项目", "unknown field"),
    "unknown_area": ("领域序号不在“领域”表中", "area number is not in the areas sheet"),
    "area_without_items": ("该领域下没有事项", "no item is in this area"),
    "unknown_item": ("事项序号不在“事项”表中", "item number is not in the items sheet"),
    "unknown_plan_indicator": ("指标编号不在“指标”表中", "indicator id is not in the indicators sheet"),
    "outside_province": ("地区不在本计划的省份 {province} 内", "region is outside the plan's province {province}"),
    "region_name_mismatch": (
        "地区名称与代码不符：{code} 是 {name}",
        "region name does not match the code: {code} is {name}",
    ),
    "not_a_province": ("省级代码不是地区表中的省", "province code is not a province of the region table"),
    "bad_id": (
        "指标编号只能用小写英文字母、数字和下划线，并以字母开头",
        "an indicator id is lower-case letters, digits and underscores, starting with a letter",
    ),
    "ratio_needs_parts": ("比率（ratio）指标须填分子和分母指标", "a ratio needs a numerator and a denominator"),
    "parts_only_for_ratio": ("只有比率（ratio）指标填分子、分母", "only a ratio has a numerator and a denominator"),
    "bad_component": (
        "分子、分母须是同一事项下“是否分子分母”为“是”的指标",
        "a numerator or denominator must be a component indicator of the same item",
    ),
    "component_judged": (
        "分子分母指标不单独评判：目标规则须为 none",
        "a component is not judged: its rule must be none",
    ),
    "coverage_not_ratio": ("覆盖率（coverage）目标须是比率（ratio）指标", "a coverage target needs a ratio indicator"),
    "target_level_needed": (
        "目标规则 every_region_at_least 须填目标层级",
        "rule every_region_at_least needs a target level",
    ),
    "target_level_only_at_least": (
        "只有目标规则 every_region_at_least 填目标层级",
        "only rule every_region_at_least has a target level",
    ),
    "no_province_target": (
        "有量化目标的指标须在“目标”表有一行全省（{province}）目标",
        "an indicator with a target needs a province ({province}) row in the targets sheet",
    ),
    "target_for_untargeted": (
        "目标规则为 none 的指标不能有目标",
        "an indicator whose rule is none cannot have targets",
    ),
    "interpretation_needed": ("依据为 interpreted 时须填理解说明", "basis interpreted needs an interpretation"),
    "interpretation_for_stated": (
        "依据为 stated（通知原文）时不填理解说明",
        "basis stated has no interpretation",
    ),
    "stated_not_in_text": (
        "原文依据不是事项 {item} 原文的一部分",
        "the stated words are not part of item {item}'s text",
    ),
    "allocation_no_total": ("没有该指标的全省目标可以分解", "the indicator has no province target to split"),
    "allocation_not_summing": (
        "分到{level}的目标合计 {total}，不等于上级（{parent}）目标 {expected}",
        "the {level} targets add up to {total}, not to their parent's ({parent}) target {expected}",
    ),
    "allocation_not_whole": (
        "只有整数才能拆分（按最大余数法）：{total}",
        "only a whole number can be split (largest remainder): {total}",
    ),
    "minimum_too_large": (
        "保底 {minimum} × {n} 个地区超过了上级目标 {total}",
        "minimum {minimum} × {n} regions is more than the parent's target {total}",
    ),
    "no_population": (
        "{n} 个地区没有 {year} 年的人口数（如 {example}）：不能按人口分解",
        "{n} regions have no population figure for {year} (e.g. {example}): cannot split by population",
    ),
    "bad_parameter": ("参数无效：{why}", "invalid parameter: {why}"),
    "manual_rows_missing": (
        "按 manual 分解，但“目标”表中没有分到{level}的目标",
        "method manual, but the targets sheet has no {level} targets",
    ),
    "rows_and_rule": (
        "“目标”表已手工填写了分到{level}的目标，又要按 {method} 生成：手工填写请用 manual",
        "the targets sheet already has {level} targets written by hand, and this rule would generate them: "
        "use manual for targets written by hand",
    ),
    "no_regions": ("上级 {parent} 下没有{level}可以分解", "no {level} under {parent} to split to"),
    "count_mismatch": (
        "每个地区至少：全省目标应等于须达到的{level}数 {n}",
        "every region at least: the province target must equal the number of {level}s that must reach it, {n}",
    ),
    "share_above_one": ("比例须在0到1之间（1即100%）", "a share is between 0 and 1 (1 is 100%)"),
    "thresholds_order": (
        "须 0 < 有风险阈值 < 进度正常阈值 ≤ 1",
        "must be 0 < at-risk share < on-track share ≤ 1",
    ),
    "schedule_without_target": (
        "没有该指标、该地区、分期方式为 schedule 的目标",
        "no target of this indicator and region is phased by schedule",
    ),
    "schedule_missing": (
        "分期方式为 schedule 的目标在“进度计划”表中没有进度",
        "a target phased by schedule has no rows in the schedules sheet",
    ),
    "contract": ("生成的表不符合数据约定：{problem}", "the built table breaks the data contract: {problem}"),
}


class PlanFinding(Finding):
    """A Finding whose code may be one of the plan's own (PLAN_MESSAGES) or one of the import's."""

    def reason(self, lang: str) -> str:
        code = self.detail.get("message", self.code)
        zh, en = PLAN_MESSAGES.get(code) or MESSAGES[code]
        return (zh if lang == "zh" else en).format(**{"hint": "", **self.detail})


@dataclass
class _Group:
    rows: list[int]
    values: list[str]


class Collector:
    """Findings of one workbook, one per kind of problem in one sheet and column, with its rows."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._groups: dict[tuple[str, str, str, tuple[tuple[str, str], ...], bool], _Group] = {}

    def add(
        self,
        code: str,
        sheet: SheetSpec | None = None,
        field: str = "",
        row: int | None = None,
        value: object = None,
        /,
        *,
        error: bool = True,
        column: str = "",
        **detail: object,
    ) -> None:
        """One problem: in ``sheet`` (its column of ``field``, or ``column`` as written), on ``row``."""
        header = column or (sheet.column(field).header if sheet is not None and field else "")
        key = (
            code,
            sheet.name if sheet is not None else "",
            header,
            tuple(sorted((k, str(v)) for k, v in detail.items())),
            error,
        )
        group = self._groups.setdefault(key, _Group([], []))
        if row is not None and row not in group.rows:
            group.rows.append(row)
        shown = "" if value is None else str(value)
        if shown and shown not in group.values and len(group.values) < MAX_ROWS:
            group.values.append(shown)

    @property
    def errors(self) -> bool:
        return any(k[4] for k in self._groups)

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for (code, sheet, column, detail, error), g in self._groups.items():
            rows = sorted(g.rows)
            out.append(
                PlanFinding(
                    self.file,
                    code,
                    column,
                    sheet,
                    tuple(rows[:MAX_ROWS]),
                    len(rows),
                    tuple(g.values),
                    dict(detail),
                    error,
                )
            )
        return out
