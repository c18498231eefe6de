"""The meeting pack as data: slides holding texts, tables, cards and figures, no file format.

:mod:`ui.briefing.build` fills it from the pages' view models (views/<page>.py); the PPTX and
PDF renderers only draw it. Every text is final (translated, formatted), so the two files
say the same thing in the same words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import plotly.graph_objects as go

from ui.briefing.layout import Box
from views import home

# slide kinds, each drawn by one function per renderer
KINDS = ("title", "summary", "follow_up", "cards", "board", "map", "area", "areas_ok", "highlights", "next_steps")


@dataclass(frozen=True)
class Card(home.Card):
    """A headline figure as the overview's model holds one (title, big value, status colour and
    label, small lines under it), and what only a slide draws: a status square before each line."""

    line_status: tuple[str, ...] = ()  # a status per line, drawn as a small square before it


@dataclass(frozen=True)
class Chip:
    """One of the 33 items on the board."""

    item_no: int
    title: str
    status: str
    label: str
    due: str = ""  # the due dates of the item's judged targets ("截止 5月31日")


@dataclass(frozen=True)
class BoardRow:
    title: str  # the area's number and heading
    chips: tuple[Chip, ...]


@dataclass(frozen=True)
class Table:
    """A table of texts; ``status`` colours one column's cells by the row's status."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    align: tuple[str, ...]  # "l" or "r" per column
    status: tuple[str, ...] = ()  # one status per row, for the cell in ``status_col``
    status_col: int | None = None
    font_pt: float = 11.0


@dataclass(frozen=True)
class Chart:
    """A plotly figure drawn as a PNG at ``box`` (its size is the box's, see layout.Box.px)."""

    key: str
    figure: go.Figure
    box: Box
    alt: str  # what the chart shows, in words: the image's description in both files


@dataclass(frozen=True)
class Slide:
    kind: str
    title: str
    subtitle: str = ""
    cards: tuple[Card, ...] = ()
    board: tuple[BoardRow, ...] = ()
    table: Table | None = None
    chart: Chart | None = None
    paragraphs: tuple[str, ...] = ()
    note: str = ""
    legend: tuple[tuple[str, str], ...] = ()  # (label, colour)
    # a second table beside the first (problems and next steps), and a heading over each
    side_table: Table | None = None
    headings: tuple[str, ...] = ()
    # the speaker's notes: the figures behind the slide, its date and its source (PPTX notes)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    lang: str
    plan_year: int
    as_of: dt.date
    region: str
    region_name: str
    demo: bool
    title: str  # the document's title (file metadata, title slide)
    footer: str  # left of every slide's footer
    demo_label: str  # on every slide when the data is demo ("" otherwise)
    slides: tuple[Slide, ...] = field(default_factory=tuple)

    @property
    def charts(self) -> list[Chart]:
        return [s.chart for s in self.slides if s.chart is not None]

    def page_label(self, i: int) -> str:
        """``3 / 16`` for the third slide (0-based ``i``)."""
        return f"{i + 1} / {len(self.slides)}"
