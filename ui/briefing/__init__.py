"""The meeting pack (会议材料): the dashboard's current view as a PowerPoint deck and a PDF.

``make_files(con, Request(...), data_dir=...)`` builds the pack's content from the pages'
own view models (:mod:`ui.briefing.build`), renders its charts with kaleido
in Debian's Chromium and writes the formats asked for: ``pptx`` (python-pptx, real text)
and ``pdf`` (the same slides as HTML, printed by the same Chromium). No Streamlit session
is needed: ``python -m ui.briefing`` makes a pack from the command line.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ui.briefing.build import Request, build_pack
from ui.briefing.model import Pack

if TYPE_CHECKING:  # the browser module is imported only when a pack is made
    from ui.briefing.browser import Session

FORMATS = ("pptx", "pdf")
MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}

__all__ = ["FORMATS", "MIME", "Pack", "Request", "build_pack", "make_each", "make_files", "render_files"]


def render_files(pack: Pack, formats: Sequence[str] = FORMATS) -> dict[str, bytes]:
    """``pack`` in each of ``formats``, from one browser session (charts first, then the PDF)."""
    from ui.briefing import browser

    return browser.run_sync(_make(lambda: pack, formats))


def make_files(
    con: duckdb.DuckDBPyConnection, req: Request, *, data_dir: Path, formats: Sequence[str] = FORMATS
) -> dict[str, bytes]:
    """The pack for ``req`` in each of ``formats`` (bytes per format)."""
    from ui.briefing import browser

    return browser.run_sync(_make(lambda: build_pack(con, req, data_dir=data_dir), formats))


def make_each(
    con: duckdb.DuckDBPyConnection,
    reqs: Sequence[Request],
    *,
    data_dir: Path,
    formats: Sequence[str],
    save: Callable[[Pack, dict[str, bytes]], None],
) -> None:
    """A pack for each of ``reqs`` (one per prefecture), handed to ``save`` as it is made; one
    browser for them all (starting Chromium takes seconds, fourteen times would add up)."""
    from ui.briefing import browser

    _check(formats)

    async def run() -> None:
        async with browser.Session() as session:
            for req in reqs:
                pack = await asyncio.to_thread(build_pack, con, req, data_dir=data_dir)
                save(pack, await _render(session, pack, formats))

    browser.run_sync(run())


def _check(formats: Sequence[str]) -> None:
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format(s) {sorted(unknown)}: choose from {FORMATS}")


async def _make(build: Callable[[], Pack], formats: Sequence[str]) -> dict[str, bytes]:
    """Build and render with the work overlapped: the machine has two cores, and Chromium's
    start (seconds) needs none of the pack."""
    _check(formats)
    from ui.briefing import browser

    async with browser.Session() as session:  # Chromium starts …
        pack = await asyncio.to_thread(build)  # … while the queries run
        return await _render(session, pack, formats)


async def _render(session: Session, pack: Pack, formats: Sequence[str]) -> dict[str, bytes]:
    """The charts, then the PDF printed while the deck is written (two cores)."""
    # imported here, not at the top: the dashboard imports this package at start-up and
    # needs the renderers (and the browser) only when someone asks for a pack
    from ui.briefing import to_html, to_pptx

    images = await session.images(pack.charts)
    jobs: dict[str, asyncio.Future[bytes]] = {}
    if "pdf" in formats:
        jobs["pdf"] = asyncio.ensure_future(session.pdf(to_html.render_html(pack, images)))
    if "pptx" in formats:
        jobs["pptx"] = asyncio.ensure_future(asyncio.to_thread(to_pptx.render_pptx, pack, images))
    return {fmt: await job for fmt, job in jobs.items()}
