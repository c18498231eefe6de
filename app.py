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

from ui.components import presentation_mode
from ui.i18n import t
from ui.nav import PAGES
from ui.state import render_global_filters

HERE = Path(__file__).parent

# A local icon file: a ":material/…:" page icon would make the browser fetch it from the internet.
st.set_page_config(
    page_title="湖南省计生协工作要点监测", page_icon=str(HERE / "ui" / "static" / "favicon.png"), layout="wide"
)

# Filters first: the language they hold decides the page titles below.
filters = render_global_filters()
st.session_state["filters"] = filters
if filters.present:
    presentation_mode()

page = st.navigation(
    [
        st.Page(str(HERE / spec.path), title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path, default=i == 0)
        for i, spec in enumerate(PAGES)
    ],
    position="sidebar",
)
page.run()
