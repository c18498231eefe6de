"""The childcare page as a user sees it: its figures against an independent pandas computation
over the Parquet (province and two prefectures), a prefecture without points (0 when the
register exists, "no data" when nothing was reported), its filters, in both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import db
from tests.app.test_pages import run_page
from tests.unit.childcare_independent import independent, without_prefecture
from ui.i18n import catalog

PAGE = "pages/childcare.py"
JULY = dt.date(2023, 7, 31)  # 永州's closed point (closed 2023-07-21) no longer counts


def _metric(at: AppTest, lang: str, key: str) -> str:
    label = catalog(lang)[key]
    return next(m.value for m in at.metric if m.label == label)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _check_headline(at: AppTest, lang: str, expected: dict[str, float]) -> None:
    assert _number(_metric(at, lang, "childcare.kpi.points")) == expected["points"]
    assert _number(_metric(at, lang, "childcare.kpi.places")) == expected["places"]
    assert _number(_metric(at, lang, "childcare.kpi.funds")) == pytest.approx(expected["funds"])
    # shown with 3 decimals
    assert _number(_metric(at, lang, "childcare.kpi.per_1000")) == pytest.approx(expected["per_1000"], abs=5e-4)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headline_matches_an_independent_computation(lang: str) -> None:
    truth = independent(db.DEFAULT_DATA_DIR, JULY)
    at = run_page(PAGE, lang=lang, as_of=JULY.isoformat())
    assert not at.exception, [e.message for e in at.exception]
    _check_headline(at, lang, truth.loc["430000"].to_dict())
    for code in ("430100", "431100"):
        at.selectbox(key="region").set_value(code).run()
        assert not at.exception, [e.message for e in at.exception]
        _check_headline(at, lang, truth.loc[code].to_dict())


def _points_table(at: AppTest) -> pd.DataFrame:
    # AppTest does not expose a dataframe's key: the list is the table with a point-name column
    name = catalog("zh")["childcare.col.name"]
    return next(d.value for d in at.dataframe if name in d.value.columns)


def test_the_state_filter_narrows_the_list_of_points() -> None:
    # the register worked out with pandas over the Parquet: the points of 2023 planned by 31
    # December are listed; those closed by then are the closed ones
    points = pd.read_parquet(db.DEFAULT_DATA_DIR / "exports/childcare_points")
    points = points[points["plan_year"] == 2023]
    year_end = pd.Timestamp("2023-12-31")
    planned = points[pd.to_datetime(points["planned_on"]) <= year_end]
    shut = points[pd.to_datetime(points["closed_on"]) <= year_end]
    assert len(shut) > 0 and len(shut) < len(planned)  # the filter has something to narrow
    name = catalog("zh")["childcare.col.name"]
    at = run_page(PAGE, lang="zh", as_of="2023-12-31")
    everything = _points_table(at)
    assert sorted(everything[name]) == sorted(planned["name_zh"])
    at.multiselect(key="childcare_state_filter").set_value(["closed"]).run()
    closed = _points_table(at)
    assert sorted(closed[name]) == sorted(shut["name_zh"])
    assert set(closed[catalog("zh")["childcare.col.state"]]) == {catalog("zh")["childcare.state.closed"]}


def test_a_prefecture_without_points_shows_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FPA_DATA_DIR", str(without_prefecture(tmp_path, "430800")))
    at = run_page(PAGE, lang="zh", as_of="2023-12-31", region="430800")
    assert not at.exception, [e.message for e in at.exception]
    assert _metric(at, "zh", "childcare.kpi.points") == "0"
    assert _metric(at, "zh", "childcare.kpi.places") == "0"
    assert _metric(at, "zh", "childcare.kpi.funds") == "0"
    assert _metric(at, "zh", "childcare.kpi.per_1000") == "0.000"
    assert any(c.value == catalog("zh")["childcare.rule.register"] for c in at.caption)


def test_without_a_register_the_page_says_no_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FPA_DATA_DIR", str(without_prefecture(tmp_path, None)))
    at = run_page(PAGE, lang="en", as_of="2023-12-31", region="430800")
    assert not at.exception, [e.message for e in at.exception]
    no_data = catalog("en")["status.no_data"]
    for key in ("childcare.kpi.points", "childcare.kpi.places", "childcare.kpi.funds", "childcare.kpi.per_1000"):
        assert _metric(at, "en", key) == no_data, key
    assert any(c.value == catalog("en")["childcare.rule.register_empty"].format(year=2023) for c in at.caption)


def test_places_per_thousand_on_the_map_of_a_prefecture_falls_back_to_prefectures() -> None:
    at = run_page(PAGE, lang="en", region="431100")
    at.radio(key="childcare_map_metric").set_value("per_1000").run()
    assert not at.exception, [e.message for e in at.exception]
    note = catalog("en")["childcare.map.county_note"]
    assert any(note in c.value for c in at.caption)


def test_the_associations_places_are_not_drawn_against_the_national_target() -> None:
    """Issue 17, item 8: 4.5 per 1,000 is a target for all childcare in society; the page shows the
    association's contribution without it and gives the public figures as labelled context."""
    import json

    at = run_page(PAGE, lang="zh", as_of="2023-12-31")
    assert not at.exception, [e.message for e in at.exception]
    cat = catalog("zh")
    charts = {c.proto.id.split("-", 2)[-1]: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    spec = charts["childcare_per_1000_chart"]
    assert not spec["layout"].get("shapes") and not spec["layout"].get("annotations")
    assert [t["type"] for t in spec["data"]] == ["bar"]
    # the axis ends near the association's largest value, far below 4.5 (independent: pandas over the Parquet)
    truth = independent(db.DEFAULT_DATA_DIR, dt.date(2023, 12, 31))
    top = truth["per_1000"].max()
    assert top < 0.1 and spec["layout"]["xaxis"]["range"][1] == pytest.approx(top * 1.25, rel=1e-3)
    # no chart on the page has a line, shape or trace at 4.5
    for key, s in charts.items():
        at_goal = [x for x in s["layout"].get("shapes", []) if 4.5 in (x.get("x0"), x.get("x1"), x.get("y0"))]
        assert not at_goal, key
    # no "share of the places needed for 4.5" anywhere
    for d in at.dataframe:
        assert not any("4.5" in str(c) or "所需" in str(c) for c in d.value.columns)
    # the national target and the public figures stand as labelled context, with sources
    context = next(d.value for d in at.dataframe if cat["childcare.context.col.tier"] in d.value.columns)
    values = dict(
        zip(context[cat["childcare.context.col.region"]], context[cat["childcare.context.col.value"]], strict=False)
    )
    assert values["长沙市"] == 3.93
    assert sorted(context[cat["childcare.context.col.value"]]) == [2.03, 3.93, 4.5]
    assert context[cat["childcare.context.col.source"]].str.len().gt(0).all()
    assert any(cat["childcare.context.title"] in m.value for m in at.markdown)
    assert any("不是计生协的目标" in c.value for c in at.caption)
