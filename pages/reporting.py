"""Monthly reporting (月报报送与审核): every county's state for a month, each prefecture's chase list,
the moves the signed-in user may make, and the county templates.

Lays out :func:`views.reporting.view`'s model, called directly on every run (never through the
shared cache: the states change without a new data version). Moves go through
``analytics.reporting.store`` — the same checks as the command line (role, scope, state), one
transaction each, with the version the page showed (someone else's move in between is refused,
not overwritten) and the audit log.
"""

from __future__ import annotations

import datetime as dt
import io

import streamlit as st

from analytics.queries import PROVINCE_CODE
from analytics.reporting import template
from analytics.reporting.states import ReportingError
from analytics.reporting.store import Store, Target
from ui import auth, cached
from ui.components import page_header
from ui.i18n import t
from ui.state import Filters, current_filters
from views import reporting as reporting_view
from views.reporting import ReportingModel

FLASH = "reporting_flash"


def render(f: Filters) -> None:
    me = auth.require("analyst", "reporting")
    page_header("reporting.title", f)
    st.caption(t("reporting.intro"))
    flash = st.session_state.pop(FLASH, None)
    if flash:  # what the last move did (the page is drawn again after it)
        (st.success if flash[0] == "ok" else st.warning)(flash[1])
    months = reporting_view.months_of(f)
    chosen = st.session_state.get("reporting_month")
    model = reporting_view.view(
        cached.connection(),
        f,
        user=me,
        month=dt.date.fromisoformat(chosen) if isinstance(chosen, str) and chosen else None,
        data_root=cached.data_root(),
    )
    month_options = [m.isoformat() for m in months]
    st.selectbox(
        t("reporting.month"),
        month_options,
        index=month_options.index(model.month.isoformat()),
        format_func=lambda v: model.month_labels[dt.date.fromisoformat(v)],
        key="reporting_month",
    )
    st.caption(model.rule)
    st.caption(model.store_note)
    cols = st.columns(len(model.counts))
    for col, (label, n) in zip(cols, model.counts, strict=True):
        col.metric(label, n)
    st.header(t("reporting.chase"))
    if model.chase:
        # how many each prefecture has to chase, most first; then every late county
        st.caption(" · ".join(f"{x.prefecture} {x.n}" for x in model.chase))
        st.dataframe(model.chase_table, hide_index=True, key="reporting_chase")
    else:
        st.info(t("reporting.chase_none"))
    st.header(t("reporting.table"))
    st.dataframe(model.table, hide_index=True, key="reporting_table")
    st.header(t("reporting.act"))
    _act(model, me)
    st.header(t("reporting.templates"))
    _templates(model, f)


def _move(model: ReportingModel, me: auth.User, action: str, codes: list[str], reason: str | None) -> None:
    rows = model.status.set_index("county_code")
    targets = [Target(c, str(rows.at[c, "prefecture_code"]), model.month) for c in codes]
    versions = [int(rows.at[c, "version"]) for c in codes]
    try:
        done = Store(cached.data_root()).move_many(action, targets, me, reason, expected_versions=versions)
    except ReportingError as error:
        st.session_state[FLASH] = ("no", t("reporting.refused", reason=t(f"reporting.refused.{error.code}")))
    else:
        names = "、".join(model.county_labels[c.county_code] for c in done)
        state = t(f"reporting.state.{done[-1].state}")
        st.session_state[FLASH] = ("ok", t("reporting.done", county=names, action=model.action_labels[action], state=state))
    st.rerun()


def _act(model: ReportingModel, me: auth.User) -> None:
    if not model.actions:
        st.info(t("reporting.act_none"))
        return
    codes = list(model.actions)
    code = st.selectbox(t("reporting.act_county"), codes, format_func=model.county_labels.get, key="reporting_county")
    reason = st.text_input(t("reporting.reason"), key="reporting_reason")
    moves = model.actions.get(code, ())
    buttons = st.columns(max(len(moves), 1))
    for col, action in zip(buttons, moves, strict=False):
        if col.button(model.action_labels[action], key=f"reporting_{action}"):
            _move(model, me, action, [code], reason if action == "return" else None)
    if model.acceptable and st.button(
        t("reporting.accept_all", n=len(model.acceptable)), key="reporting_accept_all", type="primary"
    ):
        _move(model, me, "accept", list(model.acceptable), None)


def _templates(model: ReportingModel, f: Filters) -> None:
    st.caption(t("reporting.template_note"))
    folder = cached.data_dir()
    codes = list(model.county_labels)
    left, right = st.columns(2)
    with left:
        code = st.selectbox(
            t("reporting.template_county"), codes, format_func=model.county_labels.get, key="reporting_template_county"
        )
        if st.button(t("reporting.template_make"), key="reporting_template_make"):
            buf = io.BytesIO()
            template.write(buf, code, model.month, folder=folder)
            name = template.file_name(code, model.county_labels[code], model.month)
            st.session_state["reporting_template_file"] = (name, buf.getvalue())
        made = st.session_state.get("reporting_template_file")
        if made:
            st.download_button(
                made[0],
                made[1],
                file_name=made[0],
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key="reporting_template_download",
            )
    with right:
        if f.region == PROVINCE_CODE:
            st.caption(t("reporting.template_pick_prefecture"))
        elif st.button(t("reporting.template_zip"), key="reporting_template_zip"):
            data, _ = template.prefecture_zip(f.region, model.month, folder=folder)
            st.download_button(
                f"{f.region}_{model.month:%Y-%m}.zip",
                data,
                file_name=f"月报模板_{model.month:%Y-%m}_{f.region}.zip",
                mime="application/zip",
                key="reporting_zip_download",
            )


render(current_filters())
