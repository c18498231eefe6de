"""How numbers read, in one place: values, changes, percentages and gaps in an indicator's unit.

Pages, the meeting pack and downloads all format through here, so "1,714,800 元", "171.5 万元"
and "+2.3 个百分点" are written one way everywhere. ``ind`` is an indicator's row (a mapping
with at least ``target_rule``, ``unit_zh`` and ``unit_en``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from views.i18n import text

MISSING = "—"


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))  # type: ignore[call-overload]


def _is_share(ind: Mapping[str, Any]) -> bool:
    return str(ind["target_rule"]) == "coverage"


def value(v: object, ind: Mapping[str, Any], lang: str) -> str:
    """A figure in its unit: a share as 1 decimal percent, yuan as 万元 in Chinese from 10,000."""
    if _missing(v):
        return MISSING
    x = float(v)  # type: ignore[arg-type]
    if _is_share(ind):
        return f"{x:.1%}"
    if ind["unit_en"] == "yuan":
        # 万元 is how Chinese reports count money; English readers get the whole number
        if abs(x) >= 10000 and lang == "zh":
            return text("overview.fmt.yuan_wan", lang, v=f"{x / 10000:,.1f}")
        return text("overview.fmt.yuan", lang, v=f"{x:,.0f}")
    return f"{x:,.0f}" if x == int(x) else f"{x:,.1f}"


def change(now: object, before: object, ind: Mapping[str, Any], lang: str) -> str:
    """The change since an earlier figure, in the unit of the figure (a share: percentage points)."""
    if _missing(now) or _missing(before):
        return MISSING
    diff = float(now) - float(before)  # type: ignore[arg-type]
    if not diff:
        return "0"
    if _is_share(ind):
        return text("overview.fmt.points", lang, v=f"{diff * 100:+.1f}")
    sign = "+" if diff > 0 else "−"
    return sign + value(abs(diff), ind, lang)


def pct(v: object) -> str:
    """A pace or attainment as a whole percentage."""
    return MISSING if _missing(v) else f"{float(v):.0%}"  # type: ignore[arg-type]


def league(v: object, ind: Mapping[str, Any]) -> str:
    """A league table's figure: whole numbers from 100, two decimals below (a share as a percent)."""
    if _missing(v):
        return MISSING
    x = float(v)  # type: ignore[arg-type]
    if _is_share(ind):
        return f"{x:.1%}"
    return f"{x:,.0f}" if abs(x) >= 100 or x == int(x) else f"{x:,.2f}"


def gap(v: object, ind: Mapping[str, Any], lang: str) -> str:
    """How far short, in the indicator's own unit: "3 个", "28.2 万元", "7.1 个百分点"."""
    if _missing(v):
        return MISSING
    x = float(v)  # type: ignore[arg-type]
    if _is_share(ind):
        return text("overview.fmt.points", lang, v=f"{x * 100:.1f}")
    if ind["unit_en"] == "yuan":
        return value(x, ind, lang)
    unit = str(ind[f"unit_{lang}"])
    # whole things are counted whole; a unit word follows the number
    return f"{x:,.0f} {unit}" if x == int(x) else f"{x:,.1f} {unit}"


def date(d: object, lang: str) -> str:
    """A date as people write it: 2023年6月30日 / 30 Jun 2023."""
    if _missing(d):
        return MISSING
    ts = pd.Timestamp(d)  # type: ignore[arg-type]
    return f"{ts.year}年{ts.month}月{ts.day}日" if lang == "zh" else f"{ts.day} {ts.strftime('%b')} {ts.year}"
