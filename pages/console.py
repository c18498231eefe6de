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

from analytics import audit, console
from ui import auth, cached, downloads
from ui.components import page_header
from ui.i18n import catalog, current_lang, t
from ui.state import Filters, current_filters

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
    if "console_sql" not in st.session_state:  # the page is opened (again): the editor starts from the URL
        st.session_state["console_sql"] = st.query_params.get("sql", "")
        # shown, not run: see the module's docstring
        st.session_state["console_from_link"] = bool(st.query_params.get("sql"))
        st.session_state.pop("console_result", None)
    with st.form("console_form", border=False):
        st.text_area(t("console.sql_label"), key="console_sql", height=160, placeholder=t("console.placeholder"))
        submitted = st.form_submit_button(t("console.run"), type="primary", icon=":material/play_arrow:")
    st.caption(t("console.limits", **console.stated_limits()))
    if submitted:
        st.session_state["console_from_link"] = False
        sql = str(st.session_state["console_sql"])
        result = console.run(
            con,
            sql,
            time_limit_s=console.TIME_LIMIT_S,
            row_cap=console.ROW_CAP,
            byte_cap=console.BYTE_CAP,
            cell_chars=console.CELL_CHARS,
        )
        st.session_state["console_result"] = result
        # who asked what, and how it ended (the audit log cuts a long query)
        outcome = "ok" if result.error is None else result.error.kind
        rows = 0 if result.frame is None else len(result.frame)
        auth.record(
            audit.SQL_QUERY, user.name, {"sql": sql, "outcome": outcome, "rows": rows, "stopped": result.stopped}
        )
        _keep_in_link(sql)
    if st.session_state.get("console_from_link"):
        st.info(t("console.from_link"), icon=":material/link:")
    shown = st.session_state.get("console_result")
    if shown is not None:
        _show(shown, f)
    _schema(f)


def _keep_in_link(sql: str) -> None:
    if len(sql) > MAX_LINK_SQL:
        st.query_params.pop("sql", None)
        st.session_state["console_link_note"] = True
        return
    st.session_state.pop("console_link_note", None)
    if st.query_params.get("sql") != sql:
        st.query_params["sql"] = sql


def _show(result: console.ConsoleResult, f: Filters) -> None:
    st.subheader(t("console.result_title"))
    if st.session_state.get("console_link_note"):
        st.caption(t("console.link_too_long", n=f"{MAX_LINK_SQL:,}"))
    if result.error is not None:
        e = result.error
        if e.kind == "refused" and e.statement_type:
            st.error(t("console.error.refused_type", type=e.statement_type), icon=":material/block:")
        else:
            st.error(t(f"console.error.{e.kind}", **console.stated_limits()), icon=":material/error:")
        if e.message:
            st.caption(t("console.duckdb_message"))
            st.code(e.message, language=None, wrap_lines=True)
        return
    frame = result.frame if result.frame is not None else None
    if frame is None:
        return
    st.caption(t("console.rows", n=f"{len(frame):,}", seconds=f"{result.seconds:.2f}"))
    if result.stopped == "rows":
        st.warning(t("console.capped", cap=f"{console.ROW_CAP:,}"), icon=":material/content_cut:")
    elif result.stopped == "bytes":
        st.warning(
            t("console.stopped_bytes", n=f"{len(frame):,}", **console.stated_limits()), icon=":material/content_cut:"
        )
    if result.cut_cells:
        st.warning(
            t("console.cut_cells", n=f"{result.cut_cells:,}", **console.stated_limits()), icon=":material/short_text:"
        )
    st.dataframe(frame, hide_index=True, height=min(38 + 35 * len(frame), 480))
    notes = [t("console.title"), str(st.session_state.get("console_sql", "")).replace("\n", " ")]
    if cached.manifest(f.data_version).demo:
        notes.append(t("demo.short"))
    downloads.download_buttons(
        console.for_download(frame), "sql_result", key="console_result", notes=notes, formats=("csv", "xlsx", "parquet")
    )


def _schema(f: Filters) -> None:
    st.subheader(t("console.schema_title"))
    st.caption(t("console.schema_intro"))
    schema = cached.console_schema(f.data_version)
    tables = schema.drop_duplicates("table_name")
    words = catalog(current_lang())
    st.dataframe(
        {
            t("console.col_table"): tables["table_name"].tolist(),
            t("console.col_rows"): tables["table_rows"].tolist(),
            # a table new to the contract before its meaning is written shows without one (the unit
            # test of the catalogs names it) rather than taking the page down
            t("console.col_meaning"): [words.get(f"console.table.{n}", "") for n in tables["table_name"]],
        },
        hide_index=True,
        height=38 + 35 * len(tables),
        column_config={t("console.col_meaning"): st.column_config.TextColumn(width="large")},
    )
    chosen = st.selectbox(t("console.pick_table"), tables["table_name"].tolist(), key="console_table")
    st.caption(words.get(f"console.table.{chosen}", ""))
    cols = schema[schema["table_name"] == chosen]
    st.dataframe(
        {
            t("console.col_name"): cols["column_name"].tolist(),
            t("console.col_type"): cols["data_type"].tolist(),
            t("console.col_meaning"): [_meaning(words, str(chosen), str(c)) for c in cols["column_name"]],
        },
        hide_index=True,
        height=38 + 35 * len(cols),
        column_config={t("console.col_meaning"): st.column_config.TextColumn(width="large")},
    )


def _meaning(words: dict[str, str], table: str, column: str) -> str:
    return next((words[k] for k in console.meaning_keys(table, column) if k in words), "")


render(current_filters())
