"""Where things sit on a slide, in inches: one geometry for the deck and the PDF.

Both renderers place every block at the same box (the PPTX with python-pptx's EMU, the
PDF's HTML with absolutely positioned boxes in CSS inches), so a page of the handout
looks like the slide that is projected. Chart images are rendered at their box's size.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

# 16:9, PowerPoint's "widescreen"
SLIDE_W: Final = 13.333
SLIDE_H: Final = 7.5
MARGIN: Final = 0.5
CONTENT_W: Final = SLIDE_W - 2 * MARGIN
TITLE_Y: Final = 0.3
TITLE_H: Final = 0.75
BODY_Y: Final = 1.2  # below the title
FOOTER_Y: Final = 7.0
FOOTER_H: Final = 0.32
BODY_H: Final = FOOTER_Y - 0.2 - BODY_Y  # 5.6 in

PX_PER_IN: Final = 96  # CSS pixels per inch: a chart's image is its box at this density …
IMAGE_SCALE: Final = 2  # … times two, so it stays sharp on a projector and in print


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def px(self) -> tuple[int, int]:
        """The box in CSS pixels: the size a chart is laid out at before it is scaled up."""
        return round(self.w * PX_PER_IN), round(self.h * PX_PER_IN)


TITLE: Final = Box(MARGIN, TITLE_Y, CONTENT_W, TITLE_H)
# the cover: the region and date under the title, then the data's lines
TITLE_SUBTITLE: Final = Box(1.0, 3.35, 11.3, 0.6)
TITLE_LINES: Final = Box(1.0, 4.15, 11.3, 1.2)
FOOTER: Final = Box(MARGIN, FOOTER_Y, CONTENT_W, FOOTER_H)
GAP: Final = 0.18

# headline cards: two rows of four (the overview's seven cards and the status counts)
CARD_COLS: Final = 4
CARD_ROWS: Final = 2
CARD_W: Final = (CONTENT_W - (CARD_COLS - 1) * GAP) / CARD_COLS
CARD_H: Final = (BODY_H - (CARD_ROWS - 1) * GAP) / CARD_ROWS

# the 33-item board: the area's title, then up to five chips a row; nine rows and a legend
BOARD_AREA_W: Final = 2.45
BOARD_CHIP_W: Final = 1.88
BOARD_CHIP_GAP: Final = 0.07
BOARD_ROW_H: Final = 0.52
BOARD_ROW_GAP: Final = 0.055
LEGEND: Final = Box(MARGIN, 6.42, CONTENT_W, 0.45)

# map and league table side by side
MAP_W: Final = 5.6  # Hunan is taller than wide: a wider box would only add white space
LEGEND_H: Final = 0.45  # one row of status squares and names, two when they do not fit in one
MAP_LEGEND: Final = Box(MARGIN, BODY_Y, MAP_W, LEGEND_H)
MAP: Final = Box(MARGIN, BODY_Y + LEGEND_H, MAP_W, BODY_H - 0.45 - LEGEND_H)
LEAGUE: Final = Box(MARGIN + MAP_W + GAP, BODY_Y, CONTENT_W - MAP_W - GAP, BODY_H - 0.45)
NOTE: Final = Box(MARGIN, FOOTER_Y - 0.52, CONTENT_W, 0.42)  # a line under the body: what a slide shows

# an area of the plan: one table over the whole width
AREA_TABLE: Final = Box(MARGIN, BODY_Y, CONTENT_W, BODY_H - 0.55)

# highlights (childcare, training): six cards on the left, a chart on the right
HIGHLIGHT_CARDS: Final = Box(MARGIN, BODY_Y, 7.0, BODY_H - 0.55)
HIGHLIGHT_COLS: Final = 3
HIGHLIGHT_ROWS: Final = 2
HIGHLIGHT_CHART: Final = Box(MARGIN + 7.0 + GAP, BODY_Y, CONTENT_W - 7.0 - GAP, BODY_H - 0.55)

# the summary: the paragraph on the left, the status of each area on the right; the paragraph
# ends above the note (it once ran the full body height, into the note's lines)
SUMMARY_TEXT: Final = Box(MARGIN, BODY_Y, 6.3, NOTE.y - 0.1 - BODY_Y)
SUMMARY_LEGEND: Final = Box(MARGIN + 6.3 + GAP, BODY_Y, CONTENT_W - 6.3 - GAP, LEGEND_H)
SUMMARY_CHART: Final = Box(MARGIN + 6.3 + GAP, BODY_Y + LEGEND_H, CONTENT_W - 6.3 - GAP, BODY_H - 0.45 - LEGEND_H)
LEGENDS: Final = {"board": LEGEND, "map": MAP_LEGEND, "summary": SUMMARY_LEGEND}

# problems and next steps: two tables side by side, each under its heading
HEADING_H: Final = 0.4
NEXT_LEFT_W: Final = 7.7
NEXT_HEADINGS: Final = (
    Box(MARGIN, BODY_Y, NEXT_LEFT_W, HEADING_H),
    Box(MARGIN + NEXT_LEFT_W + GAP, BODY_Y, CONTENT_W - NEXT_LEFT_W - GAP, HEADING_H),
)
NEXT_TABLES: Final = (
    Box(MARGIN, BODY_Y + HEADING_H + 0.08, NEXT_LEFT_W, AREA_TABLE.h - HEADING_H - 0.08),
    Box(
        MARGIN + NEXT_LEFT_W + GAP,
        BODY_Y + HEADING_H + 0.08,
        CONTENT_W - NEXT_LEFT_W - GAP,
        AREA_TABLE.h - HEADING_H - 0.08,
    ),
)


def highlight_grid(note: str = "") -> list[Box]:
    return grid(above(HIGHLIGHT_CARDS, note), HIGHLIGHT_COLS, HIGHLIGHT_ROWS)


def grid(area: Box, cols: int, rows: int, gap: float = GAP) -> list[Box]:
    """``cols`` × ``rows`` equal boxes filling ``area``, row by row."""
    w = (area.w - (cols - 1) * gap) / cols
    h = (area.h - (rows - 1) * gap) / rows
    return [Box(area.x + c * (w + gap), area.y + r * (h + gap), w, h) for r in range(rows) for c in range(cols)]


def cards_grid() -> list[Box]:
    return grid(Box(MARGIN, BODY_Y, CONTENT_W, BODY_H), CARD_COLS, CARD_ROWS)


def board_row(i: int) -> Box:
    """The ``i``-th area row of the board (0-based)."""
    return Box(MARGIN, BODY_Y + i * (BOARD_ROW_H + BOARD_ROW_GAP), CONTENT_W, BOARD_ROW_H)


def board_chip(row: Box, j: int) -> Box:
    x = row.x + BOARD_AREA_W + BOARD_CHIP_GAP + j * (BOARD_CHIP_W + BOARD_CHIP_GAP)
    return Box(x, row.y, BOARD_CHIP_W, row.h)


# ------------------------------------------------------------------------------- cards


@dataclass(frozen=True)
class CardParts:
    bar: Box  # the status colour down the left edge
    title: Box
    value: Box
    chip: Box  # where the status label's chip starts (its width follows the label)
    lines: Box
    lines_without_chip: Box


CARD_BAR_W: Final = 0.09
CARD_TITLE_PT: Final = 12.0
CHIP_PT: Final = 10.0
CHIP_H: Final = 0.27


def card_parts(box: Box) -> CardParts:
    """A headline card's inner boxes: title (two lines), big value, status chip, small lines."""
    x = box.x + CARD_BAR_W + 0.14
    w = box.w - CARD_BAR_W - 0.26
    lines_y = box.y + 1.58
    return CardParts(
        bar=Box(box.x, box.y, CARD_BAR_W, box.h),
        title=Box(x, box.y + 0.12, w, 0.46),
        value=Box(x, box.y + 0.62, w, 0.52),
        chip=Box(x, box.y + 1.18, w, CHIP_H),
        lines=Box(x, lines_y, w, box.y + box.h - 0.1 - lines_y),
        lines_without_chip=Box(x, box.y + 1.18, w, box.y + box.h - 0.1 - (box.y + 1.18)),
    )


