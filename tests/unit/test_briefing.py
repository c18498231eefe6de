"""The meeting pack (ui.briefing): its content against the overview page and the Parquet files,
the geometry helpers on hand-worked numbers, and the two files it writes, opened the way a
reader opens them (python-pptx, pypdf).

The files are made once per session for the bundled data (a browser session takes seconds);
without Chromium those tests skip, except in CI, where a skip would hide a missing install.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from PIL import Image

from analytics import db
from tests.app.test_pages import run_page
from tests.ci import missing
from ui.briefing import FORMATS, Pack, Request, browser, build_pack, layout, make_files
from ui.briefing import __main__ as cli
from ui.briefing.build import plain
from ui.briefing.figures import spread_labels
from ui.i18n import LANGS, catalog
from views.format import value as fmt_value

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
JUNE = dt.date(2023, 6, 30)
DECEMBER = dt.date(2023, 12, 31)
KINDS = ["title", "follow_up", "cards", "board", "map", *["area"] * 9, "highlights", "highlights", "summary"]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return db.connect(DATA)


@pytest.fixture(scope="module")
def june_zh(con: duckdb.DuckDBPyConnection) -> Pack:
    return build_pack(con.cursor(), Request("zh", 2023, JUNE), data_dir=DATA)


# --- layout: text fitting and map labels, numbers by hand --------------------------------------


def test_text_width_counts_chinese_as_one_em_and_latin_as_a_little_over_half() -> None:
    assert layout.text_width_em("长沙市") == 3.0
    assert layout.text_width_em("ab") == pytest.approx(2 * layout.LATIN_EM)
    assert layout.text_width_em("长沙 12") == pytest.approx(2 + 3 * layout.LATIN_EM)


def test_lines_needed_wraps_at_the_box_width() -> None:
    # 1 in at 12 pt holds 72 / 12 = 6 Chinese characters a line: 6 fit one line, 7 need two
    assert layout.lines_needed("一二三四五六", 1.0, 12) == 1
    assert layout.lines_needed("一二三四五六七", 1.0, 12) == 2
    assert layout.lines_needed("一二\n三", 1.0, 12) == 2  # a line break is a line


def test_fit_pt_takes_the_largest_size_that_fits() -> None:
    # 12 characters in a 1 in × 0.5 in box: at 12 pt, 2 lines × 12 × 1.25 = 30 pt ≤ 36 pt: fits
    box = layout.Box(0, 0, 1.0, 0.5)
    assert layout.fit_pt(["一" * 12], box, max_pt=12, min_pt=6) == 12
    # 13 characters: at 12 pt 6 a line → 3 lines (45 pt > 36); at 11.5 pt 6.26 a line → still 3
    # (43.1 pt); at 11 pt 6.55 a line → 2 lines (27.5 pt): 11 pt
    assert layout.fit_pt(["一" * 13], box, max_pt=12, min_pt=6) == 11


def test_legend_wraps_to_a_second_row_only_when_smaller_type_does_not_fit() -> None:
    items = [("已完成", "#000000"), ("滞后", "#ffffff")]
    one_row = layout.legend_items(layout.Box(0, 0, 10, 0.45), items)
    assert {i.label.y for i in one_row} == {0} and one_row[0].pt == 11
    narrow = layout.legend_items(layout.Box(0, 0, 1.2, 0.45), items)
    assert len({i.label.y for i in narrow}) == 2


def test_a_cards_status_chip_stays_inside_the_card() -> None:
    room = layout.Box(0, 0, 2.0, 0.27)
    # "√ 已完成": 1 + 1 × 0.58 (space) + 3 em ≈ 4.6 em × 10 pt / 72 + 0.24 ≈ 0.88 in: fits at 10 pt
    chip, pt = layout.card_chip("√ 已完成", room)
    assert pt == layout.CHIP_PT and chip.w == pytest.approx(layout.chip_width("√ 已完成"))
    # 30 characters, mostly Latin: about 2.6 in at 10 pt, wider than the card: smaller type, inside it
    label = "(√) Done late (reached 31 Jul)"
    assert layout.chip_width(label) > room.w
    chip, pt = layout.card_chip(label, room)
    assert pt < layout.CHIP_PT and chip.w <= room.w and layout.chip_width(label, pt) <= room.w


def test_spread_labels_moves_overlapping_labels_apart_and_leaves_others() -> None:
    # two one-line labels 13 px tall at the same latitude, 10 px apart: they overlap
    scale, ratio = 100.0, 1.0  # 100 px a degree both ways
    moved = spread_labels([(0.0, 0.0), (0.1, 0.0), (5.0, 5.0)], ["长沙", "株洲", "永州"], scale=scale, ratio=ratio)
    gap_px = abs(moved[0] - moved[1]) * scale
    assert gap_px >= 13 * 1.25  # at least a label's height apart
    assert moved[2] == pytest.approx(5.0)  # the far one stays at its centroid


def test_plain_definition_drops_the_column_names_in_brackets() -> None:
    text = "有2名及以上家庭健康指导员的村（社区）数 ÷ 村（社区）总数（villages_with_2_instructors ÷ villages_total）。"
    assert plain(text) == "有2名及以上家庭健康指导员的村（社区）数 ÷ 村（社区）总数。"


# --- nothing is fetched ----------------------------------------------------------------------


def test_the_chart_page_loads_no_script_from_the_network() -> None:
    """kaleido's page with the settings browser.py uses: plotly.js from the plotly package, no MathJax."""
    from kaleido import PageGenerator

    page = PageGenerator(mathjax=False).generate_index()
    assert "http://" not in page and "https://" not in page, page
    assert "plotly.min.js" in page


