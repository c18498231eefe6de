"""The page frame's CSS, injected once per run by app.py: the phone layout (screens under 640 px),
the compact notice tag and the scorecard's two drawings (grid on a desktop, list on a phone).

Streamlit cannot read the screen's width on the server, so a page that needs two layouts draws
both and this CSS shows one: containers keyed ``fpa_desktop_*`` are hidden under 640 px and
``fpa_phone_*`` above it (``st.container(key=…)`` gives the class ``st-key-<key>``). No JavaScript,
no CDN: the rules are a ``<style>`` block in the page.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

PHONE_MAX_PX: Final = 640  # below this width the phone layout applies

LAYOUT_CSS: Final = f"""
<style>
/* the demo-data and trial-mode notices: one small tag under the title, the full text on a tap */
.fpa-notice {{ font-size: 0.8rem; color: #57606a; margin: -0.25rem 0 0; }}
.fpa-notice summary {{ cursor: pointer; list-style: none; display: inline-flex; flex-wrap: wrap; gap: 6px;
  align-items: center; }}
.fpa-notice summary::-webkit-details-marker {{ display: none; }}
.fpa-notice .fpa-tag {{ display: inline-block; background: #fff8c5; border: 1px solid #d4a72c; color: #4d3800;
  border-radius: 10px; padding: 0 8px; line-height: 1.5; white-space: nowrap; }}
.fpa-notice .fpa-more {{ text-decoration: underline dotted; }}
.fpa-notice[open] .fpa-more {{ display: none; }}
.fpa-notice .fpa-notice-body {{ margin-top: 4px; padding: 6px 10px; background: #fffbea; border-left: 3px solid #d4a72c;
  border-radius: 4px; }}
.fpa-notice .fpa-notice-body p {{ margin: 0 0 4px; }}

/* the scorecard: the grid on a desktop, the traffic-light list on a phone */
[class*="st-key-fpa_phone_"] {{ display: none !important; }}
.fpa-sc-row {{ padding: 6px 0; border-bottom: 1px solid #eaeef2; }}
.fpa-sc-name {{ font-weight: 600; font-size: 0.95rem; color: #1f2328; }}
.fpa-sc-cells {{ display: flex; flex-wrap: wrap; gap: 3px; margin: 4px 0 2px; }}
.fpa-sc-cell {{ display: inline-flex; align-items: center; justify-content: center; min-width: 22px; height: 22px;
  padding: 0 2px; border-radius: 4px; font-size: 0.75rem; line-height: 1; box-sizing: border-box; }}
.fpa-sc-issues {{ font-size: 0.8rem; color: #57606a; line-height: 1.4; }}

@media (max-width: {PHONE_MAX_PX - 0.02}px) {{
  [class*="st-key-fpa_desktop_"] {{ display: none !important; }}
  [class*="st-key-fpa_phone_"] {{ display: block !important; }}
  /* nothing scrolls sideways: the frame keeps to the screen, long words break */
  html, body, [data-testid="stApp"], [data-testid="stMain"] {{ max-width: 100vw; overflow-x: hidden; }}
  [data-testid="stMainBlockContainer"] {{ padding: 3.5rem 0.75rem 2rem; max-width: 100vw; }}
  [data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td {{ overflow-wrap: anywhere; }}
  /* a smaller title: the first screen is for figures */
  [data-testid="stMain"] h1 {{ font-size: 1.6rem; padding: 0.25rem 0; }}
  [data-testid="stMain"] h2 {{ font-size: 1.3rem; }}
  [data-testid="stMain"] h3 {{ font-size: 1.1rem; }}
  /* rows of three or more columns (cards, metrics): two per row instead of one */
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(3)) {{ flex-wrap: wrap; gap: 0.5rem; }}
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(3)) > [data-testid="stColumn"] {{
    flex: 1 1 calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem) !important;
    max-width: calc(50% - 0.25rem) !important; }}
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(3)) > [data-testid="stColumn"]:empty {{
    display: none; }}
  [data-testid="stMetricValue"] {{ font-size: 1.5rem; }}
  /* the status legend and its rule: smaller, so the first screen reaches the figures */
  .fpa-legend {{ font-size: 0.8rem !important; }}
  .fpa-rule {{ font-size: 0.7rem !important; line-height: 1.35; }}
  /* tables: a smaller header, the whole width */
  [data-testid="stDataFrame"], [data-testid="stTable"] {{ max-width: 100%; }}
  [data-testid="stTable"] table {{ font-size: 0.8rem; }}
  /* no chart toolbar on a phone (show_chart turns it off everywhere; this catches any other) */
  .modebar-container {{ display: none !important; }}
}}
</style>
"""


def inject() -> None:
    """Put the frame's CSS into the page (a ``<style>``-only st.html draws nothing visible)."""
    st.html(LAYOUT_CSS)
