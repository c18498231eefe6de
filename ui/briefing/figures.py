"""The pack's figures: the dashboard's own charts (ui.charts, ui.maps), sized for a slide.

Each function calls the figure function of the page the slide follows, with the same
colours and fonts, then fits it to its box: the size the image is rendered at, type a
little larger than on screen (a projector is further away than a monitor), and nothing
interactive (there is nothing to hover on paper).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ui import charts, maps
from ui.briefing.layout import Box, text_width_em
from ui.charts import childcare as childcare_charts
from ui.charts import training as training_charts
from ui.theme import FONT_FAMILY

FONT_PX = 15  # chart type on a slide: 15 CSS px = 11 pt at the box's size


def fit(fig: go.Figure, box: Box, *, margin: Mapping[str, int] | None = None) -> go.Figure:
    """Size ``fig`` to ``box`` and set the slide's type size."""
    w, h = box.px
    fig.update_layout(
        width=w,
        height=h,
        font={"family": FONT_FAMILY, "size": FONT_PX},
        paper_bgcolor="white",
        hovermode=False,
    )
    if margin is not None:
        fig.update_layout(margin=dict(margin))
    # room for the axes' labels: the static export does not grow the margins by itself
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def region_map(
    shapes: Mapping[str, maps.Shape],
    regions: pd.DataFrame,
    *,
    colors: Mapping[str, str],
    labels: Mapping[str, str],
    box: Box,
) -> go.Figure:
    """The attainment page's map (ui.maps.region_map): status fills, name and pace at each centroid.

    The status legend is the slide's own (ui.briefing.layout.legend_items), above the map.
    The axes' ranges are the outlines' extent, so the map fills its box and where each label
    lands can be worked out (see :func:`spread_labels`).
    """
    fig = maps.region_map(shapes, regions, colors=colors, labels=labels, hover=labels, height=box.px[1])
    fit(fig, box, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    fig.update_layout(showlegend=False)
    codes = [c for c in regions["region_code"] if c in shapes]
    if not codes:
        return fig
    lons = [v for c in codes for ring in shapes[c].rings for v in ring[0]]
    lats = [v for c in codes for ring in shapes[c].rings for v in ring[1]]
    x0, x1, y0, y1 = min(lons) - MAP_PAD, max(lons) + MAP_PAD, min(lats) - MAP_PAD, max(lats) + MAP_PAD
    fig.update_xaxes(range=[x0, x1], automargin=False)
    fig.update_yaxes(range=[y0, y1], automargin=False)
    # as ui.maps: latitude stretched by 1/cos of the centroids' mean latitude
    ratio = 1 / math.cos(math.radians(sum(shapes[c].centroid[1] for c in codes) / len(codes)))
    w, h = box.px
    scale = min(w / (x1 - x0), h / ((y1 - y0) * ratio))  # pixels per degree of longitude
    for trace in fig.data:
        if trace.name == "labels":
            trace.textfont.size = MAP_LABEL_PX
            trace.textfont.family = FONT_FAMILY
            trace.y = spread_labels([shapes[c].centroid for c in codes], list(trace.text), scale=scale, ratio=ratio)
    return fig


MAP_LABEL_PX = 13
MAP_PAD = 0.05  # degrees around the outlines


def spread_labels(
    centroids: Sequence[tuple[float, float]], texts: Sequence[str], *, scale: float, ratio: float
) -> list[float]:
    """Label positions (latitudes) moved apart where two labels would overlap.

    A label sits at its region's centroid; on a slide two neighbours' names can run into
    each other (Zhangjiajie and Changde in English). ``scale`` is the map's pixels per degree
    of longitude (a degree of latitude is ``ratio`` times as tall); each label's box is
    estimated from its text (generously: a label is better a little apart than touching), and
    overlapping pairs are pushed apart vertically, half the overlap each, until none overlap.
    """
    px = [x * scale for x, _ in centroids]
    py = [-y * scale * ratio for _, y in centroids]  # pixels grow downwards
    boxes = []
    for text in texts:
        lines = [line for line in str(text).split("<br>") if line]
        width = max((text_width_em(line) for line in lines), default=0) * MAP_LABEL_PX * 1.08
        boxes.append((width, len(lines) * MAP_LABEL_PX * 1.25))
    for _ in range(50):
        moved = False
        for i in range(len(px)):
            for j in range(i + 1, len(px)):
                (wi, hi), (wj, hj) = boxes[i], boxes[j]
                if not (wi and wj):
                    continue
                overlap_x = (wi + wj) / 2 + 4 - abs(px[i] - px[j])
                overlap_y = (hi + hj) / 2 + 2 - abs(py[i] - py[j])
                if overlap_x > 0 and overlap_y > 0:
                    step = overlap_y / 2 + 0.5
                    upper, lower = (i, j) if py[i] <= py[j] else (j, i)
                    py[upper] -= step
                    py[lower] += step
                    moved = True
        if not moved:
            break
    return [-y / (scale * ratio) for y in py]


def childcare_points(
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    status_labels: Mapping[str, str],
    names: Mapping[str, str],
    x_title: str,
    no_data: str,
    box: Box,
) -> go.Figure:
    """The childcare page's bars of points open per region, against target and expected."""
    fig = childcare_charts.attainment_bars(
        table,
        measure="points",
        labels=labels,
        status_labels=status_labels,
        names=names,
        x_title=x_title,
        no_data=no_data,
        integer=True,
    )
    return fit(fig, box, margin={"l": 10, "r": 20, "t": 40, "b": 10})


def coverage_bars(
    latest: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    category_labels: Mapping[str, str],
    x_title: str,
    box: Box,
) -> go.Figure:
    """The training page's stacked shares of village-level units per region, worst first."""
    fig = training_charts.category_bars(latest, labels=labels, category_labels=category_labels, x_title=x_title)
    return fit(fig, box, margin={"l": 10, "r": 20, "t": 40, "b": 10})


def wrap(text: str, lang: str) -> str:
    """Break a long axis label into lines (plotly does not wrap): about 12 characters of
    Chinese or 34 of English a line (two lines for every area's title)."""
    width = 12 if lang == "zh" else 34
    if lang == "zh":
        return "<br>".join(text[i : i + width] for i in range(0, len(text), width))
    return "<br>".join(textwrap.wrap(text, width))


def status_by_area(
    counts: pd.DataFrame,
    *,
    group_labels: Mapping[int, str],
    status_labels: Mapping[str, str],
    x_title: str,
    lang: str,
    box: Box,
) -> go.Figure:
    """The overview's stacked bars: how many indicators of each area have each status."""
    fig = charts.status_by_group(
        counts,
        group_col="area_no",
        group_labels={a: wrap(title, lang) for a, title in group_labels.items()},
        status_labels=status_labels,
        x_title=x_title,
    )
    fit(fig, box, margin={"l": 10, "r": 20, "t": 10, "b": 10})
    fig.update_layout(showlegend=False)  # the slide draws the status legend above the chart
    fig.update_yaxes(tickfont={"size": FONT_PX - (3 if lang == "en" else 1)})
    return fig
