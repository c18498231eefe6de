"""The overview's follow-up list (督办清单, issue 20 item 1), worked out here on its own and compared
with the model (views.home), the page (AppTest) and the pack's second slide.

The list is computed in this file from the rows of ``analytics.queries.attainment_tables`` with
the rules written out: every region of the level below × indicator whose status is missed,
overdue without a report, behind or at risk; missed and overdue before behind before at risk,
then the largest gap relative to the target; the gap once due is target − actual, before it
expected − actual; a coverage's units short are target × denominator − numerator once due.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db, queries
from tests.app.test_pages import run_page
from ui.briefing import Request, build_pack
from ui.briefing.build import FOLLOW_UP_ROWS
from ui.nav import PAGES
from views import format as fmt
from views import home
from views.filters import Filters

DATA = Path(__file__).resolve().parents[2] / "data"
JUNE, DECEMBER = dt.date(2023, 6, 30), dt.date(2023, 12, 31)
PROVINCE, CHANGSHA = "430000", "430100"
VIEWS = [(JUNE, PROVINCE), (DECEMBER, PROVINCE), (JUNE, CHANGSHA), (DECEMBER, CHANGSHA)]
IDS = [f"{d:%m}-{r}" for d, r in VIEWS]

# the rules, written out here rather than read from analytics.attainment
RANK = {"missed": 0, "overdue_no_report": 1, "behind": 2, "at_risk": 3}


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = db.connect(DATA)
    yield c
    c.close()


def by_hand(con: duckdb.DuckDBPyConnection, as_of: dt.date, region: str) -> pd.DataFrame:
    """The follow-up list of ``region`` on ``as_of``: rows of the level below, filtered and ranked here."""
    below = "prefecture" if region == PROVINCE else "county"
    last_month = as_of.replace(day=1) - dt.timedelta(days=1)
    tables = queries.attainment_tables(con, plan_year=2023, as_ofs=(as_of, last_month), levels=(below,), within=region)
    now, before = tables[(as_of, below)], tables[(last_month, below)]
    rows = now[now["status"].isin(list(RANK))].copy()
    own_gap = (rows["target"] - rows["actual"].fillna(0)).where(
        rows["status"].isin(["missed", "overdue_no_report"]), rows["expected"] - rows["actual"].fillna(0)
    )
    assert ((rows["gap"] - own_gap).abs() < 1e-9).all()  # the table's gap is the one the rules say
    rows["severity"] = rows["status"].map(RANK)
    rows["relative"] = (rows["gap"] / rows["target"]).fillna(0)
    rows = rows.sort_values(
        ["severity", "relative", "region_code", "indicator_id"], ascending=[True, False, True, True]
    )
    prev = before.set_index(["region_code", "indicator_id"])["actual"]
    rows["before"] = [prev.get((r, i)) for r, i in zip(rows["region_code"], rows["indicator_id"], strict=True)]
    return rows.reset_index(drop=True)


@pytest.mark.parametrize(("as_of", "region"), VIEWS, ids=IDS)
def test_follow_up_list_is_worked_out_the_same_way(con: duckdb.DuckDBPyConnection, as_of: dt.date, region: str) -> None:
    expected = by_hand(con, as_of, region)
    model = home.view(con, Filters("zh", 2023, as_of, region))
    got = model.follow_up
    assert len(got) == len(expected) > 0
    assert [(r.region_code, r.indicator_id, r.status) for r in got] == list(
        zip(expected["region_code"], expected["indicator_id"], expected["status"], strict=True)
    )
    # every region of the level below, each target once: nothing double-counted
    below = queries.regions_at_level(con, level="prefecture" if region == PROVINCE else "county", within=region)
    assert {r.region_code for r in got} <= set(below["region_code"])
    assert len({(r.region_code, r.indicator_id) for r in got}) == len(got)
    names = dict(zip(below["region_code"], below["name_zh"], strict=True))
    inds = queries.indicators(con, plan_year=2023).set_index("indicator_id")
    for r, e in zip(got, expected.to_dict("records"), strict=True):
        ind = inds.loc[r.indicator_id].to_dict()
        assert r.region == names[r.region_code] and r.indicator == ind["name_zh"]
        assert r.due == f"{e['due_date'].year}年{e['due_date'].month}月{e['due_date'].day}日"
        assert r.gap.startswith(fmt.gap(e["gap"], ind, "zh"))
        if ind["target_rule"] == "coverage" and pd.notna(e["denominator"]):
            # units short: what the gap leaves undone of the denominator (villages, households)
            short = e["gap"] * e["denominator"]
            if e["status"] == "missed":
                assert math.isclose(short, e["target"] * e["denominator"] - e["numerator"], abs_tol=1e-6)
            assert f"差 {math.ceil(round(short, 6)):,} " in r.gap
        before = e["before"]
        if before is None or pd.isna(before) or pd.isna(e["actual"]):
            assert r.change == fmt.MISSING
        else:
            assert r.change == fmt.change(e["actual"], before, ind, "zh")


def test_follow_up_list_spot_checks(con: duckdb.DuckDBPyConnection) -> None:
    """A few lines read off the bundled data by hand."""
    december = home.view(con, Filters("zh", 2023, DECEMBER, PROVINCE))
    lines = {(r.region, r.indicator_id): r for r in december.follow_up}
    zjj = lines[("张家界市", "youth_demo_bases_new")]
    assert (zjj.status, zjj.gap) == ("missed", "1 个")
    # 长沙: 1,499 of 1,649 villages with two instructors on 31 December: 9.1 points, 150 villages short
    cs = lines[("长沙市", "instructor_coverage")]
    assert cs.gap == "9.1 个百分点（差 150 个）"
    june = home.view(con, Filters("zh", 2023, JUNE, PROVINCE))
    assert all(r.status in ("behind", "at_risk") for r in june.follow_up)  # nothing of the prefectures due by June
    # severity first: every missed line before every behind line before every at-risk line
    for model in (june, december):
        ranks = [RANK[r.status] for r in model.follow_up]
        assert ranks == sorted(ranks)


def test_due_next_month(con: duckdb.DuckDBPyConnection) -> None:
    """On 31 May the province's two one-off targets due 30 June are not yet reached; on 31 December nothing is due next."""
    may = home.view(con, Filters("zh", 2023, dt.date(2023, 5, 31), PROVINCE))
    tables = queries.attainment_tables(
        con, plan_year=2023, as_ofs=(dt.date(2023, 5, 31),), levels=("province", "prefecture"), within=PROVINCE
    )
    rows = pd.concat(tables.values())
    june_due = pd.to_datetime(rows["due_date"]).dt.month.eq(6)
    open_ = ~rows["status"].isin(["done", "done_late", "no_target"])
    expected = {(str(r), str(i)) for r, i in rows.loc[june_due & open_, ["region_code", "indicator_id"]].to_numpy()}
    assert {(d.region_code, d.indicator_id) for d in may.due_next_month} == expected
    assert ("430000", "caring_employers") in expected
    assert "爱心托育用人单位创建" in may.due_next_line
    december = home.view(con, Filters("zh", 2023, DECEMBER, PROVINCE))
    assert december.due_next_month == ()


