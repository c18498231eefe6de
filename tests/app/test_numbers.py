"""Numbers on every page's charts as people read them (issue 20, item 6).

Every page of ``ui.nav.PAGES`` runs in AppTest in Chinese and English; every plotly figure it
sends to the browser is read back from the page (the JSON Streamlit serves) and each numeric axis
and colour bar is checked against the values drawn on it:

* from 1,000 up, plotly's own labels would read "50k" / "69M" (its default exponentformat "B"):
  the axis must set exponentformat "none" or carry its own tick labels;
* in Chinese, an axis reaching 1万 carries labels in 万 ("6,900 万"); in English full numbers
  with separators, never a k / M / B suffix;
* the population page's year-end population panel shows the province's figures in 万
  (worked out here from the reference Parquet).
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.app.test_pages import run_page
from ui.nav import PAGES

DATA = Path(__file__).resolve().parents[2] / "data"
SI = re.compile(r"^[-−]?[\d.,]+\s*[kKMGB]$")
WAN_LABEL = re.compile(r"^(0|-?\d{1,3}(,\d{3})*(\.\d+)? 万)$")
# pages whose charts have a numeric axis on the bundled data (a guard against reading nothing)
CHARTED = ("home", "attainment", "childcare", "training", "population", "quality")
FULL_LABEL = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$")


def _numbers(values: object) -> list[float]:
    if isinstance(values, dict) and "bdata" in values:  # plotly's typed arrays: {"dtype": "f8", "bdata": base64}
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
        return [float(v) for v in array if np.isfinite(v)]
    if isinstance(values, dict):
        return []
    if isinstance(values, list):
        return [x for v in values for x in _numbers(v)]
    if isinstance(values, int | float) and not isinstance(values, bool) and math.isfinite(values):
        return [float(values)]
    return []


def figures(at: object) -> Iterator[dict]:
    for chart in at.get("plotly_chart"):  # type: ignore[attr-defined]
        yield json.loads(chart.proto.spec)


def axes(fig: dict) -> Iterator[tuple[str, dict, list[float]]]:
    """(axis name, its layout, the numbers drawn along it) for every cartesian axis with numbers."""
    layout = fig.get("layout", {})
    found: dict[str, list[float]] = {}
    for trace in fig.get("data", []):
        if trace.get("type", "scatter") not in ("scatter", "bar", "scattergl"):
            continue
        for key, ref in (("x", trace.get("xaxis", "x")), ("y", trace.get("yaxis", "y"))):
            name = key + "axis" + ref[1:]
            found.setdefault(name, []).extend(_numbers(trace.get(key)))
    for name, nums in found.items():
        axis = layout.get(name, {})
        if nums and axis.get("type") not in ("category", "date", "multicategory"):
            yield name, axis, nums


def colour_bars(fig: dict) -> Iterator[tuple[dict, list[float]]]:
    for trace in fig.get("data", []):
        if trace.get("type") == "heatmap":
            yield trace.get("colorbar", {}), _numbers(trace.get("z"))


def check(label: str, axis: dict, nums: list[float], lang: str) -> list[str]:
    """What is wrong with ``axis`` (a layout axis or a colour bar) drawing ``nums``."""
    top = max(abs(min(nums)), abs(max(nums))) if nums else 0
    if top < 1000 or "%" in str(axis.get("tickformat", "")):
        return []
    texts = axis.get("ticktext")
    problems = []
    if texts is None:
        if axis.get("exponentformat") != "none":
            problems.append(f"{label}: reaches {top:,.0f} with plotly's own k/M labels")
        if lang == "zh" and top >= 10_000:
            problems.append(f"{label}: reaches {top:,.0f} without labels in 万")
        return problems
    for text in texts:
        if SI.match(str(text)):
            problems.append(f"{label}: tick {text!r} has an SI suffix")
        elif lang == "zh" and top >= 10_000 and not WAN_LABEL.match(str(text)):
            problems.append(f"{label}: tick {text!r} is not in 万")
        elif lang == "en" and not FULL_LABEL.match(str(text)):
            problems.append(f"{label}: tick {text!r} is not a full number")
    return problems


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_no_chart_counts_in_k_or_m(spec, lang: str) -> None:
    at = run_page(spec.path, lang=lang)
    assert not at.exception, [e.message for e in at.exception]
    problems = []
    checked = 0
    for i, fig in enumerate(figures(at)):
        for name, axis, nums in axes(fig):
            problems += check(f"figure {i} {name}", axis, nums, lang)
            checked += 1
        for bar, nums in colour_bars(fig):
            problems += check(f"figure {i} colour bar", bar, nums, lang)
    assert not problems, problems
    if spec.url_path in CHARTED:
        assert checked, "the page's figures were read (no numeric axis found)"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_population_axis_counts_in_wan(lang: str) -> None:
    """The province's year-end population (65.7–69.2 million) is labelled 6,900 万 / 69,000,000."""
    ref = pd.read_parquet(DATA / "reference" / "population" / "population.parquet")
    mine = ref[(ref["region_code"] == "430000") & (ref["measure"] == "yearend_population") & ref["value"].notna()]
    inside = int(mine["value"].max() // 1_000_000) * 1_000_000  # a round million inside the data's range
    assert mine["value"].min() <= inside
    want = f"{inside // 10_000:,} 万" if lang == "zh" else f"{inside:,}"
    at = run_page(next(p.path for p in PAGES if p.url_path == "population"), lang=lang)
    series = next(figures(at))
    assert want in series["layout"]["yaxis"]["ticktext"], series["layout"]["yaxis"]["ticktext"]
