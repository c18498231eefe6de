"""The data quality page in AppTest: what it shows equals pandas over the bundled Parquet, in both
languages, and its own choices change what it shows."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.app.test_pages import run_page
from tests.unit import quality_independent as independent
from ui.i18n import catalog

PAGE = "pages/quality.py"


def _metrics(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize(("lang", "region", "as_of"), [("zh", "430000", "2023-12-31"), ("en", "430900", "2023-06-30")])
def test_page_figures_equal_pandas(lang: str, region: str, as_of: str) -> None:
    at = run_page(PAGE, lang=lang, region=region, as_of=as_of)
    assert not at.exception, [e.message for e in at.exception]
    c = catalog(lang)
    shown = _metrics(at)
    prefecture = None if region == "430000" else region
    reports = independent.reporting(prefecture, dt.date.fromisoformat(as_of))
    assert shown[c["quality.reporting.expected"]] == f"{reports['expected']:,}"
    assert shown[c["quality.reporting.received"]] == f"{reports['received']:,}"
    assert shown[c["quality.reporting.completeness"]] == f"{reports['received'] / reports['expected']:.1%}"
    assert shown[c["quality.reporting.timeliness"]] == f"{reports['on_time'] / reports['expected']:.1%}"
    assert shown[c["quality.reporting.figure_timeliness"]] == f"{reports['figures_on_time'] / reports['figures']:.1%}"
    villages = independent.villages(prefecture, dt.date.fromisoformat(as_of))
    assert shown[c["quality.villages.units"]] == f"{villages['units']:,}"
    assert shown[c["quality.villages.never"]] == f"{villages['never_reported']:,}"
    # the demo data breaks no rule: the page says so, with the number of rules it checked
    successes = [s.value for s in at.success]
    assert any(s.startswith(c["quality.rules.none"].split("{")[0]) for s in successes), successes
    # the six sections, in the page's language
    sections = ("reporting", "values", "villages", "outliers", "rules", "external")
    assert [h.value for h in at.header] == [c[f"quality.{s}.title"] for s in sections]


def test_outlier_indicator_narrows_the_list() -> None:
    at = run_page(PAGE, lang="zh", region="430000", as_of="2023-12-31")
    score = catalog("zh")["quality.col.score"]

    def flagged() -> int:
        return len(next(d.value for d in at.dataframe if score in d.value.columns))

    everything = flagged()
    indicator = at.selectbox(key="quality_outlier_indicator")
    indicator.select(indicator.options[1]).run()
    assert not at.exception
    assert 0 < flagged() < everything


def test_heatmap_measure_switch_and_prefecture_change_the_page() -> None:
    at = run_page(PAGE, lang="en", region="430000", as_of="2023-12-31")
    expected = catalog("en")["quality.reporting.expected"]
    province = _metrics(at)[expected]
    at.segmented_control(key="quality_heatmap_measure").set_value("timeliness").run()
    assert not at.exception
    at.selectbox(key="region").set_value("430800").run()
    assert not at.exception
    assert _metrics(at)[expected] == f"{independent.reporting('430800', dt.date(2023, 12, 31))['expected']:,}"
    assert _metrics(at)[expected] != province
