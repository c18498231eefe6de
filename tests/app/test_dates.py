"""The as-of date of a link is honoured or visibly corrected, and no chart draws actuals after it
(issue 17, item 4). Expected dates and values are worked out here from the calendar and the
Parquet files, not read from the app."""

from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import db
from tests.app.test_pages import run_page
from ui.i18n import catalog
from ui.nav import PAGES

DATA = db.DEFAULT_DATA_DIR
HOME = PAGES[0].path
ATTAINMENT = next(p.path for p in PAGES if p.path.endswith("attainment.py"))


def _latest_month() -> str:
    """The default date: the last month end the progress export covers."""
    progress = pd.read_parquet(DATA / "exports" / "progress")
    return str(pd.Timestamp(progress["period_end"].max()).date())


def _warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_a_mid_month_date_in_the_link_is_honoured_and_says_what_it_judges() -> None:
    at = run_page(HOME, as_of="2023-06-15")
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["filters"].as_of == dt.date(2023, 6, 15)
    assert at.selectbox(key="as_of").value == "2023-06-15"
    # reports are monthly: 15 June is judged on 31 May, the last complete month end
    assert any(c.startswith("数据截至5月31日（最近完整月份）") for c in _captions(at)), _captions(at)
    assert not any("链接中的日期" in w for w in _warnings(at))
    # the other month ends stay choosable beside it
    assert {"2023-05-31", "2023-06-15", "2023-06-30"} <= set(at.selectbox(key="as_of").options)


def test_a_mid_month_date_is_said_in_english_too() -> None:
    at = run_page(HOME, as_of="2023-07-15", lang="en")
    assert not at.exception, [e.message for e in at.exception]
    assert any(c.startswith("Data through 30 June (the last complete month)") for c in _captions(at))


def test_a_month_end_needs_no_notice() -> None:
    at = run_page(HOME, as_of="2023-06-30")
    assert not at.exception, [e.message for e in at.exception]
    assert not any("最近完整月份" in c for c in _captions(at))
    assert not any("链接中的日期" in w for w in _warnings(at))


@pytest.mark.parametrize(
    ("wanted", "reason"),
    [("2023-02-30", "malformed"), ("junk", "malformed"), ("2022-06-15", "out_of_year"), ("2024-01-31", "out_of_year")],
)
def test_a_date_that_cannot_be_shown_is_corrected_with_a_notice(wanted: str, reason: str) -> None:
    at = run_page(HOME, as_of=wanted)
    assert not at.exception, [e.message for e in at.exception]
    shown = _latest_month()
    assert at.session_state["filters"].as_of.isoformat() == shown
    expected = catalog("zh")[f"dates.corrected.{reason}"].format(wanted=wanted, shown=shown, year=2023)
    assert expected in _warnings(at)
    assert wanted in expected and shown in expected


def _series_traces(at: AppTest) -> dict[str, dict[str, object]]:
    """The month-by-month chart's traces by name (the one chart with the 'actual' trace)."""
    actual = catalog("zh")["attainment.actual"]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        traces = {str(d.get("name")): d for d in spec["data"]}
        if actual in traces:
            return traces
    raise AssertionError("no month-by-month chart on the page")


def _values(data: object) -> list[float]:
    """A trace's numbers: a list, or plotly's typed array ({"dtype", "bdata"} in base64)."""
    if isinstance(data, dict):
        return [float(v) for v in np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])]
    return [float(v) for v in data]  # type: ignore[union-attr]


def _independent_coverage(through: str) -> dict[str, float]:
    """Province share of village-level units with ≥ 2 instructors at each month end up to ``through``
    (each unit's latest report on or before the month end; every unit in the denominator)."""
    units = pd.read_parquet(DATA / "reference" / "regions").query("level == 'village'")["region_code"]
    ins = pd.read_parquet(DATA / "exports" / "instructors")
    ins = ins[ins["plan_year"] == 2023]
    ins["period_end"] = pd.to_datetime(ins["period_end"])
    out = {}
    for month in sorted(ins["period_end"].unique()):
        if month > pd.Timestamp(through):
            break
        last = ins[ins["period_end"] <= month].sort_values("period_end").groupby("region_code").tail(1)
        covered = int((last["instructors_in_post"] >= 2).sum())
        out[str(pd.Timestamp(month).date())] = covered / len(units)
    return out


@pytest.mark.parametrize(("as_of", "through"), [("2023-06-30", "2023-06-30"), ("2023-06-15", "2023-05-31")])
def test_the_month_by_month_chart_draws_no_actual_after_the_as_of_date(as_of: str, through: str) -> None:
    at = run_page(ATTAINMENT, as_of=as_of)  # the province, instructor coverage (the page's default)
    assert not at.exception, [e.message for e in at.exception]
    traces = _series_traces(at)
    actual = traces[catalog("zh")["attainment.actual"]]
    xs = [str(x)[:10] for x in actual["x"]]  # type: ignore[union-attr]
    expected = _independent_coverage(through)
    assert xs == list(expected), xs
    assert _values(actual["y"]) == pytest.approx(list(expected.values()))
    # the plan's lines still cover the whole year
    assert len(traces[catalog("zh")["attainment.expected_line"]]["x"]) == 12  # type: ignore[arg-type]
