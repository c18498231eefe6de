"""DataFrame → plotly Figure. Pure: no Streamlit, no queries; text comes in as arguments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ui.theme import FONT_FAMILY, STATUS_COLORS, STATUS_ORDER


def base_layout(fig: go.Figure, *, height: int = 360) -> go.Figure:
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": 14},
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        plot_bgcolor="white",
    )
    return fig


def status_by_group(
    counts: pd.DataFrame,
    *,
    group_col: str,
    group_labels: Mapping[object, str],
    status_labels: Mapping[str, str],
    x_title: str,
) -> go.Figure:
    """Horizontal stacked bars: for each group (e.g. plan area), how many indicators have each status.

    ``counts`` has columns ``group_col``, status, n.
    """
    groups = list(group_labels)
    fig = go.Figure()
    for status in STATUS_ORDER:
        part = counts[counts["status"] == status].set_index(group_col)["n"]
        values = [int(part.get(g, 0)) for g in groups]
        if not any(values):
            continue
        fig.add_bar(
            y=[group_labels[g] for g in groups],
            x=values,
            name=status_labels[status],
            orientation="h",
            marker_color=STATUS_COLORS[status],
            hovertemplate="%{y}<br>" + status_labels[status] + ": %{x}<extra></extra>",
        )
    fig.update_layout(barmode="stack", xaxis_title=x_title)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(dtick=1, gridcolor="#eaeef2")
    return base_layout(fig, height=60 + 38 * len(groups))


def interpolate(palette: Sequence[str], pos: float) -> str:
    """The colour at ``pos`` (0 … 1) along ``palette`` (hex colours), mixed linearly in RGB."""
    pos = min(max(pos, 0.0), 1.0) * (len(palette) - 1)
    i = min(int(pos), len(palette) - 2)
    frac = pos - i
    a, b = palette[i], palette[i + 1]
    rgb = [round(int(a[k : k + 2], 16) * (1 - frac) + int(b[k : k + 2], 16) * frac) for k in (1, 3, 5)]
    return "#" + "".join(f"{v:02x}" for v in rgb)


def even_scale(palette: Sequence[str]) -> list[tuple[float, str]]:
    """``palette`` spread evenly over 0 … 1, as plotly's colour scales are written."""
    n = len(palette) - 1
    return [(i / n, c) for i, c in enumerate(palette)]


def as_of_marker(
    fig: go.Figure, as_of: dt.date, label: str, *, color: str, width: float, **label_style: object
) -> None:
    """A vertical line at the as-of date, labelled at the top of the plot."""
    fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line={"color": color, "width": width})
    fig.add_annotation(
        x=pd.Timestamp(as_of),
        y=1,
        yref="paper",
        text=label,
        showarrow=False,
        yanchor="bottom",
        font={"color": color},
        **label_style,
    )
