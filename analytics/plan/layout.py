"""The plan workbook's layout: its sheets, their columns, what each column holds.

One workbook per plan year (docs/plan.md). Every header is the Chinese label with the field
name beside it ("指标编号 indicator_id"); the reader accepts either half alone too. The layout is
versioned (``LAYOUT_VERSION``) beside the data contract (analytics/contract.py): the contract says
what the plan tables hold, this module says how an association writes them down. A change to a
sheet or a column that an older workbook would not have raises the version, and the reader
keeps reading the older one.

Two sheets are key/value lists (计划 plan, 设置 settings): one field a row. The others are
tables with the header on row 1 and one record a row from row 2.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.contract import INDICATOR_KINDS, INDICATOR_SOURCES, PHASINGS, TARGET_BASES, TARGET_RULES

LAYOUT_VERSION = 1

# How a province total is split to the regions below it (sheet 分解 allocations):
# population: in proportion to each region's population (reference/population, the year in 参数);
# even: the same share each; units: in proportion to the number of units (counties, townships,
# villages: 参数) each region has; indicator: in proportion to another indicator's split at the
# same level (参数: its id); same: every region gets the same value (a coverage share, a count each
# region must reach), not a split; manual: the rows are written by hand in 目标 targets.
# Splits are whole numbers by largest remainder and always add up to the total they split.
ALLOCATION_METHODS = ("population", "even", "units", "indicator", "same", "manual")
SPLIT_METHODS = ("population", "even", "units", "indicator", "manual")  # these must add up to the total
ALLOCATION_LEVELS = ("prefecture", "county")
UNIT_LEVELS = ("county", "township", "village")
TARGET_LEVELS = ("prefecture", "county")
YES_NO = ("是", "否")
YES = frozenset({"是", "yes", "y", "true", "1", "x", "√"})
NO = frozenset({"否", "no", "n", "false", "0", ""})


@dataclass(frozen=True)
class Column:
    """One column of a table sheet, or one field of a key/value sheet."""

    field: str  # the name in the plan tables (or of the workbook's own fields)
    zh: str  # the Chinese label
    kind: str  # text | int | number | date | bool | choice
    required: bool = True
    choices: tuple[str, ...] = ()
    help_zh: str = ""  # the header's comment in the template
    width: int = 14  # column width in the template

    @property
    def header(self) -> str:
        return f"{self.zh} {self.field}"


@dataclass(frozen=True)
class SheetSpec:
    key: str  # the English name, used in code
    zh: str  # the Chinese name
    columns: tuple[Column, ...]
    keyvalue: bool = False  # one field a row (计划, 设置) instead of one record a row
    help_zh: str = ""

    @property
    def name(self) -> str:
        """The sheet's name in the workbook: Chinese, then English."""
        return f"{self.zh} {self.key}"

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


# the key/value sheets' own two columns
KV_FIELD = Column("field", "项目", "text", width=34)
KV_VALUE = Column("value", "值", "text", width=40)
KV_NOTE = Column("note", "说明", "text", required=False, width=60)

PLAN = SheetSpec(
    "plan",
    "计划",
    (
        Column("association_zh", "发文单位", "text", help_zh="发布工作要点的协会全称，如 湖南省计划生育协会"),
        Column("association_en", "英文名称", "text", required=False, help_zh="协会的英文名称（可空）"),
        Column("notice_no", "文号", "text", help_zh="通知的文号，如 湘计生协发〔2023〕2号"),
        Column("notice_title_zh", "通知标题", "text", required=False, help_zh="通知标题，照原文"),
        Column("notice_date", "发文日期", "date", help_zh="年-月-日，如 2023-01-31"),
        Column("plan_year", "计划年度", "int", help_zh="工作要点所属年度，如 2023；所有日期须在该年内"),
        Column("province_code", "省级代码", "text", help_zh="本省的6位行政区划代码，如 430000；目标的地区须在本省内"),
    ),
    keyvalue=True,
    help_zh="每行一项：A列是项目（勿改），B列填值。",
)

SETTINGS = SheetSpec(
    "settings",
    "设置",
    (
        Column(
            "on_track_share",
            "进度正常阈值",
            "number",
            help_zh="实际值达到应达到值的这一比例及以上为“进度正常”，如 0.95（即95%）",
        ),
        Column(
            "at_risk_share",
            "有风险阈值",
            "number",
            help_zh="达到这一比例、但低于进度正常阈值为“有风险”，更低为“滞后”，如 0.80",
        ),
        Column(
            "completion_share",
            "结业比例",
            "number",
            help_zh="培训班结业人数占报名人数低于这一比例时提示跟进，如 0.60",
        ),
    ),
    keyvalue=True,
    help_zh="本协会的评判口径：比例写成0到1之间的小数（0.95即95%）。",
)

