"""The only place that caches: the DuckDB connection and the query results pages share.

The connection is a ``cache_resource`` keyed by the data folder and its version token,
so publishing new files opens a fresh connection; every cached query takes that token
as its first argument (hashed, so new data never meets an old result). Each query takes its own cursor (a
DuckDB connection is not thread-safe; every browser session is a thread). Results are
``cache_data`` with a bounded number of entries and never mutated by callers.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import db, queries
from analytics.queries import series as series_queries
from ui import maps
from views.filters import Filters

MAX_ENTRIES = 256


def data_root() -> Path:
    """The data root: published versions, history, audit log."""
    return db.data_dir_from_env()


# The version a script run reads, pinned when the run asks for ``version()`` (app.py does,
# through the global filters, before any query): every query of one run then reads the same
# version even if a publish lands halfway through it. A Streamlit run is one thread, and
# cache_data computes in the caller's thread, so a thread-local is the run's own.
_pinned = threading.local()


def data_dir() -> Path:
    """The folder of the version this run reads (the one in force when the run started)."""
    pinned: Path | None = getattr(_pinned, "folder", None)
    return pinned if pinned is not None else db.published_dir(data_root())


@st.cache_resource(show_spinner=False, max_entries=4)
def _connection(path: str, version: str) -> duckdb.DuckDBPyConnection:
    # ``version`` is part of the cache key only: new files → new connection
    return db.connect(Path(path))


def connection() -> duckdb.DuckDBPyConnection:
    d = data_dir()
    return _connection(str(d), db.data_version(d))


def _cursor() -> duckdb.DuckDBPyConnection:
    return connection().cursor()


def version() -> str:
    """Resolve the version in force, pin it for this run, return its token (a new publish shows at the next rerun)."""
    folder = db.published_dir(data_root())
    _pinned.folder = folder
    return db.data_version(folder)


@st.cache_data(show_spinner=False, max_entries=8)
def skipped_files(data_version: str) -> list[db.SkippedFile]:
    """Files of the version in force left out of their tables (they do not fit the contract)."""
    return db.skipped_files(data_dir())


@st.cache_data(show_spinner=False, max_entries=8)
def manifest(data_version: str) -> db.Manifest:
    return db.Manifest.read(data_dir())


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def data_status(data_version: str) -> pd.DataFrame:
    return queries.data_status(_cursor())


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def plan_items(data_version: str, plan_year: int) -> pd.DataFrame:
    return queries.plan_items(_cursor(), plan_year=plan_year)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def indicators(data_version: str, plan_year: int) -> pd.DataFrame:
    return queries.indicators(_cursor(), plan_year=plan_year)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def targets(data_version: str, plan_year: int) -> pd.DataFrame:
    """The plan's targets with their due date, phasing and basis (the notice's words or the reading)."""
    return queries.targets(_cursor(), plan_year=plan_year)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def regions_at_level(data_version: str, level: str, within: str) -> pd.DataFrame:
    return queries.regions_at_level(_cursor(), level=level, within=within)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def attainment_tables(
    data_version: str,
    plan_year: int,
    as_ofs: tuple[dt.date, ...],
    levels: tuple[str, ...],
    within: str,
    indicator_ids: tuple[str, ...] = (),
) -> dict[tuple[dt.date, str], pd.DataFrame]:
    return queries.attainment_tables(
        _cursor(), plan_year=plan_year, as_ofs=as_ofs, levels=levels, within=within, indicator_ids=indicator_ids
    )


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def attainment_table(data_version: str, plan_year: int, as_of: dt.date, level: str, within: str) -> pd.DataFrame:
    return queries.attainment_table(_cursor(), plan_year=plan_year, as_of=as_of, level=level, within=within)


@st.cache_resource(show_spinner=False, max_entries=8)
def map_shapes(data_version: str, level: str) -> dict[str, maps.Shape]:
    """Outlines of the prefectures or counties in the data folder (empty when it has none).

    Read-only, shared by every session (cache_resource: no copy per rerun; a county map's
    outlines are megabytes that ``cache_data`` would unpickle on every hit).
    """
    path = maps.boundaries_path(data_dir(), level)
    return dict(maps.load_shapes(path)) if path else {}


def view(name: str, f: Filters, **choices: object) -> Any:
    """The view model of page ``name`` (``views.<name>.view``) for the filters ``f``.

    One cache for every page's content: keyed by the view's name, the filters, which hold the
    data version, so a publish opens new entries, and the page's own ``choices`` (keyword
    arguments of the view, hashable values). The model is shared by every session that asks
    for the same view (forty viewers of one link cost one computation per data version):
    **callers must not change it**. A rerun of a cached view costs drawing only.
    """
    return _view(name, f, **choices)


@st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES, ttl=3600)
def _view(name: str, f: Filters, **choices: object) -> Any:
    module = importlib.import_module(f"views.{name}")
    return module.view(_cursor(), f, **choices)


def figure(data_version: str, build: Callable[..., go.Figure], *args: object, **kwargs: object) -> go.Figure:
    """``build(*args, **kwargs)``: a chart from a pure builder (ui/charts, ui/maps), kept per data version.

    The figure is shared by every session and rerun that asks for the same chart: **callers
    must not change it** (``ui.components.show_chart`` copies before it enlarges a chart for
    presentation mode). ``st.cache_data`` gave each caller its own copy, but a copy is an
    unpickle and unpickling a plotly figure re-runs all of plotly's property checks: on the
    bundled data that was a fifth of every warm rerun. The key is the builder's name and
    every argument, hashed by value.
    """
    return _figure(data_version, f"{build.__module__}.{build.__qualname__}", build, *args, **kwargs)


@st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES)
def _figure(
    data_version: str, name: str, _build: Callable[..., go.Figure], *args: object, **kwargs: object
) -> go.Figure:
    # ``_build`` is not hashed (Streamlit cannot hash functions): ``name`` stands for it
    return _build(*args, **kwargs)


def region_map(data_version: str, level: str, regions: pd.DataFrame, **kwargs: object) -> go.Figure:
    """``ui.maps.region_map`` over the outlines of ``level``, kept like :func:`figure`.

    The outlines are not part of the key (hashing them costs more than drawing the map):
    the data version and the level decide them. Shared: callers must not change the figure.
    """
    return _region_map(data_version, level, regions, **kwargs)


@st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES)
def _region_map(data_version: str, level: str, regions: pd.DataFrame, **kwargs: object) -> go.Figure:
    return maps.region_map(map_shapes(data_version, level), regions, **kwargs)  # type: ignore[arg-type]


# --- page queries ---------------------------------------------------------------------
# Each page's cached wrappers go in its own section below, named after the page.

# --- attainment (overview, attainment pages) ---


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def indicator_series(
    data_version: str, plan_year: int, indicator_id: str, region: str, as_of: dt.date | None = None
) -> pd.DataFrame:
    """One indicator month by month; no actual after the judged date of ``as_of`` (None: the whole year)."""
    return series_queries.indicator_series(
        _cursor(), plan_year=plan_year, indicator_id=indicator_id, region=region, as_of=as_of
    )


# --- childcare ---
# (imported here rather than at the top: several pages add to this file at the same time)
from analytics.queries import childcare as childcare_queries  # noqa: E402


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def childcare_points(data_version: str, plan_year: int, within: str) -> pd.DataFrame:
    return childcare_queries.points(_cursor(), plan_year=plan_year, within=within)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def childcare_register(data_version: str, plan_year: int) -> pd.DataFrame:
    return childcare_queries.register(_cursor(), plan_year=plan_year)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def childcare_overview(data_version: str, plan_year: int, as_of: dt.date, region: str) -> childcare_queries.Overview:
    return childcare_queries.overview(_cursor(), plan_year=plan_year, as_of=as_of, region=region)


@st.cache_data(show_spinner=False, max_entries=8)
def childcare_population(data_version: str) -> pd.DataFrame:
    return childcare_queries.population(_cursor())


# --- training ---
# (imported here rather than at the top: several pages add to this file at the same time)
from analytics.queries import training as training_queries  # noqa: E402


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def training_coverage(data_version: str, plan_year: int, as_of: dt.date, within: str) -> pd.DataFrame:
    return training_queries.coverage_month(_cursor(), plan_year=plan_year, as_of=as_of, within=within)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def training_short_units(data_version: str, plan_year: int, as_of: dt.date, within: str) -> pd.DataFrame:
    return training_queries.short_units(_cursor(), plan_year=plan_year, as_of=as_of, within=within)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def training_classes(data_version: str, plan_year: int, within: str) -> pd.DataFrame:
    return training_queries.classes(_cursor(), plan_year=plan_year, within=within)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def training_participants(data_version: str, plan_year: int, as_of: dt.date, within: str) -> pd.DataFrame:
    return training_queries.participants(_cursor(), plan_year=plan_year, as_of=as_of, within=within)


# --- briefing ---
# (imported here rather than at the top: several pages add to this file at the same time)
from ui import briefing  # noqa: E402


@st.cache_data(show_spinner=False, max_entries=8)
def briefing_files(data_version: str, lang: str, plan_year: int, as_of: dt.date, region: str) -> dict[str, bytes]:
    """The meeting pack of the overview's filters, PPTX and PDF from one browser session (a second
    click, on either format, is then instant). A few MB an entry, so few entries."""
    req = briefing.Request(lang=lang, plan_year=plan_year, as_of=as_of, region=region)
    return briefing.make_files(_cursor(), req, data_dir=data_dir())


# --- population ---
# (imported here rather than at the top: several pages add to this file at the same time)
from analytics import population  # noqa: E402
from analytics.queries import PROVINCE_CODE  # noqa: E402
from analytics.queries import population as population_queries  # noqa: E402


@st.cache_data(show_spinner=False, max_entries=8)
def population_candidates(data_version: str) -> pd.DataFrame:
    """Every row of every reference/population/ file, ranked per key (see population_candidates.sql)."""
    return population_queries.population_candidates(_cursor())


# The population page's frames, derived from the figures in force. Derived here, once per
# data version, rather than on the page at every rerun: pandas merges and sorts over every
# region, measure and year were a third of the page's warm rerun.


@st.cache_data(show_spinner=False, max_entries=8)
def population_figures(data_version: str) -> pd.DataFrame:
    """The figure in force for every key (analytics.population.in_force)."""
    return population.in_force(population_candidates(data_version))


@st.cache_data(show_spinner=False, max_entries=8)
def population_regions(data_version: str) -> pd.DataFrame:
    """The province, then its prefectures: the regions the page compares."""
    levels = ("province", "prefecture")
    return pd.concat([regions_at_level(data_version, lv, PROVINCE_CODE) for lv in levels], ignore_index=True)


@st.cache_data(show_spinner=False, max_entries=8)
def population_census(data_version: str) -> pd.DataFrame:
    """Every region × census comparison measure in the census year, gaps kept as gaps."""
    return population.complete(
        population_figures(data_version),
        regions=population_regions(data_version),
        measures=population.CENSUS_COMPARISON,
        years=[population.CENSUS_YEAR],
    )


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def population_series(data_version: str, region: str) -> tuple[list[int], pd.DataFrame, pd.DataFrame]:
    """(years, resident series, other-basis figures) of ``region``'s year-end series."""
    figures = population_figures(data_version)
    years = population.series_years(figures, region)
    if not years:
        return [], figures.iloc[:0], figures.iloc[:0]
    regions = population_regions(data_version)
    mine = regions[regions["region_code"] == region]
    measures = population.PROVINCE_SERIES
    return (
        years,
        population.complete(figures, regions=mine, measures=measures, years=years),
        population.other_basis(figures, region_codes=[region], measures=measures, years=years),
    )


