"""Benchmark of the overview and attainment pages' queries: ``python -m benchmarks.attainment``.

Each page's queries run straight on DuckDB (no Streamlit cache), for the province view
and for one prefecture's view, cold (first call on a new connection) and warm (median
of N further calls). Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from analytics import db, queries
from analytics.queries.series import indicator_series

AS_OF = dt.date(2023, 6, 30)
PREVIOUS = dt.date(2023, 5, 31)


def overview(con: duckdb.DuckDBPyConnection, region: str) -> None:
    """What pages/home.py asks for."""
    level, below = ("province", "prefecture") if region == "430000" else ("prefecture", "county")
    c = con.cursor()
    queries.plan_items(c, plan_year=2023)
    queries.indicators(c, plan_year=2023)
    queries.attainment_tables(c, plan_year=2023, as_ofs=(AS_OF, PREVIOUS), levels=(level, below), within=region)
    queries.regions_at_level(c, level=below, within=region)


def attainment_page(con: duckdb.DuckDBPyConnection, region: str) -> None:
    """What pages/attainment.py asks for."""
    level, below = ("province", "prefecture") if region == "430000" else ("prefecture", "county")
    c = con.cursor()
    queries.indicators(c, plan_year=2023)
    queries.attainment_tables(c, plan_year=2023, as_ofs=(AS_OF,), levels=(level, below), within=region)
    queries.regions_at_level(c, level=below, within=region)
    indicator_series(c, plan_year=2023, indicator_id="instructor_coverage", region=region)


def measure(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    start = time.perf_counter()
    fn()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - start)
    return cold, statistics.median(warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=db.DEFAULT_DATA_DIR)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    start = time.perf_counter()
    con = db.connect(args.data_dir)
    connect = time.perf_counter() - start
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"duckdb {duckdb.__version__}; data: {args.data_dir}; warm = median of {args.runs} runs; "
        f"connect {connect:.3f} s\n"
    )
    print("| page | view | cold (s) | warm median (s) |")
    print("|---|---|---:|---:|")
    for name, fn in (("overview", overview), ("attainment", attainment_page)):
        for region, label in (("430000", "province"), ("430100", "one prefecture (Changsha)")):
            cold, warm = measure(lambda fn=fn, region=region: fn(con, region), args.runs)
            print(f"| {name} | {label} | {cold:.3f} | {warm:.3f} |")


if __name__ == "__main__":
    main()
