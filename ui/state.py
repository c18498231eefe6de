"""Global filters: language, plan year, as-of date and region, kept in the URL.

Each filter is a widget bound to a query parameter (``bind="query-params"``), so a copied
link reproduces the view and the browser's back button works. Options are plain strings
(ISO dates, region codes) so the URL stays readable: ``?as_of=2023-06-30&region=430100``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analytics.attainment import month_ends
from analytics.queries import PROVINCE_CODE
from ui import cached
from ui.i18n import DEFAULT_LANG, LANGS, current_lang, name_col, t


@dataclass(frozen=True)
class Filters:
    lang: str
    plan_year: int
    as_of: dt.date
    region: str  # the province, or one prefecture
    data_version: str

    @property
    def level_below(self) -> str:
        """The level a breakdown of ``region`` shows: prefectures of the province, counties of a prefecture."""
        return "prefecture" if self.region == PROVINCE_CODE else "county"

    @property
    def previous_month_end(self) -> dt.date:
        return self.as_of.replace(day=1) - dt.timedelta(days=1)


def default_as_of(status: pd.DataFrame, plan_year: int) -> dt.date:
    """The latest month the progress export covers, inside the plan year."""
    through = status["progress_through"].iloc[0] if len(status) else None
    year_end = dt.date(plan_year, 12, 31)
    if through is None or pd.isna(through):
        return year_end
    through = pd.Timestamp(through).date()
    if through.year != plan_year:
        return year_end if through.year > plan_year else dt.date(plan_year, 1, 31)
    return through


def render_global_filters() -> Filters:
    """Draw the sidebar filters and return what they say."""
    version = cached.version()
    status = cached.data_status(version)
    years = [int(y) for y in (status["plan_years"].iloc[0] if len(status) else [])] or [2023]
    with st.sidebar:
        st.segmented_control(
            "语言 / Language",
            options=list(LANGS),
            default=DEFAULT_LANG,
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
            key="lang",
            required=True,
            bind="query-params",
        )
        lang = current_lang()
        year = st.selectbox(
            t("filters.plan_year"),
            options=[str(y) for y in years],
            index=len(years) - 1,
            key="year",
            bind="query-params",
        )
        plan_year = int(year) if year else years[-1]
        ends = [d.isoformat() for d in month_ends(plan_year)]
        default_end = default_as_of(status, plan_year).isoformat()
        as_of = st.selectbox(
            t("filters.as_of"),
            options=ends,
            index=ends.index(default_end) if default_end in ends else len(ends) - 1,
            key="as_of",
            bind="query-params",
            help=t("filters.as_of_help"),
        )
        prefectures = cached.regions_at_level(version, "prefecture", PROVINCE_CODE)
        names = dict(zip(prefectures["region_code"], prefectures[name_col("name", lang)].fillna(prefectures["name_zh"]), strict=True))
        names = {PROVINCE_CODE: t("filters.whole_province"), **names}
        region = st.selectbox(
            t("filters.region"),
            options=list(names),
            index=0,
            format_func=lambda code: names.get(code, code),
            key="region",
            bind="query-params",
        )
    return Filters(
        lang=lang,
        plan_year=plan_year,
        as_of=dt.date.fromisoformat(as_of or default_end),
        region=region or PROVINCE_CODE,
        data_version=version,
    )
