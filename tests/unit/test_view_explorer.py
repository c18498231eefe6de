"""views/explorer.view on the bundled data: the default view the benchmark times, a chosen view's
figures against pandas over the Parquet files, and how a choice is fitted to what is allowed."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analytics import db, explorer
from views import explorer as explorer_view
from views.filters import Filters
from views.i18n import catalog

DATA = db.DEFAULT_DATA_DIR
JUNE = dt.date(2023, 6, 30)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return db.connect(DATA)


@pytest.fixture(scope="module")
def progress() -> pd.DataFrame:
    p = pd.read_parquet(DATA / "exports" / "progress")
    regions = pd.read_parquet(DATA / "reference" / "regions")[["region_code", "prefecture_code"]]
    p = p[p["plan_year"] == 2023].merge(regions, on="region_code")
    p["period_end"] = pd.to_datetime(p["period_end"])
    return p


@pytest.fixture(scope="module")
def prefectures() -> pd.DataFrame:
    regions = pd.read_parquet(DATA / "reference" / "regions")
    return regions[regions["level"] == "prefecture"].sort_values("region_code")


def test_the_default_view_is_the_pages_default(con: duckdb.DuckDBPyConnection, prefectures: pd.DataFrame) -> None:
    m = explorer_view.view(con, Filters("en", 2023, JUNE))
    s = m.state
    assert (s.indicators, s.level, s.grain, s.rows, s.cols) == (
        (explorer.DEFAULT_INDICATOR,),
        "prefecture",
        explorer.DEFAULT_GRAIN,
        explorer.DEFAULT_ROWS,
        explorer.DEFAULT_COLS,
    )
    assert not m.empty and not m.moved
    words = catalog("en")
    # every prefecture and the total; the two quarters up to 30 June and the whole period
    assert list(m.display.columns) == [words["explorer.dim.region"], "Q1", "Q2", words["explorer.whole_period"]]
    names = prefectures["name_en"].fillna(prefectures["name_zh"]).tolist()
    assert list(m.display.iloc[:, 0]) == [*names, words["explorer.total"]]
    assert m.value_columns == ("Q1", "Q2", words["explorer.whole_period"])
    assert m.chart is not None and m.chart_cut == ""
    assert "ind=instructor_coverage" in m.link and "as_of=2023-06-30" in m.link
    # the options: every plan item and indicator and the training register's measures (held, completion
    # and attendance, for every class and for each kind the plan names), the levels at or below the province
    indicators = pd.read_parquet(DATA / "plan" / "indicators")
    register = {f"training_{m}_{s}" for m in ("held", "completion", "attendance")
                for s in ("all", "instructor_trainer", "youth_trainer", "capacity_building")}  # fmt: skip
    assert set(m.choices.indicators) == set(indicators["indicator_id"]) | register
    assert tuple(m.choices.levels) == explorer.LEVELS
    assert len(m.choices.regions["prefecture"]) == 14


def test_a_chosen_view_equals_pandas(
    con: duckdb.DuckDBPyConnection, progress: pd.DataFrame, prefectures: pd.DataFrame
) -> None:
    """Funds paid per month (a flow: summed) and contact coverage (a ratio of two stocks' sums),
    by prefecture, each worked out from the progress Parquet."""
    funds_id, share_id = "livelihood_project_funds_yuan", "special_family_contact_coverage"
    m = explorer_view.view(
        con,
        Filters("zh", 2023, JUNE),
        indicators=(funds_id, share_id),
        grain="month",
        rows=("region",),
        cols=("indicator", "period"),
    )
    table = m.table.set_index(m.table.columns[0])
    names = dict(zip(prefectures["region_code"], prefectures["name_zh"], strict=True))
    label = m.choices.indicators
    months = range(1, 7)
    funds = progress[progress["indicator_id"] == funds_id]
    for code, name in names.items():
        mine = funds[funds["prefecture_code"] == code]
        for month in months:
            paid = mine.loc[mine["period_end"].dt.month == month, "value"].sum()
            col = f"{label[funds_id]} · {month}月"
            assert table.loc[name, col] == pytest.approx(paid), (name, col)
        whole = mine.loc[mine["period_end"].dt.month <= 6, "value"].sum()
        assert table.loc[name, f"{label[funds_id]} · 全期"] == pytest.approx(whole)
    # the total row: the sum over the prefectures, month by month
    june = funds.loc[funds["period_end"].dt.month == 6, "value"].sum()
    assert table.loc["合计", f"{label[funds_id]} · 6月"] == pytest.approx(june)

    # coverage at the end of June: each county's last report up to then, summed, then divided
    parts = progress[progress["indicator_id"].isin(["special_families_with_contact", "special_families_total"])]
    parts = parts[(parts["period_end"] <= "2023-06-30") & parts["value"].notna()]
    last = parts.sort_values("period_end").groupby(["indicator_id", "region_code"]).tail(1)
    sums = last.groupby(["indicator_id", "prefecture_code"])["value"].sum().unstack(0)
    for code, name in names.items():
        share = sums.loc[code, "special_families_with_contact"] / sums.loc[code, "special_families_total"] * 100
        assert table.loc[name, f"{label[share_id]} · 6月"] == pytest.approx(share)
        # shown with one decimal, as a percent
        shown = m.display.set_index(m.display.columns[0]).loc[name, f"{label[share_id]} · 6月"]
        assert shown == f"{share:,.1f}"
    total = sums["special_families_with_contact"].sum() / sums["special_families_total"].sum() * 100
    assert table.loc["合计", f"{label[share_id]} · 6月"] == pytest.approx(total)


def test_a_choice_is_fitted_as_the_widgets_keep_it(con: duckdb.DuckDBPyConnection) -> None:
    f = Filters("zh", 2023, JUNE, region="430100")
    indicators = pd.read_parquet(DATA / "plan" / "indicators")
    of_item = indicators.set_index("indicator_id")["item_no"]
    item = int(of_item["livelihood_project_funds_yuan"])
    m = explorer_view.view(
        con,
        f,
        indicators=("livelihood_project_funds_yuan", "instructor_coverage"),
        items=(item,),
        level="province",  # not below 长沙市: back to the default level
        regions=("430102", "431102"),  # the second is not in 长沙市
        rows=(),
        cols=("period",),
    )
    kept = tuple(i for i in ("livelihood_project_funds_yuan", "instructor_coverage") if of_item[i] == item)
    assert m.state.indicators == kept
    assert m.state.level == "county" and m.state.regions == ("430102",)
    assert m.moved == (len(kept) > 1)

    two = explorer_view.view(
        con, Filters("zh", 2023, JUNE), indicators=("livelihood_project_funds_yuan", "instructor_coverage"), rows=()
    )
    assert two.moved and two.state.rows == ("indicator",)

    none = explorer_view.view(con, Filters("en", 2023, JUNE), indicators=())
    assert none.empty == catalog("en")["explorer.no_indicators"] and none.table.empty

    early = explorer_view.view(con, Filters("en", 2023, dt.date(2023, 1, 15)))
    assert early.empty == catalog("en")["explorer.no_periods"]
