"""Overview (总览), the landing page: headline targets, the 33-item board, the work-report paragraph."""

from __future__ import annotations

from html import escape

import pandas as pd
import streamlit as st

from analytics import narrative
from analytics.attainment import REACHED
from analytics.queries import PROVINCE_CODE
from ui import cached, charts, overview, statuses
from ui.briefing.buttons import pack_buttons
from ui.components import kpi_card, page_header, show_chart, status_label, status_legend
from ui.i18n import current_lang, name_col, t
from ui.overview import CARDS
from ui.state import Filters, current_filters
from ui.theme import DASHED, STATUS_COLORS, STATUS_ORDER, STATUS_TEXT


def render(f: Filters) -> None:
    page_header("home.title", f, year=f.plan_year)
    st.markdown(t("home.intro", year=f.plan_year))
    pack_buttons(f)  # the meeting pack (PPTX, PDF) of this view
    status_legend()
    version, lang = f.data_version, f.lang
    level = "province" if f.region == PROVINCE_CODE else "prefecture"
    inds = cached.indicators(version, f.plan_year).set_index("indicator_id")
    # this month and last, for the region and its sub-regions: one query
    tables = cached.attainment_tables(
        version, f.plan_year, (f.as_of, f.previous_month_end), (level, f.level_below), f.region
    )
    now = _own(tables[(f.as_of, level)], f.region)
    before = _own(tables[(f.previous_month_end, level)], f.region)
    targets = statuses.target_rows(cached.targets(version, f.plan_year), f.region)

    _cards(now, before, inds, f, targets)
    _status_counts(now)

    below = tables[(f.as_of, f.level_below)]
    st.subheader(t("overview.narrative.title"))
    st.markdown(_narrative(now, below, inds, f))

    items = cached.plan_items(version, f.plan_year)
    st.subheader(t("overview.board.title"))
    st.caption(t("overview.board.note"))
    _board(items, now, inds, f, targets)

    counts = now.merge(inds[["item_no"]], left_on="indicator_id", right_index=True)
    counts = counts.merge(items[["item_no", "area_no"]], on="item_no")
    counts = counts.groupby(["area_no", "status"]).size().rename("n").reset_index()
    area_titles = items.drop_duplicates("area_no").set_index("area_no")[name_col("area_title", lang)]
    st.subheader(t("home.chart.title"))
    show_chart(
        cached.figure(
            f.data_version,
            charts.status_by_group,
            counts,
            group_col="area_no",
            group_labels={a: f"{a}. {title}" for a, title in area_titles.items()},
            status_labels={s: status_label(s) for s in STATUS_ORDER},
            x_title=t("home.chart.x"),
        ),
        key="home_status_chart",
        filters=f,
    )
    st.caption(t("home.chart.note"))

    with st.expander(t("home.items.title")):
        st.dataframe(_items_table(items, now, inds, lang, targets), hide_index=True, key="home_items")


def _own(table: pd.DataFrame, region: str) -> pd.DataFrame:
    return table[table["region_code"] == region].reset_index(drop=True)


def _basis(i: str, inds: pd.DataFrame, targets: dict[str, dict[str, object]], lang: str) -> list[str]:
    """A target's basis (the notice's words or the association's reading), due date and phasing."""
    target = targets.get(i)
    if target is None:
        return []
    lines = [
        statuses.basis(target, lang),
        statuses.due_dates([target.get("due_date")], lang),
        statuses.phasing(target.get("phasing"), inds.loc[i].to_dict(), lang),
    ]
    return [line for line in lines if line]


