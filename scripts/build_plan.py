#!/usr/bin/env python
"""Build the 2023 plan tables from the association's notice.

Input (committed): ``data/plan/source/notice_2023.txt``, the cleaned text of
湘计生协发〔2023〕2号 (see ``data/plan/SOURCE.md``).

Output (committed, deterministic, rows sorted by key):

* ``data/plan/plan_items/plan_items.parquet``  - the 33 items, text verbatim
* ``data/plan/indicators/indicators.parquet``  - what is measured for each item
* ``data/plan/targets/targets.parquet``        - plan targets and their allocation
* ``docs/indicators.md``                       - the indicator reference, generated

Usage::

    python scripts/build_plan.py                 # build everything from the cleaned notice
    python scripts/build_plan.py --check         # fail if the committed files are stale
    python scripts/build_plan.py --clean-from RAW.txt
        # first regenerate the cleaned notice from the PDF-to-text file RAW.txt

Everything that is not in the notice (short titles, English, indicator
definitions, the allocation rules) is written by hand below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analytics.contract import (
    INDICATOR_KINDS,
    INDICATOR_SOURCES,
    INDICATORS,
    PHASINGS,
    PLAN_ITEMS,
    TARGET_RULES,
    TARGET_SCHEDULES,
    TARGETS,
)

PLAN_YEAR = 2023
NOTICE = ROOT / "data" / "plan" / "source" / "notice_2023.txt"
OUT_PLAN_ITEMS = ROOT / "data" / "plan" / "plan_items" / "plan_items.parquet"
OUT_INDICATORS = ROOT / "data" / "plan" / "indicators" / "indicators.parquet"
OUT_TARGETS = ROOT / "data" / "plan" / "targets" / "targets.parquet"
# the 2023 plan phases no target by schedule: the table is there, empty, for plans that do
OUT_SCHEDULES = ROOT / "data" / "plan" / "target_schedules" / "target_schedules.parquet"
OUT_DOCS = ROOT / "docs" / "indicators.md"
# docs/indicators.md ends with this line; sections appended below it by hand (a page's own
# rules, e.g. the childcare register rule) are kept when the script writes the file again.
DOCS_HAND_WRITTEN = (
    "<!-- End of the generated part. Sections below are written by hand and kept by scripts/build_plan.py. -->"
)
REGIONS_PARQUET = ROOT / "data" / "reference" / "regions" / "regions.parquet"

YEAR_END = dt.date(PLAN_YEAR, 12, 31)
FIRST_HALF = dt.date(PLAN_YEAR, 6, 30)
PROVINCE = "430000"

# --- geography ---------------------------------------------------------------------------
# The 14 prefecture-level divisions and their resident population at the 7th census
# (2020-11-01). Hard-coded so this script does not depend on the regions table being
# built. Checked against the project's compiled reference
# (prefecture_census_2020.csv, column census_pop_2020; source: 湖南省第七次全国人口普查
# 公报(第二号), http://tjj.hunan.gov.cn/hntj/tjfx/tjgb/pcgbv/202105/t20210519_19050124.html):
# every value equal, and the 14 add up to the province's 66,444,864.
PREFECTURE_POP_2020: dict[str, int] = {
    "430100": 10047914,  # 长沙市
    "430200": 3902738,  # 株洲市
    "430300": 2726181,  # 湘潭市
    "430400": 6645243,  # 衡阳市
    "430500": 6563520,  # 邵阳市
    "430600": 5051922,  # 岳阳市
    "430700": 5279102,  # 常德市
    "430800": 1517027,  # 张家界市
    "430900": 3851564,  # 益阳市
    "431000": 4667134,  # 郴州市
    "431100": 5289824,  # 永州市
    "431200": 4587594,  # 怀化市
    "431300": 3826996,  # 娄底市
    "433100": 2488105,  # 湘西土家族苗族自治州
}
PROVINCE_POP_2020 = 66444864
PREFECTURES = tuple(sorted(PREFECTURE_POP_2020))

# The 122 administrative county-level divisions (市辖区, 县级市, 县, 自治县; NBS codes,
# 2023-06-30, with 祁阳市 431181). The 12 statistical zones (管理区, 开发区 …) are not
# counties and hold no election of their own, so they are not listed.
_COUNTY_CODES = """
    430102 430103 430104 430105 430111 430112 430121 430181 430182
    430202 430203 430204 430211 430212 430223 430224 430225 430281
    430302 430304 430321 430381 430382
    430405 430406 430407 430408 430412 430421 430422 430423 430424 430426 430481 430482
    430502 430503 430511 430522 430523 430524 430525 430527 430528 430529 430581 430582
    430602 430603 430611 430621 430623 430624 430626 430681 430682
    430702 430703 430721 430722 430723 430724 430725 430726 430781
    430802 430811 430821 430822
    430902 430903 430921 430922 430923 430981
    431002 431003 431021 431022 431023 431024 431025 431026 431027 431028 431081
    431102 431103 431122 431123 431124 431125 431126 431127 431128 431129 431181
    431202 431221 431222 431223 431224 431225 431226 431227 431228 431229 431230 431281
    431302 431321 431322 431381 431382
    433101 433122 433123 433124 433125 433126 433127 433130
