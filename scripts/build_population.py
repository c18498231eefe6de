#!/usr/bin/env python
"""Build the population reference table (province and prefectures) in long format.

Sources: the compiled public figures in ``data/reference/sources/`` (copied verbatim from the
project's shared reference folder; see ``data/reference/sources/README.md``):

* ``prefecture_census_2020.csv``  - 7th national census (2020-11-01), province and 14 prefectures
  (湖南省第七次全国人口普查公报 and the prefectures' own census bulletins, via the pages each
  row cites)
* ``province_series.csv``         - Hunan year-end series 2010-2024 (湖南省统计公报, via reposts)
* ``prefecture_vital_rates.csv``  - 14 prefectures × 2018-2023, sparse (prefecture 统计公报)

Licence: the figures are official statistics published by government statistics bureaus, i.e.
facts; the compilation (the CSVs) is the project's own. Every row keeps its ``source`` so the
dashboard can show where a figure comes from (see ``data/reference/SOURCES.md``).
``childcare.csv`` is copied beside them but is not population data (and is mostly national,
code 100000), so it is not read here.

Output (committed, deterministic, rows sorted by key):
``data/reference/population/population.parquet``, schema ``analytics.contract.POPULATION.schema``.

Rules:

* one row per CSV row and measure column, also when the cell is empty (value null,
  quality ``missing``) so gaps stay visible;
* census figures (year 2020, reference_date 2020-11-01) use the measure names
  population, urban_population, rural_population, urbanisation_rate, sex_ratio,
  age_*_share, household_size, male_population, female_population; the year-end series
  (reference_date 31 December) use yearend_population and yearend_urbanisation_rate
  for the two figures the census also has, so the two never mix under one key; births,
  birth_rate, deaths, death_rate, natural_growth_rate only exist in the series;
* 万 (10k) figures are multiplied by 10,000 exactly (decimal arithmetic);
* basis ``household_registration`` for births, deaths and the three rates when the row's
  ``rate_basis`` says 户籍, else ``resident``;
* quality: ``missing`` for an empty cell; ``derived`` only for the values a note says were
  computed (listed in ``DERIVED`` below and checked against the notes); ``low_confidence``
  when the row's notes say LOW CONFIDENCE or third-party, or for a value a note singles out;
  else ``published``.

Usage::

    python scripts/build_population.py
    python scripts/build_population.py --check   # fail if the committed file is stale
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def require(condition: object, message: object) -> None:
    """Stop the build with a message (unlike assert, also under python -O)."""
    if not condition:
        raise SystemExit(f"{Path(__file__).name}: check failed: {message}")


ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analytics.contract import POPULATION, POPULATION_BASES, POPULATION_QUALITY

SRC = ROOT / "data" / "reference" / "sources"
OUT = ROOT / "data" / "reference" / "population" / "population.parquet"
REGIONS = ROOT / "data" / "reference" / "regions" / "regions.parquet"
PROVINCE = "430000"
CENSUS_DATE = dt.date(2020, 11, 1)
CENSUS_TOTAL = 66_444_864

PERSONS, PERMILLE, PERCENT = "persons", "‰", "%"

# census CSV column → (measure, unit, which source column applies)
CENSUS_COLUMNS = {
    "census_pop_2020": ("population", PERSONS, "pop"),
    "urban_pop_2020": ("urban_population", PERSONS, "both"),
    "rural_pop_2020": ("rural_population", PERSONS, "both"),
    "urbanisation_rate_pct": ("urbanisation_rate", PERCENT, "both"),
    "sex_ratio_f100": ("sex_ratio", "per 100 females", "structure"),
    "age_0_14_pct": ("age_0_14_share", PERCENT, "structure"),
    "age_15_59_pct": ("age_15_59_share", PERCENT, "structure"),
    "age_60plus_pct": ("age_60plus_share", PERCENT, "structure"),
    "age_65plus_pct": ("age_65plus_share", PERCENT, "structure"),
    "age_15_64_pct_derived": ("age_15_64_share", PERCENT, "structure"),
    "avg_household_size": ("household_size", "persons per household", "structure"),
}

# year-end CSV column → (measure, unit, factor, vital: basis follows rate_basis)
SERIES_COLUMNS = {
    "yearend_resident_pop_10k": ("yearend_population", PERSONS, 10_000, False),
    "births_10k": ("births", PERSONS, 10_000, True),
    "birth_rate_permille": ("birth_rate", PERMILLE, 1, True),
    "deaths_10k": ("deaths", PERSONS, 10_000, True),
    "death_rate_permille": ("death_rate", PERMILLE, 1, True),
    "natural_growth_rate_permille": ("natural_growth_rate", PERMILLE, 1, True),
    "urbanisation_rate_pct": ("yearend_urbanisation_rate", PERCENT, 1, False),
}

ALL = "*"
# Values that a note says were computed, not published: (file, region, year) → measures.
# Every series row whose notes or source say "derived" must be listed here (checked), so a new such note
# cannot slip through as "published".
DERIVED: dict[tuple[str, str, int], set[str] | str] = {
    # "ALL 2010 values DERIVED from 2011 release"
    ("province_series.csv", PROVINCE, 2010): ALL,
    # births & birth rate from askci; "others DERIVED from 2021 release"; urban = census 58.76%
    ("province_series.csv", PROVINCE, 2020): {"yearend_population", "deaths", "death_rate", "natural_growth_rate"},
    # the CSV names the column ..._derived: 100 - share 0-14 - share 65+
    ("prefecture_census_2020.csv", ALL, 2020): {"age_15_64_share"},
    # "male/female counts 1960551/1866445 imply 105.04 ... use 105.04"
    ("prefecture_census_2020.csv", "431300", 2020): {"sex_ratio"},
}
# Single values a note puts in doubt (the rest of the row stays as it is).
LOW_CONFIDENCE_VALUES: dict[tuple[str, str, int], set[str]] = {
    # "death rate 4.16 is implausibly low vs province 7.28 - basis unclear ... use with caution"
    ("prefecture_vital_rates.csv", "430400", 2019): {"death_rate"},
}
_DERIVED_NOTE = re.compile(r"\bderived\b", re.IGNORECASE)
_LOW_CONFIDENCE_NOTE = re.compile(r"low confidence|third-party", re.IGNORECASE)
# male/female counts given in the census notes: "male 33995673 female 32449191",
# "male 3392314/female 3171206", "male 1960551+female 1866445"
_MALE_FEMALE = re.compile(r"\bmale (\d+)\s*[/+]?\s*female (\d+)")


def read_csv(name: str) -> list[dict[str, str]]:
    with (SRC / name).open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def number(text: str, factor: int = 1) -> float | None:
    if text == "":
        return None
    return float(Decimal(text) * factor)


def derived_for(file: str, region: str, year: int) -> set[str] | str:
    out: set[str] = set()
    for (f, r, y), measures in DERIVED.items():
        if f == file and y == year and r in (region, ALL):
            if measures == ALL:
                return ALL
            out |= measures
    return out


def quality(file: str, region: str, year: int, measure: str, value, notes: str) -> str:
    if value is None:
        return "missing"
    d = derived_for(file, region, year)
    if d == ALL or measure in d:
        return "derived"
    if _LOW_CONFIDENCE_NOTE.search(notes) or measure in LOW_CONFIDENCE_VALUES.get((file, region, year), set()):
        return "low_confidence"
    return "published"


def row(region, year, measure, value, unit, basis, qual, ref_date, source, note) -> dict:
    return dict(
        region_code=region,
        year=year,
        measure=measure,
        value=value,
        unit=unit,
        basis=basis,
        quality=qual,
        reference_date=ref_date,
        source=source or None,
        note=note or None,
    )


def census_rows() -> list[dict]:
    file = "prefecture_census_2020.csv"
    out = []
    for r in read_csv(file):
        region, notes = r["division_code"], r["notes"]
        require(r["reference_date"] == CENSUS_DATE.isoformat(), r)
        src_pop, src_struct = r["source_population"], r["source_structure"]
        sources = {
            "pop": src_pop,
            "structure": src_struct,
            "both": f"population: {src_pop} | structure: {src_struct}",
        }
        for col, (measure, unit, which) in CENSUS_COLUMNS.items():
            value = number(r[col])
            note = notes
            if measure == "age_15_64_share":
                note = "; ".join(filter(None, ["derived: 100 - age_0_14_share - age_65plus_share", notes]))
            out.append(
                row(
                    region,
                    2020,
                    measure,
                    value,
                    unit,
                    "resident",
                    quality(file, region, 2020, measure, value, notes),
                    CENSUS_DATE,
                    sources[which],
                    note,
                )
            )
        # male / female only where the CSV's text gives them (no column, so no missing rows).
        # Source: the field that holds the figures, or for figures in the notes the row's
        # structure source (the notes themselves then name any other page).
        m, src = None, ""
        for field_text, field_source in ((src_pop, src_pop), (src_struct, src_struct), (notes, src_struct)):
            m, src = _MALE_FEMALE.search(field_text), field_source
            if m:
                break
        if m:
            male, female = int(m[1]), int(m[2])
            require(male + female == int(r["census_pop_2020"]), (region, male, female))
            note = "; ".join(
                filter(None, [f"{m[0]} as given in the CSV's text; male + female = census population", notes])
            )
            for measure, value in (("male_population", male), ("female_population", female)):
                out.append(
                    row(
                        region,
                        2020,
                        measure,
                        float(value),
                        PERSONS,
                        "resident",
                        quality(file, region, 2020, measure, value, notes),
                        CENSUS_DATE,
                        src,
                        note,
                    )
                )
    check_census(out)
    return out


def check_census(rows: list[dict]) -> None:
    pop = {r["region_code"]: r["value"] for r in rows if r["measure"] == "population"}
    prefectures = {c: v for c, v in pop.items() if c != PROVINCE}
    require(len(prefectures) == 14, sorted(pop))
    require(sum(prefectures.values()) == CENSUS_TOTAL == pop[PROVINCE], sum(prefectures.values()))
    share = {(r["region_code"], r["measure"]): r["value"] for r in rows}
    for c in pop:
        require(share[(c, "urban_population")] + share[(c, "rural_population")] == pop[c], c)
        d = 100 - share[(c, "age_0_14_share")] - share[(c, "age_65plus_share")]
        require(abs(d - share[(c, "age_15_64_share")]) < 0.011, (c, d))


def series_rows(file: str) -> list[dict]:
    out = []
    for r in read_csv(file):
        region, year, notes = r["division_code"], int(r["year"]), r["notes"]
        d = derived_for(file, region, year)
        says_derived = bool(_DERIVED_NOTE.search(f"{notes} {r['source']}"))
        require(says_derived == bool(d), f"{file} {region} {year}: the notes and the DERIVED table disagree")
        household = "户籍" in r.get("rate_basis", "")
        ref_date = dt.date(year, 12, 31)
        for col, (measure, unit, factor, vital) in SERIES_COLUMNS.items():
            value = number(r[col], factor)
            basis = "household_registration" if (vital and household) else "resident"
            out.append(
                row(
                    region,
                    year,
                    measure,
                    value,
                    unit,
                    basis,
                    quality(file, region, year, measure, value, notes),
                    ref_date,
                    r["source"],
                    notes,
                )
            )
    return out


def build() -> pa.Table:
    for (f, _r, _y), _m in DERIVED.items():
        require((SRC / f).exists(), f)
    rows = census_rows() + series_rows("province_series.csv") + series_rows("prefecture_vital_rates.csv")
    rows.sort(key=lambda r: (r["region_code"], r["year"], r["measure"], r["basis"]))
    keys = [(r["region_code"], r["year"], r["measure"], r["basis"]) for r in rows]
    require(len(set(keys)) == len(keys), "duplicate key")
    for r in rows:
        require(r["basis"] in POPULATION_BASES and r["quality"] in POPULATION_QUALITY, r)
        require((r["value"] is None) == (r["quality"] == "missing"), r)
    if REGIONS.exists():  # every code a province or prefecture of the region table
        t = pq.read_table(REGIONS, columns=["region_code", "level"]).to_pylist()
        ok = {x["region_code"] for x in t if x["level"] in ("province", "prefecture")}
        bad = sorted({r["region_code"] for r in rows} - ok)
        require(not bad, f"codes not province/prefecture in regions.parquet: {bad}")
    return pa.Table.from_pylist(rows, schema=POPULATION.schema)


def to_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = ap.parse_args(argv)
    table = build()
    data = to_bytes(table)
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == data
        print(f"{args.out}: {'up to date' if same else 'STALE'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    q = table.group_by("quality").aggregate([("quality", "count")]).to_pylist()
    print(
        f"wrote {args.out} ({len(data):,} bytes, {len(table)} rows; "
        + ", ".join(f"{x['quality']} {x['quality_count']}" for x in sorted(q, key=lambda x: x["quality"]))
        + ")"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
