"""Streamlit's own English inside its widgets, said in the page's language instead (issue 20.7).

A multiselect's placeholder ("Choose options") is an argument: every page passes its own. The
rest is written by Streamlit's frontend with no argument to change it (streamlit 1.67): the
dropdown's first row, "Select all" (or "Select 3 matches" while typing), and "No results" when
nothing matches what was typed. The frontend marks those rows (``data-key="__select_all__"``,
``"__select_matches__"``, a listbox with ``data-empty="true"``), so a style sheet hides their
English text and shows the catalog's words in its place; the rows keep working as before. The
matches row loses its count ("全选匹配项"): the count is the frontend's and a style sheet
cannot read it.

English pages keep Streamlit's own words, which already are English.
"""

from __future__ import annotations

import json

import streamlit as st

from ui.i18n import t

# (CSS selector of the element holding Streamlit's English, catalog key of the words shown instead)
REPLACED = (
    ('[role="option"][data-key="__select_all__"] [data-item-hl]', "widgets.select_all"),
    ('[role="option"][data-key="__select_matches__"] [data-item-hl]', "widgets.select_matches"),
    ('[role="listbox"][data-empty="true"] > [role="option"] > span', "widgets.no_results"),
)


def style(lang: str) -> str:
    """The ``<style>`` that shows the catalog's words in place of Streamlit's English ("" in English)."""
    if lang == "en":
        return ""
    rules = []
    for selector, key in REPLACED:
        words = json.dumps(t(key, lang), ensure_ascii=False)  # a JSON string is a valid CSS string
        # the English text is hidden but keeps its place; the words are drawn over it, same font and size
        rules.append(
            f"{selector} {{ visibility: hidden; position: relative; }}\n"
            f"{selector}::after {{ content: {words}; visibility: visible; position: absolute; left: 0; top: 0;"
            " white-space: nowrap; }"
        )
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def inject(lang: str) -> None:
    """Put :func:`style` into the page (a ``<style>``-only st.html draws nothing visible)."""
    css = style(lang)
    if css:
        st.html(css)
