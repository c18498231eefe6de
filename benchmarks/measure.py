"""One phase of one scale, in its own process: ``python -m benchmarks.measure PHASE ...``.

``python -m benchmarks`` runs each phase in a child process, so that the peak memory
(``ru_maxrss``) of a phase is its own, and one scale's data never sits in memory beside
another's. Phases:

* ``queries``: connect (views + marts), then every registered page's steps in both
  views, cold (the first call on a freshly opened connection, over ``--cold-runs``
  connections) and warm (``--runs`` further calls on one connection: DuckDB warm, no
  result cache, so the query really runs), wall and CPU time;
* ``pages``: every page through AppTest, the app's own script with the sidebar: once with
  Streamlit's cache emptied (the connection kept: it is paid once per data version), then
  ``--runs`` reruns with the cache warm; the process's peak memory is the app's;
* ``references``: each page's main aggregation in pandas and as the bare DuckDB floor.

Each writes a JSON file (``--json``) that ``benchmarks.__main__`` turns into tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from analytics import db
from benchmarks.registry import View, entries, views


def clocked(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call; CPU counts every thread of the process (DuckDB's too)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _views(args: argparse.Namespace) -> tuple[View, View]:
    return views(args.plan_year, dt.date.fromisoformat(args.as_of), args.data_root)


def phase_queries(args: argparse.Namespace) -> dict[str, Any]:
    folder = db.published_dir(args.data_root)
    registry = entries()
    out: dict[str, Any] = {"connect": {"wall": [], "cpu": []}, "steps": {}}
    steps: dict[str, Any] = out["steps"]
    con: duckdb.DuckDBPyConnection | None = None
    for _ in range(args.cold_runs):
        if con is not None:
            con.close()
            con = None
            gc.collect()
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        con = db.connect(folder)
        w, c = time.perf_counter() - start_wall, time.process_time() - start_cpu
        out["connect"]["wall"].append(w)
        out["connect"]["cpu"].append(c)
        for page in args.pages:
            for v in _views(args):
                for name, fn in registry[page].queries(con, v).items():
                    rec = steps.setdefault(page, {}).setdefault(v.name, {}).setdefault(name, {"cold": []})
                    rec["cold"].append(clocked(fn)[0])
    if con is None:
        raise SystemExit("--cold-runs must be at least 1")
    for page in args.pages:
        for v in _views(args):
            for name, fn in registry[page].queries(con, v).items():
                rec = steps[page][v.name][name]
                runs = [clocked(fn) for _ in range(args.runs)]
                rec["warm"] = [w for w, _ in runs]
                rec["warm_cpu"] = [c for _, c in runs]
    out["tables"] = {
        name: con.execute(f"select count(*) from {name}").fetchone()[0]  # noqa: S608 (our own table names)
        for name in ("stg_progress", "stg_instructors", "fct_indicator_month", "fct_instructor_village_month")
    }
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def phase_pages(args: argparse.Namespace) -> dict[str, Any]:
    import streamlit as st

    from benchmarks.common import APP, app_test
    from ui.nav import PAGES

    paths = {spec.url_path: spec.path for spec in PAGES}
    out: dict[str, Any] = {"pages": {}}
    for page in args.pages:
        for v in _views(args):
            at = app_test(timeout=600)
            for key, value in v.query_params().items():
                at.query_params[key] = value
            at.run()  # the landing page: opens the connection (once per process) and the session
            st.cache_data.clear()
            # the page models are shared across sessions (cache_resource): empty them too, or "cache
            # empty" would measure a page drawn from its model kept by the landing page's run
            from ui import cached

            cached._view.clear()
            at.switch_page(str(APP.parent / paths[page]))
            cold = clocked(at.run)
            warm = [clocked(at.run) for _ in range(args.runs)]
            out["pages"].setdefault(page, {})[v.name] = {
                "cold": [cold[0]],
                "cold_cpu": [cold[1]],
                "warm": [w for w, _ in warm],
                "warm_cpu": [c for _, c in warm],
                "errors": [e.message for e in at.exception],
            }
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def phase_references(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks.references import REFERENCES

    folder = db.published_dir(args.data_root)
    registry = entries()
    plain = duckdb.connect(":memory:")
    out: dict[str, Any] = {"references": {}}
    done: dict[tuple[str, str], dict[str, Any]] = {}
    for page in args.pages:
        ref_name = registry[page].reference
        if ref_name is None:
            continue
        ref = REFERENCES[ref_name]
        for v in _views(args):
            key = (ref_name, v.name)
            if key not in done:
                floor = [clocked(lambda r=ref, v=v: r.floor(plain, folder, v)) for _ in range(args.runs + 1)]
                pandas = [clocked(lambda r=ref, v=v: r.pandas(folder, v)) for _ in range(args.pandas_runs)]
                done[key] = {
                    "reference": ref_name,
                    "what": ref.what,
                    "floor": [w for w, _ in floor[1:]],
                    "floor_cold": [floor[0][0]],
                    "pandas": [w for w, _ in pandas],
                    "pandas_cpu": [c for _, c in pandas],
                }
            out["references"].setdefault(page, {})[v.name] = done[key]
    out["peak_rss_mb"] = peak_rss_mb()
    return out


PHASES = {"queries": phase_queries, "pages": phase_pages, "references": phase_references}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.measure", description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=sorted(PHASES))
    parser.add_argument("--data-root", type=Path, required=True)
    parser.add_argument("--pages", required=True, help="comma-separated url paths")
    parser.add_argument("--plan-year", type=int, required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--pandas-runs", type=int, default=3)
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)
    args.pages = [p for p in args.pages.split(",") if p]
    # the app (AppTest) reads its data root from the environment, like a served dashboard
    os.environ["FPA_DATA_DIR"] = str(args.data_root)
    # the queries phase calls ui.cached's functions outside a running app: Streamlit warns
    # about the missing session on every call (hundreds of lines); errors still show
    from streamlit import logger as streamlit_logger

    streamlit_logger.set_log_level("error")
    result = PHASES[args.phase](args)
    args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


if __name__ == "__main__":
    sys.exit(main())