"""
COUNTIES = tuple(_COUNTY_CODES.split())


def check_geography() -> None:
    assert len(PREFECTURES) == 14, len(PREFECTURES)
    assert sum(PREFECTURE_POP_2020.values()) == PROVINCE_POP_2020
    assert len(COUNTIES) == 122 and len(set(COUNTIES)) == 122, len(COUNTIES)
    assert list(COUNTIES) == sorted(COUNTIES)
    for c in COUNTIES:
        assert c[:4] + "00" in PREFECTURE_POP_2020, c
    if REGIONS_PARQUET.exists():  # cross-check only; the hard-coded lists stay the source
        try:
            t = pq.read_table(REGIONS_PARQUET, columns=["region_code", "level", "is_stat_zone"]).to_pylist()
        except (OSError, pa.ArrowException) as e:  # a table being rebuilt by someone else must not stop us
            print(f"warning: could not read {REGIONS_PARQUET}: {e}", file=sys.stderr)
            return
        pref = {r["region_code"] for r in t if r["level"] == "prefecture"}
        cty = {r["region_code"] for r in t if r["level"] == "county" and not r["is_stat_zone"]}
        if pref != set(PREFECTURES) or cty != set(COUNTIES):
            print(
                "warning: regions.parquet disagrees with the hard-coded codes: "
                f"prefectures only here {sorted(set(PREFECTURES) - pref)}, only there {sorted(pref - set(PREFECTURES))}; "
                f"counties only here {sorted(set(COUNTIES) - cty)}, only there {sorted(cty - set(COUNTIES))}",
                file=sys.stderr,
            )


# --- cleaning the PDF-to-text notice -------------------------------------------------------
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u2018-\u201d"
# Lines of the cover letter that begin a paragraph (compared with spaces removed).
_FRONT_STARTS = (
    "湘计生协发",
    "关于印发",
    "各市州计生协",
    "经省计生协会长同意",
    "2023年是",
    "2023年，全省计生协工作的指导思想",
)
_FRONT_LINES = ("湖南省计划生育协会", "2023年1月31日", "湖南省计划生育协会2023年工作要点")
_HEADING = re.compile(r"^([一二三四五六七八九])、(.+)$")
_ITEM = re.compile(r"^(\d{1,2})\.(?!\d)(.*)$")
_FOOTER = ("湖南省计划生育协会综合处", "校对：")
ATTACHMENT_TITLE = "湖南省计划生育协会2023年工作要点"


def clean_notice(raw: str) -> str:
    """PDF-to-text of the notice -> one paragraph per line, whitespace artefacts removed.

    Only whitespace is removed or changed; every other character is kept as it is
    (checked at the end). Paragraphs are separated by a newline; a blank line separates
    the cover letter, the work points and the printing footer.
    """
    lines = [ln.strip() for ln in raw.splitlines()]
    lines = [ln for ln in lines if ln]
    paragraphs: list[list[str]] = []
    section_breaks: set[int] = set()  # paragraph indices that start a section
    in_body = False  # past the title of the work points
    seen_heading = False  # past the first area heading
    next_item = 1
    for ln in lines:
        compact = re.sub(r"\s+", "", ln)
        start = False
        if compact.startswith(_FOOTER):
            start = True
            if compact.startswith(_FOOTER[0]):
                section_breaks.add(len(paragraphs))
        elif compact == ATTACHMENT_TITLE and not in_body:
            start = True
            in_body = True
            section_breaks.add(len(paragraphs))
        elif not seen_heading and (compact.startswith(_FRONT_STARTS) or compact in _FRONT_LINES):
            start = True
        elif _HEADING.match(compact):
            start = True
            seen_heading = True
        else:
            m = _ITEM.match(compact)
            if m and int(m.group(1)) == next_item:
                start = True
                next_item += 1
        if start or not paragraphs:
            paragraphs.append([ln])
        else:
            paragraphs[-1].append(ln)

    out: list[str] = []
    for i, para in enumerate(paragraphs):
        text = "".join(para)
        if text.startswith(_FOOTER[0]):
            # printed as two fields on one line: office name ... printing date
            text = re.sub(r"\s{2,}", " ", text)
            head, _, tail = text.partition(" ")
            text = re.sub(r"\s+", "", head) + " " + re.sub(r"\s+", "", tail)
        else:
            # The notice has no Latin words: every space inside a paragraph is a PDF
            # artefact (page-break indent, or a font change between digits and hanzi).
            text = re.sub(r"\s+", "", text)
        if i in section_breaks and out:
            out.append("")
        out.append(text)
    cleaned = "\n".join(out) + "\n"
    assert re.sub(r"\s+", "", cleaned) == re.sub(r"\s+", "", raw), "cleaning changed a non-space character"
    assert next_item == 34, f"found items up to {next_item - 1}"
    return cleaned


# --- parsing the cleaned notice ------------------------------------------------------------
@dataclass(frozen=True)
class ParsedItem:
    item_no: int
    area_no: int
    area_title_zh: str
    text_zh: str


def parse_notice(text: str) -> list[ParsedItem]:
    """The 33 items with their area, from the cleaned notice (one paragraph per line)."""
    paras = [p for p in text.splitlines() if p.strip()]
    body = paras[paras.index(ATTACHMENT_TITLE) + 1 :]
    items: list[ParsedItem] = []
    area_no, area_title = 0, ""
    numerals = "一二三四五六七八九"
    for p in body:
        if p.startswith(_FOOTER):
            break
        h = _HEADING.match(p)
        if h:
            area_no = numerals.index(h.group(1)) + 1
            assert area_no == (items[-1].area_no + 1 if items else 1), p
            area_title = h.group(2)
            continue
        m = _ITEM.match(p)
        if m:
            n = int(m.group(1))
            assert n == len(items) + 1, f"item {n} out of order"
            assert area_no, "item before the first area heading"
            items.append(ParsedItem(n, area_no, area_title, m.group(2)))
        elif items:
            raise ValueError(f"paragraph that is neither heading nor item: {p[:30]}…")
        # paragraphs before the first heading are the preamble
    assert len(items) == 33, len(items)
    assert len({i.area_no for i in items}) == 9
    return items


# --- hand-written item data ----------------------------------------------------------------
AREA_TITLES_EN = {
    1: "Study and implement the spirit of the 20th Party Congress",
    2: "Help build a fertility-friendly society",
    3: "Promote family health",
    4: "Youth health education",
    5: "Improve people's well-being through livelihood projects",
    6: "Protect the rights and interests of family-planning families",
    7: "Continue the association's reform and transformation",
    8: "Strengthen capacity building",
    9: "Strengthen publicity and advocacy",
}

# item_no: (item_title_zh, item_title_en)
ITEM_TITLES: dict[int, tuple[str, str]] = {
    1: ("学习宣传贯彻二十大精神", "Study the 20th Congress spirit"),
    2: ("谋划部署重点工作", "Plan the year's key work"),
    3: ("开辟网站专题专栏", "Special web and WeChat columns"),
    4: ("倡导新型婚育观念", "Promote new marriage and childbearing values"),
    5: ("加强人口问题研究", "Population research and fertility support"),
    6: ("建立普惠托育点", "Inclusive childcare points"),
    7: ("托育示范机构创建", "Childcare demonstration campaign"),
    8: ("家庭健康宣传服务", "Family health campaigns"),
    9: ("家庭健康指导员队伍", "Family health instructors"),
    10: ("家庭健康促进行动项目", "Family health promotion project"),
    11: ("预防野生蘑菇中毒宣传", "Wild mushroom poisoning prevention"),
    12: ("青春健康行动计划", "Youth health action plan"),
    13: ("青春健康三湘行", "Youth health Sanxiang tour"),
    14: ("青春健康队伍和阵地", "Youth health bases and trainers"),
    15: ("深入开展暖心行动", "Warm-heart action for special families"),
    16: ("计生家庭帮扶项目", "Support projects for families"),
    17: ("项目资金管理与绩效评价", "Fund management and evaluation"),
    18: ("生育关怀专项基金", "Fertility care fund"),
    19: ("申报国家项目", "Apply for national projects"),
    20: ("法律援助与维权", "Legal aid and rights protection"),
    21: ("流动人口服务", "Services for migrants"),
    22: ("流动人口现场观摩会", "Migrant services meeting and study trips"),
    23: ("省市县三级换届", "Elections at three levels"),
    24: ("综合调研与督导", "Research visits and supervision"),
    25: ("承接政府转移职能", "Take over government service functions"),
    26: ("基金会公益平台", "Foundation as a charity platform"),
    27: ("扩大组织覆盖面", "Associations in hospitals"),
    28: ("能力建设培训班", "Capacity-building class"),
    29: ("吸纳专业人才", "Recruit professionals"),
    30: ("发挥阵地作用", "Use service venues"),
    31: ("主题宣传活动", "Theme-day campaigns"),
    32: ("网上计生协建设", "Online association"),
    33: ("会刊《人生》活动", "Magazine 《人生》 activities"),
}

# Items whose text names a first-half deadline (上半年). Item 14's youth trainer class is
# 下半年 (second half), which ends with the year, so item 14 keeps 2023-12-31.
ITEM_DUE: dict[int, dt.date] = {7: FIRST_HALF, 17: FIRST_HALF}


# --- hand-written indicators ---------------------------------------------------------------
@dataclass(frozen=True)
class Ind:
    id: str
    item_no: int
    kind: str
    rule: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    def_zh: str
    def_en: str
    source: str = "progress"
    target: float | None = None  # province total / coverage share / value each region must reach
    level: str | None = None  # every_region_at_least: prefecture | county
    numerator: str | None = None
    denominator: str | None = None
    component: bool = False
    due: dt.date | None = None  # overrides the item's due date


_SPECIAL_FAMILY_ZH = "计生特殊家庭（独生子女死亡或伤残的家庭）"
_SPECIAL_FAMILY_EN = "special families (family-planning families whose only child has died or is disabled)"

INDICATOR_LIST: tuple[Ind, ...] = (
    # --- item 3 --------------------------------------------------------------------------
    Ind(
        "web_special_column_opened",
        3,
        "milestone",
        "total",
        "开辟专题专栏",
        "Special column opened",
        "个",
        "columns",
        "省计生协在门户网站、微信公众号开辟学习宣传贯彻党的二十大精神专题专栏：开设后记1，未开设记0。省级一次性事项。",
        "1 once the provincial association has opened a special column on studying and implementing the spirit of the 20th Party Congress on its website and WeChat official account, 0 before. A one-off provincial milestone.",
        target=1,
    ),
    Ind(
        "publicity_articles",
        3,
        "flow",
        "none",
        "专题宣传文章",
        "Articles published",
        "篇",
        "articles",
        "当月在各级计生协网站、微信公众号专题专栏发布的学习宣传贯彻党的二十大精神的文章篇数，按发布的计生协所在地区计。",
        "Articles on studying and implementing the spirit of the 20th Party Congress published in the month in the special columns of association websites and WeChat accounts at any level, counted in the region of the publishing association.",
    ),
    # --- item 6 --------------------------------------------------------------------------
    Ind(
        "childcare_points_open",
        6,
        "stock",
        "total",
        "普惠托育点（已开放）",
        "Inclusive childcare points open",
        "个",
        "points",
        "月末处于开放状态的2023年计划资助的普惠托育点个数：childcare_points 中 plan_year=2023、opened_on 不晚于月末、且未在月末前关闭（closed_on 为空或晚于月末）的托育点。计划中、建设中的不计。",
        "Inclusive childcare points funded by the 2023 plan that are open at month end: childcare_points rows with plan_year 2023, opened_on on or before the month end and no closed_on on or before it. Planned points and points under construction do not count.",
        source="childcare_points",
        target=20,
    ),
    Ind(
        "childcare_funds_yuan",
        6,
        "flow",
        "total",
        "普惠托育项目资金",
        "Childcare project funds paid",
        "元",
        "yuan",
        "当期拨付给2023年普惠托育点的项目资金（元）：childcare_points 中 plan_year=2023 的 subsidy_yuan，按 subsidy_paid_on 所在月份计入；未拨付（subsidy_paid_on 为空）的不计。",
        "Project funds paid to 2023 inclusive childcare points in the period, in yuan: subsidy_yuan of childcare_points rows with plan_year 2023, counted in the month of subsidy_paid_on; funds granted but not yet paid (no subsidy_paid_on) do not count.",
        source="childcare_points",
        target=1_000_000,
    ),
    Ind(
        "childcare_places",
        6,
        "stock",
        "none",
        "普惠托育点托位数",
        "Places in open childcare points",
        "个",
        "places",
        "月末已开放的2023年普惠托育点（同 childcare_points_open 的口径）提供的0-3岁婴幼儿托位数（places）之和。",
        "Childcare places for children aged 0-3 (places) in the 2023 inclusive childcare points open at month end (the points counted by childcare_points_open).",
        source="childcare_points",
    ),
    # --- item 7 --------------------------------------------------------------------------
    Ind(
        "childcare_demo_institutions",
        7,
        "milestone",
        "total",
        "普惠托育服务示范机构创建",
        "Demonstration childcare institutions created",
        "项",
        "milestone",
        "省计生协联合省卫生健康委在全省开展的普惠托育服务示范机构创建活动完成、示范机构名单确定后记1，之前记0。省级事项，上半年（6月30日前）完成。",
        "1 once the campaign run with the Provincial Health Commission to create demonstration inclusive childcare institutions is complete and the demonstration institutions are named, 0 before. Provincial milestone due in the first half (by 30 June).",
        target=1,
    ),
    Ind(
        "caring_employers",
        7,
        "milestone",
        "total",
        "爱心托育用人单位创建",
        "Caring employers created",
        "项",
        "milestone",
        "省计生协联合省卫生健康委开展的爱心托育用人单位创建活动完成、爱心托育用人单位名单确定后记1，之前记0。省级事项，上半年（6月30日前）完成。",
        "1 once the campaign run with the Provincial Health Commission to create 'caring childcare employers' (爱心托育用人单位) is complete and the employers are named, 0 before. Provincial milestone due in the first half (by 30 June).",
        target=1,
    ),
    # --- item 8 --------------------------------------------------------------------------
    Ind(
        "health_campaign_events",
        8,
        "flow",
        "none",
        "家庭健康宣传服务活动",
        "Family health campaign events",
        "场",
        "events",
        "当月开展的“健康知识进万家”“好家风·健康行”等家庭健康宣传服务活动场次。",
        "Family health publicity and service events held in the month under the 'Health knowledge into every home' (健康知识进万家) and 'Good family tradition, healthy living' (好家风·健康行) campaigns and similar.",
    ),
    # --- item 9 --------------------------------------------------------------------------
    Ind(
        "instructor_coverage",
        9,
        "ratio",
        "coverage",
        "村（社区）家庭健康指导员配备率",
        "Villages with 2+ family health instructors",
        "%",
        "%",
        "有2名及以上家庭健康指导员的村（社区）数 ÷ 村（社区）总数（villages_with_2_instructors ÷ villages_total）。汇总时分子、分母分别加总后相除，不对百分比求平均。目标：全省及各市州100%。",
        "Village-level units with at least 2 family health instructors divided by all village-level units (villages_with_2_instructors / villages_total). Aggregated as sum of numerators over sum of denominators, never as a mean of percentages. Target: 100% in the province and in every prefecture.",
        source="instructors",
        target=1.0,
        numerator="villages_with_2_instructors",
        denominator="villages_total",
    ),
    Ind(
        "instructor_trainer_class_held",
        9,
        "milestone",
        "total",
        "家庭健康指导员师资培训班",
        "Instructor trainer class held",
        "期",
        "classes",
        "省计生协举办的家庭健康指导员师资培训班（trainings 中 kind=instructor_trainer、level=province）已举办（status=held）记1，之前记0。",
        "1 once the provincial family health instructor trainer class (trainings with kind instructor_trainer and level province) has been held (status held), 0 before.",
        source="trainings",
        target=1,
    ),
    Ind(
        "villages_with_2_instructors",
        9,
        "stock",
        "none",
        "有2名以上指导员的村（社区）",
        "Villages with 2+ instructors",
        "个",
        "villages",
        "月末在岗家庭健康指导员（instructors_in_post）不少于2名的村级单位（村、社区及其他村级单位）个数。配备率的分子。",
        "Village-level units (villages, communities and other village-level units) with at least 2 family health instructors in post (instructors_in_post) at month end. Numerator of instructor_coverage.",
        source="instructors",
        component=True,
    ),
    Ind(
        "villages_total",
        9,
        "stock",
        "none",
        "村（社区）总数",
        "All villages and communities",
        "个",
        "villages",
        "地区内全部村级单位个数：区划表（regions）中 level=village 的所有村、社区及其他村级单位，无论是否报送；未报送的村按未达标计。配备率的分母。",
        "All village-level units in the region: every unit with level village in the regions table (villages, communities and other village-level units), whether or not it reported; a unit that did not report counts as not covered. Denominator of instructor_coverage.",
        source="instructors",
        component=True,
    ),
    # --- item 10 -------------------------------------------------------------------------
    Ind(
        "family_health_funds_yuan",
        10,
        "flow",
        "total",
        "家庭健康促进行动项目资金",
        "Family health promotion project funds",
        "元",
        "yuan",
        "当期投入（拨付到项目单位）的家庭健康促进行动项目资金（元），用于支持基层建立家庭健康阵地和开展相关服务活动，按拨付月份计入。",
        "Family health promotion action project funds spent (paid to the implementing units) in the period, in yuan, for setting up family health venues and running related services; counted in the month of payment.",
        target=2_000_000,
    ),
    # --- item 11 -------------------------------------------------------------------------
    Ind(
        "mushroom_poisoning_campaign_events",
        11,
        "flow",
        "none",
        "预防野生蘑菇中毒宣传活动",
        "Mushroom poisoning prevention events",
        "场",
        "events",
        "当月协助开展的预防野生蘑菇中毒宣传活动场次。",
        "Publicity events on preventing wild mushroom poisoning held (or assisted) in the month.",
    ),
    # --- item 12 -------------------------------------------------------------------------
    Ind(
        "youth_programme_sessions",
        12,
        "flow",
        "none",
        "青春健康项目活动",
        "Youth health programme sessions",
        "场",
        "sessions",
        "当月开展的青春健康项目活动场次：中小学“成长之道”、高校“同伴教育”、社区“家长沟通之道”等。",
        "Youth health programme sessions held in the month: 'Way of growing up' (成长之道) in primary and secondary schools, peer education (同伴教育) in universities, 'Way of talking with parents' (家长沟通之道) in communities, and similar.",
    ),
    # --- item 13 -------------------------------------------------------------------------
    Ind(
        "youth_sanxiang_events",
        13,
        "flow",
        "none",
        "“青春健康三湘行”活动",
        "Youth health Sanxiang tour events",
        "场",
        "events",
        "当月联合多部门开展的“青春健康三湘行”宣传服务活动场次。",
        "Publicity and service events of the 'Youth health Sanxiang tour' (青春健康三湘行) held with other departments in the month.",
    ),
    # --- item 14 -------------------------------------------------------------------------
    Ind(
        "youth_demo_bases_new",
        14,
        "flow",
        "every_region_at_least",
        "新建青春健康教育示范基地",
        "New youth health demonstration bases",
        "个",
        "bases",
        "2023年新建成（认定）的青春健康教育示范基地个数，按建成月份计入。目标：每个市州至少新建1个；全省目标为达标市州数（14个）。",
        "Youth health education demonstration bases newly built (recognised) in 2023, counted in the month they are completed. Target: at least 1 new base in every prefecture; the province's target is the number of prefectures that reach it (14).",
        target=1,
        level="prefecture",
    ),
    Ind(
        "youth_trainer_class_held",
        14,
        "milestone",
        "total",
        "青春健康师资培训班",
        "Youth health trainer class held",
        "期",
        "classes",
        "省计生协举办的青春健康师资培训班（trainings 中 kind=youth_trainer、level=province）已举办（status=held）记1，之前记0。通知安排在下半年（7-12月）举办。",
        "1 once the provincial youth health trainer class (trainings with kind youth_trainer and level province) has been held (status held), 0 before. The notice schedules it for the second half of the year (July-December).",
        source="trainings",
        target=1,
    ),
    # --- item 15 -------------------------------------------------------------------------
    Ind(
        "special_family_contact_coverage",
        15,
        "ratio",
        "coverage",
        "特殊家庭联系人制度覆盖率",
        "Special families with a contact person",
        "%",
        "%",
        f"落实联系人的{_SPECIAL_FAMILY_ZH}户数 ÷ 计生特殊家庭总户数（special_families_with_contact ÷ special_families_total），分子、分母分别加总后相除。“三个全覆盖”之一，目标100%。",
        f"Share of {_SPECIAL_FAMILY_EN} with an assigned contact person (special_families_with_contact / special_families_total), aggregated as sum over sum. One of the 'three full coverages'; target 100%.",
        target=1.0,
        numerator="special_families_with_contact",
        denominator="special_families_total",
    ),
    Ind(
        "special_family_green_channel_coverage",
        15,
        "ratio",
        "coverage",
        "特殊家庭就医绿色通道覆盖率",
        "Special families with a medical green channel",
        "%",
        "%",
        "享受就医“绿色通道”服务的计生特殊家庭户数 ÷ 计生特殊家庭总户数（special_families_green_channel ÷ special_families_total），分子、分母分别加总后相除。“三个全覆盖”之一，目标100%。",
        "Share of special families covered by the medical 'green channel' (priority access to hospital care) (special_families_green_channel / special_families_total), aggregated as sum over sum. One of the 'three full coverages'; target 100%.",
        target=1.0,
        numerator="special_families_green_channel",
        denominator="special_families_total",
    ),
    Ind(
        "special_family_doctor_coverage",
        15,
        "ratio",
        "coverage",
        "特殊家庭家庭医生签约覆盖率",
        "Special families with a family doctor contract",
        "%",
        "%",
        "签约家庭医生服务的计生特殊家庭户数 ÷ 计生特殊家庭总户数（special_families_doctor_contract ÷ special_families_total），分子、分母分别加总后相除。“三个全覆盖”之一，目标100%。",
        "Share of special families with a signed family doctor service contract (special_families_doctor_contract / special_families_total), aggregated as sum over sum. One of the 'three full coverages'; target 100%.",
        target=1.0,
        numerator="special_families_doctor_contract",
        denominator="special_families_total",
    ),
    Ind(
        "warm_homes_built",
        15,
        "flow",
        "none",
        "新建暖心家园",
        "Warm homes built",
        "个",
        "homes",
        "当月新建成并投入使用的暖心家园（计生特殊家庭活动和帮扶阵地）个数。",
        "Warm homes (暖心家园: venues for activities and support for special families) newly built and put into use in the month.",
    ),
    Ind(
        "special_families_with_contact",
        15,
        "stock",
        "none",
        "落实联系人的特殊家庭",
        "Special families with a contact person",
        "户",
        "households",
        "月末已落实联系人的计生特殊家庭户数。联系人覆盖率的分子。",
        "Special families with an assigned contact person at month end. Numerator of special_family_contact_coverage.",
        component=True,
    ),
    Ind(
        "special_families_green_channel",
        15,
        "stock",
        "none",
        "享受就医绿色通道的特殊家庭",
        "Special families with a green channel",
        "户",
        "households",
        "月末享受就医“绿色通道”服务的计生特殊家庭户数。绿色通道覆盖率的分子。",
        "Special families covered by the medical green channel at month end. Numerator of special_family_green_channel_coverage.",
        component=True,
    ),
    Ind(
        "special_families_doctor_contract",
        15,
        "stock",
        "none",
        "签约家庭医生的特殊家庭",
        "Special families with a family doctor",
        "户",
        "households",
        "月末签约家庭医生服务（签约在有效期内）的计生特殊家庭户数。家庭医生签约覆盖率的分子。",
        "Special families with a family doctor service contract in force at month end. Numerator of special_family_doctor_coverage.",
        component=True,
    ),
    Ind(
        "special_families_total",
        15,
        "stock",
        "none",
        "计生特殊家庭总户数",
        "Special families",
        "户",
        "households",
        f"月末在册的{_SPECIAL_FAMILY_ZH}户数。三项覆盖率的共同分母。",
        f"Registered {_SPECIAL_FAMILY_EN} at month end. Common denominator of the three coverage ratios.",
        component=True,
    ),
    # --- item 16 -------------------------------------------------------------------------
    Ind(
        "livelihood_project_funds_yuan",
        16,
        "flow",
        "none",
        "民生项目资金发放",
        "Livelihood project funds paid",
        "元",
        "yuan",
        "当期发放的计生家庭帮扶项目资金（元）：计生特殊家庭住院护理补贴、健康保险、计生“三结合”、创业贷款贴息、幸福工程、“金秋助学”、计生综合保险、精准帮扶等，按发放月份计入。",
        "Support project funds paid to family-planning families in the period, in yuan: hospital nursing subsidies for special families, health insurance, 'three combinations' (三结合), business loan interest subsidies, Happiness Project (幸福工程), 'Golden autumn' student aid (金秋助学), comprehensive family-planning insurance, targeted assistance and similar; counted in the month paid.",
    ),
    Ind(
        "livelihood_beneficiaries",
        16,
        "flow",
        "none",
        "民生项目受益人次",
        "Livelihood project beneficiaries",
        "人次",
        "person-times",
        "当期从上述计生家庭帮扶项目获得资金或服务的人次；同一人在不同月份或不同项目受益分别计。",
        "People receiving funds or services from the support projects above in the period, as person-times: a person who benefits in several months or from several projects counts each time.",
    ),
    # --- item 17 -------------------------------------------------------------------------
    Ind(
        "fund_performance_evaluation_done",
        17,
        "milestone",
        "total",
        "省级财政专项资金绩效评价",
        "Fund performance evaluation done",
        "项",
        "milestone",
        "省级财政专项资金绩效评价工作完成（评价报告形成）后记1，之前记0。省级事项，上半年（6月30日前）完成。",
        "1 once the performance evaluation of the provincial special fiscal funds is complete (evaluation report issued), 0 before. Provincial milestone due in the first half (by 30 June).",
        target=1,
    ),
    # --- item 18 -------------------------------------------------------------------------
    Ind(
        "fertility_care_fund_yuan",
        18,
        "flow",
        "none",
        "生育关怀专项基金投入",
        "Fertility care fund spending",
        "元",
        "yuan",
        "当期生育关怀专项基金项目（含生育关怀—计生保险保障惠民活动）投入的资金（元），含联合省人口健康福利基金会、保险公司和社会力量筹集的资金，按支出月份计入。",
        "Money spent in the period by the fertility care special fund projects (including the fertility care / family-planning insurance benefit campaign), in yuan, including funds raised with the Provincial Population Health Welfare Foundation, insurers and other partners; counted in the month spent.",
    ),
    # --- item 19 -------------------------------------------------------------------------
    Ind(
        "national_projects_applied",
        19,
        "flow",
        "none",
        "申报国家项目",
        "National projects applied for",
        "个",
        "projects",
        "当月向中国计生协等国家层面申报的项目个数，按申报月份计入。",
        "Projects applied for at national level (China Family Planning Association and others) in the month, counted in the month of application.",
    ),
    # --- item 20 -------------------------------------------------------------------------
    Ind(
        "legal_aid_cases",
        20,
        "flow",
        "none",
        "法律援助案件",
        "Legal aid cases",
        "件",
        "cases",
        "当月为计生家庭受理的法律援助和维权案件数。",
        "Legal aid and rights-protection cases taken on for family-planning families in the month.",
    ),
    # --- item 21 -------------------------------------------------------------------------
    Ind(
        "migrant_service_events",
        21,
        "flow",
        "none",
        "流动人口服务活动",
        "Migrant service events",
        "场",
        "events",
        "当月面向流动人口开展的服务活动场次，含新市民健康行动和跨区域协作活动。",
        "Service events for the migrant population held in the month, including the New Citizens' Health Action (新市民健康行动) and cross-regional cooperation activities.",
    ),
    # --- item 22 -------------------------------------------------------------------------
    Ind(
        "migrant_observation_meeting_held",
        22,
        "milestone",
        "total",
        "流动人口服务现场观摩会",
        "Migrant services observation meeting held",
        "次",
        "meetings",
        "省计生协召开流动人口服务现场观摩会后记1，之前记0。",
        "1 once the provincial association has held the on-site observation meeting on services for the migrant population, 0 before.",
        target=1,
    ),
    Ind(
        "study_trips_held",
        22,
        "milestone",
        "total",
        "赴外省交流学习",
        "Study trips made",
        "次",
        "trips",
        "组织相关人员赴浙江、广东等地交流学习已完成的次数：每完成一次记1，目标2次。",
        "Study trips to Zhejiang, Guangdong and other provinces completed; each trip counts 1, target 2.",
        target=2,
    ),
    # --- item 23 -------------------------------------------------------------------------
    Ind(
        "election_province_held",
        23,
        "milestone",
        "total",
        "省计生协换届",
        "Provincial association election held",
        "次",
        "elections",
        "省计生协完成换届（召开代表大会选举产生新一届领导班子）后记1，之前记0。",
        "1 once the provincial association has held its leadership election (congress electing the new leadership), 0 before.",
        target=1,
    ),
    Ind(
        "election_prefecture_held",
        23,
        "milestone",
        "every_region_at_least",
        "市州计生协换届",
        "Prefecture association elections held",
        "次",
        "elections",
        "市州计生协完成换届后该市州记1，之前记0。目标：14个市州均完成；全省目标为完成换届的市州数（14个）。",
        "1 for a prefecture once its association has held its leadership election, 0 before. Target: all 14 prefectures; the province's target is the number of prefectures that have held it (14).",
        target=1,
        level="prefecture",
    ),
    Ind(
        "election_county_held",
        23,
        "milestone",
        "every_region_at_least",
        "县市区计生协换届",
        "County association elections held",
        "次",
        "elections",
        "县市区计生协完成换届后该县市区记1，之前记0。目标：122个县市区均完成；全省目标为完成换届的县市区数（122个）。统计性管理区不单独计。",
        "1 for a county once its association has held its leadership election, 0 before. Target: all 122 administrative counties; the province's target is the number of counties that have held it (122). Statistical zones are not counted separately.",
        target=1,
        level="county",
    ),
    # --- item 24 -------------------------------------------------------------------------
    Ind(
        "president_visits",
        24,
        "milestone",
        "every_region_at_least",
        "会长带队赴市州调研",
        "President's research visits",
        "次",
        "visits",
        "省计生协会长带队到该市州开展考察调研后该市州记1，之前记0。目标：14个市州均到；全省目标为已调研的市州数（14个）。",
        "1 for a prefecture once the provincial association's president has led a research and inspection visit there, 0 before. Target: every prefecture; the province's target is the number of prefectures visited (14).",
        target=1,
        level="prefecture",
    ),
    Ind(
        "presidents_forum_held",
        24,
        "milestone",
        "total",
        "市州计生协会长座谈会",
        "Prefecture presidents' forum held",
        "次",
        "meetings",
        "省计生协召开市州计生协会长座谈会后记1，之前记0。",
        "1 once the provincial association has held the forum of prefecture association presidents, 0 before.",
        target=1,
    ),
    # --- item 25 -------------------------------------------------------------------------
    Ind(
        "service_functions_taken_over",
        25,
        "flow",
        "none",
        "承接政府转移职能",
        "Government service functions taken over",
        "项",
        "functions",
        "当月新承接的政府转移的群众性服务职能项数（以协议、委托或购买服务合同为准）。",
        "Public service functions transferred from government and newly taken over by the association in the month (by agreement, mandate or service purchase contract).",
    ),
    # --- item 26 -------------------------------------------------------------------------
    Ind(
        "foundation_projects",
        26,
        "flow",
        "none",
        "基金会新拓展项目",
        "Foundation projects started",
        "个",
        "projects",
        "当月省人口健康福利基金会在人口、健康等领域新启动（签约立项）的公益项目个数。",
        "Charity projects in population, health and related fields newly started (agreed) by the Provincial Population Health Welfare Foundation in the month.",
    ),
    # --- item 27 -------------------------------------------------------------------------
    Ind(
        "hospital_associations_new",
        27,
        "flow",
        "none",
        "医疗机构新建计生协",
        "Associations set up in hospitals",
        "个",
        "associations",
        "当月在公立医院和相关医疗卫生服务机构新建立的计生协组织个数。",
        "Family planning associations newly set up in public hospitals and other health service institutions in the month.",
    ),
    # --- item 28 -------------------------------------------------------------------------
    Ind(
        "capacity_class_held",
        28,
        "milestone",
        "total",
        "计生协工作者能力建设培训班",
        "Capacity-building class held",
        "期",
        "classes",
        "省计生协举办的覆盖市县两级的计生协工作者能力建设培训班（trainings 中 kind=capacity_building、level=province）已举办（status=held）记1，之前记0。",
        "1 once the provincial capacity-building class for association workers at prefecture and county level (trainings with kind capacity_building and level province) has been held (status held), 0 before.",
        source="trainings",
        target=1,
    ),
    # --- item 29 -------------------------------------------------------------------------
    Ind(
        "professionals_recruited",
        29,
        "flow",
        "none",
        "吸纳专业人才",
        "Professionals recruited",
        "人",
        "people",
        "当月新吸纳加入计生协组织的专业人才人数：卫生健康专业人才、社工、大学生村官、热心公益的致富带头人、行业领军人等。",
        "Professionals newly recruited as association members in the month: health professionals, social workers, college-graduate village officials, public-spirited entrepreneurs, industry leaders and similar.",
    ),
    # --- item 30 -------------------------------------------------------------------------
    Ind(
        "venue_service_events",
        30,
        "flow",
        "none",
        "阵地宣传服务活动",
        "Venue service events",
        "场",
        "events",
        "当月依托会员之家、宣传服务窗口、暖心家园、健康小屋等阵地开展的宣传服务活动场次。",
        "Publicity and service events held in the month at association venues: member homes (会员之家), service windows, warm homes (暖心家园), health huts (健康小屋) and similar.",
    ),
    # --- item 31 -------------------------------------------------------------------------
    Ind(
        "member_day_events",
        31,
        "milestone",
        "every_region_at_least",
        "“5.29会员活动日”宣传服务月活动",
        "5.29 member day campaign held",
        "次",
        "campaigns",
        "市州开展“5.29会员活动日”集中宣传服务月活动后该市州记1，之前记0；5月31日前完成。全省目标为已开展的市州数（14个）。",
        "1 for a prefecture once it has run its '5.29 member day' publicity and service month, 0 before; due by 31 May. The province's target is the number of prefectures that have run it (14).",
        target=1,
        level="prefecture",
        due=dt.date(PLAN_YEAR, 5, 31),
    ),
    Ind(
        "world_population_day_events",
        31,
        "flow",
        "none",
        "7.11世界人口日活动",
        "World Population Day events",
        "场",
        "events",
        "当月围绕7.11世界人口日开展的宣传服务活动场次。",
        "Publicity and service events held in the month for World Population Day (11 July).",
    ),
    Ind(
        "world_aids_day_events",
        31,
        "flow",
        "none",
        "12.1世界艾滋病日活动",
        "World AIDS Day events",
        "场",
        "events",
        "当月围绕12.1世界艾滋病日开展的宣传服务活动场次。",
        "Publicity and service events held in the month for World AIDS Day (1 December).",
    ),
    # --- item 32 -------------------------------------------------------------------------
    Ind(
        "online_posts",
        32,
        "flow",
        "none",
        "网站和微信公众号发布信息",
        "Online posts",
        "条",
        "posts",
        "当月在计生协网站、微信公众号发布的信息条数，按发布的计生协所在地区计。",
        "Posts published in the month on association websites and WeChat official accounts, counted in the region of the publishing association.",
    ),
    # --- item 33 -------------------------------------------------------------------------
    Ind(
        "magazine_activities",
        33,
        "flow",
        "none",
        "“学《人生》、用《人生》”活动",
        "Magazine 《人生》 activities",
        "场",
        "activities",
        "当月开展的“学《人生》、用《人生》”会刊学习使用活动场次。",
        "Activities in the month for reading and using the association's magazine 《人生》 ('Study 《人生》, use 《人生》').",
    ),
)


def indicator_due(ind: Ind) -> dt.date:
    return ind.due or ITEM_DUE.get(ind.item_no, YEAR_END)


# Phasing of each judged indicator's targets, with the reason (docs/indicators.md, "Phasing").
# linear: a divisible amount that can grow through the year (时间过半、任务过半); step: an
# indivisible one-off, of which nothing is expected before its due date.
_STEP_EVENT = (
    "一次性事项（{what}），不可分：到期前不预期完成，到期时须完成。",
    "A one-off ({what_en}) cannot be split: nothing is expected before its due date, all of it on that date.",
)


def _step(what_zh: str, what_en: str) -> tuple[str, str, str]:
    """A one-off's phasing and its reason, naming the one-off."""
    zh, en = _STEP_EVENT
    return ("step", zh.format(what=what_zh), en.format(what_en=what_en))


