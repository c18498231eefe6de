"""Childcare (items 6 and 7): points, funds and places against the plan, the pipeline, places per
1,000 residents, the map, the two item-7 milestones and every point.

Lays out :func:`views.childcare.view`'s model; the meeting pack's childcare slide renders the same model.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.childcare import MILESTONES
from ui import cached
from ui.charts import childcare as charts
from ui.components import page_header, show_chart, status_legend
from ui.downloads import download_buttons
from ui.i18n import t
from ui.state import Filters, current_filters
from ui.theme import STATUS_COLORS
from views.childcare import PLACE_STATES, ChildcareModel
from views.statuses import chip_html


def render(filters: Filters) -> None:
    page_header("childcare.title", filters)
    st.caption(t("childcare.intro"))
    model: ChildcareModel = cached.view("childcare", filters)

    _headline(model)
    st.caption(model.register_rule)

    st.subheader(model.by_region_title)
    _by_region(model, filters)

    st.subheader(t("childcare.pipeline.title"))
    fig = cached.figure(
        filters.data_version,
        charts.pipeline_area,
        model.pipeline,
        state_labels=model.state_labels,
        x_title=t("childcare.pipeline.x"),
        y_title=t("childcare.pipeline.y"),
    )
    show_chart(fig, key="childcare_pipeline_chart", filters=filters)
    st.caption(t("childcare.pipeline.note"))

    st.subheader(t("childcare.places.title"))
    _places(model, filters)

    st.subheader(t("childcare.map.title"))
    _map(model, filters)

    st.subheader(t("childcare.milestones.title"))
    _milestones(model)

    st.subheader(t("childcare.points.title"))
    _points_table(model, filters)

    with st.expander(t("childcare.definitions")):
        for line in model.definitions:
            st.markdown(line)


def _badge(status: str, words: str) -> None:
    """A status chip in the palette's own colour, with the model's words (ui.components.status_badge's look)."""
    st.html(chip_html(status, words, size="0.85rem", pad="2px 10px"))


def _headline(model: ChildcareModel) -> None:
    st.subheader(model.headline)
    cols = st.columns(4)
    for col, kpi in zip(cols, model.kpis, strict=True):
        col.metric(kpi.title, kpi.value, help=kpi.help or None)
        with col:
            for line in kpi.lines:
                st.caption(line)
            if kpi.status_text:
                _badge(kpi.status, kpi.status_text)
    status_legend()
    st.caption(model.thresholds)


def _by_region(model: ChildcareModel, filters: Filters) -> None:
    names = {k: t(f"childcare.chart.{k}") for k in ("actual", "target", "expected")}
    cols = st.columns(2)
    for col, measure in zip(cols, ("points", "funds"), strict=True):
        with col:
            st.markdown(f"**{t(f'childcare.chart.{measure}_title')}**")
            fig = cached.figure(
                filters.data_version,
                charts.attainment_bars,
                model.breakdown,
                measure=measure,
                labels=model.short,
                status_labels=model.status_labels,
                names=names,
                x_title=t(f"childcare.chart.{measure}_x"),
                no_data=model.no_data,
                integer=measure == "points",
            )
            show_chart(fig, key=f"childcare_{measure}_chart", filters=filters)
    if model.below == "county":
        st.caption(t("childcare.by_region.county_note"))
    with st.expander(t("childcare.breakdown.details")):
        st.dataframe(model.breakdown_table, hide_index=True, key="childcare_breakdown_table")
        download_buttons(
            model.breakdown_download,
            f"childcare_by_{model.below}_{filters.region}_{filters.as_of.isoformat()}",
            key="childcare_breakdown",
            notes=[model.download_note],
        )


def _places(model: ChildcareModel, filters: Filters) -> None:
    cols = st.columns(2)
    with cols[0]:
        st.markdown(f"**{t('childcare.places.chart_title')}**")
        fig = cached.figure(
            filters.data_version,
            charts.places_bars,
            model.places_by_state,
            group_col=f"{model.below}_code",
            labels=model.short,
            state_labels={s: model.state_labels[s] for s in PLACE_STATES},
            x_title=t("childcare.places.x"),
        )
        show_chart(fig, key="childcare_places_chart", filters=filters)
        st.caption(t("childcare.places.note"))
    with cols[1]:
        st.markdown(f"**{t('childcare.per_1000.chart_title')}**")
        fig = cached.figure(
            filters.data_version,
            charts.per_thousand_bars,
            model.per_thousand,
            labels=model.per_thousand_labels,
            highlight=list(model.highlight),
            x_title=t("childcare.per_1000.x"),
            no_data=model.no_data,
        )
        show_chart(fig, key="childcare_per_1000_chart", filters=filters)
        st.caption(t("childcare.per_1000.highlight" if model.highlight else "childcare.per_1000.province_row"))
    st.info(t("childcare.per_1000.demo_real"), icon=":material/info:")
    _society_context(model)
    with st.expander(t("childcare.per_1000.details")):
        st.dataframe(model.per_thousand_table, hide_index=True, key="childcare_per_1000_table")


def _society_context(model: ChildcareModel) -> None:
    """Public figures for all childcare in society: labelled context, never the association's target."""
    st.markdown(f"**{t('childcare.context.title')}**")
    st.dataframe(
        model.society,
        hide_index=True,
        key="childcare_society_context_table",
        column_config={
            t("childcare.context.col.what"): st.column_config.TextColumn(width="medium"),
            t("childcare.context.col.source"): st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(t("childcare.context.note"))


def _map(model: ChildcareModel, filters: Filters) -> None:
    names = {m: layer.name for m, layer in model.maps.items()}  # format_func is also called outside the run
    metric = st.radio(
        t("childcare.map.metric"),
        options=list(model.maps),
        format_func=names.__getitem__,
        horizontal=True,
        key="childcare_map_metric",
    )
    layer = model.maps[metric]
    status = None
    if layer.status:
        # the map fills each region in its status's colour and writes the status's mark on its label
        colors, status = {}, {c: layer.status.get(c, "no_data") for c in layer.labels}
        legend = [(model.status_labels[s], STATUS_COLORS[s]) for s in layer.legend]
        colorbar = None
    else:
        colors, top = charts.sequential_colors(layer.values)
        legend = []
        colorbar = (layer.name, charts.sequential_scale(), 0.0, top if top > 0 else 1.0)  # all 0: a 0…1 scale
    fig = cached.region_map(
        filters.data_version,
        layer.level,
        pd.DataFrame({"region_code": list(layer.labels)}),
        colors=colors,
        labels=layer.labels,
        hover=layer.hover,
        status=status,
        legend=legend,
        colorbar=colorbar,
    )
    show_chart(fig, key="childcare_map", filters=filters)
    st.caption(layer.note)


def _milestones(model: ChildcareModel) -> None:
    """Item 7, judged at the as-of date and, once it has passed, at the 30 June deadline itself."""
    cols = st.columns(len(MILESTONES))
    for col, m in zip(cols, model.milestones, strict=False):
        col.metric(m.title, m.value, help=m.help)
        with col:
            st.caption(m.due)
            _badge(m.status, m.status_text)
            if m.at_due:
                st.caption(m.at_due)
    st.caption(t("childcare.milestones.note"))


def _points_table(model: ChildcareModel, filters: Filters) -> None:
    points = model.points
    cols = st.columns(3)
    all_text = t("childcare.points.all")
    states = cols[0].multiselect(
        t("childcare.points.filter_state"),
        list(points.states),
        format_func=points.states.__getitem__,
        key="childcare_state_filter",
        placeholder=all_text,
    )
    operators = cols[1].multiselect(
        t("childcare.points.filter_operator"),
        list(points.operators),
        format_func=points.operators.__getitem__,
        key="childcare_operator_filter",
        placeholder=all_text,
    )
    where = cols[2].multiselect(
        points.region_filter,
        list(points.regions),
        format_func=lambda c: points.regions.get(c, c),
        key=f"childcare_{model.below}_filter",
        placeholder=all_text,
    )
    view = points.shown(states, operators, where)
    st.caption(t("childcare.points.count", n=len(view)))
    if view.empty:
        st.info(t("childcare.points.empty"))
    # the grid writes a missing date as "None": shown as an empty cell (not yet), the download keeps dates
    shown = view.assign(**{c: view[c].map(lambda d: "" if pd.isna(d) else d.isoformat()) for c in points.date_columns})
    st.dataframe(
        shown,
        hide_index=True,
        key="childcare_points_table",
        height=min(38 + 35 * max(len(view), 1), 640),
        column_config={t("childcare.col.subsidy"): st.column_config.NumberColumn(format="localized")},
    )
    st.caption(t("childcare.points.note"))
    download_buttons(
        view,
        f"childcare_points_{filters.region}_{filters.as_of.isoformat()}",
        key="childcare_points",
        notes=[model.download_note],
    )


render(current_filters())
