"""The meeting pack (会议材料): the dashboard's current view as a PowerPoint deck and a PDF.

``make_files(con, Request(...), data_dir=...)`` builds the pack's content from the same
query functions the pages use (:mod:`ui.briefing.build`), renders its charts with kaleido
in Debian's Chromium and writes the formats asked for: ``pptx`` (python-pptx, real text)
and ``pdf`` (the same slides as HTML, printed by the same Chromium). No Streamlit session
is needed: ``python -m ui.briefing`` makes a pack from the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from ui.briefing.build import Request, build_pack
from ui.briefing.model import Pack

FORMATS = ("pptx", "pdf")
MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}

__all__ = ["FORMATS", "MIME", "Pack", "Request", "build_pack", "make_files", "render_files"]


def render_files(pack: Pack, formats: Sequence[str] = FORMATS) -> dict[str, bytes]:
    """``pack`` in each of ``formats``, from one browser session (charts first, then the PDF)."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format(s) {sorted(unknown)}: choose from {FORMATS}")
    # imported here, not at the top: the dashboard imports this package at start-up and
    # needs the renderers (and the browser) only when someone asks for a pack
    from ui.briefing import browser, to_html, to_pptx

    images, pdf = browser.render(
        pack.charts, (lambda imgs: to_html.render_html(pack, imgs)) if "pdf" in formats else None
    )
    out: dict[str, bytes] = {}
    if "pptx" in formats:
        out["pptx"] = to_pptx.render_pptx(pack, images)
    if "pdf" in formats and pdf is not None:
        out["pdf"] = pdf
    return out


def make_files(
    con: duckdb.DuckDBPyConnection, req: Request, *, data_dir: Path, formats: Sequence[str] = FORMATS
) -> dict[str, bytes]:
    """The pack for ``req`` in each of ``formats`` (bytes per format)."""
    return render_files(build_pack(con, req, data_dir=data_dir), formats)
