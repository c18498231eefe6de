"""The region survives a language switch (issue 20.5), with the browser's select box modelled as it behaves.

A select box in the browser holds its choice as the *label* it shows and sends that label back
on every rerun; it learns a new label only when the server sends one (``set_value``) or when
the user picks one. AppTest's own select box re-labels itself from the session state on every
run, so it cannot show the bug; :class:`Browser` sends what a browser would have held instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Selectbox

from tests.app.test_pages import run_page
from ui.nav import PAGES

ZHANGJIAJIE = "430800"


class Browser:
    """The label each select box of the page holds in a browser, by widget key."""

    def __init__(self) -> None:
        self.held: dict[str, str] = {}

    def saw(self, at: AppTest) -> None:
        """After a run: a box learns the label the server sent it, else keeps the one it held
        (a box seen for the first time shows its current option)."""
        for box in at.selectbox:
            if box.proto.set_value and box.proto.HasField("raw_value"):
                self.held[box.key] = box.proto.raw_value
            elif box.key not in self.held:
                self.held[box.key] = box.options[box.index] if box.index is not None else ""

    def pick(self, at: AppTest, key: str, value: str) -> None:
        """The user picks ``value`` (a code) in the box ``key``: the box now holds its label."""
        box = at.selectbox(key=key)
        self.held[key] = str(box.format_func(value))
        box.set_value(value)

    @contextmanager
    def sending(self) -> Iterator[None]:
        """During a run: every select box sends the label the browser holds."""
        held = self.held

        def widget_state(box: Selectbox[object]) -> WidgetState:
            state = WidgetState()
            state.id = box.id
            state.string_value = held.get(str(box.key), "")
            return state

        with mock.patch.object(Selectbox, "_widget_state", property(widget_state)):
            yield

    def run(self, at: AppTest) -> None:
        with self.sending():
            at.run()
        assert not at.exception, [e.message for e in at.exception]
        self.saw(at)


def test_region_survives_a_language_switch_and_a_filter_change() -> None:
    """The issue's steps: 张家界 chosen, English, then another filter (the as-of date)."""
    at = run_page(PAGES[1].path, lang="zh")  # the attainment page, whose map selects a region
    browser = Browser()
    browser.saw(at)
    browser.pick(at, "region", ZHANGJIAJIE)
    browser.run(at)
    assert at.session_state["filters"].region == ZHANGJIAJIE
    assert browser.held["region"] == "张家界市"

    at.segmented_control(key="lang").set_value("en")
    browser.run(at)
    assert at.session_state["filters"].region == ZHANGJIAJIE

    browser.pick(at, "as_of", "2023-06-30")
    browser.run(at)
    filters = at.session_state["filters"]
    assert (filters.lang, filters.as_of.isoformat(), filters.region) == ("en", "2023-06-30", ZHANGJIAJIE)
    assert at.selectbox(key="region").value == ZHANGJIAJIE
    # because the server told the browser the English label, what it sends back matches an option
    assert browser.held["region"] == "Zhangjiajie"

    # and back to Chinese, then the plan year box sent again: still 张家界
    at.segmented_control(key="lang").set_value("zh")
    browser.run(at)
    assert browser.held["region"] == "张家界市"
    browser.run(at)
    assert at.session_state["filters"].region == ZHANGJIAJIE


def test_a_page_choice_survives_a_language_switch() -> None:
    """The attainment page's indicator is shown by name, as the region is, and keeps its choice too
    (ui.state.page_choice seeds it the same way)."""
    at = run_page(PAGES[1].path, lang="zh")
    browser = Browser()
    browser.saw(at)
    browser.pick(at, "indicator", "childcare_points_open")  # a count, not the default coverage rate
    browser.run(at)
    at.segmented_control(key="lang").set_value("en")
    browser.run(at)
    browser.pick(at, "as_of", "2023-06-30")
    browser.run(at)
    assert at.selectbox(key="indicator").value == "childcare_points_open"


def test_a_page_widget_keeps_its_choice_after_a_language_switch() -> None:
    """A page's own select box (the training short list's category, labels in the page's language)
    is relabelled by the language switch like the global filters (ui.state._relabel_after_language_switch)."""
    at = run_page("pages/training.py", lang="zh", region="430100")
    browser = Browser()
    browser.saw(at)
    browser.pick(at, "training_short_category", "no_report")
    browser.run(at)
    at.segmented_control(key="lang").set_value("en")
    browser.run(at)
    browser.pick(at, "as_of", "2023-06-30")
    browser.run(at)
    assert at.selectbox(key="training_short_category").value == "no_report"
    assert at.session_state["filters"].region == "430100"
