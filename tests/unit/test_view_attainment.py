"""views.attainment.view on the bundled data, against figures worked out here with pandas straight
over the Parquet files (never read back from the view): the indicators the page offers, the
headline, the map and league of the level below, the scorecard, the download, the series and the
meeting pack's area tables with the regions behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db
from ui.theme import STATUS_COLORS, STATUS_MARK
from views import attainment
from views.filters import Filters
from views.i18n import catalog

DATA = Path(__file__).resolve().parents[2] / "data"
JUNE, DECEMBER = dt.date(2023, 6, 30), dt.date(2023, 12, 31)
CHANGSHA = "430100"


def _read(folder: str) -> pd.DataFrame:
    return pd.read_parquet(DATA / folder)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return db.connect(DATA)


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return _read("reference/regions")


def _view(con: duckdb.DuckDBPyConnection, f: Filters, **choices: str) -> attainment.AttainmentModel:
    return attainment.view(con.cursor(), f, **choices)


def _coverage(regions: pd.DataFrame, prefecture: str | None, as_of: dt.date) -> float:
    """Share of village-level units whose latest instructor report by ``as_of`` has 2 or more in post."""
    villages = regions[regions["level"] == "village"]
    if prefecture:
        villages = villages[villages["prefecture_code"] == prefecture]
    ins = _read("exports/instructors")
    ins = ins[pd.to_datetime(ins["period_end"]) <= pd.Timestamp(as_of)].sort_values("period_end")
    latest = ins.groupby("region_code")["instructors_in_post"].last()
    return float(latest.reindex(villages["region_code"]).ge(2).sum() / len(villages))


def _flow(indicator: str, prefix: str, as_of: dt.date) -> float:
    """A flow's total reported by ``as_of`` in the regions whose code starts with ``prefix``."""
    p = _read("exports/progress")
    p = p[
        (p["indicator_id"] == indicator)
        & (pd.to_datetime(p["period_end"]) <= pd.Timestamp(as_of))
        & p["region_code"].str.startswith(prefix)
    ]
    return float(p["value"].sum())


def test_the_indicators_offered_are_those_judged_at_the_prefectures(
    con: duckdb.DuckDBPyConnection, regions: pd.DataFrame
) -> None:
    model = _view(con, Filters("zh", 2023, JUNE))
    inds = _read("plan/indicators")
    targets = _read("plan/targets")
    prefectures = set(regions.loc[regions["level"] == "prefecture", "region_code"])
    # a target set for prefectures, or an every-county rule a prefecture is judged on by its counties
    expected = set(targets.loc[targets["region_code"].isin(prefectures), "indicator_id"]) | set(
        inds.loc[(inds["target_rule"] == "every_region_at_least") & (inds["target_level"] == "county"), "indicator_id"]
    )
    assert {o.indicator_id for o in model.options} == expected
    names = dict(zip(inds["indicator_id"], inds["name_zh"], strict=True))
    assert all(o.name == names[o.indicator_id] for o in model.options)
    assert (model.level, model.level_name) == ("prefecture", "市州")
    assert model.chosen is not None and model.chosen.indicator_id == "instructor_coverage"

    # an indicator not judged here (a province-only target) or not in the plan: the default
    for wanted in ("capacity_class_held", "no_such_indicator"):
        other = _view(con, Filters("zh", 2023, JUNE), indicator=wanted)
        assert other.chosen is not None and other.chosen.indicator_id == "instructor_coverage"

    # the scorecard: every judged indicator but the components, in every prefecture
    components = set(inds.loc[inds["is_component"], "indicator_id"])
    card = model.scorecard.table
    assert set(card["indicator_id"]) == expected - components
    assert len(card) == len(expected - components) * len(prefectures)
    assert set(card["region_code"]) == prefectures