def _cards(
    now: pd.DataFrame, before: pd.DataFrame, inds: pd.DataFrame, f: Filters, targets: dict[str, dict[str, object]]
) -> None:
    cur = now.set_index("indicator_id")
    prev = before.set_index("indicator_id")
    # two rows of four: seven cards in one row are too narrow to read on a projector
    cols = [*st.columns(4), *st.columns(4)]
    for col, (key, ids) in zip(cols, CARDS, strict=False):
        rows = [cur.loc[i] for i in ids if i in cur.index]
        with col:
            if not rows:
                kpi_card(t(key), "—", "no_data", [t("overview.card.no_target_here")])
                continue
            if len(ids) == 1:
                r, i = rows[0], ids[0]
                change = _change(r, prev.loc[i] if i in prev.index else None, inds.loc[i])
                lines = [
                    t("overview.card.target", value=_fmt(r["target"], inds.loc[i])),
                    t("overview.card.expected", value=_fmt(r["expected"], inds.loc[i])),
                    t("overview.card.change", value=change),
                ]
                kpi_card(
                    t(key),
                    _fmt(r["actual"], inds.loc[i]),
                    str(r["status"]),
                    lines,
                    status_text=status_label(str(r["status"]), r["reached_on"]),
                    basis=tuple(_basis(i, inds, targets, f.lang)),
                )
            else:
                # several milestones on one card: "held / required" per level, the worst status leads
                states = [str(r["status"]) for r in rows]
                lead = statuses.worst(states)
                lines = [
                    t(
                        "overview.card.milestone_line",
                        name=inds.loc[i, name_col("name", f.lang)],
                        actual=_fmt(cur.loc[i, "actual"], inds.loc[i]),
                        target=_fmt(cur.loc[i, "target"], inds.loc[i]),
                        status=status_label(str(cur.loc[i, "status"]), cur.loc[i, "reached_on"]),
                    )
                    for i in ids
                    if i in cur.index
                ]
                done = sum(s in REACHED for s in states)
                basis = [
                    f"{inds.loc[i, name_col('name', f.lang)]}：{line}"
                    for i in ids
                    if i in cur.index
                    for line in _basis(i, inds, targets, f.lang)
                ]
                kpi_card(
                    t(key), t("overview.card.done_of", done=done, total=len(rows)), lead, lines, basis=tuple(basis)
                )


def _status_counts(now: pd.DataFrame) -> None:
    """How many judged targets have each status: every status of the set but no_target, so the
    counts add up to the total (missed, done late and overdue included)."""
    judged = now[now["status"] != "no_target"]
    n = statuses.counts(judged["status"].astype(str))
    shown = [s for s in STATUS_ORDER if s != "no_target"]
    cols = [*st.columns(5), *st.columns(5)]
    cols[0].metric(t("home.kpi.targets"), len(judged))
    for col, status in zip(cols[1:], shown, strict=True):
        col.metric(status_label(status), n[status])


def _narrative(now: pd.DataFrame, below: pd.DataFrame, inds: pd.DataFrame, f: Filters) -> str:
    facts = narrative.facts(now, below, inds.reset_index(), as_of=f.as_of, plan_year=f.plan_year)
    regions = cached.regions_at_level(f.data_version, f.level_below, f.region)
    labels = dict(
        zip(regions["region_code"], regions[name_col("name", f.lang)].fillna(regions["name_zh"]), strict=True)
    )
    names = inds[name_col("name", f.lang)].to_dict()
    return overview.paragraph(overview.narrative_parts(facts, names, labels, f.lang), f.lang)


