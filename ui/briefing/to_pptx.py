"""The pack as a PowerPoint deck (python-pptx): real text in text frames and tables, charts as pictures.

Every run names its fonts: the Latin one and the East Asian one (``a:ea``), so PowerPoint
and LibreOffice set the Chinese in a Chinese font rather than guessing from the Latin name,
and mark it ``zh-CN`` for spelling and line breaking. The font is Microsoft YaHei (微软雅黑),
which every Windows PC since Vista and Office for Mac have. A run names one font only, so
the fallback is said the ways the format allows: each font element carries YaHei's PANOSE
number, pitch family and GB2312 character set, from which PowerPoint picks a similar Chinese
sans where YaHei is missing, and LibreOffice asks fontconfig, which for zh-CN text answers
the dashboard's font, Noto Sans CJK SC (``fc-match "Microsoft YaHei:lang=zh-cn"``). The
deck's theme names YaHei too (it had Calibri and 宋体), for text that names no font. Sizes and places come from
ui.briefing.layout, shared with the PDF. Every slide's notes hold the figures behind it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide as PptxSlide
from pptx.text.text import TextFrame, _Run
from pptx.util import Emu, Pt

from ui.briefing import layout
from ui.briefing.layout import Box
from ui.briefing.model import Card, Pack, Slide, Table
from ui.theme import DASHED, PRIMARY, STATUS_COLORS, STATUS_TEXT

FONT = "Microsoft YaHei"  # Latin and East Asian: the Chinese sans that office PCs have
# how PowerPoint finds a stand-in where FONT is missing: YaHei's PANOSE classification, a
# variable-pitch sans (pitch family 34) and the GB2312 character set (-122)
FONT_ATTRS = 'panose="020B0503020204020204" pitchFamily="34" charset="-122"'
TEXT = "1f2328"
MUTED = "57606a"
BORDER = "d0d7de"
HEADER_FILL = "f6f8fa"
EMU_PER_IN = 914400


def _emu(inches: float) -> Emu:
    return Emu(round(inches * EMU_PER_IN))


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def style_run(run: _Run, *, pt: float, bold: bool = False, color: str = TEXT) -> None:
    """Size, weight, colour, the Latin and East Asian fonts and the language of one run.

    The run's properties are written as one piece of XML (python-pptx's setters, one
    element at a time, made this the deck's slowest step): size, bold, language, the colour,
    then ``a:latin``, ``a:ea`` and ``a:cs``, in the schema's order.
    """
    r = run._r
    old = r.find(qn("a:rPr"))
    if old is not None:
        r.remove(old)
    rpr = parse_xml(
        f'<a:rPr {nsdecls("a")} lang="zh-CN" altLang="en-US" sz="{round(pt * 100)}" b="{1 if bold else 0}">'
        f'<a:solidFill><a:srgbClr val="{color.lstrip("#").upper()}"/></a:solidFill>'
        f'<a:latin typeface="{FONT}" {FONT_ATTRS}/><a:ea typeface="{FONT}" {FONT_ATTRS}/>'
        f'<a:cs typeface="{FONT}" {FONT_ATTRS}/></a:rPr>'
    )
    r.insert(0, rpr)


def write(
    frame: TextFrame,
    paragraphs: Sequence[str],
    *,
    pt: float,
    bold: bool = False,
    color: str = TEXT,
    align: str = "l",
    anchor: str = "top",
    space_after_pt: float = 0.0,
) -> None:
    """Replace ``frame``'s text with ``paragraphs``, one paragraph each, no insets, wrapped."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[anchor]
    for i, text in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = {"l": PP_ALIGN.LEFT, "r": PP_ALIGN.RIGHT, "c": PP_ALIGN.CENTER}[align]
        # exact spacing in points, as the PDF's CSS line-height: a multiple would be of the
        # font's own line height, which for Noto Sans CJK is about 1.45 em, not 1
        para.line_spacing = Pt(pt * layout.LINE_SPACING)
        if space_after_pt and i < len(paragraphs) - 1:
            para.space_after = Pt(space_after_pt)
        run = para.add_run()
        run.text = text
        style_run(run, pt=pt, bold=bold, color=color)


