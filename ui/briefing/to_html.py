"""The pack as one HTML page per slide, for Chromium to print to PDF (see ui.briefing.browser).

Why HTML printed by Chromium rather than a PDF library: the Chinese must come out as
text in an embedded font. reportlab embeds only TrueType outlines (not the CFF-based Noto
CJK collection); Chromium lays out and embeds any font fontconfig finds, the same engine
draws the charts, and the page geometry is ui.briefing.layout's, in CSS inches, so each
page is the slide it stands for.

The font: Chromium (Skia) writes a CFF font such as Noto Sans CJK as Type 3 glyphs whose
text map sends several common characters (生, 长, 门 …) to look-alike Kangxi radicals
(⽣, ⻓, ⻔), so a search of the PDF for 长沙 finds nothing. WenQuanYi Micro Hei has
TrueType outlines: embedded as a CID TrueType subset, its text extracts as written. It
comes first for the PDF; Noto Sans CJK SC stays as the fallback. The chart images keep the
dashboard's font (they are pictures, nothing is extracted from them).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence

from ui.briefing import layout
from ui.briefing.layout import Box
from ui.briefing.model import Card, Pack, Slide, Table
from ui.theme import DASHED, PRIMARY, STATUS_COLORS, STATUS_TEXT

PDF_FONT = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'
TEXT = "#1f2328"
MUTED = "#57606a"
BORDER = "#d0d7de"

CSS = f"""
@page {{ size: {layout.SLIDE_W}in {layout.SLIDE_H}in; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: {PDF_FONT}; color: {TEXT}; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.slide {{ position: relative; width: {layout.SLIDE_W}in; height: {layout.SLIDE_H}in; overflow: hidden;
  break-after: page; background: white; }}
.slide:last-child {{ break-after: auto; }}
.a {{ position: absolute; box-sizing: border-box; margin: 0; overflow: hidden; }}
.t {{ line-height: {layout.LINE_SPACING}; overflow-wrap: anywhere; }}
.t p {{ margin: 0; }}
.mid {{ display: flex; flex-direction: column; justify-content: center; }}
.bottom {{ display: flex; flex-direction: column; justify-content: flex-end; }}
h1 {{ font-weight: 700; }}
table {{ border-collapse: collapse; table-layout: fixed; }}
td, th {{ padding: {layout.CELL_MARGIN_Y}in {layout.CELL_MARGIN_X}in; border-bottom: 0.75pt solid {BORDER};
  line-height: {layout.LINE_SPACING}; overflow-wrap: anywhere; vertical-align: middle; }}
th {{ background: #f6f8fa; color: {MUTED}; font-weight: 700; }}
img {{ display: block; }}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _pos(box: Box) -> str:
    return f"left:{box.x:.3f}in;top:{box.y:.3f}in;width:{box.w:.3f}in;height:{box.h:.3f}in;"


def text(
    box: Box,
    paragraphs: Sequence[str],
    *,
    pt: float,
    bold: bool = False,
    color: str = TEXT,
    align: str = "l",
    anchor: str = "top",
    gap_pt: float = 0.0,
    tag: str = "div",
    style: str = "",
) -> str:
    cls = {"top": "", "middle": " mid", "bottom": " bottom"}[anchor]
    css = (
        f"{_pos(box)}font-size:{pt}pt;color:{color};font-weight:{700 if bold else 400};"
        f"text-align:{ {'l': 'left', 'r': 'right', 'c': 'center'}[align] };{style}"
    )
    body = "".join(
        f'<p style="margin-bottom:{gap_pt if i < len(paragraphs) - 1 else 0}pt">{_e(p)}</p>'
        for i, p in enumerate(paragraphs)
    )
    return f'<{tag} class="a t{cls}" style="{css}">{body}</{tag}>'


def rect(box: Box, *, fill: str | None, line: str | None = None, rounded: bool = False, dashed: bool = False) -> str:
    border = f"1pt {'dashed' if dashed else 'solid'} {line}" if line else "none"
    radius = "0.06in" if rounded else "0"
    return f'<div class="a" style="{_pos(box)}background:{fill or "transparent"};border:{border};border-radius:{radius}"></div>'


def frame(pack: Pack, i: int, title: str | None) -> str:
    out = []
    if title is not None:
        box = layout.TITLE
        inner = Box(box.x + 0.22, box.y, box.w - 0.22, box.h)
        pt = layout.fit_pt([title], Box(0, 0, inner.w, inner.h), max_pt=26, min_pt=18)
        out.append(text(inner, [title], pt=pt, bold=True, anchor="middle", tag="h1"))
        out.append(rect(Box(layout.MARGIN, box.y + 0.12, 0.08, box.h - 0.24), fill=PRIMARY))
    foot = layout.FOOTER
    out.append(rect(Box(foot.x, foot.y - 0.06, foot.w, 0.01), fill=BORDER))
    out.append(text(Box(foot.x, foot.y, foot.w * 0.6, foot.h), [pack.footer], pt=10, color=MUTED, anchor="middle"))
    if pack.demo_label:
        label = Box(foot.x + foot.w * 0.62, foot.y + 0.03, layout.chip_width(pack.demo_label, 10), foot.h - 0.06)
        out.append(rect(label, fill="#FFF8C5", line="#D4A72C", rounded=True))
        out.append(text(label, [pack.demo_label], pt=10, bold=True, color="#9A6700", align="c", anchor="middle"))
    out.append(
        text(
            Box(foot.x + foot.w - 1.2, foot.y, 1.2, foot.h),
            [pack.page_label(i)],
            pt=10,
            color=MUTED,
            align="r",
            anchor="middle",
        )
    )
    return "".join(out)


def picture(box: Box, png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="a" style="{_pos(box)}" alt="{_e(alt)}" src="data:image/png;base64,{data}">'


def legend(box: Box, items: Sequence[tuple[str, str]]) -> str:
    out = []
    for item in layout.legend_items(box, items):
        out.append(rect(item.square, fill=item.color, line=BORDER))
        out.append(text(item.label, [item.text], pt=item.pt, color=MUTED, anchor="middle"))
    return "".join(out)


def card(box: Box, c: Card, *, value_pt: float) -> str:
    parts = layout.card_parts(box)
    out = [rect(box, fill="#FFFFFF", line=BORDER), rect(parts.bar, fill=STATUS_COLORS[c.status])]
    title_pt = layout.fit_pt([c.title], parts.title, max_pt=layout.CARD_TITLE_PT, min_pt=9)
    out.append(text(parts.title, [c.title], pt=title_pt, bold=True))
    fit_value = layout.fit_pt([c.value], parts.value, max_pt=value_pt, min_pt=14)
    out.append(text(parts.value, [c.value], pt=fit_value, bold=True, anchor="middle"))
    lines_box = parts.lines_without_chip
    if c.status_text:
        chip, chip_pt = layout.card_chip(c.status_text, parts.chip)
        out.append(rect(chip, fill=STATUS_COLORS[c.status], rounded=True))
        color = STATUS_TEXT[c.status]
        out.append(text(chip, [c.status_text], pt=chip_pt, color=color, align="c", anchor="middle"))
        lines_box = parts.lines
    if not c.lines:
        return "".join(out)
    pt = layout.fit_pt(c.lines, lines_box, max_pt=10.5, min_pt=7.5, gap_pt=2)
    if c.line_status:
        step, line_pt = layout.status_lines(lines_box, len(c.lines), pt)
        side = min(0.16, step * 0.8)
        for j, (line, status) in enumerate(zip(c.lines, c.line_status, strict=True)):
            y = lines_box.y + j * step
            out.append(rect(Box(lines_box.x, y + (step - side) / 2, side, side), fill=STATUS_COLORS[status]))
            box = Box(lines_box.x + 0.26, y, lines_box.w - 0.26, step)
            out.append(text(box, [line], pt=line_pt, anchor="middle"))
        return "".join(out)
    out.append(text(lines_box, c.lines, pt=pt, color=MUTED, gap_pt=2))
    return "".join(out)


def table(box: Box, t: Table) -> str:
    total = sum(t.widths)
    cols = "".join(f'<col style="width:{w / total * box.w:.3f}in">' for w in t.widths)
    align = {"l": "left", "r": "right", "c": "center"}
    head = "".join(f'<th style="text-align:{align[a]}">{_e(c)}</th>' for c, a in zip(t.columns, t.align, strict=True))
    rows = []
    for i, row in enumerate(t.rows):
        status = t.status[i] if t.status else None
        cells = []
        for j, cell in enumerate(row):
            style = f"text-align:{align[t.align[j]]};"
            if status is not None and j == t.status_col:
                color = STATUS_TEXT[status]
                style += f"background:{STATUS_COLORS[status]};color:{color};"
            cells.append(f'<td style="{style}">{_e(cell)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    # the table sits in a block of its layout box: what does not fit overflows that block, where
    # the text-fit test measures it (the table itself is only as tall as its rows)
    return (
        f'<div class="a fit" style="{_pos(box)}"><table style="width:100%;font-size:{t.font_pt}pt">'
        f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def note(content: str) -> str:
    if not content:
        return ""
    return text(layout.note_box(content), [content], pt=layout.note_pt(content), color=MUTED, anchor="bottom")


# ------------------------------------------------------------------------------- slides


def draw_title(s: Slide) -> str:
    out = [rect(Box(0, 0, layout.SLIDE_W, 0.22), fill=PRIMARY)]
    pt = layout.fit_pt([s.title], Box(0, 0, 11.3, 1.5), max_pt=36, min_pt=24)
    out.append(text(Box(1.0, 1.7, 11.3, 1.5), [s.title], pt=pt, bold=True, anchor="bottom", tag="h1"))
    sub = layout.TITLE_SUBTITLE
    pt = layout.fit_pt([s.subtitle], sub, max_pt=22, min_pt=14)
    out.append(text(sub, [s.subtitle], pt=pt, color=PRIMARY, bold=True))
    lines = layout.TITLE_LINES
    pt = layout.fit_pt(s.paragraphs, lines, max_pt=12, min_pt=9, gap_pt=4)
    out.append(text(lines, s.paragraphs, pt=pt, color=MUTED, gap_pt=4))
    if s.note:
        box = Box(1.0, 5.55, 11.3, 0.9)
        out.append(rect(box, fill="#FFF8C5", line="#D4A72C", rounded=True))
        pt = layout.fit_pt([s.note], Box(0, 0, box.w - 0.4, box.h - 0.2), max_pt=13, min_pt=9)
        inner = Box(box.x + 0.2, box.y, box.w - 0.4, box.h)
        out.append(text(inner, [s.note], pt=pt, color="#6F4E00", anchor="middle"))
    return "".join(out)


def draw_board(s: Slide) -> str:
    out = []
    for i, row in enumerate(s.board):
        rbox = layout.board_row(i)
        head = Box(rbox.x, rbox.y, layout.BOARD_AREA_W, rbox.h)
        pt = layout.fit_pt([row.title], head, max_pt=11, min_pt=8)
        out.append(text(head, [row.title], pt=pt, bold=True, anchor="middle"))
        for j, chip in enumerate(row.chips):
            cbox = layout.board_chip(rbox, j)
            out.append(
                rect(
                    cbox,
                    fill=STATUS_COLORS[chip.status],
                    line="#8C959F" if chip.status in DASHED else STATUS_COLORS[chip.status],
                    rounded=True,
                    dashed=chip.status in DASHED,
                )
            )
            inner = Box(cbox.x + 0.08, cbox.y + 0.03, cbox.w - 0.16, cbox.h - 0.06)
            texts, chip_pt = layout.chip_texts(
                f"{chip.item_no} {chip.title}", chip.label, chip.due, Box(0, 0, inner.w, inner.h)
            )
            color = STATUS_TEXT[chip.status]
            # the item in bold, its status under it, then the due dates of its judged targets
            body = f'<p style="font-weight:700">{_e(texts[0])}</p>' + "".join(f"<p>{_e(x)}</p>" for x in texts[1:])
            out.append(f'<div class="a t mid" style="{_pos(inner)}font-size:{chip_pt}pt;color:{color}">{body}</div>')
    return "".join(out)


def slide_html(pack: Pack, i: int, s: Slide, images: Mapping[str, bytes]) -> str:
    parts: list[str] = []
    if s.kind == "title":
        parts += [draw_title(s), frame(pack, i, None)]
    else:
        parts.append(frame(pack, i, s.title))
        if s.kind == "cards":
            parts += [card(b, c, value_pt=26) for b, c in zip(layout.cards_grid(), s.cards, strict=False)]
        elif s.kind == "board":
            parts.append(draw_board(s))
        elif s.kind == "map":
            if s.chart is not None:
                parts.append(picture(s.chart.box, images[s.chart.key], s.chart.alt))
            if s.table is not None:
                parts.append(table(layout.above(layout.LEAGUE, s.note), s.table))
        elif s.kind in ("area", "follow_up", "areas_ok"):  # a table and a note
            if s.table is not None:
                parts.append(table(layout.above(layout.AREA_TABLE, s.note), s.table))
        elif s.kind == "next_steps":
            for head, heading, box, t, empty in zip(
                layout.NEXT_HEADINGS, s.headings, layout.NEXT_TABLES, (s.table, s.side_table), s.paragraphs, strict=True
            ):
                pt = layout.fit_pt([heading], head, max_pt=15, min_pt=10)
                parts.append(text(head, [heading], pt=pt, bold=True, color=PRIMARY, anchor="bottom", tag="h2"))
                box = layout.above(box, s.note)
                if t is not None and t.rows:
                    parts.append(table(box, t))
                elif empty:
                    parts.append(text(box, [empty], pt=layout.fit_pt([empty], box, max_pt=13, min_pt=9), color=MUTED))
        elif s.kind == "highlights":
            parts += [card(b, c, value_pt=22) for b, c in zip(layout.highlight_grid(s.note), s.cards, strict=False)]
            if s.chart is not None:
                parts.append(picture(s.chart.box, images[s.chart.key], s.chart.alt))
        elif s.kind == "summary":
            box = layout.above(layout.SUMMARY_TEXT, s.note)
            pt = layout.fit_pt(s.paragraphs, box, max_pt=16, min_pt=9, gap_lines=0.5)
            parts.append(text(box, s.paragraphs, pt=pt, gap_pt=pt * 0.5 * layout.LINE_SPACING))
            if s.chart is not None:
                parts.append(picture(s.chart.box, images[s.chart.key], s.chart.alt))
        else:
            raise ValueError(f"unknown slide kind {s.kind!r}")
        if s.legend:
            parts.append(legend(layout.LEGENDS[s.kind], s.legend))
        parts.append(note(s.note))
    return f'<section class="slide">{"".join(parts)}</section>'


def render_html(pack: Pack, images: Mapping[str, bytes]) -> str:
    """The whole pack as one HTML document, a page per slide; ``images`` maps chart keys to PNGs."""
    lang = "zh-CN" if pack.lang == "zh" else "en"
    body = "".join(slide_html(pack, i, s, images) for i, s in enumerate(pack.slides))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_e(pack.title)}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )
