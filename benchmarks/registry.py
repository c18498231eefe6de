"""What each page asks DuckDB for, page by page: the registry ``python -m benchmarks`` times.

Every page in ``ui.nav.PAGES`` has one small function here, registered under its
``url_path``, returning the named steps the page runs for a view (the whole province or
one prefecture): the same analytics calls ``ui/cached.py`` makes for the page, straight
on a DuckDB connection, without Streamlit's cache. A unit test fails when a page in
PAGES has no entry, so a page added later is benchmarked once it is registered::

    @page("explorer", reference="actuals", main=("explorer_pivot",))
    def explorer(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
        return {
            **sidebar(con, v),
            "explorer_pivot": lambda: explorer_queries.pivot(con.cursor(), plan_year=v.plan_year, ...),
        }

``reference`` names the page's main aggregation in :mod:`benchmarks.references` (the same
figures written the obvious way in pandas, and as one bare DuckDB aggregation over the
Parquet files) and ``main`` the page's steps that compute it: the benchmark reports those
steps' time against both references. Pages without a comparable aggregation (the import
page reads folders, not data) leave both out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.queries import PROVINCE_CODE
from views.filters import Filters

Steps = dict[str, Callable[[], object]]
PageQueries = Callable[[duckdb.DuckDBPyConnection, "View"], Steps]


@dataclass(frozen=True)
class View(Filters):
    """One view of a page: the dashboard's one filters type (as in the URL), named for the
    tables ("province" or "prefecture"), and the data root the connection reads."""

    name: str = "province"
    data_root: Path = Path("data")  # FPA_DATA_DIR: the connection reads the version in force under it

    @property
    def level(self) -> str:
        """The level of the chosen region."""
        return self.own_level

    @property
    def below(self) -> str:
        """The level a breakdown shows."""
        return self.level_below


@dataclass(frozen=True)
class Entry:
    url_path: str
    queries: PageQueries
    reference: str | None
    main: tuple[str, ...]  # the steps that compute what the reference computes


REGISTRY: dict[str, Entry] = {}


def page(
    url_path: str, *, reference: str | None = None, main: tuple[str, ...] = ()
) -> Callable[[PageQueries], PageQueries]:
    """Register the function that lists what the page at ``url_path`` asks for.

    ``reference`` names the page's main aggregation in :mod:`benchmarks.references`, and
    ``main`` the steps of the page that compute it: the ratios compare like with like.
    """
    if reference and not main:
        raise ValueError(f"page {url_path!r}: a reference needs the steps it stands for (main=...)")

    def register(fn: PageQueries) -> PageQueries:
        if url_path in REGISTRY:
            raise ValueError(f"page {url_path!r} is registered twice")
        REGISTRY[url_path] = Entry(url_path, fn, reference, main)
        return fn

    return register


def views(plan_year: int, as_of: dt.date, data_root: Path, prefecture: str = "430100") -> tuple[View, View]:
    """The two views every page is measured in: the whole province, and one prefecture (长沙 by default)."""
    return (
        View("zh", plan_year, as_of, PROVINCE_CODE, name="province", data_root=data_root),
        View("zh", plan_year, as_of, prefecture, name="prefecture", data_root=data_root),
    )


def entries() -> dict[str, Entry]:
    """Every registered page (importing the module that registers them)."""
    import benchmarks.pages  # noqa: F401  (registers on import)

    return REGISTRY
