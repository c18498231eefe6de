"""Sign-in, the session and the role checks: the Streamlit side of ``analytics.auth``.

app.py calls :func:`gate` before anything else draws or reads data. It decides, on the
server and on every run, who the session belongs to:

* no users file (or one without users): the **local demo mode**, one local user with every
  role, labelled on every page; refused when the server listens on another address than
  loopback, and to every client that is not on this machine (a reverse proxy's forwarded
  request included, see ``analytics.auth.resolve_client``), unless ``FPA_ALLOW_OPEN_DEMO=1``;
* users in the file: the **sign-in form** until a name and password match; the session then
  lasts until it is idle or old (``analytics.auth.session_settings``), the user signs out,
  or the user's record changes (password set, removed);
* ``oidc.enabled`` in the file: ``st.login`` with the intranet's identity provider, roles and
  scopes from the claims (``analytics.auth.user_from_claims``).

The session lives in ``st.session_state`` (server memory: the browser holds no token it could
alter). Then app.py checks the page's ``min_role`` against the user before the page's script
runs (:func:`allows`, :func:`refuse`); pages gate their own actions with :func:`current_user`.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analytics import audit
from analytics import auth as core
from analytics.auth import User
from analytics.queries import PROVINCE_CODE
from ui import cached
from ui.i18n import LANGS, current_lang, name_col, t

log = logging.getLogger(__name__)

# One guard for the server process: failures from every session count together, so opening
# a new tab does not reset the delay.
GUARD = core.SignInGuard()

SESSION_KEY = "auth_session"  # core.Session of a signed-in user
USER_KEY = "auth_user"  # the User this run belongs to (set by gate, read by current_user)
NOTICE_KEY = "auth_notice"  # why the last session ended, shown once on the sign-in form
REFUSED_KEY = "auth_refused"  # pages whose refusal this session has recorded already
DEMO_REFUSED_KEY = "auth_demo_refused"  # the demo mode's refusal to a remote client is recorded
LANGUAGE_LABEL = "语言 / Language"


def _now() -> float:
    """Seconds since the epoch (a function so tests can move time)."""
    return time.time()


@dataclass(frozen=True)
class Config:
    mode: core.Mode
    users_path: Path | None
    users: core.UsersFile
    trusted: tuple[core.Network, ...] = ()  # FPA_TRUSTED_PROXIES


def config() -> Config:
    """Read the users file named by FPA_USERS_FILE and the trusted proxies (every run: a change
    from the command line takes effect at once). Raises core.AuthError for a bad or misplaced
    file, or a bad FPA_TRUSTED_PROXIES."""
    trusted = core.trusted_proxies()
    path = core.users_file_from_env()
    if path is None:
        return Config("demo", None, core.UsersFile(), trusted)
    core.check_users_file_location(path, cached.data_root())
    if not path.exists():
        # a mistyped path must not open the app without sign-in: fail closed
        raise core.AuthError(
            f"{core.USERS_FILE_ENV} names {path}, which does not exist: create it with `python -m analytics.auth add`"
        )
    # an empty (0-byte) file fails closed too: emptied by hand or by a failed copy, not by the
    # command line (which leaves {"users": {}} and only with --allow-empty)
    users = core.load_users(path, empty_ok=False)
    return Config(core.mode(users), path, users, trusted)


def record(event: str, user: str | None, detail: Mapping[str, object] | None = None) -> bool:
    """Append to the audit log of the data root; False (logged, without the detail) when it cannot
    be written. Pages record their own actions with it (user changes, …)."""
    try:
        audit.record(cached.data_root(), event, user, detail)
    except OSError as error:
        log.error("audit log not written: %s for %s: %s", event, user, error.strerror)
        return False
    return True


def _request() -> tuple[str | None, list[tuple[str, str]]]:
    """The peer's address as Streamlit reports it (None for loopback) and the headers of the
    request that opened the session (a function: AppTest cannot set either, tests replace it)."""
    address = st.context.ip_address
    headers = st.context.headers
    pairs = [(name, value) for name in headers for value in headers.get_all(name)]
    return (address if isinstance(address, str) else None), pairs


def _client_of(trusted: tuple[core.Network, ...]) -> core.Client:
    peer, headers = _request()
    return core.resolve_client(peer, headers, trusted)


def _client(trusted: tuple[core.Network, ...] | None = None) -> str | None:
    """The client's address for the audit log and the per-address lockout (None: this machine).
    X-Forwarded-For counts only from a proxy named in FPA_TRUSTED_PROXIES."""
    if trusted is None:
        try:
            trusted = core.trusted_proxies()
        except core.AuthError:
            trusted = ()
    return _client_of(trusted).address


# ---------------------------------------------------------------- the gate


def gate() -> User | None:
    """Who this run belongs to, or None when it draws the sign-in form or a refusal instead.

    Called first thing in app.py, on every run: nothing of the data is read before it.
    """
    st.session_state.pop(USER_KEY, None)
    _seed_language()
    try:
        cfg = config()
    except core.AuthError as error:
        st.title(t("auth.title"))
        st.error(t("auth.config_error"))
        st.code(str(error), language=None)  # names the file and the problem, never its content
        return None
    if cfg.mode == "demo":
        if not core.open_demo_allowed():
            if not core.is_loopback(st.get_option("server.address")):
                st.title(t("auth.title"))
                st.error(t("auth.open_demo_refused", address=st.get_option("server.address") or "0.0.0.0"))  # noqa: S104
                st.markdown(t("auth.open_demo_howto"))
                return None
            # the server listens on loopback, but a reverse proxy on this machine connects from
            # loopback too: the client itself must be here (its address, not the server's)
            client = _client_of(cfg.trusted)
            if not client.local:
                _refuse_remote_demo(client)
                return None
        user: User | None = core.DEMO_USER
    elif cfg.mode == "oidc":
        user = _oidc_user(cfg)
    else:
        user = _password_user(cfg)
    if user is not None:
        st.session_state[USER_KEY] = user
    return user


def _refuse_remote_demo(client: core.Client) -> None:
    """The local demo mode asked for from elsewhere: say why and how to set it up, once logged."""
    st.title(t("auth.title"))
    st.error(t(f"auth.remote_demo_refused.{client.why}", client=client.address or "?"))
    st.markdown(t("auth.remote_demo_howto"))
    if not st.session_state.get(DEMO_REFUSED_KEY):  # once a session, not on every rerun
        st.session_state[DEMO_REFUSED_KEY] = True
        record(audit.REFUSED, None, {"what": "demo_mode", "client": client.address, "why": client.why})


def current_user() -> User:
    """The user of this run (app.py's gate has run). In the first session's "pages/ folder"
    run (see app.py) a page runs without app.py: leave that mode and rerun through it."""
    if PagesManager.uses_pages_directory or USER_KEY not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()
    user: User = st.session_state[USER_KEY]
    return user


def allows(min_role: str) -> bool:
    """Whether this run's user reaches ``min_role``: for actions inside a page (a download, a button)."""
    return current_user().allows(min_role)


def refuse(user: User, what: str, min_role: str) -> None:
    """Draw the refusal of ``what`` (a page's url_path, an action) and record it once per session."""
    st.title(t("auth.refused_title"))
    st.error(t("auth.refused", role=role_label(user.role), needed=role_label(min_role)), icon=":material/block:")
    seen: set[str] = st.session_state.setdefault(REFUSED_KEY, set())
    if what not in seen:
        seen.add(what)
        record(audit.REFUSED, user.name, {"what": what, "role": user.role, "needed": min_role})


def require(min_role: str, what: str) -> User:
    """For a page's own check (beside app.py's): refuse and stop unless the user reaches ``min_role``."""
    user = current_user()
    if not user.allows(min_role):
        refuse(user, what, min_role)
        st.stop()
    return user


def role_label(role: str) -> str:
    return t(f"auth.role.{role}")


def scope_label(scope: str, data_version: str | None = None) -> str:
    if scope == core.PROVINCE_SCOPE:
        return t("filters.whole_province")
    if data_version is None:
        return scope
    regions = cached.regions_at_level(data_version, "prefecture", PROVINCE_CODE)
    row = regions[regions["region_code"] == scope]
    if row.empty:
        return scope
    name = row[name_col("name")].iloc[0]
    return str(name if isinstance(name, str) else row["name_zh"].iloc[0])


# ---------------------------------------------------------------- the language before sign-in


def _seed_language() -> None:
    """The language from the URL before the sidebar's switch exists (ui.state draws it later)."""
    if st.session_state.get("lang") not in LANGS:
        wanted = st.query_params.get("lang")
        st.session_state["lang"] = wanted if wanted in LANGS else LANGS[0]


def _language_switch() -> None:
    """The language switch of the sign-in form. Its own key: the sidebar's switch (key "lang",
    ui.state) may be drawn in the same run, right after a successful sign-in."""

    def chosen() -> None:
        st.session_state["lang"] = st.session_state["auth_lang"]
        st.query_params["lang"] = st.session_state["auth_lang"]

    st.session_state["auth_lang"] = current_lang()
    st.segmented_control(
        LANGUAGE_LABEL,
        options=list(LANGS),
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
        key="auth_lang",
        required=True,
        on_change=chosen,
    )
    if st.query_params.get("lang") != current_lang():
        st.query_params["lang"] = current_lang()


# ---------------------------------------------------------------- names and passwords


def _password_user(cfg: Config) -> User | None:
    now = _now()
    session: core.Session | None = st.session_state.get(SESSION_KEY)
    if session is not None:
        account = cfg.users.get(session.name)
        ended = core.session_end(session, account, now, core.session_settings())
        if ended is None and account is not None:
            st.session_state[SESSION_KEY] = replace(session, last_seen=now)
            return account.user()
        _end_session(session.name, ended or "account_changed")
    # the form in a placeholder: a successful sign-in clears it and the page draws in the same
    # run (no st.rerun, whose second run would start only after a pause in which the app looks idle)
    holder = st.empty()
    with holder.container():
        user = _sign_in_form(cfg)
    if user is not None:
        holder.empty()
    return user


def _end_session(name: str, reason: str) -> None:
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(REFUSED_KEY, None)
    st.session_state[NOTICE_KEY] = reason
    record(audit.SESSION_EXPIRED if reason != "signed_out" else audit.SIGN_OUT, name, {"reason": reason})


def _sign_in_form(cfg: Config) -> User | None:
    _language_switch()
    st.title(t("auth.title"))
    with st.columns([2, 3])[0]:  # a form as wide as a name and a password need
        return _sign_in_fields(cfg)


def _sign_in_fields(cfg: Config) -> User | None:
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(t(f"auth.notice.{notice}", **_session_numbers()))
    with st.form("auth_form", clear_on_submit=True, enter_to_submit=True):
        name = st.text_input(t("auth.name"), key="auth_name", autocomplete="username", max_chars=64)
        password = st.text_input(
            t("auth.password"),
            type="password",
            key="auth_password",
            autocomplete="current-password",
            max_chars=core.MAX_PASSWORD,
        )
        submitted = st.form_submit_button(t("auth.submit"), key="auth_submit", type="primary")
    st.caption(t("auth.form_note", **_session_numbers()))
    return _attempt(cfg, name, password) if submitted else None


def _attempt(cfg: Config, name: str, password: str) -> User | None:
    """Check the submitted name and password; the signed-in user, or None with the reason drawn."""
    client = _client(cfg.trusted)
    result = core.sign_in(cfg.users, name, password, client=client, guard=GUARD)
    account = cfg.users.get(name) if result.reason != "unknown_user" else None
    # a name nobody has is not written to the log: it may be a password typed in the wrong field
    who = account.name if account else None
    if result.user is None:
        if result.reason == "locked":
            st.error(t("auth.locked", seconds=math.ceil(result.retry_after)))
            if result.report_lock:
                record(audit.SIGN_IN_FAILED, who, {"reason": "locked", "client": client})
            return None
        record(audit.SIGN_IN_FAILED, who, {"reason": result.reason, "client": client})
        st.error(t("auth.failed"))
        if result.retry_after >= 1:
            st.caption(t("auth.slowed", seconds=math.ceil(result.retry_after)))
        return None
    assert account is not None  # noqa: S101 - sign_in returned a user, so the record exists
    if result.new_hash is not None and cfg.users_path is not None:
        _store_new_hash(cfg.users_path, account, result.new_hash)
    if not record(audit.SIGN_IN, account.name, {"client": client, "via": "password"}):
        # fail closed: a sign-in the association cannot see afterwards does not happen
        st.error(t("auth.audit_unwritable"))
        return None
    now = _now()
    st.session_state[SESSION_KEY] = core.Session(account.name, now, now, account.password_set)
    st.session_state.pop(REFUSED_KEY, None)
    return account.user()  # the page the URL asked for is drawn next, in this run


def _store_new_hash(path: Path, account: core.UserRecord, new_hash: str) -> None:
    """The hash was made with older parameters: store one with the current ones (same password,
    so the user's sessions stay)."""
    try:
        core.update_users(
            path, lambda users: core.rehash(users, account.name, new_hash, password_set=account.password_set)
        )
    except (OSError, core.AuthError) as error:
        log.warning("password hash of %s not upgraded: %s", account.name, type(error).__name__)


def _session_numbers() -> dict[str, object]:
    settings = core.session_settings()
    return {
        "idle": _number(settings.idle.total_seconds() / 60),
        "hours": _number(settings.lifetime.total_seconds() / 3600),
    }


def _number(value: float) -> str:
    return f"{value:g}"


def _sign_out() -> None:
    session: core.Session | None = st.session_state.get(SESSION_KEY)
    if session is not None:
        _end_session(session.name, "signed_out")


# ---------------------------------------------------------------- OIDC (st.login)


def _oidc_user(cfg: Config) -> User | None:
    mapping = cfg.users.oidc
    info = st.user.to_dict()
    if not info.get("is_logged_in"):
        _language_switch()
        st.title(t("auth.title"))
        notice = st.session_state.pop(NOTICE_KEY, None)
        if notice:
            st.info(t(f"auth.notice.{notice}", **_session_numbers()))
        if st.button(t("auth.oidc_sign_in"), key="auth_oidc_sign_in", type="primary"):
            st.login(mapping.provider)  # None: the [auth] section of secrets.toml itself
        return None
    user = core.user_from_claims(info, mapping)
    if user is None:
        st.title(t("auth.title"))
        st.error(t("auth.oidc_no_role"))
        claimed = str(info.get(mapping.name_claim) or "")
        seen: set[str] = st.session_state.setdefault(REFUSED_KEY, set())
        if "oidc" not in seen:
            seen.add("oidc")
            record(
                audit.SIGN_IN_FAILED,
                claimed or None,
                {"reason": "no_role", "via": "oidc", "client": _client(cfg.trusted)},
            )
        if st.button(t("auth.sign_out"), key="auth_oidc_sign_out"):
            st.logout()
        return None
    now = _now()
    session: core.Session | None = st.session_state.get(SESSION_KEY)
    settings = core.session_settings()
    if session is not None and session.name == user.name:
        if now - session.signed_in_at >= settings.lifetime.total_seconds() or (
            now - session.last_seen >= settings.idle.total_seconds()
        ):
            reason = "lifetime" if now - session.signed_in_at >= settings.lifetime.total_seconds() else "idle"
            _end_session(user.name, reason)
            st.logout()  # the identity cookie goes too: the provider is asked again
            return None
        st.session_state[SESSION_KEY] = replace(session, last_seen=now)
        return user
    st.session_state[SESSION_KEY] = core.Session(user.name, now, now, "oidc")
    record(
        audit.SIGN_IN,
        user.name,
        {"client": _client(cfg.trusted), "via": "oidc", "role": user.role, "scope": user.scope},
    )
    return user


# ---------------------------------------------------------------- the sidebar and banner


def sidebar(user: User, data_version: str) -> None:
    """Who is signed in, their role and scope, the session's limits, and the sign-out button."""
    with st.sidebar:
        st.divider()
        if user.demo:
            st.caption(t("auth.demo_sidebar"))
            return
        st.markdown(
            t(
                "auth.signed_in_as",
                name=user.display_name,
                role=role_label(user.role),
                scope=scope_label(user.scope, data_version),
            )
        )
        if user.via == "oidc":
            if st.button(t("auth.sign_out"), key="auth_sign_out", icon=":material/logout:"):
                _sign_out()
                st.logout()
        else:
            st.button(t("auth.sign_out"), key="auth_sign_out", on_click=_sign_out, icon=":material/logout:")
        st.caption(t("auth.session_note", **_session_numbers()))


def in_demo_mode() -> bool:
    """The local demo mode (no users configured): said by a tag on every page (ui.components.page_header)."""
    user = st.session_state.get(USER_KEY)
    return user is not None and bool(user.demo)