@pytest.mark.parametrize(
    ("as_of", "region"), [(DECEMBER, PROVINCE), (JUNE, CHANGSHA)], ids=["12-province", "06-changsha"]
)
def test_page_and_pack_show_the_same_rows(con: duckdb.DuckDBPyConnection, as_of: dt.date, region: str) -> None:
    model = home.view(con, Filters("zh", 2023, as_of, region))
    rows = model.follow_up_rows()
    expected = by_hand(con, as_of, region)
    assert [r[0] for r in rows] == [model.follow_up[k].region for k in range(len(expected))]

    at = run_page(PAGES[0].path, as_of=as_of.isoformat(), region=region)
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    shown = pd.concat(frames[: 2 if len(rows) > 10 else 1])
    assert list(shown.columns) == list(model.follow_up_columns())
    assert [tuple(map(str, r)) for r in shown.itertuples(index=False)] == rows
    assert len(frames[0]) == min(len(rows), 10)
    assert any(model.due_next_line == m.value for m in at.markdown)

    pack = build_pack(con.cursor(), Request("zh", 2023, as_of, region), data_dir=DATA)
    slide = pack.slides[2]  # after the cover and the summary
    assert slide.kind == "follow_up" and slide.table is not None
    assert list(slide.table.rows) == rows[:FOLLOW_UP_ROWS]
    assert slide.table.status == tuple(r.status for r in model.follow_up[:FOLLOW_UP_ROWS])
    assert model.due_next_line in slide.note