@dataclass(frozen=True)
class LegendItem:
    square: Box
    label: Box
    text: str
    color: str
    pt: float


def legend_items(box: Box, items: Sequence[tuple[str, str]], *, max_pt: float = 11.0) -> list[LegendItem]:
    """Status squares and their names in a row across ``box``; smaller type, then two rows,
    when one row does not fit (the charts' own legends are not used: plotly stacks a legend
    whose entries do not fit beside long axis labels one above the other)."""

    def widths(pt: float) -> list[float]:
        return [0.22 + text_width_em(label) * pt / 72 + 0.06 + 0.25 for label, _ in items]

    def rows_needed(pt: float) -> int:
        rows, x = 1, 0.0
        for w in widths(pt):
            if x and x + w - 0.25 > box.w:
                rows, x = rows + 1, 0.0
            x += w
        return rows

    choice = None
    for rows in (1, 2):
        pt = max_pt
        while pt >= 9.0 and choice is None:
            if rows_needed(pt) <= rows:
                choice = (rows, pt)
            pt -= 0.5
        if choice:
            break
    rows, pt = choice or (2, 8.5)
    row_h = box.h / rows
    out, x, row = [], box.x, 0
    side = min(0.16, row_h * 0.6)
    for (label, color), w in zip(items, widths(pt), strict=True):
        if x > box.x and x + w - 0.25 > box.x + box.w and row < rows - 1:
            row, x = row + 1, box.x
        y = box.y + row * row_h
        label_w = w - 0.22 - 0.25
        out.append(
            LegendItem(Box(x, y + (row_h - side) / 2, side, side), Box(x + 0.22, y, label_w, row_h), label, color, pt)
        )
        x += w
    return out


