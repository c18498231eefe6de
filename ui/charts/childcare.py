"""Figures of the childcare page (pure: DataFrames and texts in, figures out)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ui.charts import base_layout, even_scale, interpolate
from ui.theme import SEQUENTIAL, STATUS_COLORS, STATUS_MARK

# the numbers and short names the charts write are the view model's (views/childcare.py); the
# context figures and their table live there too (data, not drawing), named here for the callers
from views.childcare import SOCIETY_CONTEXT, ContextFigure, context_table, short_name
from views.childcare import number as fmt

__all__ = [
    "SOCIETY_CONTEXT",
    "ContextFigure",
    "attainment_bars",
    "context_table",
    "fmt",
    "per_thousand_bars",
    "pipeline_area",
    "places_bars",
    "sequential_colors",
    "sequential_scale",
    "short_name",
]

# Pipeline states are not attainment statuses, so they do not borrow the status palette:
# the blues of the sequential scale for the way to opening, a neutral grey for closed.
STATE_COLORS = {
    "planned": SEQUENTIAL[1],
    "under_construction": SEQUENTIAL[2],
    "open": SEQUENTIAL[3],
    "closed": "#afb8c1",
}
# The map's scale starts at a light blue, not white: a region that reported 0 must stay
# distinguishable from the white background and from the grey of "no data".
MAP_SCALE = SEQUENTIAL[1:]
NEUTRAL_BAR = SEQUENTIAL[3]  # a bar with no target to be judged against
TARGET_COLOR = "#1f2328"
EXPECTED_COLOR = "#57606a"
HIGHLIGHT_COLOR = "#b3261e"


def attainment_bars(
    df: pd.DataFrame,
    *,
    measure: str,
    labels: Mapping[str, str],
    status_labels: Mapping[str, str],
    names: Mapping[str, str],
    x_title: str,
    no_data: str,
    decimals: int = 0,
    integer: bool = False,
) -> go.Figure:
    """Horizontal bars, one per region in the order of ``labels``: the actual coloured by status,
    the target as a tick and the expected-by-now as a diamond.

    ``df``: a breakdown (``analytics.childcare.breakdown``) with region_code and the
    columns ``measure``, ``measure``_target, _expected, _status. ``names``: legend names
    for actual, target and expected. A region without data gets no bar, and ``no_data``
    is written where it would be.
    """
    d = df.set_index("region_code").reindex(list(labels))
    y = [labels[c] for c in d.index]
    statuses = d[f"{measure}_status"].fillna("no_data")
    colors = [STATUS_COLORS[s] if s not in ("no_target",) else NEUTRAL_BAR for s in statuses]
    actual = d[measure]
    text = [fmt(v, decimals, no_data) for v in actual]
    fig = go.Figure()
    fig.add_bar(
        y=y,
        x=actual.fillna(0),
        orientation="h",
        marker_color=colors,
        name=names["actual"],
        customdata=[[t, status_labels.get(s, s)] for t, s in zip(text, statuses, strict=True)],
        hovertemplate="%{y}<br>" + names["actual"] + ": %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        showlegend=False,
    )
    # the figure is written right of the bar and of its target and expected marks, so
    # nothing covers it; a 0 or a missing value is written in its status colour
    ends = pd.concat([actual, d[f"{measure}_target"], d[f"{measure}_expected"]], axis=1).max(axis=1).fillna(0)
    fig.add_scatter(
        y=y,
        x=ends,
        mode="text",
        # the status's mark before the figure: colour is never the only cue (ui.theme.STATUS_MARK)
        text=[f"  {STATUS_MARK[s]} {v}" for v, s in zip(text, statuses, strict=True)],
        textposition="middle right",
        textfont={
            "color": [
                STATUS_COLORS["not_yet_due"] if pd.isna(v) else (c if v == 0 else "#1f2328")
                for v, c in zip(actual, colors, strict=True)
            ]
        },
        hoverinfo="skip",
        showlegend=False,
        cliponaxis=False,
    )
    for col, symbol, color, key in (
        (f"{measure}_target", "line-ns-open", TARGET_COLOR, "target"),
        (f"{measure}_expected", "diamond", EXPECTED_COLOR, "expected"),
    ):
        values = d[col]
        if values.notna().any():
            fig.add_scatter(
                y=y,
                x=values,
                mode="markers",
                marker={"symbol": symbol, "size": 14 if key == "target" else 9, "color": color, "line": {"width": 2}},
                name=names[key],
                hovertemplate="%{y}<br>" + names[key] + ": %{x:,." + str(decimals) + "f}<extra></extra>",
            )
    top = float(pd.concat([actual, d[f"{measure}_target"], d[f"{measure}_expected"]]).max(skipna=True) or 0)
    fig.update_xaxes(title=x_title, gridcolor="#eaeef2", rangemode="tozero", range=[0, max(top, 1) * 1.25])
    if integer and top <= 10:  # counts: no 0.5 of a point on the axis
        fig.update_xaxes(dtick=1)
    fig.update_yaxes(autorange="reversed", type="category")
    return base_layout(fig, height=90 + 28 * len(y))


def pipeline_area(
    df: pd.DataFrame,
    *,
    state_labels: Mapping[str, str],
    x_title: str,
    y_title: str,
) -> go.Figure:
    """Points in each state at each month end, stacked (planned at the bottom, closed on top).

    ``df``: period_end, state, points (``analytics.childcare.pipeline``).
    """
    fig = go.Figure()
    for state, label in state_labels.items():
        part = df[df["state"] == state].sort_values("period_end")
        # month ends as category labels: a date axis would put 31 January under "Feb"
        months = [pd.Timestamp(d).strftime("%Y-%m") for d in part["period_end"]]
        fig.add_bar(
            x=months,
            y=part["points"],
            name=label,
            marker_color=STATE_COLORS[state],
            hovertemplate="%{x}<br>" + label + ": %{y}<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(title=x_title, type="category")
    fig.update_yaxes(title=y_title, rangemode="tozero", gridcolor="#eaeef2", tickformat=",d")
    if df.groupby("period_end")["points"].sum().max(skipna=True) <= 10:  # no half points on the axis
        fig.update_yaxes(dtick=1)
    return base_layout(fig, height=340)


def places_bars(
    df: pd.DataFrame,
    *,
    group_col: str,
    labels: Mapping[str, str],
    state_labels: Mapping[str, str],
    x_title: str,
) -> go.Figure:
    """Places per region, stacked by the state of their point (open first).

    ``df``: ``group_col``, state, places (``analytics.childcare.places_by_state``).
    """
    fig = go.Figure()
    order = list(labels)
    for state, label in state_labels.items():
        part = df[df["state"] == state].set_index(group_col)["places"].reindex(order).fillna(0)
        fig.add_bar(
            y=[labels[c] for c in order],
            x=part,
            orientation="h",
            name=label,
            marker_color=STATE_COLORS[state],
            hovertemplate="%{y}<br>" + label + ": %{x:,d}<extra></extra>",
        )
    totals = df[df["state"].isin(list(state_labels))].groupby(group_col)["places"].sum().reindex(order).fillna(0)
    fig.add_scatter(
        y=[labels[c] for c in order],
        x=totals,
        mode="text",
        text=[fmt(v) for v in totals],
        textposition="middle right",
        hoverinfo="skip",
        showlegend=False,
    )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(
        title=x_title, gridcolor="#eaeef2", rangemode="tozero", range=[0, max(float(totals.max()), 1) * 1.15]
    )
    fig.update_yaxes(autorange="reversed", type="category")
    return base_layout(fig, height=90 + 28 * len(order))


def per_thousand_bars(
    df: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    highlight: Sequence[str],
    x_title: str,
    no_data: str,
) -> go.Figure:
    """The association's places per 1,000 residents per region: its contribution, nothing else.

    ``df``: region_code, per_1000 (``analytics.childcare.per_thousand``). Regions in
    ``highlight`` are drawn in the association's red. No target line: the national 4.5 per
    1,000 counts every childcare place in society, not the association's points, so it is not
    drawn here as if it were the association's target (the page gives it as context, with
    other public figures, in :data:`SOCIETY_CONTEXT`). The axis follows the bars.
    """
    d = df.set_index("region_code").reindex(list(labels))
    y = [labels[c] for c in d.index]
    values = d["per_1000"]
    fig = go.Figure()
    fig.add_bar(
        y=y,
        x=values.fillna(0),
        orientation="h",
        marker_color=[HIGHLIGHT_COLOR if c in highlight else NEUTRAL_BAR for c in d.index],
        text=[fmt(v, 3, no_data) for v in values],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}<br>" + x_title + ": %{text}<extra></extra>",
        showlegend=False,
    )
    top = float(values.max(skipna=True)) if values.notna().any() else 0.0
    # room on the right for the figures written outside the bars
    fig.update_xaxes(title=x_title, range=[0, (top or 0.001) * 1.25], gridcolor="#eaeef2", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", type="category")
    return base_layout(fig, height=90 + 28 * len(y))


def sequential_colors(values: Mapping[str, float | None]) -> tuple[dict[str, str], float]:
    """A fill per region from the sequential scale (0 → lightest), and the scale's top.

    Regions whose value is missing get no colour (the map draws them grey, "no data").
    """
    known = {c: float(v) for c, v in values.items() if v is not None and not math.isnan(float(v))}
    top = max(known.values(), default=0.0)
    colors = {}
    for code, v in known.items():
        pos = 0.0 if top <= 0 else v / top
        colors[code] = interpolate(MAP_SCALE, pos)
    return colors, top


def sequential_scale() -> list[tuple[float, str]]:
    return even_scale(MAP_SCALE)
