"""Page models are shared across sessions (issue 22): forty viewers of the same link cost one
computation of the page's content per data version, and a rerun of a cached view draws only.

AppTest sessions in one process share Streamlit's ``cache_resource`` as browser sessions of one
server do; the view function is counted where ui/cached.py imports it (``views.<page>.view``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import streamlit as st

import views.attainment
import views.home
from tests.app.test_pages import run_page

SESSIONS = 5


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def counting(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return fn(*args, **kwargs)

        return counting

    monkeypatch.setattr(views.home, "view", wrap("home", views.home.view))
    monkeypatch.setattr(views.attainment, "view", wrap("attainment", views.attainment.view))
    st.cache_resource.clear()  # a new data version, as after a publish
    st.cache_data.clear()
    return calls


def test_sessions_on_the_same_link_share_one_computation(counted: Counter[str]) -> None:
    link = {"lang": "zh", "as_of": "2023-06-30", "region": "430800"}
    for _ in range(SESSIONS):
        at = run_page("pages/home.py", **link)
        assert not at.exception, [e.message for e in at.exception]
    assert counted["home"] == 1
    # another link (another region) is another computation, once for all its viewers too
    for _ in range(2):
        assert not run_page("pages/home.py", **{**link, "region": "430100"}).exception
    assert counted["home"] == 2


def test_a_rerun_of_a_cached_view_computes_nothing(counted: Counter[str]) -> None:
    at = run_page("pages/attainment.py", lang="zh", as_of="2023-06-30")
    assert not at.exception, [e.message for e in at.exception]
    first = counted["attainment"]
    assert first >= 1
    for _ in range(3):
        at.run()
        assert not at.exception
    assert counted["attainment"] == first