def textbox(slide: PptxSlide, box: Box, paragraphs: Sequence[str], **style: object) -> Shape:
    shape = slide.shapes.add_textbox(_emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))
    write(shape.text_frame, paragraphs, **style)  # type: ignore[arg-type]
    return shape


def rect(
    slide: PptxSlide,
    box: Box,
    *,
    fill: str | None,
    line: str | None = None,
    rounded: bool = False,
    dashed: bool = False,
) -> Shape:
    shape = slide.shapes.add_shape(
        MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE,
        _emu(box.x),
        _emu(box.y),
        _emu(box.w),
        _emu(box.h),
    )
    if rounded:
        shape.adjustments[0] = min(0.12, 0.06 / max(min(box.w, box.h), 0.01))
    if fill is None:
        shape.fill.background()
    else:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(fill)
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = _rgb(line)
        shape.line.width = Pt(1)
        if dashed:
            from pptx.enum.dml import MSO_LINE_DASH_STYLE

            shape.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    shape.shadow.inherit = False
    return shape


# ------------------------------------------------------------------------------- the frame


def frame(slide: PptxSlide, pack: Pack, i: int, title: str | None) -> None:
    """The slide's title (the layout's title placeholder, so the outline lists it), footer, page number.

    ``title`` None: the slide draws its own (the title slide)."""
    title_shape = slide.shapes.title
    if title_shape is not None and title is not None:
        box = layout.TITLE
        title_shape.left, title_shape.top = _emu(box.x + 0.22), _emu(box.y)
        title_shape.width, title_shape.height = _emu(box.w - 0.22), _emu(box.h)
        pt = layout.fit_pt([title], Box(0, 0, box.w - 0.22, box.h), max_pt=26, min_pt=18)
        write(title_shape.text_frame, [title], pt=pt, bold=True, anchor="middle")
        rect(slide, Box(layout.MARGIN, box.y + 0.12, 0.08, box.h - 0.24), fill=PRIMARY)
    foot = layout.FOOTER
    rect(slide, Box(foot.x, foot.y - 0.06, foot.w, 0.01), fill=BORDER)
    textbox(slide, Box(foot.x, foot.y, foot.w * 0.6, foot.h), [pack.footer], pt=10, color=MUTED, anchor="middle")
    if pack.demo_label:
        label = Box(foot.x + foot.w * 0.62, foot.y + 0.03, layout.chip_width(pack.demo_label, 10), foot.h - 0.06)
        chip = rect(slide, label, fill="FFF8C5", line="D4A72C", rounded=True)
        write(chip.text_frame, [pack.demo_label], pt=10, bold=True, color="9A6700", align="c", anchor="middle")
    textbox(
        slide,
        Box(foot.x + foot.w - 1.2, foot.y, 1.2, foot.h),
        [pack.page_label(i)],
        pt=10,
        color=MUTED,
        align="r",
        anchor="middle",
    )


def picture(slide: PptxSlide, box: Box, png: bytes, alt: str) -> None:
    pic = slide.shapes.add_picture(io.BytesIO(png), _emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))
    # the picture's description: what a screen reader says, and what a search of the deck finds
    pic._element.nvPicPr.cNvPr.set("descr", alt)


def legend(slide: PptxSlide, box: Box, items: Sequence[tuple[str, str]]) -> None:
    for item in layout.legend_items(box, items):
        rect(slide, item.square, fill=item.color, line=BORDER)
        textbox(slide, item.label, [item.text], pt=item.pt, color=MUTED, anchor="middle")


# ------------------------------------------------------------------------------- blocks


