"""The data explorer's chart: one panel per indicator, its shape taken from the pivot's.

Pure: the data comes as :class:`analytics.explorer.ChartData`, every text as an argument.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from analytics.explorer import ChartData
from ui.charts import base_layout

PANEL_HEIGHT = 300


def pivot_chart(data: ChartData, *, labels: Mapping[str, Mapping[str, str]]) -> go.Figure:
    """Lines over the periods (one per region, or the total), or bars by region (grouped by period).

    ``labels`` maps dimension → member key → text (indicator labels carry the unit). A missing
    figure is a gap in a line and no bar, never a 0.
    """
    inds = list(data.indicators)
    fig = make_subplots(
        rows=max(len(inds), 1),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12 / max(len(inds), 1) + 0.04,
        subplot_titles=[labels["indicator"][i] for i in inds],
    )
    # with neither regions nor periods shown, the one bar is the total over both
    x_labels = labels[data.x_dim] if data.x_dim else labels["region"]
    series_labels = labels[data.series_dim] if data.series_dim else {}
    # one colour per series in every panel (24 colours: the 14 prefectures do not share one)
    palette = qualitative.Dark24
    colours = {str(s): palette[i % len(palette)] for i, s in enumerate(dict.fromkeys(data.frame["series"]))}
    seen: set[str] = set()
    for row, ind in enumerate(inds, start=1):
        part = data.frame[data.frame["indicator_id"] == ind]
        for series, points in part.groupby("series", sort=False):
            name = series_labels.get(str(series), labels["indicator"][ind])
            colour = colours[str(series)]
            x = [x_labels.get(str(k), str(k)) for k in points["x"]]
            y = [None if v != v else v for v in points["value"]]  # NaN → None: a gap, not 0
            common = {
                "x": x,
                "y": y,
                "name": name,
                "legendgroup": name,
                "showlegend": bool(data.series_dim) and name not in seen,
                "hovertemplate": f"{name}<br>%{{x}}: %{{y:,.4~g}}<extra></extra>",
            }
            if data.kind == "line":
                trace: go.Scatter | go.Bar = go.Scatter(
                    mode="lines+markers", connectgaps=False, line={"color": colour}, **common
                )
            else:
                trace = go.Bar(marker_color=colour, **common)
            fig.add_trace(trace, row=row, col=1)
            seen.add(name)
    fig.update_xaxes(type="category", gridcolor="#eaeef2")
    fig.update_yaxes(gridcolor="#eaeef2", rangemode="tozero")
    # tall enough for the legend too: 14 prefectures would otherwise scroll inside it
    base_layout(fig, height=max(80 + PANEL_HEIGHT * max(len(inds), 1), 140 + 24 * len(colours)))
    # the legend on the right: above the panels it would cover their titles
    fig.update_layout(
        barmode="group",
        hovermode="closest",
        legend={"orientation": "v", "yanchor": "top", "y": 1, "x": 1.01, "xanchor": "left"},
        margin={"r": 10, "t": 60},
    )
    return fig
