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
from streamlit.runtime.pages_manager import PagesManager

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
    present: bool = False  # presentation mode: large type, one chart a screen, no sidebar

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


def _seed(key: str, options: list[str], default: str) -> None:
    """Put the URL's value for ``key`` (or the default) into the session before its widget is drawn.

    Widgets are not bound with ``bind="query-params"``: that writes the *displayed* option
    into the URL (a prefecture's name in the current language), so a link copied in one
    language would not open in the other. Here the URL always holds codes and ISO dates.
    """
    current = st.session_state.get(key)
    if current is None:
        wanted = st.query_params.get(key)
        st.session_state[key] = wanted if wanted in options else default
    elif current not in options:
        st.session_state[key] = default


def render_global_filters() -> Filters:
    """Draw the sidebar filters, keep them in the URL, and return what they say."""
    version = cached.version()
    status = cached.data_status(version)
    years = [str(int(y)) for y in (status["plan_years"].iloc[0] if len(status) else [])] or ["2023"]
    _seed("lang", list(LANGS), DEFAULT_LANG)
    _seed("year", years, years[-1])
    plan_year = int(st.session_state["year"])
    ends = [d.isoformat() for d in month_ends(plan_year)]
    _seed("as_of", ends, default_as_of(status, plan_year).isoformat())
    prefectures = cached.regions_at_level(version, "prefecture", PROVINCE_CODE)
    regions = [PROVINCE_CODE, *prefectures["region_code"]]
    # a prefecture's signed-in user (ui/auth.py) starts on their own prefecture; a link still wins
    scope = getattr(st.session_state.get("auth_user"), "scope", PROVINCE_CODE)
    _seed("region", regions, scope if scope in regions else PROVINCE_CODE)
    with st.sidebar:
        st.segmented_control(
            "语言 / Language",
            options=list(LANGS),
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
            key="lang",
            required=True,
        )
        lang = current_lang()
        st.selectbox(t("filters.plan_year"), options=years, key="year")
        st.selectbox(t("filters.as_of"), options=ends, key="as_of", help=t("filters.as_of_help"))
        label = prefectures[name_col("name", lang)].fillna(prefectures["name_zh"])
        names = {
            PROVINCE_CODE: t("filters.whole_province"),
            **dict(zip(prefectures["region_code"], label, strict=True)),
        }
        st.selectbox(
            t("filters.region"),
            options=list(names),
            format_func=lambda code: names.get(code, code),
            key="region",
        )
        if "present" not in st.session_state:
            st.session_state["present"] = st.query_params.get("present") == "1"
        st.toggle(t("filters.present"), key="present", help=t("filters.present_help"))
    filters = Filters(
        lang=lang,
        plan_year=int(st.session_state["year"]),
        as_of=dt.date.fromisoformat(st.session_state["as_of"]),
        region=st.session_state["region"],
        data_version=version,
        present=bool(st.session_state["present"]),
    )
    wanted = {
        "lang": filters.lang,
        "year": str(filters.plan_year),
        "as_of": filters.as_of.isoformat(),
        "region": filters.region,
    }
    for key, value in wanted.items():
        # write only what changed: every write is a message to the browser
        if st.query_params.get(key) != value:
            st.query_params[key] = value
    if filters.present and st.query_params.get("present") != "1":
        st.query_params["present"] = "1"
    elif not filters.present and "present" in st.query_params:
        del st.query_params["present"]
    return filters


def page_choice(key: str, options: list[str], default: str) -> str:
    """A page-level choice kept in the URL beside the global filters (``?indicator=…``).

    Call before drawing the widget with ``key=key``; the URL is updated after the
    widget changes on the next run, so a copied link reproduces the choice.
    """
    _seed(key, options, default)
    value = str(st.session_state[key])
    if st.query_params.get(key) != value:
        st.query_params[key] = value
    return value


def current_filters() -> Filters:
    """The filters app.py drew on this run: the first thing every page calls.

    When the very first session of a server opens a page's own URL, Streamlit runs the
    page file directly in its old "pages/ folder" mode, without app.py (see app.py); the
    page then leaves that mode and reruns, which goes through app.py like every later run.
    """
    if PagesManager.uses_pages_directory or "filters" not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()
    filters: Filters = st.session_state["filters"]
    return filters
