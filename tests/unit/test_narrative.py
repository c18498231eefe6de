"""The work-report paragraph never contradicts the statuses (issue 17, item 7).

First by hand on a small table, then a sweep over the bundled data: every month end of 2023
for the province and each of the 14 prefectures, the paragraph (in Chinese, read back as a
reader would) states the status counts of the attainment table, and every indicator it names
under a verdict has that verdict in the table.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pandas as pd
import pytest

from analytics import db, narrative, queries
from analytics.attainment import month_ends
from ui.i18n import catalog
from views import narrative as overview

D = dt.date
DATA = db.DEFAULT_DATA_DIR

# the zh sentence that names the indicators of each status (from the catalog, not the code)
ZH = catalog("zh")
LIST_PREFIX = {s: ZH[f"overview.narrative.list.{s}"].split("{items}")[0] for s in narrative.JUDGED}
COUNT_WORD = {s: ZH[f"overview.narrative.n.{s}"].split("{n}")[0] for s in narrative.JUDGED}


def _indicators(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ids,
            "item_no": range(1, len(ids) + 1),
            "display_order": [1] * len(ids),
            "phasing": ["linear"] * len(ids),
        }
    )


def _row(
    indicator: str, status: str, region: str = "430000", pace: float | None = None, reached: dt.date | None = None
) -> dict[str, object]:
    return {"indicator_id": indicator, "region_code": region, "status": status, "pace": pace, "reached_on": reached}


# --- by hand --------------------------------------------------------------------------------


def test_each_count_is_the_length_of_its_list_and_due_targets_are_named_as_due() -> None:
    """31 March (the issue's example): "4 on track" must come with four on-track names; a target
    past its due date is missed / done late / overdue, never "behind the time elapsed"."""
    ids = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]
    own = pd.DataFrame(
        [
            _row("a", "on_track", pace=1.2),
            _row("b", "on_track", pace=0.97),
            _row("c", "on_track", pace=1.0),
            _row("d", "on_track", pace=0.96),
            _row("e", "behind", pace=0.5),
            _row("f", "at_risk", pace=0.9),
            _row("g", "missed", pace=0.7),
            _row("h", "done_late", reached=D(2023, 2, 28)),
            _row("i", "overdue_no_report"),
            _row("j", "no_target"),
        ]
    )
    f = narrative.facts(own, None, _indicators(ids), as_of=D(2023, 3, 31), plan_year=2023)
    assert f.counts == {
        "done": 0,
        "done_late": 1,
        "missed": 1,
        "overdue_no_report": 1,
        "on_track": 4,
        "at_risk": 1,
        "behind": 1,
        "not_yet_due": 0,
        "no_data": 0,
    }
    assert f.judged == 9  # no_target is not counted
    assert f.by_status["on_track"] == ["a", "b", "c", "d"]
    assert f.reached_on == {"h": D(2023, 2, 28)}
    assert f.time_share == pytest.approx(90 / 365)
    names = {i: i.upper() for i in ids}
    text = overview.paragraph(overview.narrative_parts(f, names, {}, "zh"), "zh")
    assert "进度正常4项" in text and "进度正常：A、B、C、D。" in text
    assert "落后于时间进度、滞后：E。" in text and "落后于时间进度、有风险：F。" in text
    assert "截止日期已到、未完成：G。" in text
    assert "逾期完成：H（2月28日达到）。" in text
    assert "截止日期已到、仍未报送：I。" in text
    assert "J" not in text
    # a status with no indicator is neither counted nor listed
    assert "已完成" not in text.replace("逾期完成", "") and "未到期" not in text
    en = overview.paragraph(overview.narrative_parts(f, names, {}, "en"), "en")
    assert "9 indicators have a quantitative target" in en and "4 on track" in en
    assert "Done late: H (reached 28 February)." in en


def test_a_mid_month_date_is_judged_at_the_last_month_end() -> None:
    own = pd.DataFrame([_row("a", "on_track", pace=1.0)])
    f = narrative.facts(own, None, _indicators(["a"]), as_of=D(2023, 7, 15), plan_year=2023)
    assert f.judged_on == D(2023, 6, 30)
    assert f.time_share == pytest.approx(181 / 365)  # at 30 June, not 15 July
    text = overview.paragraph(overview.narrative_parts(f, {"a": "A"}, {}, "zh"), "zh")
    assert "截至2023-07-15" in text and "6月30日（最近一个完整月份的月末）" in text


def test_lagging_regions_are_ranked_by_missed_plus_behind() -> None:
    below = pd.DataFrame(
        [
            # X: 1 missed + 1 behind = 2; Y: 3 at risk (not lagging); Z: 2 behind, lower pace than X
            _row("a", "missed", "X", 0.9),
            _row("b", "behind", "X", 0.7),
            _row("a", "at_risk", "Y", 0.85),
            _row("b", "at_risk", "Y", 0.85),
            _row("c", "at_risk", "Y", 0.85),
            _row("a", "behind", "Z", 0.1),
            _row("b", "behind", "Z", 0.1),
            _row("c", "missed", "W", 0.2),
        ]
    )
    f = narrative.facts(below.iloc[:0], below, _indicators(["a", "b", "c"]), as_of=D(2023, 6, 30), plan_year=2023)
    assert [(r.region_code, r.missed, r.behind) for r in f.lagging_regions] == [
        ("Z", [], ["a", "b"]),  # 2, pace 0.1
        ("X", ["a"], ["b"]),  # 2, pace 0.8
        ("W", ["c"], []),  # 1
    ]
    text = overview.paragraph(
        overview.narrative_parts(f, {"a": "A", "b": "B", "c": "C"}, {"X": "甲", "Z": "丙", "W": "丁"}, "zh"), "zh"
    )
    assert "丙（滞后2项：A、B）；甲（未完成1项、滞后1项：A、B）；丁（未完成1项：C）" in text
    assert "Y" not in text and "乙" not in text


def test_nothing_judged_says_so() -> None:
    own = pd.DataFrame([_row("a", "no_target")])
    f = narrative.facts(own, None, _indicators(["a"]), as_of=D(2023, 6, 30), plan_year=2023)
    assert overview.narrative_parts(f, {"a": "A"}, {}, "zh") == ["截至2023-06-30，本地区没有有量化目标的指标。"]


# --- the sweep over the bundled data ----------------------------------------------------------


def _read_counts(text: str) -> dict[str, int]:
    """The counts the first sentence states, read back from the words."""
    first = text.split("。")[0]
    found = {}
    for status, word in COUNT_WORD.items():
        # "已完成" must not match inside "逾期完成" and "未完成" must not be read as "已完成": the
        # count words are whole phrases after a comma or "中，"
        m = re.search(r"(?:^|，)" + re.escape(word) + r"(\d+)项", first)
        found[status] = int(m.group(1)) if m else 0
    return found


def _read_lists(sentences: list[str], names: dict[str, str]) -> dict[str, list[str]]:
    """Indicator ids each status sentence names (a "…等N项" list gives its first names)."""
    by_name = {v: k for k, v in names.items()}
    out: dict[str, list[str]] = {}
    for sentence in sentences:
        for status, prefix in LIST_PREFIX.items():
            if sentence.startswith(prefix):
                body = sentence[len(prefix) :].removesuffix("。")
                more = re.search(r"等(\d+)项$", body)
                if more:
                    body = body[: more.start()]
                items = body.split("、")
                if status == "done_late":
                    items = [re.sub(r"（\d+月\d+日达到）$", "", i) for i in items]
                out[status] = [by_name[i] for i in items]
                if more:
                    out[f"{status}:total"] = [str(more.group(1))]
    return out


Sweep = tuple[dict[tuple[dt.date, str], pd.DataFrame], pd.DataFrame, pd.DataFrame]


@pytest.fixture(scope="module")
def sweep() -> Sweep:
    con: duckdb.DuckDBPyConnection = db.connect(DATA)
    tables = queries.attainment_tables(
        con, plan_year=2023, as_ofs=tuple(month_ends(2023)), levels=("province", "prefecture", "county")
    )
    inds = queries.indicators(con, plan_year=2023)
    regions = pd.read_parquet(DATA / "reference" / "regions")
    return tables, inds, regions[regions["level"].isin(["province", "prefecture", "county"])]


REGIONS = [
    "430000",
    "430100",
    "430200",
    "430300",
    "430400",
    "430500",
    "430600",
    "430700",
    "430800",
    "430900",
    "431000",
    "431100",
    "431200",
    "431300",
    "433100",
]


@pytest.mark.parametrize("as_of", month_ends(2023), ids=lambda d: d.isoformat())
def test_the_paragraph_states_the_statuses_at_every_month_end(sweep: Sweep, as_of: dt.date) -> None:
    tables, inds, regions = sweep
    names = dict(zip(inds["indicator_id"], inds["name_zh"], strict=True))
    region_names = dict(zip(regions["region_code"], regions["name_zh"], strict=True))
    assert len(REGIONS) == 15
    for region in REGIONS:
        level, below_level = ("province", "prefecture") if region == "430000" else ("prefecture", "county")
        table = tables[(as_of, level)]
        own = table[table["region_code"] == region]
        below_all = tables[(as_of, below_level)]
        inside = set(regions.loc[regions["parent_code"] == region, "region_code"])
        below = below_all[below_all["region_code"].isin(inside)]
        assert len(own), region
        f = narrative.facts(own, below, inds, as_of=as_of, plan_year=2023)
        parts = overview.narrative_parts(f, names, region_names, "zh")
        text = overview.paragraph(parts, "zh")
        where = f"{region} {as_of}"

        # the counts stated are the table's statuses (no_target left out)
        expected = own["status"].value_counts()
        stated = _read_counts(text)
        for status in narrative.JUDGED:
            assert stated[status] == int(expected.get(status, 0)), (where, status, text)
        n = int((own["status"] != "no_target").sum())
        assert f"有量化目标的{n}项指标中" in text, where

        # every indicator named under a verdict has that verdict; every full list is complete
        status_of = dict(zip(own["indicator_id"], own["status"], strict=True))
        lists = _read_lists(parts, names)
        for status in narrative.JUDGED:
            named = lists.get(status, [])
            for indicator in named:
                assert status_of[indicator] == status, (where, indicator, status)
            total = int(expected.get(status, 0))
            if f"{status}:total" in lists:
                assert int(lists[f"{status}:total"][0]) == total, (where, status)
            else:
                assert len(named) == total, (where, status, text)
        # "behind the time elapsed" only ever names targets before their due date
        for indicator in lists.get("behind", []) + lists.get("at_risk", []):
            due = own.loc[own["indicator_id"] == indicator, "due_date"].iloc[0]
            assert pd.Timestamp(due).date() > as_of, (where, indicator)

        # lagging regions: named by name, with their own missed and behind counts, ranked first
        totals = below[below["status"].isin(["missed", "behind"])].groupby("region_code").size()
        named_regions = [lag.region_code for lag in f.lagging_regions]
        for code in named_regions:
            name = region_names[code]
            missed = int(((below["region_code"] == code) & (below["status"] == "missed")).sum())
            behind = int(((below["region_code"] == code) & (below["status"] == "behind")).sum())
            counts = "、".join(
                w for w in (f"未完成{missed}项" if missed else "", f"滞后{behind}项" if behind else "") if w
            )
            assert f"{name}（{counts}：" in text, (where, name, text)
            assert code not in text
        others = totals.drop(index=named_regions, errors="ignore")
        if len(named_regions) and len(others):
            assert min(int(totals[c]) for c in named_regions) >= int(others.max()), where
        if not named_regions:
            assert totals.empty, where
