"""Figures of the overview and attainment pages (pure: DataFrames and texts in, figures out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ui.charts import as_of_marker, base_layout, status_cell_text
from ui.theme import STATUS_COLORS, STATUS_MARK, STATUS_ORDER
from views.attainment import starts_from_zero  # noqa: F401 - where it was; the view judges it now


def scorecard(
    table: pd.DataFrame,
    *,
    region_labels: Mapping[str, str],
    indicator_labels: Mapping[str, str],
    status_labels: Mapping[str, str],
    cell_text: Mapping[tuple[str, str], str],
) -> go.Figure:
    """Regions (rows) × indicators (columns), each cell coloured by status with its pace as text.

    ``table``: indicator_id, region_code, status. Statuses map to integer codes on a
    discrete colour scale, so the colours are exactly the status palette.
    """
    regions = list(region_labels)
    inds = list(indicator_labels)
    code = {s: i for i, s in enumerate(STATUS_ORDER)}
    status = table.set_index(["region_code", "indicator_id"])["status"]
    state = [[str(status.get((r, i), "no_target")) for i in inds] for r in regions]
    z = [[code.get(s, code["no_target"]) for s in row] for row in state]
    # every cell says its status's mark (views.attainment._cell: mark and pace), so the grid reads
    # without its colours; a cell without a text still gets the mark
    text = [
        [cell_text.get((r, i)) or STATUS_MARK[s] for i, s in zip(inds, row, strict=True)]
        for r, row in zip(regions, state, strict=True)
    ]
    hover = [
        [
            f"{region_labels[r]} · {indicator_labels[i]}<br>{status_labels[str(status.get((r, i), 'no_target'))]}"
            f"{'<br>' + cell_text[(r, i)] if cell_text.get((r, i)) else ''}"
            for i in inds
        ]
        for r in regions
    ]
    n = len(STATUS_ORDER)
    scale = []
    for i, s in enumerate(STATUS_ORDER):
        scale += [[i / n, STATUS_COLORS[s]], [(i + 1) / n, STATUS_COLORS[s]]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[indicator_labels[i] for i in inds],
            y=[region_labels[r] for r in regions],
            hovertext=hover,
            hoverinfo="text",
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    status_cell_text(
        fig, x=[indicator_labels[i] for i in inds], y=[region_labels[r] for r in regions], text=text, status=state
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", tickangle=-30)
    base_layout(fig, height=120 + 34 * len(regions))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 150, "b": 10})
    return fig


def progress_over_months(
    series: pd.DataFrame,
    *,
    actual_name: str,
    expected_name: str,
    target_name: str,
    y_title: str,
    as_of: object,
    as_of_label: str,
    month_labels: Sequence[str],
    percent: bool = False,
) -> go.Figure:
    """Actual by month end against the prorated target line and the full target.

    ``series``: month_end, actual (None where nothing was reported: a gap), expected, target,
    status (None after the judged date). The actual line stops at its last reported month:
    nothing after the as-of date is drawn, and a month without a report before it is a gap.
    """
    fig = go.Figure()
    fig.add_scatter(
        x=series["month_end"],
        y=series["expected"],
        name=expected_name,
        mode="lines",
        line={"color": "#8c959f", "dash": "dash", "width": 2},
    )
    if series["target"].notna().any():
        fig.add_scatter(
            x=series["month_end"],
            y=series["target"],
            name=target_name,
            mode="lines",
            line={"color": "#57606a", "dash": "dot", "width": 1},
        )
    drawn = actual_months(series)
    fig.add_scatter(
        x=drawn["month_end"],
        y=drawn["actual"],
        name=actual_name,
        # each month's point in its status's colour with the status's mark above it
        mode="lines+markers+text",
        text=[STATUS_MARK.get(str(s), "") for s in drawn["status"]],
        textposition="top center",
        textfont={"size": 12, "color": "#1f2328"},
        line={"color": "#1f6feb", "width": 3},
        marker={
            "size": 8,
            "color": [STATUS_COLORS.get(str(s), "#8c959f") for s in drawn["status"]],
            "line": {"color": "white", "width": 1},
        },
        connectgaps=False,
    )
    as_of_marker(fig, as_of, as_of_label, color="#cf222e", width=1)
    fig.update_layout(yaxis_title=y_title, hovermode="x unified")
    fig.update_yaxes(rangemode="tozero", gridcolor="#eaeef2", tickformat=".0%" if percent else None)
    # ticks on the month ends the reports are for, named by the month (a date axis would
    # put "Feb" under 31 January)
    fig.update_xaxes(tickvals=list(series["month_end"]), ticktext=list(month_labels))
    return base_layout(fig, height=380)


def actual_months(series: pd.DataFrame) -> pd.DataFrame:
    """The months of ``series`` the actual line covers: up to its last reported month (no null
    actual after it, so nothing is drawn after the as-of date; a null before it stays a gap)."""
    reported = series["actual"].notna().to_numpy().nonzero()[0]
    return series.iloc[: reported[-1] + 1] if len(reported) else series.iloc[:0]


def ranked_bars(
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    value_col: str,
    status_labels: Mapping[str, str],
    x_title: str,
    reference: float | None = None,
    reference_label: str = "",
) -> go.Figure:
    """Horizontal bars of ``value_col`` per region, best first, coloured by status."""
    data = table.sort_values(value_col, ascending=False, na_position="last")
    fig = go.Figure(
        go.Bar(
            y=[labels.get(c, c) for c in data["region_code"]],
            x=data[value_col],
            orientation="h",
            marker_color=[STATUS_COLORS[s] for s in data["status"]],
            text=[f"{v:.0%}" if pd.notna(v) else "—" for v in data[value_col]],
            textposition="outside",
            hovertext=[status_labels[s] for s in data["status"]],
            hoverinfo="text+x+y",
        )
    )
    if reference is not None:
        fig.add_vline(x=reference, line={"color": "#57606a", "dash": "dash"})
        fig.add_annotation(x=reference, y=1, yref="paper", text=reference_label, showarrow=False, yanchor="bottom")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=".0%", gridcolor="#eaeef2", title=x_title)
    return base_layout(fig, height=80 + 30 * len(data))


def legend_pairs(status_labels: Mapping[str, str], statuses: Sequence[str] = STATUS_ORDER) -> list[tuple[str, str]]:
    return [(status_labels[s], STATUS_COLORS[s]) for s in statuses]
