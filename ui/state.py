"""Global filters: language, plan year, as-of date and region, kept in the URL.

Each filter is a widget bound to a query parameter (``bind="query-params"``), so a copied
link reproduces the view and the browser's back button works. Options are plain strings
(ISO dates, region codes) so the URL stays readable: ``?as_of=2023-06-30&region=430100``.
"""

from __future__ import annotations

import calendar
import datetime as dt

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analytics.attainment import month_ends
from ui import cached
from ui.i18n import DEFAULT_LANG, LANGS, current_lang, name_col, t
from views.filters import Filters, default_as_of

# One filters type for the app, the meeting pack and the benchmark (views/filters.py); pages
# import it from here with the widgets that fill it.
__all__ = ["Filters", "current_filters", "default_as_of", "page_choice", "render_global_filters"]


def _seed(key: str, options: list[str], default: str) -> None:
    """Put the URL's value for ``key`` (or the default) into the session before its widget is drawn.

    Widgets are not bound with ``bind="query-params"``: that writes the *displayed* option
    into the URL (a prefecture's name in the current language), so a link copied in one
    language would not open in the other. Here the URL always holds codes and ISO dates.

    A valid value is written back on every run, on purpose. A select box's browser side
    holds its choice as the *displayed label*, and Streamlit sends a label only when the
    value changes on the server. After a language switch the browser still held "张家界市"
    while the options had become English names; the next rerun of any widget sent that
    stale label back, it matched no option, and the region fell back to the whole
    province (issue 20.5). A value written through the session state is sent to the browser
    as the label of the current language, so the label it sends back always matches.
    """
    current = st.session_state.get(key)
    if current is None:
        wanted = st.query_params.get(key)
        st.session_state[key] = wanted if wanted in options else default
    elif current not in options:
        st.session_state[key] = default
    else:
        st.session_state[key] = current


def _in_year(value: object, plan_year: int) -> dt.date | None:
    """``value`` as a date of ``plan_year`` (an ISO string), else None."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return None
    return day if day.year == plan_year else None


def _seed_as_of(plan_year: int, default: dt.date) -> list[str]:
    """Seed the as-of date and return the options of its select box.

    The options are the plan year's month ends, plus the date chosen when it lies inside a
    month: a link's ``?as_of=2023-06-15`` is honoured, not replaced by a month end. A link
    whose date is not a date, or not one of the plan year, opens ``default`` with a notice
    saying which date is shown and why (:func:`date_notices`), never silently.
    """
    ends = [d.isoformat() for d in month_ends(plan_year)]
    current = st.session_state.get("as_of")
    if current is None:
        wanted = st.query_params.get("as_of")
        if wanted is None:
            st.session_state["as_of"] = default.isoformat()
        elif _in_year(wanted, plan_year) is not None:
            st.session_state["as_of"] = dt.date.fromisoformat(wanted).isoformat()
        else:
            try:
                dt.date.fromisoformat(wanted)
                reason = "out_of_year"
            except ValueError:
                reason = "malformed"
            st.session_state["as_of"] = default.isoformat()
            st.session_state[_NOTICE] = (reason, wanted, default.isoformat())
    elif _in_year(current, plan_year) is None:  # another plan year was chosen
        st.session_state["as_of"] = default.isoformat()
    chosen = str(st.session_state["as_of"])
    return ends if chosen in ends else sorted([*ends, chosen])


_NOTICE = "as_of_notice"


def date_notices(filters: Filters) -> None:
    """Above every page: a link's date that could not be shown, and a date inside a month.

    The correction stays until another date is chosen; a mid-month date says the figures
    are those of the last complete month end (reports are monthly, see
    :func:`analytics.attainment.judged_date`).
    """
    notice = st.session_state.get(_NOTICE)
    if notice is not None:
        reason, wanted, shown = notice
        if shown == filters.as_of.isoformat():
            st.warning(
                t(f"dates.corrected.{reason}", filters.lang, wanted=wanted, shown=shown, year=filters.plan_year),
                icon=":material/event_busy:",
            )
        else:
            del st.session_state[_NOTICE]
    if filters.judged_on != filters.as_of:
        st.caption(
            t(
                "dates.judged",
                filters.lang,
                as_of=filters.as_of.isoformat(),
                judged=_day(filters.judged_on, filters.lang),
            )
        )
    elif filters.as_of not in month_ends(filters.plan_year):
        st.caption(t("dates.no_month_yet", filters.lang, as_of=filters.as_of.isoformat()))


def _day(day: dt.date, lang: str) -> str:
    return t("dates.day", lang, month=day.month, day=day.day, month_name=calendar.month_name[day.month])


_SHOWN_LANG = "_filters_shown_lang"


def _relabel_after_language_switch(lang: str) -> None:
    """In the run that switches the language, write every page's choices back (see :func:`_seed`).

    Every select box, radio, segmented control and multiselect of a page shows its options
    through a ``format_func`` in the current language, and the browser holds its choice as
    that label: without this, the first interaction after a switch sent the old language's
    label back and the choice fell back to its default. Writing a choice through the session
    state makes Streamlit send its label in the new language when the widget is drawn. Only
    strings and lists of strings are written back: every other widget value (a button's
    flag, a chart's or table's selection, an uploaded file) is not a labelled choice, and
    some of those widgets refuse a value written through the session state.

    Runs before any widget of the run is drawn (a key cannot be written once its widget is).
    """
    shown = st.session_state.get(_SHOWN_LANG)
    st.session_state[_SHOWN_LANG] = lang
    if shown is None or shown == lang:
        return
    for key in list(st.session_state.keys()):
        value = st.session_state[key]
        if isinstance(value, str) or (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            st.session_state[key] = value


def render_global_filters() -> Filters:
    """Draw the sidebar filters, keep them in the URL, and return what they say."""
    version = cached.version()
    status = cached.data_status(version)
    years = [str(int(y)) for y in (status["plan_years"].iloc[0] if len(status) else [])] or ["2023"]
    _seed("lang", list(LANGS), DEFAULT_LANG)
    _relabel_after_language_switch(str(st.session_state["lang"]))
    _seed("year", years, years[-1])
    plan_year = int(st.session_state["year"])
    ends = _seed_as_of(plan_year, default_as_of(status, plan_year))
    # the plan year's own province (its workbook's province_code): another province's plan
    # lists that province's prefectures; a region of another plan year's province is not offered
    province = cached.plan_heading(version, plan_year, str(st.session_state["lang"])).province
    prefectures = cached.regions_at_level(version, "prefecture", province)
    regions = [province, *prefectures["region_code"]]
    # a prefecture's signed-in user (ui/auth.py) starts on their own prefecture; a link still wins
    scope = getattr(st.session_state.get("auth_user"), "scope", province)
    _seed("region", regions, scope if scope in regions else province)
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
            province: t("filters.whole_province"),
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
