"""What the overview shows, for the page and the meeting pack alike: its headline cards and
the words of its work-report paragraph.

Pure (no Streamlit session): the language is passed in, so ``python -m ui.briefing`` words
the paragraph exactly as pages/home.py shows it.
"""

from __future__ import annotations

from collections.abc import Mapping

from analytics.narrative import Facts
from ui.i18n import t

# The plan's named targets, one card each: (catalog key, indicator ids shown on the card).
CARDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("overview.card.points", ("childcare_points_open",)),
    ("overview.card.childcare_funds", ("childcare_funds_yuan",)),
    ("overview.card.instructors", ("instructor_coverage",)),
    ("overview.card.youth_bases", ("youth_demo_bases_new",)),
    ("overview.card.family_funds", ("family_health_funds_yuan",)),
    ("overview.card.elections", ("election_province_held", "election_prefecture_held", "election_county_held")),
    ("overview.card.classes", ("instructor_trainer_class_held", "youth_trainer_class_held", "capacity_class_held")),
)
# A card or board chip with several statuses shows the worst
WORST_FIRST = ("behind", "at_risk", "no_data", "on_track", "not_yet_due", "done")


def narrative_parts(facts: Facts, names: Mapping[str, str], regions: Mapping[str, str], lang: str) -> list[str]:
    """The paragraph's sentences. ``names``: indicator id → name; ``regions``: code → name."""
    sep = "、" if lang == "zh" else ", "
    c = facts.counts
    parts = [
        t(
            "overview.narrative.counts",
            lang,
            as_of=facts.as_of.isoformat(),
            n=sum(c.values()),
            done=c["done"],
            on_track=c["on_track"],
            at_risk=c["at_risk"],
            behind=c["behind"],
            not_yet_due=c["not_yet_due"],
            no_data=c["no_data"],
        )
    ]
    if facts.done:
        parts.append(t("overview.narrative.done", lang, items=sep.join(names[i] for i in facts.done)))
    parts.append(t("overview.narrative.time", lang, share=f"{facts.time_share:.0%}"))
    if facts.ahead_of_time:
        parts.append(t("overview.narrative.ahead", lang, items=sep.join(names[i] for i in facts.ahead_of_time)))
    if facts.behind_time:
        parts.append(t("overview.narrative.behind", lang, items=sep.join(names[i] for i in facts.behind_time)))
    if facts.lagging_regions:
        lag = [
            t(
                "overview.narrative.region_items",
                lang,
                region=regions.get(code, code),
                items=_first(ids, names, sep, lang),
            )
            for code, ids in facts.lagging_regions
        ]
        parts.append(t("overview.narrative.lagging", lang, regions=("；" if lang == "zh" else "; ").join(lag)))
    return parts


def paragraph(parts: list[str], lang: str) -> str:
    return "".join(parts) if lang == "zh" else " ".join(parts)


def _first(ids: list[str], names: Mapping[str, str], sep: str, lang: str, keep: int = 3) -> str:
    """The first few indicator names, and how many more: a paragraph, not a table."""
    shown = sep.join(names[i] for i in ids[:keep])
    return shown if len(ids) <= keep else t("overview.narrative.more", lang, items=shown, n=len(ids))
