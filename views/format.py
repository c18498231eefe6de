"""How numbers read, in one place: values, changes, percentages and gaps in an indicator's unit.

Pages, the meeting pack and downloads all format through here, so "1,714,800 元", "171.5 万元"
and "+2.3 个百分点" are written one way everywhere. ``ind`` is an indicator's row (a mapping
with at least ``target_rule``, ``unit_zh`` and ``unit_en``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from views.i18n import text

MISSING = "—"
WAN = 10_000  # 万: Chinese counts people and money in ten-thousands from here up


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


def count(v: object, lang: str, unit_zh: str = "人", unit_en: str = "") -> str:
    """A count of people (or things) as a reader says it: 6,644.5 万人 in Chinese from 1万, else the
    whole number with separators (English always: 66,444,864)."""
    if _missing(v):
        return MISSING
    x = float(v)  # type: ignore[arg-type]
    if lang == "zh":
        if abs(x) >= WAN:
            return f"{x / WAN:,.1f} 万{unit_zh}".replace(".0 万", " 万")
        return f"{x:,.0f} {unit_zh}".rstrip()
    return f"{x:,.0f} {unit_en}".rstrip()


_DIGITS_ZH = "零一二三四五六七八九"


def numeral_zh(n: int) -> str:
    """A small count in Chinese numerals, as a notice writes its parts: 9 → 九, 33 → 三十三,
    10 → 十, 2 → 两 (a count before a measure word: 两个方面); from 100 on, Arabic digits (a plan
    has far fewer items)."""
    if not 0 <= n < 100:
        return str(n)
    if n == 2:
        return "两"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS_ZH[ones]
    return ("" if tens == 1 else _DIGITS_ZH[tens]) + "十" + (_DIGITS_ZH[ones] if ones else "")


def axis_ticks(lo: float, hi: float, lang: str, *, n: int = 5) -> dict[float, str]:
    """Round ticks from ``lo`` to ``hi`` (one step beyond each end: plotly draws only those inside its
    range), labelled as people read them: "6,900 万" in Chinese once the axis reaches 1万, full
    numbers with separators otherwise and in English — never plotly's own "69M" / "50k"."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return {}
    span = (hi - lo) or abs(hi) or 1.0
    raw = span / max(n - 1, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * 0.999)
    first, last = math.floor(lo / step) - 1, math.ceil(hi / step) + 1
    wan = lang == "zh" and max(abs(lo), abs(hi)) >= WAN
    scale = WAN if wan else 1.0
    decimals = max(0, -math.floor(math.log10(step / scale) + 1e-9))
    out: dict[float, str] = {}
    for k in range(first, last + 1):
        v = k * step
        label = f"{v / scale:,.{decimals}f}"
        out[v] = "0" if v == 0 else (f"{label} 万" if wan else label)
    return out