def test_the_browser_resolves_no_host_name() -> None:
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in browser.OFFLINE_FLAGS
    assert "--disable-background-networking" in browser.OFFLINE_FLAGS


# --- the catalogs -----------------------------------------------------------------------------

KEY_CALL = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")


def test_every_key_the_pack_uses_exists_in_both_languages() -> None:
    used: set[str] = set()
    for path in (ROOT / "ui" / "briefing").glob("*.py"):
        used |= set(KEY_CALL.findall(path.read_text(encoding="utf-8")))
    assert "briefing.title" in used, "the pattern is stale"
    for lang in LANGS:
        assert not used - set(catalog(lang)), (lang, sorted(used - set(catalog(lang))))


# --- the command line -------------------------------------------------------------------------


def test_cli_default_date_is_the_dashboards() -> None:
    from ui.state import default_as_of

    for through in (None, "2023-05-31", "2022-12-31", "2024-02-29"):
        status = pd.DataFrame({"progress_through": [pd.Timestamp(through) if through else None]})
        assert cli.default_as_of(status, 2023) == default_as_of(status, 2023), through


def test_cli_takes_a_prefecture_by_code_or_name(con: duckdb.DuckDBPyConnection) -> None:
    assert cli.resolve_region(con.cursor(), "430100") == "430100"
    assert cli.resolve_region(con.cursor(), "长沙") == "430100"
    assert cli.resolve_region(con.cursor(), "changsha") == "430100"
    with pytest.raises(SystemExit):
        cli.resolve_region(con.cursor(), "北京")


# --- the content ------------------------------------------------------------------------------


def test_pack_has_every_slide_the_meeting_asks_for(june_zh: Pack) -> None:
    assert [s.kind for s in june_zh.slides] == KINDS
    assert june_zh.demo and june_zh.demo_label == catalog("zh")["briefing.demo_label"]
    board = june_zh.slides[3].board
    assert len(board) == 9 and sum(len(row.chips) for row in board) == 33
    assert [c.item_no for row in board for c in row.chips] == list(range(1, 34))
    assert len(june_zh.slides[2].cards) == 8  # the overview's seven and the status counts
    assert len(june_zh.slides[4].table.rows) == 14  # type: ignore[union-attr]  # every prefecture ranked
    assert {c.key for c in june_zh.charts} == {"map", "childcare", "training", "summary"}


def _read(folder: str) -> pd.DataFrame:
    df: pd.DataFrame = pq.read_table(DATA / folder).to_pandas()
    return df


