"""Figures of the workforce and training page (pure: DataFrames and texts in, figures out)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Final

import pandas as pd
import plotly.graph_objects as go

from ui.charts import as_of_marker, base_layout, even_scale, interpolate
from ui.theme import PRIMARY, SEQUENTIAL, STATUS_COLORS, STATUS_MARK

# Instructor categories drawn in the status palette's meaning: covered reads as on track,
# short as behind, no report as no data (grey: a reporting gap, not a count of 0).
CATEGORY_COLORS: Final = {
    "covered": STATUS_COLORS["on_track"],
    "short": STATUS_COLORS["behind"],
    "no_report": STATUS_COLORS["no_data"],
}
# Kinds of class are not statuses: a qualitative set apart from red/amber/green.
KIND_COLORS: Final = {
    "instructor_trainer": "#1f6feb",
    "youth_trainer": "#8250df",
    "capacity_building": "#bf3989",
    "other": "#57606a",
}
STATE_SYMBOLS: Final = {
    "held": "circle",
    "in_progress": "circle-open-dot",
    "planned": "circle-open",
    "cancelled": "x-thin-open",
}
# The map's share scale runs from a light to a middle blue: not from white, so a region at
# the bottom stays distinct from the background and from the grey of "no data", and not to
# the darkest blue, on which the black region labels could not be read.
MAP_SCALE: Final = SEQUENTIAL[1:4]
GRID = "#eaeef2"


def pct(value: object, digits: int = 1) -> str:
    """0.934 → "93.4%"; missing → "—"."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    return f"{float(value):.{digits}%}"  # type: ignore[arg-type]


def coverage_over_months(
    coverage: pd.DataFrame,
    *,
    own_code: str,
    labels: Mapping[str, str],
    target_label: str,
    y_title: str,
    month_labels: Sequence[str],
) -> go.Figure:
    """The share of units with ≥ 2 instructors per month: the region in bold, the regions below it thin.

    ``coverage``: region_code, period_end, share (missing where nothing was reported: a gap).
    ``month_labels``: the names of January … December in the UI language (axis ticks).
    """
    fig = go.Figure()
    fig.add_hline(y=1.0, line={"color": "#57606a", "dash": "dot", "width": 1})
    fig.add_annotation(x=1, xref="paper", y=1.0, text=target_label, showarrow=False, xanchor="right", yanchor="bottom")
    for code in [c for c in labels if c != own_code]:
        part = coverage[coverage["region_code"] == code]
        fig.add_scatter(
            x=part["period_end"],
            y=part["share"],
            name=labels[code],
            mode="lines",
            line={"width": 1},
            opacity=0.7,
            connectgaps=False,
            hovertemplate=f"{labels[code]}<br>%{{x|%Y-%m}}: %{{y:.1%}}<extra></extra>",
        )
    own = coverage[coverage["region_code"] == own_code]
    fig.add_scatter(
        x=own["period_end"],
        y=own["share"],
        name=labels.get(own_code, own_code),
        mode="lines+markers",
        line={"width": 4, "color": PRIMARY},
        marker={"size": 7},
        connectgaps=False,
        hovertemplate=f"{labels.get(own_code, own_code)}<br>%{{x|%Y-%m}}: %{{y:.1%}}<extra></extra>",
    )
    lows = coverage["share"].dropna()
    bottom = min(0.9, float(lows.min()) - 0.02) if len(lows) else 0.0
    fig.update_yaxes(tickformat=".0%", range=[max(bottom, 0.0), 1.02], gridcolor=GRID, title=y_title)
    ends = sorted(pd.to_datetime(coverage["period_end"]).unique())
    fig.update_xaxes(tickvals=ends, ticktext=[month_labels[pd.Timestamp(e).month - 1] for e in ends])
    fig = base_layout(fig, height=420)
    fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.01, "yanchor": "top"}, margin={"t": 30})
    return fig


