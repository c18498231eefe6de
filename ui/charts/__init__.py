"""DataFrame → plotly Figure. Pure: no Streamlit, no queries; text comes in as arguments."""

from __future__ import annotations

from collections.abc import Mapping

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