def _coverage(prefecture: str | None, as_of: dt.date) -> float:
    """Villages with ≥ 2 instructors in their latest report ÷ all villages, straight from the Parquet files."""
    villages = _read("reference/regions")
    villages = villages[villages["level"] == "village"]
    if prefecture:
        villages = villages[villages["prefecture_code"] == prefecture]
    inst = _read("exports/instructors")
    inst = inst[inst["period_end"] <= as_of].sort_values("period_end")
    latest = inst.groupby("region_code")["instructors_in_post"].last()
    return float(latest.reindex(villages["region_code"]).ge(2).sum() / len(villages))


@pytest.mark.parametrize("region", ["430000", "430100", "433100"])
def test_instructor_card_matches_the_parquet_files(con: duckdb.DuckDBPyConnection, region: str) -> None:
    pack = build_pack(con.cursor(), Request("zh", 2023, JUNE, region), data_dir=DATA)
    card = next(c for c in pack.slides[2].cards if c.title == catalog("zh")["overview.card.instructors"])
    assert card.value == f"{_coverage(None if region == '430000' else region, JUNE):.1%}"


def test_money_is_counted_in_wan_yuan_in_chinese_and_whole_yuan_in_english() -> None:
    ind = pd.Series({"target_rule": "total", "unit_en": "yuan"})
    assert fmt_value(1_714_800, ind, "zh") == "171.5 万元"
    assert fmt_value(1_714_800, ind, "en") == "¥1,714,800"
    assert fmt_value(None, ind, "zh") == "—"  # missing stays missing


CARD = re.compile(
    r'font-weight:600;min-height:2.6em">(?P<title>[^<]*)</div>'
    r'<div (?:class="[^"]*" )?style="font-size:1.9rem;font-weight:700;color:#1f2328;line-height:1.2">(?P<value>[^<]*)</div>'
)


@pytest.mark.parametrize(
    ("lang", "as_of", "region"),
    [("zh", JUNE, "430000"), ("en", DECEMBER, "430100")],
)
def test_headline_cards_and_summary_are_what_the_overview_page_shows(
    con: duckdb.DuckDBPyConnection, lang: str, as_of: dt.date, region: str
) -> None:
    """The running overview page (AppTest) and the pack show the same cards and the same paragraph."""
    at = run_page("pages/home.py", lang=lang, as_of=as_of.isoformat(), region=region)
    assert not at.exception
    shown = [m.groupdict() for h in at.get("html") for m in CARD.finditer(h.proto.body)]
    pack = build_pack(con.cursor(), Request(lang, 2023, as_of, region), data_dir=DATA)
    cards = pack.slides[2].cards[:7]
    assert [{"title": c.title, "value": c.value} for c in cards] == shown
    paragraph = "".join(pack.slides[-1].paragraphs) if lang == "zh" else " ".join(pack.slides[-1].paragraphs)
    assert paragraph in [m.value for m in at.markdown]


def test_a_pack_of_other_data_builds_and_renders(tiny_dir: Path, tiny_con: duckdb.DuckDBPyConnection) -> None:
    """The tiny fixture: other indicators, one area, real (not demo) data, no boundaries, no
    childcare indicators. The pack says "no data" where the data has nothing, and no demo label."""
    from pptx import Presentation

    from ui.briefing import to_html, to_pptx

    pack = build_pack(tiny_con.cursor(), Request("en", 2023, JUNE), data_dir=tiny_dir)
    assert [s.kind for s in pack.slides] == [
        "title",
        "follow_up",
        "cards",
        "board",
        "map",
        "area",
        "highlights",
        "highlights",
        "summary",
    ]
    assert not pack.demo and pack.demo_label == "" and pack.slides[0].note == ""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    images = {c.key: buffer.getvalue() for c in pack.charts}
    deck = Presentation(io.BytesIO(to_pptx.render_pptx(pack, images)))
    assert len(deck.slides) == 9
    page = to_html.render_html(pack, images)
    assert page.count('<section class="slide">') == 9
    assert catalog("en")["briefing.demo_label"] not in page


# --- the files ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def files() -> tuple[Pack, dict[str, bytes]]:
    """Both formats of the June pack for the bundled data (the overview's default view but June:
    more statuses on the slides than in December)."""
    if not browser.CHROMIUM.exists():
        missing(f"no Chromium at {browser.CHROMIUM}: install it (apt-get install chromium; .ci/run does)")
    con = db.connect(DATA)
    pack = build_pack(con, Request("zh", 2023, JUNE), data_dir=DATA)
    return pack, make_files(con, Request("zh", 2023, JUNE), data_dir=DATA, formats=FORMATS)


