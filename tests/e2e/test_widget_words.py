"""Issue 20.7 in a real browser: a Chinese page's multiselect, opened, shows none of Streamlit's English.

Streamlit's frontend writes "Choose options", "Select all", "Select 14 matches" and "No results"
itself; ui/widget_words.py and each page's placeholder put the catalog's words there instead.
The checks read what the browser draws: a text node counts as shown when it is rendered and not
``visibility: hidden``; the words drawn in its place are the ``::after`` content of its element.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.e2e.app_page import AppPage
from ui.i18n import catalog

pytestmark = pytest.mark.e2e

STREAMLITS_ENGLISH = re.compile(r"Choose (an )?options?|Select all|Select \d+ matches|No results|No options to select")

# every text node the browser shows (rendered, not visibility: hidden), with the ::after words of its element
_SHOWN_TEXT_JS = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (!el || !text) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: false})) continue;
    out.push(text);
  }
  // placeholders are drawn by the browser, not as text nodes
  for (const input of document.querySelectorAll('input[placeholder]')) {
    if (input.checkVisibility() && !input.value) out.push(input.placeholder);
  }
  return out;
}
"""
_AFTER_JS = """(selector) => [...document.querySelectorAll(selector)]
  .map((el) => getComputedStyle(el, '::after').content)"""


def shown_english(tab: AppPage) -> list[str]:
    return [text for text in tab.page.evaluate(_SHOWN_TEXT_JS) if STREAMLITS_ENGLISH.search(text)]


def words_after(tab: AppPage, selector: str) -> list[str]:
    return [json.loads(c) for c in tab.page.evaluate(_AFTER_JS, selector) if c not in ("none", "normal")]


def test_a_chinese_multiselect_opened_shows_no_streamlit_english(new_tab, screenshot_dir: Path) -> None:
    zh = catalog("zh")
    tab = new_tab().open("/explorer", lang="zh")
    box = tab.area("main").locator('[data-testid="stMultiSelect"]').filter(has_text=zh["explorer.regions"]).first
    field = box.get_by_role("combobox")
    assert field.get_attribute("placeholder") == zh["explorer.regions_placeholder"]
    assert not shown_english(tab), shown_english(tab)

    field.click()
    tab.page.get_by_role("option", name="长沙市", exact=True).wait_for()
    select_all = '[role="option"][data-key="__select_all__"] [data-item-hl]'
    assert tab.page.locator(select_all).count() == 1, "the dropdown's first row (Select all) is there"
    assert words_after(tab, select_all) == [zh["widgets.select_all"]]
    assert not shown_english(tab), shown_english(tab)

    # typing: a row for every match ("Select 14 matches" in Streamlit's words)
    tab.page.keyboard.type("市")
    matches = '[role="option"][data-key="__select_matches__"] [data-item-hl]'
    tab.page.locator(matches).wait_for(state="attached")
    assert words_after(tab, matches) == [zh["widgets.select_matches"]]
    assert not shown_english(tab), shown_english(tab)

    # nothing matches: "No results" in Streamlit's words
    tab.page.keyboard.type("zzzz")
    empty = '[role="listbox"][data-empty="true"] > [role="option"] > span'
    tab.page.locator(empty).wait_for(state="attached")
    assert words_after(tab, empty) == [zh["widgets.no_results"]]
    assert not shown_english(tab), shown_english(tab)
    tab.page.screenshot(path=str(screenshot_dir / "widget_words_no_results_zh.png"))
    tab.page.keyboard.press("Escape")
    tab.recorder.check()


def test_an_english_page_keeps_streamlits_own_words(new_tab) -> None:
    """The style sheet is for other languages only: English pages show Streamlit's words, with their count."""
    en = catalog("en")
    tab = new_tab().open("/explorer", lang="en")
    box = tab.area("main").locator('[data-testid="stMultiSelect"]').filter(has_text=en["explorer.regions"]).first
    box.get_by_role("combobox").click()
    tab.page.get_by_role("option", name="Select all", exact=True).wait_for()
    assert words_after(tab, '[role="option"][data-key="__select_all__"] [data-item-hl]') == []
    tab.page.keyboard.press("Escape")
