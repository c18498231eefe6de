"""Sign-in in a real browser: a server with a users file, each role signs in and sees only the
pages its role allows; a forbidden page's address, typed in, shows the refusal.

The server of this module is its own (``FPA_USERS_FILE`` set, a data root whose audit log is
temporary); the shared server of the other e2e tests runs without users, in the local demo
mode, which the last test checks is labelled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from analytics import audit
from analytics import auth as core
from tests.auth_support import PASSWORD, USERS, data_root, make_users
from tests.e2e.app_page import SETTLE_TIMEOUT_MS, AppPage
from tests.e2e.conftest import Server, start_server
from ui.i18n import catalog
from ui.nav import PAGES, PageSpec

pytestmark = pytest.mark.e2e

ZH = catalog("zh")
NAME_OF = {role: name for name, (role, _scope) in USERS.items()}


@pytest.fixture(scope="module")
def secured_server(
    chromium: Path, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Path]]:
    """A server of this module's own, with the test users; yields it and its data root.

    Its first browser session is opened and left here: that session reruns once by itself
    (Streamlit's pages/ folder mode, see app.py), with a pause between the two runs in which the
    app looks idle; a sign-in typed into the first run's form would be lost. test_pages.py tests
    that first session; here it is only used up."""
    folder = tmp_path_factory.mktemp("e2e_auth")
    root = data_root(folder / "data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FPA_DATA_DIR", str(root))
        users = make_users(folder / "users.json", mp)
    server = start_server(folder / "server.log", env={"FPA_USERS_FILE": str(users), "FPA_DATA_DIR": str(root)})
    context = browser.new_context()
    first = context.new_page()
    first.goto(server.url)
    first.get_by_role("button", name=ZH["auth.submit"], exact=True).wait_for(timeout=SETTLE_TIMEOUT_MS)
    first.wait_for_timeout(3000)  # the second run has come and gone
    context.close()
    yield server, root
    server.stop()


def sign_in(tab: AppPage, name: str, password: str = PASSWORD) -> None:
    main = tab.area("main")
    assert main.locator("h1").first.inner_text().strip() == ZH["auth.title"], "the sign-in form is not shown"
    main.get_by_label(ZH["auth.name"], exact=True).fill(name)
    main.get_by_label(ZH["auth.password"], exact=True).fill(password)
    # as AppPage.expect_rerun, without failing on an error alert: a refusal is one
    before = tab.page.evaluate("() => window.__e2eRuns")
    main.get_by_role("button", name=ZH["auth.submit"], exact=True).click()
    tab.page.wait_for_function("(n) => window.__e2eRuns > n", arg=before, timeout=SETTLE_TIMEOUT_MS)
    tab.settle(check=False)


def nav_titles(tab: AppPage) -> list[str]:
    links = tab.page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]')
    # a link's text is its icon's ligature name, then its title
    return [text.strip().splitlines()[-1] for text in links.all_inner_texts()]


def refused(tab: AppPage) -> bool:
    return tab.title() == ZH["auth.refused_title"] and any(ZH["auth.refused"][:5] in e for e in tab.exceptions())


def allowed(role: str) -> list[PageSpec]:
    return [s for s in PAGES if core.role_allows(role, s.min_role)]


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
def test_each_role_sees_only_its_pages(
    role: str, secured_server: tuple[Server, Path], new_tab: Callable[..., AppPage], screenshot_dir: Path
) -> None:
    server, root = secured_server
    name = NAME_OF[role]
    tab = new_tab(server).open("/", lang="zh")
    # signed out: the form only, no navigation and no figures
    assert not nav_titles(tab) and not tab.metrics()
    tab.screenshot(screenshot_dir / "auth_sign_in_zh.png")
    sign_in(tab, name)
    tab.check_no_exception()
    assert tab.title() == ZH["home.title"].format(year=2023)
    assert nav_titles(tab) == [ZH[s.title_key] for s in allowed(role)]
    sidebar = tab.area("sidebar").inner_text()
    assert ZH[f"auth.role.{role}"] in sidebar and ZH["auth.sign_out"] in sidebar
    assert PASSWORD not in tab.page.content() and "$argon2" not in tab.page.content()
    tab.screenshot(screenshot_dir / f"auth_{role}_home_zh.png")

    # every page above the role, typed into the address bar: a new session, sign in, the refusal
    for spec in [s for s in PAGES if s not in allowed(role)]:
        tab.open(f"/{spec.url_path}", check=False, lang="zh")
        sign_in(tab, name)
        assert refused(tab), f"{spec.url_path}: {tab.title()!r} {tab.exceptions()}"
        assert tab.url_params.get("lang") == "zh" and tab.page.url.split("?")[0].endswith(f"/{spec.url_path}")
        tab.screenshot(screenshot_dir / f"auth_{role}_refused_{spec.url_path}_zh.png")
    log = audit.read(root)
    mine = log[log["user"] == name]
    assert "sign_in" in set(mine["event"])
    assert (mine["event"] == "refused").sum() == len(PAGES) - len(allowed(role))


def test_a_wrong_password_is_refused(secured_server: tuple[Server, Path], new_tab: Callable[..., AppPage]) -> None:
    server, _root = secured_server
    tab = new_tab(server).open("/", lang="zh")
    sign_in(tab, NAME_OF["viewer"], "not the password")
    assert ZH["auth.failed"] in tab.exceptions()
    assert tab.title() == ZH["auth.title"] and not nav_titles(tab)


def test_an_admin_opening_the_users_page_by_address_gets_it(
    secured_server: tuple[Server, Path], new_tab: Callable[..., AppPage], screenshot_dir: Path
) -> None:
    server, _root = secured_server
    tab = new_tab(server).open("/users", check=False, lang="zh")
    sign_in(tab, NAME_OF["admin"])
    tab.check_no_exception()
    assert tab.title() == ZH["users.title"]
    assert PASSWORD not in tab.page.content() and "$argon2" not in tab.page.content()
    tab.screenshot(screenshot_dir / "auth_admin_users_zh.png")


def test_demo_mode_is_labelled(new_tab: Callable[..., AppPage]) -> None:
    """The shared server runs without users: the local demo mode says so, and there is no sign-in."""
    tab = new_tab().open("/population", lang="zh")
    notice = tab.page.locator('[data-testid="stMain"] details.fpa-notice')
    assert notice.get_by_text(ZH["auth.demo_tag"], exact=True).is_visible()
    notice.locator("summary").click()  # the tag opens on a click (a tap on a phone) to the full text
    assert notice.get_by_text(ZH["auth.demo_mode"], exact=True).is_visible()
    assert ZH["auth.demo_sidebar"] in tab.area("sidebar").inner_text()
