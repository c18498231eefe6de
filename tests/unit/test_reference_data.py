"""Checks on the committed reference data (data/reference): regions, population, boundaries.

Reads only the committed files (built by scripts/build_regions.py, build_population.py and
build_boundaries.py); nothing from outside the repository.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from itertools import pairwise
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from analytics.contract import POPULATION, REGION_KINDS, REGION_LEVELS, REGIONS

REF = Path(__file__).resolve().parents[2] / "data" / "reference"
REGIONS_FILE = REF / "regions" / "regions.parquet"
POPULATION_FILE = REF / "population" / "population.parquet"
PREFECTURES_GEOJSON = REF / "boundaries" / "prefectures.geojson"
COUNTIES_GEOJSON = REF / "boundaries" / "counties.geojson"

CENSUS_TOTAL_2020 = 66_444_864
ZONES = {
    "430371",
    "430372",
    "430373",
    "430473",
    "430476",
    "430671",
    "430771",
    "430971",
    "430972",
    "431171",
    "431173",
    "431271",
}


@cache
def regions() -> list[dict]:
    return pq.read_table(REGIONS_FILE).to_pylist()


@cache
def by_code() -> dict[str, dict]:
    return {r["region_code"]: r for r in regions()}


@cache
def population() -> list[dict]:
    return pq.read_table(POPULATION_FILE).to_pylist()


def geojson(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def admin_counties() -> set[str]:
    return {r["region_code"] for r in regions() if r["level"] == "county" and not r["is_stat_zone"]}


# --- schemas ----------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "table"), [(REGIONS_FILE, REGIONS), (POPULATION_FILE, POPULATION)])
def test_parquet_schema_equals_contract(path: Path, table) -> None:
    schema = pq.read_schema(path)
    assert schema.names == table.schema.names
    assert [f.type for f in schema] == [f.type for f in table.schema]
    # a column the contract says is required holds no nulls
    t = pq.read_table(path)
    for f in table.schema:
        if not f.nullable:
            assert t.column(f.name).null_count == 0, f.name


# --- regions ----------------------------------------------------------------------------
def test_region_counts() -> None:
    levels = Counter(r["level"] for r in regions())
    assert levels == {"province": 1, "prefecture": 14, "county": 134, "township": 2008, "village": 29534}
    counties = [r for r in regions() if r["level"] == "county"]
    assert sum(not r["is_stat_zone"] for r in counties) == 122
    assert {r["region_code"] for r in counties if r["is_stat_zone"]} == ZONES
    assert all(r["kind"] == "stat_zone" for r in counties if r["is_stat_zone"])
    assert Counter(r["kind"] for r in counties if not r["is_stat_zone"]) == {
        "district": 36,
        "county_city": 19,
        "county": 60,
        "autonomous_county": 7,
    }


def test_region_codes_sorted_unique_and_shaped() -> None:
    codes = [r["region_code"] for r in regions()]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    width = {"province": 6, "prefecture": 6, "county": 6, "township": 9, "village": 12}
    for r in regions():
        assert len(r["region_code"]) == width[r["level"]] and r["region_code"].startswith("43")
        assert r["level"] in REGION_LEVELS and r["kind"] in REGION_KINDS


def test_every_parent_exists_one_level_up() -> None:
    codes = by_code()
    above = {"prefecture": "province", "county": "prefecture", "township": "county", "village": "township"}
    for r in regions():
        if r["level"] == "province":
            assert r["parent_code"] is None
            continue
        parent = codes.get(r["parent_code"])
        assert parent is not None, r
        assert parent["level"] == above[r["level"]], r
        prefix = {"prefecture": 2, "county": 4, "township": 6, "village": 9}[r["level"]]
        assert r["region_code"][:prefix] == parent["region_code"][:prefix], r


def test_prefecture_and_county_codes() -> None:
    admin = admin_counties()
    for r in regions():
        if r["level"] == "province":
            assert r["prefecture_code"] is None and r["county_code"] is None
            continue
        assert by_code()[r["prefecture_code"]]["level"] == "prefecture", r
        assert r["prefecture_code"][:4] == r["region_code"][:4], r
        if r["level"] == "prefecture":
            assert r["county_code"] is None
        else:
            assert r["county_code"] in admin, r  # never a zone


def test_every_village_has_prefecture_and_reporting_county() -> None:
    admin = admin_counties()
    villages = [r for r in regions() if r["level"] == "village"]
    assert all(r["prefecture_code"] and r["county_code"] in admin for r in villages)


def test_zone_hosts_are_admin_counties_in_the_same_prefecture() -> None:
    admin = admin_counties()
    for code in ZONES:
        z = by_code()[code]
        assert z["host_code"] in admin, z
        assert by_code()[z["host_code"]]["prefecture_code"] == z["prefecture_code"], z
        assert z["county_code"] == z["host_code"]
    assert all(r["host_code"] is None for r in regions() if r["region_code"] not in ZONES)


def test_stat_zone_flag_follows_the_zone() -> None:
    for r in regions():
        county6 = r["region_code"][:6]
        expected = r["level"] in ("county", "township", "village") and county6 in ZONES
        assert r["is_stat_zone"] == expected, r
        if expected and r["level"] != "county":
            assert r["county_code"] == by_code()[county6]["host_code"], r


def test_english_names_down_to_county_only() -> None:
    for r in regions():
        if r["level"] in ("province", "prefecture", "county"):
            assert r["name_en"] and r["name_en"].isascii(), r
        else:
            assert r["name_en"] is None, r
    assert by_code()["430000"]["name_en"] == "Hunan"
    assert by_code()["431181"]["name_zh"] == "祁阳市"
    assert by_code()["433100"]["kind"] == "autonomous_prefecture"


def test_village_names_without_committee_suffix() -> None:
    for r in regions():
        if r["level"] == "village":
            assert not r["name_zh"].endswith(("委会", "委员会")), r
    assert Counter(r["kind"] for r in regions() if r["level"] == "village")["village"] > 20_000


# --- population -------------------------------------------------------------------------
def test_population_key_unique_and_codes_known() -> None:
    keys = [(r["region_code"], r["year"], r["measure"], r["basis"]) for r in population()]
    assert len(set(keys)) == len(keys)
    for r in population():
        assert by_code()[r["region_code"]]["level"] in ("province", "prefecture")
        assert (r["value"] is None) == (r["quality"] == "missing")


def test_prefecture_census_populations_add_up() -> None:
    census = {r["region_code"]: r["value"] for r in population() if r["measure"] == "population" and r["year"] == 2020}
    prefectures = {c: v for c, v in census.items() if by_code()[c]["level"] == "prefecture"}
    assert len(prefectures) == 14
    assert sum(prefectures.values()) == CENSUS_TOTAL_2020 == census["430000"]


def test_census_and_year_end_never_share_a_measure() -> None:
    dates = {}
    for r in population():
        dates.setdefault(r["measure"], set()).add((r["reference_date"].month, r["reference_date"].day))
    assert dates["population"] == {(11, 1)}
    assert dates["yearend_population"] == {(12, 31)}
    assert dates["urbanisation_rate"] == {(11, 1)}
    assert dates["yearend_urbanisation_rate"] == {(12, 31)}


# --- boundaries -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "level", "count"), [(PREFECTURES_GEOJSON, "prefecture", 14), (COUNTIES_GEOJSON, "county", 122)]
)
def test_geojson_features_match_regions(path: Path, level: str, count: int) -> None:
    fc = geojson(path)
    assert fc["type"] == "FeatureCollection"
    ids = [f["id"] for f in fc["features"]]
    assert len(ids) == count and len(set(ids)) == count
    for f in fc["features"]:
        r = by_code()[f["id"]]
        assert r["level"] == level and not r["is_stat_zone"]
        assert f["properties"]["region_code"] == f["id"]
        assert f["properties"]["name_zh"] == r["name_zh"]
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
    if level == "county":
        assert set(ids) == admin_counties()
    assert path.stat().st_size < 1_000_000


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


@pytest.mark.parametrize("path", [PREFECTURES_GEOJSON, COUNTIES_GEOJSON])
def test_outer_rings_clockwise(path: Path) -> None:
    for f in geojson(path)["features"]:
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for rings in polygons:
            assert _signed_area(rings[0]) < 0, f["id"]  # clockwise (plotly geo)
            assert all(_signed_area(h) > 0 for h in rings[1:]), f["id"]
