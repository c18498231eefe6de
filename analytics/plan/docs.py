"""docs/indicators.md, generated from a plan's tables and allocation rules.

``scripts/build_plan.py`` writes it with the bundled plan tables; what follows the marker line
(a page's own rules, written by hand) is kept as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analytics.plan.layout import SPLIT_METHODS
from analytics.plan.read import Record

# docs/indicators.md ends with this line; sections appended below it by hand (a page's own
# rules, e.g. the childcare register rule) are kept when the file is written again.
DOCS_HAND_WRITTEN = (
    "<!-- End of the generated part. Sections below are written by hand and kept by scripts/build_plan.py. -->"
)


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
    "Thresholds are the association's, set in each year's plan workbook (sheet 设置 settings; the "
    "2023 plan: on track 95 %, at risk 80 %, the blank template's defaults) and shown on the pages that "
    "use them. 阈值由本协会在每年的工作要点工作簿（“设置”表）中设定（2023 年：95%、80%，即模板默认值），"
    "显示在使用它们的页面上。",
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


Row = Mapping[str, Any]

_METHOD_TEXT = {
    "population": "in proportion to the {parameter} resident population (`reference/population`), by largest remainder in whole units",
    "even": "evenly, by largest remainder in whole units",
    "units": "in proportion to the number of {parameter}s in each, by largest remainder in whole units",
    "indicator": "in proportion to the split of `{parameter}`, by largest remainder in whole units",
    "manual": "by hand (the rows are written in the workbook's targets sheet)",
}


def _fmt(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def _cell(s: object) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _split_rules(rules: Sequence[Record]) -> list[Record]:
    return [r for r in rules if r["method"] in SPLIT_METHODS]


def _target_text(ind: Row, top: Row | None, split: set[str]) -> str:
    if ind["target_rule"] == "none" or top is None:
        return "no quantitative target"
    value = float(top["target_value"])
    if ind["target_rule"] == "coverage":
        return f"{value * 100:g}% (province and each prefecture)"
    if ind["target_rule"] == "every_region_at_least":
        word = "prefectures" if ind["target_level"] == "prefecture" else "counties"
        return f"≥ 1 in each of the {int(value)} {word}"
    extra = " (allocated to prefectures)" if ind["indicator_id"] in split else ""
    return f"province total {_fmt(value)} ({ind['unit_en']}){extra}"


def _phasing_text(ind: Row) -> str:
    if ind["target_rule"] == "none":
        return "—"
    return f"`{ind['phasing']}`: {_cell(ind['phasing_reason_zh'])} / {_cell(ind['phasing_reason_en'])}"


def _basis_text(ind: Row, top: Row | None) -> str:
    if ind["target_rule"] == "none" or top is None:
        return "—"
    if top["interpretation_zh"] is None:
        return f"stated: “{top['stated_zh']}”"
    return f"interpreted: “{top['stated_zh']}” — {top['interpretation_zh']} / {top['interpretation_en']}"


def _none(v: object) -> object:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else v


def markdown(
    plan: Row,
    items: Sequence[Row],
    indicators: Sequence[Row],
    targets: Sequence[Row],
    rules: Sequence[Record],
    names: Mapping[str, str],
    population: Mapping[str, float],
) -> str:
    """The generated part of docs/indicators.md for one plan year."""
    year = int(plan["plan_year"])
    province = str(plan["province_code"])
    titles = {int(r["item_no"]): r for r in items}
    targets = [{k: _none(v) for k, v in t.items()} for t in targets]
    top = {t["indicator_id"]: t for t in targets if t["region_code"] == province}
    split = _split_rules(rules)
    split_ids = {str(r["indicator_id"]) for r in split}
    areas = len({r["area_no"] for r in items})
    out: list[str] = []
    w = out.append
    w(f"# Indicators of the {year} work plan")
    w("")
    w("<!-- Generated by scripts/build_plan.py from the plan workbook; edit the workbook, not this file. -->")
    w("")
    w(
        f"Source: {plan['notice_no']} of {plan['notice_date'].isoformat()}, *{plan['association_zh']}{year}年工作要点* "
        f"(`data/plan/source/notice_{year}.txt`, see `data/plan/SOURCE.md`), written as data in the plan workbook "
        f"`data/plan/source/plan_{year}.xlsx` (docs/plan.md). The notice has {areas} areas "
        f"and {len(items)} items; {len(indicators)} indicators measure them and {len(targets)} target rows "
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
        "| total | the region's value should reach the target | province row from the notice (basis `stated`); where the plan workbook splits it (sheet 分解 allocations), one row per prefecture or county (basis `interpreted`, the rule below and in each row's `note`); milestones at province only |"
    )
    w(
        "| coverage | the ratio should reach the share (0-1) | the share for the province, each prefecture and each county (province: basis `stated`; prefectures and counties: `interpreted`, the notice's 100% read as applying everywhere) |"
    )
    w(
        "| every_region_at_least | every region at `target_level` should reach the target | one row per prefecture (or per county) with the value each must reach; the province row holds the number of regions that must reach it |"
    )
    w('| none | tracked, but the notice gives no number | no target row; boards show "no quantitative target" |')
    w("")
    for line in STATUS_DOC:
        w(line)
    w("")
    w("## Allocation of plan totals to prefectures")
    w("")
    w(
        f"The notice states {len(split_ids)} totals for the whole province. To judge prefectures and counties, "
        "the plan workbook's allocation rules (sheet 分解 allocations) split them as below (basis `interpreted`, "
        "the rule repeated in each row's `note`). Every split is checked to add up to the total it splits; "
        "ties in the largest-remainder step go to the larger weight, then the lower code."
    )
    w("")
    for r in split:
        iid = str(r["indicator_id"])
        total = float(top[iid]["target_value"]) if iid in top else 0.0
        level = "prefectures" if r["level"] == "prefecture" else "counties"
        how = _METHOD_TEXT[str(r["method"])].format(parameter=r["parameter"])
        minimum = f", after {_fmt(float(str(r['minimum'])))} each" if r["minimum"] else ""
        whole = (
            "each prefecture's share"
            if r["level"] == "county" and any(q["indicator_id"] == iid and q["level"] == "prefecture" for q in split)
            else _fmt(total)
        )
        note = f" Note: {r['note']}." if r["note"] else ""
        w(f"* **{iid}** ({whole}) to {level}: {how}{minimum}.{note}")
    w("")
    pref_rules = [r for r in split if r["level"] == "prefecture"]
    pop_year = next((r["parameter"] for r in pref_rules if r["method"] == "population"), None)
    if pref_rules:
        by = {(t["indicator_id"], t["region_code"]): float(t["target_value"]) for t in targets}
        cols = [str(r["indicator_id"]) for r in pref_rules]
        prefs = sorted({c for (i, c) in by if i in cols and c != province and c in names and c.endswith("00")})
        pop_head = f" population {pop_year} |" if pop_year else ""
        w(f"| code | prefecture |{pop_head} " + " | ".join(cols) + " |")
        w("|---|---|" + ("---:|" if pop_year else "") + "---:|" * len(cols))
        for p in prefs:
            pop = f" {_fmt(population[p])} |" if pop_year and p in population else (" |" if pop_year else "")
            w(f"| {p} | {names[p]} |{pop} " + " | ".join(_fmt(by.get((c, p), 0.0)) for c in cols) + " |")
        ppop = f" {_fmt(sum(population.get(p, 0.0) for p in prefs))} |" if pop_year else ""
        w(
            f"| {province} | {names.get(province, province)} |{ppop} "
            + " | ".join(_fmt(sum(by.get((c, p), 0.0) for p in prefs)) for c in cols)
            + " |"
        )
        w("")
    w("## All indicators")
    w("")
    w(
        "| id | item | kind | rule | target | due | phasing | basis | source | unit | definition (zh) | definition (en) |"
    )
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for ind in sorted(indicators, key=lambda i: (i["item_no"], i["is_component"], i["display_order"])):
        iid = ind["indicator_id"]
        t = top.get(iid)
        kind = ind["kind"] + (" (component)" if ind["is_component"] else "")
        if ind["kind"] == "ratio":
            kind += f": {ind['numerator_id']} / {ind['denominator_id']}"
        rule = ind["target_rule"] + (f" ({ind['target_level']})" if _none(ind["target_level"]) else "")
        due = t["due_date"].isoformat() if t is not None and isinstance(t["due_date"], dt.date) else "—"
        item = f"{ind['item_no']} {titles[int(ind['item_no'])]['item_title_zh']}"
        w(
            f"| `{iid}` | {_cell(item)} | {_cell(kind)} | {rule} | {_cell(_target_text(ind, t, split_ids))} | {due} | "
            f"{_phasing_text(ind)} | {_cell(_basis_text(ind, t))} | {ind['source_table']} | {ind['unit_zh']} / {ind['unit_en']} | "
            f"{_cell(ind['definition_zh'])} | {_cell(ind['definition_en'])} |"
        )
    w("")
    w("## Items without an indicator")
    w("")
    covered = {int(i["item_no"]) for i in indicators}
    quantitative = sorted(int(r["item_no"]) for r in items if r["has_quantitative_target"])
    w(
        "Items with no indicator: "
        + ", ".join(f"{n} {titles[n]['item_title_zh']}" for n in sorted(titles) if n not in covered)
        + "."
    )
    w("")
    w(
        "Items with `has_quantitative_target` true (at least one indicator with a target): "
        + ", ".join(str(n) for n in quantitative)
        + "."
    )
    w("")
    w(DOCS_HAND_WRITTEN)
    w("")
    return "\n".join(out)
