"""The population page's analytics: which figure is in force, gaps, per-capita ratios, sources, export.

Tiny fixtures (tests/unit/tiny_population.py) with the numbers worked out by hand, then the
bundled data checked against independent pandas over the committed files.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db
from analytics import population as P
from analytics.contract import POPULATION_SOURCE_TIERS
from analytics.queries import population as Q
from tests.unit import tiny_population

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
REGIONS = pd.DataFrame(
    {"region_code": ["430000", "430100", "430200"], "name_zh": ["湖南省", "甲市", "乙市"], "name_en": [None] * 3}
)


@pytest.fixture(scope="module")
def tiny_ext(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, Path]:
    d = tiny_population.build(tmp_path_factory.mktemp("tiny_pop"))
    return db.connect(d), d


@pytest.fixture(scope="module")
def tiny_bundled_only(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, Path]:
    d = tiny_population.build(tmp_path_factory.mktemp("tiny_pop_b"), extended=False)
    return db.connect(d), d


def _candidates(fixture: tuple[duckdb.DuckDBPyConnection, Path]) -> pd.DataFrame:
    con, _ = fixture
    return Q.population_candidates(con.cursor())


def _value(figures: pd.DataFrame, code: str, year: int, measure: str, basis: str = "resident") -> float:
    row = figures[
        (figures["region_code"] == code)
        & (figures["year"] == year)
        & (figures["measure"] == measure)
        & (figures["basis"] == basis)
    ]
    assert len(row) == 1, (code, year, measure, basis, len(row))
    return float(row["value"].iloc[0])


# ---------------------------------------------------------------- files and the rule


def test_every_file_of_the_folder_is_read_with_its_name(tiny_ext) -> None:
    c = _candidates(tiny_ext)
    assert set(c["source_file"]) == {"population.parquet", "fpa_2024.parquet", "fpa_2025.parquet"}
    # 9 bundled + 5 + 1 rows
    assert len(c) == 15
    assert c.loc[c["source_file"] == "population.parquet", "is_bundled"].all()


def test_the_association_figure_wins_and_the_newest_export_wins_between_its_own(tiny_ext) -> None:
    f = P.in_force(_candidates(tiny_ext))
    # 430100's population: bundled 100, fpa_2024 110, fpa_2025 120 → 120 from fpa_2025
    assert _value(f, "430100", 2020, "population") == 120
    row = f[(f["region_code"] == "430100") & (f["measure"] == "population")].iloc[0]
    assert (row["source_file"], row["source"], row["n_candidates"]) == ("fpa_2025.parquet", "FPA export 2025", 3)


def test_a_gap_never_replaces_a_figure_and_a_figure_fills_a_gap(tiny_ext) -> None:
    f = P.in_force(_candidates(tiny_ext))
    # 430200: bundled 200, fpa_2024 null → 200 stays, from the bundled file
    assert _value(f, "430200", 2020, "population") == 200
    assert f.loc[(f["region_code"] == "430200") & (f["measure"] == "population"), "source_file"].item() == (
        "population.parquet"
    )
    # province births 2021: bundled null, fpa_2024 9 → 9
    assert _value(f, "430000", 2021, "births") == 9


def test_extra_measures_and_years_are_added(tiny_ext) -> None:
    f = P.in_force(_candidates(tiny_ext))
    assert _value(f, "430100", 2020, "household_size") == 2.5
    assert _value(f, "430000", 2023, "births") == 7
    # one row per key in force: 9 bundled keys + household_size + births 2023 = 11
    assert len(f) == 11
    assert not f.duplicated(["region_code", "year", "measure", "basis"]).any()


def test_replaced_lists_the_figures_that_lost(tiny_ext) -> None:
    lost = P.replaced(_candidates(tiny_ext))
    # 430100 population: 110 (fpa_2024) and 100 (bundled) lost to 120; the null of
    # fpa_2024 for 430200 and the bundled null births are gaps, not replaced figures
    assert sorted(lost["value"]) == [100, 110]
    assert set(lost["value_in_force"]) == {120}
    assert set(lost["source_file_in_force"]) == {"fpa_2025.parquet"}


def test_without_files_the_table_is_empty(tmp_path) -> None:
    # a data folder with no population files at all: an empty table of the right shape
    empty = Q.population_candidates(db.connect(tmp_path).cursor())
    assert empty.empty and list(empty.columns) == list(Q.CANDIDATE_COLUMNS)


# ---------------------------------------------------------------- gaps


def test_series_keeps_gaps_as_gaps(tiny_bundled_only) -> None:
    f = P.in_force(_candidates(tiny_bundled_only))
    years = P.series_years(f, "430000")
    assert years == [2018, 2019, 2020, 2021, 2022]  # 2020 has no row, still a year of the span
    s = P.complete(f, regions=REGIONS[REGIONS["region_code"] == "430000"], measures=["births"], years=years)
    assert list(s["year"]) == years
    values = dict(zip(s["year"], s["value"], strict=True))
    assert values[2018] == 10 and values[2019] == 12 and values[2022] == 8
    assert math.isnan(values[2020]) and math.isnan(values[2021])  # never 0, never interpolated
    assert list(s.loc[s["year"].isin([2020, 2021]), "quality"]) == ["missing", "missing"]


def test_household_registration_figures_stay_apart(tiny_bundled_only) -> None:
    f = P.in_force(_candidates(tiny_bundled_only))
    resident = P.complete(f, regions=REGIONS, measures=["birth_rate"], years=[2019])
    # the resident grid has no figure for 430100's 2019 birth rate: only the 户籍 one exists
    assert resident["value"].isna().all()
    other = P.other_basis(f, region_codes=["430100"], measures=["birth_rate"], years=[2019])
    assert list(other["value"]) == [9.9] and list(other["basis"]) == ["household_registration"]


def test_series_chart_breaks_the_line_at_gaps_and_at_the_census(tiny_bundled_only) -> None:
    from ui.charts import population as charts

    f = P.in_force(_candidates(tiny_bundled_only))
    years = P.series_years(f, "430000")
    s = P.complete(f, regions=REGIONS[REGIONS["region_code"] == "430000"], measures=["births"], years=years)
    vocab = _vocab()
    fig = charts.series_grid(s, s.iloc[0:0], vocab, measures=["births"], columns=1)
    line = fig.data[0]
    points = dict(zip(line.x, line.y, strict=True))
    # 2019.5: the break between the pre-census estimate and the census-based series
    assert points == {2018: 10, 2019: 12, 2019.5: None, 2020: None, 2021: None, 2022: 8}
    # the two missing years are shaded grey
    shaded = sorted((shape.x0, shape.x1) for shape in fig.layout.shapes if shape.type == "rect")
    assert shaded == [(2019.55, 2020.45), (2020.55, 2021.45)]
    assert all("bulletin" in h for h, y in zip(line.hovertext, line.y, strict=True) if y is not None)


def _vocab():
    from ui.charts.population import Vocab

    words = dict(
        source="source",
        file="file",
        quality="quality",
        basis="basis",
        reference_date="date",
        tier="tier",
        official_source="official",
        missing="missing",
        series_break="break",
        province_line="province",
        selected="selected",
        population="population",
        sep=", ",
        colon=": ",
        paren=" ({inner})",
        semicolon="; ",
    )
    return Vocab(
        name_col="name_en",
        measures={m: m for m in (*P.CENSUS_MEASURES, *P.SERIES_MEASURES, *P.ASSOCIATION_MEASURES)},
        units={},
        qualities={q: q for q in ("published", "compiled", "derived", "low_confidence", "missing")},
        bases={"resident": "resident", "household_registration": "hukou"},
        words=words,
        tiers={**{s: s for s in POPULATION_SOURCE_TIERS}, "": "not stated"},
    )


# ---------------------------------------------------------------- per capita


def test_per_capita_by_hand() -> None:
    actuals = pd.DataFrame(
        [
            ("childcare_places", "430100", 5.0),
            ("childcare_places", "430200", 0.0),  # reported zero: stays zero
            ("family_health_funds_yuan", "430100", 100.0),
            ("childcare_funds_yuan", "430200", 50.0),
        ],
        columns=["indicator_id", "region_code", "actual"],
    )
    instructors = pd.DataFrame({"region_code": ["430100"], "instructors_in_post": [4.0], "villages_reported": [2]})
    population = pd.DataFrame(
        {"region_code": ["430000", "430100", "430200"], "population": [float("nan"), 10_000.0, 20_000.0]}
    )
    out = P.per_capita(actuals, instructors, population).set_index("region_code")
    # 430100: 5 / 10,000 × 1,000 = 0.5 places per 1,000; 4 / 10,000 × 10,000 = 4 per 10,000;
    # funds 100 (childcare funds not reported: partial) / 10,000 = 0.01 yuan per resident
    a = out.loc["430100"]
    assert (a["childcare_places_per_1000"], a["instructors_per_10000"], a["funds_per_resident"]) == (0.5, 4.0, 0.01)
    assert a["funds_partial"]
    # 430200: 0 places → 0.0 (not missing); no instructor report → NaN; 50 / 20,000 = 0.0025
    b = out.loc["430200"]
    assert b["childcare_places_per_1000"] == 0.0
    assert math.isnan(b["instructors_per_10000"])
    assert b["funds_per_resident"] == 0.0025
    # the province: no population → every ratio missing, even with nothing else
    assert out.loc["430000", ["childcare_places_per_1000", "instructors_per_10000", "funds_per_resident"]].isna().all()


def test_instructors_by_prefecture_take_each_villages_latest_report(tiny_ext) -> None:
    con, _ = tiny_ext
    # tiny instructors: v1 Jan 2, Mar 1; v2 Feb 3; vz (zone, prefecture 430100) Jan 2; none in 430200
    feb = Q.instructors_by_prefecture(con.cursor(), plan_year=2023, as_of=dt.date(2023, 2, 28)).set_index("region_code")
    # end of February: v1 2 (January's report still in force) + v2 3 + vz 2 = 7, 3 villages
    assert feb.loc["430100", "instructors_in_post"] == 7 and feb.loc["430100", "villages_reported"] == 3
    assert feb.loc["430000", "instructors_in_post"] == 7
    assert "430200" not in feb.index  # no report: no row (missing, not 0)
    mar = Q.instructors_by_prefecture(con.cursor(), plan_year=2023, as_of=dt.date(2023, 3, 31)).set_index("region_code")
    assert mar.loc["430100", "instructors_in_post"] == 6  # v1 down to 1


# ---------------------------------------------------------------- sources and export


def test_sources_table_lists_each_source_once(tiny_ext) -> None:
    f = P.in_force(_candidates(tiny_ext))
    table = P.sources_table(f).set_index("source")
    assert table.loc["FPA export 2024", "years"] == "2020–2021, 2023"
    assert table.loc["FPA export 2024", "figures"] == 3  # household size, births 2021 and 2023
    assert table.loc["bulletin 2018", "source_file"] == "population.parquet"
    assert table.loc["census bulletin", "regions"] == 2  # 430000 and 430200 (430100 replaced)
    # the sources table covers every figure with a value
    assert table["figures"].sum() == f["value"].notna().sum()


def test_year_span() -> None:
    assert P.year_span([2014, 2010, 2011, 2012, 2016, 2017]) == "2010–2012, 2014, 2016–2017"
    assert P.year_span([]) == ""


def test_export_csv_keeps_chinese_names_for_excel(tiny_ext) -> None:
    from ui.downloads import csv_bytes
    from ui.i18n import catalog

    zh = catalog("zh")
    f = P.in_force(_candidates(tiny_ext))
    headers = {c: zh[f"population.col.{c}"] for c in (*P.FIGURE_COLUMNS, "name") if c not in ("name_zh", "name_en")}
    table = P.export_table(
        f,
        headers=headers,
        measure_names={m: zh[f"population.measure.{m}"] for m in (*P.CENSUS_MEASURES, *P.SERIES_MEASURES)},
        quality_names={q: zh[f"population.quality.{q}"] for q in ("published", "derived", "low_confidence", "missing")},
        basis_names={b: zh[f"population.basis.{b}"] for b in ("resident", "household_registration")},
        name_col="name_zh",
    )
    raw = csv_bytes(table)
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    # the header is the first line (the notes are in the Excel file and the notes file)
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype={"地区代码": str})
    assert "地区" in back.columns and "指标" in back.columns
    assert set(back["地区"]) == {"湖南省", "甲市", "乙市"}
    assert "常住人口" in set(back["指标"])
    # a gap is an empty cell, not 0
    births_2021 = back[(back["年份"] == 2021) & (back["指标"] == "出生人口")]
    assert births_2021["数值"].item() == 9


# ---------------------------------------------------------------- the bundled data, independently


@pytest.fixture(scope="module")
def bundled() -> tuple[duckdb.DuckDBPyConnection, pd.DataFrame]:
    con = db.connect(DATA)
    return con, P.in_force(Q.population_candidates(con.cursor()))


def test_bundled_census_equals_the_reference_table(bundled) -> None:
    _, f = bundled
    ref = pd.read_csv(DATA / "reference" / "sources" / "prefecture_census_2020.csv", dtype={"division_code": str})
    prefs = ref[ref["division_code"] != "430000"].set_index("division_code")
    census = f[(f["measure"] == "population") & (f["year"] == 2020) & (f["level"] == "prefecture")]
    got = census.set_index("region_code")["value"]
    assert len(got) == 14
    assert got.sort_index().astype("int64").to_dict() == prefs["census_pop_2020"].sort_index().to_dict()
    assert got.sum() == 66_444_864
    for measure, column in [
        ("urbanisation_rate", "urbanisation_rate_pct"),
        ("sex_ratio", "sex_ratio_f100"),
        ("age_0_14_share", "age_0_14_pct"),
        ("age_65plus_share", "age_65plus_pct"),
        ("age_15_64_share", "age_15_64_pct_derived"),
        ("household_size", "avg_household_size"),
    ]:
        mine = f[(f["measure"] == measure) & (f["level"] == "prefecture")].set_index("region_code")["value"]
        assert mine.sort_index().to_dict() == pytest.approx(prefs[column].sort_index().to_dict()), measure


def test_every_bundled_figure_with_a_value_has_a_source(bundled) -> None:
    _, f = bundled
    with_value = f[f["value"].notna()]
    # the figures with a value, counted with pandas over the Parquet (one file per key in the bundled
    # data; SOURCES.md: 145 published + 150 compiled + 25 derived + 16 low confidence)
    raw = pd.read_parquet(DATA / "reference" / "population")
    raw = raw[raw["value"].notna()]
    assert not raw.duplicated(["region_code", "year", "measure", "basis"]).any()
    assert len(with_value) == len(raw) > 0
    assert with_value["quality"].value_counts().to_dict() == raw["quality"].value_counts().to_dict()
    assert with_value["source"].notna().all() and (with_value["source"].str.strip() != "").all()


def _independent_per_capita(as_of: dt.date) -> pd.DataFrame:
    """Places per 1,000, instructors per 10,000 and funds per resident, straight from the Parquet files."""
    regions = pd.read_parquet(DATA / "reference" / "regions")
    pref_of = regions.set_index("region_code")["prefecture_code"]
    pop = pd.read_csv(DATA / "reference" / "sources" / "prefecture_census_2020.csv", dtype={"division_code": str})
    pop = pop.set_index("division_code")["census_pop_2020"].astype(float)

    def by_region(values: pd.Series, codes: pd.Series) -> pd.Series:
        """Sum per prefecture, plus the province as the sum of everything."""
        per_pref = values.groupby(codes.map(pref_of).to_numpy()).sum(min_count=1)
        return pd.concat([per_pref, pd.Series({"430000": values.sum(min_count=1)})])

    points = pd.read_parquet(DATA / "exports" / "childcare_points")
    points = points[points["plan_year"] == 2023]
    opened = pd.to_datetime(points["opened_on"]).dt.date
    closed = pd.to_datetime(points["closed_on"]).dt.date
    is_open = opened.notna() & (opened <= as_of) & (closed.isna() | (closed > as_of))
    places = by_region(points["places"].where(is_open, 0).astype(float), points["region_code"])
    paid_on = pd.to_datetime(points["subsidy_paid_on"]).dt.date
    paid = paid_on.notna() & (paid_on <= as_of)
    childcare_funds = by_region(points["subsidy_yuan"].where(paid, 0.0), points["region_code"])

    progress = pd.read_parquet(DATA / "exports" / "progress")
    fh = progress[
        (progress["indicator_id"] == "family_health_funds_yuan")
        & (progress["plan_year"] == 2023)
        & (pd.to_datetime(progress["period_end"]).dt.date <= as_of)
    ]
    family_funds = by_region(fh["value"], fh["region_code"])

    inst = pd.read_parquet(DATA / "exports" / "instructors")
    inst = inst[(inst["plan_year"] == 2023) & (pd.to_datetime(inst["period_end"]).dt.date <= as_of)]
    latest = inst.sort_values("period_end").groupby("region_code").tail(1)
    instructors = by_region(latest["instructors_in_post"].astype(float), latest["region_code"])

    out = pd.DataFrame({"population": pop})
    out["childcare_places_per_1000"] = places.reindex(out.index) / out["population"] * 1000
    out["instructors_per_10000"] = instructors.reindex(out.index) / out["population"] * 10_000
    funds = pd.concat([family_funds.reindex(out.index), childcare_funds.reindex(out.index)], axis=1)
    out["funds_per_resident"] = funds.sum(axis=1, min_count=1) / out["population"]
    return out


@pytest.mark.parametrize("code", ["430000", "430100", "431100"])
def test_bundled_per_capita_equals_an_independent_computation(bundled, code: str) -> None:
    con, _ = bundled
    as_of = dt.date(2023, 6, 30)
    mine = Q.association_per_capita(con.cursor(), plan_year=2023, as_of=as_of).set_index("region_code")
    theirs = _independent_per_capita(as_of)
    for column in ("population", "childcare_places_per_1000", "instructors_per_10000", "funds_per_resident"):
        assert mine.loc[code, column] == pytest.approx(theirs.loc[code, column], rel=1e-12), column


# ---------------------------------------------------------------- source tiers (read straight from the Parquet)

BUNDLED_FILE = DATA / "reference" / "population" / "population.parquet"
OFFICIAL_TIERS = {"official_bulletin", "official_reprint"}


def test_every_bundled_figure_has_a_source_tier_from_the_allowed_set() -> None:
    raw = pd.read_parquet(BUNDLED_FILE)
    with_value = raw[raw["value"].notna()]
    assert len(with_value) == 336
    assert with_value["source_tier"].isin({"official_bulletin", "official_reprint", "third_party", "derived"}).all()
    # a missing figure has no source, so no tier
    assert raw.loc[raw["value"].isna(), "source_tier"].isna().all()


def test_derived_and_third_party_figures_are_never_published() -> None:
    raw = pd.read_parquet(BUNDLED_FILE)
    derived = raw[raw["source_tier"] == "derived"]
    assert (derived["quality"] == "derived").all() and (
        raw.loc[raw["quality"] == "derived", "source_tier"] == "derived"
    ).all()
    # 公布数 (published) only for a figure read in an official bulletin or a reprint of one
    assert raw.loc[raw["quality"] == "published", "source_tier"].isin(OFFICIAL_TIERS).all()
    assert (raw.loc[raw["source_tier"] == "third_party", "quality"].isin({"compiled", "low_confidence"})).all()


def test_xiangxi_census_population_is_the_province_minus_the_other_13_and_tiered_derived() -> None:
    ref = pd.read_csv(DATA / "reference" / "sources" / "prefecture_census_2020.csv", dtype={"division_code": str})
    pop = ref.set_index("division_code")["census_pop_2020"]
    others = pop.drop(["430000", "433100"]).sum()
    assert pop["430000"] - others == pop["433100"] == 2_488_105  # what the CSV's source says it is
    raw = pd.read_parquet(BUNDLED_FILE)
    row = raw[(raw["region_code"] == "433100") & (raw["measure"] == "population") & (raw["year"] == 2020)]
    assert row[["source_tier", "quality"]].values.tolist() == [["derived", "derived"]]
    # every row the CSVs call derived (notes or the column name) is tiered derived
    series = pd.concat(
        [
            pd.read_csv(DATA / "reference" / "sources" / f, dtype={"division_code": str})
            for f in ("province_series.csv", "prefecture_vital_rates.csv")
        ]
    )
    said = series[(series["notes"].fillna("") + series["source"].fillna("")).str.contains("DERIVED")]
    assert len(said) == 2  # the province's 2010 and 2020
    for _, r in said.iterrows():
        mine = raw[(raw["region_code"] == r["division_code"]) & (raw["year"] == r["year"])]
        assert (mine["source_tier"] == "derived").any()
    assert (raw.loc[raw["measure"] == "age_15_64_share", "source_tier"] == "derived").all()


def test_where_the_census_bulletin_was_read_the_figure_cites_it() -> None:
    ref = pd.read_csv(DATA / "reference" / "sources" / "prefecture_census_2020.csv", dtype={"division_code": str})
    read_there = set(ref.loc[ref["source_population"].str.startswith("http://tjj.hunan.gov.cn"), "division_code"])
    raw = pd.read_parquet(BUNDLED_FILE)
    census = raw[(raw["measure"] == "population") & (raw["year"] == 2020)].set_index("region_code")
    for code in read_there:
        assert "tjj.hunan.gov.cn" in census.loc[code, "official_source"], code
    # the row read there (not truncated) is the bulletin itself
    untruncated = {
        c for c in read_there if "truncated" not in ref.set_index("division_code").loc[c, "source_population"]
    }
    assert (census.loc[sorted(untruncated), "source_tier"] == "official_bulletin").all()


def test_hover_and_export_carry_the_tier(tiny_ext) -> None:
    from ui.charts import population as charts

    vocab = _vocab()
    row = {
        "region_code": "433100", "name_zh": "湘西", "name_en": None, "year": 2020, "measure": "population",
        "value": 2_488_105.0, "unit": "persons", "basis": "resident", "quality": "derived",
        "reference_date": dt.date(2020, 11, 1), "source": "leiii", "source_file": "population.parquet",
        "source_tier": "derived", "official_source": None,
    }  # fmt: skip
    hover = charts.figure_hover(row, vocab)
    assert "tier: derived" in hover and "published" not in hover
    official = {**row, "quality": "published", "source_tier": "official_bulletin", "official_source": "湖南省公报"}
    assert "tier: official_bulletin" in charts.figure_hover(official, vocab)
    assert "official: 湖南省公报" in charts.figure_hover(official, vocab)
    f = P.in_force(_candidates(tiny_ext))
    headers = {c: c for c in (*P.FIGURE_COLUMNS, "name")}
    out = P.export_table(
        f, headers=headers, measure_names={}, quality_names={}, basis_names={}, name_col="name_zh",
        tier_names={"": "not stated", "derived": "DERIVED"},
    )  # fmt: skip
    assert {"source_tier", "official_source"} <= set(out.columns)
    # the tiny files state no tier: every figure with a value says so, a gap says nothing
    assert set(out.loc[out["value"].notna(), "source_tier"]) == {"not stated"}
    assert set(out.loc[out["value"].isna(), "source_tier"]) <= {""}
