"""A tiny data folder built from code, small enough to work every figure out by hand.

Regions: province 430000; prefectures A = 430100 and B = 430200; counties 430102 and
430103 in A, 430202 in B; a statistical zone 430171 in A, hosted by 430103; one
township each under 430102, 430171 and 430202; villages v1 = 430102001001,
v2 = 430102001002 (county 430102), vz = 430171001001 (zone, reports via 430103) and
vb = 430202001001 (county 430202).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analytics.contract import TABLES

D = dt.date


def _write(data_dir: Path, table: str, rows: list[dict[str, object]]) -> None:
    t = TABLES[table]
    folder = data_dir / t.folder
    folder.mkdir(parents=True, exist_ok=True)
    cols = {f.name: [r.get(f.name) for r in rows] for f in t.schema}
    pq.write_table(pa.table(cols, schema=t.schema), folder / "part-0.parquet")


def _region(
    code: str,
    parent: str | None,
    level: str,
    kind: str,
    name: str,
    pref: str | None,
    county: str | None,
    zone: bool = False,
    host: str | None = None,
) -> dict[str, object]:
    return dict(
        region_code=code,
        parent_code=parent,
        level=level,
        kind=kind,
        name_zh=name,
        name_en=None,
        prefecture_code=pref,
        county_code=county,
        is_stat_zone=zone,
        host_code=host,
    )


REGIONS = [
    _region("430000", None, "province", "province", "湖南省", None, None),
    _region("430100", "430000", "prefecture", "prefecture", "甲市", "430100", None),
    _region("430200", "430000", "prefecture", "prefecture", "乙市", "430200", None),
    _region("430102", "430100", "county", "district", "甲一区", "430100", "430102"),
    _region("430103", "430100", "county", "district", "甲二区", "430100", "430103"),
    _region("430171", "430100", "county", "stat_zone", "甲管理区", "430100", "430103", True, "430103"),
    _region("430202", "430200", "county", "county", "乙县", "430200", "430202"),
    _region("430102001", "430102", "township", "town", "一镇", "430100", "430102"),
    _region("430171001", "430171", "township", "other_township", "农场", "430100", "430103", True),
    _region("430202001", "430202", "township", "town", "乙镇", "430200", "430202"),
    _region("430102001001", "430102001", "village", "village", "一村", "430100", "430102"),
    _region("430102001002", "430102001", "village", "community", "二社区", "430100", "430102"),
    _region("430171001001", "430171001", "village", "other_village", "农场生活区", "430100", "430103", True),
    _region("430202001001", "430202001", "village", "village", "乙村", "430200", "430202"),
]


def _ind(
    iid: str,
    kind: str,
    rule: str,
    *,
    item: int = 1,
    num: str | None = None,
    den: str | None = None,
    level: str | None = None,
    phasing: str = "linear",
    source: str = "progress",
    component: bool = False,
    unit_zh: str = "个",
) -> dict[str, object]:
    return dict(
        indicator_id=iid,
        item_no=item,
        name_zh=iid,
        name_en=iid,
        unit_zh=unit_zh,
        unit_en="n",
        kind=kind,
        numerator_id=num,
        denominator_id=den,
        target_rule=rule,
        target_level=level,
        phasing=phasing,
        phasing_reason_zh=phasing,
        phasing_reason_en=phasing,
        source_table=source,
        is_component=component,
        display_order=1,
        definition_zh=iid,
        definition_en=iid,
    )


INDICATORS = [
    _ind("funds", "flow", "total", unit_zh="元"),
    _ind("points", "stock", "total"),
    _ind("cov", "ratio", "coverage", num="villages_with_2_instructors", den="villages_total", source="instructors"),
    _ind("villages_with_2_instructors", "stock", "none", source="instructors", component=True),
    _ind("villages_total", "stock", "none", source="instructors", component=True),
    _ind("h1_milestone", "milestone", "total", phasing="step"),
    _ind("bases", "flow", "every_region_at_least", level="prefecture", phasing="step"),
    _ind("articles", "flow", "none"),
]


def _t(
    iid: str, code: str, value: float, due: dt.date = dt.date(2023, 12, 31), phasing: str = "linear"
) -> dict[str, object]:
    return dict(
        plan_year=2023,
        indicator_id=iid,
        region_code=code,
        target_value=value,
        due_date=due,
        phasing=phasing,
        basis="stated",
        stated_zh=iid,
        interpretation_zh=None,
        interpretation_en=None,
        note=None,
    )


TARGETS = [
    _t("funds", "430000", 1200),
    _t("funds", "430100", 600),
    _t("funds", "430200", 6000),
    _t("points", "430000", 4),
    _t("cov", "430000", 1.0),
    _t("cov", "430100", 1.0),
    _t("cov", "430200", 1.0),
    _t("h1_milestone", "430000", 1, D(2023, 6, 30), "step"),
    _t("bases", "430000", 2, phasing="step"),
    _t("bases", "430100", 1, phasing="step"),
    _t("bases", "430200", 1, phasing="step"),
]


def _p(iid: str, code: str, month: int, value: float | None) -> dict[str, object]:
    end = (D(2023, month + 1, 1) - dt.timedelta(days=1)) if month < 12 else D(2023, 12, 31)
    return dict(
        plan_year=2023,
        indicator_id=iid,
        region_code=code,
        period_end=end,
        value=value,
        reported_at=end + dt.timedelta(days=5),
    )


PROGRESS = [
    _p("funds", "430102", 1, 100),
    _p("funds", "430102", 2, 100),
    _p("funds", "430103", 2, 50),
    _p("funds", "430202", 1, 300),
    _p("points", "430102", 1, 1),
    _p("points", "430102", 2, 2),
    _p("points", "430103", 1, 3),
    _p("points", "430202", 2, 1),
    _p("points", "430202", 3, 0),
    _p("h1_milestone", "430000", 3, 0),
    _p("h1_milestone", "430000", 5, 1),
    _p("bases", "430102", 3, 1),
    _p("articles", "430102", 1, 7),
]


def _i(code: str, month: int, n: int) -> dict[str, object]:
    row = _p("-", code, month, None)
    return dict(
        plan_year=2023,
        region_code=code,
        period_end=row["period_end"],
        instructors_in_post=n,
        reported_at=row["reported_at"],
    )


INSTRUCTORS = [
    _i("430102001001", 1, 2),
    _i("430102001001", 3, 1),
    _i("430102001002", 2, 3),
    _i("430171001001", 1, 2),
]

PLAN_ITEMS = [
    dict(
        plan_year=2023,
        item_no=1,
        area_no=1,
        area_title_zh="一、甲",
        area_title_en="A",
        item_title_zh="项",
        item_title_en="Item",
        text_zh="1.正文",
        due_date=D(2023, 12, 31),
        has_quantitative_target=True,
    ),
]


def build(data_dir: Path) -> Path:
    """Write the tiny data folder (no childcare points or trainings: those stay absent)."""
    _write(data_dir, "regions", REGIONS)
    _write(data_dir, "indicators", INDICATORS)
    _write(data_dir, "targets", TARGETS)
    _write(data_dir, "progress", PROGRESS)
    _write(data_dir, "instructors", INSTRUCTORS)
    _write(data_dir, "plan_items", PLAN_ITEMS)
    return data_dir
