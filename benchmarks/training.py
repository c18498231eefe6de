"""Benchmark of the training page's queries: ``python -m benchmarks.training [--data-dir DIR] [--runs N]``.

Measures, for the whole province and for one prefecture, as of the last month of the year:
* each query the page runs, cold (first call on a fresh connection) and warm (median of N
  further calls), straight on DuckDB without Streamlit's cache;
* the pure pandas steps the page applies to them (shares, class states, completion);
* the Excel file of the short-of-2 list, which is made only when a user clicks (not on a rerun);
* optionally the whole page through AppTest (``--page``, bundled data only).
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

from analytics import db, queries, training
from analytics.queries import PROVINCE_CODE
from analytics.queries import training as q
from benchmarks.common import APP, app_test
from benchmarks.common import cpu as _cpu
from benchmarks.common import wall as _time

AS_OF = dt.date(2023, 12, 31)
PREFECTURE = "430100"


def page_queries(con: duckdb.DuckDBPyConnection, within: str) -> dict[str, Callable[[], object]]:
    """What the page asks DuckDB for when ``within`` is chosen (ui/cached.py caches each)."""
    return {
        "attainment_tables (province + prefectures)": lambda: queries.attainment_tables(
            con.cursor(),
            plan_year=2023,
            as_ofs=(AS_OF,),
            levels=("province", "prefecture"),
            within=PROVINCE_CODE,
            indicator_ids=training.JUDGED_INDICATORS,
        ),
        "training_coverage_month": lambda: q.coverage_month(con.cursor(), plan_year=2023, as_of=AS_OF, within=within),
        "training_short_units": lambda: q.short_units(con.cursor(), plan_year=2023, as_of=AS_OF, within=within),
        "training_classes": lambda: q.classes(con.cursor(), plan_year=2023, within=within),
        "training_participants": lambda: q.participants(con.cursor(), plan_year=2023, as_of=AS_OF, within=within),
        # the sidebar asks the same (one cache entry): names of the prefectures
        "regions (prefectures)": lambda: queries.regions_at_level(con.cursor(), level="prefecture"),
    }


def pandas_steps(con: duckdb.DuckDBPyConnection, within: str) -> Callable[[], object]:
    cov = q.coverage_month(con.cursor(), plan_year=2023, as_of=AS_OF, within=within)
    classes = q.classes(con.cursor(), plan_year=2023, within=within)
    parts = q.participants(con.cursor(), plan_year=2023, as_of=AS_OF, within=within)

    def steps() -> object:
        training.at_month(training.with_share(cov))
        training.class_states(classes, AS_OF)
        return [training.completion(parts, by) for by in training.BREAKDOWNS]

    return steps


Row = tuple[str, float, float, float]


def run(data_dir: Path, runs: int, within: str) -> list[Row]:
    """(name, cold wall, warm wall median, warm CPU median) per query, then the totals."""
    rows: list[Row] = []
    con = db.connect(data_dir)
    for name, fn in page_queries(con, within).items():
        cold = _time(fn)
        warm = statistics.median(_time(fn) for _ in range(runs))
        cpu = statistics.median(_cpu(fn) for _ in range(runs))
        rows.append((name, cold, warm, cpu))
    own = [r for r in rows if r[0].startswith("training_")]
    rows.append(("all page queries", *(sum(r[i] for r in rows) for i in (1, 2, 3))))
    rows.append(("of which the page's own training_* queries", *(sum(r[i] for r in own) for i in (1, 2, 3))))
    steps = pandas_steps(con, within)
    rows.append(
        (
            "pandas steps (shares, class states, completion)",
            _time(steps),
            statistics.median(_time(steps) for _ in range(runs)),
            statistics.median(_cpu(steps) for _ in range(runs)),
        )
    )
    return rows


def excel_time(data_dir: Path, within: str) -> tuple[int, float]:
    from ui import downloads

    con = db.connect(data_dir)
    short = q.short_units(con.cursor(), plan_year=2023, as_of=dt.date(2023, 6, 30), within=within)
    return len(short), _time(lambda: downloads.excel_bytes(short))


def connect_time(data_dir: Path, runs: int) -> tuple[float, float]:
    times = [_time(lambda: db.connect(data_dir)) for _ in range(runs)]
    return times[0], statistics.median(times)


def page_run(runs: int, region: str) -> float:

    times = []
    for _ in range(runs):
        at = app_test(timeout=300)
        at.query_params["region"] = region
        at.run()
        at.switch_page(str(APP.parent / "pages" / "training.py"))
        times.append(_time(at.run))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=db.DEFAULT_DATA_DIR)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--page", action="store_true", help="also time the whole page through AppTest")
    args = parser.parse_args()
    os.environ["FPA_DATA_DIR"] = str(args.data_dir)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"duckdb {duckdb.__version__}; data: {args.data_dir}; as of {AS_OF}; median of {args.runs} runs\n"
    )
    cold, warm = connect_time(args.data_dir, max(2, args.runs // 2))
    print(f"connect (views + marts, once per data version): {cold:.3f} s first, {warm:.3f} s median\n")
    for label, within in (("whole province 430000", PROVINCE_CODE), (f"one prefecture {PREFECTURE}", PREFECTURE)):
        print(f"**{label}**\n")
        print("| query | cold (s) | warm median (s) | warm CPU median (s) |")
        print("|---|---:|---:|---:|")
        for name, c, w, cpu in run(args.data_dir, args.runs, within):
            print(f"| {name} | {c:.3f} | {w:.3f} | {cpu:.3f} |")
        print()
    n, seconds = excel_time(args.data_dir, PROVINCE_CODE)
    print(f"Excel of the short-of-2 list ({n:,} rows, as of 2023-06-30), made on click only: {seconds:.2f} s\n")
    if args.page:
        for region in (PROVINCE_CODE, PREFECTURE):
            print(
                f"whole page through AppTest, region {region} (Streamlit cache warm after the first run): "
                f"{page_run(max(3, args.runs // 2), region):.3f} s median"
            )


if __name__ == "__main__":
    main()
