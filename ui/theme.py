"""Colours, fonts and the status palette: set once here, used by every chart and badge."""

from __future__ import annotations

from typing import Final

# Chinese first: the browser picks the first installed family. Noto Sans CJK and WenQuanYi
# are Debian's; Microsoft YaHei and PingFang cover the users' Windows and Mac machines.
FONT_FAMILY: Final = (
    '"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
)

# Status colours: red / amber / green for judged statuses; blue for done (distinct from
# on track, so a finished item reads as finished); greys for "not judged".
STATUS_COLORS: Final = {
    "done": "#1f6feb",
    "on_track": "#2da44e",
    "at_risk": "#d4a72c",
    "behind": "#cf222e",
    "not_yet_due": "#8c959f",
    "no_data": "#d0d7de",
    "no_target": "#eaeef2",
}
# st.badge accepts only named colours
STATUS_BADGE: Final = {
    "done": "blue",
    "on_track": "green",
    "at_risk": "orange",
    "behind": "red",
    "not_yet_due": "gray",
    "no_data": "gray",
    "no_target": "gray",
}
STATUS_ORDER: Final = ("done", "on_track", "at_risk", "behind", "not_yet_due", "no_data", "no_target")

PRIMARY: Final = "#b3261e"  # the association's red
SEQUENTIAL: Final = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
