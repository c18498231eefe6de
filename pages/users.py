"""Users and audit log (用户与审计), admins only: the users file's people, roles and scopes, and
who did what, when.

app.py refuses this page to anyone below admin before it runs; the page checks again
(``auth.require``) so it stays closed even when run another way. Changes go through
``analytics.auth`` (the same functions as the command line) and are recorded in the audit log.

Lays out :func:`views.users.view`'s model, called directly on every run (never through the shared
cache: users and the audit log change without a new data version, and are an admin's alone).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from analytics import audit
from analytics import auth as core
from ui import auth, cached
from ui.components import page_header
from ui.downloads import download_buttons
from ui.i18n import t
from ui.state import Filters, current_filters
from views import users as users_view
from views.users import UsersModel


def render(f: Filters) -> None:
    me = auth.require("admin", "users")
    page_header("users.title", f)
    flash = st.session_state.pop("users_flash", None)
    if flash:  # what the last change did (the page is redrawn after it, so the table is current)
        st.success(flash)
    # read on every run, never cached nor shared (views/users.py says why); the audit filters are
    # the widgets' values from the last run (the widgets are drawn below, over the model's options)
    ss = st.session_state
    days = ss.get("users_audit_days")
    model = users_view.view(
        cached.connection(),
        f,
        data_root=cached.data_root(),
        days=None if days is None else tuple(days) if isinstance(days, tuple) else (),
        events=tuple(ss.get("users_audit_events", ())),
        user=ss.get("users_audit_user") or None,
    )
    if model.users_path is None:
        st.info(t("users.no_file"))
        st.code("FPA_USERS_FILE=/etc/fpa/users.json python -m analytics.auth add NAME --role admin", language="bash")
    else:
        st.caption(t("users.file", path=str(model.users_path)))
        _user_table(model)
        left, right = st.columns(2)
        with left:
            _add_user(model.users_path, model, me)
        with right:
            _change_user(model.users_path, model, me)
    _audit_log(model)


def _user_table(model: UsersModel) -> None:
    st.header(t("users.list"))
    st.dataframe(model.users, hide_index=True, key="users_table", column_config=dict(model.user_labels))


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


def _add_user(path: Path, model: UsersModel, me: core.User) -> None:
    st.header(t("users.add"))
    with st.form("users_add_form", clear_on_submit=True):
        name = st.text_input(t("users.col.name"), key="users_add_name", help=t("users.name_help"))
        display = st.text_input(t("users.col.display_name"), key="users_add_display")
        role = st.selectbox(t("users.col.role"), core.ROLES, format_func=model.roles.get, key="users_add_role")
        scope = st.selectbox(
            t("users.col.scope"), list(model.scopes), format_func=model.scopes.get, key="users_add_scope"
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


def _change_user(path: Path, model: UsersModel, me: core.User) -> None:
    st.header(t("users.change"))
    people = {p.name: p for p in model.people}
    if not people:
        return
    name = st.selectbox(t("users.col.name"), list(people), key="users_change_name")
    record = people[name]  # chosen from the file's own names
    scopes = list(model.scopes)
    with st.form("users_change_form"):
        role = st.selectbox(
            t("users.col.role"),
            core.ROLES,
            index=core.ROLES.index(record.role),
            format_func=model.roles.get,
            key=f"users_change_role_{name}",
        )
        scope = st.selectbox(
            t("users.col.scope"),
            scopes,
            index=scopes.index(record.scope) if record.scope in scopes else 0,
            format_func=model.scopes.get,
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


def _audit_log(model: UsersModel) -> None:
    st.header(t("users.audit"))
    if not model.log_total:
        st.info(t("users.audit_empty"))
        return
    cols = st.columns([2, 3, 2])
    cols[0].date_input(t("users.audit_days"), value=model.days_default, key="users_audit_days")
    cols[1].multiselect(
        t("users.audit_events"),
        list(model.events),
        format_func=model.events.get,
        key="users_audit_events",
        placeholder=t("users.audit_all_events"),  # none chosen: all events (not Streamlit's "Choose options")
    )
    cols[2].selectbox(
        t("users.audit_user"),
        ["", *model.people_in_log],
        format_func=lambda u: u or t("users.audit_everyone"),
        key="users_audit_user",
    )
    st.caption(model.audit_count)
    st.dataframe(
        model.audit,
        hide_index=True,
        key="users_audit_table",
        height=min(38 + 35 * max(len(model.audit), 1), 560),
        column_config=dict(model.audit_labels),
    )
    download_buttons(model.download, model.download_name, key="users_audit", notes=[t("users.audit_note")])


render(current_filters())