def card(slide: PptxSlide, box: Box, c: Card, *, value_pt: float) -> None:
    parts = layout.card_parts(box)
    rect(slide, box, fill="FFFFFF", line=BORDER)
    rect(slide, parts.bar, fill=STATUS_COLORS[c.status])
    title_pt = layout.fit_pt([c.title], parts.title, max_pt=layout.CARD_TITLE_PT, min_pt=9)
    textbox(slide, parts.title, [c.title], pt=title_pt, bold=True)
    fit_value = layout.fit_pt([c.value], parts.value, max_pt=value_pt, min_pt=14)
    textbox(slide, parts.value, [c.value], pt=fit_value, bold=True, anchor="middle")
    lines_box = parts.lines_without_chip
    if c.status_text:
        chip_box, chip_pt = layout.card_chip(c.status_text, parts.chip)
        chip = rect(slide, chip_box, fill=STATUS_COLORS[c.status], rounded=True)
        write(
            chip.text_frame,
            [c.status_text],
            pt=chip_pt,
            color=STATUS_TEXT[c.status],
            align="c",
            anchor="middle",
        )
        lines_box = parts.lines
    if not c.lines:
        return
    pt = layout.fit_pt(c.lines, lines_box, max_pt=10.5, min_pt=7.5, gap_pt=2)
    if c.line_status:
        # a coloured square before each line (the status counts)
        step, line_pt = layout.status_lines(lines_box, len(c.lines), pt)
        side = min(0.16, step * 0.8)
        for j, (text, status) in enumerate(zip(c.lines, c.line_status, strict=True)):
            y = lines_box.y + j * step
            rect(slide, Box(lines_box.x, y + (step - side) / 2, side, side), fill=STATUS_COLORS[status])
            box = Box(lines_box.x + 0.26, y, lines_box.w - 0.26, step)
            textbox(slide, box, [text], pt=line_pt, color=TEXT, anchor="middle")
        return
    textbox(slide, lines_box, c.lines, pt=pt, color=MUTED, space_after_pt=2)


def table(slide: PptxSlide, box: Box, t: Table) -> None:
    total = sum(t.widths)
    widths = [w / total * box.w for w in t.widths]
    n_rows = len(t.rows) + 1
    # rows take the height their text needs (PowerPoint grows a row to its text), the header first
    heights = [
        max(
            layout.lines_needed(cell, w - 2 * layout.CELL_MARGIN_X, t.font_pt)
            for cell, w in zip(row, widths, strict=True)
        )
        * t.font_pt
        * layout.LINE_SPACING
        / 72
        + 2 * layout.CELL_MARGIN_Y
        + layout.RULE_IN
        for row in (t.columns, *t.rows)
    ]
    shape = slide.shapes.add_table(n_rows, len(t.columns), _emu(box.x), _emu(box.y), _emu(box.w), _emu(sum(heights)))
    tbl = shape.table
    tbl.first_row = True
    tbl.horz_banding = False
    for j, w in enumerate(widths):
        tbl.columns[j].width = _emu(w)
    for i, h in enumerate(heights):
        tbl.rows[i].height = _emu(h)
    for i, row in enumerate((t.columns, *t.rows)):
        status = t.status[i - 1] if i and t.status else None
        for j, text in enumerate(row):
            cell = tbl.cell(i, j)
            cell.margin_left = cell.margin_right = _emu(layout.CELL_MARGIN_X)
            cell.margin_top = cell.margin_bottom = _emu(layout.CELL_MARGIN_Y)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            colored = status is not None and j == t.status_col
            fill = STATUS_COLORS[status] if colored and status else ("#" + HEADER_FILL if i == 0 else "#FFFFFF")
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(fill)
            color = TEXT
            if colored and status:
                color = STATUS_TEXT[status]
            elif i == 0:
                color = MUTED
            write(cell.text_frame, [text], pt=t.font_pt, bold=i == 0, color=color, align=t.align[j], anchor="middle")
            _bottom_border(cell)


def _bottom_border(cell: object) -> None:
    """A thin grey rule under each row (the table style's own borders are white)."""
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    for tag in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        ln = tc_pr.find(qn(tag))
        if ln is not None:
            tc_pr.remove(ln)
    # the line elements come first in tcPr, before the cell's fill
    for tag, visible in (("a:lnB", True), ("a:lnT", False), ("a:lnR", False), ("a:lnL", False)):
        ln = etree.Element(qn(tag), w=str(Pt(0.75)) if visible else "0")
        if visible:
            fill = etree.SubElement(ln, qn("a:solidFill"))
            etree.SubElement(fill, qn("a:srgbClr"), val=BORDER.upper())
        else:
            etree.SubElement(ln, qn("a:noFill"))
        tc_pr.insert(0, ln)


# ------------------------------------------------------------------------------- slides