def category_bars(
    latest: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    category_labels: Mapping[str, str],
    x_title: str,
) -> go.Figure:
    """Per region, the shares of units covered, short of 2 and without a report (stacked to 100 %), worst first.

    ``latest``: region_code, units_total and the counts covered, short, no_report.
    """
    data = latest.assign(_share=latest["covered"] / latest["units_total"]).sort_values("_share")
    y = [labels.get(c, c) for c in data["region_code"]]
    fig = go.Figure()
    for cat, name in category_labels.items():
        share = data[cat] / data["units_total"]
        fig.add_bar(
            y=y,
            x=share,
            name=name,
            orientation="h",
            marker_color=CATEGORY_COLORS[cat],
            customdata=data[cat],
            hovertemplate="%{y}<br>" + name + ": %{customdata:,} (%{x:.1%})<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(tickformat=".0%", range=[0, 1], gridcolor=GRID, title=x_title)
    fig.update_yaxes(autorange="reversed", type="category")
    return base_layout(fig, height=110 + 26 * len(data))


def scale_floor(shares: pd.Series) -> float:
    """Where the map's colour scale starts: the 10 % step below the lowest share (at most 90 %),
    so that regions between, say, 88 % and 97 % do not all come out the same dark blue."""
    known = shares.dropna()
    if known.empty:
        return 0.0
    return max(0.0, min(0.9, math.floor(float(known.min()) * 10) / 10))


def share_colors(values: Mapping[str, float | None], low: float = 0.0) -> dict[str, str]:
    """A fill per region on a fixed ``low``-100 % scale; regions without a value get none (grey on the map)."""
    out = {}
    for code, v in values.items():
        if v is None or pd.isna(v):
            continue
        out[code] = interpolate(MAP_SCALE, (float(v) - low) / (1.0 - low) if low < 1.0 else 1.0)
    return out


def share_scale() -> list[tuple[float, str]]:
    return even_scale(MAP_SCALE)


def classes_timeline(
    classes: pd.DataFrame,
    *,
    row_labels: Sequence[str],
    kind_labels: Mapping[str, str],
    state_labels: Mapping[str, str],
    deadlines: Mapping[dt.date, str],
    windows: Sequence[tuple[dt.date, dt.date, str]],
    as_of: dt.date,
    as_of_label: str,
    planned_label: str,
    month_labels: Sequence[str],
) -> go.Figure:
    """One row per class: a bar from its first to its last day (a marker on its planned start
    until it is held), a thin line from the planned start when it slipped; the deadlines as
    dashed lines, a kind's window as a shaded band, the as-of date in red.

    ``classes``: kind, state, planned_start, shown_start, shown_end, in the order of
    ``row_labels`` (one label per class). ``month_labels``: January … December for the axis.
    """
    fig = go.Figure()
    for start, end, text in windows:
        fig.add_vrect(
            x0=pd.Timestamp(start),
            x1=pd.Timestamp(end) + pd.Timedelta(days=1),
            fillcolor=KIND_COLORS["youth_trainer"],
            opacity=0.07,
            line_width=0,
            annotation_text=text,
            annotation_position="top left",
            annotation_font={"color": KIND_COLORS["youth_trainer"]},
        )
    data = classes.assign(_label=list(row_labels))
    planned = pd.to_datetime(data["planned_start"])
    start = pd.to_datetime(data["shown_start"])
    end = pd.to_datetime(data["shown_end"])
    # the slip between planned and actual start: thin grey lines, one trace for all
    xs: list[object] = []
    ys: list[object] = []
    for label, p, s in zip(data["_label"], planned, start, strict=True):
        if pd.notna(p) and pd.notna(s) and p != s:
            xs += [p, s, None]
            ys += [label, label, None]
    if xs:
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": "#8c959f", "width": 1, "dash": "dot"},
            name=planned_label,
            hoverinfo="skip",
        )
    for kind, name in kind_labels.items():
        mine = data["kind"] == kind
        if not mine.any():
            continue
        part = data[mine]
        color = KIND_COLORS[kind]
        # the class's days as a thick line (a 1-day class still shows: a marker sits on its start)
        bx: list[object] = []
        by: list[object] = []
        for label, s, e in zip(part["_label"], start[mine], end[mine], strict=True):
            if pd.notna(s) and pd.notna(e):
                bx += [s, e + pd.Timedelta(days=1), None]
                by += [label, label, None]
        fig.add_scatter(x=bx, y=by, mode="lines", line={"color": color, "width": 8}, hoverinfo="skip", showlegend=False)
        hover = [
            f"{lab}<br>{name} · {state_labels[st]}<br>{_d(p)} → {_d(s)}–{_d(e)}"
            for lab, st, p, s, e in zip(
                part["_label"], part["state"], planned[mine], start[mine], end[mine], strict=True
            )
        ]
        # the legend shows each kind as a filled circle, whatever state its first class is in
        fig.add_scatter(x=[None], y=[None], mode="markers", name=name, marker={"color": color, "size": 11})
        fig.add_scatter(
            x=start[mine],
            y=part["_label"],
            mode="markers",
            name=name,
            showlegend=False,
            marker={
                "color": color,
                "size": 11,
                "symbol": [STATE_SYMBOLS[s] for s in part["state"]],
                "line": {"color": color, "width": 2},
            },
            hovertext=hover,
            hoverinfo="text",
        )
    for state, name in state_labels.items():
        # a legend of the marker shapes, in grey
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=name,
            marker={
                "symbol": STATE_SYMBOLS[state],
                "color": "#57606a",
                "size": 10,
                "line": {"color": "#57606a", "width": 2},
            },
        )
    for day, text in deadlines.items():
        x = pd.Timestamp(day) + pd.Timedelta(days=1)  # the end of the deadline day
        fig.add_vline(x=x.timestamp() * 1000, line={"color": "#24292f", "dash": "dash", "width": 1.5})
        # under the month labels, so it covers no class
        fig.add_annotation(
            x=x, y=0, yref="paper", text=text, showarrow=False, xanchor="right", yanchor="top", yshift=-26
        )
    late = pd.Timestamp(as_of).month >= 7  # in the second half the label goes left of its line, or it is cut off
    as_of_marker(fig, as_of, as_of_label, color=STATUS_COLORS["behind"], width=1.5, xanchor="right" if late else "left")
    year = pd.Timestamp(as_of).year
    starts = [pd.Timestamp(year, m, 1) for m in range(1, 13)]
    fig.update_xaxes(
        range=[pd.Timestamp(year, 1, 1) - pd.Timedelta(days=3), pd.Timestamp(year + 1, 1, 1) + pd.Timedelta(days=8)],
        tickvals=starts,
        ticktext=list(month_labels),
        gridcolor=GRID,
    )
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=list(row_labels))
    fig = base_layout(fig, height=140 + 24 * len(data))
    fig.update_layout(margin={"t": 70, "b": 60}, legend={"y": 1.06})
    return fig


