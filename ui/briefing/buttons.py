"""The overview's download buttons for the meeting pack (the one part of ui.briefing that needs Streamlit)."""

from __future__ import annotations

import streamlit as st

from analytics.queries import PROVINCE_CODE
from ui import cached
from ui.briefing import MIME
from ui.i18n import name_col, t
from ui.state import Filters

ICONS = {"pptx": ":material/slideshow:", "pdf": ":material/picture_as_pdf:"}


def pack_buttons(f: Filters, *, key: str = "home_briefing") -> None:
    """PowerPoint and PDF of the pack for the current filters, made when clicked.

    ``data`` is a function: Streamlit calls it only on a click, in a worker thread, while the
    button shows a spinner; the page itself does not wait for a pack nobody asked for. The
    result is cached per data version and filters (ui.cached.briefing_files).
    """
    if f.region == PROVINCE_CODE:
        region = t("filters.whole_province")
    else:
        prefectures = cached.regions_at_level(f.data_version, "prefecture", PROVINCE_CODE)
        row = prefectures[prefectures["region_code"] == f.region]
        region = str(row[name_col("name", f.lang)].fillna(row["name_zh"]).iloc[0]) if len(row) else f.region
    name = t("briefing.download.file", region=region, as_of=f.as_of.isoformat()).replace(" ", "_")
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(f"**{t('briefing.download.label')}**", width="content")
        for fmt in ("pptx", "pdf"):
            st.download_button(
                t(f"briefing.download.{fmt}"),
                data=lambda fmt=fmt: cached.briefing_files(f.data_version, f.lang, f.plan_year, f.as_of, f.region)[fmt],
                file_name=f"{name}.{fmt}",
                mime=MIME[fmt],
                key=f"{key}_{fmt}",
                on_click="ignore",
                icon=ICONS[fmt],
                help=t("briefing.download.help"),
            )
