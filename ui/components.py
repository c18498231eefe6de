"""Small pieces every page uses: the demo label, the data note, status badges."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import cached
from ui.i18n import t
from ui.state import Filters
from ui.theme import STATUS_BADGE, STATUS_COLORS, STATUS_ORDER


def page_header(title_key: str, filters: Filters, **values: object) -> None:
    """Page title, the demo label when the exports are demo, and what the figures are as of."""
    st.title(t(title_key, **values))
    manifest = cached.manifest(filters.data_version)
    if manifest.demo:
        st.warning(t("demo.banner"), icon=":material/science:")
    status = cached.data_status(filters.data_version)
    through = _date(status["progress_through"].iloc[0]) if len(status) else None
    reported = _date(status["last_reported_at"].iloc[0]) if len(status) else None
    st.caption(
        t(
            "data.as_of_note",
            as_of=filters.as_of.isoformat(),
            through=through or t("data.none"),
            reported=reported or t("data.none"),
        )
    )


def status_label(status: str) -> str:
    return t(f"status.{status}")


def status_badge(status: str) -> None:
    st.badge(status_label(status), color=STATUS_BADGE[status])  # type: ignore[arg-type]


def _date(value: object) -> str | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]


def status_legend() -> None:
    """The status colours with their names, in one line: shown wherever status colours are."""
    chips = " ".join(
        f'<span style="display:inline-block;margin-right:14px;white-space:nowrap">'
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:2px;'
        f'background:{STATUS_COLORS[s]};border:1px solid #d0d7de;vertical-align:middle;margin-right:4px"></span>'
        f"{status_label(s)}</span>"
        for s in STATUS_ORDER
    )
    st.html(f'<div style="font-size:0.9rem;color:#57606a">{chips}</div>')


def source_note(text: str) -> None:
    """A figure's source or definition, small, under the chart it belongs to."""
    st.caption(text)


def indicator_info(ind: pd.Series, filters: Filters) -> None:
    """What a figure is, one click away: definition, unit, rule, due date, as-of date, data origin."""
    lang = filters.lang
    with st.popover(t("info.button"), icon=":material/info:"):
        st.markdown(f"**{ind[f'name_{lang}']}**")
        st.markdown(str(ind[f"definition_{lang}"]))
        st.markdown(
            t(
                "info.details",
                unit=ind[f"unit_{lang}"],
                kind=t(f"kind.{ind['kind']}"),
                rule=t(f"rule.{ind['target_rule']}"),
                item=int(ind["item_no"]),
                as_of=filters.as_of.isoformat(),
            )
        )
        if cached.manifest(filters.data_version).demo:
            st.caption(t("demo.short"))
