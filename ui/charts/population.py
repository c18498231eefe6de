"""Population page figures: DataFrame → plotly Figure. Pure: no Streamlit, no queries; text comes in a Vocab.

Conventions every figure here keeps:
* a gap is a gap: missing values stay None (lines break, bars are absent, map and
  heatmap cells are grey), never 0;
* every point with a value carries its source, year and quality in its hover text;
* household-registration (户籍) figures are drawn apart and marked, never on the resident line;
* quality is visible: derived figures hollow / hatched, low-confidence ones as diamonds / cross-hatched,
  third-party compilations as hollow squares / dotted; only an official figure is drawn as published;
* every figure's source tier (official bulletin, reprint, third-party compilation, derived) and the
  official bulletin that holds it, where known, are in its hover text.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import pandas as pd
import plotly.graph_objects as go
from pandas.io.formats.style import Styler
from plotly.colors import hex_to_rgb, label_rgb, sample_colorscale
from plotly.subplots import make_subplots

from analytics.contract import POPULATION_MEASURES
from analytics.population import (
    ASSOCIATION_MEASURES,
    CENSUS_YEAR,
    HOUSEHOLD_REGISTRATION,
    MISSING,
    SERIES_BREAK_YEAR,
    tier_label,
)
from ui.charts import base_layout
from ui.maps import NO_DATA_COLOR
from ui.theme import FONT_FAMILY, PRIMARY, SEQUENTIAL

LINE_COLOR = SEQUENTIAL[3]
BAR_COLOR = SEQUENTIAL[2]
HIGHLIGHT = PRIMARY
HUKOU_COLOR = PRIMARY
COLORSCALE = [(i / (len(SEQUENTIAL) - 1), c) for i, c in enumerate(SEQUENTIAL)]
# maps stop one step short of the darkest blue: region names are written on the fills in dark text
MAP_COLORSCALE = [(i / (len(SEQUENTIAL) - 2), c) for i, c in enumerate(SEQUENTIAL[:-1])]
SYMBOLS = {"published": "circle", "compiled": "square-open", "derived": "circle-open", "low_confidence": "diamond-open"}
PATTERNS = {"published": "", "compiled": ".", "derived": "/", "low_confidence": "x"}
# qualities drawn apart from the published ones, in legend order
MARKED = ("compiled", "derived", "low_confidence")
COMPILED_TEXT = "#57606a"  # a third-party figure in the census table: grey, not a 公布数
DECIMALS = {
    "persons": 0,
    "‰": 2,
    "%": 2,
    "per 100 females": 2,
    "persons per household": 2,
    "childcare_places_per_1000": 3,
    "instructors_per_10000": 2,
    "funds_per_resident": 4,
}
GRID = {"gridcolor": "#eaeef2"}
SOURCE_WIDTH = 60  # characters per hover line of a source
SOURCE_MAX = 180


@dataclass(frozen=True)
class Vocab:
    """The words a figure needs, in the UI's language."""

    name_col: str  # name_zh or name_en
    measures: Mapping[str, str]  # measure → name
    units: Mapping[str, str]  # data unit (or association measure) → display unit
    qualities: Mapping[str, str]
    bases: Mapping[str, str]
    words: Mapping[str, str] = field(default_factory=dict)  # source, file, quality, basis, year, missing, …
    columns: Mapping[str, str] = field(default_factory=dict)  # table headers: region_code, name, population, …
    tiers: Mapping[str, str] = field(default_factory=dict)  # source tier → name; "" → tier not stated

    def paren(self, head: str, inner: str) -> str:
        """``head（inner）`` in Chinese, ``head (inner)`` in English."""
        return head + self.words["paren"].format(inner=inner) if inner else head

    def names(self, frame: pd.DataFrame) -> str:
        """The region names of ``frame``'s rows, joined as a list in the UI's language."""
        return self.words["sep"].join(region_name(r, self) for _, r in frame.iterrows())

    def label(self, word: str, text: object) -> str:
        """``来源：…`` / ``Source: …``."""
        return f"{self.words[word]}{self.words['colon']}{text}"


