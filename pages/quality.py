"""Data quality (数据质量), DHIS2-style: the WHO Data Quality Review dimensions on the association's exports.

1 completeness and timeliness of the county reports, completeness of indicator data, village
coverage; 2 internal consistency: outliers and rule violations; 3/4 external consistency of the
population figures. Lays out :func:`views.quality.view`'s model; definitions and thresholds:
analytics/quality.py (SETTINGS), quoted beside each metric.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ui import cached, downloads
from ui.charts import quality as charts
from ui.components import page_header, show_chart
from ui.i18n import t
from ui.state import Filters, current_filters
from ui.theme import STATUS_COLORS, STATUS_MARK
from views import quality as quality_view
from views.quality import COUNTS, RATES, Metric, QualityModel


def render(f: Filters) -> None:
    page_header("quality.title", f)
    st.markdown(t("quality.intro"))
    # files left out of their tables: first, because every figure of that table on every page is then read without them
    notice = quality_view.skipped_notice(cached.skipped_files(f.data_version), f.lang)
    if notice:
        st.error(notice)
    model: QualityModel = cached.view(
        "quality",
        f,
        outlier_indicator=st.session_state.get("quality_outlier_indicator", ""),
        outlier_series=st.session_state.get("quality_outlier_series", ""),
        # the contract's checks: once per data version, not once per view (about half a second)
        contract_checks=False,
    )
    _reporting(model)
    _indicator_data(model)
    _villages(model)
    _outliers(model)
    _rules(model)
    _external(model)


def _metrics(metrics: Sequence[Metric], columns: int | None = None) -> None:
    for col, m in zip(st.columns(columns or len(metrics)), metrics, strict=False):
        col.metric(m.label, m.value, help=m.help)


def _height(table: pd.DataFrame, most: int = 360) -> int:
    return min(38 + 35 * len(table), most)


def _downloads(model: QualityModel, df: pd.DataFrame, basename: str, key: str) -> None:
    """CSV (with BOM) and Excel of ``df``, with the view it came from in the notes."""
    downloads.download_buttons(df, basename, key=key, notes=list(model.download_notes))


# --- 1 completeness and timeliness -------------------------------------------------------------


def _reporting(model: QualityModel) -> None:
    r = model.reporting
    st.header(t("quality.reporting.title"))
    st.caption(r.definition)
    _metrics(r.metrics)
    st.subheader(r.heatmap_title)
    measure = st.segmented_control(
        t("quality.reporting.measure"),
        list(r.measures),
        default="completeness",
        format_func=r.measures.__getitem__,
        key="quality_heatmap_measure",
    )
    measure = measure or "completeness"
    _band_legend(r.bands)
    fig = charts.reporting_heatmap(
        r.grid,
        row_col=r.row_col,
        rate_col=measure,
        row_labels=r.row_labels,
        month_labels=list(r.month_labels),
        hover=r.hover,
    )
    show_chart(fig, key="quality_heatmap", filters=model.filters)
    st.caption(t("quality.reporting.heatmap_note"))

    st.subheader(r.table_title)
    st.dataframe(
        r.table,
        hide_index=True,
        key="quality_reporting_table",
        height=40 + 35 * len(r.table),  # every region in view: at most 14 prefectures or 13 counties
        column_config={
            "region": st.column_config.TextColumn(r.level_name, width="medium"),
            **{c: st.column_config.NumberColumn(t(f"quality.col.{c}"), format="localized") for c in COUNTS},
            **{
                c: st.column_config.ProgressColumn(
                    t(f"quality.reporting.{c}"), min_value=0.0, max_value=100.0, format="%.1f%%"
                )
                for c in RATES
            },
        },
    )
    st.subheader(t("quality.reporting.records_title"))
    st.caption(r.records_count)
    if r.records.empty:
        st.success(t("quality.reporting.records_none"))
        return
    st.dataframe(r.records, hide_index=True, key="quality_records_table", height=_height(r.records))
    _downloads(model, r.records, r.records_name, "quality_records")


def _band_legend(bands: dict[str, str]) -> None:
    """The colours of the reporting-rate bands with their marks (as the cells write them) and
    thresholds, in one line."""
    chips = " ".join(
        f'<span style="display:inline-block;margin-right:14px;white-space:nowrap">'
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:2px;'
        f'background:{STATUS_COLORS[band]};border:1px solid #d0d7de;vertical-align:middle;margin-right:4px"></span>'
        f"{STATUS_MARK[band]} {words}</span>"
        for band, words in bands.items()
    )
    st.html(f'<div style="font-size:0.9rem;color:#57606a">{chips}</div>')


def _indicator_data(model: QualityModel) -> None:
    v = model.values
    st.header(t("quality.values.title"))
    st.caption(t("quality.values.definition"))
    _metrics(v.metrics)
    st.dataframe(
        v.table,
        hide_index=True,
        key="quality_values_table",
        height=_height(v.table),
        column_config={
            "indicator": t("quality.col.indicator"),
            "item": st.column_config.NumberColumn(t("quality.col.item"), format="%d"),
            **{
                c: st.column_config.NumberColumn(t(f"quality.col.{c}"), format="localized")
                for c in ("received", "blank", "absent", "with_value")
            },
            "completeness": st.column_config.ProgressColumn(
                t("quality.values.completeness"), min_value=0.0, max_value=100.0, format="%.1f%%"
            ),
        },
    )
    if v.gaps.empty:
        st.success(t("quality.values.none"))
        return
    with st.expander(v.gaps_title):
        st.dataframe(v.gaps, hide_index=True, key="quality_gaps_table", height=_height(v.gaps))
        _downloads(model, v.gaps, v.gaps_name, "quality_gaps")


def _villages(model: QualityModel) -> None:
    v = model.villages
    st.header(t("quality.villages.title"))
    st.caption(t("quality.villages.definition"))
    _metrics(v.metrics)
    st.dataframe(
        v.table,
        hide_index=True,
        key="quality_villages_table",
        height=40 + 35 * len(v.table),
        column_config={
            "region": st.column_config.TextColumn(t(f"level.{v.level}"), width="medium"),
            "units": st.column_config.NumberColumn(t("quality.villages.units"), format="localized"),
            "reported": st.column_config.NumberColumn(t("quality.villages.reported"), format="localized"),
            "never_reported": st.column_config.NumberColumn(t("quality.villages.never"), format="localized"),
            "share": st.column_config.NumberColumn(t("quality.villages.share"), format="%.1f%%"),
        },
    )
    if v.never.empty:
        st.success(t("quality.villages.none"))
        return
    with st.expander(v.never_title):
        st.dataframe(v.never, hide_index=True, key="quality_never_table", height=360)
        _downloads(model, v.never, v.never_name, "quality_never")


# --- 2 internal consistency -------------------------------------------------------------------


def _outliers(model: QualityModel) -> None:
    o = model.outliers
    st.header(t("quality.outliers.title"))
    st.caption(o.definition)
    _metrics(o.metrics)
    if o.short_history:
        st.info(o.short_history)
    if o.flags.empty:
        st.success(t("quality.outliers.none"))
        return
    fig = charts.outlier_counts(
        o.flags, indicator_labels=o.indicator_labels, test_labels=o.test_labels, x_title=t("quality.outliers.count")
    )
    show_chart(fig, key="quality_outlier_counts", filters=model.filters)

    # the model fitted the choices to what is flagged now: the widgets show what it used
    st.session_state["quality_outlier_indicator"] = o.indicator
    st.selectbox(
        t("quality.outliers.indicator"),
        list(o.indicators),
        format_func=o.indicators.__getitem__,
        key="quality_outlier_indicator",
    )
    st.dataframe(o.table, hide_index=True, key="quality_outliers_table", height=_height(o.table))
    _downloads(model, o.table, o.table_name, "quality_outliers")

    # one flagged series drawn against what it was judged by
    st.session_state["quality_outlier_series"] = o.series
    st.selectbox(
        t("quality.outliers.series"),
        list(o.series_options),
        format_func=o.series_options.__getitem__,
        key="quality_outlier_series",
    )
    if o.chart is not None:
        c = o.chart
        fig = charts.outlier_series(
            c.own,
            band=c.band,
            flagged=c.flagged,
            peers=c.peers,
            names=c.names,
            month_labels=list(model.reporting.month_labels),
            y_title=c.y_title,
        )
        show_chart(fig, key="quality_outlier_series_chart", filters=model.filters)


def _rules(model: QualityModel) -> None:
    f, consistency = model.filters, model.consistency
    st.header(t("quality.rules.title"))
    st.caption(t("quality.rules.definition"))
    contract = model.contract or quality_view.contract(*cached.quality_contract(f.data_version), f.lang)
    cols = st.columns(4)
    cols[0].metric(t("quality.rules.contract_checks"), f"{contract.checks:,}")
    cols[1].metric(t("quality.rules.contract_violations"), f"{contract.violations:,}")
    cols[2].metric(t("quality.rules.consistency_checks"), f"{consistency.checks:,}")
    cols[3].metric(t("quality.rules.consistency_violations"), f"{consistency.violations:,}")
    none = model.rules_none(contract)
    if none:
        st.success(none)
    st.subheader(t("quality.rules.consistency_list", n=consistency.checks))
    st.table(consistency.table)
    st.subheader(t("quality.rules.contract_list", n=contract.checks))
    st.dataframe(
        contract.table,
        hide_index=True,
        key="quality_rules_table",
        height=420,
        column_config={
            "table": st.column_config.TextColumn(t("quality.col.table"), width="small"),
            "rule": st.column_config.TextColumn(t("quality.col.rule"), width="large"),
            "violations": st.column_config.NumberColumn(t("quality.col.violations"), format="localized", width="small"),
        },
    )
    st.caption(t("quality.rules.not_checkable"))
    if not consistency.records.empty:
        st.subheader(t("quality.rules.consistency_records"))
        out = consistency.records
        st.dataframe(out, hide_index=True, key="quality_consistency_table", height=_height(out))
        _downloads(model, out, consistency.records_name, "quality_consistency")
    if not contract.examples.empty:
        st.subheader(t("quality.rules.contract_records"))
        st.caption(t("quality.rules.examples_note"))
        out = contract.examples
        st.dataframe(out, hide_index=True, key="quality_contract_table", height=_height(out))
        _downloads(model, out, "quality_contract", "quality_contract")


# --- 3 and 4 external consistency, population -------------------------------------------------


def _external(model: QualityModel) -> None:
    e = model.external
    st.header(t("quality.external.title"))
    st.caption(e.definition)
    if e.notice:
        st.info(e.notice)
    else:
        st.metric(t("quality.external.disagree"), e.disagree)
        st.dataframe(e.table, hide_index=True, key="quality_population_table")
        _downloads(model, e.table, "quality_population", "quality_population")
    st.caption(e.over_time)


render(current_filters())
