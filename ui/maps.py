"""Maps of prefectures and counties, drawn as plain SVG shapes: nothing is fetched.

Plotly's geo maps fetch a world topojson from a CDN even with the base map hidden, and
its tile maps draw text labels with fonts fetched from the internet (and render to a
WebGL canvas that static exports and tests cannot read). A map here is a cartesian
plot instead: each region's polygons are filled scatter shapes (longitude, latitude,
latitude stretched by 1/cos(latitude) so shapes keep their proportions), its name is a
text label at its centroid, and the label's marker carries the region code so that a
click on it selects the region.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.theme import FONT_FAMILY, STATUS_COLORS, STATUS_MARK, TEXT, WHITE, contrast
from views.regions import short_name

# short_name is the regions' own wording (views/regions.py): the pages and the pack label maps with it
__all__ = ["short_name"]

# a region without a colour of its own is drawn as the status set's "no data"
NO_DATA_COLOR = STATUS_COLORS["no_data"]
MIN_LABEL_SHARE = 0.02  # a region smaller than this share of the map gets no printed label


@dataclass(frozen=True)
class Shape:
    code: str
    name_zh: str
    rings: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]  # (lons, lats) per outer ring
    centroid: tuple[float, float]
    area: float  # in square degrees: only to compare regions' sizes


def _ring_area_centroid(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float, float]:
    """Signed area and centroid of a closed ring (shoelace formula)."""
    x0, y0 = xs[:-1], ys[:-1]
    x1, y1 = xs[1:], ys[1:]
    cross = x0 * y1 - x1 * y0
    area = cross.sum() / 2
    if area == 0:
        return 0.0, float(xs.mean()), float(ys.mean())
    cx = ((x0 + x1) * cross).sum() / (6 * area)
    cy = ((y0 + y1) * cross).sum() / (6 * area)
    return float(area), float(cx), float(cy)


# bounded: the path names a data version's folder, and every publish makes a new one (the app reads
# the outlines through ui.cached.map_shapes, shared per data version; the pack's command line here)
@lru_cache(maxsize=4)
def load_shapes(path: Path) -> dict[str, Shape]:
    """Region code → outline, from one of the bundled GeoJSON files."""
    data = json.loads(path.read_text(encoding="utf-8"))
    shapes: dict[str, Shape] = {}
    for feature in data["features"]:
        props = feature["properties"]
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = []
        best = (0.0, 0.0, 0.0)
        total = 0.0
        for polygon in polygons:
            outer = np.asarray(polygon[0], dtype=float)
            rings.append((tuple(outer[:, 0].round(4)), tuple(outer[:, 1].round(4))))
            area, cx, cy = _ring_area_centroid(outer[:, 0], outer[:, 1])
            total += abs(area)
            if abs(area) > abs(best[0]):
                best = (area, cx, cy)
        code = str(props.get("region_code") or feature.get("id"))
        shapes[code] = Shape(code, str(props.get("name_zh", code)), tuple(rings), (best[1], best[2]), total)
    return shapes


def boundaries_path(data_dir: Path, level: str) -> Path | None:
    """The GeoJSON of ``level`` (prefecture or county) in a data folder, if it has one."""
    path = data_dir / "reference" / "boundaries" / f"{'prefectures' if level == 'prefecture' else 'counties'}.geojson"
    return path if path.is_file() else None


def region_map(
    shapes: Mapping[str, Shape],
    regions: pd.DataFrame,
    *,
    colors: Mapping[str, str],
    labels: Mapping[str, str],
    hover: Mapping[str, str],
    status: Mapping[str, str] | None = None,
    legend: Sequence[tuple[str, str]] = (),
    colorbar: tuple[str, Sequence[tuple[float, str]], float, float] | None = None,
    colorbar_format: str = "",
    outline: tuple[str, str] | None = None,
    height: int = 560,
) -> go.Figure:
    """A filled map of ``regions`` (column region_code) in the order given.

    ``colors``: fill per region code (regions without one are drawn grey, "no data");
    ``labels``: text written at each region's centroid; ``hover``: hover text per region;
    ``status``: a status (analytics.attainment.STATUSES) per region code, for a map of statuses:
    the region is filled with the status's colour (over ``colors``) and its label's last line
    starts with the status's mark, so colour is never the only cue (see :func:`status_labels`);
    ``legend``: (name, colour) pairs shown as a legend (for status colours);
    ``colorbar``: (title, colorscale, min, max) for a continuous scale, its ticks in
    ``colorbar_format`` (a d3 format: ".0%" for shares); ``outline``: (region code, colour)
    of one region drawn with a thick border (the region the reader is looking at).

    Everything is drawn here, nothing added after: the pages keep the figure shared
    between sessions (``ui.cached.region_map``), so it must come out finished.
    """
    fig = go.Figure()
    codes = [c for c in regions["region_code"] if c in shapes]
    if status:
        colors = {**colors, **{c: STATUS_COLORS[s] for c, s in status.items()}}
        labels = status_labels(labels, status)
    for code in codes:
        shape = shapes[code]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for lons, lats in shape.rings:
            xs.extend([*lons, None])
            ys.extend([*lats, None])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=colors.get(code, NO_DATA_COLOR),
                line={"color": outline[1], "width": 3}
                if outline and outline[0] == code
                else {"color": "white", "width": 1.2},
                hoveron="fills",
                hoverinfo="text",
                text=hover.get(code, labels.get(code, code)),
                showlegend=False,
                name=labels.get(code, code),
            )
        )
    # labels with a clickable marker each; customdata carries the code for selections.
    # Regions too small to hold their name (city districts) keep the marker and hover text
    # but no label, so neighbouring names do not print over each other.
    drawn = sum(shapes[c].area for c in codes) or 1.0
    fig.add_trace(
        go.Scatter(
            x=[shapes[c].centroid[0] for c in codes],
            y=[shapes[c].centroid[1] for c in codes],
            mode="markers+text",
            text=[labels.get(c, c) if shapes[c].area / drawn >= MIN_LABEL_SHARE else "" for c in codes],
            textposition="middle center",
            # a label reads on its own fill: white on the dark statuses, dark elsewhere, at least
            # WCAG AA's 4.5 : 1 (label_color), semi-bold so a projector's washed-out picture keeps
            # the strokes. No halo: plotly's is a 1 px shadow on four sides, which at this size
            # turns dark CJK strokes into pale outlined ones.
            textfont={
                "family": FONT_FAMILY,
                "size": 12,
                "weight": 600,
                "color": [label_color(colors.get(c, NO_DATA_COLOR)) for c in codes],
            },
            marker={"size": 18, "color": "rgba(255,255,255,0.01)"},
            customdata=codes,
            hovertext=[hover.get(c, labels.get(c, c)) for c in codes],
            hoverinfo="text",
            showlegend=False,
            name="labels",
        )
    )
    for name, color in legend:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 12, "color": color, "symbol": "square"},
                name=name,
                showlegend=True,
            )
        )
    if colorbar is not None:
        title, scale, lo, hi = colorbar
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={
                    "color": [lo, hi],
                    "colorscale": [list(p) for p in scale],
                    "cmin": lo,
                    "cmax": hi,
                    "showscale": True,
                    "colorbar": {"title": {"text": title}, "thickness": 14, "len": 0.7, "tickformat": colorbar_format},
                },
                showlegend=False,
                hoverinfo="skip",
            )
        )
    mean_lat = float(np.mean([shapes[c].centroid[1] for c in codes])) if codes else 27.5
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(visible=False, fixedrange=True, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mean_lat)))
    fig.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 30, "b": 0},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": FONT_FAMILY, "size": 13},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        dragmode=False,
        clickmode="event+select",
    )
    return fig


def status_labels(labels: Mapping[str, str], status: Mapping[str, str]) -> dict[str, str]:
    """``labels`` with each region's status mark before its last line ("张家界<br>! 95%"); a region
    with a status and no label gets the mark alone."""
    out = dict(labels)
    for code, s in status.items():
        head, sep, last = out.get(code, "").rpartition("<br>")
        out[code] = f"{head}{sep}{STATUS_MARK[s]} {last}".rstrip()
    return out


BLACK = "#000000"
LABEL_CONTRAST = 4.5  # WCAG AA for text


def _hex(fill: str) -> str | None:
    """``fill`` as #rrggbb: a hex colour, or plotly's rgb()/rgba() (an rgba laid over the white map)."""
    fill = fill.strip().lower()
    if fill.startswith("#") and len(fill) == 7:
        return fill
    if fill.startswith("#") and len(fill) == 4:
        return "#" + "".join(ch * 2 for ch in fill[1:])
    if fill.startswith("rgb"):
        parts = [float(p) for p in fill[fill.index("(") + 1 : fill.index(")")].split(",")]
        alpha = parts[3] if len(parts) == 4 else 1.0
        rgb = [round(c * alpha + 255 * (1 - alpha)) for c in parts[:3]]
        return "#" + "".join(f"{min(max(c, 0), 255):02x}" for c in rgb)
    return None


def label_color(fill: str) -> str:
    """The text colour of a label on ``fill``: white or the page's dark text, whichever reads
    better; where neither reaches 4.5 : 1 (a mid-tone of a colour scale), black or white, one of
    which always does (≥ 4.58 : 1 on any opaque colour). A fill it cannot read takes the dark text."""
    fill_hex = _hex(fill)
    if fill_hex is None:
        return TEXT
    best = WHITE if contrast(fill_hex, WHITE) > contrast(fill_hex, TEXT) else TEXT
    if contrast(fill_hex, best) >= LABEL_CONTRAST:
        return best
    return WHITE if contrast(fill_hex, WHITE) > contrast(fill_hex, BLACK) else BLACK


def selected_code(event: object) -> str | None:
    """The region code of the label a user clicked, from ``st.plotly_chart(on_select=…)``'s result."""
    try:
        points = event["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        code = point.get("customdata")
        if isinstance(code, list):
            code = code[0] if code else None
        if code:
            return str(code)
    return None
