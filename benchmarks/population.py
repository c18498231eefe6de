"""Benchmark of the population page's queries: ``python -m benchmarks.population [--data-dir DIR] [--runs N]``.

Measures, on the bundled data by default, without Streamlit's cache:
* each query the page runs, cold (first call on a new connection) and warm (median of N
  further calls): every population file with its provenance, instructors by prefecture,
  the association's figures per resident (two passes of indicator_actuals + instructors);
* the page's pure work on the result (figures in force, grids, sources table), warm;
* the whole page through AppTest (median of N fresh sessions; Streamlit's cache is new in each).
Prints a Markdown table for docs/performance.md.
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

from analytics import db
from analytics import population as P
from analytics.queries import population as Q
from analytics.queries import regions_at_level
from benchmarks.common import APP, app_test
from benchmarks.common import wall as _time

AS_OF = dt.date(2023, 6, 30)


def page_work(con: duckdb.DuckDBPyConnection) -> None:
    """What the page computes from the candidates: in force, the grids it draws, the sources table."""
    figures = P.in_force(Q.population_candidates(con.cursor()))
    regions = regions_at_level(con.cursor(), level="prefecture")
    series = P.complete(
        figures, regions=regions.head(1), measures=P.PROVINCE_SERIES, years=P.series_years(figures, "430000")
    )
    census = P.complete(figures, regions=regions, measures=P.CENSUS_COMPARISON, years=[P.CENSUS_YEAR])
    vital = P.complete(figures, regions=regions, measures=["birth_rate"], years=P.prefecture_series_years(figures))
    import pandas as pd

    P.sources_table(pd.concat([series, census, vital]))


def queries(con: duckdb.DuckDBPyConnection) -> dict[str, Callable[[], object]]:
    return {
        "population_candidates (all files)": lambda: Q.population_candidates(con.cursor()),
        "instructors_by_prefecture": lambda: Q.instructors_by_prefecture(con.cursor(), plan_year=2023, as_of=AS_OF),
        "association_per_capita": lambda: Q.association_per_capita(con.cursor(), plan_year=2023, as_of=AS_OF),
        "page work (in force, grids, sources)": lambda: page_work(con),
    }


def run(data_dir: Path, runs: int) -> list[tuple[str, float, float]]:
    rows: list[tuple[str, float, float]] = []
    con = db.connect(data_dir)
    for name, fn in queries(con).items():
        cold = _time(fn)
        warm = statistics.median(_time(fn) for _ in range(runs))
        rows.append((name, cold, warm))
    # the page runs the first three (the per-capita query repeats the candidates inside)
    rows.append(("all population page queries", sum(r[1] for r in rows[:3]), sum(r[2] for r in rows[:3])))
    return rows


def page_run(runs: int) -> float:

    page = APP.parent / "pages" / "population.py"
    times = []
    for _ in range(runs):
        at = app_test(timeout=120)
        at.query_params["as_of"] = AS_OF.isoformat()
        at.run()
        at.switch_page(str(page))
        times.append(_time(at.run))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=db.DEFAULT_DATA_DIR)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-page", action="store_true", help="skip the AppTest run of the whole page")
    args = parser.parse_args()
    os.environ["FPA_DATA_DIR"] = str(args.data_dir)
    rows = run(args.data_dir, args.runs)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"duckdb {duckdb.__version__}; data: {args.data_dir}; as of {AS_OF}; median of {args.runs} runs\n"
    )
    print("| step | cold (s) | warm median (s) |")
    print("|---|---:|---:|")
    for name, cold, warm in rows:
        print(f"| {name} | {cold:.3f} | {warm:.3f} |")
    if not args.no_page:
        print(f"\nwhole population page through AppTest (a new session each run): {page_run(args.runs):.3f} s median")


if __name__ == "__main__":
    main()