def chip_width(label: str, pt: float = CHIP_PT) -> float:
    """Width of a status chip in inches: its label and a little room either side."""
    return text_width_em(label) * pt / 72 + 0.24


def card_chip(label: str, room: Box, *, min_pt: float = 7.0) -> tuple[Box, float]:
    """A card's status chip at the start of ``room`` and its type size: CHIP_PT, or smaller where
    the label would run past the card ("(√) Done late (reached 31 Jul)" on a narrow card)."""
    pt = CHIP_PT
    while chip_width(label, pt) > room.w and pt > min_pt:
        pt -= 0.5
    return Box(room.x, room.y, min(chip_width(label, pt), room.w), room.h), pt


# ------------------------------------------------------------------------------- text fitting
# Neither python-pptx nor HTML-to-PDF tell the size text will take before it is drawn, so
# type sizes are chosen from an estimate: a Chinese character (or any full-width one, or one
# of ambiguous width such as √ ↓ · —, which Chinese fonts draw full width) is one em wide, a
# Latin one a little over half an em, and lines break as the renderers break them: Chinese
# anywhere but before a closing mark or after an opening one, Latin between words. The
# estimate errs wide, so text set by it fits in PowerPoint, LibreOffice and Chromium alike;
# tests/unit/test_briefing.py measures the rendered text against its boxes.

LINE_SPACING: Final = 1.25  # line height as a multiple of the type size, in both renderers
LATIN_EM: Final = 0.58
SPACE_EM: Final = 0.3
CLOSING: Final = frozenset("，。、；：？！）》」』】”’…%,.;:?!)]}")  # never starts a line
OPENING: Final = frozenset("（《「『【“‘([{")  # never ends a line


def char_em(c: str) -> float:
    return 1.0 if unicodedata.east_asian_width(c) in "WFA" else LATIN_EM


def text_width_em(text: str) -> float:
    """Estimated width of ``text`` in ems of its type size."""
    return sum(char_em(c) for c in text)


def _units(text: str) -> list[tuple[float, float]]:
    """``text`` as the pieces a line does not break inside, each (width, space after it) in ems:
    a Latin word, or a Chinese character with the marks that may not be parted from it."""
    units: list[list[float]] = []
    word = 0.0
    glue_next = False  # the previous piece ends in an opening mark: the next joins it
    for c in text:
        if c == " ":
            if word:
                units.append([word, 0.0])
                word = 0.0
            if units:
                units[-1][1] += SPACE_EM
            glue_next = False
            continue
        wide = unicodedata.east_asian_width(c) in "WFA"
        if not wide:
            if glue_next and not word and units:
                units[-1][0] += char_em(c)  # "（6" stays together, then the word goes on
                word, glue_next = units.pop()[0], False
                continue
            word += char_em(c)
            continue
        if word:
            units.append([word, 0.0])
            word = 0.0
        if units and (c in CLOSING or glue_next) and not units[-1][1]:
            units[-1][0] += 1.0
        else:
            units.append([1.0, 0.0])
        glue_next = c in OPENING
    if word:
        units.append([word, 0.0])
    return [(w, sp) for w, sp in units]


