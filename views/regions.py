"""Lists of regions as readers read them: names in the page's language, never codes.

Pure (the language is passed in), so a page, the meeting pack and a test word a list alike.
An every-region-at-least rule's attainment row lists the member regions not there yet
(``regions_missing``) and, of those, the ones with no report at all (``regions_unreported``):
each is named with its state, reported below the minimum or not reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from views.i18n import text as t


def region_names(
    regions: pd.DataFrame, lang: str, *, code_col: str = "region_code", base: str = "name"
) -> dict[str, str]:
    """Region code → name in ``lang`` (``name_zh`` / ``name_en``; Chinese where there is no English name).

    ``code_col`` and ``base`` name other columns of a frame that carries regions: an organiser's
    ``organiser_code`` with ``organiser_name_zh`` / ``organiser_name_en``, a ``county_code`` …
    """
    zh, own = f"{base}_zh", f"{base}_{lang}"
    names = regions[own].fillna(regions[zh]) if own in regions else regions[zh]
    return dict(zip(regions[code_col].astype(str), names.astype(str), strict=True))


def codes(value: object) -> list[str]:
    """A list column's cell as a list of codes (None, NaN or an empty array: no codes)."""
    if value is None or isinstance(value, float | str):
        return []
    return [str(c) for c in value] if isinstance(value, Iterable) else []


def not_there(
    missing: object,
    unreported: object,
    names: Mapping[str, str],
    lang: str,
    *,
    short: Callable[[str], str] = lambda name: name,
) -> str:
    """ "尚未达到（3个）：已报送、未达到2个：甲、乙；未报送1个：丙" — every region not there, by name and
    state; "" when every region is there. ``short`` shortens a name (a chart's 长沙 for 长沙市)."""
    missing_codes = codes(missing)
    if not missing_codes:
        return ""
    silent = set(codes(unreported))
    sep = t("regions.sep", lang)

    def named(group: list[str]) -> str:
        return sep.join(short(names.get(c, c)) for c in group)

    below = [c for c in missing_codes if c not in silent]
    quiet = [c for c in missing_codes if c in silent]
    parts = []
    if below:
        parts.append(t("regions.below", lang, n=len(below), names=named(below)))
    if quiet:
        parts.append(t("regions.unreported", lang, n=len(quiet), names=named(quiet)))
    return t("regions.not_there", lang, n=len(missing_codes), parts=t("regions.part_sep", lang).join(parts))


def short_name(name: str, level: str) -> str:
    """A name short enough to label a region on a map: 长沙市 → 长沙, 湘西土家族苗族自治州 → 湘西州.

    County names stay whole (芙蓉区 and 芙蓉 would not be the same place to a reader).
    """
    if level != "prefecture":
        return name
    if name.endswith("自治州") and len(name) > 5:
        return name[:2] + "州"
    if " Autonomous Prefecture" in name:
        return name.split(" ")[0]
    if name.endswith("市") and len(name) > 2:
        return name[:-1]
    return name
