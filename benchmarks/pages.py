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


@page("quality")
def quality(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    # the page's own checks over many tables: no single aggregation to compare with a reference
    from analytics import quality as quality_logic
    from analytics.queries import quality as quality_q

    def contract() -> object:
        tables = quality_q.staging_tables(con.cursor())
        return quality_logic.contract_problems(tables, tables["regions"])

    # the page asks for the gaps of the indicators reported through progress: the list is its own
    # step below, so it is read once here, outside the clocks
    ids = list(quality_q.report_indicators(con.cursor(), plan_year=v.plan_year)["indicator_id"])

    return {
        **sidebar(con, v),
        "quality reports": lambda: quality_logic.classify_reports(
            quality_q.reports(con.cursor(), plan_year=v.plan_year, as_of=v.as_of, within=v.region)
        ),
        "quality report_indicators": lambda: quality_q.report_indicators(con.cursor(), plan_year=v.plan_year),
        "quality indicator_gaps": lambda: quality_q.indicator_gaps(
            con.cursor(), plan_year=v.plan_year, as_of=v.as_of, within=v.region, indicator_ids=ids
        ),
        "quality village_units": lambda: quality_q.village_units(
            con.cursor(), plan_year=v.plan_year, as_of=v.as_of, within=v.region
        ),
        "quality villages_never_reported": lambda: quality_q.villages_never_reported(
            con.cursor(), plan_year=v.plan_year, as_of=v.as_of, within=v.region
        ),
        "quality outliers (province series)": lambda: quality_logic.outliers(
            quality_q.series(con.cursor(), plan_year=v.plan_year, as_of=v.as_of, within=PROVINCE_CODE)
        ),
        # once per data version (cached): the contract's checks and the consistency rules
        "quality contract (once per version)": contract,
        "quality consistency (once per version)": lambda: quality_q.consistency_violations(con.cursor()),
        "quality population_pairs": lambda: quality_q.population_pairs(con.cursor()),
        "quality population_candidates": lambda: population_q.population_candidates(con.cursor()),
        # names the page shows beside its tables (the same cache entries as other pages)
        "indicators": lambda: queries.indicators(con.cursor(), plan_year=v.plan_year),
        "regions (counties)": lambda: queries.regions_at_level(con.cursor(), level="county"),
    }


@page("explorer", reference="actuals", main=("explorer_pivot",))
def explorer(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    from analytics import explorer as explorer_logic
    from analytics.queries import explorer as explorer_q

    # the page's default view: the default indicator, by quarter, at the level below the region
    return {
        **sidebar(con, v),
        "indicators": lambda: queries.indicators(con.cursor(), plan_year=v.plan_year),
        "plan_items": lambda: queries.plan_items(con.cursor(), plan_year=v.plan_year),
        "regions below": lambda: queries.regions_at_level(con.cursor(), level=v.below, within=v.region),
        "explorer_pivot": lambda: explorer_q.pivot_facts(
            con.cursor(),
            plan_year=v.plan_year,
            as_of=v.as_of,
            level=v.below,
            grain=explorer_logic.DEFAULT_GRAIN,
            within=v.region,
            indicator_ids=(explorer_logic.DEFAULT_INDICATOR,),
            regions=(),
        ),
    }


@page("console")
def console_page(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    from analytics import console
    from analytics.queries import console as console_q

    # the console's own locked-down database is built once per data version (cached); a query
    # then runs on it, bounded
    own = console.connect(publish.current_dir(v.data_root))
    return {
        **sidebar(con, v),
        "console schema": lambda: console_q.schema(own.cursor()),
        "console query (reports per region)": lambda: console.run(
            own,
            "select region_code, count(*) as n from stg_progress group by 1 order by 2 desc limit 20",
            time_limit_s=console.TIME_LIMIT_S,
            row_cap=console.ROW_CAP,
        ),
    }


@page("users")
def users(con: duckdb.DuckDBPyConnection, v: View) -> Steps:
    from analytics import audit

    # the users page reads the users file and the audit log, not DuckDB
    return {**sidebar(con, v), "audit.read": lambda: audit.read(v.data_root)}
