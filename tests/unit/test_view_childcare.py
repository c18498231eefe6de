"""The childcare page's view model (views/childcare.view): on the tiny childcare folder every figure
and word is worked out by hand (tests/unit/tiny_childcare.py's table of four points), and on the
bundled data its headline and its list of points agree with pandas straight over the Parquet."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analytics import db
from tests.unit import tiny_childcare
from tests.unit.childcare_independent import independent
from views import childcare
from views.filters import Filters
from views.i18n import catalog

D = dt.date
H1, YEAR_END = tiny_childcare.H1, tiny_childcare.YEAR_END
A, B = "430100", "430200"  # 甲市 (p1…p4), 乙市 (no point)


def zh(key: str, **values: object) -> str:
    found = catalog("zh")[key]
    return found.format(**values) if values else found


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return db.connect(tiny_childcare.build(tmp_path_factory.mktemp("tiny_childcare_view")))


@pytest.fixture(scope="module")
def con_no_register(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return db.connect(tiny_childcare.build(tmp_path_factory.mktemp("tiny_childcare_view_empty"), with_points=False))


def _kpis(model: childcare.ChildcareModel) -> dict[str, childcare.Kpi]:
    return {k.key: k for k in model.kpis}


# --------------------------------------------------------------------------- the tiny folder, by hand


def test_the_provinces_headline_on_30_june(con: duckdb.DuckDBPyConnection) -> None:
    model = childcare.view(con, Filters("zh", 2023, H1))
    k = _kpis(model)
    assert model.headline == zh("childcare.headline", region=zh("filters.whole_province"))
    # 30 June: p1 open (p2 closed 10 June, p3 opens in July, p4 only planned): 1 point, its 50 places
    # of 3,000,000 residents; 4 points expected × 181/365 = 1.98, counted in whole points: 1 → on track
    assert k["points"].value == "1"
    assert k["points"].lines == (zh("childcare.kpi.target_expected", target="4", expected="1"),)
    assert (k["points"].status, k["points"].status_text) == ("on_track", "→ " + zh("status.on_track"))
    # paid by then: p2's 40,000 (March) and p1's 50,000 (May); 200,000 × 181/365 = 99,178.08 expected,
    # 90,000 / 99,178 = 0.91 of it → at risk
    assert k["funds"].value == "90,000"
    assert k["funds"].lines == (zh("childcare.kpi.target_expected", target="200,000", expected="99,178"),)
    assert k["funds"].status == "at_risk"
    # places have no target: no caption, no badge
    assert (k["places"].value, k["places"].lines, k["places"].status_text) == ("50", (), "")
    assert k["per_1000"].value == "0.017"  # 50 / 3,000,000 × 1,000 = 0.0167
    assert model.register_rule == zh("childcare.rule.register")


def test_the_breakdown_and_the_map_judge_each_prefecture(con: duckdb.DuckDBPyConnection) -> None:
    model = childcare.view(con, Filters("zh", 2023, H1))
    assert model.names == {A: "甲市", B: "乙市"}
    table = model.breakdown.set_index("region_code")
    # A: p1 open, 90,000 paid; B has no point on a register that exists: 0, judged like any 0
    assert table.loc[A, "points"] == 1 and table.loc[B, "points"] == 0
    assert table.loc[A, "funds"] == 90_000 and table.loc[B, "funds"] == 0
    # A: 3 × 181/365 = 1.49 → 1 whole point, 1 open → on track; B: 0.50 → no whole point yet → not yet due;
    # funds A 90,000 of 150,000 × 181/365 = 74,384 → on track; B 0 of 24,795 → behind
    assert dict(table["points_status"]) == {A: "on_track", B: "not_yet_due"}
    assert dict(table["funds_status"]) == {A: "on_track", B: "behind"}
    shown = model.breakdown_table.set_index(zh("childcare.col.region"))
    assert shown.loc["乙市", zh("childcare.col.funds_status")] == "↓ " + zh("status.behind")
    # the download adds each status's words and code beside the table
    code_col = f"{zh('childcare.col.funds_status')} · {zh('status.col.code')}"
    assert list(model.breakdown_download[code_col]) == ["on_track", "behind"]
    points = model.maps["points"]
    assert points.level == "prefecture" and points.status == {A: "on_track", B: "not_yet_due"}
    assert points.legend == ("on_track", "not_yet_due", "no_data")  # the status set's order, no data always
    assert points.labels == {A: "甲市<br>1", B: "乙市<br>0"}
    places = model.maps["places"]  # no target: a colour scale over the values
    assert places.status == {} and places.values == {A: 50.0, B: 0.0}
    assert places.note == zh("childcare.map.scale_note")
    per = model.maps["per_1000"]
    assert per.labels == {A: "甲市<br>0.025", B: "乙市<br>0.000"}  # 50 / 2,000,000 × 1,000


def test_the_pipeline_places_and_per_thousand(con: duckdb.DuckDBPyConnection) -> None:
    model = childcare.view(con, Filters("zh", 2023, H1))
    pipe = model.pipeline
    assert sorted(set(pipe["period_end"])) == [
        D(2023, m, 28 if m == 2 else 30 if m in (4, 6) else 31) for m in range(1, 7)
    ]
    june = pipe[pipe["period_end"] == H1].set_index("state")
    # p4 planned, p3 building, p1 open, p2 closed
    assert june["points"].to_dict() == {"planned": 1, "under_construction": 1, "open": 1, "closed": 1}
    by_state = model.places_by_state.set_index(["prefecture_code", "state"])["places"]
    assert by_state[(A, "open")] == 50 and by_state[(A, "planned")] == 40 and by_state[(A, "under_construction")] == 20
    assert by_state[B].sum() == 0
    per = model.per_thousand_table.set_index(zh("childcare.col.region"))[zh("childcare.col.per_1000")]
    assert per.to_dict() == {zh("filters.whole_province"): round(50 / 3000, 4), "甲市": 0.025, "乙市": 0.0}
    assert model.per_thousand_labels == {"430000": zh("filters.whole_province"), A: "甲市", B: "乙市"}
    assert model.highlight == ()


def test_item_7_on_30_june_and_at_the_years_end(con: duckdb.DuckDBPyConnection) -> None:
    june = {m.indicator_id: m for m in childcare.view(con, Filters("zh", 2023, H1)).milestones}
    # demonstration institutions reported done in May; the caring employers only in July
    assert june["childcare_demo_institutions"].value == zh("childcare.milestones.created")
    assert june["childcare_demo_institutions"].status == "done"
    assert june["caring_employers"].value == zh("childcare.milestones.not_created")
    assert june["caring_employers"].status == "missed"
    assert june["caring_employers"].due == zh("childcare.milestones.due", due="2023-06-30")
    assert june["caring_employers"].at_due == ""  # the due date has not passed yet
    december = {m.indicator_id: m for m in childcare.view(con, Filters("zh", 2023, YEAR_END)).milestones}
    late = december["caring_employers"]
    assert late.value == zh("childcare.milestones.created")
    assert late.status_text == "(√) " + zh("status.done_late_on", date="7月31日")
    assert late.at_due == zh(
        "childcare.milestones.at_due",
        due="2023-06-30",
        state=zh("childcare.milestones.not_created"),
        status="× " + zh("status.missed"),
    )


def test_a_prefecture_shows_its_counties(con: duckdb.DuckDBPyConnection) -> None:
    model = childcare.view(con, Filters("zh", 2023, YEAR_END, A))
    k = _kpis(model)
    # 31 December in A: p1 and p3 open (p2 closed, p4 planned), 50 + 20 places, 120,000 paid in all
    assert (k["points"].value, k["places"].value, k["funds"].value) == ("2", "70", "120,000")
    assert k["per_1000"].value == "0.035"  # 70 / 2,000,000 × 1,000
    assert model.by_region_title == zh("childcare.by_region.county", region="甲市")
    # counties (the zone 430171 reports through its host 430103): no targets, figures only
    assert model.names == {"430102": "甲一区", "430103": "甲二区"}
    assert list(model.breakdown_table.columns) == [
        zh(f"childcare.col.{c}") for c in ("region", "points", "funds", "places")
    ]
    assert list(model.breakdown_table[zh("childcare.col.points")]) == [1, 1]
    assert model.maps["points"].level == "county" and model.maps["points"].status == {}
    assert model.maps["per_1000"].level == "prefecture"  # the population goes no lower
    assert zh("childcare.map.county_note") in model.maps["per_1000"].note
    assert model.highlight == (A,)
    assert model.points.region_filter == zh("childcare.points.filter_county")


def test_the_list_of_points_as_it_stood(con: duckdb.DuckDBPyConnection) -> None:
    points = childcare.view(con, Filters("zh", 2023, D(2023, 2, 28))).points
    ids = zh("childcare.col.point_id")
    # p4 entered the plan on 1 March; p2's opening (15 March) is not known yet
    assert list(points.table[ids]) == ["p1", "p2", "p3"]
    p2 = points.table.set_index(ids).loc["p2"]
    assert pd.isna(p2[zh("childcare.col.opened_on")]) and p2[zh("childcare.col.state")] == zh(
        "childcare.state.under_construction"
    )
    year = childcare.view(con, Filters("zh", 2023, YEAR_END)).points
    assert list(year.shown(states=["closed"])[ids]) == ["p2"]
    assert list(year.shown(states=["open"], regions=[A])[ids]) == ["p1", "p3"]
    assert year.shown(regions=[B]).empty
    assert len(year.shown()) == 4 and len(year.shown(operators=["public"])) == 4
    assert year.date_columns[0] == zh("childcare.col.planned_on")


def test_without_a_register_every_figure_is_no_data(con_no_register: duckdb.DuckDBPyConnection) -> None:
    model = childcare.view(con_no_register, Filters("en", 2023, YEAR_END, B))
    no_data = catalog("en")["status.no_data"]
    assert {k.key: k.value for k in model.kpis} == dict.fromkeys(("points", "funds", "places", "per_1000"), no_data)
    assert model.register_rule == catalog("en")["childcare.rule.register_empty"].format(year=2023)
    assert model.points.table.empty


# --------------------------------------------------------------------------- the bundled data


@pytest.fixture(scope="module")
def bundled() -> duckdb.DuckDBPyConnection:
    return db.connect(db.DEFAULT_DATA_DIR)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", ["430000", "430100", "431100"])
def test_the_bundled_headline_matches_pandas(bundled: duckdb.DuckDBPyConnection, code: str, lang: str) -> None:
    as_of = D(2023, 7, 31)  # 永州's point closed on 21 July no longer counts
    truth = independent(db.DEFAULT_DATA_DIR, as_of).loc[code]
    k = _kpis(childcare.view(bundled, Filters(lang, 2023, as_of, code)))
    assert k["points"].value == f"{int(truth['points']):,}"
    assert k["places"].value == f"{int(truth['places']):,}"
    assert k["funds"].value == f"{truth['funds']:,.0f}"
    assert k["per_1000"].value == f"{truth['per_1000']:.3f}"


def test_the_bundled_list_of_points_matches_pandas(bundled: duckdb.DuckDBPyConnection) -> None:
    pts = pd.read_parquet(db.DEFAULT_DATA_DIR / "exports/childcare_points")
    pts = pts[pts["plan_year"] == 2023]
    day = pd.Timestamp(YEAR_END)
    closed = pts[pd.to_datetime(pts["closed_on"]) <= day]
    listed = pts[pd.to_datetime(pts["planned_on"]) <= day]
    points = childcare.view(bundled, Filters("zh", 2023, YEAR_END)).points
    ids = zh("childcare.col.point_id")
    assert sorted(points.table[ids]) == sorted(listed["point_id"])
    assert sorted(points.shown(states=["closed"])[ids]) == sorted(closed["point_id"])