PHASING: dict[str, tuple[str, str, str]] = {
    "web_special_column_opened": _step("开设专题专栏", "opening a special column"),
    "childcare_points_open": (
        "linear",
        "全省20个托育点可在年内陆续开放，按时间进度线性折算，应有数取整（不预期“9.9个点”）；分到市州只有1个点的，不可分，按到期一次（step）。",
        "The province's 20 points can open one after another through the year: expected grows linearly, rounded down to whole points (never '9.9 points expected'). A prefecture allocated a single point cannot split it: its target is a step at the due date.",
    ),
    "childcare_funds_yuan": (
        "linear",
        "资金可分批拨付，按时间进度线性折算（时间过半、任务过半）。",
        "Funds can be paid in instalments: expected grows linearly with time elapsed.",
    ),
    "childcare_demo_institutions": _step("一次创建活动，上半年完成", "one campaign, due in the first half"),
    "caring_employers": _step("一次创建活动，上半年完成", "one campaign, due in the first half"),
    "instructor_coverage": (
        "linear",
        "覆盖率随各村（社区）配齐指导员逐步提高：从1月末已报水平线性增长到年底100%。",
        "Coverage rises as villages get their instructors: expected grows linearly from the level reported at the end of January to 100% at the year's end.",
    ),
    "instructor_trainer_class_held": _step("举办一期培训班", "holding one class"),
    "family_health_funds_yuan": (
        "linear",
        "资金可分批投入，按时间进度线性折算（时间过半、任务过半）。",
        "Funds can be spent in instalments: expected grows linearly with time elapsed.",
    ),
    "youth_demo_bases_new": _step("每个市州新建一个基地", "one new base in each prefecture"),
    "youth_trainer_class_held": _step("下半年举办一期培训班", "one class in the second half"),
    "special_family_contact_coverage": (
        "linear",
        "覆盖率逐户提高：从1月末已报水平线性增长到年底100%。",
        "Coverage rises family by family: expected grows linearly from the level reported at the end of January to 100% at the year's end.",
    ),
    "special_family_green_channel_coverage": (
        "linear",
        "覆盖率逐户提高：从1月末已报水平线性增长到年底100%。",
        "Coverage rises family by family: expected grows linearly from the level reported at the end of January to 100% at the year's end.",
    ),
    "special_family_doctor_coverage": (
        "linear",
        "覆盖率逐户提高：从1月末已报水平线性增长到年底100%。",
        "Coverage rises family by family: expected grows linearly from the level reported at the end of January to 100% at the year's end.",
    ),
    "fund_performance_evaluation_done": _step("上半年完成一次绩效评价", "one evaluation in the first half"),
    "migrant_observation_meeting_held": _step("召开一次观摩会", "one meeting"),
    "study_trips_held": _step("赴浙江、广东的学习考察", "study trips to Zhejiang and Guangdong"),
    "election_province_held": _step("一次换届", "one election"),
    "election_prefecture_held": _step("每个市州一次换届", "one election in each prefecture"),
    "election_county_held": _step("每个县市区一次换届", "one election in each county"),
    "president_visits": _step("会长赴每个市州调研一次", "one president's visit to each prefecture"),
    "presidents_forum_held": _step("召开一次座谈会", "one forum"),
    "capacity_class_held": _step("举办一期培训班", "holding one class"),
    "member_day_events": _step("“5.29会员活动日”集中宣传服务月", "the 29 May member day's campaign month"),
}
_UNJUDGED = ("linear", "无量化目标，只跟踪、不评判。", "No quantitative target: tracked, never judged.")