def draw_title(slide: PptxSlide, pack: Pack, s: Slide) -> None:
    rect(slide, Box(0, 0, layout.SLIDE_W, 0.22), fill=PRIMARY)
    title = slide.shapes.title
    if title is not None:
        title.left, title.top, title.width, title.height = _emu(1.0), _emu(1.7), _emu(11.3), _emu(1.5)
        pt = layout.fit_pt([s.title], Box(0, 0, 11.3, 1.5), max_pt=36, min_pt=24)
        write(title.text_frame, [s.title], pt=pt, bold=True, anchor="bottom")
    sub = layout.TITLE_SUBTITLE
    pt = layout.fit_pt([s.subtitle], sub, max_pt=22, min_pt=14)
    textbox(slide, sub, [s.subtitle], pt=pt, color=PRIMARY, bold=True)
    lines = layout.TITLE_LINES
    pt = layout.fit_pt(s.paragraphs, lines, max_pt=12, min_pt=9, gap_pt=4)
    textbox(slide, lines, s.paragraphs, pt=pt, color=MUTED, space_after_pt=4)
    if s.note:
        box = Box(1.0, 5.55, 11.3, 0.9)
        note = rect(slide, box, fill="FFF8C5", line="D4A72C", rounded=True)
        tf = note.text_frame
        pt = layout.fit_pt([s.note], Box(0, 0, box.w - 0.4, box.h - 0.2), max_pt=13, min_pt=9)
        write(tf, [s.note], pt=pt, color="6F4E00", anchor="middle")
        tf.margin_left = tf.margin_right = _emu(0.2)


def draw_cards(slide: PptxSlide, pack: Pack, s: Slide) -> None:
    for box, c in zip(layout.cards_grid(), s.cards, strict=False):
        card(slide, box, c, value_pt=26)


def draw_board(slide: PptxSlide, pack: Pack, s: Slide) -> None:
    for i, row in enumerate(s.board):
        rbox = layout.board_row(i)
        head = Box(rbox.x, rbox.y, layout.BOARD_AREA_W, rbox.h)
        pt = layout.fit_pt([row.title], head, max_pt=11, min_pt=8)
        textbox(slide, head, [row.title], pt=pt, bold=True, anchor="middle")
        for j, chip in enumerate(row.chips):
            cbox = layout.board_chip(rbox, j)
            shape = rect(
                slide,
                cbox,
                fill=STATUS_COLORS[chip.status],
                line="8C959F" if chip.status in DASHED else STATUS_COLORS[chip.status],
                rounded=True,
                dashed=chip.status in DASHED,
            )
            tf = shape.text_frame
            inner = Box(0, 0, cbox.w - 0.16, cbox.h - 0.06)
            texts, chip_pt = layout.chip_texts(f"{chip.item_no} {chip.title}", chip.label, chip.due, inner)
            write(
                tf,
                texts,
                pt=chip_pt,
                color=STATUS_TEXT[chip.status],
                anchor="middle",
            )
            tf.margin_left = tf.margin_right = _emu(0.08)
            tf.paragraphs[0].runs[0].font.bold = True


def draw_map(slide: PptxSlide, pack: Pack, s: Slide, images: Mapping[str, bytes]) -> None:
    if s.chart is not None:
        picture(slide, s.chart.box, images[s.chart.key], s.chart.alt)
    if s.table is not None:
        table(slide, layout.above(layout.LEAGUE, s.note), s.table)
    note(slide, s.note)


def note(slide: PptxSlide, text: str) -> None:
    if text:
        textbox(slide, layout.note_box(text), [text], pt=layout.note_pt(text), color=MUTED, anchor="bottom")


def draw_area(slide: PptxSlide, pack: Pack, s: Slide) -> None:
    if s.table is not None:
        table(slide, layout.above(layout.AREA_TABLE, s.note), s.table)
    note(slide, s.note)


def draw_next_steps(slide: PptxSlide, pack: Pack, s: Slide) -> None:
    """Problems on the left, what falls due next month on the right, each under its heading."""
    for head, heading, box, t, empty in zip(
        layout.NEXT_HEADINGS, s.headings, layout.NEXT_TABLES, (s.table, s.side_table), s.paragraphs, strict=True
    ):
        pt = layout.fit_pt([heading], head, max_pt=15, min_pt=10)
        textbox(slide, head, [heading], pt=pt, bold=True, color=PRIMARY, anchor="bottom")
        box = layout.above(box, s.note)
        if t is not None and t.rows:
            table(slide, box, t)
        elif empty:
            textbox(slide, box, [empty], pt=layout.fit_pt([empty], box, max_pt=13, min_pt=9), color=MUTED)
    note(slide, s.note)


