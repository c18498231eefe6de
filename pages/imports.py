"""Import (数据导入): check and publish monthly exports through the browser, and the data versions.

The page runs the same ``analytics.ingest.ingest`` as the command line, so the browser and
the terminal give the same report; a plan workbook (工作要点, docs/plan.md) goes through
``analytics.plan``'s check and import, as ``python -m analytics.plan check|import`` does, for
administrators only (a plan changes every page's targets); a publish is a new version (analytics/publish.py) that
every session picks up at its next rerun, and a rollback is one click for those allowed.
Imports and rollbacks are written to the audit log by analytics/ (before they take effect, as
the signed-in user), so the page and the command line leave the same trail.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from analytics import ingest, publish
from analytics.plan import check_workbook, import_workbook
from analytics.queries import PROVINCE_CODE
from ui import auth, cached
from ui.components import page_header
from ui.downloads import download_buttons
from ui.i18n import t
from ui.state import Filters, current_filters
from views import imports as imports_view

FORMATS = ["parquet", "csv", "xlsx"]
AUTO = "auto"
# the report's columns by their labels in either language: the problem gets the room
WIDTHS = {
    "级别": "small",
    "severity": "small",
    "问题": "large",
    "problem": "large",
    "行数": "small",
    "row count": "small",
}


def render(filters: Filters) -> None:
    # app.py refuses this page below analyst before it runs; the page checks again itself
    user = auth.require("analyst", "imports")
    page_header("imports.title", filters)
    st.caption(t("imports.intro", limit=int(st.get_option("server.maxUploadSize"))))
    upload, plan, versions = st.tabs([t("imports.tab.upload"), t("imports.tab.plan"), t("imports.tab.versions")])
    with upload:
        _upload(filters, user)
    with plan:
        _plan(filters, user)
    with versions:
        _versions(user, filters)


def _uploader_text() -> None:
    """Streamlit draws the uploader's button and size note in English only: relabel them.

    The note (limit and formats) is said in our own words in the page's intro, so it is
    hidden; the button keeps its place and gets the catalog's label through CSS content.
    """
    label = t("imports.browse").replace('"', "")
    st.html(
        f"""<style>
        [data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
        [data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p {{ font-size: 0; }}
        [data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p::after {{
            content: "{label}"; font-size: 1rem;
        }}
        </style>"""
    )


def _upload(filters: Filters, user: auth.User) -> None:
    _uploader_text()
    if user.scope != PROVINCE_CODE:
        st.caption(t("imports.scope_note", scope=auth.scope_label(user.scope, filters.data_version)))
    with st.form("imports_form", clear_on_submit=False, border=False):
        files = st.file_uploader(
            t("imports.files"),
            type=FORMATS,
            accept_multiple_files=True,
            key="imports_files",
            help=t("imports.files_help"),
        )
        auto = t("imports.table_auto")  # looked up now: the label must not depend on when it is formatted
        table = st.selectbox(
            t("imports.table"),
            [AUTO, *ingest.IMPORTABLE],
            format_func=lambda v: auto if v == AUTO else v,
            key="imports_table",
        )
        allow_nulls = st.checkbox(
            t("imports.allow_nulls"), key="imports_allow_nulls", help=t("imports.allow_nulls_help")
        )
        left, right = st.columns(2)
        check = left.form_submit_button(t("imports.check"), icon=":material/fact_check:", use_container_width=True)
        go = right.form_submit_button(
            t("imports.publish"), icon=":material/publish:", type="primary", use_container_width=True
        )
    if (check or go) and not files:
        st.warning(t("imports.no_files"))
    elif check or go:
        with st.spinner(t("imports.running")), tempfile.TemporaryDirectory(prefix="fpa-import-") as tmp:
            paths, labels = _save(files or [], Path(tmp))
            report = ingest.ingest(
                paths,
                data_dir=cached.data_root(),
                table=None if table == AUTO else table,
                # a prefecture's analyst: rows of any other region, incoming or replaced, are refused
                scope=None if user.scope == PROVINCE_CODE else user.scope,
                dry_run=not go,
                user=user.name,
                allow_nulls=allow_nulls,
                labels=labels,
                via="page",
            )
        st.session_state["imports_report"] = report
        if report.published is not None:
            # the new version is in force: rerun so this session reads it like every other
            st.rerun()
    report = st.session_state.get("imports_report")
    if report is not None:
        _report(report, filters)


def _plan(filters: Filters, user: auth.User) -> None:
    """A year's plan workbook: checked, then published as a new version, by an administrator."""
    st.caption(t("imports.plan.intro"))
    if not user.allows("admin"):
        st.caption(t("imports.plan.admin_only"))
        return
    with st.form("imports_plan_form", clear_on_submit=False, border=False):
        book = st.file_uploader(t("imports.plan.file"), type=["xlsx"], key="imports_plan_file")
        left, right = st.columns(2)
        check = left.form_submit_button(t("imports.check"), icon=":material/fact_check:", use_container_width=True)
        go = right.form_submit_button(
            t("imports.plan.publish"), icon=":material/publish:", type="primary", use_container_width=True
        )
    if (check or go) and book is None:
        st.warning(t("imports.plan.no_file"))
    elif (check or go) and book is not None and auth.allows("admin"):  # checked again at the action
        with st.spinner(t("imports.running")), tempfile.TemporaryDirectory(prefix="fpa-plan-") as tmp:
            path = Path(tmp) / Path(book.name).name
            path.write_bytes(book.getvalue())
            root = cached.data_root()
            if go:
                report = import_workbook(path, root, user=user.name, via="page")
            else:
                report, _ = check_workbook(path, root)
        st.session_state["imports_plan_report"] = report
        if report.published is not None:
            st.rerun()  # the new plan is in force: this session reads it like every other
    report = st.session_state.get("imports_plan_report")
    if report is not None:
        _report(report, filters, key="imports_plan")


def _save(files: list[UploadedFile], folder: Path) -> tuple[list[Path], list[str]]:
    """Each upload in a folder of its own, with the name the report gives it.

    Two uploads may have the same name (two prefectures' progress.csv): one folder for both would
    keep only the second, and its duplicate keys with the first would go unseen. The report names
    files as the analyst named them, numbered where two share a name.
    """
    names = [Path(f.name).name for f in files]
    paths, labels = [], []
    for i, (f, name) in enumerate(zip(files, names, strict=True)):
        path = folder / str(i) / name
        path.parent.mkdir()
        path.write_bytes(f.getvalue())
        paths.append(path)
        same = [j for j, n in enumerate(names) if n == name]
        labels.append(name if len(same) == 1 else f"{name} ({same.index(i) + 1})")
    return paths, labels


def _report(report: ingest.Report, filters: Filters, key: str = "imports") -> None:
    lang = filters.lang
    if not report.ok:
        # a warning, not an error: a refused file is an expected outcome, the app is fine
        st.warning(report.summary(lang), icon=":material/error:")
    elif report.published is not None:
        st.success(report.summary(lang), icon=":material/check_circle:")
    else:
        st.info(report.summary(lang), icon=":material/fact_check:")
    files = pd.DataFrame(
        {
            t("imports.col.file"): [r.label for r in report.files],
            t("imports.col.table"): [r.table or "—" for r in report.files],
            t("imports.col.rows"): [r.rows for r in report.files],
            t("imports.col.errors"): [len(r.errors) for r in report.files],
        }
    )
    st.dataframe(files, hide_index=True, key=f"{key}_files_table")
    findings = report.frame(lang)
    if not findings.empty and not findings.iloc[:, 2].astype(bool).any():
        findings = findings.drop(columns=findings.columns[2])  # no workbook: no sheet column
    if findings.empty:
        st.caption(t("imports.no_findings"))
        return
    st.dataframe(
        findings,
        hide_index=True,
        key=f"{key}_findings_table",
        height=min(38 + 35 * len(findings), 480),
        column_config={c: st.column_config.Column(width=WIDTHS.get(c, "medium")) for c in findings.columns},
    )
    download_buttons(findings, "import_report", key=f"{key}_report", formats=("csv", "xlsx"))


def _versions(user: auth.User, filters: Filters) -> None:
    # read on every run, never cached (views/imports.py says why)
    model = imports_view.view(cached.connection(), filters, data_root=cached.data_root())
    root = model.data_root
    st.dataframe(model.versions, hide_index=True, key="imports_versions_table")
    st.caption(t("imports.versions_note"))
    if not model.history.empty:
        with st.expander(t("imports.history"), icon=":material/history:"):
            st.dataframe(model.history, hide_index=True, key="imports_history_table")
    if not user.allows("admin"):
        st.caption(t("imports.rollback_admin_only"))
        return
    choices = list(model.rollback_to)
    if not choices:
        return
    with st.form("imports_rollback_form", border=True):
        target = st.selectbox(t("imports.rollback_to"), choices, key="imports_rollback_target")
        sure = st.checkbox(t("imports.rollback_confirm"), key="imports_rollback_sure")
        if st.form_submit_button(t("imports.rollback"), icon=":material/undo:"):
            if not sure:
                st.warning(t("imports.rollback_confirm_first"))
            elif auth.allows("admin"):  # checked again at the action, not only when drawing it
                try:
                    # recorded in the audit log by publish.rollback before CURRENT moves
                    publish.rollback(root, target, user=user.name, detail={"via": "page"})
                except publish.PublishError as error:
                    st.error(t("imports.rollback_failed", error=str(error)))
                    return
                st.session_state.pop("imports_report", None)
                st.session_state.pop("imports_plan_report", None)
                st.rerun()


render(current_filters())
