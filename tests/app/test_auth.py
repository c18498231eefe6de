"""Sign-in, roles and the audit log, through the whole app (app.py) in Streamlit's AppTest.

A users file made by the command line (``tests.auth_support``) is configured with
FPA_USERS_FILE; the data root links to the bundled data and keeps its own audit log. Opening
a page "by URL" is ``AppTest.switch_page``: what a browser asks for when a page's address is
typed in. The role tests run over ``ui.nav.PAGES``, so a page registered later with a
``min_role`` is covered by them, plus a probe page of the tests' own whose script records
whether it ran.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from analytics import audit
from analytics import auth as core
from tests.auth_support import CHEAP_HASHER, PASSWORD, USERS, data_root, make_users
from ui import auth as ui_auth
from ui import nav
from ui.i18n import catalog
from ui.nav import PAGES, PageSpec

TIMEOUT = 60
APP = Path(__file__).resolve().parents[2] / "app.py"
ZH = catalog("zh")
ROLE_OF = {name: role for name, (role, _scope) in USERS.items()}
NAME_OF = {role: name for name, role in ROLE_OF.items()}


# ---------------------------------------------------------------- fixtures and helpers


def notices(at: AppTest) -> str:
    """The page header's notice tag with its full texts (ui.components.notice_html): empty when there is none."""
    return "".join(h.proto.body for h in at.get("html") if 'class="fpa-notice"' in h.proto.body)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data root for the module (the app's data cache is keyed by its path)."""
    return data_root(tmp_path_factory.mktemp("auth") / "data")


@pytest.fixture(scope="module")
def users_template(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FPA_DATA_DIR", str(root))
        return make_users(tmp_path_factory.mktemp("etc") / "users.json", mp)


@pytest.fixture
def secured(root: Path, users_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Users configured: a fresh copy of the users file for each test; returns its path."""
    users = tmp_path / "users.json"
    shutil.copy(users_template, users)
    monkeypatch.setenv("FPA_DATA_DIR", str(root))
    monkeypatch.setenv("FPA_USERS_FILE", str(users))
    monkeypatch.delenv("FPA_TRUSTED_PROXIES", raising=False)
    monkeypatch.setattr(core.passwords, "HASHER", CHEAP_HASHER)
    ui_auth.GUARD.reset()  # failures of one test do not slow the next
    return users


def start(**params: str) -> AppTest:
    script = f"import runpy\nrunpy.run_path({str(APP)!r}, run_name='__main__')\n"
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    at.button(key="auth_submit").click()
    return at.run()


def open_page(at: AppTest, path: str | Path) -> AppTest:
    at.switch_page(str(APP.parent / path))
    return at.run()


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def shown_text(at: AppTest) -> str:
    """Everything the page sends to the browser, as text: every element's message, tables included."""
    return "\n".join(str(node.proto) for node in at._tree if getattr(node, "proto", None) is not None)


def events_since(root: Path, count: int) -> pd.DataFrame:
    """The audit events recorded after the first ``count`` ones."""
    return audit.read(root).iloc[count:].reset_index(drop=True)


def details(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [json.loads(d) for d in frame["detail"]]


def is_refused(at: AppTest) -> bool:
    return titles(at) == [ZH["auth.refused_title"]] and any(ZH["auth.refused"].split("“")[0] in e for e in errors(at))


def is_sign_in_form(at: AppTest) -> bool:
    return titles(at) == [ZH["auth.title"]] and [w.key for w in at.text_input] == ["auth_name", "auth_password"]


ABOVE_VIEWER = [s for s in PAGES if s.min_role != "viewer"]


@pytest.fixture
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[PageSpec, Path]]:
    """An analyst page of the tests' own: its script writes a file when it runs."""
    ran = tmp_path / "probe_ran"
    page = tmp_path / "probe_page.py"
    page.write_text(
        f"import pathlib\nimport streamlit as st\npathlib.Path({str(ran)!r}).write_text('ran')\nst.title('PROBE')\n",
        encoding="utf-8",
    )
    spec = PageSpec(str(page), "probe", "nav.home", ":material/science:", min_role="analyst")
    monkeypatch.setattr(nav, "PAGES", (*PAGES, spec))
    yield spec, ran


# ---------------------------------------------------------------- signed out: the form only


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_signed_out_sees_the_sign_in_form_and_no_data(secured: Path, spec: PageSpec) -> None:
    at = start()
    if spec != PAGES[0]:
        open_page(at, spec.path)
    assert not at.exception
    assert is_sign_in_form(at)
    # nothing of the data: no filters, figures, tables, charts or data banners
    assert not at.selectbox and not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert ZH["demo.banner"] not in notices(at)
    assert ZH["auth.demo_mode"] not in notices(at)


def test_signed_out_probe_page_never_runs(secured: Path, probe) -> None:
    spec, ran = probe
    at = open_page(start(), spec.path)
    assert is_sign_in_form(at) and not ran.exists()


def test_sign_in_form_follows_the_language_in_the_url(secured: Path) -> None:
    at = start(lang="en")
    assert titles(at) == [catalog("en")["auth.title"]]
    assert at.text_input(key="auth_password").label == "Password"


def test_the_language_chosen_before_signing_in_is_kept(secured: Path) -> None:
    at = start()
    at.segmented_control(key="auth_lang").set_value("en").run()
    assert titles(at) == [catalog("en")["auth.title"]]
    sign_in(at, "vera")
    assert not at.exception
    assert titles(at) == [catalog("en")["home.title"].format(year=2023)]
    assert at.segmented_control(key="lang").value == "en"


def test_a_prefecture_user_starts_on_their_prefecture(secured: Path) -> None:
    at = sign_in(start(), "anna")  # Changsha's analyst
    assert at.selectbox(key="region").value == "430100"
    at = sign_in(start(region="431100"), "anna")  # a link still opens what it says
    assert at.selectbox(key="region").value == "431100"


# ---------------------------------------------------------------- signing in


def test_wrong_password_is_refused_and_recorded(secured: Path, root: Path) -> None:
    before = len(audit.read(root))
    at = sign_in(start(), "vera", "not the password")
    assert is_sign_in_form(at)
    assert ZH["auth.failed"] in errors(at)
    new = events_since(root, before)
    assert list(new["event"]) == ["sign_in_failed"] and list(new["user"]) == ["vera"]
    assert details(new)[0]["reason"] == "bad_credentials"
    assert "not the password" not in shown_text(at)


def test_an_unknown_name_is_refused_like_a_wrong_password_and_not_logged(secured: Path, root: Path) -> None:
    before = len(audit.read(root))
    # a password typed into the name field must not end up in the log
    at = sign_in(start(), "hunter2hunter2", PASSWORD)
    assert ZH["auth.failed"] in errors(at)
    new = events_since(root, before)
    assert list(new["event"]) == ["sign_in_failed"] and new["user"].isna().all()
    assert "hunter2" not in new["detail"].iloc[0]


def test_right_password_signs_in_and_is_recorded(secured: Path, root: Path) -> None:
    before = len(audit.read(root))
    at = sign_in(start(), "Vera")  # the name is not case-sensitive
    assert not at.exception
    assert titles(at) == [ZH["home.title"].format(year=2023)]
    assert at.selectbox(key="region").value == "430000"
    assert ZH["auth.demo_mode"] not in notices(at), "no demo-mode label when signed in"
    new = events_since(root, before)
    assert list(new["event"]) == ["sign_in"] and list(new["user"]) == ["vera"]


def test_the_page_asked_for_is_shown_after_signing_in(secured: Path) -> None:
    at = open_page(start(), "pages/users.py")
    assert is_sign_in_form(at)
    sign_in(at, "adam")
    assert not at.exception and titles(at)[0] == ZH["users.title"]


def test_repeated_failures_lock_the_name_on_the_server(secured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [5000.0]
    guard = core.SignInGuard(
        by_name=core.RateLimiter(clock=lambda: now[0]), by_client=core.RateLimiter(clock=lambda: now[0], free=10)
    )
    monkeypatch.setattr(ui_auth, "GUARD", guard)
    at = start()
    sign_in(at, "anna", "wrong one")
    sign_in(at, "anna", "wrong two")  # the first lock (1 s) has not run out: refused, locked 1 s
    now[0] += 1
    sign_in(at, "anna", "wrong three")  # a real failure: locked 2 s
    sign_in(at, "anna")  # the right password, during the lock: still refused
    assert is_sign_in_form(at)
    assert ZH["auth.locked"].format(seconds=2) in errors(at)
    now[0] += 2
    sign_in(at, "anna")
    assert not is_sign_in_form(at) and not at.exception


# ---------------------------------------------------------------- roles: pages refused on the server


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_pages_above_the_role_are_refused_by_url(secured: Path, root: Path, role: str, probe) -> None:
    probe_spec, ran = probe
    at = sign_in(start(), NAME_OF[role])
    before = len(audit.read(root))
    refused = [s for s in (*ABOVE_VIEWER, probe_spec) if not core.role_allows(role, s.min_role)]
    allowed = [s for s in (*ABOVE_VIEWER, probe_spec) if core.role_allows(role, s.min_role)]
    assert refused, "there is a page above every role but admin's"
    for spec in refused:
        open_page(at, spec.path)
        assert not at.exception
        assert is_refused(at), (spec.url_path, titles(at), errors(at))
    assert not ran.exists() or probe_spec in allowed, "the probe page's script ran for a role below it"
    new = events_since(root, before)
    assert list(new["event"]) == ["refused"] * len(refused)
    assert [d["what"] for d in details(new)] == [s.url_path for s in refused]
    assert set(new["user"]) == {NAME_OF[role]}
    for spec in allowed:
        open_page(at, spec.path)
        assert not at.exception and not is_refused(at), spec.url_path
    if probe_spec in allowed:
        assert ran.exists() and "PROBE" in titles(at)


def test_a_refusal_is_recorded_once_per_session(secured: Path, root: Path) -> None:
    at = sign_in(start(), "vera")
    before = len(audit.read(root))
    open_page(at, "pages/users.py")
    at.run()
    open_page(at, "pages/users.py")
    assert is_refused(at)
    assert list(events_since(root, before)["event"]) == ["refused"]


def test_admin_reaches_every_page(secured: Path) -> None:
    at = sign_in(start(), "adam")
    for spec in ABOVE_VIEWER:
        open_page(at, spec.path)
        assert not at.exception and not is_refused(at), spec.url_path


def test_village_list_downloads_are_for_analysts(secured: Path) -> None:
    def download_keys(name: str) -> list[str]:
        at = open_page(sign_in(start(), name), "pages/training.py")
        assert not at.exception
        return [b.proto.id for b in at.get("download_button")]

    assert not any("training_short_download" in k for k in download_keys("vera"))
    assert any("training_short_download" in k for k in download_keys("anna"))


# ---------------------------------------------------------------- no secret anywhere


def test_no_password_or_hash_on_any_page_or_in_the_log(secured: Path, root: Path) -> None:
    hashes = [u.password_hash for u in core.load_users(secured).users]
    # the hash's salt and digest, which would show even if the "$argon2" prefix were cut
    pieces = [h.rsplit("$", 2)[-2] for h in hashes] + [h.rsplit("$", 1)[-1] for h in hashes]

    def check(at: AppTest, where: str) -> None:
        text = shown_text(at)
        assert PASSWORD not in text, where
        assert "$argon2" not in text, where
        assert not [p for p in pieces if p in text], where

    at = sign_in(start(), "adam", "a wrong password")
    check(at, "sign-in form after a failure")
    sign_in(at, "adam")
    for spec in PAGES:
        open_page(at, spec.path)
        assert not at.exception, spec.url_path
        check(at, spec.url_path)
    log = audit.read(root)
    assert not log["detail"].str.contains(PASSWORD, regex=False).any()
    assert not log["detail"].str.contains("$argon2", regex=False).any()
    assert not log["detail"].str.contains("a wrong password", regex=False).any()


# ---------------------------------------------------------------- sessions


def test_an_idle_session_expires(secured: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FPA_SESSION_IDLE_MINUTES", "1")
    now = [1_000_000.0]
    monkeypatch.setattr(ui_auth, "_now", lambda: now[0])
    at = sign_in(start(), "vera")
    now[0] += 59
    at.run()
    assert not is_sign_in_form(at), "59 s of an allowed minute: still signed in"
    before = len(audit.read(root))
    now[0] += 60
    at.run()
    assert is_sign_in_form(at)
    assert ZH["auth.notice.idle"].format(idle="1", hours="12") in [i.value for i in at.info]
    new = events_since(root, before)
    assert list(new["event"]) == ["session_expired"] and details(new) == [{"reason": "idle"}]


def test_a_busy_session_ends_after_its_lifetime(secured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FPA_SESSION_MAX_HOURS", "0.01")  # 36 s, with the idle limit of 30 minutes
    now = [1_000_000.0]
    monkeypatch.setattr(ui_auth, "_now", lambda: now[0])
    at = sign_in(start(), "vera")
    for step in (20, 15):  # active all the time, 35 s after signing in
        now[0] += step
        at.run()
        assert not is_sign_in_form(at)
    now[0] += 1
    at.run()
    assert is_sign_in_form(at)
    assert ZH["auth.notice.lifetime"].format(idle="30", hours="0.01") in [i.value for i in at.info]


def test_signing_out(secured: Path, root: Path) -> None:
    at = sign_in(start(), "anna")
    before = len(audit.read(root))
    at.button(key="auth_sign_out").click()
    at.run()
    assert is_sign_in_form(at)
    assert ZH["auth.notice.signed_out"] in [i.value for i in at.info]
    assert list(events_since(root, before)["event"]) == ["sign_out"]


def test_a_new_password_ends_the_open_sessions(secured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = sign_in(start(), "anna")
    monkeypatch.setattr(core.users, "_now_text", lambda now=None: "2099-01-01T00:00:00+00:00")
    core.update_users(secured, lambda u: core.set_password(u, "anna", "a brand new password"))
    at.run()
    assert is_sign_in_form(at)
    assert ZH["auth.notice.account_changed"] in [i.value for i in at.info]


def test_a_removed_user_is_signed_out(secured: Path) -> None:
    at = sign_in(start(), "anna")
    core.update_users(secured, lambda u: core.remove_user(u, "anna"))
    at.run()
    assert is_sign_in_form(at)


def test_a_role_change_applies_at_the_next_click(secured: Path) -> None:
    at = sign_in(start(), "vera")
    open_page(at, "pages/users.py")
    assert is_refused(at)
    core.update_users(secured, lambda u: core.change_user(u, "vera", role="admin"))
    at.run()
    assert titles(at) == [ZH["users.title"]]


# ---------------------------------------------------------------- the users page


def test_admin_adds_a_user_on_the_users_page(secured: Path, root: Path) -> None:
    at = open_page(sign_in(start(), "adam"), "pages/users.py")
    assert titles(at) == [ZH["users.title"]]
    table = at.dataframe[0].value  # the users (AppTest gives dataframes no key)
    assert sorted(table["name"]) == sorted(USERS)
    assert "password_hash" not in table.columns
    before = len(audit.read(root))
    at.text_input(key="users_add_name").input("Wang.Wu")
    at.text_input(key="users_add_display").input("王五")
    at.selectbox(key="users_add_role").set_value("analyst")
    at.selectbox(key="users_add_scope").set_value("431100")
    at.text_input(key="users_add_password").input("a good new password")
    at.text_input(key="users_add_password2").input("a good new password")
    at.button(key="users_add_submit").click()
    at.run()
    assert not at.exception and not errors(at)
    wang = core.load_users(secured).get("wang.wu")
    assert wang is not None and (wang.role, wang.scope, wang.display_name) == ("analyst", "431100", "王五")
    new = events_since(root, before)
    assert list(new["event"]) == ["user_added"] and list(new["user"]) == ["adam"]
    assert "a good new password" not in shown_text(at)
    # the audit table shows the event (newest first)
    assert at.dataframe[1].value["user"].iloc[0] == "adam"


def test_admin_changes_sets_a_password_and_removes(secured: Path, root: Path) -> None:
    at = open_page(sign_in(start(), "adam"), "pages/users.py")
    before = len(audit.read(root))
    at.selectbox(key="users_change_name").set_value("anna").run()
    at.selectbox(key="users_change_role_anna").set_value("viewer")
    at.selectbox(key="users_change_scope_anna").set_value("430000")
    at.button(key="users_change_submit").click().run()
    anna = core.load_users(secured).get("anna")
    assert (anna.role, anna.scope) == ("viewer", "430000")
    assert list(at.dataframe[0].value.set_index("name").loc["anna", ["role", "scope"]]) == ["查看者", "全省"]
    at.text_input(key="users_passwd_password").input("another fine password")
    at.text_input(key="users_passwd_password2").input("another fine password")
    at.button(key="users_passwd_submit").click().run()
    assert core.verify_password(core.load_users(secured).get("anna").password_hash, "another fine password")
    at.selectbox(key="users_change_name").set_value("vera").run()
    at.checkbox(key="users_remove_confirm_vera").check().run()
    at.button(key="users_remove_submit").click().run()
    assert not at.exception
    assert core.load_users(secured).get("vera") is None
    assert sorted(at.dataframe[0].value["name"]) == ["adam", "anna"], "the table is redrawn after the change"
    new = events_since(root, before)
    assert list(new["event"]) == ["user_changed", "password_set", "user_removed"]
    assert set(new["user"]) == {"adam"} and [d["name"] for d in details(new)] == ["anna", "anna", "vera"]
    assert "another fine password" not in shown_text(at)


def test_admin_cannot_remove_themselves(secured: Path) -> None:
    at = open_page(sign_in(start(), "adam"), "pages/users.py")
    at.selectbox(key="users_change_name").set_value("adam").run()
    at.checkbox(key="users_remove_confirm_adam").check().run()
    assert at.button(key="users_remove_submit").disabled


def test_mismatched_passwords_add_nobody(secured: Path) -> None:
    at = open_page(sign_in(start(), "adam"), "pages/users.py")
    at.text_input(key="users_add_name").input("zhao")
    at.text_input(key="users_add_password").input("a good new password")
    at.text_input(key="users_add_password2").input("another password")
    at.button(key="users_add_submit").click()
    at.run()
    assert ZH["users.error.mismatch"] in errors(at)
    assert core.load_users(secured).get("zhao") is None


# ---------------------------------------------------------------- configuration


def test_a_users_file_in_the_data_folder_is_refused(secured: Path, root: Path, monkeypatch) -> None:
    monkeypatch.setenv("FPA_USERS_FILE", str(root / "users.json"))
    at = start()
    assert ZH["auth.config_error"] in errors(at)
    assert not at.selectbox and not at.metric


def test_a_missing_users_file_fails_closed(secured: Path) -> None:
    """FPA_USERS_FILE set to a file that is not there (a typo): no demo mode, no pages."""
    secured.unlink()
    at = start()
    assert ZH["auth.config_error"] in errors(at)
    assert not at.selectbox and not at.metric and not at.text_input


def test_an_empty_users_file_fails_closed(secured: Path) -> None:
    """A 0-byte file (emptied by hand, a failed copy) is a configuration error, not the demo mode;
    a file the command line emptied ({"users": {}}, only with --allow-empty) is the demo mode."""
    secured.write_text("", encoding="utf-8")
    at = start()
    assert ZH["auth.config_error"] in errors(at)
    assert f"users file {secured} is empty" in at.code[0].value
    assert not at.selectbox and not at.metric and not at.text_input
    secured.write_text('{"format": 1, "users": {}}', encoding="utf-8")
    at = start()
    assert titles(at) == [ZH["home.title"].format(year=2023)]
    assert ZH["auth.demo_mode"] in notices(at)


def test_a_folder_as_the_users_file_names_the_setting_and_the_path(secured: Path, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    monkeypatch.setenv("FPA_USERS_FILE", str(folder))
    at = start()
    assert not at.exception
    assert ZH["auth.config_error"] in errors(at)
    assert at.code[0].value.startswith(f"FPA_USERS_FILE names {folder}, which is a folder")
    assert not at.selectbox and not at.metric and not at.text_input


def test_a_bad_trusted_proxies_setting_fails_closed(secured: Path, monkeypatch) -> None:
    monkeypatch.setenv("FPA_TRUSTED_PROXIES", "127.0.0.1,the-proxy")
    at = start()
    assert ZH["auth.config_error"] in errors(at)
    assert "FPA_TRUSTED_PROXIES: 'the-proxy'" in at.code[0].value
    assert not at.text_input


def test_a_broken_users_file_fails_closed(secured: Path) -> None:
    secured.write_text('{"users": {"vera": ', encoding="utf-8")
    at = start()
    assert ZH["auth.config_error"] in errors(at)
    assert not at.selectbox and not at.metric and not at.text_input


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("FPA_USERS_FILE", raising=False)
    monkeypatch.delenv("FPA_ALLOW_OPEN_DEMO", raising=False)
    monkeypatch.delenv("FPA_TRUSTED_PROXIES", raising=False)
    address = st_config.get_option("server.address")
    yield
    st_config.set_option("server.address", address)


def test_demo_mode_says_so_and_needs_no_sign_in(demo: None) -> None:
    at = start()
    assert not at.exception and titles(at) == [ZH["home.title"].format(year=2023)]
    assert ZH["auth.demo_mode"] in notices(at)


@pytest.mark.parametrize("address", ["0.0.0.0", "", "10.1.2.3"])  # noqa: S104
def test_demo_mode_is_refused_off_loopback(demo: None, monkeypatch, address: str) -> None:
    st_config.set_option("server.address", address)
    at = start()
    assert titles(at) == [ZH["auth.title"]]
    assert any(e.startswith(ZH["auth.open_demo_refused"][:10]) for e in errors(at))
    assert not at.selectbox and not at.metric
    monkeypatch.setenv("FPA_ALLOW_OPEN_DEMO", "1")
    at = start()
    assert titles(at) == [ZH["home.title"].format(year=2023)]
    assert ZH["auth.demo_mode"] in notices(at)


@pytest.fixture
def on_loopback() -> Iterator[None]:
    """The server listens on 127.0.0.1 (as README's command and the e2e tests start it)."""
    address = st_config.get_option("server.address")
    st_config.set_option("server.address", "127.0.0.1")
    yield
    st_config.set_option("server.address", address)


def request_from(monkeypatch: pytest.MonkeyPatch, peer: str | None, headers: list[tuple[str, str]]) -> None:
    """What st.context would report for the session's request (AppTest cannot set it)."""
    monkeypatch.setattr(ui_auth, "_request", lambda: (peer, headers))


def is_remote_demo_refusal(at: AppTest, why: str) -> bool:
    return titles(at) == [ZH["auth.title"]] and any(
        e.startswith(ZH[f"auth.remote_demo_refused.{why}"][:20]) for e in errors(at)
    )


def test_demo_mode_refuses_a_request_forwarded_by_a_local_proxy(
    secured: Path, root: Path, on_loopback: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18, case 6: no users (the last one removed), the server on loopback, a proxy on this
    machine forwarding 198.51.100.23. The users page is not served as the demo admin."""
    core.update_users(secured, lambda u: core.UsersFile())
    before = len(audit.read(root))
    # uvicorn (believing loopback) reports the forwarded address as the peer
    request_from(monkeypatch, "198.51.100.23", [("Host", "fpa"), ("X-Forwarded-For", "198.51.100.23")])
    at = open_page(start(), "pages/users.py")
    assert not at.exception
    assert is_remote_demo_refusal(at, "untrusted_proxy")
    assert ZH["users.title"] not in titles(at) and not at.dataframe and not at.selectbox and not at.metric
    assert ZH["auth.demo_mode"] not in notices(at)
    new = events_since(root, before)
    assert list(new["event"]) == ["refused"] and details(new)[0]["what"] == "demo_mode"
    # with the proxy configured as trusted, the visitor is known and still not on this machine
    monkeypatch.setenv("FPA_TRUSTED_PROXIES", "127.0.0.1,::1")
    at = open_page(start(), "pages/users.py")
    assert is_remote_demo_refusal(at, "trusted_proxy") and "198.51.100.23" in errors(at)[0]
    # the same machine's browser, straight to the server: the demo mode, users page included
    request_from(monkeypatch, None, [("Host", "127.0.0.1:8501")])
    at = open_page(start(), "pages/users.py")
    assert not at.exception and titles(at)[0] == ZH["users.title"]
    assert ZH["auth.demo_mode"] in notices(at)


@pytest.mark.parametrize(
    ("peer", "headers", "why"),
    [
        ("10.1.2.3", [], "direct"),  # a listener on 127.0.0.1 reached from elsewhere (a tunnel)
        (None, [("X-Real-IP", "198.51.100.23")], "untrusted_proxy"),
        (None, [("Forwarded", "for=198.51.100.23")], "untrusted_proxy"),
    ],
)
def test_demo_mode_serves_only_this_machine(demo: None, on_loopback: None, monkeypatch, peer, headers, why) -> None:
    request_from(monkeypatch, peer, headers)
    at = start()
    assert is_remote_demo_refusal(at, why), errors(at)
    assert not at.selectbox and not at.metric
    monkeypatch.setenv("FPA_ALLOW_OPEN_DEMO", "1")  # the explicit opening serves everyone
    at = start()
    assert titles(at) == [ZH["home.title"].format(year=2023)]


def test_sign_in_records_the_forwarded_client_only_from_a_trusted_proxy(
    secured: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_from(monkeypatch, "198.51.100.23", [("X-Forwarded-For", "198.51.100.23")])
    before = len(audit.read(root))
    sign_in(start(), "vera")
    assert details(events_since(root, before))[0]["client"] == core.UNTRUSTED_PROXY
    monkeypatch.setenv("FPA_TRUSTED_PROXIES", "127.0.0.1,::1")
    before = len(audit.read(root))
    sign_in(start(), "vera")
    assert details(events_since(root, before))[0]["client"] == "198.51.100.23"


# ---------------------------------------------------------------- OIDC (st.login)


@pytest.fixture
def oidc(secured: Path) -> Path:
    users = core.load_users(secured)
    mapping = core.OidcMapping(
        enabled=True,
        name_claim="email",
        roles_claim="groups",
        rules=(core.OidcRule("fpa-viewers", "viewer", "430000"), core.OidcRule("fpa-admins", "admin", "430000")),
    )
    core.save_users(secured, core.UsersFile(users=users.users, oidc=mapping))
    return secured


def start_as(claims: dict[str, object]) -> AppTest:
    script = f"import runpy\nrunpy.run_path({str(APP)!r}, run_name='__main__')\n"
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    at.user = claims
    return at.run()


def test_oidc_signed_out_gets_the_provider_button(oidc: Path) -> None:
    at = start_as({"is_logged_in": False})
    assert titles(at) == [ZH["auth.title"]]
    assert [b.key for b in at.button] == ["auth_oidc_sign_in"]
    assert not at.text_input, "no password form when the identity provider signs people in"


def test_oidc_groups_give_the_role(oidc: Path, root: Path) -> None:
    before = len(audit.read(root))
    at = start_as({"is_logged_in": True, "email": "li@fpa.example", "name": "李四", "groups": ["fpa-viewers"]})
    assert not at.exception and titles(at) == [ZH["home.title"].format(year=2023)]
    new = events_since(root, before)
    assert list(new["event"]) == ["sign_in"] and details(new)[0]["via"] == "oidc"
    open_page(at, "pages/users.py")
    assert is_refused(at)


def test_oidc_without_a_role_is_refused(oidc: Path) -> None:
    at = start_as({"is_logged_in": True, "email": "guest@fpa.example", "groups": ["other"]})
    assert ZH["auth.oidc_no_role"] in errors(at)
    assert not at.selectbox and not at.metric


def test_the_audit_log_filters_choose_the_events_shown(secured: Path, root: Path) -> None:
    """The users page's audit filters reach views/users.view: one kind of event, then one person."""
    at = open_page(sign_in(start(), "adam"), "pages/users.py")
    log = audit.read(root)
    # none chosen reads "all events", not Streamlit's "Choose options" (issue 20.7)
    assert at.multiselect(key="users_audit_events").proto.placeholder == ZH["users.audit_all_events"]
    at.multiselect(key="users_audit_events").set_value(["sign_in"]).run()
    shown = at.dataframe[1].value
    assert set(shown["event"]) == {ZH["users.event.sign_in"]}
    # every sign-in of the last 30 days (Shanghai days), the one just made included
    today = pd.Timestamp.now(tz="Asia/Shanghai").date()
    days = log["at"].dt.tz_convert("Asia/Shanghai").dt.date
    recent = log[(log["event"] == "sign_in") & (days >= today - dt.timedelta(days=30))]
    assert len(shown) == len(recent)
    at.selectbox(key="users_audit_user").set_value("adam").run()
    assert set(at.dataframe[1].value["user"]) == {"adam"}
    assert len(at.dataframe[1].value) == int((recent["user"] == "adam").sum())
