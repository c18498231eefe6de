"""Population figures for researchers: which figure is in force, complete grids with gaps, per-capita ratios.

Pure pandas, no Streamlit. The rules kept here:

* The 2020 census (``CENSUS_MEASURES``, census day 2020-11-01) and the year-end series
  (``SERIES_MEASURES``, 31 December each year) are different figures and never share a
  measure; nothing here mixes them.
* Missing is missing: a grid is completed with NaN and quality ``missing`` where no figure
  exists, never with 0, and never filled from a neighbour.
* Rates on the household-registration basis (户籍) are not comparable with resident (常住)
  rates: grids carry them apart (:func:`other_basis`), so a chart can only draw them marked.
* When several files hold the same figure, ``population_candidates.sql`` ranks them; the
  figure in force is the first (see :func:`in_force`, :func:`replaced`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import pandas as pd

from analytics.contract import POPULATION_SOURCE_TIERS

CENSUS_YEAR: Final = 2020
# The first year-end figure based on the 2020 census; 2019 and before are pre-census estimates.
SERIES_BREAK_YEAR: Final = 2020
BUNDLED_FILE: Final = "population.parquet"
RESIDENT: Final = "resident"
HOUSEHOLD_REGISTRATION: Final = "household_registration"
MISSING: Final = "missing"

CENSUS_MEASURES: Final = (
    "population",
    "urban_population",
    "rural_population",
    "male_population",
    "female_population",
    "urbanisation_rate",
    "sex_ratio",
    "age_0_14_share",
    "age_15_59_share",
    "age_15_64_share",
    "age_60plus_share",
    "age_65plus_share",
    "household_size",
)
SERIES_MEASURES: Final = (
    "yearend_population",
    "yearend_urbanisation_rate",
    "births",
    "birth_rate",
    "deaths",
    "death_rate",
    "natural_growth_rate",
)
# what the page shows of each
PROVINCE_SERIES: Final = ("yearend_population", "births", "birth_rate", "deaths", "death_rate", "natural_growth_rate")
CENSUS_COMPARISON: Final = (
    "population",
    "urbanisation_rate",
    "sex_ratio",
    "household_size",
    "age_0_14_share",
    "age_15_64_share",
    "age_65plus_share",
    "age_60plus_share",
)
VITAL_MEASURES: Final = (
    "birth_rate",
    "death_rate",
    "natural_growth_rate",
    "births",
    "deaths",
    "yearend_population",
    "yearend_urbanisation_rate",
)
# association figures (demo exports) set against the census population
ASSOCIATION_MEASURES: Final = ("childcare_places_per_1000", "instructors_per_10000", "funds_per_resident")
SCATTER_MEASURES: Final = (*ASSOCIATION_MEASURES, *CENSUS_COMPARISON)
# the indicators of the plan the association figures are made of (indicator_actuals)
ASSOCIATION_INDICATORS: Final = ("childcare_places", "family_health_funds_yuan", "childcare_funds_yuan")

FIGURE_COLUMNS: Final = (
    "region_code",
    "name_zh",
    "name_en",
    "year",
    "measure",
    "value",
    "unit",
    "basis",
    "quality",
    "reference_date",
    "source",
    "note",
    "source_file",
    "source_tier",
    "official_source",
)
PER_CAPITA_COLUMNS: Final = (
    "region_code",
    "population",
    "childcare_places",
    "childcare_places_per_1000",
    "instructors_in_post",
    "villages_reported",
    "instructors_per_10000",
    "family_health_funds_yuan",
    "childcare_funds_yuan",
    "funds_yuan",
    "funds_partial",
    "funds_per_resident",
)


def in_force(candidates: pd.DataFrame) -> pd.DataFrame:
    """The figure in force for every key (``candidate_rank`` 1), with ``n_candidates`` kept.

    Columns: :data:`FIGURE_COLUMNS` plus level, is_bundled, n_candidates.
    """
    out = candidates[candidates["candidate_rank"] == 1]
    return out.drop(columns=["candidate_rank"]).reset_index(drop=True)


def replaced(candidates: pd.DataFrame) -> pd.DataFrame:
    """Figures with a value that lost to another file's figure for the same key.

    Columns: region_code, name_zh, name_en, year, measure, basis, value, source_file,
    value_in_force, source_file_in_force, source_in_force.
    """
    key = ["region_code", "year", "measure", "basis"]
    winners = candidates.loc[candidates["candidate_rank"] == 1, [*key, "value", "source_file", "source"]].rename(
        columns={"value": "value_in_force", "source_file": "source_file_in_force", "source": "source_in_force"}
    )
    losers = candidates[(candidates["candidate_rank"] > 1) & candidates["value"].notna()]
    cols = [*key, "name_zh", "name_en", "value", "source_file"]
    out = losers[cols].merge(winners, on=key, how="left")
    return out[
        [
            "region_code",
            "name_zh",
            "name_en",
            "year",
            "measure",
            "basis",
            "value",
            "source_file",
            "value_in_force",
            "source_file_in_force",
            "source_in_force",
        ]
    ].reset_index(drop=True)


def complete(
    figures: pd.DataFrame,
    *,
    regions: pd.DataFrame,
    measures: Sequence[str],
    years: Iterable[int],
    basis: str = RESIDENT,
) -> pd.DataFrame:
    """Every region × measure × year on ``basis``: the figure where there is one, else a gap.

    ``regions`` has region_code, name_zh, name_en (in the order wanted). A key with no row
    gets value NaN and quality ``missing``; a row that exists keeps its own (a null value
    with its note). Nothing is filled in. Columns: :data:`FIGURE_COLUMNS`, sorted by region
    (in ``regions`` order), measure (in ``measures`` order), year.
    """
    years = sorted({int(y) for y in years})
    grid = pd.MultiIndex.from_product(
        [list(regions["region_code"]), list(measures), years], names=["region_code", "measure", "year"]
    ).to_frame(index=False)
    mine = figures[(figures["basis"] == basis) & figures["measure"].isin(measures)]
    mine = mine.drop(columns=[c for c in ("name_zh", "name_en") if c in mine.columns])
    out = grid.merge(mine.astype({"year": "int64"}), on=["region_code", "measure", "year"], how="left")
    out = out.merge(regions[["region_code", "name_zh", "name_en"]], on="region_code", how="left")
    absent = out["quality"].isna()
    out.loc[absent, "quality"] = MISSING
    out.loc[absent, "basis"] = basis
    out.loc[out["value"].isna(), "quality"] = MISSING
    order = {code: i for i, code in enumerate(regions["region_code"])}
    m_order = {m: i for i, m in enumerate(measures)}
    out = out.sort_values(
        ["region_code", "measure", "year"],
        key=lambda s: s.map(order) if s.name == "region_code" else (s.map(m_order) if s.name == "measure" else s),
    )
    return out[list(FIGURE_COLUMNS)].reset_index(drop=True)


def other_basis(
    figures: pd.DataFrame, *, region_codes: Sequence[str], measures: Sequence[str], years: Iterable[int]
) -> pd.DataFrame:
    """Figures with a value on any basis other than resident (household registration), to be drawn marked.

    Columns: :data:`FIGURE_COLUMNS`.
    """
    years = {int(y) for y in years}
    rows = figures[
        (figures["basis"] != RESIDENT)
        & figures["value"].notna()
        & figures["region_code"].isin(region_codes)
        & figures["measure"].isin(measures)
        & figures["year"].astype("int64").isin(years)
    ]
    return rows[list(FIGURE_COLUMNS)].reset_index(drop=True)


def series_years(figures: pd.DataFrame, region_code: str, measures: Sequence[str] = SERIES_MEASURES) -> list[int]:
    """Every year from the first to the last the region has a row of ``measures`` for (gaps included)."""
    years = figures.loc[(figures["region_code"] == region_code) & figures["measure"].isin(measures), "year"]
    if years.empty:
        return []
    return list(range(int(years.min()), int(years.max()) + 1))


def prefecture_series_years(figures: pd.DataFrame, measures: Sequence[str] = SERIES_MEASURES) -> list[int]:
    """The span of years the prefectures' year-end rows cover."""
    years = figures.loc[(figures["level"] == "prefecture") & figures["measure"].isin(measures), "year"]
    if years.empty:
        return []
    return list(range(int(years.min()), int(years.max()) + 1))


