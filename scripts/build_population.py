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
* source_tier (where the value was read, per figure: ``TIERS`` below, every figure with a value
  must have one): ``official_bulletin`` (read in the bulletin itself), ``official_reprint`` (an
  official figure reprinted by a page that names the bulletin, bureau or yearbook it quotes),
  ``third_party`` (a compilation: the leiii census dataset, askci, huaon, list and aggregator
  pages that name no official publication), ``derived`` (arithmetic, the ``DERIVED`` list);
  null for an empty cell;
* official_source: the official publication that holds the figure where the CSV ties the figure
  to one (``OFFICIAL``), in the CSV's own words; cited beside the reprint, never invented;
* quality: ``missing`` for an empty cell; ``derived`` only for the values a note says were
  computed (listed in ``DERIVED`` below and checked against the notes); ``low_confidence``
  when the row's notes say LOW CONFIDENCE or third-party, or for a value a note singles out;
  else ``published`` for an official tier and ``compiled`` for a third-party compilation (a
  third-party or derived figure is never ``published``, the 公布数 of the page).

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

from analytics.contract import POPULATION, POPULATION_BASES, POPULATION_QUALITY, POPULATION_SOURCE_TIERS

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
    # source_population: "= 66444864 minus the other 13 (HN bulletin #2 total)": the province minus the rest
    ("prefecture_census_2020.csv", "433100", 2020): {"population"},
}
# Single values a note puts in doubt (the rest of the row stays as it is).
LOW_CONFIDENCE_VALUES: dict[tuple[str, str, int], set[str]] = {
    # "death rate 4.16 is implausibly low vs province 7.28 - basis unclear ... use with caution"
    ("prefecture_vital_rates.csv", "430400", 2019): {"death_rate"},
}
# --- source tiers ------------------------------------------------------------------------------
BULLETIN, REPRINT, THIRD, DERIVED_TIER = POPULATION_SOURCE_TIERS
HN_CENSUS = (
    "湖南省统计局《湖南省第七次全国人口普查公报》 "
    "http://tjj.hunan.gov.cn/hntj/tjfx/tjgb/pcgbv/202105/t20210519_19050124.html"
)
CENSUS_FILE, PROVINCE_FILE, PREFECTURE_FILE = (
    "prefecture_census_2020.csv",
    "province_series.csv",
    "prefecture_vital_rates.csv",
)
URBAN = ("urban_population", "urbanisation_rate")
# the prefectures whose census count was read on the tjj.hunan.gov.cn bulletin page itself
CENSUS_BULLETIN_READ = ("430000", "430100", "430200", "430300", "430400", "430500", "430600", "430700")
STRUCTURE = ("sex_ratio", "age_0_14_share", "age_15_59_share", "age_60plus_share", "age_65plus_share")
# (file, region, year) → {measure or ALL: tier}; a measure's own entry wins over ALL. Each entry
# with the words of the CSV it rests on. Derived values (DERIVED) are tiered derived without an entry.
TIERS: dict[tuple[str, str, int], dict[str, str]] = {
    # --- census: the population count (source_population) ---
    # tjj.hunan.gov.cn census bulletin page read for the province and seven prefectures
    **{(CENSUS_FILE, c, 2020): {"population": BULLETIN} for c in CENSUS_BULLETIN_READ},
    # "row truncated in the copy read; value 1517027 from m.gxscse.com + leiii/census"
    (CENSUS_FILE, "430800", 2020): {"population": THIRD},
    # "row truncated; 3851564 from leiii/census & zaibaike.com"
    (CENSUS_FILE, "430900", 2020): {"population": THIRD},
    # czdjw.org.cn: the province's bulletin #1 reprinted ("bulletin #1 via czdjw.org.cn")
    (CENSUS_FILE, "431000", 2020): {"population": REPRINT},
    # 永州市七普公报(第一号) on yzcity.gov.cn; 怀化市七普公报(第一号) on huaihua.gov.cn (urban in it too)
    (CENSUS_FILE, "431100", 2020): {"population": BULLETIN},
    (CENSUS_FILE, "431200", 2020): {
        "population": BULLETIN,
        "urban_population": BULLETIN,
        "urbanisation_rate": BULLETIN,
    },
    # "leiii/census; male 1960551+female 1866445 (doubledring.cn)"
    (CENSUS_FILE, "431300", 2020): {"population": THIRD},
}
# --- census: urban (source_structure): bulletins or their mirrors where the CSV names one for the
# urban figures; the rural count and everything else from the leiii compilation or askci / huaon
TIERS[(CENSUS_FILE, "430400", 2020)] |= {
    "urban_population": REPRINT,
    "urbanisation_rate": REPRINT,
}  # 衡阳 bulletin mirror
TIERS[(CENSUS_FILE, "430500", 2020)] |= {
    "urban_population": BULLETIN,
    "urbanisation_rate": BULLETIN,
}  # 邵阳市七普公报(第一号)
TIERS[(CENSUS_FILE, "430700", 2020)] |= {
    "urban_population": REPRINT,
    "urbanisation_rate": REPRINT,
}  # "常德 bulletin via porx.cn"
# --- census: the province's sex and age ("HN bulletin #3/#4 text" via bbaqw.com and czdjw.org.cn)
# and its male / female counts (in the notes beside them); its urban figures come from huaon.com
TIERS[(CENSUS_FILE, "430000", 2020)] |= {m: REPRINT for m in (*STRUCTURE, "male_population", "female_population")}
CENSUS_DEFAULT = THIRD  # anything else of the census table: leiii/census (a GitHub dataset), askci, huaon.com
# --- year-end series: by (file, region, year); the CSV's source names what the page quotes
TIERS |= {
    (PROVINCE_FILE, PROVINCE, 2011): {ALL: REPRINT},  # 红网 quoting the HN stats bureau (via cctv.com)
    (PROVINCE_FILE, PROVINCE, 2012): {ALL: REPRINT},  # "third-party reposts of HN stats bureau" (low confidence)
    (PROVINCE_FILE, PROVINCE, 2014): {ALL: THIRD},  # a forum page, garbled, origin not named
    (PROVINCE_FILE, PROVINCE, 2016): {ALL: THIRD},  # gudianfeng.com; birth rate from askci
    (PROVINCE_FILE, PROVINCE, 2018): {ALL: REPRINT},  # "quotes 湖南省2018年统计公报"
    (PROVINCE_FILE, PROVINCE, 2019): {ALL: REPRINT},  # "quotes 湖南省2019年统计公报"; 华声在线
    # births and birth rate from askci; urbanisation = the census figure (read from huaon.com); rest derived
    (PROVINCE_FILE, PROVINCE, 2020): {"births": THIRD, "birth_rate": THIRD, "yearend_urbanisation_rate": THIRD},
    (PROVINCE_FILE, PROVINCE, 2021): {ALL: REPRINT},  # 观察者网, 澎湃 reporting the bureau's release
    (PROVINCE_FILE, PROVINCE, 2022): {ALL: REPRINT},  # 观察者网, 中国经济网
    (PROVINCE_FILE, PROVINCE, 2023): {ALL: REPRINT},  # "观察者网 quoting HN stats bureau"
    (PROVINCE_FILE, PROVINCE, 2024): {ALL: REPRINT},  # 观察者网
    # prefectures: a page that quotes or cites the prefecture's bulletin, bureau or the yearbook → reprint;
    # lists ("maigoo-style list", "undated list"), summaries and pages that cite nothing → third party
    (PREFECTURE_FILE, "430100", 2018): {ALL: THIRD},  # wuhan.com travel page
    (PREFECTURE_FILE, "430100", 2019): {ALL: REPRINT},  # quotes 长沙市2019年统计公报
    (PREFECTURE_FILE, "430100", 2021): {ALL: THIRD},  # maigoo-style list; undated list
    (PREFECTURE_FILE, "430100", 2022): {ALL: REPRINT},  # both cite 长沙市统计局
    (PREFECTURE_FILE, "430200", 2021): {ALL: THIRD},  # gxscse.com, cites nothing
    (PREFECTURE_FILE, "430300", 2018): {ALL: REPRINT},  # quotes 湘潭 2018 公报
    (PREFECTURE_FILE, "430300", 2021): {ALL: REPRINT},  # cites 2022湖南统计年鉴
    (PREFECTURE_FILE, "430400", 2018): {ALL: THIRD},  # "third-party summary"
    (PREFECTURE_FILE, "430400", 2019): {ALL: REPRINT},  # 衡阳日报 report
    (PREFECTURE_FILE, "430400", 2021): {ALL: THIRD},  # maigoo-style list
    (PREFECTURE_FILE, "430400", 2022): {ALL: REPRINT},  # cites 衡阳市2022年统计公报
    (PREFECTURE_FILE, "430400", 2023): {ALL: THIRD},  # "third-party summary"
    (PREFECTURE_FILE, "430500", 2019): {ALL: THIRD},  # excerpt truncated, names no bulletin
    (PREFECTURE_FILE, "430500", 2021): {ALL: THIRD},  # maigoo-style list
    (PREFECTURE_FILE, "430500", 2022): {ALL: REPRINT},  # cites 邵阳市2022年统计公报
    (PREFECTURE_FILE, "430600", 2019): {ALL: REPRINT},  # quotes 岳阳市2019年统计公报
    (PREFECTURE_FILE, "430600", 2021): {ALL: THIRD},  # maigoo-style list
    (PREFECTURE_FILE, "430600", 2022): {ALL: REPRINT},  # cites 岳阳市2022年统计公报
    (PREFECTURE_FILE, "430700", 2021): {ALL: REPRINT},  # quotes 常德市2021年统计公报
    (PREFECTURE_FILE, "430700", 2022): {ALL: THIRD},  # hongheiku.com and another page, no bulletin named
    (PREFECTURE_FILE, "430700", 2023): {ALL: REPRINT},  # hongheiku.com (2023年统计公报)
    (PREFECTURE_FILE, "430800", 2021): {ALL: REPRINT},  # cites 张家界市2021年统计公报
    (PREFECTURE_FILE, "430800", 2023): {ALL: REPRINT},  # cites 2023年统计公报
    (PREFECTURE_FILE, "430900", 2021): {ALL: THIRD},  # undated list
    (PREFECTURE_FILE, "431000", 2020): {ALL: THIRD},  # maigoo page, no bulletin named for 2020
    (PREFECTURE_FILE, "431000", 2021): {ALL: THIRD},  # gxscse.com; maigoo
    (PREFECTURE_FILE, "431000", 2022): {ALL: REPRINT},  # cites 郴州市2022年统计公报
    (PREFECTURE_FILE, "431100", 2021): {ALL: THIRD},  # maigoo-style list
    (PREFECTURE_FILE, "431200", 2018): {ALL: THIRD},  # a personal library page, no bulletin named
    (PREFECTURE_FILE, "431200", 2019): {ALL: THIRD},  # idem
    (PREFECTURE_FILE, "431200", 2021): {ALL: REPRINT},  # cite 怀化市2021年统计公报
    (PREFECTURE_FILE, "431200", 2022): {ALL: REPRINT},  # cites 怀化市2022年统计公报
    (PREFECTURE_FILE, "431300", 2018): {ALL: REPRINT},  # quotes 娄底 2018 公报
    (PREFECTURE_FILE, "431300", 2021): {ALL: THIRD},  # undated list
    (PREFECTURE_FILE, "431300", 2023): {ALL: REPRINT},  # cites 娄底市统计局
    (PREFECTURE_FILE, "433100", 2021): {ALL: THIRD},  # undated list
}
# The official publication that holds a figure, where the CSV ties the figure to one: (file, region,
# year) → {measure or ALL: citation}, in the CSV's own words (a title it quotes, a URL it gives).
_YONGZHOU = "永州市七普公报(第一号) http://yzcity.gov.cn/tjj/031005/202106/5e4be93db64d4a71aa92ff923888658d.shtml"
_HUAIHUA = (
    "怀化市七普公报(第一号) http://www.huaihua.gov.cn/huaihua/c115181/202106/68d40f19ba90441095c923c881931c86.shtml"
)
_SHAOYANG = (
    "邵阳市七普公报(第一号) https://tjj.shaoyang.gov.cn/sytjj/tjxx/202106/838b149fe24941c588f4e40f1cfa0f42.shtml"
)
OFFICIAL: dict[tuple[str, str, int], dict[str, str]] = {
    # the census bulletin's page holds every prefecture's count (two rows were truncated in the copy read)
    **{
        (CENSUS_FILE, c, 2020): {"population": HN_CENSUS} for c in (*CENSUS_BULLETIN_READ, "430800", "430900", "431000")
    },
    (CENSUS_FILE, "431100", 2020): {"population": _YONGZHOU},
    (CENSUS_FILE, "431200", 2020): {
        "population": _HUAIHUA,
        "urban_population": _HUAIHUA,
        "urbanisation_rate": _HUAIHUA,
    },
}
OFFICIAL[(CENSUS_FILE, "430500", 2020)] |= {m: _SHAOYANG for m in URBAN}
OFFICIAL[(CENSUS_FILE, "430400", 2020)] |= {m: "衡阳市第七次全国人口普查公报" for m in URBAN}  # read in a mirror
OFFICIAL[(CENSUS_FILE, "430700", 2020)] |= {m: "常德市第七次全国人口普查公报" for m in URBAN}  # read in a repost
OFFICIAL[(CENSUS_FILE, "430000", 2020)] |= {  # the text read in reposts
    m: "湖南省第七次全国人口普查公报（第三号、第四号）" for m in (*STRUCTURE, "male_population", "female_population")
}
# the province's year-end figures are those of its annual bulletin (湖南省统计局); the reprints quote it
OFFICIAL |= {
    (PROVINCE_FILE, PROVINCE, y): {ALL: f"湖南省{y}年国民经济和社会发展统计公报（湖南省统计局）"}
    for y in (2011, 2012, 2018, 2019, 2021, 2022, 2023, 2024)
}
OFFICIAL |= {
    (PREFECTURE_FILE, "430100", 2019): {ALL: "长沙市2019年统计公报"},
    (PREFECTURE_FILE, "430100", 2022): {ALL: "长沙市统计局"},
    (PREFECTURE_FILE, "430300", 2018): {ALL: "湘潭 2018 公报"},
    (PREFECTURE_FILE, "430300", 2021): {ALL: "2022湖南统计年鉴"},
    (PREFECTURE_FILE, "430400", 2022): {ALL: "衡阳市2022年统计公报"},
    (PREFECTURE_FILE, "430500", 2022): {ALL: "邵阳市2022年统计公报"},
    (PREFECTURE_FILE, "430600", 2019): {ALL: "岳阳市2019年统计公报"},
    (PREFECTURE_FILE, "430600", 2022): {ALL: "岳阳市2022年统计公报"},
    (PREFECTURE_FILE, "430700", 2021): {ALL: "常德市2021年统计公报"},
    (PREFECTURE_FILE, "430700", 2023): {ALL: "常德市2023年统计公报"},
    (PREFECTURE_FILE, "430800", 2021): {ALL: "张家界市2021年统计公报"},
    (PREFECTURE_FILE, "430800", 2023): {ALL: "张家界市2023年统计公报"},
    (PREFECTURE_FILE, "431000", 2022): {ALL: "郴州市2022年统计公报"},
    (PREFECTURE_FILE, "431200", 2021): {ALL: "怀化市2021年统计公报"},
    (PREFECTURE_FILE, "431200", 2022): {ALL: "怀化市2022年统计公报"},
    (PREFECTURE_FILE, "431300", 2018): {ALL: "娄底 2018 公报"},
    (PREFECTURE_FILE, "431300", 2023): {ALL: "娄底市统计局"},
}
OFFICIAL_TIERS = (BULLETIN, REPRINT)
TIER_FILES = (CENSUS_FILE, PROVINCE_FILE, PREFECTURE_FILE)


