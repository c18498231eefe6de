"""The data explorer on its tiny data folder (tests/unit/tiny_explorer.py); every number by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db, explorer
from analytics.explorer import ALL, Options, State
from analytics.queries import explorer as queries
from tests.unit import tiny_explorer

D = dt.date
AS_OF = D(2023, 9, 30)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return db.connect(tiny_explorer.build(tmp_path_factory.mktemp("tiny_explorer")))


def facts(con: duckdb.DuckDBPyConnection, indicator: str, *, level: str = "prefecture", grain: str = "quarter",
          regions: tuple[str, ...] = (), as_of: dt.date = AS_OF) -> dict[tuple[str, str], float | None]:  # fmt: skip
    """(region or ALL, period or ALL) → value, for one indicator."""
    found = queries.pivot_facts(
        con, plan_year=2023, as_of=as_of, level=level, grain=grain, within="430000",
        indicator_ids=[indicator], regions=regions,
    )  # fmt: skip
    found = found[found["indicator_id"] == indicator]
    return {
        (ALL if pd.isna(r) else r, ALL if pd.isna(p) else p): (None if pd.isna(v) else float(v))
        for r, p, v in zip(found["region_code"], found["period"], found["value"], strict=True)
    }


# --- periods ---------------------------------------------------------------------------------


def test_periods_stop_at_the_as_of_date() -> None:
    months = explorer.periods("month", 2023, D(2023, 3, 31))
    assert [(p.key, p.start, p.end) for p in months] == [
        ("2023-01", D(2023, 1, 1), D(2023, 1, 31)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2023-03", D(2023, 3, 1), D(2023, 3, 31)),
    ]
    # the quarter in progress ends at the as-of date and says so
    quarters = explorer.periods("quarter", 2023, D(2023, 8, 31))
    assert [(p.key, p.start, p.end, p.partial) for p in quarters] == [
        ("2023Q1", D(2023, 1, 1), D(2023, 3, 31), False),
        ("2023Q2", D(2023, 4, 1), D(2023, 6, 30), False),
        ("2023Q3", D(2023, 7, 1), D(2023, 8, 31), True),
    ]
    ytd = explorer.periods("ytd", 2023, D(2023, 2, 28))
    assert [(p.start, p.end) for p in ytd] == [(D(2023, 1, 1), D(2023, 1, 31)), (D(2023, 1, 1), D(2023, 2, 28))]
    with pytest.raises(ValueError, match="grain"):
        explorer.periods("week", 2023, AS_OF)


# --- aggregation from the components ------------------------------------------------------------


def test_ratio_totals_are_the_ratio_of_the_sums(con: duckdb.DuckDBPyConnection) -> None:
    f = facts(con, "share")
    # end of Q1: A = (1+0)/(3+1), B = 2/2; all regions (2+... ) = 3/6, not the mean 0.625 of 1/4 and 1
    assert f[("430100", "2023Q1")] == pytest.approx(1 / 4)
    assert f[("430200", "2023Q1")] == pytest.approx(1.0)
    assert f[(ALL, "2023Q1")] == pytest.approx(3 / 6)
    assert f[(ALL, "2023Q1")] != pytest.approx((1 / 4 + 1) / 2)
    # end of Q2: 430102 has 3 of 3 → A = 3/4, all = 5/6
    assert f[("430100", "2023Q2")] == pytest.approx(3 / 4)
    assert f[(ALL, "2023Q2")] == pytest.approx(5 / 6)
    # the whole period is the ratio at its end (both components are stocks), not a mean of quarters
    assert f[("430100", ALL)] == pytest.approx(3 / 4)
    assert f[(ALL, ALL)] == pytest.approx(5 / 6)


def test_ratio_of_a_prefecture_is_not_the_mean_of_its_counties(con: duckdb.DuckDBPyConnection) -> None:
    county = facts(con, "share", level="county")
    assert county[("430102", "2023Q1")] == pytest.approx(1 / 3)
    assert county[("430103", "2023Q1")] == pytest.approx(0.0)  # reported 0 covered: 0, not no data
    # all three counties: (1+0+2)/(3+1+2)
    assert county[(ALL, "2023Q1")] == pytest.approx(3 / 6)
    narrowed = facts(con, "share", level="county", regions=("430102", "430103"))
    assert narrowed[(ALL, "2023Q1")] == pytest.approx(1 / 4)  # = A, not the mean 1/6 of 1/3 and 0


def test_the_pivot_shows_the_totals_it_is_given(con: duckdb.DuckDBPyConnection) -> None:
    """The laid-out table carries the SQL's totals: its "total" row is not the sum or mean of the rows above."""
    state = State(indicators=("share",), level="prefecture", grain="quarter", rows=("region",), cols=("period",))
    found = queries.pivot_facts(
        con, plan_year=2023, as_of=AS_OF, level="prefecture", grain="quarter", within="430000", indicator_ids=["share"]
    )
    keys = [p.key for p in explorer.periods("quarter", 2023, AS_OF)]
    table = explorer.pivot(found, state, regions=["430100", "430200"], period_keys=keys).table
    assert list(table.index.get_level_values("region")) == ["430100", "430200", ALL]
    assert list(table.columns.get_level_values("period")) == ["2023Q1", "2023Q2", "2023Q3", ALL]
    table.index, table.columns = table.index.get_level_values(0), table.columns.get_level_values(0)
    assert table.loc[ALL, "2023Q1"] == pytest.approx(0.5)
    assert table.loc[ALL, "2023Q1"] != pytest.approx(table.loc[["430100", "430200"], "2023Q1"].mean())
    assert table.loc["430100", ALL] == pytest.approx(0.75)


