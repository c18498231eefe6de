"""Population page figures: DataFrame → plotly Figure. Pure: no Streamlit, no queries; text comes in a Vocab
(views.population, with the hover texts and tables the page's model holds).

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

import pandas as pd
import plotly.graph_objects as go
from pandas.io.formats.style import Styler
from plotly.colors import hex_to_rgb, label_rgb, sample_colorscale
from plotly.subplots import make_subplots

from analytics.contract import POPULATION_MEASURES
from analytics.population import (
    ASSOCIATION_MEASURES,
    HOUSEHOLD_REGISTRATION,
    SERIES_BREAK_YEAR,
)
from ui.charts import base_layout
from ui.maps import NO_DATA_COLOR
from ui.theme import FONT_FAMILY, PRIMARY, SEQUENTIAL
from views.format import WAN, axis_ticks, count
from views.i18n import text
from views.population import (  # the words, hover texts and tables the figures share with the page's model
    ASSOC_COLUMNS,
    Vocab,
    assoc_header,
    assoc_table,
    figure_hover,
    fmt,
    region_name,
)

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
GRID = {"gridcolor": "#eaeef2"}


def _numbers(rows: Sequence[Sequence[float | None]]) -> list[float]:
    return [v for row in rows for v in row if v is not None]


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
        persons = _none(pd.concat([part["value"], hukou["value"]])) if _unit(series, measure) == "persons" else []
        ticks = _person_ticks([v for v in persons if v is not None], vocab, from_zero=False, n=5)
        axes[yref.replace("y", "yaxis", 1)] = {
            **ticks,
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
            # two or three ticks: four panels a row leave a phone about 80 px a panel
            ticks = _person_ticks(part["value"].dropna().tolist(), vocab, from_zero=True, n=3)
            axes[xaxis] = {**ticks, "nticks": None, "tickangle": 0, **GRID}
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


def _person_ticks(values: Sequence[float], vocab: Vocab, *, from_zero: bool, n: int = 4) -> dict[str, object]:
    """A persons axis's ticks as the UI's language counts (views.format.axis_ticks): "6,900 万" in
    Chinese, "69,000,000" in English, never plotly's "69M"."""
    if not values:
        return {}
    lo, hi = (min(0.0, *values), max(values)) if from_zero else (min(values), max(values))
    ticks = axis_ticks(lo, hi, vocab.lang, n=n)
    return {"tickmode": "array", "tickvals": list(ticks), "ticktext": list(ticks.values())}


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
    z: list[list[float | None]] = []
    hover, text = [], []

    def short(v: object, u: str) -> str:
        # a cell is narrow: persons in 万 in Chinese (the hover keeps the exact figure)
        return count(v, "zh", unit_zh="") if u == "persons" and vocab.lang == "zh" else fmt(v, u)

    marks = {"compiled": "‡", "derived": "*", "low_confidence": "?"}
    for code in regions:
        zr, hr, tr = [], [], []
        for year in years:
            row = cell.loc[(code, year)]
            value = row["value"]
            zr.append(None if pd.isna(value) else float(value))
            h = figure_hover({**row.to_dict(), "region_code": code, "year": year}, vocab)
            t = "" if pd.isna(value) else short(value, unit) + marks.get(str(row["quality"]), "")
            if (code, year) in hukou.index:
                hrow = hukou.loc[(code, year)]
                h += "<br><br>" + figure_hover({**hrow.to_dict(), "region_code": code, "year": year}, vocab)
                if pd.isna(value):
                    t = short(hrow["value"], unit) + "†"
            hr.append(h)
            tr.append(t)
        z.append(zr)
        hover.append(hr)
        text.append(tr)
    y_labels = [names[c] for c in regions]
    colorbar: dict[str, object] = {"title": {"text": vocab.units.get(unit, unit)}, "thickness": 12}
    if unit == "persons":  # the colour bar counts people as the cells do
        colorbar.update(_person_ticks(_numbers(z), vocab, from_zero=False))
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
            colorbar=colorbar,
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


# ---------------------------------------------------------------- tables (pandas Styler: sortable in st.dataframe)


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


# the association's money columns (yuan)
YUAN_COLUMNS = ("family_health_funds_yuan", "childcare_funds_yuan", "funds_yuan")


def assoc_styled(frame: pd.DataFrame, vocab: Vocab, *, highlight: str | None) -> Styler:
    table = assoc_table(frame, vocab)
    styles = pd.DataFrame("", index=table.index, columns=table.columns)
    if highlight is not None:
        styles.loc[(frame["region_code"] == highlight).to_numpy(), :] = "font-weight: bold"
    units = {assoc_header(c, vocab): c if c in ASSOCIATION_MEASURES else "persons" for c in ASSOC_COLUMNS}
    if vocab.lang == "zh":
        # money as Chinese tables count it: in 万元 (the download keeps the exact yuan)
        wan = {assoc_header(c, vocab): text(f"population.col.{c}_wan", "zh") for c in YUAN_COLUMNS}
        table = table.rename(columns=wan)
        table[list(wan.values())] = table[list(wan.values())] / WAN
        styles = styles.rename(columns=wan)
        units = {wan.get(col, col): ("wan_yuan" if col in wan else u) for col, u in units.items()}
    return _styled(table, units, styles)