def _lookup(table: dict[tuple[str, str, int], dict[str, str]], file: str, region: str, year: int, measure: str):
    entry = table.get((file, region, year), {})
    return entry.get(measure, entry.get(ALL))


def tier(file: str, region: str, year: int, measure: str, value) -> str | None:
    """Where the value was read (``TIERS``); derived values are derived; None for an empty cell."""
    if value is None:
        return None
    d = derived_for(file, region, year)
    if d == ALL or measure in d:
        return DERIVED_TIER
    found = _lookup(TIERS, file, region, year, measure)
    if found is None and file == CENSUS_FILE:
        found = CENSUS_DEFAULT
    require(found is not None, f"{file} {region} {year} {measure}: no source tier in TIERS")
    return found


def official(file: str, region: str, year: int, measure: str, value) -> str | None:
    """The official publication that holds the figure (``OFFICIAL``), where the CSV names one."""
    return None if value is None else _lookup(OFFICIAL, file, region, year, measure)


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
    # only an official figure is a published one (公布数); a compilation's is compiled
    return "published" if tier(file, region, year, measure, value) in OFFICIAL_TIERS else "compiled"


def row(file, region, year, measure, value, unit, basis, qual, ref_date, source, note) -> dict:
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
        source_tier=tier(file, region, year, measure, value),
        official_source=official(file, region, year, measure, value),
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
                    file,
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
                        file,
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
                    file,
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
        # every figure has a tier; derived ⇔ derived; 公布数 only for an official tier
        require((r["value"] is None) == (r["source_tier"] is None), r)
        require(r["source_tier"] is None or r["source_tier"] in POPULATION_SOURCE_TIERS, r)
        require((r["quality"] == "derived") == (r["source_tier"] == DERIVED_TIER), r)
        require(r["quality"] != "published" or r["source_tier"] in OFFICIAL_TIERS, r)
        require(r["quality"] != "compiled" or r["source_tier"] == THIRD, r)
    used = {k for k in (*TIERS, *OFFICIAL)}
    have = {(f, x["division_code"], int(x.get("year") or 2020)) for f in TIER_FILES for x in read_csv(f)}
    require(used <= have, f"TIERS / OFFICIAL name rows the CSVs do not have: {sorted(used - have)}")
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
