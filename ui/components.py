"""Small pieces every page uses: the demo label, the data note, status badges."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, Final

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import auth, cached
from ui.charts import localised
from ui.i18n import current_lang, t
from ui.state import Filters
from ui.theme import DASHED, STATUS_COLORS, STATUS_MARK, STATUS_ORDER, STATUS_TEXT
from views import statuses


def page_header(title_key: str, filters: Filters, *, demo_only_association: bool = False, **values: object) -> None:
    """Page title, one small tag for the demo data and the local trial mode (the full text on a
    tap), and what the figures are as of.

    ``demo_only_association``: the page's own figures are real and only the association's progress
    figures on it are demo (the population page); else the page's progress figures are demo.
    """
    st.title(t(title_key, **values))
    shown = notices(filters, demo_only_association=demo_only_association)
    if shown:
        st.html(notice_html(shown))
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


def notices(filters: Filters, *, demo_only_association: bool = False) -> list[tuple[str, str]]:
    """(tag, full text) of each notice the page carries: the exports are demo data; the app runs
    in the local trial mode (no users configured)."""
    out = []
    if cached.manifest(filters.data_version).demo:
        if demo_only_association:
            out.append((t("demo.population.tag"), t("demo.population.banner")))
        else:
            out.append((t("demo.tag"), t("demo.banner")))
    if auth.in_demo_mode():
        out.append((t("auth.demo_tag"), t("auth.demo_mode")))
    return out


def notice_html(shown: list[tuple[str, str]]) -> str:
    """The notices as one line of small tags; a tap or click opens the full texts (a hover
    tooltip, the ``title``, never shows on a phone)."""
    tags = "".join(f'<span class="fpa-tag">{html.escape(tag)}</span>' for tag, _ in shown)
    full = "".join(f"<p>{html.escape(text)}</p>" for _, text in shown)
    tip = html.escape(" ".join(text for _, text in shown), quote=True)
    return (
        f'<details class="fpa-notice" title="{tip}"><summary>{tags}'
        f'<span class="fpa-more">{html.escape(t("notice.more"))}</span></summary>'
        f'<div class="fpa-notice-body">{full}</div></details>'
    )


def status_label(status: str, reached_on: object = None, *, mark: bool = True) -> str:
    """The status's mark and name in the page's language; a late target with the date it was reached."""
    return statuses.label(status, current_lang(), reached_on=reached_on, mark=mark)


def status_badge(status: str, reached_on: object = None) -> None:
    """A status chip in the palette's own colour (st.badge has no dark red and no slate)."""
    st.html(statuses.chip_html(status, status_label(status, reached_on), size="0.85rem", pad="2px 10px"))


def _date(value: object) -> str | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]


def status_legend(shown: tuple[str, ...] = STATUS_ORDER) -> None:
    """The status colours with their marks and names, then how they are judged (the thresholds
    and the calendar rule): shown wherever status colours are.

    In presentation mode the legend (not the rule) is pinned to the bottom of the screen, so it
    stays in view while the charts are scrolled one screen at a time.
    """
    chips = " ".join(
        f'<span style="display:inline-block;margin-right:14px;white-space:nowrap">'
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:2px;background:{STATUS_COLORS[s]};'
        f'border:1px {"dashed #8c959f" if s in DASHED else "solid #d0d7de"};vertical-align:middle;margin-right:4px">'
        f"</span>{status_label(s)}</span>"
        for s in shown
    )
    st.html(
        f'<div class="fpa-legend" style="font-size:0.9rem;color:#57606a">{chips}</div>'
        f'<div class="fpa-rule" style="font-size:0.8rem;color:#57606a;margin-top:2px">'
        f"{statuses.rule(current_lang(), cached.thresholds())}</div>"
    )


def source_note(text: str) -> None:
    """A figure's source or definition, small, under the chart it belongs to."""
    st.caption(text)


def indicator_info(ind: pd.Series, filters: Filters, target: Mapping[str, Any] | None = None) -> None:
    """What a figure is, one click away: definition, unit, rule, the target's basis (the notice's
    words or the association's reading), its due date and phasing with the reason, as-of date, origin."""
    lang = filters.lang
    with st.popover(t("info.button"), icon=":material/info:"):
        st.markdown(f"**{ind[f'name_{lang}']}**")
        st.markdown(str(ind[f"definition_{lang}"]))
        if target is not None:
            for line in (
                statuses.basis(target, lang),
                statuses.due_dates([target.get("due_date")], lang),
                statuses.phasing(target.get("phasing"), ind.to_dict(), lang),
            ):
                if line:
                    st.markdown(line)
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


