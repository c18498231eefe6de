"""Another province's plan (issue 21): a small Hubei plan for 2024 loads beside Hunan's 2023 plan
against a division table that holds both provinces, and its pages list Hubei's prefectures.

The fixture (tests/other_province.py) is written with analytics.plan's workbook writer and
imported with the plan and export imports. Expected values come from pandas over the published
Parquet files and the fixture's own numbers, never from the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db, queries
from tests import other_province as hubei
from tests.bundled import copy_bundled
from views import attainment as attainment_view
from views import home as home_view
from views import plan_heading
from views.filters import Filters
from views.i18n import text

F = Filters(lang="zh", plan_year=hubei.YEAR, as_of=hubei.AS_OF, region=hubei.PROVINCE)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hubei")
    return hubei.build(base / "root", base / "work")


@pytest.fixture()
def con(root: Path):
    connection = db.connect(db.published_dir(root))
    yield connection
    connection.close()


def published(root: Path, folder: str) -> pd.DataFrame:
    return pd.read_parquet(db.published_dir(root) / folder)


def prefectures_by_hand(root: Path, province: str) -> dict[str, str]:
    """code → Chinese name of the province's prefectures, read from the published region files."""
    r = published(root, "reference/regions")
    mine = r[(r["level"] == "prefecture") & (r["region_code"].str[:2] == province[:2])]
    return dict(zip(mine["region_code"], mine["name_zh"], strict=True))


def actual_by_hand(root: Path, indicator: str, within: str, as_of: dt.date, year: int = hubei.YEAR) -> float:
    """A flow's actual: its rows of ``year`` inside ``within`` up to ``as_of``, summed."""
    p = published(root, "exports/progress")
    p = p[(p["plan_year"] == year) & (p["indicator_id"] == indicator)]
    p = p[pd.to_datetime(p["period_end"]) <= pd.Timestamp(as_of)]
    return float(p.loc[p["region_code"].str.startswith(within.rstrip("0")), "value"].sum())


def test_the_plan_loads_against_the_national_division_table(root: Path, con: duckdb.DuckDBPyConnection) -> None:
    plans = published(root, "plan/plans").set_index("plan_year")
    assert plans.loc[hubei.YEAR, "province_code"] == hubei.PROVINCE
    assert plans.loc[2023, "province_code"] == "430000"  # Hunan's plan year is untouched
    targets = published(root, "plan/targets")
    mine = targets[targets["plan_year"] == hubei.YEAR]
    # every target lies in Hubei; the even splits give 130 / 13 = 10 and 260 / 13 = 20 to each prefecture
    assert set(mine["region_code"].str[:2]) == {"42"}
    prefs = prefectures_by_hand(root, hubei.PROVINCE)
    assert len(prefs) == 13
    for indicator, each in ((hubei.LECTURES, 10), (hubei.EVENTS, 20), (hubei.MEMBER_DAY, 1)):
        rows = mine[(mine["indicator_id"] == indicator) & (mine["region_code"] != hubei.PROVINCE)]
        assert set(rows["region_code"]) == set(prefs) and set(rows["target_value"]) == {each}, indicator
    # the progress rows of Hubei's districts were accepted by the export import
    assert actual_by_hand(root, hubei.LECTURES, hubei.PROVINCE, hubei.AS_OF) == 6 * 2 + 6 * 1
    assert list(queries.data_status(con)["plan_years"].iloc[0]) == [2023, hubei.YEAR]


def test_each_plan_year_is_drawn_for_its_own_province(con: duckdb.DuckDBPyConnection) -> None:
    """What the sidebar starts from (ui/state.render_global_filters): the plan year's province."""
    assert plan_heading.heading(con, plan_year=hubei.YEAR, lang="zh").province == hubei.PROVINCE
    assert plan_heading.heading(con, plan_year=2023, lang="zh").province == "430000"
    assert (F.own_level, F.level_below) == ("province", "prefecture")
    wuhan = Filters(lang="zh", plan_year=hubei.YEAR, as_of=hubei.AS_OF, region="420100")
    assert (wuhan.province, wuhan.own_level, wuhan.level_below) == (hubei.PROVINCE, "prefecture", "county")


