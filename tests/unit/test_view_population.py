"""The population page's view model (views/population.view) on the bundled data: its figures agree
with the published reference tables read straight with pandas (data/reference/sources/*.csv), its
choices are fitted, and its texts are in the filters' language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db
from views import population
from views.filters import Filters
from views.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "reference" / "sources"
PROVINCE, CHANGSHA = "430000", "430100"


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return db.connect(db.published_dir(ROOT / "data"))


@pytest.fixture(scope="module")
def census_csv() -> pd.DataFrame:
    return pd.read_csv(SOURCES / "prefecture_census_2020.csv", dtype={"division_code": str})


def test_default_view_map_and_census_equal_the_reference_table(
    con: duckdb.DuckDBPyConnection, census_csv: pd.DataFrame
) -> None:
    model = population.view(con, Filters("zh", 2023, dt.date(2023, 6, 30)))
    prefectures = census_csv[census_csv["division_code"] != PROVINCE]
    # the map: the share aged 65+ of every prefecture, as the 2020 census table gives it
    assert model.map.measure == "age_65plus_share"
    expected = dict(zip(prefectures["division_code"], prefectures["age_65plus_pct"], strict=True))
    assert model.map.values == pytest.approx(expected)
    assert sorted(model.map.labels) == sorted(expected)
    assert model.map.note == catalog("zh")["population.map.note"].format(
        source=catalog("zh")["population.map.source_census"]
    )
    # the census grid: every region's census population, the province first
    pop = model.census[model.census["measure"] == "population"].set_index("region_code")["value"]
    assert pop.to_dict() == dict(
        zip(census_csv["division_code"], census_csv["census_pop_2020"].astype(float), strict=True)
    )
    assert model.census["region_code"].iloc[0] == PROVINCE
    assert model.highlight is None


def test_series_spans_the_years_of_the_province_table(con: duckdb.DuckDBPyConnection) -> None:
    series = pd.read_csv(SOURCES / "province_series.csv")
    years = series.loc[series["yearend_resident_pop_10k"].notna() | series["births_10k"].notna(), "year"]
    model = population.view(con, Filters("en", 2023, dt.date(2023, 6, 30)))
    assert model.series.years[0] == int(years.min())
    assert model.series.years[-1] == int(years.max())
    assert model.series.title.startswith("Hunan") and f"{int(years.min())}–{int(years.max())}" in model.series.title


def test_choices_are_used_and_an_unknown_one_takes_its_default(
    con: duckdb.DuckDBPyConnection, census_csv: pd.DataFrame
) -> None:
    f = Filters("en", 2023, dt.date(2023, 12, 31), region=CHANGSHA)
    model = population.view(con, f, map_measure="sex_ratio", vital_measure="death_rate", scatter_x="x", scatter_y="y")
    prefectures = census_csv[census_csv["division_code"] != PROVINCE]
    assert model.map.values == pytest.approx(
        dict(zip(prefectures["division_code"], prefectures["sex_ratio_f100"], strict=True))
    )
    assert model.vital is not None and model.vital.measure == "death_rate"
    assert set(model.vital.grid["measure"]) == {"death_rate"}
    assert (model.association.x, model.association.y) == (population.DEFAULT_X, population.DEFAULT_Y)
    assert model.highlight == CHANGSHA
    # the association table: the province and the 14 prefectures, the census population beside each
    frame = model.association.frame.set_index("region_code")
    assert len(frame) == len(census_csv)
    assert frame["population"].to_dict() == pytest.approx(
        dict(zip(census_csv["division_code"], census_csv["census_pop_2020"].astype(float), strict=True))
    )


def test_notes_cite_the_sources_with_the_date_accessed(con: duckdb.DuckDBPyConnection) -> None:
    model = population.view(con, Filters("zh", 2023, dt.date(2023, 6, 30)))
    notes = model.figure_notes(dt.date(2024, 1, 2))
    assert "2024-01-02" in notes[0] and "2023-06-30" in notes[0]
    # the association's own source is last: only its download cites it
    assert len(model.association_notes(dt.date(2024, 1, 2))) == len(notes) + 2
    assert model.source_lines[-1].startswith(catalog("zh")["population.assoc.source"].format(as_of="2023-06-30"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_association_table_counts_money_in_wan_on_a_chinese_page(con: duckdb.DuckDBPyConnection, lang: str) -> None:
    """Issue 20.6: money from 1万 in 万元 on a Chinese page (the download keeps the exact yuan);
    English keeps the yuan."""
    from ui.charts.population import assoc_styled

    words = catalog(lang)
    m = population.view(con, Filters(lang, 2023, dt.date(2023, 6, 30)))
    shown = assoc_styled(m.association.frame, m.vocab, highlight=None).data
    exact = m.association_export  # the download: yuan
    yuan = words["population.col.funds_yuan"]
    if lang == "zh":
        wan = words["population.col.funds_yuan_wan"]
        assert yuan not in shown.columns and "万元" in wan
        assert (shown[wan] * 10_000).round(6).tolist() == exact[yuan].round(6).tolist()
        assert exact[yuan].max() >= 10_000
    else:
        assert shown[yuan].tolist() == exact[yuan].tolist()