def phasing(ind: Ind) -> tuple[str, str, str]:
    """(phasing, reason in Chinese, reason in English) of an indicator's targets."""
    return PHASING.get(ind.id, _UNJUDGED)


# What each target rests on: the notice's own words, and where the association reads more into
# them than they say (a count, a scope or a date the notice leaves open), its interpretation.
# indicator id → (the notice's words, interpretation zh, interpretation en); None: stated as written.
BASIS: dict[str, tuple[str, str | None, str | None]] = {
    "web_special_column_opened": ("开辟专题专栏", None, None),
    "childcare_points_open": ("投入100万项目资金在全省建立20个普惠托育点", None, None),
    "childcare_funds_yuan": ("投入100万项目资金在全省建立20个普惠托育点", None, None),
    "childcare_demo_institutions": (
        "上半年联合省卫生健康委在全省开展普惠托育服务示范机构和爱心托育用人单位创建活动",
        None,
        None,
    ),
    "caring_employers": ("上半年联合省卫生健康委在全省开展普惠托育服务示范机构和爱心托育用人单位创建活动", None, None),
    "instructor_coverage": ("2023年，全省100%的村（社区）均有2名以上家庭健康指导员", None, None),
    "instructor_trainer_class_held": ("举办家庭健康指导员师资培训班", None, None),
    "family_health_funds_yuan": ("投入200万资金在全省实施家庭健康促进行动项目", None, None),
    "youth_demo_bases_new": ("每个市州至少新建一个青春健康教育示范基地", None, None),
    "youth_trainer_class_held": ("下半年举办一次青春健康师资培训班", None, None),
    "special_family_contact_coverage": ("实现联系人制度、就医“绿色通道”和家庭医生签约服务“三个全覆盖”", None, None),
    "special_family_green_channel_coverage": (
        "实现联系人制度、就医“绿色通道”和家庭医生签约服务“三个全覆盖”",
        None,
        None,
    ),
    "special_family_doctor_coverage": ("实现联系人制度、就医“绿色通道”和家庭医生签约服务“三个全覆盖”", None, None),
    "fund_performance_evaluation_done": ("上半年开展省级财政专项资金绩效评价工作", None, None),
    "migrant_observation_meeting_held": ("召开一次流动人口服务现场观摩会", None, None),
    "study_trips_held": (
        "组织相关人员赴浙江、广东等地进行交流学习",
        "通知未规定次数和期限：按赴浙江、广东各一次、共2次，年底前完成计。",
        "The notice sets no number or date: read as one trip each to Zhejiang and Guangdong, 2 in all, by the year's end.",
    ),
    "election_province_held": (
        "省、市、县三级计生协按时做好换届工作",
        "通知要求“按时”换届，未说明哪些届期在2023年届满：按省计生协2023年内完成换届计。",
        "The notice asks for elections 'on time' without saying whose terms end in 2023: read as the provincial association electing within 2023.",
    ),
    "election_prefecture_held": (
        "省、市、县三级计生协按时做好换届工作",
        "通知要求“按时”换届，未说明哪些届期在2023年届满：按14个市州计生协均在2023年内完成换届计。",
        "The notice asks for elections 'on time' without saying whose terms end in 2023: read as all 14 prefecture associations electing within 2023.",
    ),
    "election_county_held": (
        "省、市、县三级计生协按时做好换届工作",
        "通知要求“按时”换届，未说明哪些届期在2023年届满：按122个县市区计生协均在2023年内完成换届计。",
        "The notice asks for elections 'on time' without saying whose terms end in 2023: read as all 122 county associations electing within 2023.",
    ),
    "president_visits": (
        "由省计生协会长带队赴各市州开展考察调研活动",
        "通知未写期限：按年底前到达全部14个市州计。",
        "The notice names no date: read as visits to all 14 prefectures by the year's end.",
    ),
    "presidents_forum_held": ("适时召开一次市州计生协会长座谈会", None, None),
    "capacity_class_held": ("举办一次覆盖市县两级的计生协工作者能力建设培训班", None, None),
    "member_day_events": (
        "积极开展“5.29会员活动日”集中宣传服务月活动",
        "通知未要求每个市州都开展，也未写完成日期：按每个市州在5月（集中宣传服务月）至少开展1次、5月31日前完成计。",
        "The notice neither requires every prefecture to take part nor names a date: read as every prefecture holding at least one member-day event in May, the campaign month, by 31 May.",
    ),
}
# The interpretations a split adds to a stated province total (the rule itself is in the note).
ALLOCATED_ZH = "通知只规定全省总数，分解到{level}的数额由本协会按附注规则确定。"
ALLOCATED_EN = (
    "The notice sets the province's total only; the association splits it to {level} by the rule in the note."
)
COVERAGE_ZH = "通知规定全省100%，本协会理解为每个{level}都须达到100%。"
COVERAGE_EN = "The notice sets 100% for the province; the association reads it as 100% in every {level}."


