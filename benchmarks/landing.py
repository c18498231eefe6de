"""Benchmark of the landing page's queries: ``python -m benchmarks.landing [--data-dir DIR] [--runs N]``.

Measures, on the bundled data by default:
* connect: opening the DuckDB connection with its views and marts (once per data version);
* each query the landing page runs, cold (first call on a new connection) and warm
  (median of N further calls), without Streamlit's cache;
* the whole page through AppTest (median of N fresh runs).
Prints a Markdown table for docs/performance.md.
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
from benchmarks.common import app_test
from benchmarks.common import wall as _time

AS_OF = dt.date(2023, 6, 30)


def landing_queries(con: duckdb.DuckDBPyConnection) -> dict[str, Callable[[], object]]:
    return {
        "data_status": lambda: queries.data_status(con.cursor()),
        "plan_items": lambda: queries.plan_items(con.cursor(), plan_year=2023),
        "indicators": lambda: queries.indicators(con.cursor(), plan_year=2023),
        "regions (prefectures)": lambda: queries.regions_at_level(con.cursor(), level="prefecture"),
        "attainment (province)": lambda: queries.attainment_table(
            con.cursor(), plan_year=2023, as_of=AS_OF, level="province"
        ),
        "attainment (one prefecture)": lambda: queries.attainment_table(
            con.cursor(), plan_year=2023, as_of=AS_OF, level="prefecture", within="430100"
        ),
    }


def run(data_dir: Path, runs: int) -> list[tuple[str, float, float]]:
    rows: list[tuple[str, float, float]] = []
    connects = []
    for _ in range(runs):
        start = time.perf_counter()
        con = db.connect(data_dir)
        connects.append(time.perf_counter() - start)
    rows.append(("connect (views + marts)", connects[0], statistics.median(connects)))
    con = db.connect(data_dir)
    for name, fn in landing_queries(con).items():
        cold = _time(fn)
        warm = statistics.median(_time(fn) for _ in range(runs))
        rows.append((name, cold, warm))
    total_cold = sum(r[1] for r in rows[1:])
    total_warm = sum(r[2] for r in rows[1:])
    rows.append(("all landing queries", total_cold, total_warm))
    return rows


def page_run(runs: int) -> float:

    times = []
    for _ in range(runs):
        at = app_test(timeout=120)
        at.query_params["as_of"] = AS_OF.isoformat()
        times.append(_time(at.run))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=db.DEFAULT_DATA_DIR)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ["FPA_DATA_DIR"] = str(args.data_dir)
    rows = run(args.data_dir, args.runs)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"duckdb {duckdb.__version__}; data: {args.data_dir}; median of {args.runs} runs\n"
    )
    print("| step | cold (s) | warm median (s) |")
    print("|---|---:|---:|")
    for name, cold, warm in rows:
        print(f"| {name} | {cold:.3f} | {warm:.3f} |")
    print(
        f"\nwhole landing page through AppTest (new session, Streamlit cache warm after the first): "
        f"{page_run(args.runs):.3f} s median"
    )


if __name__ == "__main__":
    main()