def speaker_notes(slide: PptxSlide, lines: Sequence[str]) -> None:
    """The slide's notes: the figures behind it, one paragraph each, in the deck's font."""
    frame_ = slide.notes_slide.notes_text_frame
    if frame_ is None or not lines:
        return
    frame_.clear()
    for i, line in enumerate(lines):
        para = frame_.paragraphs[0] if i == 0 else frame_.add_paragraph()
        run = para.add_run()
        run.text = line
        style_run(run, pt=12)


def theme_fonts(prs: object) -> None:
    """The theme's fonts: YaHei for Latin, East Asian and the Chinese script (``a:font
    script="Hans"``, 宋体 in python-pptx's template), for text that names no font of its own."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    part = prs.slide_masters[0].part.part_related_by(RT.THEME)  # type: ignore[attr-defined]
    root = etree.fromstring(part.blob)
    for group in ("a:majorFont", "a:minorFont"):
        for font in root.iter(qn(group)):
            for tag in ("a:latin", "a:ea"):
                el = font.find(qn(tag))
                if el is not None:
                    el.set("typeface", FONT)
            for script in font.findall(qn("a:font")):
                if script.get("script") == "Hans":
                    script.set("typeface", FONT)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def draw_highlights(slide: PptxSlide, pack: Pack, s: Slide, images: Mapping[str, bytes]) -> None:
    for box, c in zip(layout.highlight_grid(s.note), s.cards, strict=False):
        card(slide, box, c, value_pt=22)
    if s.chart is not None:
        picture(slide, s.chart.box, images[s.chart.key], s.chart.alt)
    note(slide, s.note)


def draw_summary(slide: PptxSlide, pack: Pack, s: Slide, images: Mapping[str, bytes]) -> None:
    box = layout.above(layout.SUMMARY_TEXT, s.note)
    pt = layout.fit_pt(s.paragraphs, box, max_pt=16, min_pt=9, gap_lines=0.5)
    textbox(slide, box, s.paragraphs, pt=pt, space_after_pt=pt * 0.5 * layout.LINE_SPACING)
    if s.chart is not None:
        picture(slide, s.chart.box, images[s.chart.key], s.chart.alt)
    note(slide, s.note)


# ------------------------------------------------------------------------------- the deck


def render_pptx(pack: Pack, images: Mapping[str, bytes]) -> bytes:
    """The deck as bytes; ``images`` maps each chart's key to its PNG."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = _emu(layout.SLIDE_W), _emu(layout.SLIDE_H)
    title_only = prs.slide_layouts[5]  # "Title Only": every slide's title is its real title
    for i, s in enumerate(pack.slides):
        slide = prs.slides.add_slide(title_only)
        if s.kind == "title":
            draw_title(slide, pack, s)
            frame(slide, pack, i, None)
            continue
        frame(slide, pack, i, s.title)
        if s.kind == "cards":
            draw_cards(slide, pack, s)
        elif s.kind == "board":
            draw_board(slide, pack, s)
        elif s.kind == "map":
            draw_map(slide, pack, s, images)
        elif s.kind in ("area", "follow_up", "areas_ok"):  # a table and a note
            draw_area(slide, pack, s)
        elif s.kind == "next_steps":
            draw_next_steps(slide, pack, s)
        elif s.kind == "highlights":
            draw_highlights(slide, pack, s, images)
        elif s.kind == "summary":
            draw_summary(slide, pack, s, images)
        else:
            raise ValueError(f"unknown slide kind {s.kind!r}")
        if s.legend:
            legend(slide, layout.LEGENDS[s.kind], s.legend)
    for slide, s in zip(prs.slides, pack.slides, strict=True):
        speaker_notes(slide, s.notes)
    theme_fonts(prs)
    props = prs.core_properties
    props.title = pack.title
    props.subject = pack.footer
    props.language = "zh-CN" if pack.lang == "zh" else "en-US"
    props.author = props.last_modified_by = (
        "湖南省计生协工作要点监测" if pack.lang == "zh" else "Hunan FPA work-plan monitor"
    )
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