def test_headline_map_and_league_of_instructor_coverage_on_the_deadline(
    con: duckdb.DuckDBPyConnection, regions: pd.DataFrame
) -> None:
    """On 31 December the target (100 %) is due: a prefecture is done at 100 % and missed below it,
    and the league ranks them by coverage (the pace is coverage ÷ 100 %)."""
    zh = catalog("zh")
    model = _view(con, Filters("zh", 2023, DECEMBER), indicator="instructor_coverage")
    shown = model.chosen
    assert shown is not None and shown.headline is not None
    assert shown.headline.actual == f"{_coverage(regions, None, DECEMBER):.1%}"
    assert shown.headline.target == "100.0%"

    prefectures = regions[regions["level"] == "prefecture"]
    share = {c: _coverage(regions, c, DECEMBER) for c in prefectures["region_code"]}
    status = {c: "done" if s == 1 else "missed" for c, s in share.items()}
    ranked = sorted(share, key=lambda c: (-share[c], status[c] != "done"))
    league = shown.league
    assert list(league["code"]) == ranked
    assert list(league["rank"]) == list(range(1, 15))
    assert list(league["actual"]) == [f"{share[c]:.1%}" for c in ranked]
    assert list(league["status_code"]) == [status[c] for c in ranked]
    assert list(league["status"]) == [f"{STATUS_MARK[status[c]]} {zh[f'status.{status[c]}']}" for c in ranked]
    names = dict(zip(prefectures["region_code"], prefectures["name_zh"], strict=True))
    assert list(league["region"]) == [names[c] for c in ranked]
    assert list(shown.league_shown.columns) == ["rank", "region", "actual", "expected", "pace", "status"]

    rows = shown.map.rows.set_index("region_code")
    assert set(rows.index) == set(prefectures["region_code"])
    assert rows["status"].to_dict() == status
    assert rows["name"].to_dict() == names
    assert shown.map.colors == {c: STATUS_COLORS[s] for c, s in status.items()}
    assert [label for label, _ in shown.map.legend] == [
        f"{STATUS_MARK[s]} {zh[f'status.{s}']}" for s in ("done", "missed") if s in status.values()
    ]
    assert shown.map.click_note == zh["attainment.map_click"]

    # the meeting pack's area table: the prefectures short of 100 %, the lowest coverage first
    row = next(r for a in model.areas for r in a.rows if r.indicator_id == "instructor_coverage")
    short = sorted((c for c in share if share[c] < 1), key=lambda c: (share[c], c))
    assert list(row.behind) == short
    assert list(row.behind_names) == [names[c] for c in short]
    assert row.actual == f"{_coverage(regions, None, DECEMBER):.1%}"


def test_a_prefecture_in_english_counts_its_counties(con: duckdb.DuckDBPyConnection, regions: pd.DataFrame) -> None:
    en = catalog("en")
    model = _view(con, Filters("en", 2023, JUNE, CHANGSHA), indicator="family_health_funds_yuan")
    shown = model.chosen
    assert shown is not None and shown.headline is not None
    assert shown.indicator_id == "family_health_funds_yuan"
    assert shown.headline.actual == f"{_flow('family_health_funds_yuan', '4301', JUNE):,.0f}"
    counties = regions[(regions["level"] == "county") & (regions["prefecture_code"] == CHANGSHA)]
    assert model.level == "county"
    assert set(shown.map.rows["region_code"]) == set(counties["region_code"])
    actual = dict(zip(shown.league["code"], shown.league["actual"], strict=True))
    for code in counties["region_code"]:
        assert actual[code] == f"{_flow('family_health_funds_yuan', code, JUNE):,.0f}", code
    assert shown.map.click_note == ""  # counties have nothing below them to open
    name = str(regions.loc[regions["region_code"] == CHANGSHA, "name_en"].iloc[0])
    assert shown.series.title == en["attainment.series_title"].format(region=name)

    # the download: every indicator in Changsha and its counties, in English, figures as reported
    table = model.download.table
    assert set(table[en["download.col.region_code"]]) == set(counties["region_code"]) | {CHANGSHA}
    own = table[
        (table[en["download.col.region_code"]] == CHANGSHA)
        & (table[en["download.col.indicator_id"]] == "family_health_funds_yuan")
    ]
    assert own[en["attainment.col.actual"]].iloc[0] == pytest.approx(_flow("family_health_funds_yuan", "4301", JUNE))
    assert model.download.basename == f"attainment_{CHANGSHA}_{JUNE.isoformat()}"


def test_the_series_and_the_area_tables(con: duckdb.DuckDBPyConnection, regions: pd.DataFrame) -> None:
    model = _view(con, Filters("zh", 2023, JUNE))
    shown = model.chosen
    assert shown is not None
    series = shown.series
    assert len(series.data) == 12 and series.percent
    assert series.title == "逐月进度：全省"
    assert not series.baseline_zero  # January was reported: the expected line starts from its level
    june = series.data[pd.to_datetime(series.data["month_end"]) == pd.Timestamp(JUNE)]
    assert june["actual"].iloc[0] == pytest.approx(_coverage(regions, None, JUNE))

    # each area lists its items' indicators but the components, in the plan's order
    inds = _read("plan/indicators")
    items = _read("plan/plan_items")
    inds = inds[~inds["is_component"]].merge(items[["item_no", "area_no"]], on="item_no")
    inds = inds.sort_values(["item_no", "display_order"])
    assert [a.area_no for a in model.areas] == sorted(items["area_no"].unique())
    for area in model.areas:
        assert [r.indicator_id for r in area.rows] == list(inds.loc[inds["area_no"] == area.area_no, "indicator_id"])
        with_indicators = set(_read("plan/indicators")["item_no"])
        mine = items[(items["area_no"] == area.area_no) & ~items["item_no"].isin(with_indicators)]
        assert [n for n, _ in area.untargeted] == sorted(mine["item_no"])
    # an interpreted target says so (the pack stars it and quotes the association's reading)
    targets = _read("plan/targets")
    province = targets[targets["region_code"] == "430000"].set_index("indicator_id")
    for row in (r for a in model.areas for r in a.rows):
        interpreted = row.indicator_id in province.index and province.at[row.indicator_id, "basis"] == "interpreted"
        assert row.interpreted == interpreted, row.indicator_id