def lines_needed(text: str, width_in: float, pt: float) -> int:
    """Lines ``text`` takes at ``pt`` in a box ``width_in`` wide, broken as the renderers break it."""
    per_line = width_in * 72 / pt  # ems a line holds
    total = 0
    for part in text.split("\n"):
        lines, x = 1, 0.0
        for w, space in _units(part):
            if x and x + w > per_line + 1e-9:  # does not fit after what the line holds: a new line
                lines, x = lines + 1, 0.0
            while w > per_line + 1e-9:  # longer than a line: broken anywhere (overflow-wrap)
                lines, w = lines + 1, w - per_line
            x += w + space
        total += lines
    return total


def fit_pt(
    paragraphs: Sequence[str],
    box: Box,
    *,
    max_pt: float,
    min_pt: float,
    gap_lines: float = 0.0,
    gap_pt: float = 0.0,
) -> float:
    """The largest type size (in steps of 0.5 pt) at which ``paragraphs`` fit in ``box``;
    the space between paragraphs is ``gap_lines`` lines plus ``gap_pt`` points."""
    pt = max_pt
    gaps = max(len(paragraphs) - 1, 0)
    while pt > min_pt:
        lines = sum(lines_needed(p, box.w, pt) for p in paragraphs) + gap_lines * gaps
        if lines * pt * LINE_SPACING + gap_pt * gaps <= box.h * 72:
            return pt
        pt -= 0.5
    return min_pt


def status_lines(box: Box, n: int, pt: float) -> tuple[float, float]:
    """Rows of ``n`` status lines (a square and a count each) in ``box``: the step between rows
    and the type size, at most ``pt`` + 2 and 1.6 lines apart, less where ``n`` rows need it."""
    step = min(pt * LINE_SPACING / 72 * 1.6, box.h / max(n, 1))
    return step, min(pt + 2, step * 72 / LINE_SPACING)


# ------------------------------------------------------------------------------- the note under a body

NOTE_MAX_PT: Final = 10.5
NOTE_MIN_PT: Final = 8.0


def note_box(text: str) -> Box:
    """The note under a slide's body: NOTE, or taller (growing upwards) when the note needs more
    lines than NOTE holds at the smallest size (a long basis of the association's readings)."""
    if not text:
        return NOTE
    need = lines_needed(text, NOTE.w, NOTE_MIN_PT) * NOTE_MIN_PT * LINE_SPACING / 72 + 0.02
    h = max(NOTE.h, need)
    return Box(NOTE.x, NOTE.y + NOTE.h - h, NOTE.w, h)


def note_pt(text: str) -> float:
    return fit_pt([text], note_box(text), max_pt=NOTE_MAX_PT, min_pt=NOTE_MIN_PT)


def above(box: Box, note: str) -> Box:
    """``box`` cut to end above the note under it, where a long note takes more room than NOTE."""
    bottom = min(box.y + box.h, note_box(note).y - 0.1)
    return Box(box.x, box.y, box.w, bottom - box.y)


def table_pt(
    rows: Sequence[Sequence[str]], widths_in: Sequence[float], height_in: float, *, max_pt: float, min_pt: float
) -> float:
    """The largest type size at which every row of a table fits in ``height_in``: each row as
    tall as its longest cell, plus the cells' top and bottom margins."""
    pt = max_pt
    while pt > min_pt:
        total = 0.0
        for row in rows:
            lines = max(lines_needed(cell, w - 2 * CELL_MARGIN_X, pt) for cell, w in zip(row, widths_in, strict=True))
            total += lines * pt * LINE_SPACING / 72 + 2 * CELL_MARGIN_Y + RULE_IN
        if total <= height_in:
            return pt
        pt -= 0.5
    return min_pt


CELL_MARGIN_X: Final = 0.06
CELL_MARGIN_Y: Final = 0.04
RULE_IN: Final = 0.75 / 72  # the rule under each row, which the PDF's rows are taller by


def fits(paragraphs: Sequence[str], box: Box, pt: float) -> bool:
    return sum(lines_needed(p, box.w, pt) for p in paragraphs) * pt * LINE_SPACING <= box.h * 72


def chip_texts(title: str, label: str, due: str, inner: Box) -> tuple[list[str], float]:
    """A board chip's lines and type size: the item, its status, its due dates; the status and
    the dates on one line where three lines do not fit even in the smallest type."""
    texts = [title, label, *([due] if due else [])]
    pt = fit_pt(texts, inner, max_pt=10, min_pt=7)
    if due and not fits(texts, inner, pt):
        texts = [title, f"{label} · {due}"]
        pt = fit_pt(texts, inner, max_pt=10, min_pt=6.5)
    return texts, pt
