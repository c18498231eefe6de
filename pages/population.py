"""Population indicators (人口指标) for researchers: real published figures, each with its source and year.

Sections: the region's year-end series (with the 2019/2020 break), the prefectures in the 2020
census (small multiples, map, sortable table), the prefectures' year-end vital rates, the
association's figures per resident (demo × real) with a scatter, the sources, the downloads.
Lays out :func:`views.population.view`'s model; the rules (what is in force, gaps, bases) live in
analytics/population.py, figures in ui/charts/population.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

import plotly.graph_objects as go
import streamlit as st

from analytics import population as P
from analytics.queries import PROVINCE_CODE
from ui import cached
from ui.charts import localised
from ui.charts import population as charts
from ui.components import CHART_CONFIG, page_header
from ui.downloads import download_buttons
from ui.i18n import t
from ui.state import Filters, current_filters, page_choice
from views import population as population_view
from views.population import PopulationModel

CONFIG = CHART_CONFIG  # no toolbar (ui.components)


def _show(fig: go.Figure, key: str, model: PopulationModel) -> None:
    """A figure without a toolbar, its numbers read as people count (万 in Chinese, never "69M")."""
    st.plotly_chart(localised(fig, model.filters.lang), key=key, config=CONFIG)


# small multiples a row: a desktop's width, and a phone's (under 640 px three or four panels a row
# overprint each other's titles and ticks); the server cannot know the screen, so it draws both and
# ui/layout_css.py shows one
DESKTOP_COLUMNS: Final = {"population_series": 3, "population_census": 4}
PHONE_COLUMNS: Final = 2


def _show_both(model: PopulationModel, key: str, build: Callable[[int], go.Figure]) -> None:
    with st.container(key=f"fpa_desktop_{key}"):
        _show(build(DESKTOP_COLUMNS[key]), f"{key}_chart", model)
    with st.container(key=f"fpa_phone_{key}"):
        _show(build(PHONE_COLUMNS), f"{key}_chart_phone", model)


def render(filters: Filters) -> None:
    page_header("population.title", filters, demo_only_association=True)
    st.markdown(t("population.intro"))
    v = population_view
    model: PopulationModel = cached.view(
        "population",
        filters,
        map_measure=page_choice("population_map_measure", list(v.MAP_MEASURES), v.DEFAULT_MAP),
        vital_measure=page_choice("population_vital_measure", list(P.VITAL_MEASURES), v.DEFAULT_VITAL),
        scatter_x=page_choice("population_scatter_x", list(P.SCATTER_MEASURES), v.DEFAULT_X),
        scatter_y=page_choice("population_scatter_y", list(P.SCATTER_MEASURES), v.DEFAULT_Y),
    )
    _series(model)
    _census(model)
    _vital(model)
    _association(model)
    _sources(model)


def _series(model: PopulationModel) -> None:
    part = model.series
    st.subheader(part.title)
    if not part.years:
        st.info(t("population.series.empty"))
        return
    # built once per data version and inputs (ui.cached.figure): the six panels cost 0.2 s to build
    _show_both(
        model,
        "population_series",
        lambda columns: cached.figure(
            model.filters.data_version,
            charts.series_grid,
            part.series,
            part.other,
            model.vocab,
            measures=P.PROVINCE_SERIES,
            columns=columns,
        ),
    )
    st.caption(t("population.series.note"))


def _census(model: PopulationModel) -> None:
    voc, highlight, version = model.vocab, model.highlight, model.filters.data_version
    st.subheader(t("population.census.title"))
    _show_both(
        model,
        "population_census",
        lambda columns: cached.figure(
            version,
            charts.census_multiples,
            model.census,
            voc,
            measures=P.CENSUS_COMPARISON,
            province_code=PROVINCE_CODE,
            highlight=highlight,
            columns=columns,
        ),
    )
    st.caption(t("population.census.note"))
    left, right = st.columns([5, 6], gap="large")
    with left:
        st.markdown(f"**{t('population.map.title')}**")
        st.selectbox(
            t("population.map.measure"),
            population_view.MAP_MEASURES,
            format_func=voc.measures.__getitem__,
            key="population_map_measure",
        )
        m = model.map
        colors, lo, hi = charts.map_colors(m.values)
        fig = cached.region_map(
            version,
            "prefecture",
            m.codes,
            colors=colors,
            labels=m.labels,
            hover=m.hover,
            colorbar=(m.unit, charts.MAP_COLORSCALE, lo, hi),
            outline=(highlight, charts.HIGHLIGHT) if highlight else None,
            height=520,
        )
        _show(fig, "population_map", model)
        st.caption(m.note)
    with right:
        st.markdown(f"**{t('population.table.title')}**")
        table = charts.census_table(model.census, voc, measures=P.CENSUS_COMPARISON, highlight=highlight)
        st.dataframe(table, key="population_census_table", hide_index=True)
        if model.census_derived:
            st.caption(model.census_derived)
        if model.census_compiled:
            st.caption(model.census_compiled)


def _vital(model: PopulationModel) -> None:
    part = model.vital
    if part is None:
        return
    st.subheader(part.title)
    st.selectbox(
        t("population.vital.measure"),
        P.VITAL_MEASURES,
        format_func=model.vocab.measures.__getitem__,
        key="population_vital_measure",
    )
    fig = cached.figure(
        model.filters.data_version,
        charts.vital_heatmap,
        part.grid,
        part.other,
        model.vocab,
        measure=part.measure,
        highlight=model.highlight,
    )
    _show(fig, "population_vital_chart", model)
    st.caption(t("population.vital.note"))


def _association(model: PopulationModel) -> None:
    part, voc = model.association, model.vocab
    st.subheader(t("population.assoc.title"))
    st.caption(part.note)
    cx, cy = st.columns(2)
    name = voc.measures.__getitem__
    cx.selectbox(t("population.assoc.x"), P.SCATTER_MEASURES, format_func=name, key="population_scatter_x")
    cy.selectbox(t("population.assoc.y"), P.SCATTER_MEASURES, format_func=name, key="population_scatter_y")
    fig = charts.association_scatter(
        part.prefectures, voc, x=part.x, y=part.y, hover=part.hover, highlight=model.highlight
    )
    _show(fig, "population_scatter", model)
    if part.left_out:
        st.caption(part.left_out)
    if part.partial:
        st.caption(part.partial)
    st.dataframe(
        charts.assoc_styled(part.frame, voc, highlight=model.highlight), key="population_assoc_table", hide_index=True
    )


def _sources(model: PopulationModel) -> None:
    st.subheader(t("population.sources.title"))
    st.caption(t("population.sources.note"))
    st.dataframe(
        model.sources,
        key="population_sources_table",
        hide_index=True,
        column_config={model.vocab.columns["source"]: st.column_config.TextColumn(width="large")},
    )
    st.caption(model.files)
    if not model.replaced.empty:
        with st.expander(model.replaced_title):
            st.caption(t("population.replaced.note"))
            st.dataframe(model.replaced, key="population_replaced_table", hide_index=True)

    st.subheader(t("population.download.title"))
    today = dt.date.today()
    st.markdown(t("population.download.figures"))
    download_buttons(
        model.export,
        "population_figures",
        key="population_figures",
        notes=model.figure_notes(today),
        formats=("csv", "xlsx", "parquet"),
        sheet=t("population.download.sheet_figures"),
        demo=False,  # public statistics: only the association's figures are demo
    )
    st.markdown(t("population.download.assoc"))
    download_buttons(
        model.association_export,
        "population_association",
        key="population_association",
        notes=model.association_notes(today),
        formats=("csv", "xlsx", "parquet"),
        sheet=t("population.download.sheet_assoc"),
    )


render(current_filters())