AREAS = SheetSpec(
    "areas",
    "领域",
    (
        Column("area_no", "领域序号", "int", help_zh="一、二、三……写成 1、2、3", width=10),
        Column("area_title_zh", "领域标题", "text", help_zh="领域标题，照原文，不含“一、”", width=40),
        Column("area_title_en", "英文标题", "text", help_zh="领域标题的英文", width=40),
    ),
    help_zh="工作要点的各个部分（一、二、三……）。",
)

ITEMS = SheetSpec(
    "items",
    "事项",
    (
        Column("item_no", "事项序号", "int", help_zh="通知中的序号 1、2、3……", width=10),
        Column("area_no", "领域序号", "int", help_zh="所属领域，须在“领域”表中", width=10),
        Column("item_title_zh", "简称", "text", help_zh="图表中显示的简称，不超过14个字", width=22),
        Column("item_title_en", "英文简称", "text", help_zh="简称的英文", width=28),
        Column("text_zh", "原文", "text", help_zh="该事项的全文，照通知原文（序号之后到下一事项之前）", width=80),
        Column("due_date", "完成时限", "date", help_zh="通知写明的时限；未写明的填计划年度的12月31日", width=12),
    ),
    help_zh="通知中编号的每一项工作。",
)

INDICATORS = SheetSpec(
    "indicators",
    "指标",
    (
        Column(
            "indicator_id",
            "指标编号",
            "text",
            help_zh="英文小写字母、数字和下划线，如 childcare_points_open；不得重复",
            width=30,
        ),
        Column("item_no", "事项序号", "int", help_zh="该指标衡量的事项，须在“事项”表中", width=10),
        Column("name_zh", "名称", "text", help_zh="页面上显示的中文名称", width=24),
        Column("name_en", "英文名称", "text", width=28),
        Column("unit_zh", "单位", "text", help_zh="个、元、%、次、人……", width=8),
        Column("unit_en", "英文单位", "text", width=10),
        Column(
            "kind",
            "类型",
            "choice",
            choices=INDICATOR_KINDS,
            help_zh="flow 当期发生量（按月相加）；stock 月末存量；ratio 比率（分子/分母）；milestone 里程碑（完成记1）",
            width=10,
        ),
        Column("numerator_id", "分子指标", "text", required=False, help_zh="仅比率：分子的指标编号", width=26),
        Column("denominator_id", "分母指标", "text", required=False, help_zh="仅比率：分母的指标编号", width=26),
        Column(
            "target_rule",
            "目标规则",
            "choice",
            choices=TARGET_RULES,
            help_zh="total 总量；coverage 覆盖率（0到1）；every_region_at_least 每个地区至少；none 无量化目标",
            width=20,
        ),
        Column(
            "target_level",
            "目标层级",
            "choice",
            required=False,
            choices=TARGET_LEVELS,
            help_zh="仅 every_region_at_least：每个 prefecture（市州）或 county（县市区）都须达到",
            width=12,
        ),
        Column(
            "phasing",
            "分期方式",
            "choice",
            choices=PHASINGS,
            help_zh="linear 按时间线性；step 到期一次；schedule 按进度计划（填“进度计划”表）",
            width=10,
        ),
        Column("phasing_reason_zh", "分期理由", "text", help_zh="为什么这样分期", width=40),
        Column("phasing_reason_en", "英文分期理由", "text", width=40),
        Column(
            "source_table",
            "数据来源",
            "choice",
            choices=INDICATOR_SOURCES,
            help_zh="数值来自哪张报表：progress 进度月报；instructors 指导员；childcare_points 托育点；trainings 培训",
            width=16,
        ),
        Column("is_component", "是否分子分母", "bool", help_zh="是：只作为比率的分子或分母，不单独评判", width=10),
        Column("display_order", "显示顺序", "int", required=False, help_zh="在事项内的顺序；空则按本表行序", width=10),
        Column("definition_zh", "口径", "text", help_zh="统计什么、怎么统计", width=60),
        Column("definition_en", "英文口径", "text", width=60),
    ),
    help_zh="衡量各事项的指标。",
)