def test_flows_sum_over_the_window_and_missing_stays_missing(con: duckdb.DuckDBPyConnection) -> None:
    f = facts(con, "cases")
    assert f[("430100", "2023Q1")] == 6
    assert f[("430100", "2023Q2")] == 4
    assert f[("430200", "2023Q1")] == 0  # reported 0
    assert f[("430200", "2023Q2")] == 5
    # nothing reported in Q3 anywhere: no data, never 0
    assert f.get(("430100", "2023Q3")) is None
    assert f.get((ALL, "2023Q3")) is None
    assert (f[("430100", ALL)], f[("430200", ALL)], f[(ALL, ALL)]) == (10, 5, 15)
    month = facts(con, "cases", grain="month")
    assert month[("430100", "2023-03")] == 3
    assert month.get(("430200", "2023-03")) is None  # B reported nothing in March
    ytd = facts(con, "cases", grain="ytd")
    assert (ytd[("430100", "2023-01..02")], ytd[("430200", "2023-01..02")]) == (3, 0)
    assert ytd[(ALL, "2023-01..09")] == 15


def test_stocks_take_the_last_value_of_the_window(con: duckdb.DuckDBPyConnection) -> None:
    quarter = facts(con, "homes")
    assert quarter[("430100", "2023Q1")] == 5
    assert quarter[("430100", "2023Q2")] == 5  # nothing new in Q2: March's figures stay
    assert quarter[("430100", "2023Q3")] == 8
    assert quarter[("430100", ALL)] == 8  # at 30 September, not 5 + 5 + 8
    assert quarter.get(("430200", "2023Q1")) is None  # B never reported homes
    assert quarter[(ALL, "2023Q3")] == 8
    ytd = facts(con, "homes", grain="ytd")
    assert ytd[("430100", "2023-01..01")] == 1  # 430103 has not reported yet
    assert ytd[("430100", "2023-01..02")] == 4
    assert ytd[("430100", "2023-01..06")] == 5
    month = facts(con, "homes", grain="month", level="county")
    assert month[("430102", "2023-06")] == 2  # carried from March


def test_milestones_count_completions(con: duckdb.DuckDBPyConnection) -> None:
    province = facts(con, "held", level="province")
    assert (province[("430000", "2023Q1")], province[("430000", "2023Q2")]) == (0, 1)
    assert province[("430000", ALL)] == 1
    # the province's own report belongs to no prefecture
    assert facts(con, "held") == {}


def test_the_figures_equal_the_attainment_actuals(con: duckdb.DuckDBPyConnection) -> None:
    """One set of aggregation rules: the year-to-date figure at a date is the attainment page's actual."""
    from analytics import queries as shared

    for level in ("province", "prefecture", "county"):
        actuals = shared.indicator_actuals(con, plan_year=2023, as_of=D(2023, 6, 30), level=level)
        for ind in ("cases", "homes", "share", "held"):
            f = facts(con, ind, level=level, grain="ytd", as_of=D(2023, 6, 30))
            mine = {r: v for (r, p), v in f.items() if p == "2023-01..06" and r != ALL}
            theirs = actuals[actuals["indicator_id"] == ind].set_index("region_code")["actual"].dropna().to_dict()
            assert mine.keys() == theirs.keys(), (level, ind)
            for region, value in theirs.items():
                assert mine[region] == pytest.approx(value), (level, ind, region)


