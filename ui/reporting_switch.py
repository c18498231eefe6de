"""Accepted figures by default, unapproved on request (issue 23): the switch on the overview and the
attainment page, and the cache entries it selects.

County months the reporting cycle holds and the province has not accepted yet are *held back*
(analytics.reporting.cycle.held_back): :func:`ui.cached.view` builds the views named in
:data:`HELD_VIEWS` over a connection without their rows (analytics.db.connect(held_back=…)),
unless the user switches them in. Figures the cycle never tracked (imported outside it) are shown
either way. When nothing is held back the switch is not drawn and nothing changes.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from analytics.reporting import cycle
from ui.i18n import t

HELD_VIEWS = frozenset({"home", "attainment"})  # the pages wired to the switch (the others show all)
KEY = "fpa_include_unapproved"


def held_back(root: object) -> pd.DataFrame:
    """The county months held back now (read on every run: moves change no data version)."""
    return cycle.held_back(root)  # type: ignore[arg-type]


def token(held: pd.DataFrame) -> str:
    """A cache key naming the held-back set."""
    pairs = sorted(f"{c}|{p}" for c, p in zip(held["county_code"], held["period_end"], strict=True))
    return hashlib.sha256("\n".join(pairs).encode()).hexdigest()[:16]


def include_unapproved() -> bool:
    return bool(st.session_state.get(KEY, False))


def draw() -> None:
    """The switch and what the page's figures are, drawn before the page's view is asked for."""
    from ui import cached

    held = held_back(cached.data_root())
    if held.empty:
        return
    on = st.toggle(t("reporting.switch.label"), key=KEY, help=t("reporting.switch.help"))
    if on:
        st.warning(t("reporting.switch.on", n=len(held)), icon=":material/pending:")
    else:
        st.caption(t("reporting.switch.off", n=len(held)))
