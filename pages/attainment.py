"""Target attainment by prefecture (目标完成情况): map, league table, scorecard, drill-down, progress.

Lays out :func:`views.attainment.view`'s model; the page's own choice is the indicator (``?indicator=``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import cached, maps, reporting_switch
from ui.charts import attainment as charts
from ui.components import indicator_info, page_header, scorecard_list_html, show_chart, status_legend
from ui.downloads import download_buttons
from ui.i18n import t
from ui.league import league_html
from ui.state import Filters, current_filters, page_choice
from views import statuses
from views.attainment import DEFAULT_INDICATOR, AttainmentModel, Headline
from views.regions import region_names


def _drill(key: str) -> None:
    """A prefecture clicked on the map becomes the global region filter."""
    code = maps.selected_code(st.session_state.get(key))
    if code and len(code) == 6 and code.endswith("00"):
        st.session_state["region"] = code


def _model(f: Filters) -> AttainmentModel:
    """The view of the indicator chosen (the session's, else the link's); the view falls back to
    the default where that indicator is not judged here, as the picker does."""
    wanted = st.session_state.get("indicator") or st.query_params.get("indicator") or DEFAULT_INDICATOR
    reporting_switch.draw()  # accepted figures only, unless switched (issue 23)
    model: AttainmentModel = cached.view("attainment", f, indicator=str(wanted))
    if model.chosen is not None:
        names = {o.indicator_id: o.name for o in model.options}
        indicator = page_choice("indicator", list(names), model.chosen.indicator_id)
        if indicator != model.chosen.indicator_id:
            model = cached.view("attainment", f, indicator=indicator)
        st.selectbox(t("attainment.indicator"), list(names), key="indicator", format_func=lambda i: names.get(i, i))
    return model


def render(f: Filters) -> None:
    page_header("attainment.title", f)
    status_legend()
    model = _model(f)
    shown = model.chosen
    if shown is None:
        st.info(t("attainment.none_at_level"))
        return
    indicator_info(pd.Series(shown.row), f, shown.target)
    # the target's basis (the notice's words or the association's reading) and its phasing, in view
    if shown.target is not None:
        st.caption("　".join(shown.basis))
    _headline(shown.headline)
    if shown.last_year:  # a carried-over indicator: the same month end of the previous plan year
        st.caption(shown.last_year)

    level, area = model.level, shown.map
    # halves: the league's six columns with 湘西土家族苗族自治州 and a done-late date need about 700 px
    # at 1,920 px, and the map (drawn to its shape) leaves room to spare in half the page
    drawn = cached.has_map(f.data_version, level, tuple(area.regions["region_code"]))
    # without a map (another province's plan, no boundaries in the data) the league takes the width
    left, right = st.columns(2) if drawn else (st.container(), st.container())
    with left:
        st.subheader(area.title)
        if drawn:
            fig = cached.region_map(
                f.data_version,
                level,
                area.regions,
                colors=area.colors,
                # the map writes the status's mark before the pace: colour is never the only cue
                labels={
                    r.region_code: f"{maps.short_name(r.name, level)}<br>{r.pace_text}" for r in area.rows.itertuples()
                },
                status=dict(zip(area.rows["region_code"], area.rows["status"], strict=True)),
                hover=area.hover,
                legend=list(area.legend),
                height=800 if f.present else 520,
            )
            show_chart(
                fig,
                key="attainment_map",
                filters=f,
                on_select=lambda: _drill("attainment_map"),
                selection_mode="points",
            )
            if area.click_note:
                st.caption(area.click_note)
        else:
            # another province's plan whose boundaries are not in the data: said, never an empty frame
            province = region_names(cached.regions_at_level(f.data_version, "province", f.province), f.lang)
            st.info(t("plan.no_map", province=province.get(f.province, f.province)), icon=":material/map:")
    with right:
        st.subheader(t("attainment.league_title"))
        # HTML, not st.dataframe: bars in the status's colour, full at 100 %, names never cut (ui/league.py)
        st.html(
            league_html(
                shown.league,
                headers={
                    "rank": t("attainment.col.rank"),
                    "region": model.level_name,
                    "status": t("attainment.col.status"),
                    "pace": t("attainment.col.pace_short"),
                    "actual": t("attainment.col.actual"),
                    "expected": t("attainment.col.expected"),
                },
                note=t("attainment.league_note"),
            )
        )

    card = model.scorecard
    st.subheader(card.title)
    # both drawings; ui/layout_css shows the grid above 640 px and the traffic-light list below
    with st.container(key="fpa_desktop_scorecard"):
        show_chart(
            cached.figure(
                f.data_version,
                charts.scorecard,
                card.table,
                region_labels=card.region_labels,
                indicator_labels=card.indicator_labels,
                status_labels=card.status_labels,
                cell_text=card.cell_text,
            ),
            key="attainment_scorecard",
            filters=f,
        )
        st.caption(t("attainment.scorecard_note"))
    with st.container(key="fpa_phone_scorecard"):
        st.html(
            scorecard_list_html(
                card.table,
                region_labels=card.region_labels,
                indicator_labels=card.indicator_labels,
                status_labels=card.status_labels,
                cell_text=card.cell_text,
                level_name=model.level_name,
            )
        )
    download_buttons(
        model.download.table, model.download.basename, key="attainment_table", notes=list(model.download.notes)
    )

    series = shown.series
    st.subheader(series.title)
    show_chart(
        cached.figure(
            f.data_version,
            charts.progress_over_months,
            series.data,
            actual_name=t("attainment.actual"),
            expected_name=t("attainment.expected_line"),
            target_name=t("attainment.target_line"),
            y_title=series.y_title,
            as_of=f.as_of,
            as_of_label=t("attainment.as_of_marker", as_of=f.as_of.isoformat()),
            month_labels=t("month.names").split(","),
            percent=series.percent,
        ),
        key="attainment_series",
        filters=f,
    )
    if series.baseline_zero:
        st.caption(t("attainment.baseline_zero"))


def _headline(head: Headline | None) -> None:
    if head is None:
        return
    cols = st.columns(5)
    cols[0].metric(t("attainment.col.actual"), head.actual)
    cols[1].metric(t("attainment.col.target"), head.target)
    cols[2].metric(t("attainment.col.expected"), head.expected)
    cols[3].metric(t("attainment.col.pace"), head.pace)
    with cols[4]:
        st.caption(t("attainment.col.status"))
        st.html(statuses.chip_html(head.status, head.status_label, size="1.2rem", pad="4px 12px"))
    if head.not_there:
        st.caption(head.not_there)


render(current_filters())
