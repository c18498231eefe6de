"""Workforce and training (队伍与培训): items 9, 14 and 28 of the plan.

Lays out :func:`views.training.view`'s model: instructors in every village-level unit (coverage
over all units of the region table, with the list of units short of 2), the plan's classes
against their deadlines, participants' completion, and the youth health demonstration bases in
every prefecture. The page's own choices narrow what the model holds.
"""

from __future__ import annotations

import streamlit as st

from analytics import training
from ui import auth, cached, downloads
from ui.charts import training as charts
from ui.components import page_header, show_chart, status_badge, status_label, status_legend
from ui.i18n import t
from ui.state import Filters, current_filters
from ui.theme import STATUS_ORDER
from views import training as training_view
from views.training import Coverage, TrainingModel


def render(f: Filters) -> None:
    page_header("training.title", f)
    st.markdown(t("training.intro"))
    status_legend()
    model: TrainingModel = cached.view("training", f)
    st.header(t("training.coverage.title"))
    if model.coverage is None:
        st.info(t("training.coverage.none"))
    else:
        _coverage(f, model, model.coverage)
    _short_list(model)
    _classes(model)
    _participants(model)
    _bases(model)


# --- instructors --------------------------------------------------------------------------


def _coverage(f: Filters, model: TrainingModel, cov: Coverage) -> None:
    cols = st.columns(5)
    cols[0].metric(cov.share.label, cov.share.value, delta=cov.share.delta, help=cov.share.help)
    for col, metric in zip(cols[1:], cov.counts, strict=True):
        col.metric(metric.label, metric.value)
    if cov.status is not None:
        left, right = st.columns([1, 5], vertical_alignment="center")
        with left:
            status_badge(cov.status.code, cov.status.reached_on)
        right.caption(cov.status_line)
    st.caption(cov.definition)

    left, right = st.columns(2)
    with left:
        st.subheader(cov.map_title)
        shapes = cached.map_shapes(f.data_version, cov.level)
        shares = dict(zip(cov.below["region_code"], cov.below["share"], strict=True))
        low = charts.scale_floor(cov.below["share"])
        if shapes:
            fig = cached.region_map(
                f.data_version,
                cov.level,
                cov.below[["region_code"]],
                colors=charts.share_colors(shares, low),
                labels=cov.map_labels,
                hover=cov.map_hover,
                colorbar=(t("training.coverage.share_short"), charts.share_scale(), low, 1.0),
                colorbar_format=".0%",
                height=480,
            )
            show_chart(fig, key="training_coverage_map", filters=f)
        else:
            st.info(t("training.no_boundaries"))
    with right:
        st.subheader(cov.bars_title)
        fig = cached.figure(
            f.data_version,
            charts.category_bars,
            cov.below,
            labels=cov.bar_labels,
            category_labels=cov.category_labels,
            x_title=t("training.coverage.bars_x"),
        )
        show_chart(fig, key="training_coverage_bars", filters=f)

    st.subheader(t("training.coverage.trend_title"))
    fig = cached.figure(
        f.data_version,
        charts.coverage_over_months,
        cov.trend,
        own_code=f.region,
        labels=cov.trend_labels,
        target_label=t("training.coverage.target"),
        y_title=t("training.coverage.share_short"),
        month_labels=model.month_labels,
    )
    show_chart(fig, key="training_coverage_trend", filters=f)
    st.caption(t("training.coverage.trend_note"))

    st.subheader(t("training.coverage.counties_title"))
    st.dataframe(
        cov.counties,
        hide_index=True,
        key="training_county_table",
        height=min(38 + 35 * len(cov.counties), 420),
        column_config={
            **{c: st.column_config.NumberColumn(c, format="localized") for c in cov.county_numbers},
            cov.county_share: st.column_config.ProgressColumn(
                cov.county_share, min_value=0.0, max_value=100.0, format="%.1f%%"
            ),
        },
    )


def _short_list(model: TrainingModel) -> None:
    st.subheader(t("training.short.title"))
    short = model.short
    county_options = ["", *short.counties]
    categories = ["", *short.categories]
    for key, options in (("training_short_county", county_options), ("training_short_category", categories)):
        if st.session_state.get(key) not in options:
            st.session_state[key] = ""  # a county of another prefecture after the region filter changed
    left, right = st.columns(2)
    county = left.selectbox(
        t("training.short.county"),
        county_options,
        format_func=lambda c: short.counties.get(c, c) if c else t("training.short.all_counties"),
        key="training_short_county",
    )
    category = right.selectbox(
        t("training.short.category"),
        categories,
        format_func=lambda c: short.categories[c] if c else t("training.short.all_categories"),
        key="training_short_category",
    )
    shown = short.narrowed(county, category)
    st.caption(shown.caption)
    if shown.table.empty:
        st.success(t("training.short.none"))
        return
    st.dataframe(shown.shown, hide_index=True, key="training_short_table", height=420)
    if not auth.allows("analyst"):  # village lists are analysts' downloads: no button, no file, for viewers
        st.caption(t("auth.downloads_analyst_only"))
        return
    downloads.download_buttons(shown.table, short.basename, key="training_short", notes=short.notes)


