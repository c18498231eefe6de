"""Overview (总览), the landing page: headline targets, the 33-item board, the work-report paragraph.

Lays out :func:`views.home.view`'s model; the meeting pack renders the same model.
"""

from __future__ import annotations

from html import escape

import pandas as pd
import streamlit as st

from ui import cached, charts, reporting_switch
from ui.briefing.buttons import pack_buttons
from ui.components import kpi_card, page_header, show_chart, status_label, status_legend
from ui.i18n import t
from ui.state import Filters, current_filters
from ui.theme import DASHED, STATUS_COLORS, STATUS_ORDER, STATUS_TEXT
from views.home import HomeModel


def render(f: Filters) -> None:
    page_header("home.title", f, year=f.plan_year)
    # whose plan, from the plan year's workbook: association, notice, how many areas and items
    plan = cached.plan_heading(f.data_version, f.plan_year, f.lang).values()
    st.markdown(t("home.intro", year=f.plan_year, **plan))
    pack_buttons(f)  # the meeting pack (PPTX, PDF) of this view
    status_legend()
    reporting_switch.draw()  # accepted figures only, unless switched (issue 23)
    model: HomeModel = cached.view("home", f)
    _follow_up(model)  # the follow-up list (督办清单) first: who is behind, on what, by how much
    _cards(model)
    _status_counts(model)
    st.subheader(t("overview.narrative.title"))
    st.markdown(model.paragraph)
    st.subheader(t("overview.board.title", **plan))
    st.caption(t("overview.board.note"))
    _board(model)
    st.subheader(t("home.chart.title"))
    show_chart(
        cached.figure(
            f.data_version,
            charts.status_by_group,
            model.area_counts,
            group_col="area_no",
            group_labels={a.area_no: f"{a.area_no}. {a.title}" for a in model.board},
            status_labels={s: status_label(s) for s in STATUS_ORDER},
            x_title=t("home.chart.x"),
        ),
        key="home_status_chart",
        filters=f,
    )
    st.caption(t("home.chart.note"))
    with st.expander(t("home.items.title", **plan)):
        st.dataframe(model.items, hide_index=True, key="home_items")


FOLLOW_UP_SHOWN = 10  # rows of the follow-up list in view; the rest fold out


def _follow_up(model: HomeModel) -> None:
    """The follow-up list: the level below's targets missed, overdue, behind or at risk, ranked,
    with the gap in the indicator's unit, the change since last month and the due date; then
    what falls due next month."""
    st.subheader(t("overview.follow_up.title"))
    rows = model.follow_up_rows()
    if not rows:
        st.caption(t("overview.follow_up.none", level=model.follow_up_level))
    else:
        table = pd.DataFrame(rows, columns=list(model.follow_up_columns()))
        codes = [r.status for r in model.follow_up]
        _follow_up_table(table.iloc[:FOLLOW_UP_SHOWN], codes[:FOLLOW_UP_SHOWN], key="home_follow_up")
        if len(rows) > FOLLOW_UP_SHOWN:
            with st.expander(t("overview.follow_up.more", n=len(rows) - FOLLOW_UP_SHOWN)):
                _follow_up_table(table.iloc[FOLLOW_UP_SHOWN:], codes[FOLLOW_UP_SHOWN:], key="home_follow_up_more")
        st.caption(t("overview.follow_up.caption", level=model.follow_up_level))
    st.markdown(model.due_next_line)


def _follow_up_table(table: pd.DataFrame, codes: list[str], *, key: str) -> None:
    """A part of the follow-up list, its status cells in the status's colours (the label carries its mark)."""
    status_col = table.columns[2]
    styles = [f"background-color:{STATUS_COLORS[c]};color:{STATUS_TEXT[c]}" for c in codes]
    styled = table.style.apply(lambda _col: styles, subset=[status_col])
    st.dataframe(styled, hide_index=True, key=key)


def _cards(model: HomeModel) -> None:
    # two rows of four: seven cards in one row are too narrow to read on a projector
    cols = [*st.columns(4), *st.columns(4)]
    for col, card in zip(cols, model.cards, strict=False):
        with col:
            kpi_card(
                card.title, card.value, card.status, list(card.lines), status_text=card.status_text, basis=card.basis
            )


def _status_counts(model: HomeModel) -> None:
    """How many judged targets have each status: every status of the set but no_target, so the
    counts add up to the total (missed, done late and overdue included)."""
    cols = [*st.columns(5), *st.columns(5)]
    cols[0].metric(t("home.kpi.targets"), model.judged)
    for col, (status, n) in zip(cols[1:], model.counts.items(), strict=True):
        col.metric(status_label(status), n)


def _board(model: HomeModel) -> None:
    """All 33 items in their 9 areas, each a chip coloured by its worst indicator's status, with the
    due dates of its judged targets; hovering shows the item's text and each target's basis."""
    html = ['<div style="display:flex;flex-direction:column;gap:6px">']
    for area in model.board:
        html.append(
            '<div style="display:flex;align-items:stretch;gap:6px;flex-wrap:wrap">'
            '<div style="width:180px;font-size:0.85rem;font-weight:600;color:#1f2328;padding-top:6px">'
            f"{area.area_no}. {escape(area.title)}</div>"
        )
        for chip in area.chips:
            color = STATUS_COLORS[chip.status]
            border = "1px dashed #8c959f" if chip.status in DASHED else f"1px solid {color}"
            html.append(
                f'<div title="{escape(chip.tip)}" style="background:{color};color:{STATUS_TEXT[chip.status]};'
                f'border:{border};border-radius:6px;padding:4px 8px;width:140px;font-size:0.8rem;line-height:1.3">'
                f"<b>{chip.item_no}</b> {escape(chip.title)}<br>"
                f'<span style="opacity:0.95">{escape(chip.label)}</span>'
                + (f'<br><span style="opacity:0.9;font-size:0.75rem">{escape(chip.due)}</span>' if chip.due else "")
                + "</div>"
            )
        html.append("</div>")
    html.append("</div>")
    st.html("".join(html))


render(current_filters())