def _colours(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.thumbnail((200, 200))
    return len(image.getcolors(maxcolors=200 * 200) or [])


def test_pptx_slides_titles_date_and_text(files: tuple[Pack, dict[str, bytes]]) -> None:
    from pptx import Presentation
    from pptx.oxml.ns import qn

    pack, out = files
    deck = Presentation(io.BytesIO(out["pptx"]))
    assert len(deck.slides) == len(pack.slides) == 17
    assert round(deck.slide_width / deck.slide_height, 2) == round(16 / 9, 2)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles == [s.title for s in pack.slides]
    for i, slide in enumerate(deck.slides):
        text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        assert JUNE.isoformat() in text, f"slide {i + 1} has no as-of date"
        assert pack.demo_label in text, f"slide {i + 1} has no demo label"
        assert f"{i + 1} / 17" in text
    # the overview's headline number, as text on the cards slide
    cards_text = "\n".join(sh.text_frame.text for sh in deck.slides[2].shapes if sh.has_text_frame)
    for card in pack.slides[2].cards:
        assert card.value in cards_text
    # Chinese as real text, every run naming its East Asian font
    runs = [
        r for s in deck.slides for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs
    ]
    assert any("湖南省计划生育协会" in r.text for r in runs)
    for r in runs:
        ea = r._r.find(qn("a:rPr")).find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == "Noto Sans CJK SC", r.text
    # tables are tables: the follow-up list, the league and the nine areas
    tables = [sh for s in deck.slides for sh in s.shapes if sh.has_table]
    assert len(tables) == 11
    follow_up = tables[0].table
    assert [follow_up.cell(0, c).text for c in range(6)] == list(pack.slides[1].table.columns)  # type: ignore[union-attr]
    league = tables[1].table
    assert league.cell(1, 1).text and len(league.rows) == 15


def test_pptx_pictures_are_charts(files: tuple[Pack, dict[str, bytes]]) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    _, out = files
    deck = Presentation(io.BytesIO(out["pptx"]))
    pictures = [sh for s in deck.slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 4
    for pic in pictures:
        blob = pic.image.blob
        assert blob.startswith(b"\x89PNG") and len(blob) > 10_000
        assert _colours(blob) > 5, "an empty (one-colour) chart"
        assert pic._element.nvPicPr.cNvPr.get("descr")  # described in words


def test_pdf_pages_text_fonts_and_images(files: tuple[Pack, dict[str, bytes]]) -> None:
    from pypdf import PdfReader

    pack, out = files
    pdf = PdfReader(io.BytesIO(out["pdf"]))
    assert len(pdf.pages) == 17
    for i, page in enumerate(pdf.pages):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((960, 540), abs=1)
        text = page.extract_text()
        assert JUNE.isoformat() in text and pack.demo_label in text, f"page {i + 1}"
    first = pdf.pages[0].extract_text()
    assert "湖南省计划生育协会2023年工作要点落实情况" in first
    # look-alike Kangxi radicals in place of 生 or 长 would mean a font whose text cannot be searched
    assert not re.search("[\u2e80-\u2fdf]", "".join(p.extract_text() for p in pdf.pages))
    # the follow-up list's rows on page 2, as text
    follow_up = pdf.pages[1].extract_text()
    assert all(r[0] in follow_up and r[3] in follow_up for r in pack.slides[1].table.rows)  # type: ignore[union-attr]
    cards = pdf.pages[2].extract_text()
    for card in pack.slides[2].cards:
        assert card.value in cards
    assert [o.title for o in pdf.outline] == [s.title for s in pack.slides]  # a bookmark per slide
    # every font is embedded: a font file, or Type 3 glyphs drawn in the file itself
    fonts = {}
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font.get("/BaseFont", font.indirect_reference)] = font
    for name, font in fonts.items():
        if font["/Subtype"] == "/Type3":
            assert font["/CharProcs"], name
            continue
        desc = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
        assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
    images = [img for page in pdf.pages for img in page.images]
    assert len(images) == 4
    for img in images:
        assert _colours(img.data) > 5