# --- choices from the URL -----------------------------------------------------------------------

OPTIONS = Options(
    indicator_item={"cases": 1, "homes": 2, "share": 3, "covered": 3, "families": 3, "held": 4},
    item_area={1: 1, 2: 1, 3: 2, 4: 2},
    levels=("province", "prefecture", "county"),
    regions_by_level={"province": ["430000"], "prefecture": ["430100", "430200"], "county": ["430102", "430103"]},
    default_level="prefecture",
)


def test_a_url_round_trips() -> None:
    state = State(
        indicators=("share", "cases"),
        level="county",
        grain="month",
        rows=("indicator", "region"),
        cols=("period",),
        areas=(1, 2),
        items=(1, 3),
        regions=("430103",),
    )
    parsed = explorer.parse_state(explorer.to_params(state), OPTIONS)
    assert parsed.state == state
    assert parsed.fallbacks == ()


def test_an_empty_url_gives_the_defaults() -> None:
    parsed = explorer.parse_state({}, OPTIONS)
    assert parsed.state == State(indicators=("cases",), level="prefecture")  # no instructor_coverage here
    assert parsed.fallbacks == ()


def test_invalid_values_fall_back_and_are_reported() -> None:
    params = {
        "ind": "share,nope",
        "level": "village",
        "grain": "week",
        "rows": "region,drop table",
        "cols": "region,period",
        "areas": "2,x,99",
        "items": "1,3",  # item 1 is in area 1: not with areas=2
        "regions": "430100,430102,999999",  # at the default level (prefecture) only 430100 is valid
    }
    parsed = explorer.parse_state(params, OPTIONS)
    assert parsed.state == State(
        indicators=("share",),
        level="prefecture",
        grain="quarter",
        rows=("region",),
        cols=("period",),  # region is on the rows already
        areas=(2,),
        items=(3,),
        regions=("430100",),
    )
    assert {(fb.param, fb.value) for fb in parsed.fallbacks} == {
        ("ind", "nope"),
        ("level", "village"),
        ("grain", "week"),
        ("rows", "drop table"),
        ("areas", "x"),
        ("areas", "99"),
        ("items", "1"),
        ("regions", "430102"),
        ("regions", "999999"),
    }


def test_an_axis_empty_on_purpose_stays_empty_and_a_wrong_one_takes_its_default() -> None:
    assert explorer.parse_state({"rows": "", "cols": "period"}, OPTIONS).state.rows == ()
    parsed = explorer.parse_state({"rows": "nonsense", "cols": "region"}, OPTIONS)
    assert (parsed.state.rows, parsed.state.cols) == (("region",), ())
    assert [(fb.param, fb.value) for fb in parsed.fallbacks] == [("rows", "nonsense")]


def test_several_indicators_always_sit_on_an_axis() -> None:
    parsed = explorer.parse_state({"ind": "cases,homes", "rows": "region", "cols": "period"}, OPTIONS)
    assert parsed.state.rows == ("indicator", "region")
    assert [(fb.param, fb.reason) for fb in parsed.fallbacks] == [("rows", "moved")]


def test_areas_and_items_narrow_the_indicators() -> None:
    assert OPTIONS.indicators_in([2], []) == ["share", "covered", "families", "held"]
    assert OPTIONS.indicators_in([2], [4]) == ["held"]
    assert OPTIONS.items_in([1]) == [1, 2]


# --- layout and chart ----------------------------------------------------------------------------