def _d(value: object) -> str:
    return "—" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%m-%d")  # type: ignore[arg-type]


def completion_bars(
    table: pd.DataFrame,
    *,
    label_col: str,
    threshold: float,
    threshold_label: str,
    x_title: str,
    below_name: str,
    above_name: str,
) -> go.Figure:
    """Completion rate per group, lowest first; groups below ``threshold`` in amber, with the threshold marked.

    ``table``: label_col, rate, completed, enrolled, below.
    """
    data = table.sort_values("rate", na_position="first")
    fig = go.Figure()
    for flag, name, color in (
        (True, below_name, STATUS_COLORS["at_risk"]),
        (False, above_name, STATUS_COLORS["on_track"]),
    ):
        part = data[data["below"] == flag]
        if part.empty:
            continue
        fig.add_bar(
            y=part[label_col],
            x=part["rate"],
            orientation="h",
            name=name,
            marker_color=color,
            text=[pct(v) for v in part["rate"]],
            textposition="outside",
            customdata=part[["completed", "enrolled"]].to_numpy(),
            hovertemplate="%{y}<br>%{customdata[0]:,} / %{customdata[1]:,} = %{x:.1%}<extra></extra>",
        )
    fig.add_vline(x=threshold, line={"color": "#57606a", "dash": "dash"})
    fig.add_annotation(x=threshold, y=1, yref="paper", text=threshold_label, showarrow=False, yanchor="bottom")
    fig.update_xaxes(tickformat=".0%", range=[0, 1.12], gridcolor=GRID, title=x_title)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(data[label_col]), autorange="reversed")
    fig = base_layout(fig, height=120 + 26 * len(data))
    fig.update_layout(margin={"t": 60})
    return fig


def bases_bars(
    bases: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    status_labels: Mapping[str, str],
    x_title: str,
    no_data: str,
) -> go.Figure:
    """New demonstration bases per prefecture, coloured by status, fewest first; no report says so.

    ``bases``: region_code, bases (missing: no report), status.
    """
    data = bases.sort_values(["bases", "region_code"], na_position="first")
    fig = go.Figure(
        go.Bar(
            y=[labels.get(c, c) for c in data["region_code"]],
            x=data["bases"].fillna(0),
            orientation="h",
            marker_color=[STATUS_COLORS[s] for s in data["status"]],
            # the status's mark before the count: colour is never the only cue (ui.theme.STATUS_MARK)
            text=[
                f"{STATUS_MARK[s]} {no_data if pd.isna(v) else int(v)}"
                for v, s in zip(data["bases"], data["status"], strict=True)
            ],
            textposition="outside",
            hovertext=[status_labels[s] for s in data["status"]],
            hoverinfo="text+y",
        )
    )
    top = float(data["bases"].max()) if data["bases"].notna().any() else 1.0
    fig.update_xaxes(dtick=1, range=[0, max(top, 1.0) * 1.2 + 0.5], gridcolor=GRID, title=x_title)
    fig.update_yaxes(autorange="reversed", type="category")
    return base_layout(fig, height=90 + 28 * len(data))
