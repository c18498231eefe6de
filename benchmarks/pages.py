"""One function per page: the queries it asks for (through ui/cached.py), in the page's order.

Keep each in step with its page: when a page starts asking for something new through
``ui.cached``, add it here. The sidebar's two queries run on every page (app.py draws
the global filters before the page), so every page includes them.
"""

from __future__ import annotations

import duckdb

from analytics import publish, queries, training
from analytics.queries import PROVINCE_CODE
from analytics.queries import childcare as childcare_q
from analytics.queries import population as population_q
from analytics.queries import series as series_q
from analytics.queries import training as training_q
from benchmarks.registry import Steps, View, page


def sidebar(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    """What app.py's global filters ask for before any page (ui/state.py)."""
    return {
        "sidebar: data_status": lambda: queries.data_status(con.cursor()),
        "sidebar: prefectures": lambda: queries.regions_at_level(con.cursor(), level="prefecture"),
    }


@page("home", reference="actuals", main=("attainment_tables",))
def home(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    return {
        **sidebar(con, v),
        "indicators": lambda: queries.indicators(con.cursor(), plan_year=v.plan_year),
        # this month and last, the region and its sub-regions: one call
        "attainment_tables": lambda: queries.attainment_tables(
            con.cursor(),
            plan_year=v.plan_year,
            as_ofs=(v.as_of, v.previous_month_end),
            levels=(v.level, v.below),
            within=v.region,
        ),
        "plan_items": lambda: queries.plan_items(con.cursor(), plan_year=v.plan_year),
        "regions below": lambda: queries.regions_at_level(con.cursor(), level=v.below, within=v.region),
    }


@page("attainment", reference="actuals", main=("attainment_tables",))
def attainment(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    return {
        **sidebar(con, v),
        "indicators": lambda: queries.indicators(con.cursor(), plan_year=v.plan_year),
        "attainment_tables": lambda: queries.attainment_tables(
            con.cursor(), plan_year=v.plan_year, as_ofs=(v.as_of,), levels=(v.level, v.below), within=v.region
        ),
        "regions below": lambda: queries.regions_at_level(con.cursor(), level=v.below, within=v.region),
        # the indicator the page opens on
        "indicator_series": lambda: series_q.indicator_series(
            con.cursor(), plan_year=v.plan_year, indicator_id="instructor_coverage", region=v.region
        ),
    }


@page("childcare", reference="childcare", main=("childcare overview",))
def childcare(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    return {
        **sidebar(con, v),
        "indicators": lambda: queries.indicators(con.cursor(), plan_year=v.plan_year),
        "regions below": lambda: queries.regions_at_level(con.cursor(), level=v.below, within=v.region),
        # province, prefectures (and the chosen prefecture's counties), at the date and item 7's due date
        "childcare overview": lambda: childcare_q.overview(
            con.cursor(), plan_year=v.plan_year, as_of=v.as_of, region=v.region
        ),
        "childcare register": lambda: childcare_q.register(con.cursor(), plan_year=v.plan_year),
        "childcare points": lambda: childcare_q.points(con.cursor(), plan_year=v.plan_year, within=v.region),
        "childcare population": lambda: childcare_q.population(con.cursor()),
    }


@page("training", reference="training", main=("training_coverage_month",))
def training_page(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    return {
        **sidebar(con, v),
        "attainment_tables (province + prefectures, the page's indicators)": lambda: queries.attainment_tables(
            con.cursor(),
            plan_year=v.plan_year,
            as_ofs=(v.as_of,),
            levels=("province", "prefecture"),
            within=PROVINCE_CODE,
            indicator_ids=training.JUDGED_INDICATORS,
        ),
        "training_coverage_month": lambda: training_q.coverage_month(
            con.cursor(), plan_year=v.plan_year, as_of=v.as_of, within=v.region
        ),
        "training_short_units": lambda: training_q.short_units(
            con.cursor(), plan_year=v.plan_year, as_of=v.as_of, within=v.region
        ),
        "training_classes": lambda: training_q.classes(con.cursor(), plan_year=v.plan_year, within=v.region),
        "training_participants": lambda: training_q.participants(
            con.cursor(), plan_year=v.plan_year, as_of=v.as_of, within=v.region
        ),
    }


@page("population", reference="population", main=("association_per_capita",))
def population(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    return {
        **sidebar(con, v),
        "population_candidates": lambda: population_q.population_candidates(con.cursor()),
        "regions (province)": lambda: queries.regions_at_level(con.cursor(), level="province"),
        "association_per_capita": lambda: population_q.association_per_capita(
            con.cursor(), plan_year=v.plan_year, as_of=v.as_of
        ),
    }


@page("imports")
def imports(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    # the import page reads the data root's folders (versions, history), not DuckDB
    root = v.data_root
    return {
        **sidebar(con, v),
        "publish.current_id": lambda: publish.current_id(root),
        "publish.list_versions": lambda: publish.list_versions(root),
        "publish.history": lambda: publish.history(root),
    }
