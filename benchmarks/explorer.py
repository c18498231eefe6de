"""Benchmark of the data explorer and the SQL console: ``python -m benchmarks.explorer [--data-dir DIR] [--runs N]``.

Measures, straight on DuckDB without Streamlit's cache:
* the explorer's one query (``explorer_pivot.sql``) for the default view and for heavier ones,
  cold (first call on a fresh connection) and warm (median of N further calls), with its CPU time;
* the pure layout the page applies to it (pivot, flat table, chart data);
* the console: opening its own locked-down database, the memory it holds, and a few queries.
Prints Markdown tables for docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from analytics import console, db, explorer, queries
from analytics.queries import PROVINCE_CODE
from analytics.queries import explorer as q
from benchmarks.common import cpu as _cpu
from benchmarks.common import wall as _time

AS_OF = dt.date(2023, 12, 31)
RATIO = "instructor_coverage"
THREE = ("instructor_coverage", "livelihood_project_funds_yuan", "childcare_points_open")

# name → (level, grain, within, indicators)
VIEWS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "default: coverage, prefectures × quarters": ("prefecture", "quarter", PROVINCE_CODE, (RATIO,)),
    "coverage, counties × months": ("county", "month", PROVINCE_CODE, (RATIO,)),
    "3 indicators, counties × months": ("county", "month", PROVINCE_CODE, THREE),
    "3 indicators, one prefecture's counties × year to date": ("county", "ytd", "430100", THREE),
}


def view_query(con: duckdb.DuckDBPyConnection, view: str) -> Callable[[], pd.DataFrame]:
    level, grain, within, inds = VIEWS[view]
    return lambda: q.pivot_facts(
        con.cursor(), plan_year=2023, as_of=AS_OF, level=level, grain=grain, within=within, indicator_ids=inds
    )


def layout(con: duckdb.DuckDBPyConnection, view: str) -> Callable[[], object]:
    level, grain, within, inds = VIEWS[view]
    facts = view_query(con, view)()
    regions = [str(r) for r in queries.regions_at_level(con.cursor(), level=level, within=within)["region_code"]]
    keys = [p.key for p in explorer.periods(grain, 2023, AS_OF)]
    state = explorer.State(indicators=inds, level=level, grain=grain, rows=("indicator", "region"), cols=("period",))
    labels = {
        "indicator": {i: i for i in inds},
        "region": {**{r: r for r in regions}, explorer.ALL: "all"},
        "period": {**{k: k for k in keys}, explorer.ALL: "all"},
    }

    def steps() -> object:
        p = explorer.pivot(facts, state, regions=regions, period_keys=keys)
        explorer.flatten(p, labels=labels, dim_names={d: d for d in explorer.DIMENSIONS}, value_name="v")
        return explorer.chart_data(facts, state, regions=regions, period_keys=keys)

    return steps


CONSOLE_QUERIES = {
    "count of a mart": "select count(*) from fct_indicator_month",
    "group by over the progress export": "select indicator_id, sum(value) from stg_progress group by 1",
    "5,000 rows (capped)": "select * from stg_regions",
}


def median(fn: Callable[[], object], runs: int, clock: Callable[[Callable[[], object]], float] = _time) -> float:
    return statistics.median(clock(fn) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    data_dir = args.data_dir or db.data_dir_from_env()
    print(
        f"data: {data_dir}; machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"duckdb {duckdb.__version__}; load average {os.getloadavg()[0]:.2f}\n")

    print("| explorer view | rows | cold (s) | warm median (s) | warm CPU (s) |")
    print("|---|---:|---:|---:|---:|")
    for view in VIEWS:
        con = db.connect(data_dir)
        fn = view_query(con, view)
        cold = _time(fn)
        rows = len(fn())
        print(f"| {view} | {rows:,} | {cold:.3f} | {median(fn, args.runs):.3f} | {median(fn, args.runs, _cpu):.3f} |")
    con = db.connect(data_dir)
    print("\n| pure layout (pivot, flat table, chart data) | warm median (s) |")
    print("|---|---:|")
    for view in VIEWS:
        print(f"| {view} | {median(layout(con, view), args.runs):.3f} |")

    print("\n| console | s |")
    print("|---|---:|")
    opened = _time(lambda: console.connect(data_dir))
    sql_con = console.connect(data_dir)
    used = sql_con.execute("select sum(memory_usage_bytes) from duckdb_memory()").fetchone()
    limit = sql_con.execute("select current_setting('memory_limit')").fetchone()
    print(f"| open the console's database (copy of the tables, locked down) | {opened:.3f} |")
    for name, sql in CONSOLE_QUERIES.items():
        print(f"| {name} | {median(lambda s=sql: console.run(sql_con, s), args.runs):.3f} |")  # type: ignore[misc]
    mib = int(used[0] if used else 0) / (1 << 20)
    print(f"\nConsole database: {mib:,.0f} MiB of tables in memory; memory limit {limit[0] if limit else '?'}.")


if __name__ == "__main__":
    main()
