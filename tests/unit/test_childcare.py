"""Childcare rules on the tiny childcare folder (tests/unit/tiny_childcare.py), every number by hand,
and the childcare queries against an independent pandas computation over the bundled Parquet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import childcare, db
from analytics.queries import childcare as q
from tests.unit import tiny_childcare
from tests.unit.childcare_independent import independent as _independent
from tests.unit.childcare_independent import without_prefecture

D = dt.date
H1, YEAR_END = tiny_childcare.H1, tiny_childcare.YEAR_END
FRACTION_H1 = 181 / 365  # 1 January … 30 June, days counted inclusively
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return db.connect(tiny_childcare.build(tmp_path_factory.mktemp("tiny_childcare")))


@pytest.fixture(scope="module")
def con_no_register(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    folder = tiny_childcare.build(tmp_path_factory.mktemp("tiny_childcare_empty"), with_points=False)
    return db.connect(folder)


def _judged(con: duckdb.DuckDBPyConnection, as_of: dt.date, level: str, within: str = "430000") -> pd.DataFrame:
    t = q.attainment_table(con, plan_year=2023, as_of=as_of, level=level, within=within)
    return t.set_index(["indicator_id", "region_code"])


# --- pipeline states ----------------------------------------------------------------------


def test_states_follow_the_dates_latest_stage_first() -> None:
    points = pd.DataFrame(tiny_childcare.POINTS)
    # 31 January: p1 (planned 10 Jan) and p2 (5 Jan) planned; p3 (1 Feb) and p4 (1 Mar) not yet
    assert list(childcare.state_at(points, D(2023, 1, 31))) == ["planned", "planned", None, None]
    # 31 March: p1 building since 15 Feb, p2 open since 15 Mar, p3 planned, p4 planned (1 Mar)
    assert list(childcare.state_at(points, D(2023, 3, 31))) == ["under_construction", "open", "planned", "planned"]
    # 30 June: p1 open (20 Apr), p2 closed on 10 June, p3 building since 1 May, p4 still planned
    assert list(childcare.state_at(points, H1)) == ["open", "closed", "under_construction", "planned"]


def test_pipeline_counts_every_state_at_every_month_end() -> None:
    points = pd.DataFrame(tiny_childcare.POINTS)
    pipe = childcare.pipeline(points, [D(2023, 2, 28), H1]).set_index(["period_end", "state"])
    # 28 Feb: p1 and p2 under construction (started 15 Feb, 1 Feb), p3 planned (1 Feb)
    feb = pipe.loc[D(2023, 2, 28)]
    assert feb["points"].to_dict() == {"planned": 1, "under_construction": 2, "open": 0, "closed": 0}
    # 30 June: places 50 open (p1), 30 closed (p2), 20 building (p3), 40 planned (p4)
    assert pipe.loc[H1]["places"].to_dict() == {"planned": 40, "under_construction": 20, "open": 50, "closed": 30}


def test_the_pipelines_open_band_is_the_indicator(con: duckdb.DuckDBPyConnection) -> None:
    points = q.points(con, plan_year=2023)
    for end in (D(2023, 3, 31), D(2023, 5, 31), H1, YEAR_END):
        pipe = childcare.pipeline(points, [end]).set_index("state")
        actual = _judged(con, end, "province").loc[("childcare_points_open", "430000"), "actual"]
        assert pipe.loc["open", "points"] == actual, end


def test_the_register_as_of_a_date_hides_later_events() -> None:
    points = pd.DataFrame(tiny_childcare.POINTS)
    view = childcare.points_as_of(points, D(2023, 2, 28))
    # p4 entered the plan on 1 March: not listed on 28 February
    assert list(view["point_id"]) == ["p1", "p2", "p3"]
    # p2 opened on 15 March: its opening is not known on 28 February
    assert view.loc[view["point_id"] == "p2", "opened_on"].isna().all()
    assert view.loc[view["point_id"] == "p2", "state"].item() == "under_construction"


# --- points are a stock, funds a flow --------------------------------------------------------


def test_a_point_that_closes_before_the_as_of_date_no_longer_counts(con: duckdb.DuckDBPyConnection) -> None:
    # 31 May: p1 (opened 20 Apr) and p2 (opened 15 Mar) open in A
    may = _judged(con, D(2023, 5, 31), "prefecture")
    assert may.loc[("childcare_points_open", "430100"), "actual"] == 2
    assert may.loc[("childcare_places", "430100"), "actual"] == 50 + 30
    # 30 June: p2 closed on 10 June, so only p1
    june = _judged(con, H1, "prefecture")
    assert june.loc[("childcare_points_open", "430100"), "actual"] == 1
    assert june.loc[("childcare_places", "430100"), "actual"] == 50


def test_funds_are_summed_over_the_months(con: duckdb.DuckDBPyConnection) -> None:
    # paid by 30 June: p2's 40,000 in March and p1's 50,000 in May; p2 closing does not
    # take back money already paid (a flow), p3's August payment is not yet in
    june = _judged(con, H1, "prefecture")
    assert june.loc[("childcare_funds_yuan", "430100"), "actual"] == 90_000
    year = _judged(con, YEAR_END, "prefecture")
    assert year.loc[("childcare_funds_yuan", "430100"), "actual"] == 120_000


# --- judgement against expected-by-now ------------------------------------------------------


def test_judgement_at_30_june(con: duckdb.DuckDBPyConnection) -> None:
    t = _judged(con, H1, "prefecture")
    # A, points: 1 open; expected 3 × 181/365 = 1.488, a count, so 1 whole point; 1 of 1 → on track
    row = t.loc[("childcare_points_open", "430100")]
    assert pytest.approx(1.488, abs=1e-3) == 3 * FRACTION_H1
    assert row["expected"] == 1
    assert row["status"] == "on_track"
    # A, funds: 90,000 against 150,000 × 181/365 = 74,383.6 expected → on track
    row = t.loc[("childcare_funds_yuan", "430100")]
    assert row["expected"] == pytest.approx(150_000 * FRACTION_H1)
    assert row["status"] == "on_track"
    # province funds: 90,000 / (200,000 × 181/365 = 99,178.1) = 0.907 → at risk
    province = _judged(con, H1, "province").loc[("childcare_funds_yuan", "430000")]
    assert province["pace"] == pytest.approx(90_000 / (200_000 * FRACTION_H1))
    assert province["status"] == "at_risk"


def test_a_prefecture_without_points_reported_zero(con: duckdb.DuckDBPyConnection) -> None:
    t = _judged(con, H1, "prefecture")
    for indicator in childcare.REGISTER_INDICATORS:
        row = t.loc[(indicator, "430200")]
        assert row["actual"] == 0 and row["has_data"], indicator
    # judged like any other 0: B's one point × 181/365 = 0.496 is no whole point yet → not yet due;
    # its 50,000 yuan × 181/365 = 24,794.5 expected, 0 paid → behind
    assert t.loc[("childcare_points_open", "430200"), "status"] == "not_yet_due"
    assert t.loc[("childcare_funds_yuan", "430200"), "status"] == "behind"


def test_without_a_register_nothing_was_reported(con_no_register: duckdb.DuckDBPyConnection) -> None:
    t = _judged(con_no_register, H1, "prefecture")
    for indicator in childcare.REGISTER_INDICATORS:
        for code in ("430100", "430200"):
            assert not t.loc[(indicator, code), "has_data"], (indicator, code)
    assert t.loc[("childcare_points_open", "430200"), "status"] == "no_data"
    per = q.places_per_thousand(con_no_register, plan_year=2023, as_of=H1)
    assert per["per_1000"].isna().all()


def test_counties_without_points_are_zero_and_zones_count_in_their_host(con: duckdb.DuckDBPyConnection) -> None:
    t = _judged(con, YEAR_END, "county", "430100")
    # 31 Dec: 430102 has p1 open (p4 only planned); 430103 has p3 open (in its zone 430171), p2 closed
    assert t.loc[("childcare_points_open", "430102"), "actual"] == 1
    assert t.loc[("childcare_points_open", "430103"), "actual"] == 1
    assert t.loc[("childcare_places", "430103"), "actual"] == 20
    b = _judged(con, YEAR_END, "county", "430200")
    assert b.loc[("childcare_points_open", "430202"), "actual"] == 0
    assert b.loc[("childcare_points_open", "430202"), "has_data"]


def test_item_7_milestones_are_judged_at_30_june(con: duckdb.DuckDBPyConnection) -> None:
    t = _judged(con, H1, "province")
    # done in May; the caring employers only in July: on the due date that is missed
    assert t.loc[("childcare_demo_institutions", "430000"), "status"] == "done"
    assert t.loc[("caring_employers", "430000"), "status"] == "missed"
    assert childcare.milestone_due(pd.DataFrame(tiny_childcare.TARGETS)) == H1
    # the overview judges them on the due date too once it has passed
    at_due = q.overview(con, plan_year=2023, as_of=YEAR_END).milestones_at_due.set_index("indicator_id")
    assert at_due.loc["caring_employers", "status"] == "missed"
    # and at the year's end it reads done late, reached in July (never plain "done")
    year = _judged(con, YEAR_END, "province").loc[("caring_employers", "430000")]
    assert (year["status"], year["reached_on"]) == ("done_late", dt.date(2023, 7, 31))
    assert q.overview(con, plan_year=2023, as_of=H1).milestones_at_due.empty
    late = _judged(con, YEAR_END, "province")
    assert late.loc[("childcare_demo_institutions", "430000"), "status"] == "done"  # done in May, on time


# --- places per 1,000 residents ---------------------------------------------------------------


def test_places_per_thousand(con: duckdb.DuckDBPyConnection) -> None:
    per = q.places_per_thousand(con, plan_year=2023, as_of=H1).set_index("region_code")
    # 30 June: 50 places open (p1) in A of 2,000,000 people → 0.025 per 1,000; B 0; province 50 / 3,000,000
    assert per.loc["430100", "per_1000"] == pytest.approx(0.025)
    assert per.loc["430200", "per_1000"] == 0
    assert per.loc["430000", "per_1000"] == pytest.approx(50 / 3_000_000 * 1000)
    # A would need 2,000,000 × 4.5 / 1,000 = 9,000 places for the national goal
    assert per.loc["430100", "places_for_goal"] == pytest.approx(9000)
    assert per.loc["430100", "share_of_goal"] == pytest.approx(50 / 9000)


def test_per_thousand_keeps_missing_missing() -> None:
    places = pd.DataFrame(
        {"region_code": ["a", "b", "c"], "places": [10.0, None, 5.0], "has_data": [True, False, True]}
    )
    population = pd.DataFrame({"region_code": ["a", "b"], "population": [1000.0, 2000.0]})
    out = childcare.per_thousand(places, population).set_index("region_code")
    assert out.loc["a", "per_1000"] == 10
    assert pd.isna(out.loc["b", "per_1000"])  # no data
    assert pd.isna(out.loc["c", "per_1000"])  # no population


def test_the_goal_matches_its_source() -> None:
    src = pd.read_csv(ROOT / "data/reference/sources/childcare.csv")
    goal = src[src["indicator"] == "childcare_places_per_1000_pop_under3_TARGET"]
    assert goal["value"].item() == childcare.GOAL_PER_1000
    assert str(goal["year"].item()) == str(childcare.GOAL_YEAR)
    assert "十四五" in goal["source"].item()


def test_fill_register_zeros_adds_only_missing_rows() -> None:
    actuals = pd.DataFrame(
        {
            "indicator_id": ["childcare_points_open"],
            "region_code": ["a"],
            "actual": [2.0],
            "n_rows": [12],
            "last_period": [pd.Timestamp("2023-06-30")],
        }
    )
    out = childcare.fill_register_zeros(
        actuals, ["a", "b"], register_points=5, indicator_ids=("childcare_points_open",)
    )
    assert out.set_index("region_code")["actual"].to_dict() == {"a": 2.0, "b": 0.0}
    assert (out["n_rows"] > 0).all()
    untouched = childcare.fill_register_zeros(actuals, ["a", "b"], register_points=0)
    assert len(untouched) == 1


# --- the bundled data against an independent computation -----------------------------------------


@pytest.fixture(scope="module")
def bundled() -> duckdb.DuckDBPyConnection:
    return db.connect(db.DEFAULT_DATA_DIR)


@pytest.mark.parametrize("as_of", [D(2023, 6, 30), D(2023, 7, 31), YEAR_END])
@pytest.mark.parametrize("code", ["430000", "430100", "431100"])
def test_bundled_figures_match_an_independent_computation(
    bundled: duckdb.DuckDBPyConnection, code: str, as_of: dt.date
) -> None:
    # 431100 永州 has a point that closed on 2023-07-21: open on 30 June, not on 31 July
    expected = _independent(db.DEFAULT_DATA_DIR, as_of).loc[code]
    level = "province" if code == "430000" else "prefecture"
    t = _judged(bundled, as_of, level, code)
    assert t.loc[("childcare_points_open", code), "actual"] == expected["points"]
    assert t.loc[("childcare_places", code), "actual"] == expected["places"]
    assert t.loc[("childcare_funds_yuan", code), "actual"] == pytest.approx(expected["funds"])
    per = q.places_per_thousand(bundled, plan_year=2023, as_of=as_of).set_index("region_code")
    assert per.loc[code, "per_1000"] == pytest.approx(expected["per_1000"])


def test_a_prefecture_without_points_in_the_bundled_data(tmp_path: Path) -> None:
    # 张家界 (430800) has one point in the bundled register; without it, it has reported none
    data = without_prefecture(tmp_path, "430800")
    con = db.connect(data)
    expected = _independent(data, YEAR_END).loc["430800"]
    assert (expected["points"], expected["places"], expected["funds"]) == (0, 0, 0)
    t = _judged(con, YEAR_END, "prefecture")
    assert t.loc[("childcare_points_open", "430800"), "actual"] == 0
    assert t.loc[("childcare_points_open", "430800"), "has_data"]
    assert t.loc[("childcare_points_open", "430800"), "status"] == "missed"  # 0 of 1 on 31 Dec
    assert t.loc[("childcare_funds_yuan", "430800"), "actual"] == 0
    per = q.places_per_thousand(con, plan_year=2023, as_of=YEAR_END).set_index("region_code")
    assert per.loc["430800", "per_1000"] == 0
    # the other prefectures are untouched
    assert t.loc[("childcare_points_open", "430100"), "actual"] == _independent(data, YEAR_END).loc["430100", "points"]


def test_no_register_in_the_bundled_data_is_no_data(tmp_path: Path) -> None:
    con = db.connect(without_prefecture(tmp_path, None))
    t = _judged(con, YEAR_END, "prefecture")
    # nothing reported by the due date: overdue, not grey
    assert t.loc[("childcare_points_open", "430800"), "status"] == "overdue_no_report"
    assert not t.loc[("childcare_funds_yuan", "430800"), "has_data"]
    # item 7 comes from the progress export, which is still there
    province = _judged(con, YEAR_END, "province")
    assert province.loc[("childcare_demo_institutions", "430000"), "has_data"]


def test_the_overview_judges_a_prefectures_counties_like_the_single_query(con: duckdb.DuckDBPyConnection) -> None:
    counties = q.overview(con, plan_year=2023, as_of=YEAR_END, region="430100").counties
    alone = _judged(con, YEAR_END, "county", "430100").reset_index()
    alone = alone[alone["indicator_id"].isin(childcare.REGISTER_INDICATORS)]
    key = ["indicator_id", "region_code"]
    cols = [*key, "actual", "has_data", "status"]
    pd.testing.assert_frame_equal(
        counties[cols].sort_values(key).reset_index(drop=True), alone[cols].sort_values(key).reset_index(drop=True)
    )
    # only the chosen prefecture's counties (430102, 430103: the zone 430171 reports via its host)
    assert sorted(counties["region_code"].unique()) == ["430102", "430103"]


# --- the association's contribution, without the national target (issue 17, item 8) ----------


def _drawn_at(fig: object, x: float) -> list[str]:
    """Everything in a figure that sits at ``x`` on the value axis: shapes, annotations, traces."""
    import plotly.graph_objects as go

    assert isinstance(fig, go.Figure)
    out = [f"shape {s.type}" for s in fig.layout.shapes if x in (s.x0, s.x1)]
    out += [f"annotation {a.text}" for a in fig.layout.annotations]
    for trace in fig.data:
        axis = trace.x if trace.orientation == "h" else trace.y
        values = [v for v in (list(axis) if axis is not None else []) if v is not None]
        if trace.type != "bar" and values and all(float(v) == x for v in values):
            out.append(f"trace {trace.name}")
    return out


def test_the_places_chart_draws_no_target_line(con: duckdb.DuckDBPyConnection) -> None:
    from ui.charts import childcare as charts

    per = q.places_per_thousand(con, plan_year=2023, as_of=H1)
    fig = charts.per_thousand_bars(
        per, labels={"430000": "P", "430100": "A", "430200": "B"}, highlight=[], x_title="x", no_data="—"
    )
    assert _drawn_at(fig, 4.5) == []
    assert [t.type for t in fig.data] == ["bar"]  # the bars of the association's places, nothing else
    assert not fig.layout.shapes and not fig.layout.annotations
    # the axis follows the bars (A: 50 places / 2,000,000 × 1,000 = 0.025), it does not stretch to 4.5
    assert fig.layout.xaxis.range[1] == pytest.approx(0.025 * 1.25)


def test_society_context_is_public_figures_with_their_sources() -> None:
    from views import childcare as charts  # the figures are the view model's data, not a chart's

    src = pd.read_csv(ROOT / "data/reference/sources/childcare.csv")
    national = src[(src["division_code"] == 100000) & src["value"].notna()].set_index("year")["value"]
    figures = {f.key: f for f in charts.SOCIETY_CONTEXT}
    assert figures["national_goal"].value == national["2025"] == 4.5
    assert figures["national_2021"].value == national["2021"] == 2.03
    assert figures["national_2021"].low_confidence  # the CSV: "LOW source quality"
    assert figures["changsha_2024"].value == 3.93 and figures["changsha_2024"].as_of == "2024-06"
    words = {f"{k}.{w}": f"{k}-{w}" for k in figures for w in ("region", "what", "source")}
    words |= {"tier.official_reprint": "reprint", "low_confidence": " (low)"}
    cols = {c: c for c in ("region", "what", "value", "as_of", "source", "tier")}
    table = charts.context_table(charts.SOCIETY_CONTEXT, words=words, columns=cols)
    assert len(table) == 3 and table["source"].str.len().gt(0).all()
    assert table.set_index("region").loc["national_2021-region", "tier"] == "reprint (low)"
