"""Entry point: ``streamlit run app.py``. Navigation, the global filters and the page frame."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# Streamlit runs the first session of a server through its old "pages/ folder" mode
# whenever a pages/ folder sits beside the main script, even though this app navigates
# with st.navigation; that first session then loses its filters on every interaction
# (seen with streamlit 1.67 in a browser and in AppTest). Leaving that mode and rerunning
# before anything is drawn makes the first session behave like every later one.
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()

import re

from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import auth, layout_css, widget_words
from ui.components import presentation_mode
from ui.i18n import t
from ui.nav import OLD_LANDING_PATHS, PAGES, PageSpec
from ui.state import date_notices, render_global_filters

HERE = Path(__file__).parent

# A local icon file: a ":material/…:" page icon would make the browser fetch it from the internet.
st.set_page_config(
    page_title="湖南省计生协工作要点监测", page_icon=str(HERE / "ui" / "static" / "favicon.png"), layout="wide"
)
layout_css.inject()  # the phone layout, the notice tag, the scorecard's two drawings: once, before any page


def _page(spec: PageSpec, *, visible: bool) -> st.Page:
    # every page is registered, allowed or not: a page missing from st.navigation would make
    # its URL silently run the landing page instead of showing the refusal below
    return st.Page(
        str(HERE / spec.path),
        title=t(spec.title_key),
        icon=spec.icon,
        # the landing page is served at "/", and reserves no other address: /home (its address
        # before) is free for the detour below
        url_path="" if spec == PAGES[0] else spec.url_path,
        default=spec == PAGES[0],
        visibility="visible" if visible else "hidden",
    )


_DETOURED = "detoured_from"  # an address that is no page: said once, in the page's language, on the landing page
_ONE_SEGMENT = re.compile(r"[A-Za-z0-9_-]{1,60}")


def _detours(landing: st.Page) -> list[st.Page]:
    """Hidden pages at addresses that are no page of ours, each opening the landing page.

    Without them Streamlit shows its own English "Page not found" dialog, whatever the page's
    language, before running the landing page. The landing page's old addresses
    (ui.nav.OLD_LANDING_PATHS) open it silently; any other one-segment address this run asks
    for (Streamlit's intended page name) opens it with a notice saying which address had no page.
    """
    served = {spec.url_path for spec in PAGES[1:]}  # the landing page itself is served at "/"
    asked = getattr(getattr(get_script_run_ctx(), "pages_manager", None), "intended_page_name", None)
    names = set(OLD_LANDING_PATHS)
    if isinstance(asked, str) and _ONE_SEGMENT.fullmatch(asked):
        names.add(asked)

    def detour_to_landing(name: str) -> st.Page:
        def detour() -> None:
            if name not in OLD_LANDING_PATHS:
                st.session_state[_DETOURED] = name
            # the filters are in the URL already (render_global_filters): they travel along
            st.switch_page(landing, query_params=st.query_params.to_dict())

        return st.Page(detour, title=landing.title, url_path=name, visibility="hidden")

    return [detour_to_landing(name) for name in sorted(names - served)]


# Who this session is, before anything reads data: the sign-in form (or the refusal of an
# open demo) draws instead of the app when there is nobody yet.
user = auth.gate()
if user is None:
    # the navigation is kept (hidden) so the URL's page is the one shown after signing in
    hidden = [_page(spec, visible=False) for spec in PAGES]
    detours = _detours(hidden[0])
    if (asked := st.navigation([*hidden, *detours], position="hidden")) in detours:
        asked.run()  # switches to the landing page, where the sign-in form is
    st.stop()

# Filters first: the language they hold decides the page titles below.
filters = render_global_filters()
st.session_state["filters"] = filters
widget_words.inject(filters.lang)  # Streamlit's "Select all", "No results" in the page's language
if filters.present:
    presentation_mode()

# Pages above the user's role are hidden from the navigation, and refused here, on the
# server, before their script runs: opening one's URL directly shows the refusal.
pages = {spec: _page(spec, visible=user.allows(spec.min_role)) for spec in PAGES}
detours = _detours(pages[PAGES[0]])
page = st.navigation([*pages.values(), *detours], position="sidebar")
if page in detours:
    page.run()  # switches to the landing page
spec = next(s for s, p in pages.items() if p is page)
auth.sidebar(user, filters.data_version)
if user.allows(spec.min_role):
    if _DETOURED in st.session_state:
        st.info(t("nav.no_such_page", path=st.session_state.pop(_DETOURED)), icon=":material/wrong_location:")
    date_notices(filters)  # a link's date corrected, or a date inside a month: said above every page
    page.run()
else:
    auth.refuse(user, spec.url_path, spec.min_role)
