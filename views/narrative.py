"""What the overview shows, for the page and the meeting pack alike: its headline cards and
the words of its work-report paragraph.

Pure (no Streamlit session): the language is passed in, so ``python -m ui.briefing`` words
the paragraph exactly as pages/home.py shows it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping

from analytics import attainment
from analytics.narrative import Facts
from views.i18n import text as t

# A card or board chip with several statuses shows the worst: the status set's own order of
# severity (analytics.attainment), missed and overdue first
WORST_FIRST = attainment.WORST_FIRST


def narrative_parts(facts: Facts, names: Mapping[str, str], regions: Mapping[str, str], lang: str) -> list[str]:
    """The paragraph's sentences. ``names``: indicator id → name; ``regions``: code → name.

    Every verdict is a status of the attainment table and every list holds all the indicators
    of its status, so a count stated is the length of the list beside it (the one exception,
    the not-yet-due list, names a few and says how many in all).
    """
    sep = "、" if lang == "zh" else ", "
    as_of = facts.as_of.isoformat()
    if not facts.judged:
        return [t("overview.narrative.none", lang, as_of=as_of), *_lagging(facts, names, regions, lang)]
    stated = [t(f"overview.narrative.n.{s}", lang, n=n) for s, n in facts.counts.items() if n]
    parts = [t("overview.narrative.counts", lang, as_of=as_of, n=facts.judged, parts=_join(stated, lang))]
    if facts.judged_on != facts.as_of:
        parts.append(t("overview.narrative.judged", lang, judged=date_label(facts.judged_on, lang)))
    ids = facts.by_status

    def listed(status: str, keep: int | None = None) -> None:
        if not ids[status]:
            return
        if status == "done_late":
            items = sep.join(
                t("overview.narrative.reached", lang, name=names[i], date=date_label(facts.reached_on[i], lang))
                if i in facts.reached_on
                else names[i]
                for i in ids[status]
            )
        else:
            items = _first(ids[status], names, sep, lang, keep) if keep else sep.join(names[i] for i in ids[status])
        parts.append(t(f"overview.narrative.list.{status}", lang, items=items))

    for status in ("done", "done_late", "missed", "overdue_no_report"):
        listed(status)
    if any(ids[s] for s in ("on_track", "at_risk", "behind", "not_yet_due")):
        parts.append(t("overview.narrative.time", lang, share=f"{facts.time_share:.0%}"))
    for status in ("behind", "at_risk", "on_track", "no_data"):
        listed(status)
    listed("not_yet_due", keep=3)
    parts.extend(_lagging(facts, names, regions, lang))
    return parts


def _lagging(facts: Facts, names: Mapping[str, str], regions: Mapping[str, str], lang: str) -> list[str]:
    """The sub-regions with the most targets missed or behind, by name, with how many of each."""
    if not facts.lagging_regions:
        return []
    sep = "、" if lang == "zh" else ", "
    lag = []
    for region in facts.lagging_regions:
        counts = [
            t(f"overview.narrative.n.{s}", lang, n=len(found))
            for s, found in (("missed", region.missed), ("behind", region.behind))
            if found
        ]
        lag.append(
            t(
                "overview.narrative.region_items",
                lang,
                region=regions.get(region.region_code, region.region_code),
                counts=sep.join(counts),
                items=_some([*region.missed, *region.behind], names, sep, lang),
            )
        )
    return [t("overview.narrative.lagging", lang, regions=("；" if lang == "zh" else "; ").join(lag))]


def paragraph(parts: list[str], lang: str) -> str:
    return "".join(parts) if lang == "zh" else " ".join(parts)


def date_label(day: dt.date, lang: str) -> str:
    """6月30日 / 30 June: a month end named as a reader says it."""
    return t("overview.narrative.date", lang, month=day.month, day=day.day, month_name=calendar.month_name[day.month])


def _join(parts: list[str], lang: str) -> str:
    if lang == "zh" or len(parts) < 2:
        return "，".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _first(ids: list[str], names: Mapping[str, str], sep: str, lang: str, keep: int = 3) -> str:
    """The first few indicator names, and how many in all: a paragraph, not a table."""
    shown = sep.join(names[i] for i in ids[:keep])
    return shown if len(ids) <= keep else t("overview.narrative.more", lang, items=shown, n=len(ids))


def _some(ids: list[str], names: Mapping[str, str], sep: str, lang: str, keep: int = 3) -> str:
    """The first few names of a list whose count is stated beside it."""
    shown = sep.join(names[i] for i in ids[:keep])
    return shown if len(ids) <= keep else t("overview.narrative.etc", lang, items=shown)
