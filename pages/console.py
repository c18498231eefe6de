"""SQL console (SQL 查询): one read-only SELECT at a time over the published tables and marts.

The safety lives in analytics/console.py (its own locked-down database, one SELECT only, rolled
back, in a process of its own bounded in time, rows, bytes and memory); this page takes the text,
shows the result or a clear error, and keeps the query in the URL (``?sql=…``) so that a link
can be shared.

A query that arrives in a link is put in the editor but **not run** until the user presses Run:
a link is someone else's text, and running it on opening would let anyone make an analyst's
session run (and the audit log record under the analyst's name) a query the analyst never read,
again on every reload. Only a press of the button, in this session, runs a query.
"""

from __future__ import annotations

import streamlit as st

from analytics import audit
from ui import auth, cached, downloads
from ui.components import page_header
from ui.i18n import t
from ui.state import Filters, current_filters
from views import console as console_view
from views.console import ConsoleModel, Result

# A longer query stays out of the URL: browsers and proxies cut long addresses.
MAX_LINK_SQL = 2_000


def render(f: Filters) -> None:
    user = auth.require("analyst", "console")  # app.py refuses it first; the page checks again
    page_header("console.title", f)
    st.markdown(t("console.intro"))
    # SQL reads better in a fixed-width font (the system's own: nothing is fetched)
    st.html("<style>.st-key-console_sql textarea { font-family: ui-monospace, monospace; }</style>")
    # the console's own database is built on first use after new data is published (seconds)
    with st.spinner(t("console.opening")):
        con = cached.console_connection()
    # the schema browser: the same for every session on the same data (the console's database
    # is a copy of the pages', see views/console.py)
    model: ConsoleModel = cached.view("console", f)
    if "console_sql" not in st.session_state:  # the page is opened (again): the editor starts from the URL
        st.session_state["console_sql"] = st.query_params.get("sql", "")
        # shown, not run: see the module's docstring
        st.session_state["console_from_link"] = bool(st.query_params.get("sql"))
        st.session_state.pop("console_result", None)
    with st.form("console_form", border=False):
        st.text_area(t("console.sql_label"), key="console_sql", height=160, placeholder=t("console.placeholder"))
        submitted = st.form_submit_button(t("console.run"), type="primary", icon=":material/play_arrow:")
    st.caption(model.limits)
    if submitted:
        st.session_state["console_from_link"] = False
        sql = str(st.session_state["console_sql"])
        # a result is this session's alone: run directly, never through the shared cache
        result = console_view.view(con, f, sql=sql).result
        assert result is not None  # noqa: S101 - a query was given
        st.session_state["console_result"] = result
        # who asked what, and how it ended (the audit log cuts a long query)
        auth.record(
            audit.SQL_QUERY,
            user.name,
            {"sql": sql, "outcome": result.outcome, "rows": result.row_count, "stopped": result.stopped},
        )
        _keep_in_link(sql)
    if st.session_state.get("console_from_link"):
        st.info(t("console.from_link"), icon=":material/link:")
    shown: Result | None = st.session_state.get("console_result")
    if shown is not None:
        if shown.lang != f.lang:  # the language changed since the run: the same result, worded again
            shown = console_view.word(shown.raw, shown.sql, f.lang)
        _show(shown, f)
    _schema(model)


def _keep_in_link(sql: str) -> None:
    if len(sql) > MAX_LINK_SQL:
        st.query_params.pop("sql", None)
        st.session_state["console_link_note"] = True
        return
    st.session_state.pop("console_link_note", None)
    if st.query_params.get("sql") != sql:
        st.query_params["sql"] = sql


def _show(result: Result, f: Filters) -> None:
    st.subheader(t("console.result_title"))
    if st.session_state.get("console_link_note"):
        st.caption(t("console.link_too_long", n=f"{MAX_LINK_SQL:,}"))
    if result.error:
        st.error(result.error, icon=":material/block:" if result.refused else ":material/error:")
        if result.message:
            st.caption(t("console.duckdb_message"))
            st.code(result.message, language=None, wrap_lines=True)
        return
    frame = result.frame
    if frame is None or result.download is None:
        return
    st.caption(result.rows)
    if result.cut:
        st.warning(result.cut, icon=":material/content_cut:")
    if result.cut_cells:
        st.warning(result.cut_cells, icon=":material/short_text:")
    st.dataframe(
        frame,
        hide_index=True,
        height=min(38 + 35 * len(frame), 480),
        # counts with thousands separators (years and codes stay as written)
        column_config={c: st.column_config.NumberColumn(format="localized") for c in console_view.count_columns(frame)},
    )
    notes = [t("console.title"), result.sql.replace("\n", " ")]
    if cached.manifest(f.data_version).demo:
        notes.append(t("demo.short"))
    downloads.download_buttons(
        result.download, "sql_result", key="console_result", notes=notes, formats=("csv", "xlsx", "parquet")
    )


def _schema(model: ConsoleModel) -> None:
    st.subheader(t("console.schema_title"))
    st.caption(t("console.schema_intro"))
    meaning = t("console.col_meaning")
    st.dataframe(
        model.tables,
        hide_index=True,
        height=38 + 35 * len(model.tables),
        column_config={
            meaning: st.column_config.TextColumn(width="large"),
            t("console.col_rows"): st.column_config.TextColumn(
                help=t("console.rows_help"), width="small", alignment="right"
            ),
        },
    )
    if model.rows_note:
        st.caption(model.rows_note)
    chosen = st.selectbox(t("console.pick_table"), model.table_names, key="console_table")
    st.caption(model.meanings.get(str(chosen), ""))
    cols = model.columns.get(str(chosen))
    if cols is None:
        return
    st.dataframe(
        cols,
        hide_index=True,
        height=38 + 35 * len(cols),
        column_config={meaning: st.column_config.TextColumn(width="large")},
    )


render(current_filters())