def _board(
    items: pd.DataFrame, now: pd.DataFrame, inds: pd.DataFrame, f: Filters, targets: dict[str, dict[str, object]]
) -> None:
    """All 33 items in their 9 areas, each a chip coloured by its worst indicator's status, with the
    due dates of its judged targets; hovering shows the item's text and each target's basis."""
    table = now.merge(inds[["item_no"]], left_on="indicator_id", right_index=True)
    # each item's judged indicators, read once (a mask per item cost a tenth of a second per rerun)
    judged = table[table["status"] != "no_target"]
    by_item = dict(tuple(judged.groupby("item_no")))
    html = ['<div style="display:flex;flex-direction:column;gap:6px">']
    for area_no, area in items.groupby("area_no", sort=True):
        title = escape(str(area[name_col("area_title", f.lang)].iloc[0]))
        html.append(
            '<div style="display:flex;align-items:stretch;gap:6px;flex-wrap:wrap">'
            f'<div style="width:180px;font-size:0.85rem;font-weight:600;color:#1f2328;padding-top:6px">{area_no}. {title}</div>'
        )
        for item in area.itertuples():
            mine = by_item.get(item.item_no, judged.iloc[0:0])
            status, label, due = statuses.item_chip(mine, f.lang)
            color = STATUS_COLORS[status]
            border = "1px dashed #8c959f" if status in DASHED else f"1px solid {color}"
            tip = [str(item.text_zh)] + [
                f"{inds.loc[i, name_col('name', f.lang)]}：{line}"
                for i in mine["indicator_id"]
                for line in _basis(str(i), inds, targets, f.lang)
            ]
            html.append(
                f'<div title="{escape(chr(10).join(tip))}" style="background:{color};color:{STATUS_TEXT[status]};'
                f'border:{border};border-radius:6px;padding:4px 8px;width:140px;font-size:0.8rem;line-height:1.3">'
                f"<b>{item.item_no}</b> {escape(str(getattr(item, name_col('item_title', f.lang))))}<br>"
                f'<span style="opacity:0.95">{escape(label)}</span>'
                + (f'<br><span style="opacity:0.9;font-size:0.75rem">{escape(due)}</span>' if due else "")
                + "</div>"
            )
        html.append("</div>")
    html.append("</div>")
    st.html("".join(html))


def _items_table(
    items: pd.DataFrame, now: pd.DataFrame, inds: pd.DataFrame, lang: str, targets: dict[str, dict[str, object]]
) -> pd.DataFrame:
    table = now.merge(inds[["item_no", name_col("name", lang)]], left_on="indicator_id", right_index=True)
    # each item's judged indicators in table order, read once rather than masked per item
    judged = table[table["status"] != "no_target"]
    by_item = dict(tuple(judged.groupby("item_no", sort=False)))
    rows = []
    for item in items.to_dict("records"):
        mine = by_item.get(item["item_no"], judged.iloc[0:0])
        names = mine[name_col("name", lang)]
        parts = [
            f"{name}：{status_label(str(r['status']), r['reached_on'])}"
            for name, (_, r) in zip(names, mine.iterrows(), strict=True)
        ]
        basis = [
            f"{name}：{line}"
            for name, i in zip(names, mine["indicator_id"], strict=True)
            for line in _basis(str(i), inds, targets, lang)[:1]
        ]
        rows.append(
            {
                t("home.items.no"): item["item_no"],
                t("home.items.item"): item[name_col("item_title", lang)],
                # the due dates of the targets judged: they, not the item's default, are what is judged
                t("home.items.due"): statuses.due_dates(mine["due_date"], lang)
                if len(mine)
                else statuses.due_dates([item["due_date"]], lang),
                t("home.items.status"): "；".join(parts) or t("home.items.untargeted"),
                t("status.col.basis"): "；".join(basis),
                t("home.items.text"): item["text_zh"],
            }
        )
    return pd.DataFrame(rows)


def _change(now: pd.Series, before: pd.Series | None, ind: pd.Series) -> str:
    """Change since the previous month end, in the same unit as the figure it follows."""
    if before is None or pd.isna(now["actual"]) or pd.isna(before["actual"]):
        return "—"
    diff = float(now["actual"]) - float(before["actual"])
    if not diff:
        return "0"
    if ind["target_rule"] == "coverage":
        return t("overview.fmt.points", v=f"{diff * 100:+.1f}")
    sign = "+" if diff > 0 else "−"
    return sign + _fmt(abs(diff), ind)


def _fmt(value: object, ind: pd.Series) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    v = float(value)  # type: ignore[arg-type]
    if ind["target_rule"] == "coverage":
        return f"{v:.1%}"
    if ind["unit_en"] == "yuan":
        # 万元 is how Chinese reports count money; English readers get the whole number
        if v >= 10000 and current_lang() == "zh":
            return t("overview.fmt.yuan_wan", v=f"{v / 10000:,.1f}")
        return t("overview.fmt.yuan", v=f"{v:,.0f}")
    return f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"


render(current_filters())
