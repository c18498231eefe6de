"""Landing page: the 2023 plan's 9 areas and 33 items, where each stands, and what the data is."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import cached, charts
from ui.components import page_header, status_label
from ui.i18n import name_col, t
from ui.state import Filters, current_filters
from ui.theme import STATUS_ORDER


def render(filters: Filters) -> None:
    page_header("home.title", filters, year=filters.plan_year)
    lang = filters.lang
    items = cached.plan_items(filters.data_version, filters.plan_year)
    inds = cached.indicators(filters.data_version, filters.plan_year)
    level = "province" if filters.region == "430000" else "prefecture"
    table = cached.attainment_table(filters.data_version, filters.plan_year, filters.as_of, level, filters.region)
    table = table[table["region_code"] == filters.region].merge(
        inds[["indicator_id", "item_no", "area_no", "name_zh", "name_en", "unit_zh", "unit_en", "target_rule"]],
        on="indicator_id",
    )
    st.markdown(t("home.intro", year=filters.plan_year))

    judged = table[table["status"] != "no_target"]
    cols = st.columns(5)
    cols[0].metric(t("home.kpi.items", areas=items["area_no"].nunique()), len(items))
    cols[1].metric(t("home.kpi.targets"), len(judged))
    for col, status in zip(cols[2:], ("done", "on_track", "behind"), strict=True):
        col.metric(status_label(status), int((judged["status"] == status).sum()))

    area_titles = items.drop_duplicates("area_no").set_index("area_no")[name_col("area_title", lang)]
    counts = table.groupby(["area_no", "status"]).size().rename("n").reset_index()
    st.subheader(t("home.chart.title"))
    fig = charts.status_by_group(
        counts,
        group_col="area_no",
        group_labels={a: f"{a}. {title}" for a, title in area_titles.items()},
        status_labels={s: status_label(s) for s in STATUS_ORDER},
        x_title=t("home.chart.x"),
    )
    st.plotly_chart(fig, key="home_status_chart", config={"displaylogo": False})
    st.caption(t("home.chart.note"))

    st.subheader(t("home.items.title"))
    for area_no, area in items.groupby("area_no", sort=True):
        title = area[name_col("area_title", lang)].iloc[0]
        with st.expander(f"{area_no}. {title}", expanded=False):
            st.dataframe(
                _items_view(area, table, lang),
                hide_index=True,
                key=f"home_area_{area_no}",
                column_config={
                    "no": st.column_config.NumberColumn(t("home.items.no"), width="small"),
                    "item": st.column_config.TextColumn(t("home.items.item")),
                    "due": st.column_config.DateColumn(t("home.items.due")),
                    "status": st.column_config.TextColumn(t("home.items.status")),
                    "text": st.column_config.TextColumn(t("home.items.text"), width="large"),
                },
            )


def _items_view(area: pd.DataFrame, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per item: its indicators' statuses in words, or that it has no quantitative target."""
    rows = []
    for item in area.itertuples():
        mine = table[table["item_no"] == item.item_no]
        judged = mine[mine["status"] != "no_target"]
        if judged.empty:
            summary = t("home.items.untargeted")
        else:
            summary = "；".join(
                f"{getattr(r, name_col('name', lang))}：{status_label(str(r.status))}" for r in judged.itertuples()
            )
        rows.append(
            {
                "no": item.item_no,
                "item": getattr(item, name_col("item_title", lang)),
                "due": item.due_date,
                "status": summary,
                "text": item.text_zh,
            }
        )
    return pd.DataFrame(rows)


render(current_filters())
