"""A tiny data folder for the population page: the regions etc. of ``tiny`` plus population files.

Regions (from ``tiny``): province 430000, prefectures 430100 甲市 and 430200 乙市.

``reference/population/population.parquet`` (the bundled compilation):

* census 2020 population: 430000 → 300, 430100 → 100, 430200 → 200 (published);
  age_65plus_share 430100 → 12.5 (derived);
* year-end births of the province: 2018 → 10, 2019 → 12, 2021 → null (a "missing" row),
  2022 → 8; 2020 has no row at all. Birth rate of 430100 in 2019 on the
  household-registration basis → 9.9.

``reference/population/fpa_2024.parquet`` (the association's own export):

* an extra measure: household_size of 430100 in 2020 → 2.5;
* an extra year: births of the province in 2023 → 7;
* a conflict: population of 430100 in 2020 → 110 (bundled: 100);
* a gap over a figure: population of 430200 in 2020 → null (bundled: 200);
* a figure over a gap: births of the province in 2021 → 9 (bundled: null).

``reference/population/fpa_2025.parquet``: population of 430100 in 2020 → 120 (a newer export).

So, by the rule in population_candidates.sql: 430100's 2020 population is 120 (fpa_2025 sorts
after fpa_2024, both beat the bundled 100); 430200's stays 200 (a gap never beats a value);
the province's 2021 births are 9 from fpa_2024; the 2023 births (7) and 430100's household
size (2.5) are added.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analytics.contract import TABLES
from tests.unit import tiny

CENSUS_DAY = dt.date(2020, 11, 1)


def _row(
    code: str,
    year: int,
    measure: str,
    value: float | None,
    unit: str,
    *,
    basis: str = "resident",
    quality: str | None = None,
    source: str | None = "bundled source",
) -> dict[str, object]:
    return dict(
        region_code=code,
        year=year,
        measure=measure,
        value=value,
        unit=unit,
        basis=basis,
        quality=quality or ("missing" if value is None else "published"),
        reference_date=CENSUS_DAY
        if year == 2020 and measure in {"population", "household_size"}
        else dt.date(year, 12, 31),
        source=source if value is not None else None,
        note=None,
    )


BUNDLED = [
    _row("430000", 2020, "population", 300, "persons", source="census bulletin"),
    _row("430100", 2020, "population", 100, "persons", source="census bulletin"),
    _row("430200", 2020, "population", 200, "persons", source="census bulletin"),
    _row("430100", 2020, "age_65plus_share", 12.5, "%", quality="derived", source="census tables"),
    _row("430000", 2018, "births", 10, "persons", source="bulletin 2018"),
    _row("430000", 2019, "births", 12, "persons", source="bulletin 2019"),
    _row("430000", 2021, "births", None, "persons"),
    _row("430000", 2022, "births", 8, "persons", source="bulletin 2022"),
    _row("430100", 2019, "birth_rate", 9.9, "‰", basis="household_registration", source="city bulletin 2019"),
]
FPA_2024 = [
    _row("430100", 2020, "household_size", 2.5, "persons per household", source="FPA export 2024"),
    _row("430000", 2023, "births", 7, "persons", source="FPA export 2024"),
    _row("430100", 2020, "population", 110, "persons", source="FPA export 2024"),
    _row("430200", 2020, "population", None, "persons"),
    _row("430000", 2021, "births", 9, "persons", source="FPA export 2024"),
]
FPA_2025 = [
    _row("430100", 2020, "population", 120, "persons", source="FPA export 2025"),
]


def write_population(data_dir: Path, name: str, rows: list[dict[str, object]]) -> Path:
    schema = TABLES["population"].schema
    folder = data_dir / TABLES["population"].folder
    folder.mkdir(parents=True, exist_ok=True)
    cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
    path = folder / name
    pq.write_table(pa.table(cols, schema=schema), path)
    return path


def build(data_dir: Path, *, extended: bool = True) -> Path:
    """The tiny folder with the bundled population file, and the association's two files when ``extended``."""
    tiny.build(data_dir)
    write_population(data_dir, "population.parquet", BUNDLED)
    if extended:
        write_population(data_dir, "fpa_2024.parquet", FPA_2024)
        write_population(data_dir, "fpa_2025.parquet", FPA_2025)
    return data_dir
