"""Benchmark of the childcare page's queries: ``python -m benchmarks.childcare [--data-dir DIR] [--runs N]``.

Measures, on the bundled data by default, every query the childcare page runs (as-of
2023-07-31), for the whole province and for one prefecture, cold (first call on a new
connection) and warm (median of N further calls), without Streamlit's cache; then the
whole page through AppTest. Prints a Markdown table for docs/performance.md.
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

from analytics import childcare, db, queries
from analytics.attainment import month_ends
from analytics.queries import childcare as q
from benchmarks.common import APP, app_test
from benchmarks.common import cpu as _cpu
from benchmarks.common import wall as _time

AS_OF = dt.date(2023, 7, 31)  # after item 7's due date: the milestones are judged on it too
PREFECTURE = "431100"


def page_queries(con: duckdb.DuckDBPyConnection, region: str) -> dict[str, Callable[[], object]]:
    """What pages/childcare.py asks for (through ui/cached.py) for ``region``, in its order."""
    below = "prefecture" if region == queries.PROVINCE_CODE else "county"
    ends = [e for e in month_ends(2023) if e <= AS_OF]

    def pipeline() -> object:
        return childcare.pipeline(q.points(con.cursor(), plan_year=2023, within=region), ends)

    steps: dict[str, Callable[[], object]] = {
        "indicators": lambda: queries.indicators(con.cursor(), plan_year=2023),
        "regions (prefectures)": lambda: queries.regions_at_level(con.cursor(), level="prefecture"),
        "overview (province, prefectures, counties, per 1,000, item 7)": lambda: q.overview(
            con.cursor(), plan_year=2023, as_of=AS_OF, region=region
        ),
        "register": lambda: q.register(con.cursor(), plan_year=2023),
        "points + pipeline": pipeline,
        "population (sources)": lambda: q.population(con.cursor()),
    }
    if region != queries.PROVINCE_CODE:
        steps["regions (counties)"] = lambda: queries.regions_at_level(con.cursor(), level=below, within=region)
    return steps


def run(data_dir: Path, runs: int, region: str) -> list[tuple[str, float, float, float]]:
    con = db.connect(data_dir)
    rows: list[tuple[str, float, float, float]] = []
    for name, fn in page_queries(con, region).items():
        cold = _time(fn)
        warm = statistics.median(_time(fn) for _ in range(runs))
        cpu = statistics.median(_cpu(fn) for _ in range(runs))
        rows.append((name, cold, warm, cpu))
    total = ("all childcare queries", sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows))
    rows.append(total)
    return rows


def page_run(runs: int, region: str) -> float:

    times = []
    for _ in range(runs):
        at = app_test(timeout=120)
        at.query_params["as_of"] = AS_OF.isoformat()
        at.query_params["region"] = region
        at.run()
        at.switch_page(str(APP.parent / "pages/childcare.py"))
        times.append(_time(at.run))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=db.DEFAULT_DATA_DIR)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ["FPA_DATA_DIR"] = str(args.data_dir)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"duckdb {duckdb.__version__}; data: {args.data_dir}; as of {AS_OF}; median of {args.runs} runs\n"
    )
    for region in (queries.PROVINCE_CODE, PREFECTURE):
        print(f"region {region}\n")
        print("| step | cold (s) | warm median (s) | warm CPU median (s) |")
        print("|---|---:|---:|---:|")
        for name, cold, warm, cpu in run(args.data_dir, args.runs, region):
            print(f"| {name} | {cold:.3f} | {warm:.3f} | {cpu:.3f} |")
        print(
            f"\nwhole childcare page through AppTest (switching to it in a session, Streamlit cache warm "
            f"after the first): {page_run(args.runs, region):.3f} s median\n"
        )


if __name__ == "__main__":
    main()
