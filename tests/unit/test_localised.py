"""``ui.charts.localised``: a figure's numbers localised once per figure and language (reruns reuse
the answer), the same figure back when nothing changes, and no entry left once a figure is gone."""

from __future__ import annotations

import gc

import plotly.graph_objects as go

from ui import charts


def test_a_figure_is_localised_once_and_reused() -> None:
    fig = go.Figure(go.Bar(x=[1, 2], y=[100_000, 2_000_000]))
    first = charts.localised(fig, "zh")
    assert first is not fig and any("万" in str(t) for t in first.layout.yaxis.ticktext)
    assert charts.localised(fig, "zh") is first
    assert charts.localised(fig, "en") is not first  # each language its own


def test_an_unchanged_figure_comes_back_and_its_entry_goes_with_it() -> None:
    small = go.Figure(go.Bar(x=["a"], y=[3]))
    assert charts.localised(small, "zh") is small
    key = id(small)
    assert key in charts._LOCALISED
    del small
    gc.collect()
    assert key not in charts._LOCALISED
