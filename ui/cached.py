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

from analytics import attainment, db, queries
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
def plan_settings(data_version: str, plan_year: int) -> attainment.PlanSettings:
    """The plan year's judgement settings (its plan workbook's 设置 sheet)."""
    return queries.plan_settings(_cursor(), plan_year=plan_year)


def thresholds() -> attainment.Thresholds:
    """The status thresholds of this run's plan year, for the legend every status colour comes
    with (app.py puts the filters in the session before a page draws; without them, the
    template's defaults)."""
    f = st.session_state.get("filters")
    return attainment.THRESHOLDS if f is None else plan_settings(f.data_version, f.plan_year).thresholds


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def regions_at_level(data_version: str, level: str, within: str) -> pd.DataFrame:
    return queries.regions_at_level(_cursor(), level=level, within=within)


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
    from ui import reporting_switch  # accepted figures by default (issue 23)

    if name in reporting_switch.HELD_VIEWS and not reporting_switch.include_unapproved():
        held = reporting_switch.held_back(data_root())
        if not held.empty:
            return _view_held(name, f, reporting_switch.token(held), held, **choices)
    return _view(name, f, **choices)


@st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES, ttl=3600)
def _view(name: str, f: Filters, **choices: object) -> Any:
    module = importlib.import_module(f"views.{name}")
    return module.view(_cursor(), f, **choices)


@st.cache_resource(show_spinner=False, max_entries=2)
def _held_connection(path: str, version: str, held_token: str, _held: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    # the version's figures without the county months held back (``held_token`` names them)
    return db.connect(Path(path), held_back=_held)


@st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES, ttl=3600)
def _view_held(name: str, f: Filters, held_token: str, _held: pd.DataFrame, **choices: object) -> Any:
    """A view over the accepted figures only: keyed by the held-back set, so a move shows at once."""
    d = data_dir()
    con = _held_connection(str(d), db.data_version(d), held_token, _held)
    module = importlib.import_module(f"views.{name}")
    return module.view(con.cursor(), f, **choices)


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


# --- childcare ---
# (imported here rather than at the top: several pages add to this file at the same time)


# --- training ---
# (imported here rather than at the top: several pages add to this file at the same time)


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

# The population page's frames, derived from the figures in force. Derived here, once per
# data version, rather than on the page at every rerun: pandas merges and sorts over every
# region, measure and year were a third of the page's warm rerun.
# --- quality ---
# (imported here rather than at the top: several pages add to this file at the same time)
from analytics import quality as quality_logic  # noqa: E402
from analytics.queries import quality as quality_queries  # noqa: E402


@st.cache_data(show_spinner=False, max_entries=4)
def quality_contract(data_version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The contract's checks over every published table: once per data version (about a second)."""
    tables = quality_queries.staging_tables(_cursor())
    return quality_logic.contract_problems(tables, tables["regions"])


# --- explorer (data explorer and SQL console pages) ---
# (imported here rather than at the top: several pages add to this file at the same time)
from analytics import console as console_sql  # noqa: E402


@st.cache_resource(show_spinner=False, max_entries=2)
def _console_connection(path: str, version: str) -> duckdb.DuckDBPyConnection:
    # a database of its own, locked down (analytics/console.py): never the pages' connection
    return console_sql.connect(Path(path))


def console_connection() -> duckdb.DuckDBPyConnection:
    d = data_dir()
    return _console_connection(str(d), db.data_version(d))


# --- the plan year's heading (whose plan: association, notice, province; issue 21) ---
# (imported here rather than at the top: several pages add to this file at the same time)
from views import plan_heading as plan_heading_view  # noqa: E402


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def plan_heading(data_version: str, plan_year: int, lang: str) -> plan_heading_view.PlanHeading:
    """The plan year's association, notice, province and size (views/plan_heading.py)."""
    return plan_heading_view.heading(_cursor(), plan_year=plan_year, lang=lang)


def has_map(data_version: str, level: str, codes: tuple[str, ...]) -> bool:
    """Whether the data folder has an outline of any of ``codes`` at ``level``: another province's
    plan with no boundaries of its own gets the page's 'no map for this province' state, not an
    empty frame drawn from Hunan's outlines."""
    shapes = map_shapes(data_version, level)
    return any(c in shapes for c in codes)