def kpi_card(
    title: str,
    value: str,
    status: str,
    lines: list[str],
    *,
    status_text: str | None = None,
    basis: tuple[str, ...] = (),
) -> None:
    """A headline card: big figure, status colour bar and label, small lines (target, expected, change).

    ``basis``: the target's basis and phasing in words, folded under a "目标依据" line that opens on a
    click or a tap (a hover tooltip never shows on a phone).
    """
    color = STATUS_COLORS[status]
    body = "".join(f'<div style="color:#57606a;font-size:0.85rem;line-height:1.35">{line}</div>' for line in lines)
    if basis:
        body += (
            '<details style="color:#57606a;font-size:0.8rem;line-height:1.35;margin-top:4px">'
            f'<summary style="cursor:pointer">{t("status.col.basis")}</summary>'
            + "".join(f"<div>{html.escape(b)}</div>" for b in basis)
            + "</details>"
        )
    st.html(
        f'<div style="border:1px solid #d0d7de;border-left:8px solid {color};border-radius:8px;'
        f'padding:10px 12px;height:100%;background:white">'
        f'<div style="font-size:0.95rem;color:#1f2328;font-weight:600;min-height:2.6em">{title}</div>'
        f'<div class="fpa-card-value" style="font-size:1.9rem;font-weight:700;color:#1f2328;line-height:1.2">{value}</div>'
        f'<div style="margin:4px 0 6px">{statuses.chip_html(status, status_text or status_label(status))}</div>'
        f"{body}</div>"
    )


PRESENTATION_CSS = """
<style>
/* meetings: no sidebar, large type, legend pinned (charts are made taller by show_chart) */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none; }
html { font-size: 20px; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1rem 2rem 4rem; }
.fpa-legend { position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000; background: white;
  border-top: 1px solid #d0d7de; padding: 6px 2rem; font-size: 1rem !important; }
</style>
"""


def presentation_mode() -> None:
    """Turn the page into its meeting version; the button at the top brings the normal view back."""
    st.html(PRESENTATION_CSS)

    def leave() -> None:
        st.session_state["present"] = False

    st.button(t("present.exit"), key="app_present_exit", on_click=leave, icon=":material/close_fullscreen:")


# no toolbar: on a phone it covers the legend, on a projector nobody uses it (a download is on the page)
CHART_CONFIG: Final = {"displaylogo": False, "displayModeBar": False}


def show_chart(fig: go.Figure, *, key: str, filters: Filters, **kwargs: object) -> object:
    """``st.plotly_chart`` with the house settings; in presentation mode taller, larger type.

    Figures from ``ui.cached`` are shared between sessions: enlarged on a copy, never in place.
    Numbers on axes and colour bars as people read them (``ui.charts.localise_numbers``: 万 in
    Chinese, never "50k").
    """
    fig = localised(fig, filters.lang)
    if filters.present:
        fig = go.Figure(fig)
        fig.update_layout(height=max(int(fig.layout.height or 0), 720), font={"size": 20})
    return st.plotly_chart(fig, key=key, config=CHART_CONFIG, **kwargs)  # type: ignore[arg-type]


# the statuses a phone's scorecard list names under each region (worst first)
SCORECARD_ISSUES: Final = ("missed", "overdue_no_report", "behind", "at_risk")


def scorecard_list_html(
    table: pd.DataFrame,
    *,
    region_labels: Mapping[str, str],
    indicator_labels: Mapping[str, str],
    status_labels: Mapping[str, str],
    cell_text: Mapping[tuple[str, str], str],
    level_name: str,
) -> str:
    """The scorecard for a phone: one row per region, its name, a numbered square per indicator in
    the status's colour with the status's mark, then the indicators behind (or worse) by name.
    ``table`` and the labels are ``views.attainment.Scorecard``'s, as the grid draws them."""
    status = table.set_index(["region_code", "indicator_id"])["status"]
    inds = list(indicator_labels)
    rows = []
    for region, name in region_labels.items():
        cells, issues = [], []
        for n, ind in enumerate(inds, start=1):
            s = str(status.get((region, ind), "no_target"))
            border = "1px dashed #8c959f" if s in DASHED else f"1px solid {STATUS_COLORS[s]}"
            tip = html.escape(f"{n}. {indicator_labels[ind]} · {status_labels[s]} {cell_text.get((region, ind), '')}")
            cells.append(
                f'<span class="fpa-sc-cell" title="{tip}" style="background:{STATUS_COLORS[s]};'
                f'color:{STATUS_TEXT[s]};border:{border}">{html.escape(STATUS_MARK[s])}</span>'
            )
            if s in SCORECARD_ISSUES:
                issues.append((SCORECARD_ISSUES.index(s), n, ind, s))
        said = "；".join(
            f"{n}. {html.escape(indicator_labels[ind])} {html.escape(cell_text.get((region, ind)) or STATUS_MARK[s])}"
            for _, n, ind, s in sorted(issues)
        )
        rows.append(
            f'<div class="fpa-sc-row"><div class="fpa-sc-name">{html.escape(name)}</div>'
            f'<div class="fpa-sc-cells">{"".join(cells)}</div>'
            f'<div class="fpa-sc-issues">{said or html.escape(t("attainment.scorecard_list_ok"))}</div></div>'
        )
    keys = "".join(f"<div>{n}. {html.escape(indicator_labels[i])}</div>" for n, i in enumerate(inds, start=1))
    return (
        f'<div class="fpa-sc-list">{"".join(rows)}'
        f'<details class="fpa-sc-keys" style="font-size:0.8rem;color:#57606a;margin-top:6px">'
        f"<summary>{html.escape(t('attainment.scorecard_list_keys'))}</summary>{keys}</details>"
        f'<div style="font-size:0.8rem;color:#57606a;margin-top:4px">'
        f"{html.escape(t('attainment.scorecard_list_note', level=level_name))}</div></div>"
    )