def check_indicators() -> None:
    ids = [i.id for i in INDICATOR_LIST]
    assert len(ids) == len(set(ids)), "duplicate indicator id"
    by_id = {i.id: i for i in INDICATOR_LIST}
    for i in INDICATOR_LIST:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", i.id), i.id
        assert i.kind in INDICATOR_KINDS and i.rule in TARGET_RULES, i.id
        assert i.source in INDICATOR_SOURCES and phasing(i)[0] in PHASINGS, i.id
        assert (i.rule == "none") == (i.id not in PHASING) == (i.id not in BASIS), i.id
        assert (i.rule == "none") == (i.target is None), i.id
        assert (i.rule == "every_region_at_least") == (i.level is not None), i.id
        assert (i.kind == "ratio") == (i.numerator is not None) == (i.denominator is not None), i.id
        if i.rule == "coverage":
            assert i.kind == "ratio" and i.target == 1.0, i.id
        if i.kind == "ratio":
            for c in (i.numerator, i.denominator):
                assert c is not None
                assert by_id[c].component and by_id[c].item_no == i.item_no, (i.id, c)
        if i.component:
            assert i.rule == "none", i.id
        assert len(ITEM_TITLES[i.item_no][0]) <= 14


# --- target allocation ---------------------------------------------------------------------
def largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split a whole number in proportion to weights; exact, deterministic.

    Each region first gets the integer part of its exact quota; the units left over go
    one each to the largest fractional remainders (ties: larger weight, then lower code).
    """
    wsum = sum(weights.values())
    quotas = {k: Fraction(total * w, wsum) for k, w in weights.items()}
    alloc = {k: int(q) for k, q in quotas.items()}  # floor (all positive)
    left = total - sum(alloc.values())
    order = sorted(weights, key=lambda k: (-(quotas[k] - alloc[k]), -weights[k], k))
    for k in order[:left]:
        alloc[k] += 1
    assert sum(alloc.values()) == total
    return alloc


CHILDCARE_POINTS_TOTAL = 20
CHILDCARE_YUAN_PER_POINT = 50_000
FAMILY_HEALTH_YUAN = 2_000_000


def allocate_childcare_points() -> dict[str, int]:
    base = {p: 1 for p in PREFECTURES}
    extra = largest_remainder(CHILDCARE_POINTS_TOTAL - len(base), PREFECTURE_POP_2020)
    return {p: base[p] + extra[p] for p in PREFECTURES}


NOTE_POINTS = (
    "allocation of the plan's 20 points: 1 per prefecture, the remaining 6 by largest remainder "
    "in proportion to the 2020 census resident population"
)
NOTE_CHILDCARE_YUAN = (
    "allocation of the plan's 1,000,000 yuan: 50,000 yuan for each childcare point allocated "
    "to the prefecture (1,000,000 / 20 points)"
)
NOTE_FAMILY_HEALTH = (
    "allocation of the plan's 2,000,000 yuan by largest remainder in whole yuan, in proportion "
    "to the 2020 census resident population"
)


NOTE_FAMILY_HEALTH_COUNTY = (
    "the prefecture's allocation split evenly over its counties by largest remainder in whole "
    "yuan (no county population is bundled to weight it)"
)


# --- building the tables -------------------------------------------------------------------
def build_plan_items(items: list[ParsedItem]) -> list[dict]:
    quantitative = {i.item_no for i in INDICATOR_LIST if i.rule != "none"}
    rows = []
    for it in items:
        zh, en = ITEM_TITLES[it.item_no]
        rows.append(
            {
                "plan_year": PLAN_YEAR,
                "item_no": it.item_no,
                "area_no": it.area_no,
                "area_title_zh": it.area_title_zh,
                "area_title_en": AREA_TITLES_EN[it.area_no],
                "item_title_zh": zh,
                "item_title_en": en,
                "text_zh": it.text_zh,
                "due_date": ITEM_DUE.get(it.item_no, YEAR_END),
                "has_quantitative_target": it.item_no in quantitative,
            }
        )
    return sorted(rows, key=lambda r: (r["plan_year"], r["item_no"]))


def build_indicators() -> list[dict]:
    order: dict[int, int] = {}
    rows = []
    # display order: judged indicators first, in the order listed, then components
    for ind in sorted(INDICATOR_LIST, key=lambda i: (i.item_no, i.component)):
        order[ind.item_no] = order.get(ind.item_no, 0) + 1
        rows.append(
            {
                "indicator_id": ind.id,
                "item_no": ind.item_no,
                "name_zh": ind.name_zh,
                "name_en": ind.name_en,
                "unit_zh": ind.unit_zh,
                "unit_en": ind.unit_en,
                "kind": ind.kind,
                "numerator_id": ind.numerator,
                "denominator_id": ind.denominator,
                "target_rule": ind.rule,
                "target_level": ind.level,
                "phasing": phasing(ind)[0],
                "phasing_reason_zh": phasing(ind)[1],
                "phasing_reason_en": phasing(ind)[2],
                "source_table": ind.source,
                "is_component": ind.component,
                "display_order": order[ind.item_no],
                "definition_zh": ind.def_zh,
                "definition_en": ind.def_en,
            }
        )
    return sorted(rows, key=lambda r: r["indicator_id"])


def build_targets() -> list[dict]:
    rows: list[dict] = []

    def add(
        ind: Ind,
        region: str,
        value: float,
        note: str | None,
        *,
        interpretation: tuple[str, str] | None = None,
        step: bool = False,
    ) -> None:
        """One target row; ``interpretation`` (zh, en) adds to the indicator's own, if any."""
        stated, own_zh, own_en = BASIS[ind.id]
        zh = " ".join(x for x in (own_zh, interpretation and interpretation[0]) if x) or None
        en = " ".join(x for x in (own_en, interpretation and interpretation[1]) if x) or None
        rows.append(
            {
                "plan_year": PLAN_YEAR,
                "indicator_id": ind.id,
                "region_code": region,
                "target_value": float(value),
                "due_date": indicator_due(ind),
                # a single indivisible thing allocated to a region is a one-off there
                "phasing": "step" if step else phasing(ind)[0],
                "basis": "interpreted" if zh else "stated",
                "stated_zh": stated,
                "interpretation_zh": zh,
                "interpretation_en": en,
                "note": note,
            }
        )

    def allocated(level_zh: str, level_en: str) -> tuple[str, str]:
        return ALLOCATED_ZH.format(level=level_zh), ALLOCATED_EN.format(level=level_en)

    points = allocate_childcare_points()
    family_health = largest_remainder(FAMILY_HEALTH_YUAN, PREFECTURE_POP_2020)
    for ind in INDICATOR_LIST:
        if ind.rule == "none":
            continue
        target = ind.target
        assert target is not None
        if ind.rule == "every_region_at_least":
            regions = PREFECTURES if ind.level == "prefecture" else COUNTIES
            word = "prefectures" if ind.level == "prefecture" else "counties"
            add(
                ind,
                PROVINCE,
                len(regions),
                f"number of {word} that must each reach {target:g} ({len(regions)} of {len(regions)})",
            )
            for r in regions:
                add(ind, r, target, None)
        elif ind.rule == "coverage":
            add(ind, PROVINCE, target, None)
            for p in PREFECTURES:
                add(
                    ind,
                    p,
                    target,
                    None,
                    interpretation=(COVERAGE_ZH.format(level="市州"), COVERAGE_EN.format(level="prefecture")),
                )
            for c in COUNTIES:
                add(
                    ind,
                    c,
                    target,
                    None,
                    interpretation=(COVERAGE_ZH.format(level="县市区"), COVERAGE_EN.format(level="county")),
                )
        else:  # total
            add(ind, PROVINCE, target, None)
            if ind.id == "childcare_points_open":
                for p in PREFECTURES:
                    add(
                        ind,
                        p,
                        points[p],
                        NOTE_POINTS,
                        interpretation=allocated("市州", "prefectures"),
                        step=points[p] == 1,
                    )
            elif ind.id == "childcare_funds_yuan":
                for p in PREFECTURES:
                    add(
                        ind,
                        p,
                        CHILDCARE_YUAN_PER_POINT * points[p],
                        NOTE_CHILDCARE_YUAN,
                        interpretation=allocated("市州", "prefectures"),
                    )
            elif ind.id == "family_health_funds_yuan":
                for p in PREFECTURES:
                    add(ind, p, family_health[p], NOTE_FAMILY_HEALTH, interpretation=allocated("市州", "prefectures"))
                    # county shares: no county population is bundled, so an even split
                    in_pref = [c for c in COUNTIES if c[:4] == p[:4]]
                    shares = largest_remainder(family_health[p], {c: 1 for c in in_pref})
                    for c in in_pref:
                        add(
                            ind, c, shares[c], NOTE_FAMILY_HEALTH_COUNTY, interpretation=allocated("县市区", "counties")
                        )
            # milestone totals stay at province level: nothing to split
    assert sum(points.values()) == CHILDCARE_POINTS_TOTAL
    assert CHILDCARE_YUAN_PER_POINT * CHILDCARE_POINTS_TOTAL == 1_000_000
    return sorted(rows, key=lambda r: (r["plan_year"], r["indicator_id"], r["region_code"]))