def fmt(value: object, unit: str) -> str:
    """A value in its unit's precision; missing → "—"."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    return f"{float(value):,.{DECIMALS.get(unit, 2)}f}"  # type: ignore[arg-type]


def _wrap(text: str) -> str:
    text = text if len(text) <= SOURCE_MAX else text[: SOURCE_MAX - 1] + "…"
    return "<br>  ".join(text[i : i + SOURCE_WIDTH] for i in range(0, len(text), SOURCE_WIDTH))


def region_name(row: Mapping[str, object] | pd.Series, vocab: Vocab) -> str:
    """The region's name in the UI's language, the Chinese name where there is no other."""
    name = row.get(vocab.name_col)
    if name is None or pd.isna(name):  # type: ignore[call-overload]
        name = row.get("name_zh")
    return str(name)


def figure_hover(row: Mapping[str, object] | pd.Series, vocab: Vocab, *, with_region: bool = True) -> str:
    """Hover text of one population figure: what, where, when, value, basis, quality, source, file."""
    w = vocab.words
    unit = str(row["unit"]) if pd.notna(row.get("unit")) else ""  # type: ignore[call-overload]
    head = f"<b>{region_name(row, vocab)}</b> · " if with_region else ""
    lines = [f"{head}{vocab.measures.get(str(row['measure']), row['measure'])} · {int(row['year'])}"]  # type: ignore[call-overload]
    if row["quality"] == MISSING or pd.isna(row["value"]):  # type: ignore[call-overload]
        lines.append(f"{w['missing']}")
    else:
        lines.append(f"{fmt(row['value'], unit)} {vocab.units.get(unit, unit)}")
    lines.append(vocab.label("basis", vocab.bases.get(str(row["basis"]), row["basis"])))
    lines.append(vocab.label("quality", vocab.qualities.get(str(row["quality"]), row["quality"])))
    tier = tier_label(row.get("source_tier"), row["quality"], vocab.tiers)
    if tier:
        lines.append(vocab.label("tier", tier))
    if pd.notna(row.get("reference_date")):  # type: ignore[call-overload]
        lines.append(vocab.label("reference_date", pd.Timestamp(row["reference_date"]).date().isoformat()))  # type: ignore[arg-type]
    if pd.notna(row.get("source")):  # type: ignore[call-overload]
        lines.append(vocab.label("source", _wrap(str(row["source"]))))
    if pd.notna(row.get("official_source")) and row["quality"] != MISSING:  # type: ignore[call-overload]
        lines.append(vocab.label("official_source", _wrap(str(row["official_source"]))))
    if pd.notna(row.get("source_file")):  # type: ignore[call-overload]
        lines.append(vocab.label("file", row["source_file"]))
    return "<br>".join(lines)


def _none(values: pd.Series) -> list[float | None]:
    """Values for plotly with NaN as None, so lines break and nothing is drawn as 0."""
    return [None if pd.isna(v) else float(v) for v in values]


def _legend_marker(fig: go.Figure, name: str, **marker: object) -> None:
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", marker=marker, name=name, hoverinfo="skip"))


def series_grid(
    series: pd.DataFrame, other: pd.DataFrame, vocab: Vocab, *, measures: Sequence[str], columns: int = 3
) -> go.Figure:
    """Small multiples of one region's year-end series, one panel per measure.

    ``series``: the resident grid (every year, gaps as NaN / quality missing);
    ``other``: household-registration figures, drawn as separate marked points.
    Years with no figure at all are shaded grey; the 2019/2020 series break is a dashed line.
    """
    rows = math.ceil(len(measures) / columns)
    titles = [vocab.paren(vocab.measures[m], vocab.units.get(_unit(series, m), _unit(series, m))) for m in measures]
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, vertical_spacing=0.16, horizontal_spacing=0.07)
    years = sorted(series["year"].unique())
    shapes: list[dict[str, object]] = []
    axes: dict[str, dict[str, object]] = {}
    notes: list[dict[str, object]] = []
    for i, measure in enumerate(measures):
        r, c = i // columns + 1, i % columns + 1
        part = series[series["measure"] == measure].sort_values("year")
        hukou = other[other["measure"] == measure]
        # a line break between the pre-census estimate and the census-based series
        xs = [*part["year"].astype(int)]
        ys = _none(part["value"])
        hover = [figure_hover(row, vocab) for _, row in part.iterrows()]
        symbols = [SYMBOLS.get(str(q), "circle") for q in part["quality"]]
        if SERIES_BREAK_YEAR - 1 in xs and SERIES_BREAK_YEAR in xs:
            k = xs.index(SERIES_BREAK_YEAR)
            xs.insert(k, SERIES_BREAK_YEAR - 0.5)
            ys.insert(k, None)
            hover.insert(k, "")
            symbols.insert(k, "circle")
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                line={"color": LINE_COLOR, "width": 2},
                marker={"color": LINE_COLOR, "size": 8, "symbol": symbols, "line": {"width": 2, "color": LINE_COLOR}},
                connectgaps=False,
                hovertext=hover,
                hoverinfo="text",
                name=vocab.bases["resident"],
                showlegend=False,
            ),
            row=r,
            col=c,
        )
        if not hukou.empty:
            fig.add_trace(
                go.Scatter(
                    x=hukou["year"].astype(int),
                    y=_none(hukou["value"]),
                    mode="markers",
                    marker={"color": HUKOU_COLOR, "size": 10, "symbol": "square"},
                    hovertext=[figure_hover(row, vocab) for _, row in hukou.iterrows()],
                    hoverinfo="text",
                    name=vocab.bases[HOUSEHOLD_REGISTRATION],
                    showlegend=False,
                ),
                row=r,
                col=c,
            )
        for year in part.loc[part["value"].isna(), "year"]:
            if int(year) in set(hukou["year"].astype(int)):
                continue  # a figure on the other basis exists: the marked point says it
            shapes.append(_band(i, year - 0.45, year + 0.45))
        if years and years[0] < SERIES_BREAK_YEAR <= years[-1]:
            shapes.append(_vline(i, SERIES_BREAK_YEAR - 0.5))
        empty = part["value"].isna().all() and hukou.empty
        xref, yref = _refs(i)
        axes[xref.replace("x", "xaxis", 1)] = {"dtick": 2 if len(years) > 8 else 1, "range": _pad(years), **GRID}
        axes[yref.replace("y", "yaxis", 1)] = {
            "tickformat": ",.0f" if _unit(series, measure) == "persons" else None,
            # a panel with no figure at all has no scale to show (an axis round 0 would read as zeros)
            "showticklabels": not empty,
            "showgrid": not empty,
            "zeroline": not empty,
            "zerolinecolor": "#afb8c1",
            **GRID,
        }
        if empty:
            notes.append(
                dict(
                    text=vocab.words["missing"],
                    xref=f"{xref} domain",
                    yref=f"{yref} domain",
                    x=0.5,
                    y=0.5,
                    showarrow=False,
                    font={"color": "#57606a", "size": 13},
                    bgcolor="white",
                )
            )
    # shapes and axes in one update: fig.add_vrect / update_yaxes per panel re-validate the layout each time
    fig.update_layout(shapes=shapes, annotations=[*fig.layout.annotations, *notes], **axes)
    _legend_marker(fig, vocab.qualities["published"], color=LINE_COLOR, size=9, symbol="circle")
    present = set(series.loc[series["measure"].isin(measures), "quality"])
    for quality in (q for q in MARKED if q in present):
        _legend_marker(
            fig, vocab.qualities[quality], color=LINE_COLOR, size=9, symbol=SYMBOLS[quality], line={"width": 2}
        )
    if not other.empty:
        _legend_marker(fig, vocab.bases[HOUSEHOLD_REGISTRATION], color=HUKOU_COLOR, size=10, symbol="square")
    _legend_marker(fig, vocab.words["missing"], color=NO_DATA_COLOR, size=12, symbol="square")
    if years and years[0] < SERIES_BREAK_YEAR <= years[-1]:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line={"color": "#57606a", "dash": "dash", "width": 1},
                name=vocab.words["series_break"],
                hoverinfo="skip",
            )
        )
    base_layout(fig, height=300 * rows + 80)
    # traceorder "normal": with legend groups plotly would stack ungrouped entries vertically
    fig.update_layout(margin={"l": 10, "r": 10, "t": 70, "b": 10}, legend={"y": 1.06, "traceorder": "normal"})
    return fig


def _refs(panel: int) -> tuple[str, str]:
    """The x and y axis names of the ``panel``-th subplot (0-based, row by row) of make_subplots."""
    n = "" if panel == 0 else str(panel + 1)
    return f"x{n}", f"y{n}"


def _band(panel: int, x0: float, x1: float) -> dict[str, object]:
    """A grey band over the full height of a panel: a year with no figure."""
    xref, yref = _refs(panel)
    return dict(
        type="rect", xref=xref, yref=f"{yref} domain", x0=x0, x1=x1, y0=0, y1=1,
        fillcolor=NO_DATA_COLOR, opacity=0.6, line={"width": 0}, layer="below",
    )  # fmt: skip


def _vline(panel: int, x: float) -> dict[str, object]:
    """A dashed vertical line over the full height of a panel."""
    xref, yref = _refs(panel)
    return dict(
        type="line", xref=xref, yref=f"{yref} domain", x0=x, x1=x, y0=0, y1=1,
        line={"color": "#57606a", "dash": "dash", "width": 1},
    )  # fmt: skip


def _unit(frame: pd.DataFrame, measure: str) -> str:
    units = frame.loc[frame["measure"] == measure, "unit"].dropna()
    return str(units.iloc[0]) if len(units) else ""


def _pad(years: Sequence[int]) -> list[float] | None:
    return [years[0] - 0.6, years[-1] + 0.6] if years else None


def census_multiples(
    census: pd.DataFrame,
    vocab: Vocab,
    *,
    measures: Sequence[str],
    province_code: str,
    highlight: str | None,
    columns: int = 4,
) -> go.Figure:
    """One horizontal bar chart per census measure across the prefectures, the province as a dashed line.

    ``census``: the complete grid (province + prefectures × measures, year 2020). The
    highlighted prefecture is drawn in the association's red; derived figures hatched,
    low-confidence ones cross-hatched; a missing figure is a grey "—" at the axis, never a bar.
    """
    rows = math.ceil(len(measures) / columns)
    # the unit on a second line: four panels a row leave no room for long English names
    titles = [
        f"{vocab.measures[m]}<br>{vocab.paren('', vocab.units.get(_unit(census, m), _unit(census, m))).strip()}"
        for m in measures
    ]
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        shared_yaxes=True,
        horizontal_spacing=0.03,
        vertical_spacing=0.14,
    )
    prefs = census[census["region_code"] != province_code]
    shapes: list[dict[str, object]] = []
    axes: dict[str, dict[str, object]] = {}
    for i, measure in enumerate(measures):
        r, c = i // columns + 1, i % columns + 1
        part = prefs[prefs["measure"] == measure]
        names = [region_name(row, vocab) for _, row in part.iterrows()]
        has = part["value"].notna().to_numpy()
        fig.add_trace(
            go.Bar(
                y=[n for n, h in zip(names, has, strict=True) if h],
                x=_none(part.loc[has, "value"]),
                orientation="h",
                marker={
                    "color": [HIGHLIGHT if code == highlight else BAR_COLOR for code in part.loc[has, "region_code"]],
                    "pattern": {"shape": [PATTERNS.get(str(q), "") for q in part.loc[has, "quality"]], "size": 6},
                },
                hovertext=[figure_hover(row, vocab) for _, row in part[has].iterrows()],
                hoverinfo="text",
                showlegend=False,
                name=vocab.measures[measure],
            ),
            row=r,
            col=c,
        )
        if (~has).any():
            fig.add_trace(
                go.Scatter(
                    y=[n for n, h in zip(names, has, strict=True) if not h],
                    x=[0] * int((~has).sum()),
                    mode="text",
                    text=["—"] * int((~has).sum()),
                    textfont={"color": "#8c959f"},
                    hovertext=[figure_hover(row, vocab) for _, row in part[~has].iterrows()],
                    hoverinfo="text",
                    showlegend=False,
                ),
                row=r,
                col=c,
            )
        prov = census[(census["region_code"] == province_code) & (census["measure"] == measure)]["value"].dropna()
        if len(prov) and _unit(census, measure) != "persons":
            shapes.append(_vline(i, float(prov.iloc[0])))
        xaxis = _refs(i)[0].replace("x", "xaxis", 1)
        if _unit(census, measure) == "persons":
            ticks = person_ticks(part["value"].max(), vocab)
            axes[xaxis] = {"tickvals": list(ticks), "ticktext": list(ticks.values()), "tickangle": 0, **GRID}
        else:
            axes[xaxis] = {"nticks": 4, "tickangle": 0, **GRID}
    fig.update_layout(shapes=shapes, **axes)  # in one update: per-panel updates re-validate the layout each time
    fig.update_yaxes(autorange="reversed", tickfont={"size": 12})
    _legend_marker(
        fig, vocab.words["province_line"], color="#57606a", size=10, symbol="line-ns-open", line={"width": 2}
    )
    if highlight is not None and highlight != province_code:
        _legend_marker(fig, vocab.words["selected"], color=HIGHLIGHT, size=10, symbol="square")
    for quality in MARKED:
        if (prefs["quality"] == quality).any():
            # a bar, so the legend shows the hatching itself
            fig.add_trace(
                go.Bar(
                    x=[None],
                    y=[None],
                    name=vocab.qualities[quality],
                    marker={"color": BAR_COLOR, "pattern": {"shape": PATTERNS[quality], "size": 6}},
                    hoverinfo="skip",
                )
            )
    base_layout(fig, height=420 * rows + 60)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 80, "b": 10}, legend={"y": 1.06}, bargap=0.25)
    return fig


def person_ticks(top: float, vocab: Vocab) -> dict[float, str]:
    """Two to four round ticks up to ``top`` persons, written short in the UI's way of counting
    (``words["count_scale"]`` persons per ``words["count_suffix"]``: 万 in Chinese, millions in
    English): the full numbers do not fit a small panel.
    """
    if pd.isna(top) or top <= 0:
        return {0.0: "0"}
    step = next((s for s in (1e5, 2e5, 5e5, 1e6, 2e6, 2.5e6, 5e6, 1e7, 2e7, 5e7) if top / s <= 3), 1e8)
    scale, suffix = float(vocab.words["count_scale"]), vocab.words["count_suffix"]
    return {k * step: "0" if k == 0 else f"{k * step / scale:,g}{suffix}" for k in range(int(top // step) + 1)}


def map_label(name: str, width: int = 14) -> str:
    """A region name broken onto lines of about ``width`` columns for a map label (a Chinese
    character is two columns): at spaces in English, in the middle of a long Chinese name
    such as 湘西土家族苗族自治州."""

    def columns(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    if columns(name) <= width:
        return name
    if " " not in name:
        half = (len(name) + 1) // 2
        return name[:half] + "<br>" + name[half:]
    lines: list[str] = []
    for word in name.split():
        if lines and columns(lines[-1]) + 1 + columns(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def map_colors(values: Mapping[str, float]) -> tuple[dict[str, str], float, float]:
    """A colour per region on the continuous scale between the smallest and largest value (NaN: none)."""
    present = {k: float(v) for k, v in values.items() if v is not None and not pd.isna(v)}
    if not present:
        return {}, 0.0, 1.0
    lo, hi = min(present.values()), max(present.values())
    span = hi - lo or 1.0
    scale = [[pos, label_rgb(hex_to_rgb(color))] for pos, color in MAP_COLORSCALE]  # sample_colorscale reads rgb()
    colors = {k: sample_colorscale(scale, [(v - lo) / span])[0] for k, v in present.items()}
    return colors, lo, hi


def vital_heatmap(
    grid: pd.DataFrame, other: pd.DataFrame, vocab: Vocab, *, measure: str, highlight: str | None
) -> go.Figure:
    """Regions × years of one year-end measure; missing cells grey, household-registration cells
    white with a dashed red border and a † after the value (not on the colour scale: not comparable).
    """
    part = grid[grid["measure"] == measure]
    regions = list(dict.fromkeys(part["region_code"]))
    years = sorted(int(y) for y in part["year"].unique())
    names = {row["region_code"]: region_name(row, vocab) for _, row in part.iterrows()}
    unit = _unit(part, measure) or _unit(other, measure)
    cell = part.set_index(["region_code", "year"])
    hukou = other[other["measure"] == measure].set_index(["region_code", "year"])
    z, hover, text = [], [], []
    marks = {"compiled": "‡", "derived": "*", "low_confidence": "?"}
    for code in regions:
        zr, hr, tr = [], [], []
        for year in years:
            row = cell.loc[(code, year)]
            value = row["value"]
            zr.append(None if pd.isna(value) else float(value))
            h = figure_hover({**row.to_dict(), "region_code": code, "year": year}, vocab)
            t = "" if pd.isna(value) else fmt(value, unit) + marks.get(str(row["quality"]), "")
            if (code, year) in hukou.index:
                hrow = hukou.loc[(code, year)]
                h += "<br><br>" + figure_hover({**hrow.to_dict(), "region_code": code, "year": year}, vocab)
                if pd.isna(value):
                    t = fmt(hrow["value"], unit) + "†"
            hr.append(h)
            tr.append(t)
        z.append(zr)
        hover.append(hr)
        text.append(tr)
    y_labels = [names[c] for c in regions]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(y) for y in years],
            y=y_labels,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 11, "family": FONT_FAMILY},
            hovertext=hover,
            hoverinfo="text",
            hoverongaps=True,
            colorscale=[list(p) for p in COLORSCALE],
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": vocab.units.get(unit, unit)}, "thickness": 12},
        )
    )
    for code, year in hukou.index:
        if code in regions and year in years and pd.isna(cell.loc[(code, year), "value"]):
            i, j = regions.index(code), years.index(year)
            fig.add_shape(
                type="rect",
                x0=j - 0.5,
                x1=j + 0.5,
                y0=i - 0.5,
                y1=i + 0.5,
                line={"color": HUKOU_COLOR, "dash": "dash", "width": 2},
                fillcolor="white",
                layer="below",
            )
    if highlight in regions:
        i = regions.index(highlight)
        fig.add_shape(
            type="rect",
            x0=-0.5,
            x1=len(years) - 0.5,
            y0=i - 0.5,
            y1=i + 0.5,
            line={"color": HIGHLIGHT, "width": 3},
        )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    base_layout(fig, height=36 * len(regions) + 90)
    fig.update_layout(plot_bgcolor=NO_DATA_COLOR, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def association_scatter(
    frame: pd.DataFrame,
    vocab: Vocab,
    *,
    x: str,
    y: str,
    hover: Mapping[str, str],
    highlight: str | None,
) -> go.Figure:
    """One point per prefecture: the two chosen measures (columns of ``frame``), labelled by name.

    Prefectures missing either value are left out (the page lists them); ``hover`` holds
    each region's text with the figures' sources.
    """
    both = frame[frame[x].notna() & frame[y].notna()]
    names = [region_name(row, vocab) for _, row in both.iterrows()]
    fig = go.Figure(
        go.Scatter(
            x=_none(both[x]),
            y=_none(both[y]),
            mode="markers+text",
            text=names,
            textposition=label_positions(both[x], both[y]),
            textfont={"size": 11},
            marker={
                "size": 12,
                "color": [HIGHLIGHT if c == highlight else LINE_COLOR for c in both["region_code"]],
                "line": {"color": "white", "width": 1},
            },
            hovertext=[hover.get(c, "") for c in both["region_code"]],
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.update_xaxes(title=_axis_title(x, vocab), gridcolor="#eaeef2", zeroline=False)
    fig.update_yaxes(title=_axis_title(y, vocab), gridcolor="#eaeef2", zeroline=False)
    base_layout(fig, height=480)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return fig


def label_positions(xs: pd.Series, ys: pd.Series) -> list[str]:
    """Above or below each point, alternating between neighbours that sit close together
    (many prefectures share a value of 0 early in the year), so their names do not overprint."""
    x, y = xs.to_numpy(dtype=float), ys.to_numpy(dtype=float)
    if not len(x):
        return []
    dx, dy = (x.max() - x.min()) or 1.0, (y.max() - y.min()) or 1.0
    positions = ["top center"] * len(x)
    order = sorted(range(len(x)), key=lambda i: (x[i], y[i]))
    for prev, cur in itertools.pairwise(order):
        if abs(x[cur] - x[prev]) < 0.08 * dx and abs(y[cur] - y[prev]) < 0.06 * dy:
            positions[cur] = "bottom center" if positions[prev] == "top center" else "top center"
    return positions


def _axis_title(measure: str, vocab: Vocab) -> str:
    return vocab.paren(vocab.measures[measure], vocab.units.get(POPULATION_MEASURES.get(measure, measure), ""))


def association_hover(
    frame: pd.DataFrame, census: pd.DataFrame, vocab: Vocab, measures: Sequence[str], assoc_source: str
) -> dict[str, str]:
    """Hover text per region of ``frame`` (per_capita columns, census measures optional): each of
    ``measures`` with its value, year, quality and source; association ratios name both their
    sources (the association's report and the census population).
    """
    rows = census.set_index(["region_code", "measure"])
    names = census.drop_duplicates("region_code").set_index("region_code")
    out: dict[str, str] = {}
    for _, row in frame.iterrows():
        code = str(row["region_code"])
        lines = [f"<b>{region_name(names.loc[code], vocab) if code in names.index else code}</b>"]
        for m in measures:
            if m in ASSOCIATION_MEASURES:
                value = row.get(m)
                shown = vocab.words["missing"] if pd.isna(value) else f"{fmt(value, m)} {vocab.units.get(m, '')}"
                lines.append(f"{vocab.measures[m]}{vocab.words['colon']}{shown}")
                lines.append("  " + vocab.label("source", assoc_source))
                if (code, "population") in rows.index:
                    pop = rows.loc[(code, "population")]
                    tier = tier_label(pop.get("source_tier"), pop["quality"], vocab.tiers)
                    lines.append(
                        "  "
                        + vocab.label(
                            "population",
                            f"{fmt(pop['value'], 'persons')} · {CENSUS_YEAR} · "
                            f"{vocab.qualities.get(str(pop['quality']), pop['quality'])}"
                            + (f" · {tier}" if tier else ""),
                        )
                    )
                    if pd.notna(pop["source"]):
                        lines.append("  " + vocab.label("source", _wrap(str(pop["source"]))))
            elif (code, m) in rows.index:
                fig = rows.loc[(code, m)]
                unit = str(fig["unit"]) if pd.notna(fig["unit"]) else ""
                shown = (
                    vocab.words["missing"]
                    if pd.isna(fig["value"])
                    else f"{fmt(fig['value'], unit)} {vocab.units.get(unit, unit)}"
                )
                quality = vocab.qualities.get(str(fig["quality"]), fig["quality"])
                tier = tier_label(fig.get("source_tier"), fig["quality"], vocab.tiers)
                quality += f" · {tier}" if tier else ""
                lines.append(f"{vocab.measures[m]}{vocab.words['colon']}{shown} · {CENSUS_YEAR} · {quality}")
                if pd.notna(fig["source"]):
                    lines.append("  " + vocab.label("source", _wrap(str(fig["source"]))))
        out[code] = "<br>".join(lines)
    return out


# ---------------------------------------------------------------- tables (pandas Styler: sortable in st.dataframe)

ASSOC_COLUMNS: Final = (
    "population",
    "childcare_places",
    "childcare_places_per_1000",
    "instructors_in_post",
    "villages_reported",
    "instructors_per_10000",
    "family_health_funds_yuan",
    "childcare_funds_yuan",
    "funds_yuan",
    "funds_per_resident",
)


def _styled(table: pd.DataFrame, units: Mapping[str, str], styles: pd.DataFrame) -> Styler:
    """Numbers in their unit's precision, gaps as "—" (the values stay numbers, so columns sort)."""
    formats = {col: (lambda v, u=u: fmt(v, u)) for col, u in units.items()}
    return table.style.format(formats, na_rep="—").apply(lambda _: styles, axis=None)  # type: ignore[arg-type]


def census_table(census: pd.DataFrame, vocab: Vocab, *, measures: Sequence[str], highlight: str | None) -> Styler:
    """The census grid as one row per region and one column per measure: derived and
    low-confidence figures in italics, the selected region in bold."""
    order = list(dict.fromkeys(census["region_code"]))
    wide = census.pivot_table(index="region_code", columns="measure", values="value", aggfunc="first", sort=False)
    wide = wide.reindex(index=order, columns=list(measures))
    quality = census.pivot_table(index="region_code", columns="measure", values="quality", aggfunc="first")
    quality = quality.reindex(index=order, columns=list(measures))
    names = census.drop_duplicates("region_code").set_index("region_code")
    headers = {m: vocab.paren(vocab.measures[m], vocab.units.get(POPULATION_MEASURES[m], "")) for m in measures}
    table = pd.DataFrame(
        {
            vocab.columns["region_code"]: order,
            vocab.columns["name"]: [region_name(names.loc[c], vocab) for c in order],
            **{headers[m]: wide[m].to_numpy() for m in measures},
        }
    )
    styles = pd.DataFrame("", index=table.index, columns=table.columns)
    for m in measures:
        styles.loc[quality[m].isin(["derived", "low_confidence"]).to_numpy(), headers[m]] = "font-style: italic"
        styles.loc[(quality[m] == "compiled").to_numpy(), headers[m]] = f"color: {COMPILED_TEXT}"
    if highlight is not None:
        styles.loc[[c == highlight for c in order], :] += ";font-weight: bold"
    return _styled(table, {headers[m]: POPULATION_MEASURES[m] for m in measures}, styles)


def quality_items(census: pd.DataFrame, vocab: Vocab, *, all_regions: str) -> list[str]:
    """Which census figures are derived or low confidence: "15–64 share (all regions)", "sex ratio (Loudi)"."""
    odd = census[census["quality"].isin(["derived", "low_confidence"])]
    every = census["region_code"].nunique()
    return [
        vocab.paren(vocab.measures[m], all_regions if part["region_code"].nunique() == every else vocab.names(part))
        for m, part in odd.groupby("measure", sort=False)
    ]


def assoc_header(column: str, vocab: Vocab) -> str:
    if column in ASSOCIATION_MEASURES:
        return vocab.paren(vocab.measures[column], vocab.units[column])
    return vocab.columns[column]


def assoc_table(frame: pd.DataFrame, vocab: Vocab) -> pd.DataFrame:
    """The association figures per resident as a table with the UI's headers (for the page and the download)."""
    out = pd.DataFrame(
        {
            vocab.columns["region_code"]: frame["region_code"].to_numpy(),
            vocab.columns["name"]: [region_name(r, vocab) for _, r in frame.iterrows()],
        }
    )
    for column in ASSOC_COLUMNS:
        out[assoc_header(column, vocab)] = frame[column].to_numpy()
    return out


def assoc_styled(frame: pd.DataFrame, vocab: Vocab, *, highlight: str | None) -> Styler:
    table = assoc_table(frame, vocab)
    styles = pd.DataFrame("", index=table.index, columns=table.columns)
    if highlight is not None:
        styles.loc[(frame["region_code"] == highlight).to_numpy(), :] = "font-weight: bold"
    units = {assoc_header(c, vocab): c if c in ASSOCIATION_MEASURES else "persons" for c in ASSOC_COLUMNS}
    return _styled(table, units, styles)
