"""DataFrame → plotly Figure. Pure: no Streamlit, no queries; text comes in as arguments."""

from __future__ import annotations

import datetime as dt
import numbers
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ui.theme import FONT_FAMILY, STATUS_COLORS, STATUS_MARK, STATUS_ORDER, STATUS_TEXT
from views.format import WAN, axis_ticks


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
            # each segment says its status's mark (the legend's names carry it too): colour is
            # never the only cue; a segment too narrow for it drops it (uniformtext below)
            text=[STATUS_MARK[status] if v else "" for v in values],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": STATUS_TEXT[status]},
            hovertemplate="%{y}<br>" + status_labels[status] + ": %{x}<extra></extra>",
        )
    fig.update_layout(barmode="stack", xaxis_title=x_title, uniformtext={"minsize": 11, "mode": "hide"})
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


# ---------------------------------------------------------------- numbers on axes as people read them

# Plotly's own tick labels write 50,000 as "50k" and 69,000,000 as "69M" (exponentformat "B"):
# nobody at the association counts that way. A value axis or colour bar that reaches 1,000 gets
# full numbers with separators; in Chinese one that reaches 1万 gets ticks in 万 ("6,900 万").
SI_FROM = 1000


def _numbers(values: object) -> list[float]:
    if values is None or isinstance(values, str):
        return []
    if not isinstance(values, Iterable):
        values = [values]
    out: list[float] = []
    for v in values:
        if isinstance(v, Iterable) and not isinstance(v, str):
            out.extend(_numbers(v))  # a heatmap's rows
        elif isinstance(v, numbers.Real) and not isinstance(v, bool) and not pd.isna(v):
            out.append(float(v))
    return out


def _axis_values(fig: go.Figure) -> dict[str, list[float]]:
    """The numbers drawn along each cartesian axis ("xaxis", "yaxis2", …), stacked bars summed."""
    found: dict[str, list[float]] = defaultdict(list)
    stacks: dict[tuple[str, object], float] = defaultdict(float)
    stacked = fig.layout.barmode in ("stack", "relative")
    for trace in fig.data:
        if trace.type not in ("scatter", "scattergl", "bar"):
            continue  # heatmaps' axes are categories; their numbers are on the colour bar
        xa = "xaxis" + str(trace.xaxis or "x")[1:]
        ya = "yaxis" + str(trace.yaxis or "y")[1:]
        horizontal = trace.type == "bar" and trace.orientation == "h"
        for axis, values, other in ((xa, trace.x, trace.y), (ya, trace.y, trace.x)):
            nums = _numbers(values)
            if not nums:
                continue
            value_axis = axis == (xa if horizontal else ya)
            if trace.type == "bar" and stacked and value_axis and other is not None:
                for key, v in zip(other, values, strict=False):
                    if isinstance(v, numbers.Real) and not pd.isna(v):
                        stacks[(axis, key)] += max(float(v), 0.0)
            found[axis].extend(nums)
    for (axis, _), total in stacks.items():
        found[axis].append(total)
    return found


def _colour_values(trace: object) -> list[float]:
    marker = getattr(trace, "marker", None)
    nums = _numbers(getattr(trace, "z", None))
    if marker is not None and getattr(marker, "colorbar", None) is not None:
        nums += _numbers([marker.cmin, marker.cmax]) + _numbers(getattr(marker, "color", None))
    return nums + _numbers([getattr(trace, "zmin", None), getattr(trace, "zmax", None)])


def _ticks_for(nums: list[float], lang: str, *, from_zero: bool) -> dict[str, object] | None:
    """Tick settings for an axis or colour bar drawing ``nums``: None when plotly's labels are fine."""
    if not nums or max(abs(min(nums)), abs(max(nums))) < SI_FROM:
        return None
    lo, hi = min(nums), max(nums)
    if from_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if lang == "zh" and max(abs(lo), abs(hi)) >= WAN:
        ticks = axis_ticks(lo, hi, lang)
        return {"tickmode": "array", "tickvals": list(ticks), "ticktext": list(ticks.values())}
    return {"exponentformat": "none", "separatethousands": False}


