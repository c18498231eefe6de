"""The phone layout (issue 20, item 2) in a real browser at 390 × 844, a link opened on a phone.

ui/layout_css.py holds the rules (under 640 px): columns two per row, the scorecard as a
traffic-light list, no chart toolbar, nothing wider than the screen.
"""

from __future__ import annotations

import pytest

from tests.e2e.app_page import AppPage
from tests.e2e.test_pages import page_path
from ui.nav import PAGES, PageSpec

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}

# the widest thing in the page frame, against the screen: the document and the main area (which
# scrolls on its own)
_SIDEWAYS_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return {inner: window.innerWidth, doc: document.documentElement.scrollWidth,
          main: main ? main.scrollWidth : 0, mainClient: main ? main.clientWidth : 0};
}
"""

# boxes of the visible plotly mode bars
_MODEBARS_JS = """() => [...document.querySelectorAll('.modebar-container, .modebar')]
  .filter((e) => e.checkVisibility() && e.getBoundingClientRect().width > 0).length"""


def open_on_phone(new_tab, path: str) -> AppPage:
    tab: AppPage = new_tab()
    tab.page.set_viewport_size(PHONE)
    return tab.open(path, lang="zh")


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_no_page_scrolls_sideways_and_no_chart_toolbar(spec: PageSpec, new_tab) -> None:
    tab = open_on_phone(new_tab, page_path(spec))
    tab.wait_for_charts()
    widths = tab.page.evaluate(_SIDEWAYS_JS)
    assert widths["inner"] == PHONE["width"], widths
    assert widths["doc"] <= widths["inner"], f"{spec.url_path} scrolls sideways: {widths}"
    assert widths["main"] <= widths["mainClient"], f"{spec.url_path}'s main area scrolls sideways: {widths}"
    assert tab.page.evaluate(_MODEBARS_JS) == 0, f"{spec.url_path} shows a chart toolbar"
    # the notices are one small tag: its line is short
    notice = tab.page.locator('[data-testid="stMain"] details.fpa-notice summary')
    if notice.count():
        box = notice.first.bounding_box()
        assert box is not None and box["height"] <= 60, f"the notice tag takes {box} on a phone"


def test_the_overview_first_screen_shows_a_figure(new_tab) -> None:
    """The first screen (the top 844 px) shows a card's figure, or the follow-up list's first
    prefecture when that list heads the overview."""
    tab = open_on_phone(new_tab, "/")
    main = tab.page.locator('[data-testid="stMain"]')
    follow_up = main.locator("h3", has_text="督办清单")
    if follow_up.count():
        grid = follow_up.first.locator("xpath=following::*[@data-testid='stDataFrame'][1]")
        box = grid.bounding_box()
        assert box is not None, "the follow-up list has no table"
        # the header row and the first row (about 35 px each) are on the first screen
        assert box["y"] + 2 * 35 <= PHONE["height"], f"the follow-up list's first row is below the first screen: {box}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, (
            f"the list is wider than the screen: {box}"
        )
    else:
        value = main.locator(".fpa-card-value").first
        box = value.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], (
            f"no card figure on the first screen: {box}"
        )
        assert value.inner_text().strip()


# every text box of the scorecard list, with its own and its row's index
_LIST_BOXES_JS = """
() => {
  const list = document.querySelector('.fpa-sc-list');
  if (!list || !list.checkVisibility()) return null;
  const out = [];
  list.querySelectorAll('.fpa-sc-row').forEach((row, r) => {
    row.querySelectorAll('.fpa-sc-name, .fpa-sc-cell, .fpa-sc-issues').forEach((el) => {
      const b = el.getBoundingClientRect();
      out.push({row: r, cls: el.className, text: el.innerText, x: b.left, y: b.top, w: b.width, h: b.height,
                scrollW: el.scrollWidth, clientW: el.clientWidth});
    });
  });
  return out;
}
"""


def test_the_scorecard_is_a_readable_list_on_a_phone(new_tab) -> None:
    """The attainment page's scorecard on a phone: one row per prefecture, none of its labels
    overlapping another (by element boxes), all inside the screen; the slanted grid hidden."""
    tab = open_on_phone(new_tab, "/attainment")
    grid = tab.page.locator(".st-key-fpa_desktop_scorecard")
    assert grid.count() == 1 and not grid.is_visible(), "the desktop grid should be hidden on a phone"
    boxes = tab.page.evaluate(_LIST_BOXES_JS)
    assert boxes, "the scorecard list is not shown on a phone"
    names = [b for b in boxes if b["cls"] == "fpa-sc-name"]
    assert len(names) == 14, f"one row per prefecture: {[n['text'] for n in names]}"
    for b in boxes:
        assert b["w"] > 0 and b["h"] > 0, b
        assert b["x"] >= 0 and b["x"] + b["w"] <= PHONE["width"] + 0.5, f"outside the screen: {b}"
        assert b["scrollW"] <= b["clientW"] + 1, f"text cut off: {b}"
        if b["cls"] == "fpa-sc-name":
            assert b["h"] >= 14, f"a name too small to read: {b}"
    overlaps = [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 0.5
        and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 0.5
    ]
    assert not overlaps, f"labels of the scorecard list overlap: {overlaps[:5]}"


def test_the_desktop_keeps_the_grid(new_tab) -> None:
    tab: AppPage = new_tab().open("/attainment", lang="zh")
    assert tab.page.locator(".st-key-fpa_desktop_scorecard").is_visible()
    assert not tab.page.locator(".st-key-fpa_phone_scorecard").is_visible()