def test_the_heading_names_the_plans_association_and_notice(con: duckdb.DuckDBPyConnection) -> None:
    zh = plan_heading.heading(con, plan_year=hubei.YEAR, lang="zh")
    en = plan_heading.heading(con, plan_year=hubei.YEAR, lang="en")
    assert (zh.association, zh.notice, zh.areas, zh.items) == (hubei.ASSOCIATION_ZH, hubei.NOTICE_NO, "两", "三")
    assert (en.association, en.notice, en.areas, en.items) == (hubei.ASSOCIATION_EN, "notice No. 3 of 2024", "2", "3")
    intro = text("home.intro", "zh", year=hubei.YEAR, **zh.values())
    assert "《湖北省计划生育协会2024年工作要点》（鄂计生协发〔2024〕3号）" in intro and "两个方面、三项工作" in intro
    assert "湖南" not in intro and "湘" not in intro
    assert text("briefing.title", "en", year=hubei.YEAR, **en.values()).startswith(hubei.ASSOCIATION_EN)
    # Hunan's 2023 words are those of its own workbook, as the catalogs said them before
    hunan = plan_heading.heading(con, plan_year=2023, lang="zh")
    assert text("home.intro", "zh", year=2023, **hunan.values()).startswith(
        "依据《湖南省计划生育协会2023年工作要点》（湘计生协发〔2023〕2号），按九个方面、三十三项工作，"
    )


def test_the_overview_lists_the_provinces_prefectures(root: Path, con: duckdb.DuckDBPyConnection) -> None:
    model = home_view.view(con, F)
    names = prefectures_by_hand(root, hubei.PROVINCE)
    # a plan with none of Hunan's headline indicators: one card per indicator, titled by its name
    cards = {c.title: c for c in model.cards}
    assert set(cards) == {"家庭健康讲座", "健康宣传活动", "会员活动日"}
    assert cards["家庭健康讲座"].value == f"{actual_by_hand(root, hubei.LECTURES, hubei.PROVINCE, hubei.AS_OF):.0f}"
    assert cards["健康宣传活动"].value == f"{actual_by_hand(root, hubei.EVENTS, hubei.PROVINCE, hubei.AS_OF):.0f}"
    assert model.judged == 3
    # the follow-up list names Hubei's prefectures: 宜昌's campaign events, 6 of the 20 by June
    assert model.follow_up, "nothing to follow up"
    assert {r.region for r in model.follow_up} <= set(names.values())
    yichang = [r for r in model.follow_up if r.region_code == "420500" and r.indicator_id == hubei.EVENTS]
    assert len(yichang) == 1 and yichang[0].status == "behind"
    assert actual_by_hand(root, hubei.EVENTS, "420500", hubei.AS_OF) == 6
    # the board has the plan's two areas and three items
    assert [len(a.chips) for a in model.board] == [2, 1]


def test_the_attainment_page_ranks_the_provinces_prefectures(root: Path, con: duckdb.DuckDBPyConnection) -> None:
    names = prefectures_by_hand(root, hubei.PROVINCE)
    model = attainment_view.view(con, F, indicator=hubei.LECTURES)
    assert model.level == "prefecture"
    assert {o.indicator_id for o in model.options} == set(hubei.TARGETS)
    assert model.chosen is not None and model.chosen.indicator_id == hubei.LECTURES
    league = model.chosen.league.set_index("code")
    assert dict(league["region"]) == names  # the 13 prefectures, no Hunan ones
    assert list(model.chosen.map.regions["region_code"]) == sorted(names)
    assert str(league.loc["420100", "actual"]) == f"{actual_by_hand(root, hubei.LECTURES, '420100', hubei.AS_OF):.0f}"
    # a prefecture of the other province: its own figures against its share of the plan
    wuhan = Filters(lang="zh", plan_year=hubei.YEAR, as_of=hubei.AS_OF, region="420100")
    cards = {c.title: c for c in home_view.view(con, wuhan).cards}
    lectures = actual_by_hand(root, hubei.LECTURES, "420100", hubei.AS_OF)
    assert cards["家庭健康讲座"].value == f"{lectures:.0f}" and lectures >= 10
    assert cards["家庭健康讲座"].status == "done"  # 12 of its 10 by June
    # the plan splits nothing to counties: the page says no indicator is judged there, as Hunan's does
    assert attainment_view.view(con, wuhan).chosen is None


def test_hunan_still_lists_its_own_prefectures(root: Path, con: duckdb.DuckDBPyConnection) -> None:
    f = Filters(lang="zh", plan_year=2023, as_of=dt.date(2023, 6, 30))
    names = prefectures_by_hand(root, "430000")
    model = attainment_view.view(con, f)
    assert model.chosen is not None
    assert dict(model.chosen.league.set_index("code")["region"]) == names and len(names) == 14
    # Hunan's headline cards are its named ones (catalog titles), seven of them
    cards = home_view.view(con, f).cards
    assert [c.title for c in cards] == [text(key, "zh") for key, _ in home_view.CARDS]