# localise_numbers' answer per figure (by identity) and language. The figures pages draw come from
# ui.cached and are shared and never changed, so a rerun reuses the answer instead of walking every
# trace again (40 ms a rerun on the population page); an entry goes when its figure does.
# None: the figure needed no change (kept as None, never as the figure itself, which would keep
# the figure alive and its entry for ever)
_LOCALISED: dict[int, dict[str, go.Figure | None]] = {}


def localised(fig: go.Figure, lang: str) -> go.Figure:
    """:func:`localise_numbers` once per figure and language (figures must not change after it)."""
    key = id(fig)
    per_lang = _LOCALISED.get(key)
    if per_lang is None:
        per_lang = _LOCALISED[key] = {}
        weakref.finalize(fig, _LOCALISED.pop, key, None)
    if lang not in per_lang:
        out = localise_numbers(fig, lang)
        per_lang[lang] = None if out is fig else out
    done = per_lang[lang]
    return fig if done is None else done


def localise_numbers(fig: go.Figure, lang: str) -> go.Figure:
    """``fig`` with its numeric axes and colour bars labelled in full or in 万 (see :data:`SI_FROM`).

    An axis with labels of its own (ticktext), a percentage, date or category axis is left as it
    is. Returns a copy when anything changes: figures from ``ui.cached`` are shared by sessions.
    """
    changes: dict[str, dict[str, object]] = {}
    for axis, nums in _axis_values(fig).items():
        layout = getattr(fig.layout, axis, None)
        if layout is not None and (
            layout.ticktext is not None
            or "%" in str(layout.tickformat or "")
            or layout.type in ("category", "date", "log", "multicategory")
        ):
            continue
        bars = any(t.type == "bar" for t in fig.data)
        ticks = _ticks_for(nums, lang, from_zero=bars)
        if ticks is not None:
            changes[axis] = ticks
    bars_to_set: dict[int, dict[str, object]] = {}
    for i, trace in enumerate(fig.data):
        colorbar = getattr(trace, "colorbar", None) if trace.type == "heatmap" else None
        marker = getattr(trace, "marker", None)
        if colorbar is None and marker is not None and getattr(marker, "showscale", None):
            colorbar = marker.colorbar
        if colorbar is None or colorbar.ticktext is not None or "%" in str(colorbar.tickformat or ""):
            continue
        ticks = _ticks_for(_colour_values(trace), lang, from_zero=False)
        if ticks is not None:
            bars_to_set[i] = ticks
    if not changes and not bars_to_set:
        return fig
    out = go.Figure(fig)
    if changes:
        out.update_layout({axis: ticks for axis, ticks in changes.items()})
    for i, ticks in bars_to_set.items():
        trace = out.data[i]
        if trace.type == "heatmap":
            trace.update(colorbar=ticks)
        else:
            trace.update(marker={"colorbar": ticks})
    return out


def status_cell_text(
    fig: go.Figure,
    *,
    x: Sequence[str],
    y: Sequence[str],
    text: Sequence[Sequence[str]],
    status: Sequence[Sequence[str]],
    size: int = 13,
) -> go.Figure:
    """Write ``text`` on a heatmap of status colours, each cell's text in its status's own text
    colour (ui.theme.STATUS_TEXT: WCAG AA on the fill). A heatmap's own text takes one colour, or
    plotly's guess per cell, which puts white on the on-track green (3.5 : 1); so the texts are a
    scatter of text over the cells (rows ``y``, columns ``x``), which leaves the hover to the heatmap."""
    cells = [(xi, yi, text[r][c], status[r][c]) for r, yi in enumerate(y) for c, xi in enumerate(x) if text[r][c]]
    fig.add_scatter(
        x=[c[0] for c in cells],
        y=[c[1] for c in cells],
        mode="text",
        text=[c[2] for c in cells],
        textfont={"family": FONT_FAMILY, "size": size, "color": [STATUS_TEXT[c[3]] for c in cells]},
        hoverinfo="skip",
        showlegend=False,
        name="cell text",
    )
    return fig