def to_parquet_bytes(rows: list[dict], schema: pa.Schema) -> bytes:
    table = pa.Table.from_pylist(rows, schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=True)
    return buf.getvalue()


# --- docs ------------------------------------------------------------------------------------
PREFECTURE_NAMES = {
    "430100": "长沙市",
    "430200": "株洲市",
    "430300": "湘潭市",
    "430400": "衡阳市",
    "430500": "邵阳市",
    "430600": "岳阳市",
    "430700": "常德市",
    "430800": "张家界市",
    "430900": "益阳市",
    "431000": "郴州市",
    "431100": "永州市",
    "431200": "怀化市",
    "431300": "娄底市",
    "433100": "湘西土家族苗族自治州",
}


def _fmt(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def _target_text(ind: Ind) -> str:
    if ind.rule == "none" or ind.target is None:
        return "no quantitative target"
    if ind.rule == "coverage":
        return "100% (province and each prefecture)"
    if ind.rule == "every_region_at_least":
        n = 14 if ind.level == "prefecture" else 122
        return f"≥ {_fmt(ind.target)} in each of the {n} {(ind.level == 'prefecture' and 'prefectures') or 'counties'}"
    extra = (
        " (allocated to prefectures)"
        if ind.id in {"childcare_points_open", "childcare_funds_yuan", "family_health_funds_yuan"}
        else ""
    )
    return f"province total {_fmt(ind.target)} ({ind.unit_en}){extra}"


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _phasing_text(ind: Ind) -> str:
    if ind.rule == "none":
        return "—"
    ph, zh, en = phasing(ind)
    return f"`{ph}`: {_cell(zh)} / {_cell(en)}"


def _basis_text(ind: Ind) -> str:
    if ind.rule == "none":
        return "—"
    stated, zh, en = BASIS[ind.id]
    if zh is None:
        return f"stated: “{stated}”"
    return f"interpreted: “{stated}” — {zh} / {en}"


# The status and phasing rules for users, in both languages, each with a worked example. The
# numbers are worked by hand here and checked by tests/unit/test_attainment.py.
STATUS_DOC: tuple[str, ...] = (
    "## Statuses / 状态",
    "",
    "Every place that shows a status (cards, the 33-item board, scorecard, maps, league table, "
    "work-report paragraph, meeting pack, downloads) uses this one set, defined in "
    "`analytics/attainment.py` (`STATUSES`). 凡显示状态之处（指标卡、33项一览、计分卡、地图、排名、"
    "工作报告段落、会议材料、下载）都使用同一套状态。",
    "",
    "A target is judged at the **judged date**: the last complete month end on or before the as-of "
    "date (reports are monthly; on 15 July the data runs through 30 June and is compared with what "
    "was expected on 30 June). 评判日为截至日期当天或之前最近一个完整月的月末。",
    "",
    "| status | 状态 | when | 条件 | worked example |",
    "|---|---|---|---|---|",
    "| `done` | 已完成 | actual ≥ target, reached by the due date | 实际值达到目标，且在截止日期前（含当日）达到 | 20 of 20 childcare points open on 31 Dec |",
    "| `on_track` | 进度正常 | before the due date; actual ≥ 95 % of expected-by-now | 截止日期前，实际值≥应达到值的95% | 1,000,000 yuan due 31 Dec, linear: on 30 Jun expected 1,000,000 × 181/365 = 495,890; actual 480,000 is 96.8 % → on track |",
    "| `at_risk` | 有风险 | before the due date; 80 % ≤ actual / expected < 95 % | 截止日期前，应达到值的80%至95% | same, actual 420,000 = 84.7 % → at risk |",
    "| `behind` | 滞后 | before the due date; actual < 80 % of expected | 截止日期前，低于应达到值的80% | same, actual 300,000 = 60.5 % → behind |",
    "| `not_yet_due` | 未到期 | before the due date; nothing expected yet (step phasing, or a line still below one whole thing) | 截止日期前，尚不要求完成（按到期一次，或线性应有数不足一个） | a youth base due 31 Dec, on 31 Mar: expected 0 → not yet due (never behind) |",
    "| `no_data` | 无数据 | before the due date; the region has sent no report | 截止日期前，该地区未报送 | grey: a reporting problem, not a performance one |",
    "| `done_late` | 逾期完成 | actual ≥ target, first reached after the due date (the date is shown) | 到期后才达到目标（显示达到日期） | member day due 31 May, the 14th prefecture reported it for June → done late, reached 30 Jun |",
    "| `missed` | 未完成 | on or after the due date, reported, actual < target | 截止日期当天或之后，已报送但未达到目标 | prefecture elections on 31 Dec: 13 of 14 → missed (never on track or at risk) |",
    "| `overdue_no_report` | 逾期未报 | on or after the due date, no report at all | 截止日期当天或之后，仍无任何报送 | a first-half milestone with no report, judged 31 Jul → overdue, not grey |",
    "| `no_target` | 无量化目标 | the notice gives no number | 通知未给出量化目标 | tracked, never judged |",
    "",
    "Thresholds (95 %, 80 %) are the dashboard's, in `analytics/attainment.py` `THRESHOLDS`, and "
    "shown on the pages that use them. 阈值（95%、80%）由本系统设定，显示在使用它们的页面上。",
    "",
    "## Phasing / 分期",
    "",
    "Expected-by-now follows each target's `phasing` (a column of `targets`, defaulting to its "
    "indicator's; the reason for each 2023 indicator is in the table below). "
    "应达到值按每个目标的分期方式计算：",
    "",
    "| phasing | 分期 | rule | 规则 | worked example (target due 31 Dec) |",
    "|---|---|---|---|---|",
    "| `linear` | 线性 | target × days elapsed / days in the period, counted inclusively from 1 Jan (时间过半、任务过半); a coverage line starts from the level reported at the end of January | 按天数线性折算；覆盖率从1月末已报水平起算 | 1,000,000 yuan: 31 Mar 90/365 → 246,575; 30 Jun 181/365 → 495,890; 31 Dec → 1,000,000 |",
    "| `step` | 到期一次 | nothing before the due date, all of it on it: early is done, before due is not yet due, never behind | 到期前不要求，到期时须全部完成 | one base: 31 Mar 0, 30 Jun 0, 31 Dec 1 |",
    "| `schedule` | 按计划进度 | the cumulative value the association sets for the last scheduled month end on or before the judged date; the whole target from the due date | 取本协会设定的最近一个月末累计值 | 4 / 10 / 20 set for 31 Mar / 30 Jun / 30 Sep, target 24: 31 Mar 4, 31 Jul 10, 31 Dec 24 |",
    "",
    "Expected values of countable targets (points, classes, events, regions) are whole numbers, "
    'rounded down: 20 points, linear, on 30 June expect 20 × 181/365 = 9.92 → 9, never "9.9 points". '
    "Yuan and shares stay as they are. 可数目标的应达到值取整（向下）。",
    "",
    "## Stated or interpreted / 通知原文与本协会理解",
    "",
    "Each target row carries its `basis`: `stated` when the notice states it (`stated_zh` holds the "
    "notice's words), `interpreted` when the association reads a count, a scope or a date into words "
    "that leave it open (`interpretation_zh` / `interpretation_en` say how). Pages show the "
    "interpretation wherever the target appears. 每个目标注明依据：通知原文（附原文）或本协会的理解（附说明）。",
)


def build_docs(items: list[dict]) -> str:
    titles = {r["item_no"]: r for r in items}
    points = allocate_childcare_points()
    fh = largest_remainder(FAMILY_HEALTH_YUAN, PREFECTURE_POP_2020)
    n_targets = len(build_targets())
    out: list[str] = []
    w = out.append
    w("# Indicators of the 2023 work plan")
    w("")
    w("<!-- Generated by scripts/build_plan.py; edit the script, not this file. -->")
    w("")
    w(
        "Source: 湘计生协发〔2023〕2号 of 2023-01-31, *湖南省计划生育协会2023年工作要点* "
        "(`data/plan/source/notice_2023.txt`, see `data/plan/SOURCE.md`). The notice has 9 areas "
        f"and 33 items; {len(INDICATOR_LIST)} indicators measure them and {n_targets} target rows "
        "state what they should reach. Tables: `data/plan/plan_items/`, `data/plan/indicators/`, "
        "`data/plan/targets/` (schemas in `analytics/contract.py`)."
    )
    w("")
    w("## Kinds")
    w("")
    w("| kind | what a value is | how values add up |")
    w("|---|---|---|")
    w(
        "| flow | an amount in the month reported (yuan paid, events held, cases) | summed over months and over regions |"
    )
    w(
        "| stock | a level at month end (points open, families registered) | last month in the window, then summed over regions |"
    )
    w(
        "| ratio | numerator / denominator, both stock components | sum of numerators / sum of denominators, never a mean of percentages |"
    )
    w(
        "| milestone | 1 once done, 0 before (study trips: the number done) | summed over regions; done when the target is reached |"
    )
    w("")
    w(
        "A **component** (`is_component`) is the numerator or denominator of a ratio: it is "
        "collected and shown beside its ratio but never judged on its own."
    )
    w("")
    w("## Target rules")
    w("")
    w("| rule | meaning | target rows |")
    w("|---|---|---|")
    w(
        "| total | the region's value should reach the target | province row from the notice (basis `stated`); for three money/point totals also one row per prefecture (basis `interpreted`, rules below), and for the family health funds one per county (each prefecture's share split evenly); milestones at province only |"
    )
    w(
        "| coverage | the ratio should reach the share (0-1) | 1.0 for the province, each prefecture and each county (province: basis `stated`; prefectures and counties: `interpreted`, the notice's 100% read as applying everywhere) |"
    )
    w(
        "| every_region_at_least | every region at `target_level` should reach the target | one row per prefecture (or per county) with the value each must reach; the province row holds the number of regions that must reach it (14 or 122) |"
    )
    w('| none | tracked, but the notice gives no number | no target row; boards show "no quantitative target" |')
    w("")
    for line in STATUS_DOC:
        w(line)
    w("")
    w("## Allocation of plan totals to prefectures")
    w("")
    w(
        "The notice states three totals for the whole province. To judge prefectures, they are "
        "split as below (basis `interpreted`, the rule repeated in each row's `note`). Populations "
        "are the 7th census resident population of 2020-11-01 (湖南省第七次全国人口普查公报; they "
        "add up to 66,444,864). An allocation the association sets itself would replace these."
    )
    w("")
    w(
        "* **childcare_points_open** (20 points): 1 point per prefecture (14), the remaining 6 by "
        "largest remainder in proportion to population (quota = 6 × population / 66,444,864; "
        "integer parts first, then one point each to the largest fractional parts)."
    )
    w("* **childcare_funds_yuan** (1,000,000 yuan): 50,000 yuan (1,000,000 / 20) × the prefecture's allocated points.")
    w(
        "* **family_health_funds_yuan** (2,000,000 yuan): largest remainder in whole yuan in "
        "proportion to population; the 14 amounts add up exactly to 2,000,000."
    )
    w("")
    w("Ties in the largest-remainder step go to the larger population, then the lower code.")
    w("")
    w("| code | prefecture | population 2020 | childcare points | childcare yuan | family health yuan |")
    w("|---|---|---:|---:|---:|---:|")
    for p in PREFECTURES:
        w(
            f"| {p} | {PREFECTURE_NAMES[p]} | {PREFECTURE_POP_2020[p]:,} | {points[p]} | "
            f"{CHILDCARE_YUAN_PER_POINT * points[p]:,} | {fh[p]:,} |"
        )
    w(
        f"| 430000 | 湖南省 | {PROVINCE_POP_2020:,} | {sum(points.values())} | "
        f"{CHILDCARE_YUAN_PER_POINT * sum(points.values()):,} | {sum(fh.values()):,} |"
    )
    w("")
    w("## All indicators")
    w("")
    w(
        "| id | item | kind | rule | target | due | phasing | basis | source | unit | definition (zh) | definition (en) |"
    )
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for ind in sorted(INDICATOR_LIST, key=lambda i: (i.item_no, i.component)):
        kind = ind.kind + (" (component)" if ind.component else "")
        if ind.kind == "ratio":
            kind += f": {ind.numerator} / {ind.denominator}"
        rule = ind.rule + (f" ({ind.level})" if ind.level else "")
        due = indicator_due(ind).isoformat() if ind.rule != "none" else "—"
        item = f"{ind.item_no} {titles[ind.item_no]['item_title_zh']}"
        w(
            f"| `{ind.id}` | {_cell(item)} | {_cell(kind)} | {rule} | {_cell(_target_text(ind))} | {due} | "
            f"{_phasing_text(ind)} | {_cell(_basis_text(ind))} | {ind.source} | {ind.unit_zh} / {ind.unit_en} | "
            f"{_cell(ind.def_zh)} | {_cell(ind.def_en)} |"
        )
    w("")
    w("## Items without an indicator")
    w("")
    covered = {i.item_no for i in INDICATOR_LIST}
    quantitative = {i.item_no for i in INDICATOR_LIST if i.rule != "none"}
    w(
        "Items with no indicator: "
        + ", ".join(f"{n} {titles[n]['item_title_zh']}" for n in sorted(titles) if n not in covered)
        + "."
    )
    w("")
    w(
        "Items with `has_quantitative_target` true (at least one indicator with a target): "
        + ", ".join(str(n) for n in sorted(quantitative))
        + "."
    )
    w("")
    w(DOCS_HAND_WRITTEN)
    w("")
    return "\n".join(out)


def hand_written_docs() -> str:
    """What follows the generated part of the committed docs/indicators.md (kept as it is)."""
    if not OUT_DOCS.exists():
        return ""
    text = OUT_DOCS.read_text(encoding="utf-8")
    at = text.find(DOCS_HAND_WRITTEN + "\n")
    return text[at + len(DOCS_HAND_WRITTEN) + 1 :] if at >= 0 else ""


# --- main ----------------------------------------------------------------------------------
def build() -> dict[Path, bytes]:
    check_geography()
    check_indicators()
    items = parse_notice(NOTICE.read_text(encoding="utf-8"))
    item_rows = build_plan_items(items)
    assert {i.item_no for i in INDICATOR_LIST} <= {r["item_no"] for r in item_rows}
    texts = {r["item_no"]: r["text_zh"] for r in item_rows}
    for ind in INDICATOR_LIST:
        if ind.id in BASIS:  # the notice's words are quoted verbatim, or the build fails
            assert BASIS[ind.id][0] in texts[ind.item_no], ind.id
    return {
        OUT_PLAN_ITEMS: to_parquet_bytes(item_rows, PLAN_ITEMS.schema),
        OUT_INDICATORS: to_parquet_bytes(build_indicators(), INDICATORS.schema),
        OUT_TARGETS: to_parquet_bytes(build_targets(), TARGETS.schema),
        OUT_SCHEDULES: to_parquet_bytes([], TARGET_SCHEDULES.schema),
        OUT_DOCS: (build_docs(item_rows) + hand_written_docs()).encode("utf-8"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--clean-from",
        type=Path,
        metavar="RAW",
        help="regenerate data/plan/source/notice_2023.txt from this PDF-to-text file first",
    )
    ap.add_argument("--check", action="store_true", help="build in memory; exit 1 if a committed file differs")
    ap.add_argument("--docs", action="store_true", help="accepted for compatibility: docs are always written")
    args = ap.parse_args(argv)

    if args.clean_from:
        cleaned = clean_notice(args.clean_from.read_text(encoding="utf-8"))
        if args.check:
            if NOTICE.read_text(encoding="utf-8") != cleaned:
                print(f"stale: {NOTICE.relative_to(ROOT)}", file=sys.stderr)
                return 1
        else:
            NOTICE.parent.mkdir(parents=True, exist_ok=True)
            NOTICE.write_text(cleaned, encoding="utf-8")

    outputs = build()
    stale = [p for p, b in outputs.items() if not p.exists() or p.read_bytes() != b]
    if args.check:
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for p, b in outputs.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        if p in stale:
            p.write_bytes(b)
    for p in outputs:
        print(f"{'wrote' if p in stale else 'unchanged'} {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
