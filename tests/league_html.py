"""Read the attainment page's league table (ui/league.py) back out of its HTML, for the tests: one
dict per row with its region code, status code, cell texts, and the bar's width and colour.

A plain html.parser walk (no dependency): the tests check what a reader sees, cell by cell, so
they read the HTML the page draws rather than the DataFrame it was drawn from.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

_WIDTH = re.compile(r"width:\s*([0-9.]+)%")
_BACKGROUND = re.compile(r"background:\s*(#[0-9a-fA-F]{6})")


class _League(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[dict[str, Any]] = []
        self._cell: str | None = None
        self._in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "th":
            self._in_th = True
            self.headers.append("")
        elif tag == "tr" and "data-code" in a:
            self.rows.append({"code": a["data-code"], "status_code": a["data-status"], "bar": None, "cells": {}})
        elif tag == "td" and self.rows:
            self._cell = str(a.get("class", "")).removeprefix("fpa-lg-")
            self.rows[-1]["cells"].setdefault(self._cell, "")
        elif tag == "span" and a.get("class") == "fpa-lg-bar":
            style = str(a.get("style", ""))
            width, color = _WIDTH.search(style), _BACKGROUND.search(style)
            assert width and color, style
            self.rows[-1]["bar"] = (float(width.group(1)), color.group(1).lower())

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._cell = None
        elif tag == "th":
            self._in_th = False

    def handle_data(self, data: str) -> None:
        if self._in_th:
            self.headers[-1] += data
        elif self._cell is not None:
            self.rows[-1]["cells"][self._cell] += data


def parse(html: str) -> tuple[list[str], list[dict[str, Any]]]:
    """(column titles, rows) of the first league table in ``html``. A row's ``cells``: rank,
    region, status, pace (the figure beside the bar), and num twice joined (actual then expected
    are read by :func:`figures`); ``bar``: (width in percent, colour) or None."""
    start = html.index('<table class="fpa-league">')
    parser = _League()
    parser.feed(html[start : html.index("</table>", start)])
    return parser.headers, parser.rows


def figures(html: str) -> list[tuple[str, str]]:
    """(actual, expected) of each row, in order."""
    cells = re.findall(r'<td class="fpa-lg-num">([^<]*)</td><td class="fpa-lg-num">([^<]*)</td>', html)
    return [(a, e) for a, e in cells]


def from_app(at: Any) -> str:
    """The league's HTML from a finished AppTest run of the attainment page."""
    return next(str(h.proto.body) for h in at.get("html") if 'class="fpa-league"' in str(h.proto.body))