def _classes(model: TrainingModel) -> None:
    f, classes = model.filters, model.classes
    st.header(t("training.classes.title"))
    cols = st.columns(len(classes.plan))
    for col, plan in zip(cols, classes.plan, strict=True):
        with col.container(border=True):
            st.markdown(f"**{plan.title}**")
            status_badge(plan.status.code)
            st.caption(plan.line)
            if plan.early:
                st.caption(plan.early)
    st.dataframe(classes.kinds, hide_index=True, key="training_kind_table")
    st.caption(t("training.classes.note"))

    st.subheader(t("training.timeline.title"))
    chosen = st.pills(
        t("training.timeline.levels"),
        list(training_view.ORGANISERS),
        selection_mode="multi",
        default=list(classes.default_levels),
        format_func=lambda lv: classes.organiser_labels[lv],
        key=f"training_timeline_levels_{f.own_level}",
    )
    shown = classes.at_levels(chosen or [])
    if shown.empty:
        st.info(t("training.timeline.none"))
        return
    fig = cached.figure(
        f.data_version,
        charts.classes_timeline,
        shown,
        row_labels=list(shown["row"]),
        kind_labels=classes.kind_labels,
        state_labels=classes.state_labels,
        deadlines=classes.deadlines,
        windows=list(classes.windows),
        as_of=f.as_of,
        as_of_label=classes.as_of_label,
        planned_label=t("training.timeline.planned"),
        month_labels=model.month_labels,
    )
    show_chart(fig, key="training_timeline", filters=f)
    st.caption(t("training.timeline.note"))


def _participants(model: TrainingModel) -> None:
    f, parts = model.filters, model.participants
    st.header(t("training.participants.title"))
    st.caption(parts.note)
    if parts.empty:
        st.info(parts.empty)
        return
    cols = st.columns(4)
    for col, metric in zip(cols, parts.totals, strict=True):
        col.metric(metric.label, metric.value)

    st.subheader(parts.chart_title)
    fig = cached.figure(
        f.data_version,
        charts.completion_bars,
        parts.by_level,
        label_col="label",
        threshold=parts.threshold,
        threshold_label=parts.threshold_label,
        x_title=t("training.participants.rate"),
        below_name=t("training.participants.below"),
        above_name=t("training.participants.above"),
    )
    show_chart(fig, key="training_completion_chart", filters=f)

    if parts.below_count:
        st.warning(parts.below_count)
    breakdown = st.segmented_control(
        t("training.participants.by"),
        list(training.BREAKDOWNS),
        format_func=lambda b: t(f"training.participants.by_{b}"),
        default="class",
        key="training_breakdown",
    )
    table, below = parts.tables[breakdown or "class"], parts.below[breakdown or "class"]
    st.dataframe(
        table.style.apply(lambda col: ["background-color: #fff8c5" if b else "" for b in below], axis=0).format(
            {t("training.participants.rate"): training_view.percent}
        ),
        hide_index=True,
        key="training_completion_table",
        height=min(38 + 35 * len(table), 460),
    )


# --- youth health demonstration bases -------------------------------------------------------


def _bases(model: TrainingModel) -> None:
    f, bases = model.filters, model.bases
    st.header(t("training.bases.title"))
    if bases is None:
        st.info(t("training.bases.none"))
        return
    cols = st.columns([1, 1, 3], vertical_alignment="center")
    cols[0].metric(bases.metric.label, bases.metric.value)
    with cols[1]:
        status_badge(bases.status.code, bases.status.reached_on)
    if not bases.province:
        cols[2].caption(bases.line)
        st.caption(bases.target)
        return
    cols[2].markdown(bases.line)
    st.caption(bases.target)
    fig = cached.figure(
        f.data_version,
        charts.bases_bars,
        bases.by_prefecture,
        labels=bases.labels,
        status_labels={s: status_label(s) for s in STATUS_ORDER},
        x_title=t("training.bases.x"),
        no_data=t("training.no_data"),
    )
    st.subheader(t("training.bases.chart_title"))
    show_chart(fig, key="training_bases_chart", filters=f)


render(current_filters())
