"""Users and audit log (用户与审计), admins only: the users file's people, roles and scopes, and
who did what, when.

app.py refuses this page to anyone below admin before it runs; the page checks again
(``auth.require``) so it stays closed even when run another way. Changes go through
``analytics.auth`` (the same functions as the command line) and are recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import audit
from analytics import auth as core
from analytics.queries import PROVINCE_CODE
from ui import auth, cached
from ui.components import page_header
from ui.downloads import download_buttons
from ui.i18n import t
from ui.state import Filters, current_filters

TZ = "Asia/Shanghai"  # times are shown as the association reads a clock; the log keeps UTC


def render(f: Filters) -> None:
    me = auth.require("admin", "users")
    page_header("users.title", f)
    flash = st.session_state.pop("users_flash", None)
    if flash:  # what the last change did (the page is redrawn after it, so the table is current)
        st.success(flash)
    cfg = auth.config()
    if cfg.users_path is None:
        st.info(t("users.no_file"))
        st.code("FPA_USERS_FILE=/etc/fpa/users.json python -m analytics.auth add NAME --role admin", language="bash")
    else:
        st.caption(t("users.file", path=str(cfg.users_path)))
        scopes = [PROVINCE_CODE, *cached.regions_at_level(f.data_version, "prefecture", PROVINCE_CODE)["region_code"]]
        _user_table(cfg.users, f)
        left, right = st.columns(2)
        with left:
            _add_user(cfg.users_path, scopes, me, f)
        with right:
            _change_user(cfg.users_path, cfg.users, scopes, me, f)
    _audit_log(f)


def _user_table(users: core.UsersFile, f: Filters) -> None:
    st.header(t("users.list"))
    rows = [u.public() for u in users.users]  # public(): never the hash
    table = pd.DataFrame(rows, columns=["name", "display_name", "role", "scope", "created", "updated", "password_set"])
    table["role"] = table["role"].map(auth.role_label)
    table["scope"] = [auth.scope_label(s, f.data_version) for s in table["scope"]]
    for col in ("created", "updated", "password_set"):
        at = pd.to_datetime(table[col], utc=True, errors="coerce").dt.tz_convert(TZ)
        table[col] = at.dt.strftime("%Y-%m-%d %H:%M")
    st.dataframe(
        table,
        hide_index=True,
        key="users_table",
        column_config={c: t(f"users.col.{c}") for c in table.columns},
    )


def _password_pair(prefix: str) -> tuple[str, str]:
    one = st.text_input(t("users.password"), type="password", key=f"{prefix}_password", autocomplete="new-password")
    two = st.text_input(t("users.password_again"), type="password", key=f"{prefix}_password2")
    return one, two


def _password_error(one: str, two: str, name: str) -> str | None:
    if one != two:
        return t("users.error.mismatch")
    problem = core.password_problem(one, name)
    return t(f"users.error.{problem}", n=core.MIN_PASSWORD) if problem else None


Change = Callable[[core.UsersFile], core.UsersFile]


def _add_user(path: Path, scopes: list[str], me: core.User, f: Filters) -> None:
    st.header(t("users.add"))
    with st.form("users_add_form", clear_on_submit=True):
        name = st.text_input(t("users.col.name"), key="users_add_name", help=t("users.name_help"))
        display = st.text_input(t("users.col.display_name"), key="users_add_display")
        role = st.selectbox(t("users.col.role"), core.ROLES, format_func=auth.role_label, key="users_add_role")
        scope = st.selectbox(
            t("users.col.scope"),
            scopes,
            format_func=lambda s: auth.scope_label(s, f.data_version),
            key="users_add_scope",
        )
        one, two = _password_pair("users_add")
        submitted = st.form_submit_button(t("users.add_submit"), key="users_add_submit")
    if not submitted:
        return
    clean = name.strip().lower()
    problem = _password_error(one, two, clean)
    if problem:
        st.error(problem)
        return
    try:
        core.update_users(
            path, lambda u: core.new_user(u, clean, role=role, scope=scope, password=one, display_name=display)
        )
    except core.AuthError as error:
        st.error(str(error))
        return
    auth.record(audit.USER_ADDED, me.name, {"name": clean, "role": role, "scope": scope})
    _done(t("users.added", name=clean))


def _change_user(path: Path, users: core.UsersFile, scopes: list[str], me: core.User, f: Filters) -> None:
    st.header(t("users.change"))
    names = [u.name for u in users.users]
    if not names:
        return
    name = st.selectbox(t("users.col.name"), names, key="users_change_name")
    record = users.get(name)
    assert record is not None  # noqa: S101 - chosen from the file's own names
    with st.form("users_change_form"):
        role = st.selectbox(
            t("users.col.role"),
            core.ROLES,
            index=core.ROLES.index(record.role),
            format_func=auth.role_label,
            key=f"users_change_role_{name}",
        )
        scope = st.selectbox(
            t("users.col.scope"),
            scopes,
            index=scopes.index(record.scope) if record.scope in scopes else 0,
            format_func=lambda s: auth.scope_label(s, f.data_version),
            key=f"users_change_scope_{name}",
        )
        display = st.text_input(
            t("users.col.display_name"), value=record.display_name, key=f"users_change_display_{name}"
        )
        saved = st.form_submit_button(t("users.save"), key="users_change_submit")
    if saved:
        _apply(
            path,
            me,
            audit.USER_CHANGED,
            name,
            lambda u: core.change_user(u, name, role=role, scope=scope, display_name=display),
            {"role": role, "scope": scope},
        )
    with st.form("users_password_form", clear_on_submit=True):
        st.markdown(t("users.set_password", name=name))
        one, two = _password_pair("users_passwd")
        st.caption(t("users.password_note"))
        set_pw = st.form_submit_button(t("users.set_password_submit"), key="users_passwd_submit")
    if set_pw:
        problem = _password_error(one, two, name)
        if problem:
            st.error(problem)
        else:
            _apply(path, me, audit.PASSWORD_SET, name, lambda u: core.set_password(u, name, one), {})
    with st.expander(t("users.remove", name=name)):
        sure = st.checkbox(t("users.remove_confirm", name=name), key=f"users_remove_confirm_{name}")
        if st.button(t("users.remove_submit"), key="users_remove_submit", disabled=not sure or name == me.name):
            _apply(path, me, audit.USER_REMOVED, name, lambda u: core.remove_user(u, name), {})
        if name == me.name:
            st.caption(t("users.remove_self"))


def _apply(path: Path, me: core.User, event: str, name: str, change: Change, detail: dict[str, object]) -> None:
    try:
        core.update_users(path, change)
    except core.AuthError as error:
        st.error(str(error))
        return
    auth.record(event, me.name, {"name": name, **detail})
    _done(t("users.saved", name=name))


def _done(message: str) -> None:
    st.session_state["users_flash"] = message
    st.rerun()


def _audit_log(f: Filters) -> None:
    st.header(t("users.audit"))
    log = audit.read(cached.data_root())
    if log.empty:
        st.info(t("users.audit_empty"))
        return
    today = pd.Timestamp.now(tz=TZ).date()
    first = log["at"].min().tz_convert(TZ).date()
    cols = st.columns([2, 3, 2])
    days = cols[0].date_input(
        t("users.audit_days"), value=(max(first, today - dt.timedelta(days=30)), today), key="users_audit_days"
    )
    kinds = sorted(log["event"].unique())
    events = cols[1].multiselect(t("users.audit_events"), kinds, format_func=_event_label, key="users_audit_events")
    people = ["", *sorted(u for u in log["user"].dropna().unique())]
    who = cols[2].selectbox(
        t("users.audit_user"), people, format_func=lambda u: u or t("users.audit_everyone"), key="users_audit_user"
    )
    start, end = (days[0], days[-1]) if isinstance(days, tuple) and days else (None, None)
    shown = audit.select(log, events=events, user=who or None, start=start, end=end, tz=TZ)
    st.caption(t("users.audit_count", shown=len(shown), total=len(log)))
    view = pd.DataFrame(
        {
            "at": shown["at"].dt.tz_convert(TZ).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "event": [_event_label(e) for e in shown["event"]],
            "user": shown["user"].fillna("—"),
            "detail": shown["detail"],
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        key="users_audit_table",
        height=min(38 + 35 * max(len(view), 1), 560),
        column_config={c: t(f"users.audit_col.{c}") for c in view.columns},
    )
    download_buttons(
        shown.assign(at=shown["at"].dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")),
        f"audit_{start}_{end}",
        key="users_audit",
        notes=[t("users.audit_note")],
    )


def _event_label(event: str) -> str:
    key = f"users.event.{event}"
    return t(key) if event in audit.EVENTS else event


render(current_filters())
