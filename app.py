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

from ui import auth, layout_css, widget_words
from ui.components import presentation_mode
from ui.i18n import t
from ui.nav import PAGES, PageSpec
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
        url_path=spec.url_path,
        default=spec == PAGES[0],
        visibility="visible" if visible else "hidden",
    )


# Who this session is, before anything reads data: the sign-in form (or the refusal of an
# open demo) draws instead of the app when there is nobody yet.
user = auth.gate()
if user is None:
    # the navigation is kept (hidden) so the URL's page is the one shown after signing in
    st.navigation([_page(spec, visible=False) for spec in PAGES], position="hidden")
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
page = st.navigation(list(pages.values()), position="sidebar")
spec = next(s for s, p in pages.items() if p is page)
auth.sidebar(user, filters.data_version)
if user.allows(spec.min_role):
    date_notices(filters)  # a link's date corrected, or a date inside a month: said above every page
    page.run()
else:
    auth.refuse(user, spec.url_path, spec.min_role)