def per_capita(actuals: pd.DataFrame, instructors: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Association figures per resident, one row per region of ``population`` (in its order).

    ``actuals``: indicator_id, region_code, actual (``indicator_actuals``); ``instructors``:
    region_code, instructors_in_post, villages_reported (``population_instructors``);
    ``population``: region_code, population (census residents; NaN when missing).

    Places per 1,000 residents, instructors per 10,000, yuan (family health + childcare
    funds) per resident. A region with no report has NaN, never 0 (a reported 0 stays 0);
    a missing population leaves every ratio NaN. Funds are the sum of the parts reported,
    NaN when neither is, with ``funds_partial`` true when only one of the two is.
    Columns: :data:`PER_CAPITA_COLUMNS`.
    """
    wide = actuals.pivot_table(index="region_code", columns="indicator_id", values="actual", aggfunc="sum")
    out = population[["region_code", "population"]].copy()
    for ind in ASSOCIATION_INDICATORS:
        out[ind] = out["region_code"].map(wide[ind]) if ind in wide.columns else float("nan")
    inst = instructors.set_index("region_code")
    out["instructors_in_post"] = out["region_code"].map(inst["instructors_in_post"]).astype("float64")
    out["villages_reported"] = out["region_code"].map(inst["villages_reported"]).astype("float64")
    parts = out[["family_health_funds_yuan", "childcare_funds_yuan"]]
    out["funds_yuan"] = parts.sum(axis=1, min_count=1)
    out["funds_partial"] = parts.notna().sum(axis=1) == 1
    pop = out["population"].where(out["population"] > 0)
    out["childcare_places_per_1000"] = out["childcare_places"] / pop * 1_000
    out["instructors_per_10000"] = out["instructors_in_post"] / pop * 10_000
    out["funds_per_resident"] = out["funds_yuan"] / pop
    return out[list(PER_CAPITA_COLUMNS)].reset_index(drop=True)


def year_span(years: Iterable[int]) -> str:
    """Years as compact ranges: 2010, 2011, 2012, 2014 → "2010–2012, 2014"."""
    ys = sorted({int(y) for y in years})
    parts: list[str] = []
    start = prev = None
    for y in ys:
        if start is None:
            start = prev = y
        elif y == prev + 1:  # type: ignore[operator]
            prev = y
        else:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = y
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(parts)


def sources_table(
    shown: pd.DataFrame,
    measure_names: Mapping[str, str] | None = None,
    quality_names: Mapping[str, str] | None = None,
    sep: str = ", ",
    tier_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Every source behind a figure with a value in ``shown``, once, with what it covers.

    Columns: source, source_file, measures (names joined by ``sep`` in ``measure_names`` order,
    else by measure), years (compact ranges), regions (count), figures (count), qualities
    (named by ``quality_names``), tiers (source tiers, named by ``tier_names``; a figure without
    one is named by ``tier_names[""]`` when given).
    """
    rows = shown[shown["value"].notna()].drop_duplicates(["region_code", "year", "measure", "basis"])
    cols = ["source", "source_file", "measures", "years", "regions", "figures", "qualities", "tiers"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    names = dict(measure_names or {})
    qnames = dict(quality_names or {})
    tnames = dict(tier_names or {})
    order = {m: i for i, m in enumerate(names)}
    out = []
    for (source, file), part in rows.groupby(["source", "source_file"], dropna=False, sort=True):
        measures = sorted(part["measure"].unique(), key=lambda m: (order.get(m, len(order)), m))
        out.append(
            {
                "source": source,
                "source_file": file,
                "measures": sep.join(names.get(m, m) for m in measures),
                "years": year_span(part["year"]),
                "regions": int(part["region_code"].nunique()),
                "figures": len(part),
                "qualities": sep.join(qnames.get(q, q) for q in sorted(part["quality"].unique())),
                "tiers": sep.join(tnames.get(t, t) for t in _tiers(part)),
            }
        )
    return pd.DataFrame(out, columns=cols)


def _tiers(part: pd.DataFrame) -> list[str]:
    """The source tiers of ``part`` in the contract's order ("" for a figure without one, last)."""
    if "source_tier" not in part.columns:
        return [""]
    have = set(part["source_tier"].fillna(""))
    return [t for t in (*POPULATION_SOURCE_TIERS, "") if t in have]


def tier_label(tier: object, quality: object, tier_names: Mapping[str, str]) -> str:
    """The tier of one figure in the UI's words: empty for a missing figure, ``tier_names[""]``
    (tier not stated) for a figure whose file gives none."""
    if quality == MISSING:
        return ""
    key = "" if tier is None or pd.isna(tier) else str(tier)  # type: ignore[call-overload]
    return tier_names.get(key, key)


def export_table(
    shown: pd.DataFrame,
    *,
    headers: Mapping[str, str],
    measure_names: Mapping[str, str],
    quality_names: Mapping[str, str],
    basis_names: Mapping[str, str],
    name_col: str,
    tier_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """What the page shows, as one long table for download, headed and labelled in the UI's language.

    ``headers`` maps :data:`FIGURE_COLUMNS` (with ``name`` for the region name) to the
    header text; gaps stay empty cells, never 0. Every figure's source tier (named by
    ``tier_names``) and the official bulletin that holds it go beside its source.
    """
    tiers = dict(tier_names or {})
    rows = shown.drop_duplicates(["region_code", "year", "measure", "basis"])
    name = rows[name_col].fillna(rows["name_zh"]) if name_col in rows.columns else rows["name_zh"]
    out = pd.DataFrame(
        {
            "region_code": rows["region_code"],
            "name": name,
            "year": rows["year"].astype("int64"),
            "measure": rows["measure"].map(lambda m: measure_names.get(m, m)),
            "value": rows["value"],
            "unit": rows["unit"],
            "basis": rows["basis"].map(lambda b: basis_names.get(b, b)),
            "quality": rows["quality"].map(lambda q: quality_names.get(q, q)),
            "reference_date": rows["reference_date"],
            "source_tier": [
                tier_label(t, q, tiers) for t, q in zip(_col(rows, "source_tier"), rows["quality"], strict=True)
            ],
            "source": rows["source"],
            "official_source": _col(rows, "official_source"),
            "note": rows["note"],
            "source_file": rows["source_file"],
        }
    )
    return out.rename(columns=dict(headers)).reset_index(drop=True)


def _col(rows: pd.DataFrame, column: str) -> pd.Series:
    """A column of ``rows``, or an empty one (a frame from before the column existed)."""
    return rows[column] if column in rows.columns else pd.Series(None, index=rows.index, dtype=object)