def test_counts_in_chinese_numerals() -> None:
    from views.format import numeral_zh

    written = {1: "一", 2: "两", 9: "九", 10: "十", 12: "十二", 20: "二十", 33: "三十三", 99: "九十九", 120: "120"}
    assert {n: numeral_zh(n) for n in written} == written


# --------------------------------------------------------------------------- year on year


def test_another_provinces_year_is_not_compared_with_hunans(con: duckdb.DuckDBPyConnection) -> None:
    """member_day_events is in both plans (same id), but 2023 is Hunan's: not Hubei's last year."""
    model = attainment_view.view(con, F, indicator=hubei.MEMBER_DAY)
    assert model.chosen is not None and model.chosen.indicator_id == hubei.MEMBER_DAY
    assert model.chosen.last_year == ""


@pytest.fixture(scope="module")
def hunan_two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data with the 2024 Hunan workbook of tests/unit/test_plan_years.py beside 2023."""

    from analytics.plan.run import import_workbook
    from tests.unit.test_plan_years import write_2024

    base = tmp_path_factory.mktemp("hunan_two_years")
    target = base / "root"
    copy_bundled(target)
    report = import_workbook(write_2024(base), target, user="tester")
    assert report.ok, report.text()
    return target


def test_a_carried_over_indicator_shows_last_years_figure(hunan_two_years: Path) -> None:
    from views import format as fmt

    funds, new = "family_health_funds_yuan", "family_health_lectures_held"  # the 2024 workbook's new one
    con = db.connect(db.published_dir(hunan_two_years))
    f = Filters(lang="zh", plan_year=2024, as_of=dt.date(2024, 6, 30))
    model = attainment_view.view(con, f, indicator=funds)
    assert model.chosen is not None
    # 2023's figure at 30 June 2023: every Hunan report of the funds up to June summed (a flow),
    # against 2023's target of 2,000,000 yuan (2024's is 2,400,000)
    spent = actual_by_hand(hunan_two_years, funds, "430000", dt.date(2023, 6, 30), 2023)
    ind = queries.indicators(con, plan_year=2023).set_index("indicator_id").loc[funds].to_dict()
    line = model.chosen.last_year
    assert "2023年6月30日" in line and "按2023年工作要点" in line, line
    assert f"实际 {fmt.value(spent, ind, 'zh')}" in line and f"全年目标 {fmt.value(2_000_000.0, ind, 'zh')}" in line
    # an indicator new in 2024 has no last year; 2023 has no plan year before it
    assert attainment_view.view(con, f, indicator=new).chosen.last_year == ""  # type: ignore[union-attr]
    earlier = attainment_view.view(con, Filters(lang="zh", plan_year=2023, as_of=dt.date(2023, 6, 30)), indicator=funds)
    assert earlier.chosen is not None and earlier.chosen.last_year == ""
    con.close()


def test_the_packs_cover_and_map_slide_are_the_other_provinces(root: Path, con: duckdb.DuckDBPyConnection) -> None:
    """The meeting pack at Hubei's 2024: its cover names Hubei's association and notice, and its map
    slide says there is no map for Hubei (no picture); the deck and the PDF's HTML render."""
    import io

    from PIL import Image
    from pptx import Presentation

    from ui.briefing import to_html, to_pptx
    from ui.briefing.build import Request, build_pack

    data = db.published_dir(root)
    pack = build_pack(
        con.cursor(), Request("zh", hubei.YEAR, hubei.AS_OF, hubei.PROVINCE, indicator=hubei.LECTURES), data_dir=data
    )
    cover = pack.slides[0]
    assert cover.title == f"{hubei.ASSOCIATION_ZH}{hubei.YEAR}年工作要点落实情况"
    assert f"（{hubei.NOTICE_NO}）" in cover.paragraphs[0] and "湖南" not in cover.paragraphs[0]
    (map_slide,) = [s for s in pack.slides if s.kind == "map"]
    assert map_slide.chart is None and map_slide.note.startswith(text("plan.no_map", "zh", province="湖北省"))
    assert [r[1] for r in map_slide.table.rows] == list(  # type: ignore[union-attr]
        attainment_view.view(con, F, indicator=hubei.LECTURES).chosen.league["region"]  # type: ignore[union-attr]
    )
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    images = {c.key: buffer.getvalue() for c in pack.charts}
    deck = Presentation(io.BytesIO(to_pptx.render_pptx(pack, images)))
    assert len(deck.slides) == len(pack.slides)
    assert to_html.render_html(pack, images).count('<section class="slide">') == len(pack.slides)