@st.cache_data(show_spinner=False, max_entries=8)
def population_vital_years(data_version: str) -> list[int]:
    """The span of years the prefectures' year-end rows cover (empty: no such rows)."""
    return population.prefecture_series_years(population_figures(data_version))


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def population_vital(data_version: str, measure: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(regions × years grid, other-basis figures) of one year-end measure over those years."""
    figures = population_figures(data_version)
    years = population_vital_years(data_version)
    regions = population_regions(data_version)
    codes = list(regions["region_code"])
    return (
        population.complete(figures, regions=regions, measures=[measure], years=years),
        population.other_basis(figures, region_codes=codes, measures=[measure], years=years),
    )


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def population_per_capita(data_version: str, plan_year: int, as_of: dt.date) -> pd.DataFrame:
    return population_queries.association_per_capita(_cursor(), plan_year=plan_year, as_of=as_of)


# --- quality ---
# (imported here rather than at the top: several pages add to this file at the same time)
from analytics import quality as quality_logic  # noqa: E402
from analytics.queries import quality as quality_queries  # noqa: E402


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def quality_reports(data_version: str, plan_year: int, as_of: dt.date, within: str) -> pd.DataFrame:
    """Every county report expected, classified on time / late / missing (analytics.quality.classify_reports)."""
    return quality_logic.classify_reports(
        quality_queries.reports(_cursor(), plan_year=plan_year, as_of=as_of, within=within)
    )


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def quality_report_indicators(data_version: str, plan_year: int) -> pd.DataFrame:
    return quality_queries.report_indicators(_cursor(), plan_year=plan_year)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def quality_indicator_gaps(
    data_version: str, plan_year: int, as_of: dt.date, within: str, indicator_ids: tuple[str, ...]
) -> pd.DataFrame:
    return quality_queries.indicator_gaps(
        _cursor(), plan_year=plan_year, as_of=as_of, within=within, indicator_ids=list(indicator_ids)
    )


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def quality_village_units(data_version: str, plan_year: int, as_of: dt.date, within: str) -> pd.DataFrame:
    return quality_queries.village_units(_cursor(), plan_year=plan_year, as_of=as_of, within=within)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def quality_villages_never_reported(data_version: str, plan_year: int, as_of: dt.date, within: str) -> pd.DataFrame:
    return quality_queries.villages_never_reported(_cursor(), plan_year=plan_year, as_of=as_of, within=within)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def quality_series(data_version: str, plan_year: int, as_of: dt.date, within: str) -> pd.DataFrame:
    return quality_queries.series(_cursor(), plan_year=plan_year, as_of=as_of, within=within)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def quality_outliers(data_version: str, plan_year: int, as_of: dt.date) -> pd.DataFrame:
    """The flagged values (analytics.quality.outliers) of the whole province: peers are its counties."""
    return quality_logic.outliers(quality_series(data_version, plan_year, as_of, queries.PROVINCE_CODE))


@st.cache_data(show_spinner=False, max_entries=4)
def quality_contract(data_version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The contract's checks over every published table: once per data version (about a second)."""
    tables = quality_queries.staging_tables(_cursor())
    return quality_logic.contract_problems(tables, tables["regions"])


@st.cache_data(show_spinner=False, max_entries=4)
def quality_consistency(data_version: str) -> pd.DataFrame:
    return quality_queries.consistency_violations(_cursor())


@st.cache_data(show_spinner=False, max_entries=4)
def quality_population_pairs(data_version: str) -> pd.DataFrame:
    return quality_queries.population_pairs(_cursor())


# --- explorer (data explorer and SQL console pages) ---
# (imported here rather than at the top: several pages add to this file at the same time)
from analytics import console as console_sql  # noqa: E402
from analytics.queries import console as console_queries  # noqa: E402
from analytics.queries import explorer as explorer_queries  # noqa: E402


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def explorer_facts(
    data_version: str,
    plan_year: int,
    as_of: dt.date,
    level: str,
    grain: str,
    within: str,
    indicator_ids: tuple[str, ...],
    regions: tuple[str, ...],
) -> pd.DataFrame:
    return explorer_queries.pivot_facts(
        _cursor(),
        plan_year=plan_year,
        as_of=as_of,
        level=level,
        grain=grain,
        within=within,
        indicator_ids=indicator_ids,
        regions=regions,
    )


@st.cache_resource(show_spinner=False, max_entries=2)
def _console_connection(path: str, version: str) -> duckdb.DuckDBPyConnection:
    # a database of its own, locked down (analytics/console.py): never the pages' connection
    return console_sql.connect(Path(path))


def console_connection() -> duckdb.DuckDBPyConnection:
    d = data_dir()
    return _console_connection(str(d), db.data_version(d))


@st.cache_data(show_spinner=False, max_entries=8)
def console_schema(data_version: str) -> pd.DataFrame:
    return console_queries.schema(console_connection().cursor())
