"""What ``python -m benchmarks`` times for each page: the page's view model, nothing kept in step.

Every page in ``ui.nav.PAGES`` has its recipe in ``views.<url_path>.view(con, filters)``; the
benchmark times that function (plus the sidebar's two queries, which app.py runs before every
page) for two views, the whole province and one prefecture. A page added to the navigation is
benchmarked once its view exists, and a test fails while it does not.

A view module may name the reference aggregation of :mod:`benchmarks.references` that its
content is compared with (``REFERENCE = "actuals"``), and the steps a page caches once per data
version rather than per view (``ONCE_PER_VERSION``: name → ``fn(con)``), which the report sums apart,
with the choices the page then asks the view with (``PER_VIEW``).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import duckdb

from analytics import queries
from analytics.queries import PROVINCE_CODE
from views.filters import Filters

Steps = dict[str, Callable[[], object]]
ONCE = "(once per version)"  # a step the page caches per data version, not per view


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


def sidebar(con: duckdb.DuckDBPyConnection) -> Steps:
    """What app.py's global filters ask for before any page (ui/state.py)."""
    return {
        "sidebar: data_status": lambda: queries.data_status(con.cursor()),
        "sidebar: prefectures": lambda: queries.regions_at_level(con.cursor(), level="prefecture"),
    }


@dataclass(frozen=True)
class Entry:
    """A page of the navigation and its view module."""

    url_path: str
    module: ModuleType

    @property
    def reference(self) -> str | None:
        ref = getattr(self.module, "REFERENCE", None)
        return None if ref is None else str(ref)

    # the steps that compute what the reference computes: the whole view
    main: tuple[str, ...] = ("view",)

    def queries(self, con: duckdb.DuckDBPyConnection, v: View) -> Steps:
        view: Callable[..., object] = self.module.view
        per_view: dict[str, object] = getattr(self.module, "PER_VIEW", {})
        steps: Steps = {**sidebar(con), "view": lambda: view(con.cursor(), v, **per_view)}
        once: dict[str, Callable[[duckdb.DuckDBPyConnection], object]] = getattr(self.module, "ONCE_PER_VERSION", {})
        for name, fn in once.items():
            steps[f"{name} {ONCE}"] = lambda fn=fn: fn(con.cursor())  # type: ignore[misc]
        return steps


def views(plan_year: int, as_of: dt.date, data_root: Path, prefecture: str = "430100") -> tuple[View, View]:
    """The two views every page is measured in: the whole province, and one prefecture (长沙 by default)."""
    return (
        View("zh", plan_year, as_of, PROVINCE_CODE, name="province", data_root=data_root),
        View("zh", plan_year, as_of, prefecture, name="prefecture", data_root=data_root),
    )


def entries() -> dict[str, Entry]:
    """Every page of the navigation with its view module (``views.<url_path>``)."""
    from ui.nav import PAGES

    return {spec.url_path: Entry(spec.url_path, importlib.import_module(f"views.{spec.url_path}")) for spec in PAGES}