def test_flatten_labels_and_scales(con: duckdb.DuckDBPyConnection) -> None:
    state = State(indicators=("share", "cases"), level="prefecture", grain="quarter", rows=("indicator", "region"),
                  cols=("period",))  # fmt: skip
    found = queries.pivot_facts(
        con, plan_year=2023, as_of=D(2023, 6, 30), level="prefecture", grain="quarter", within="430000",
        indicator_ids=["share", "cases"],
    )  # fmt: skip
    keys = ["2023Q1", "2023Q2"]
    p = explorer.pivot(found, state, regions=["430100", "430200"], period_keys=keys)
    labels = {
        "indicator": {"share": "S (%)", "cases": "C"},
        "region": {"430100": "A", "430200": "B", ALL: "Total"},
        "period": {"2023Q1": "Q1", "2023Q2": "Q2", ALL: "All"},
    }
    flat = explorer.flatten(p, labels=labels, dim_names={"indicator": "I", "region": "R", "period": "P"},
                            value_name="V", scale={"share": 100.0})  # fmt: skip
    assert list(flat.columns) == ["I", "R", "Q1", "Q2", "All"]
    assert flat.iloc[2].tolist()[:3] == ["S (%)", "Total", pytest.approx(50.0)]
    assert flat.iloc[5].tolist() == ["C", "Total", 6.0, 9.0, 15.0]  # flows are not scaled
    assert explorer.axis_indicators(p) == (["share"] * 3 + ["cases"] * 3, None)
    # the downloads hold the same table: CSV with a byte-order mark (Excel reads Chinese right), Excel, Parquet
    import io

    from ui import downloads

    csv = downloads.csv_bytes(flat)  # the header first (notes are in the Excel file and the notes file)
    assert csv.startswith(b"\xef\xbb\xbf")
    # a whole number is written "15", not "15.0": read back as an integer
    pd.testing.assert_frame_equal(pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig"), flat, check_dtype=False)
    excel = pd.read_excel(io.BytesIO(downloads.excel_bytes(flat)), sheet_name="数据")
    pd.testing.assert_frame_equal(excel, flat, check_dtype=False)  # Excel keeps 25.0 as 25
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(downloads.parquet_bytes(flat))), flat)


def test_chart_follows_the_pivot(con: duckdb.DuckDBPyConnection) -> None:
    found = queries.pivot_facts(
        con, plan_year=2023, as_of=AS_OF, level="prefecture", grain="quarter", within="430000", indicator_ids=["cases"]
    )
    keys = [p.key for p in explorer.periods("quarter", 2023, AS_OF)]
    over_time = explorer.chart_data(
        found, State(indicators=("cases",), level="prefecture"), regions=["430100", "430200"], period_keys=keys
    )
    assert (over_time.x_dim, over_time.series_dim, over_time.kind) == ("period", "region", "line")
    a = over_time.frame[over_time.frame["series"] == "430100"]
    assert a["x"].tolist() == keys  # Q3 is a gap (no data), not a 0
    assert a["value"].tolist()[:2] == [6.0, 4.0] and pd.isna(a["value"].tolist()[2])
    by_region = explorer.chart_data(
        found,
        State(indicators=("cases",), level="prefecture", rows=("region",), cols=()),
        regions=["430100", "430200"],
        period_keys=keys,
    )
    assert (by_region.x_dim, by_region.series_dim, by_region.kind) == ("region", None, "bar")
    assert by_region.frame.set_index("x")["value"].to_dict() == {"430100": 10.0, "430200": 5.0}


def test_fixture_folder_is_complete(tmp_path: Path) -> None:
    built = tiny_explorer.build(tmp_path)
    assert (built / "exports" / "progress" / "part-0.parquet").is_file()


def test_an_empty_cell_says_why(con: duckdb.DuckDBPyConnection) -> None:
    """By hand, on the tiny folder (no training register at all): ``held`` is the province's own
    report, so no prefecture has a figure of its own; cases have no report in Q3 (A and B); the
    register's classes held are 0 where no class was held, and its rates have no class to divide."""
    from views import explorer as explorer_view
    from views.filters import Filters
    from views.i18n import catalog

    words = catalog("en")
    m = explorer_view.view(
        con, Filters("en", 2023, AS_OF), indicators=("held", "cases", "training_held_all", "training_completion_all"),
        grain="quarter", rows=("indicator", "region"), cols=("period",),
    )  # fmt: skip
    shown = m.display.set_index(list(m.display.columns[:2]))
    name = m.choices.indicators
    no_report, above, no_class = (words[f"explorer.blank.{r}"] for r in ("no_report", "not_at_level", "no_class"))
    assert shown.loc[name["held"]].to_numpy().tolist() == [[above] * 4] * 3  # A, B and the total; Q1–Q3 and all
    assert shown.loc[(name["cases"], "甲市")].tolist() == ["6", "4", no_report, "10"]  # A has no English name
    assert shown.loc[(name["cases"], "乙市")].tolist() == ["0", "5", no_report, "5"]
    assert shown.loc[name["training_held_all"]].to_numpy().tolist() == [["0"] * 4] * 3
    assert shown.loc[name["training_completion_all"]].to_numpy().tolist() == [[no_class] * 4] * 3
    # one legend line per reason shown, in the order of BLANK_REASONS; the milestone's names it
    assert [line.split('"')[1] for line in m.blanks] == [no_report, above, no_class]
    assert name["held"] in m.blanks[1]
