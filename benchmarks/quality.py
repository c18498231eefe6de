"""Benchmark of the data quality page's queries: ``python -m benchmarks.quality [--data-dir DIR] [--runs N]``.

Measures, for the whole province and for one prefecture, as of the last month of the year:
* each query the page runs with the filters (ui/cached.py caches each per data version and
  filters), cold (first call on a fresh connection) and warm (median of N further calls),
  straight on DuckDB without Streamlit's cache, with the pure steps the page applies to them;
* apart, the checks that depend on the data version only (contract rules over every published
  table, consistency rules, population pairs): run once per data version, then a cache hit.
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

from analytics import db, quality, queries
from analytics.queries import PROVINCE_CODE
from analytics.queries import quality as q
from benchmarks.common import cpu as _cpu
from benchmarks.common import wall as _time

AS_OF = dt.date(2023, 12, 31)
PREFECTURE = "430100"


def filtered_queries(con: duckdb.DuckDBPyConnection, within: str) -> dict[str, Callable[[], object]]:
    """What the page asks for when ``within`` and the as-of date are chosen (one cache entry each)."""
    ids = list(q.report_indicators(con.cursor(), plan_year=2023)["indicator_id"])
    return {
        "quality_reports + classify": lambda: quality.classify_reports(
            q.reports(con.cursor(), plan_year=2023, as_of=AS_OF, within=within)
        ),
        "quality_report_indicators": lambda: q.report_indicators(con.cursor(), plan_year=2023),
        "quality_indicator_gaps": lambda: q.indicator_gaps(
            con.cursor(), plan_year=2023, as_of=AS_OF, indicator_ids=ids, within=within
        ),
        "quality_village_units": lambda: q.village_units(con.cursor(), plan_year=2023, as_of=AS_OF, within=within),
        "quality_villages_never_reported": lambda: q.villages_never_reported(
            con.cursor(), plan_year=2023, as_of=AS_OF, within=within
        ),
        # outliers are scored over the province whatever region is chosen (peers are its counties)
        "quality_series (province) + outliers": lambda: quality.outliers(
            q.series(con.cursor(), plan_year=2023, as_of=AS_OF, within=PROVINCE_CODE)
        ),
        # shared with other pages (the same cache entries): indicator names, prefecture names
        "indicators, regions (shared)": lambda: (
            queries.indicators(con.cursor(), plan_year=2023),
            queries.regions_at_level(con.cursor(), level="prefecture"),
        ),
    }


def version_checks(con: duckdb.DuckDBPyConnection) -> dict[str, Callable[[], object]]:
    """What the page computes once per data version."""

    def contract() -> object:
        tables = q.staging_tables(con.cursor())
        return quality.contract_problems(tables, tables["regions"])

    return {
        "contract rules (staging tables + validate.check_values)": contract,
        "quality_consistency_violations": lambda: q.consistency_violations(con.cursor()),
        "quality_population_pairs": lambda: q.population_pairs(con.cursor()),
    }


Row = tuple[str, float, float, float]


def measure(fns: dict[str, Callable[[], object]], runs: int) -> list[Row]:
    rows: list[Row] = []
    for name, fn in fns.items():
        cold = _time(fn)
        warm = statistics.median(_time(fn) for _ in range(runs))
        cpu = statistics.median(_cpu(fn) for _ in range(runs))
        rows.append((name, cold, warm, cpu))
    rows.append(("**total**", *(sum(r[i] for r in rows) for i in (1, 2, 3))))
    return rows


def table(rows: list[Row]) -> None:
    print("| query | cold (s) | warm median (s) | warm CPU median (s) |")
    print("|---|---:|---:|---:|")
    for name, c, w, cpu in rows:
        print(f"| {name} | {c:.3f} | {w:.3f} | {cpu:.3f} |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=db.DEFAULT_DATA_DIR)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ["FPA_DATA_DIR"] = str(args.data_dir)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"duckdb {duckdb.__version__}; data: {args.data_dir}; as of {AS_OF}; median of {args.runs} runs; "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    for label, within in (("whole province 430000", PROVINCE_CODE), (f"one prefecture {PREFECTURE}", PREFECTURE)):
        print(f"**{label}: queries that follow the filters**\n")
        table(measure(filtered_queries(db.connect(args.data_dir), within), args.runs))
    print("**once per data version (any region)**\n")
    table(measure(version_checks(db.connect(args.data_dir)), max(3, args.runs // 2)))


if __name__ == "__main__":
    main()
