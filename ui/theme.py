"""Colours, fonts and the status palette: set once here, used by every chart, badge and pack.

The statuses themselves are analytics.attainment.STATUSES (docs/indicators.md, "Statuses");
everything status-shaped here is keyed by them, and an import fails if one is missing, so a
new status cannot reach a page without a colour, a mark and a text colour.
"""

from __future__ import annotations

from typing import Final

from analytics.attainment import STATUSES, WORST_FIRST

# Chinese first: the browser picks the first installed family. Noto Sans CJK and WenQuanYi
# are Debian's; Microsoft YaHei and PingFang cover the users' Windows and Mac machines.
FONT_FAMILY: Final = (
    '"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
)

TEXT: Final = "#1f2328"
WHITE: Final = "#ffffff"
MUTED_TEXT: Final = "#57606a"  # words standing in for a figure (why a cell is empty): 6:1 on white

# Status colours. Blue for reached (done_late the paler blue: reached, but after the due date);
# green / amber / red for the pace before the due date; after it, missed is a darker red than
# behind (out of time, not just slow) and overdue with no report a dark slate, never the grey of
# "no data". Greys for "not judged". Tuned so that every pair stays apart under simulated
# deuteranopia, protanopia and tritanopia (tests/unit/test_status_palette.py states the ΔE
# thresholds), and so that each chip's text reaches WCAG AA contrast (4.5 : 1).
STATUS_COLORS: Final[dict[str, str]] = {
    "done": "#2256e5",
    "done_late": "#67c2fd",
    "on_track": "#4c9a6f",
    "at_risk": "#dbb931",
    "behind": "#d21e1b",
    "missed": "#680820",
    "overdue_no_report": "#2f2542",
    "not_yet_due": "#8c959f",
    "no_data": "#d0d7de",
    "no_target": "#f6f8fa",
}
# A mark before every status label, so colour is never the only cue (a map, a scorecard cell,
# a print in black and white): shapes every Chinese font has (GBK), ASCII where it will do.
STATUS_MARK: Final[dict[str, str]] = {
    "done": "√",
    "done_late": "(√)",
    "on_track": "→",
    "at_risk": "!",
    "behind": "↓",
    "missed": "×",
    "overdue_no_report": "×?",
    "not_yet_due": "○",
    "no_data": "?",
    "no_target": "–",
}
# st.badge accepts only named colours: the nearest of its palette (the label carries the mark)
STATUS_BADGE: Final[dict[str, str]] = {
    "done": "blue",
    "done_late": "violet",
    "on_track": "green",
    "at_risk": "orange",
    "behind": "red",
    "missed": "red",
    "overdue_no_report": "primary",
    "not_yet_due": "gray",
    "no_data": "gray",
    "no_target": "gray",
}
# Legends, stacked bars and colour scales: the order of the status set itself.
STATUS_ORDER: Final[tuple[str, ...]] = tuple(STATUSES)
# A board chip or card with several statuses shows the worst (analytics.attainment).
STATUS_WORST_FIRST: Final[tuple[str, ...]] = tuple(WORST_FIRST)
# Statuses drawn with a dashed outline: tracked, never judged.
DASHED: Final = frozenset({"no_target"})


def _luminance(color: str) -> float:
    channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 … 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# The text on a status chip: white or the page's dark text, whichever reads better.
STATUS_TEXT: Final[dict[str, str]] = {
    s: WHITE if contrast(c, WHITE) >= contrast(c, TEXT) else TEXT for s, c in STATUS_COLORS.items()
}

for _table in (STATUS_COLORS, STATUS_MARK, STATUS_BADGE, STATUS_TEXT):
    if set(_table) != set(STATUSES):
        raise RuntimeError(f"ui.theme: status table {sorted(_table)} is not analytics.attainment.STATUSES")

PRIMARY: Final = "#b3261e"  # the association's red
SEQUENTIAL: Final = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
