"""Another province's plan in a real browser (issue 21): a server over a data root holding
Hunan's 2023 plan and a small Hubei plan for 2024 (tests/other_province.py). At 2024 the
overview and the attainment page draw Hubei's prefectures, name Hubei's association and notice,
and the attainment page says there is no map for Hubei (no boundaries in the data) instead of
drawing an empty frame; no exception, no console error, nothing requested from outside.

Expected names are read from the data root's region files with pandas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser

from tests import other_province as hubei
from tests.e2e.app_page import SETTLE_TIMEOUT_MS, AppPage
from tests.e2e.conftest import Server, start_server
from ui.i18n import catalog

pytestmark = pytest.mark.e2e

MAP = ".st-key-attainment_map"  # the attainment map's element (its widget key)
PARAMS = {"year": str(hubei.YEAR), "as_of": hubei.AS_OF.isoformat()}


def t(key: str, lang: str, **values: object) -> str:
    text = catalog(lang)[key]
    return text.format(**values) if values else text


@pytest.fixture(scope="module")
def hubei_server(
    chromium: Path, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Path]]:
    """A server of this module's own over the two-province data root; yields it and the root.

    Its first browser session reruns once by itself (Streamlit's pages/ folder mode, see app.py);
    it is opened and left here, as tests/e2e/test_auth.py does."""
    folder = tmp_path_factory.mktemp("e2e_hubei")
    root = hubei.build(folder / "root", folder / "work")
    server = start_server(folder / "server.log", env={"FPA_DATA_DIR": str(root)})
    context = browser.new_context()
    first = context.new_page()
    first.goto(server.url)
    first.locator('[data-testid="stMain"] h1').first.wait_for(timeout=SETTLE_TIMEOUT_MS)
    first.wait_for_timeout(3000)  # the second run has come and gone
    context.close()
    yield server, root
    server.stop()


def prefecture_names(root: Path, lang: str) -> list[str]:
    regions = pd.concat(pd.read_parquet(p) for p in sorted((root / "reference" / "regions").glob("*.parquet")))
    mine = regions[(regions["level"] == "prefecture") & regions["region_code"].str.startswith("42")]
    return list(mine[f"name_{lang}"].fillna(mine["name_zh"]))


def main_text(tab: AppPage) -> str:
    return tab.area("main").inner_text()


def test_the_overview_draws_the_other_provinces_plan(
    hubei_server: tuple[Server, Path], new_tab: Callable[..., AppPage], screenshot_dir: Path
) -> None:
    server, root = hubei_server
    tab = new_tab(server).open("/", lang="zh", **PARAMS)
    tab.wait_for_charts()
    tab.screenshot(screenshot_dir / "other_province_home_zh.png")
    assert tab.url_params["region"] == hubei.PROVINCE, "the sidebar starts from the plan year's province"
    text = main_text(tab)
    assert f"《{hubei.ASSOCIATION_ZH}{hubei.YEAR}年工作要点》（{hubei.NOTICE_NO}）" in text
    assert "湖南" not in text and "湘计生协" not in text
    names = prefecture_names(root, "zh")
    assert "宜昌市" in names and "宜昌市" in text  # on the follow-up list (its campaign events are behind)
    assert all(marks > 0 for marks in tab.chart_marks()), tab.chart_marks()
    # a prefecture of the province is offered in the sidebar and opens its own view
    tab.select(t("filters.region", "zh"), "武汉市")
    tab.wait_for_param("region", "420100")
    assert tab.sidebar_value(t("filters.region", "zh")) == "武汉市"


def test_the_attainment_page_ranks_the_other_provinces_prefectures(
    hubei_server: tuple[Server, Path], new_tab: Callable[..., AppPage], screenshot_dir: Path
) -> None:
    server, root = hubei_server
    tab = new_tab(server).open("/attainment", lang="en", **PARAMS)
    tab.wait_for_charts()
    tab.screenshot(screenshot_dir / "other_province_attainment_en.png")
    text = main_text(tab)
    for name in prefecture_names(root, "en"):
        assert name in text, f"{name} is not on the page"
    assert "Changsha" not in text  # no Hunan prefecture
    # no boundaries of Hubei in the data: said in words, and no map frame among the charts
    assert t("plan.no_map", "en", province="Hubei") in text
    assert tab.page.locator(MAP).count() == 0
    assert all(marks > 0 for marks in tab.chart_marks()), tab.chart_marks()


def test_hunan_keeps_its_map_on_the_same_server(
    hubei_server: tuple[Server, Path], new_tab: Callable[..., AppPage]
) -> None:
    server, _ = hubei_server
    tab = new_tab(server).open("/attainment", lang="en", year="2023", as_of="2023-06-30")
    assert tab.url_params["region"] == "430000"
    text = main_text(tab)
    assert "Changsha" in text and "Wuhan" not in text
    assert t("plan.no_map", "en", province="Hunan") not in text
    assert tab.page.locator(MAP).count() == 1  # the map's element, as the Hubei test looks for it
    assert all(marks > 0 for marks in tab.wait_for_charts()), tab.chart_marks()