TARGETS = SheetSpec(
    "targets",
    "目标",
    (
        Column("indicator_id", "指标编号", "text", help_zh="须在“指标”表中", width=30),
        Column(
            "region_code", "地区代码", "text", help_zh="省、市州或县市区的6位代码，须在地区表中、且在本省内", width=10
        ),
        Column(
            "region_name", "地区名称", "text", required=False, help_zh="可空；填写时须与代码一致（核对用）", width=14
        ),
        Column("target_value", "目标值", "number", help_zh="按指标的单位；覆盖率写0到1（1即100%）", width=12),
        Column("due_date", "完成时限", "date", required=False, help_zh="可空：空则取事项的完成时限", width=12),
        Column(
            "phasing",
            "分期方式",
            "choice",
            required=False,
            choices=PHASINGS,
            help_zh="可空：空则取指标的分期方式",
            width=10,
        ),
        Column(
            "basis",
            "依据",
            "choice",
            choices=TARGET_BASES,
            help_zh="stated 通知原文规定；interpreted 本协会的理解（须填理解说明）",
            width=12,
        ),
        Column("stated_zh", "原文依据", "text", help_zh="目标所依据的通知原话，须是该事项原文的一部分", width=40),
        Column(
            "interpretation_zh", "理解说明", "text", required=False, help_zh="仅 interpreted：本协会如何理解", width=40
        ),
        Column("interpretation_en", "英文理解说明", "text", required=False, width=40),
        Column("note", "附注", "text", required=False, help_zh="如何得出该目标值", width=40),
    ),
    help_zh="每个有量化目标的指标至少一行全省目标；分到市州、县市区的目标可由“分解”表生成，或在此手工填写。",
)

ALLOCATIONS = SheetSpec(
    "allocations",
    "分解",
    (
        Column("indicator_id", "指标编号", "text", help_zh="须在“指标”表中、且在“目标”表中有全省目标", width=30),
        Column(
            "level", "分解到", "choice", choices=ALLOCATION_LEVELS, help_zh="prefecture 市州；county 县市区", width=12
        ),
        Column(
            "method",
            "方法",
            "choice",
            choices=ALLOCATION_METHODS,
            help_zh=(
                "population 按人口比例；even 平均；units 按单位数（参数填 county/township/village）；"
                "indicator 按另一指标的分解比例（参数填其编号）；same 每个地区同一值；manual 在“目标”表手工填写"
            ),
            width=12,
        ),
        Column(
            "parameter",
            "参数",
            "text",
            required=False,
            help_zh="population：人口年份（如2020）；units：单位层级；indicator：指标编号",
            width=24,
        ),
        Column("minimum", "保底", "number", required=False, help_zh="每个地区先分得的数量，余下的再按方法分", width=8),
        Column(
            "value", "每地区值", "number", required=False, help_zh="仅 same：每个地区的值；空则取上级目标值", width=10
        ),
        Column(
            "single_as_step",
            "单个按到期一次",
            "bool",
            required=False,
            help_zh="是：分得1个（不可分）的地区按到期一次（step）评判",
            width=10,
        ),
        Column(
            "interpretation_zh", "理解说明", "text", required=False, help_zh="分解是本协会的理解：写明依据", width=40
        ),
        Column("interpretation_en", "英文理解说明", "text", required=False, width=40),
        Column("note", "附注", "text", required=False, help_zh="分解规则的说明，写入每个生成目标的附注", width=40),
    ),
    help_zh="全省总数如何分到市州、县市区。生成的目标一定加总等于上级目标；县市区不含统计用的管理区、开发区。",
)

SCHEDULES = SheetSpec(
    "schedules",
    "进度计划",
    (
        Column("indicator_id", "指标编号", "text", help_zh="分期方式为 schedule 的目标的指标", width=30),
        Column("region_code", "地区代码", "text", help_zh="该目标的地区", width=10),
        Column("period_end", "月末", "date", help_zh="月末日期，须在计划年度内", width=12),
        Column("cumulative_value", "累计应达到值", "number", help_zh="到该月末累计应达到的值", width=12),
    ),
    help_zh="仅分期方式为 schedule 的目标需要：逐月的累计应达到值。没有则留空。",
)

SHEETS: tuple[SheetSpec, ...] = (PLAN, SETTINGS, AREAS, ITEMS, INDICATORS, TARGETS, ALLOCATIONS, SCHEDULES)
BY_KEY = {s.key: s for s in SHEETS}
INSTRUCTIONS = "填写说明"
