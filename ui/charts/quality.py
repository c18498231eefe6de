"""Figures of the data quality page (pure: DataFrames and texts in, figures out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final

import pandas as pd
import plotly.graph_objects as go

from analytics.quality import RATE_BANDS, SETTINGS, QualitySettings, rate_band
from ui.charts import base_layout, status_cell_text
from ui.theme import PRIMARY, STATUS_COLORS, STATUS_MARK

GRID: Final = "#eaeef2"
# The bands of a reporting rate drawn in the status palette: good as on track, fair as at
# risk, poor as behind, nothing expected as no data (grey: never a red 0 %).
BAND_COLORS: Final = {band: STATUS_COLORS[band] for band in RATE_BANDS}
# Outlier tests are not statuses: two neutral hues apart from red/amber/green.
TEST_COLORS: Final = {"history": "#1f6feb", "peers": "#8250df"}


def pct(value: object, digits: int = 1) -> str:
    """0.934 → "93.4%"; missing → "—"."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    return f"{float(value):.{digits}%}"  # type: ignore[arg-type]


def reporting_heatmap(
    rates: pd.DataFrame,
    *,
    row_col: str,
    rate_col: str,
    row_labels: Mapping[str, str],
    month_labels: Sequence[str],
    hover: Mapping[tuple[str, object], str],
    settings: QualitySettings = SETTINGS,
) -> go.Figure:
    """The DHIS2 reporting-rate picture: one row per region, one column per month, each cell coloured by its band.

    ``rates`` holds ``row_col``, period_end and ``rate_col`` (0-1; null where no report was
    expected). Rows are drawn in the order of ``row_labels`` (top first); ``hover`` maps
    (row code, period_end) to the cell's hover text. The cell text is the band's mark and the
    rate in whole percent, in the band's text colour.
    """
    months = sorted(pd.to_datetime(rates["period_end"]).dt.date.unique())
    codes = list(row_labels)
    index = {
        (str(r), pd.Timestamp(p).date()): v
        for r, p, v in zip(rates[row_col], rates["period_end"], rates[rate_col], strict=True)
    }
    bands = list(RATE_BANDS)
    z, text, tips = [], [], []
    for code in codes:
        values = [index.get((code, m)) for m in months]
        z.append([bands.index(rate_band(v, settings)) for v in values])
        # the band's mark before the rate (its status's mark: colour is never the only cue); a
        # month with nothing expected shows the mark alone
        text.append(
            [
                STATUS_MARK["no_data"]
                if v is None or pd.isna(v)
                else f"{STATUS_MARK[rate_band(v, settings)]} {float(v) * 100:.0f}"
                for v in values
            ]
        )
        tips.append([hover.get((code, m), "") for m in months])
    # a stepped colour scale: band i fills [i, i+1) of 0 … len(bands)
    n = len(bands)
    scale = []
    for i, band in enumerate(bands):
        scale += [(i / n, BAND_COLORS[band]), ((i + 1) / n, BAND_COLORS[band])]
    x, y = [month_labels[m.month - 1] for m in months], [row_labels[c] for c in codes]
    fig = go.Figure(
        go.Heatmap(
            z=[[b + 0.5 for b in row] for row in z],
            x=x,
            y=y,
            zmin=0,
            zmax=n,
            colorscale=scale,
            showscale=False,
            customdata=tips,
            hovertemplate="%{customdata}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    status_cell_text(fig, x=x, y=y, text=text, status=[[bands[b] for b in row] for row in z], size=12)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 13})
    fig.update_xaxes(side="top")
    fig = base_layout(fig, height=70 + 30 * len(codes))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return fig


def outlier_counts(
    flags: pd.DataFrame, *, indicator_labels: Mapping[str, str], test_labels: Mapping[str, str], x_title: str
) -> go.Figure:
    """Flagged values per indicator, split by test (own months, peers), most flagged at the top."""
    counts = flags.groupby(["indicator_id", "test"]).size().unstack(fill_value=0)
    counts = counts.assign(_total=counts.sum(axis=1)).sort_values("_total")
    y = [indicator_labels.get(i, i) for i in counts.index]
    fig = go.Figure()
    for test, name in test_labels.items():
        if test not in counts:
            continue
        fig.add_bar(
            y=y,
            x=counts[test],
            name=name,
            orientation="h",
            marker_color=TEST_COLORS[test],
            hovertemplate="%{y}<br>" + name + ": %{x}<extra></extra>",
        )
    fig.update_layout(barmode="stack", xaxis_title=x_title)
    # whole numbers only: a count of 0.5 outliers means nothing
    top = int(counts["_total"].max()) if len(counts) else 0
    fig.update_xaxes(gridcolor=GRID, tickformat=",d", dtick=1 if top <= 10 else None, rangemode="tozero")
    return base_layout(fig, height=90 + 26 * len(y))


def outlier_series(
    series: pd.DataFrame,
    *,
    band: tuple[float, float, float] | None,
    flagged: pd.DataFrame,
    peers: pd.DataFrame,
    names: Mapping[str, str],
    month_labels: Sequence[str],
    y_title: str,
) -> go.Figure:
    """One county's monthly values of one indicator, with what they were judged against.

    ``series``: period_end, value (the county's months; a month it did not report is a gap in
    the line). ``band``: (median, low, high) of its own months
    (:func:`analytics.quality.outlier_band`), drawn as a shaded band; ``flagged``: period_end,
    value, hover of its flagged months (ringed); ``peers``: period_end, value of the other
    counties (small grey dots). ``names`` holds the legend texts: county, median, band, peers,
    flagged.
    """
    fig = go.Figure()
    ends = sorted({pd.Timestamp(e).date() for e in [*series["period_end"], *peers["period_end"]]})
    if band is not None and ends:
        median, low, high = band
        x = [ends[0], ends[-1]]
        fig.add_scatter(x=x, y=[high, high], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip")
        fig.add_scatter(
            x=x,
            y=[max(low, 0.0), max(low, 0.0)],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(31,111,235,0.10)",
            name=names["band"],
            hoverinfo="skip",
        )
        fig.add_scatter(
            x=x, y=[median, median], mode="lines", line={"color": "#57606a", "dash": "dot"}, name=names["median"]
        )
    if len(peers):
        fig.add_scatter(
            x=peers["period_end"],
            y=peers["value"],
            mode="markers",
            marker={"color": "#8c959f", "size": 5, "opacity": 0.35},
            name=names["peers"],
            hoverinfo="skip",
        )
    own = dict(zip((pd.Timestamp(e).date() for e in series["period_end"]), series["value"], strict=True))
    fig.add_scatter(
        x=ends,
        y=[own.get(e) for e in ends],
        mode="lines+markers",
        line={"color": PRIMARY, "width": 3},
        connectgaps=False,
        name=names["county"],
        hovertemplate="%{x|%Y-%m}: %{y:,.0f}<extra></extra>",
    )
    if len(flagged):
        fig.add_scatter(
            x=flagged["period_end"],
            y=flagged["value"],
            mode="markers",
            marker={"symbol": "circle-open", "size": 20, "color": "#1f2328", "line": {"width": 3}},
            name=names["flagged"],
            customdata=flagged["hover"],
            hovertemplate="%{x|%Y-%m}: %{y:,.0f}<br>%{customdata}<extra></extra>",
        )
    fig.update_xaxes(tickvals=ends, ticktext=[month_labels[d.month - 1] for d in ends])
    fig.update_yaxes(gridcolor=GRID, title=y_title, rangemode="tozero")
    return base_layout(fig, height=400)


def month_label(period_end: object, month_labels: Sequence[str]) -> str:
    """2023-03-31 → "3月" / "Mar"."""
    day: dt.date = pd.Timestamp(period_end).date()  # type: ignore[arg-type]
    return month_labels[day.month - 1]
