"""Issue 20.7 in a real browser: an address that is no page opens the overview without Streamlit's
English "Page not found" dialog (and its console error) — the landing page's old addresses
silently, any other with a notice in the page's language."""

from __future__ import annotations

import pytest

from tests.e2e.app_page import AppPage
from ui.i18n import catalog
from ui.nav import OLD_LANDING_PATHS

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def not_the_first_session(new_tab) -> None:
    """Open the app once first: a server's very first session runs Streamlit's pages/-folder mode,
    which finds pages/home.py at /home by its file name (app.py then leaves that mode), so /home
    would open the overview there even without the detours this file tests."""
    new_tab().open("/")


def dialogs(tab: AppPage) -> list[str]:
    found: list[str] = tab.page.evaluate(
        "() => [...document.querySelectorAll('[role=\"dialog\"]')].map((d) => d.innerText.trim())"
    )
    return found


def path_of(tab: AppPage) -> str:
    return str(tab.page.evaluate("() => location.pathname"))


def check_overview(tab: AppPage, lang: str) -> None:
    tab.wait_for_param("lang", lang)
    assert path_of(tab) == "/", tab.page.url
    assert tab.title() == catalog(lang)["home.title"].format(year=2023)
    assert tab.page.get_by_role("link", name=catalog(lang)["nav.home"]).first.get_attribute("aria-current") == "page"
    assert not dialogs(tab), dialogs(tab)
    assert "Page not found" not in tab.page.inner_text("body")


@pytest.mark.parametrize("old", OLD_LANDING_PATHS)
def test_an_old_address_of_the_overview_opens_it(new_tab, old: str) -> None:
    tab = new_tab().open(f"/{old}")  # settle() fails on the console error the dialog came with
    check_overview(tab, "zh")
    assert not tab.page.get_by_text(catalog("zh")["nav.no_such_page"].format(path=old)).count()


def test_the_filters_of_an_old_link_travel_along(new_tab) -> None:
    tab = new_tab().open("/home", lang="en", as_of="2023-06-30", region="430100")
    check_overview(tab, "en")
    assert tab.url_params == {"lang": "en", "year": "2023", "as_of": "2023-06-30", "region": "430100"}
    assert tab.sidebar_value("Region") == "Changsha"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_address_says_so_in_the_pages_language(new_tab, lang: str) -> None:
    tab = new_tab().open("/no-such-page", lang=lang)
    check_overview(tab, lang)
    notice = catalog(lang)["nav.no_such_page"].format(path="no-such-page")
    assert tab.page.get_by_text(notice, exact=True).is_visible()
    # said once: the next rerun (another as-of date) no longer shows it
    tab.select(catalog(lang)["filters.as_of"], "2023-06-30")
    assert not tab.page.get_by_text(notice, exact=True).count()
