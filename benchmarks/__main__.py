"""Performance benchmark of every page at three data scales: ``python -m benchmarks``.

For each scale (the bundled Hunan data; ``national``; ``national-5y``), generated into
``benchmarks/out/`` when missing and reused after:

* every page's view model (``views.<page>.view``, see ``benchmarks/registry.py``), province and prefecture
  views, cold and warm, wall and CPU, straight on DuckDB (no Streamlit cache);
* the whole page through AppTest with Streamlit's cache empty and warm (a rerun);
* two references for each page's main aggregation: pandas, and the bare DuckDB floor;
* peak memory of each phase's process, connect time;
* the server's start: ``streamlit run`` to ``/_stcore/health`` and to the first page's
  ``script_finished`` over the websocket, and the server's peak memory after every page;
* on the bundled data: 1 and 20 concurrent websocket sessions (one server, and two behind
  sticky sessions), p50 / p95 of page renders.

Every figure is a median of several runs. The tables go to ``benchmarks/out/report.md``
(and the raw figures to ``report.json``); ``--update-doc`` also writes them into
docs/performance.md between its benchmark markers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit

from analytics import db, publish
from benchmarks import datasets, server
from benchmarks.registry import ONCE, entries

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
DOC_START = "<!-- benchmark:start -->"
DOC_END = "<!-- benchmark:end -->"
FIRST_PORT = 8651  # this project's benchmark ports: 8651-8679

# Targets (docs/performance.md): seconds unless stated.
HUNAN_QUERIES = 0.150
HUNAN_PAGE = 1.0
NATIONAL_QUERIES = 1.0
NATIONAL_FLOOR_RATIO = 3.0
NATIONAL_PANDAS_RATIO = 20.0
FIVE_YEAR_PAGE = 3.0
PEAK_MB = 2048
SERVER_START = 3.0
LOAD_P95 = 2.0
AFTER_PUBLISH = 3.0
LOAD_P95_NO_PAUSE = 3.0


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt(x: float, digits: int = 3) -> str:
    return "–" if x != x else f"{x:.{digits}f}"  # NaN → dash


def wait_for_quiet(limit: float, max_wait: float) -> float:
    """Poll the 1-minute load average every minute until it is under ``limit`` (or give up)."""
    start = time.monotonic()
    while True:
        load = os.getloadavg()[0]
        if load < limit or time.monotonic() - start >= max_wait:
            return load
        print(f"load average {load:.2f} ≥ {limit}: waiting a minute", flush=True)
        time.sleep(60)


def run_phase(
    phase: str, scale: datasets.Scale, root: Path, args: argparse.Namespace, pages: list[str]
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{phase}.json"
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.measure",
            phase,
            "--data-root",
            str(root),
            "--pages",
            ",".join(pages),
            "--plan-year",
            str(scale.plan_year),
            "--as-of",
            _as_of(scale.plan_year, args.as_of_month).isoformat(),
            "--runs",
            str(args.runs),
            "--cold-runs",
            str(min(args.cold_runs, args.runs)),
            "--pandas-runs",
            str(min(args.pandas_runs, args.runs)),
            "--json",
            str(out),
        ]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT)
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        result["seconds"] = time.perf_counter() - start
        return result


def _as_of(plan_year: int, month: int) -> dt.date:
    nxt = dt.date(plan_year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def server_phase(scale: datasets.Scale, root: Path, args: argparse.Namespace, port: int) -> dict[str, Any]:
    """Start the server ``--server-runs`` times: health, first page, and its memory after every page once."""
    as_of = _as_of(scale.plan_year, args.as_of_month)
    query = f"year={scale.plan_year}&as_of={as_of.isoformat()}"
    out: dict[str, Any] = {"health": [], "first_page": [], "peak_rss_mb": [], "errors": 0}
    for _ in range(args.server_runs):
        with server.Server(root, port) as srv:
            first, render, pages = asyncio.run(server.first_page(srv, query))
            out["health"].append(srv.health_seconds)
            out["first_page"].append(first)
            out["errors"] += render.errors
            renders = asyncio.run(server.warm_up(port, [query, query + "&region=430100"], [p for p in pages if p]))
            out["errors"] += sum(r.errors for r in renders)
            out["peak_rss_mb"].append(srv.peak_rss_mb())
    return out


def publish_phase(scale: datasets.Scale, root: Path, args: argparse.Namespace, port: int) -> dict[str, Any]:
    """A publish while the server runs, then the first page after it: the server is up and warm (as
    on any working day), ``analytics.publish`` writes a new version (its marts built into the
    version's file, timed), and a new session's first page is timed — what the first visitor after
    a publish waits. The new version links the old files: the data is the same, the work is not."""
    as_of = _as_of(scale.plan_year, args.as_of_month)
    query = f"year={scale.plan_year}&as_of={as_of.isoformat()}"
    out: dict[str, Any] = {"publish": [], "first_page": [], "errors": 0}
    with server.Server(root, port) as srv:
        asyncio.run(server.first_page(srv, query))  # the server's own first page: imports, caches
        for _ in range(args.publish_runs):
            began = time.perf_counter()
            publish.publish(root, publish.Change(note="benchmark: a publish while the server runs"), user="benchmark")
            out["publish"].append(time.perf_counter() - began)
            render = asyncio.run(server.new_visitor(srv.port, query))
            out["first_page"].append(render.seconds)
            out["errors"] += render.errors + (render.deltas == 0)
    return out


def load_phase(root: Path, args: argparse.Namespace, scale: datasets.Scale, pages: list[str]) -> list[dict[str, Any]]:
    """Concurrent sessions through the load balancer the README starts (``python -m deploy``:
    HAProxy, sticky sessions), or with ``--direct`` straight to the servers, split by hand."""
    as_of = _as_of(scale.plan_year, args.as_of_month)
    base = f"year={scale.plan_year}&as_of={as_of.isoformat()}"
    queries = [base, base + "&region=430100"]
    rows = []
    for replicas in args.replicas:
        port = FIRST_PORT + 10
        with contextlib.ExitStack() as stack:
            if args.direct:
                servers = [stack.enter_context(server.Server(root, port + i)) for i in range(replicas)]
                ports = targets = [s.port for s in servers]
            else:
                balancer = stack.enter_context(server.Balancer(root, port, replicas))
                ports, targets = balancer.replica_ports, [balancer.port]
            for p in ports:  # every server's caches warm, as after its first visitors
                asyncio.run(server.warm_up(p, queries, pages))
            runs = [(n, 0.0) for n in args.sessions] + [(n, args.think) for n in args.sessions if args.think and n > 1]
            for n, think in runs:
                renders, elapsed = asyncio.run(server.load(targets, n, queries, pages, args.load_rounds, think))
                secs = [r.seconds for r in renders]
                rows.append(
                    {
                        "servers": replicas,
                        "through": "direct" if args.direct else "haproxy",
                        "sessions": n,
                        "think": think,
                        "renders": len(renders),
                        "p50": server.percentile(secs, 50),
                        "p95": server.percentile(secs, 95),
                        "max": max(secs),
                        "per_second": len(renders) / elapsed,
                        "errors": sum(r.errors for r in renders),
                        "empty": sum(r.deltas == 0 for r in renders),
                        "by_page": {p: med([r.seconds for r in renders if r.page == p]) for p in pages},
                    }
                )
                print(
                    f"  {replicas} server(s), {n} sessions, think {think:.0f} s: p50 {rows[-1]['p50']:.2f} s, p95 {rows[-1]['p95']:.2f} s",
                    flush=True,
                )
    return rows


# --- report ------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    mem = next(
        (
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "memory_mib": mem,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "streamlit": streamlit.__version__,
        "pandas": pd.__version__,
    }


def page_rows(res: dict[str, Any], pages: list[str]) -> list[dict[str, Any]]:
    """One row per page and view: query totals (sums of the steps' medians), page times, references.

    Steps named with :data:`ONCE` are summed apart (``once``): the first visitor after a
    publish pays them, every later view of any region reads Streamlit's cache, so they are
    not part of what a view costs.
    """
    registry = entries()
    rows = []
    for page in pages:
        for view in ("province", "prefecture"):
            all_steps = res.get("queries", {}).get("steps", {}).get(page, {}).get(view, {})
            steps = {k: s for k, s in all_steps.items() if ONCE not in k}
            once = [s for k, s in all_steps.items() if ONCE in k]
            pg = res.get("pages", {}).get("pages", {}).get(page, {}).get(view, {})
            ref = res.get("references", {}).get("references", {}).get(page, {}).get(view)
            warm = sum(med(s.get("warm", [])) for s in steps.values()) if steps else float("nan")
            main = [steps[m] for m in registry[page].main if m in steps]
            row = {
                "page": page,
                "view": view,
                "cold": sum(med(s["cold"]) for s in steps.values()) if steps else float("nan"),
                "warm": warm,
                "warm_cpu": sum(med(s.get("warm_cpu", [])) for s in steps.values()) if steps else float("nan"),
                "once": sum(med(s.get("warm", [])) for s in once) if once else float("nan"),
                "page_cold": med(pg.get("cold", [])),
                "page_warm": med(pg.get("warm", [])),
                "page_warm_cpu": med(pg.get("warm_cpu", [])),
                "page_errors": len(pg.get("errors", [])),
                "floor": med(ref["floor"]) if ref else float("nan"),
                "pandas": med(ref["pandas"]) if ref else float("nan"),
                "reference": ref["reference"] if ref else None,
                "main": sum(med(s.get("warm", [])) for s in main) if main else float("nan"),
            }
            row["ours_floor"] = row["main"] / row["floor"] if ref else float("nan")
            row["pandas_ours"] = row["pandas"] / row["main"] if ref else float("nan")
            rows.append(row)
    return rows


def targets(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for every target of the issue that this run measured."""
    out: list[tuple[str, str, str]] = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    for scale, res in results["scales"].items():
        rows = res["rows"]
        data_pages = [r for r in rows if r["reference"]]
        worst_q = max(rows, key=lambda r: r["warm"]) if rows else None
        worst_p = max(rows, key=lambda r: r["page_warm"]) if rows else None
        if scale == "hunan" and worst_q and worst_p:
            out.append(
                (
                    f"hunan: every page's queries warm < {HUNAN_QUERIES * 1000:.0f} ms",
                    f"worst {worst_q['page']} ({worst_q['view']}) {worst_q['warm'] * 1000:.0f} ms",
                    verdict(worst_q["warm"] < HUNAN_QUERIES),
                )
            )
            if worst_p["page_warm"] == worst_p["page_warm"]:
                out.append(
                    (
                        f"hunan: a whole page < {HUNAN_PAGE:.0f} s (rerun, Streamlit cache warm)",
                        f"worst {worst_p['page']} ({worst_p['view']}) {worst_p['page_warm']:.2f} s",
                        verdict(worst_p["page_warm"] < HUNAN_PAGE),
                    )
                )
        if scale == "national" and worst_q:
            out.append(
                (
                    f"national: every page's queries warm < {NATIONAL_QUERIES:.0f} s",
                    f"worst {worst_q['page']} ({worst_q['view']}) {worst_q['warm']:.3f} s",
                    verdict(worst_q["warm"] < NATIONAL_QUERIES),
                )
            )
            if data_pages and data_pages[0]["floor"] == data_pages[0]["floor"]:
                wf = max(data_pages, key=lambda r: r["ours_floor"])
                wp = min(data_pages, key=lambda r: r["pandas_ours"])
                out.append(
                    (
                        f"national: main aggregation within {NATIONAL_FLOOR_RATIO:.0f}× of the DuckDB floor",
                        f"worst {wf['page']} ({wf['view']}) {wf['ours_floor']:.2f}×",
                        verdict(wf["ours_floor"] <= NATIONAL_FLOOR_RATIO),
                    )
                )
                out.append(
                    (
                        f"national: main aggregation ≥ {NATIONAL_PANDAS_RATIO:.0f}× faster than pandas",
                        f"worst {wp['page']} ({wp['view']}) {wp['pandas_ours']:.1f}×",
                        verdict(wp["pandas_ours"] >= NATIONAL_PANDAS_RATIO),
                    )
                )
        if scale == "national-5y" and rows:
            wq = max(rows, key=lambda r: r["warm"])
            out.append(
                (
                    f"national 5 years: every page < {FIVE_YEAR_PAGE:.0f} s warm (queries, DuckDB warm)",
                    f"worst {wq['page']} ({wq['view']}) {wq['warm']:.3f} s",
                    verdict(wq["warm"] < FIVE_YEAR_PAGE),
                )
            )
            if worst_p and worst_p["page_cold"] == worst_p["page_cold"]:
                wc = max(rows, key=lambda r: r["page_cold"])
                out.append(
                    (
                        f"national 5 years: every page < {FIVE_YEAR_PAGE:.0f} s (whole page, Streamlit cache empty)",
                        f"worst {wc['page']} ({wc['view']}) {wc['page_cold']:.2f} s",
                        verdict(wc["page_cold"] < FIVE_YEAR_PAGE),
                    )
                )
        if scale.startswith("national"):
            app_mb = res.get("pages", {}).get("peak_rss_mb", float("nan"))
            srv_mb = max(res.get("server", {}).get("peak_rss_mb", [float("nan")]))
            if scale == "national":
                peak = max(x for x in (app_mb, srv_mb) if x == x) if (app_mb == app_mb or srv_mb == srv_mb) else None
                if peak is not None:
                    out.append(
                        (
                            f"national: peak memory < {PEAK_MB} MiB",
                            f"app (AppTest) {fmt(app_mb, 0)} MiB, server {fmt(srv_mb, 0)} MiB",
                            verdict(peak < PEAK_MB),
                        )
                    )
        srv = res.get("server")
        if srv and srv["health"]:
            h, f = med(srv["health"]), med(srv["first_page"])
            out.append(
                (
                    f"{scale}: server start < {SERVER_START:.0f} s",
                    f"health {h:.2f} s, first page {f:.2f} s",
                    verdict(h < SERVER_START) + (" (health)" if f >= SERVER_START else ""),
                )
            )
        after = res.get("after_publish")
        if after and after["first_page"]:
            out.append(
                (
                    f"{scale}: first page after a publish < {AFTER_PUBLISH:.0f} s (server running)",
                    f"{med(after['first_page']):.2f} s (the publish itself, marts built: {med(after['publish']):.0f} s)",
                    verdict(med(after["first_page"]) < AFTER_PUBLISH and not after["errors"]),
                )
            )
    for row in results.get("load", []):
        if row["sessions"] >= 20:
            # a reader's pause: p95 under 2 s; no pause (every session asking at once): under 3 s
            limit = LOAD_P95 if row.get("think") else LOAD_P95_NO_PAUSE
            pace = f", reading ~{row['think']:.0f} s between pages" if row.get("think") else ", no pause (stress)"
            via = " via HAProxy" if row.get("through", "direct") == "haproxy" else ""
            out.append(
                (
                    f"{row['sessions']} concurrent sessions, {row['servers']} server(s){via}{pace}: p95 < {limit:.0f} s",
                    f"p95 {row['p95']:.2f} s (p50 {row['p50']:.2f} s)",
                    verdict(row["p95"] < limit),
                )
            )
    return out


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Run {results['started']} (UTC), {results['seconds'] / 60:.0f} min. Machine: {m['machine']}, "
        f"{m['cpus']} cores, {m['memory_mib'] / 1024:.0f} GiB, Python {m['python']}, duckdb {m['duckdb']}, "
        f"streamlit {m['streamlit']}, pandas {m['pandas']}. Load average (1 min) "
        f"{results['load_before']:.2f} at the start, {results['load_after']:.2f} at the end.",
        "",
        f"Command: `{results['command']}`. Medians: warm = {results['runs']} runs; cold = the first call on "
        f"each of {min(results['cold_runs'], results['runs'])} freshly opened connections; pages = "
        f"{results['runs']} reruns.",
        "",
        "### Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *[f"| {t} | {mv} | {v} |" for t, mv, v in targets(results)],
        "",
        "### Scales",
        "",
        "Connect: what a server pays to open a data version — for a generated scale, opening the marts file "
        "built at publish time (`marts.duckdb`, build time in its own column); for the bundled data (not a "
        "published version), building the marts in memory.",
        "",
        "| scale | progress rows | instructor rows | `fct_indicator_month` | marts built at publish (s) | "
        "connect wall / CPU (s) | peak memory: queries / app / server (MiB) | server: health / first page (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, res in results["scales"].items():
        q = res.get("queries", {})
        tables = q.get("tables", {})
        srv = res.get("server", {})

        def n(key: str, tables: dict[str, Any] = tables) -> str:
            return f"{tables[key]:,}" if key in tables else "–"

        lines.append(
            f"| {scale} | {n('stg_progress')} | {n('stg_instructors')} | {n('fct_indicator_month')} | "
            f"{fmt(res.get('build_file', float('nan')), 1)} | "
            f"{fmt(med(q.get('connect', {}).get('wall', [])), 2)} / {fmt(med(q.get('connect', {}).get('cpu', [])), 2)} | "
            f"{fmt(q.get('peak_rss_mb', float('nan')), 0)} / {fmt(res.get('pages', {}).get('peak_rss_mb', float('nan')), 0)} / "
            f"{fmt(max(srv.get('peak_rss_mb', [float('nan')])), 0)} | "
            f"{fmt(med(srv.get('health', [])), 2)} / {fmt(med(srv.get('first_page', [])), 2)} |"
        )
    for scale, res in results["scales"].items():
        lines += [
            "",
            f"### {scale}: {datasets.SCALES[scale].label}, plan year {res['plan_year']}, as of {res['as_of']}",
            "",
            "Seconds. Queries: the sum of the page's steps (sidebar included; warm = DuckDB warm, no result "
            "cache, the query really runs); once per version: steps the page caches per data version (the "
            "quality page's contract checks), paid by its first view after a publish and not by later views; main: the page's steps that compute its main aggregation, beside the "
            "same aggregation as one bare DuckDB statement over the Parquet files (floor) and in pandas "
            "(benchmarks/references.py); page: the whole page through AppTest, with Streamlit's cache empty "
            "(connection open) and on a rerun (cache warm).",
            "",
            "| page | view | queries cold | queries warm | warm CPU | once per version | main | floor | main / floor | "
            "pandas | pandas / main | page, cache empty | page rerun | rerun CPU |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in res["rows"]:
            err = " (errors)" if r["page_errors"] else ""
            lines.append(
                f"| {r['page']} | {r['view']} | {fmt(r['cold'])} | {fmt(r['warm'])} | {fmt(r['warm_cpu'])} | "
                f"{fmt(r.get('once', float('nan')))} | {fmt(r['main'])} | {fmt(r['floor'])} | {fmt(r['ours_floor'], 2)} | {fmt(r['pandas'], 2)} | "
                f"{fmt(r['pandas_ours'], 1)} | {fmt(r['page_cold'], 2)}{err} | {fmt(r['page_warm'], 2)} | "
                f"{fmt(r['page_warm_cpu'], 2)} |"
            )
        steps = res.get("queries", {}).get("steps", {})
        if steps:
            lines += [
                "",
                "<details><summary>Every step (warm median, wall / CPU, seconds)</summary>",
                "",
                "| page | step | province | prefecture |",
                "|---|---|---:|---:|",
            ]
            for page, by_view in steps.items():
                names = list(by_view.get("province", {}))
                for name in names:
                    cells = []
                    for view in ("province", "prefecture"):
                        s = by_view.get(view, {}).get(name)
                        cells.append(f"{fmt(med(s['warm']))} / {fmt(med(s['warm_cpu']))}" if s else "–")
                    lines.append(f"| {page} | {name} | {cells[0]} | {cells[1]} |")
            lines += ["", "</details>"]
    if results.get("load"):
        lines += [
            "",
            "### Concurrent sessions (bundled data)",
            "",
            "Websocket clients against `streamlit run` (Streamlit's cache warm, as after the first visitors): each "
            f"session renders every page {results['load_rounds']} times in its own order, the sessions alternating "
            "between the province and a prefecture. Through HAProxy (`python -m deploy`, the default): every "
            "session connects to the balancer, which spreads new sessions round robin and keeps each on its "
            "replica; `direct`: the sessions split over the servers by hand. Pause 0: every session asks for its "
            "next page the moment the last is drawn (a stress test); otherwise a reader's pause of 0.5-1.5 × the "
            "figure before every page.",
            "",
            "| servers | via | sessions | pause (s) | renders | p50 (s) | p95 (s) | max (s) | renders / s | errors |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in results["load"]:
            lines.append(
                f"| {row['servers']} | {row.get('through', 'direct')} | {row['sessions']} | {row.get('think', 0):.0f} | {row['renders']} | "
                f"{row['p50']:.2f} | {row['p95']:.2f} | "
                f"{row['max']:.2f} | {row['per_second']:.1f} | {row['errors'] + row['empty']} |"
            )
    return "\n".join(lines) + "\n"


def update_doc(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    if DOC_START not in doc or DOC_END not in doc:
        raise SystemExit(f"{DOC} has no {DOC_START} … {DOC_END} markers")
    head, rest = doc.split(DOC_START, 1)
    _, tail = rest.split(DOC_END, 1)
    DOC.write_text(f"{head}{DOC_START}\n{text}{DOC_END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from ui.nav import PAGES

    registered = entries()
    all_pages = [spec.url_path for spec in PAGES]
    viewer_pages = [spec.url_path for spec in PAGES if spec.min_role == "viewer"]
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", default="hunan,national,national-5y", help="comma-separated: " + ", ".join(datasets.SCALES)
    )
    parser.add_argument("--pages", default=",".join(all_pages), help="comma-separated url paths (default: every page)")
    parser.add_argument("--runs", type=int, default=7, help="warm runs per figure (median)")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh connections for the cold figures")
    parser.add_argument("--pandas-runs", type=int, default=3)
    parser.add_argument("--as-of-month", type=int, default=7, help="as-of month end in the viewed plan year")
    parser.add_argument("--no-pages", action="store_true", help="skip AppTest")
    parser.add_argument("--no-references", action="store_true", help="skip pandas and the DuckDB floor")
    parser.add_argument("--no-server", action="store_true", help="skip server start and concurrency")
    parser.add_argument("--server-runs", type=int, default=3)
    parser.add_argument("--load-scales", default="hunan", help="scales with the concurrency test")
    parser.add_argument("--sessions", default="1,20", help="concurrent sessions (comma-separated)")
    parser.add_argument("--replicas", default="1,2", help="servers sharing the sessions (comma-separated)")
    parser.add_argument("--load-rounds", type=int, default=2)
    parser.add_argument(
        "--publish-runs",
        type=int,
        default=2,
        help="publishes while the server runs, first page after each (generated scales; 0: none)",
    )
    parser.add_argument(
        "--in-memory", action="store_true", help="no marts file for the generated scales: every process builds them"
    )
    parser.add_argument(
        "--direct",
        action="store_true",
        help="sessions straight to the servers, split by hand (default: through HAProxy)",
    )
    parser.add_argument(
        "--think", type=float, default=10.0, help="also load with a reader's pause of about this many seconds (0: off)"
    )
    parser.add_argument("--out", type=Path, default=datasets.OUT / "report.md")
    parser.add_argument("--update-doc", action="store_true", help="write the tables into docs/performance.md")
    parser.add_argument("--wait-for-load", type=float, default=0.0, help="wait until the load average is under this")
    parser.add_argument("--wait-max", type=float, default=1800, help="seconds to wait for a quiet machine at most")
    args = parser.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    missing = [p for p in pages if p not in registered]
    if missing:
        parser.error(f"no view model (views/<page>.py) for {missing}")
    args.sessions = [int(x) for x in args.sessions.split(",") if x]
    args.replicas = [int(x) for x in args.replicas.split(",") if x]
    scales = [datasets.SCALES[s] for s in args.scales.split(",") if s]

    roots = {s.name: datasets.ensure(s) for s in scales}  # generate first: it is not part of any timing
    load_before = wait_for_quiet(args.wait_for_load, args.wait_max) if args.wait_for_load else os.getloadavg()[0]
    started = time.perf_counter()
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "command": "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "load_before": load_before,
        "runs": args.runs,
        "cold_runs": args.cold_runs,
        "load_rounds": args.load_rounds,
        "scales": {},
    }
    for i, scale in enumerate(scales):
        root = roots[scale.name]
        res: dict[str, Any] = {
            "plan_year": scale.plan_year,
            "as_of": _as_of(scale.plan_year, args.as_of_month).isoformat(),
        }
        print(f"{scale.name}: {root}", flush=True)
        if root != db.DEFAULT_DATA_DIR and not args.in_memory:
            # as a publish does (analytics/publish.py): every phase then opens the file
            began = time.perf_counter()
            db.build_file(db.published_dir(root))
            res["build_file"] = time.perf_counter() - began
            print(f"  marts built into {db.BUILT_FILE} in {res['build_file']:.1f} s", flush=True)
        res["queries"] = run_phase("queries", scale, root, args, pages)
        if not args.no_pages:
            res["pages"] = run_phase("pages", scale, root, args, pages)
        if not args.no_references:
            res["references"] = run_phase("references", scale, root, args, pages)
        if not args.no_server:
            res["server"] = server_phase(scale, root, args, FIRST_PORT + i)
            if args.publish_runs and root != db.DEFAULT_DATA_DIR:
                res["after_publish"] = publish_phase(scale, root, args, FIRST_PORT + i)
        res["rows"] = page_rows(res, pages)
        results["scales"][scale.name] = res
        if not args.no_server and scale.name in args.load_scales.split(","):
            load_pages = [p for p in pages if p in viewer_pages]
            print("concurrency ...", flush=True)
            results["load"] = load_phase(root, args, scale, load_pages)
    results["seconds"] = time.perf_counter() - started
    results["load_after"] = os.getloadavg()[0]
    text = report(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(text)
    if args.update_doc:
        update_doc(text)
        print(f"wrote the tables into {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
