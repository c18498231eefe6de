"""Benchmark of the meeting pack: ``python -m benchmarks.briefing [--data-dir DIR] [--runs N] [--offline]``.

Measures, for the whole province as of the last month of the year, in Chinese:
* the pack as the overview's download button makes it (``make_files``: PPTX and PDF from one
  browser session, the pack built while Chromium starts), wall and CPU time, N runs;
* each step on its own, one after the other: the queries and texts (``build_pack``),
  Chromium's start, the four charts, the HTML, the PDF's printing, the deck's writing;
* the command line end to end (``python -m ui.briefing``: imports, connection and one format);
* with ``--offline``, the command line again in a network namespace with no network at all
  (``unshare --net``, root only): a browser that waited for a network would show here.
Prints Markdown tables for docs/performance.md. The issue's bar: under 30 s for the bundled data.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analytics import db
from ui.briefing import Request, browser, build_pack, make_files, to_html, to_pptx

AS_OF = dt.date(2023, 12, 31)
REQ = Request("zh", 2023, AS_OF)


def children_cpu() -> float:
    """CPU seconds of the finished child processes (Chromium and its helpers)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def end_to_end(data_dir: Path) -> tuple[float, float, float, dict[str, int]]:
    con = db.connect(data_dir)
    start, cpu0, kids0 = time.perf_counter(), time.process_time(), children_cpu()
    files = make_files(con, REQ, data_dir=data_dir)
    return (
        time.perf_counter() - start,
        time.process_time() - cpu0,
        children_cpu() - kids0,
        {fmt: len(data) for fmt, data in files.items()},
    )


async def _steps(data_dir: Path) -> dict[str, float]:
    con = db.connect(data_dir)
    out: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        out[name] = now - clock
        clock = now

    pack = build_pack(con, REQ, data_dir=data_dir)
    lap("build_pack (queries, texts, figures)")
    async with browser.Session() as session:
        await session._ready()
        lap("Chromium start (kaleido, 2 tabs)")
        images = await session.images(pack.charts)
        lap("4 charts to PNG")
        html = to_html.render_html(pack, images)
        lap("HTML")
        await session.pdf(html)
        lap("PDF printed")
    lap("Chromium closed")
    to_pptx.render_pptx(pack, images)
    lap("PPTX written")
    return out


def cli(data_dir: Path, fmt: str, *, offline: bool = False) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "ui.briefing", "--out", str(Path(tmp) / f"pack.{fmt}")]
        if offline:
            command = ["unshare", "--net", *command]
        env = {**os.environ, "FPA_DATA_DIR": str(data_dir)}
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, capture_output=True, timeout=300)
        return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", type=Path, default=db.data_dir_from_env())
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--offline", action="store_true", help="also run the command line with no network (root)")
    args = p.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; data: {args.data_dir}"
    )

    print("\n| pack (PPTX + PDF, as the download button) | wall s | CPU s (Python) | CPU s (Chromium) |")
    print("|---|---:|---:|---:|")
    walls = []
    for i in range(args.runs):
        w, c, k, sizes = end_to_end(args.data_dir)
        walls.append(w)
        print(f"| run {i + 1} (load {os.getloadavg()[0]:.1f}) | {w:.1f} | {c:.1f} | {k:.1f} |")
    print(f"| median | {statistics.median(walls):.1f} | | |")
    print(f"\nsizes: {', '.join(f'{k} {v / 1e6:.2f} MB' for k, v in sizes.items())}")

    print("\n| step, one after the other | s |")
    print("|---|---:|")
    for name, s in asyncio.run(_steps(args.data_dir)).items():
        print(f"| {name} | {s:.2f} |")

    print("\n| command line (imports, connection, one format) | s |")
    print("|---|---:|")
    for fmt in ("pptx", "pdf"):
        print(f"| python -m ui.briefing --out pack.{fmt} | {cli(args.data_dir, fmt):.1f} |")
    if args.offline:
        if os.geteuid() != 0 or not shutil.which("unshare"):
            print("| (no network) | needs root and unshare |")
        else:
            print(f"| same, no network at all (unshare --net), pdf | {cli(args.data_dir, 'pdf', offline=True):.1f} |")


if __name__ == "__main__":
    main()
