"""Entry point: ``streamlit run app.py``. Navigation, the global filters and the page frame."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t
from ui.state import render_global_filters

st.set_page_config(page_title="湖南省计生协工作要点监测", page_icon=":material/monitoring:", layout="wide")

# Filters first: the language they hold decides the page titles below.
filters = render_global_filters()
st.session_state["filters"] = filters

pages = [
    st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", url_path="home", default=True),
]
page = st.navigation(pages, position="sidebar")
page.run()
