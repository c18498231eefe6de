"""The overview (总览) as data: the follow-up list (督办清单), headline cards, status counts, the
work-report paragraph, the 33-item board, statuses by area and the items table.

``view(con, filters)`` is the overview's one recipe: pages/home.py lays it out, the meeting
pack's cards, board and summary slides render it, the benchmark times it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics import narrative as facts_of
from analytics import queries
from analytics.attainment import NEEDS_ACTION, REACHED, STATUS_SEVERITY, STATUSES
from views import format as fmt
from views import narrative, statuses
from views.filters import Filters
from views.i18n import name_col, text

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

# the follow-up list's columns (catalog keys overview.follow_up.col.*)
# region, then how far short and the verdict: on a phone's first screen the gap must not be the
# column cut off at the right edge
FOLLOW_UP_COLUMNS = ("region", "gap", "status", "indicator", "change", "due")

# the aggregation benchmarks/references.py compares this view with (python -m benchmarks)
REFERENCE = "actuals"
# Every status but no_target is counted: the counts add up to the targets judged.
COUNTED = tuple(s for s in STATUSES if s != "no_target")


@dataclass(frozen=True)
class Card:
    """A headline target: its figure, status and the lines under it, each final text."""

    title: str
    value: str
    status: str
    status_text: str
    lines: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()  # the target's basis, due date and phasing (a card's fold-out)


@dataclass(frozen=True)
class Chip:
    """One of the 33 items on the board."""

    item_no: int
    title: str
    status: str  # the worst status of its judged targets
    label: str
    due: str  # the due dates of its judged targets
    tip: str  # the item's text and each target's basis


@dataclass(frozen=True)
class Area:
    area_no: int
    title: str  # the area's heading, without its number
    chips: tuple[Chip, ...]


@dataclass(frozen=True)
class FollowUp:
    """One line of the follow-up list (督办清单): a region of the level below and a target it is
    behind on or has missed, each field final text except the codes."""

    region_code: str
    indicator_id: str
    status: str  # one of analytics.attainment.NEEDS_ACTION
    region: str
    indicator: str
    status_text: str  # the status's label with its mark
    gap: str  # how far short, in the indicator's unit (a coverage: points, and the units short)
    change: str  # the actual's change since last month
    due: str  # the target's due date


@dataclass(frozen=True)
class DueSoon:
    """A target of the region or the level below that falls due in the month after the judged
    month and is not yet reached."""

    region_code: str
    indicator_id: str
    region: str
    indicator: str
    remaining: str  # target − actual, in the indicator's unit
    due: str


@dataclass(frozen=True)
class HomeModel:
    filters: Filters
    follow_up: tuple[FollowUp, ...]  # ranked: severity first, then the largest gap relative to the target
    due_next_month: tuple[DueSoon, ...]
    cards: tuple[Card, ...]
    counts: dict[str, int]  # status → judged targets with it (every status of COUNTED)
    judged: int
    narrative: tuple[str, ...]  # the paragraph's sentences
    board: tuple[Area, ...]
    area_counts: pd.DataFrame  # area_no, status, n: the chart of statuses by area
    items: pd.DataFrame  # the items table, in the filters' language

    @property
    def paragraph(self) -> str:
        return narrative.paragraph(list(self.narrative), self.filters.lang)

    def follow_up_columns(self) -> tuple[str, ...]:
        """The follow-up list's column names, in the order of :meth:`follow_up_rows`."""
        return tuple(text(f"overview.follow_up.col.{c}", self.filters.lang) for c in FOLLOW_UP_COLUMNS)

    def follow_up_rows(self) -> list[tuple[str, ...]]:
        """The follow-up list as the page's table and the pack's slide show it."""
        return [(r.region, r.gap, r.status_text, r.indicator, r.change, r.due) for r in self.follow_up]

    @property
    def due_next_line(self) -> str:
        """What falls due next month and is not yet reached, in one line."""
        lang = self.filters.lang
        if not self.due_next_month:
            return text("overview.follow_up.due_next_none", lang)
        items = text("overview.follow_up.sep", lang).join(
            text(
                "overview.follow_up.due_item",
                lang,
                region=d.region,
                indicator=d.indicator,
                due=d.due,
                remaining=d.remaining,
            )
            for d in self.due_next_month
        )
        return text("overview.follow_up.due_next", lang, items=items)

    @property
    def follow_up_level(self) -> str:
        """The level the list covers, in words ("各市州", "the counties")."""
        lang = self.filters.lang
        words = {
            "prefecture": text("overview.follow_up.level.prefecture", lang),
            "county": text("overview.follow_up.level.county", lang),
        }
        return words[self.filters.level_below]


def view(con: duckdb.DuckDBPyConnection, f: Filters) -> HomeModel:
    """Everything the overview shows for ``f``, from one attainment scan."""
    lang = f.lang
    inds = queries.indicators(con, plan_year=f.plan_year).set_index("indicator_id")
    # this month and last, for the region and its sub-regions: one query
    tables = queries.attainment_tables(
        con,
        plan_year=f.plan_year,
        as_ofs=(f.as_of, f.previous_month_end),
        levels=(f.own_level, f.level_below),
        within=f.region,
    )
    now = _own(tables[(f.as_of, f.own_level)], f.region)
    before = _own(tables[(f.previous_month_end, f.own_level)], f.region)
    below = tables[(f.as_of, f.level_below)]
    below_before = tables[(f.previous_month_end, f.level_below)]
    targets = statuses.target_rows(queries.targets(con, plan_year=f.plan_year), f.region)
    items = queries.plan_items(con, plan_year=f.plan_year)
    regions = queries.regions_at_level(con, level=f.level_below, within=f.region)

    judged = now[now["status"] != "no_target"]
    n = statuses.counts(judged["status"].astype(str))
    counts = now.merge(inds[["item_no"]], left_on="indicator_id", right_index=True)
    counts = counts.merge(items[["item_no", "area_no"]], on="item_no")
    area_counts = counts.groupby(["area_no", "status"]).size().rename("n").reset_index()
    names = _region_names(regions, f.lang)
    names[f.region] = _region_name(con, f)
    return HomeModel(
        filters=f,
        follow_up=tuple(_follow_up(below, below_before, inds, names, lang)),
        due_next_month=tuple(_due_next_month(pd.concat([now, below]), inds, names, f)),
        cards=_cards(now, before, inds, targets, lang),
        counts={s: n[s] for s in COUNTED},
        judged=len(judged),
        narrative=tuple(_narrative(now, below, inds, regions, f)),
        board=_board(items, now, inds, targets, lang),
        area_counts=area_counts,
        items=_items_table(items, now, inds, targets, lang),
    )


def _own(table: pd.DataFrame, region: str) -> pd.DataFrame:
    return table[table["region_code"] == region].reset_index(drop=True)


def _region_names(regions: pd.DataFrame, lang: str) -> dict[str, str]:
    """region code → its name in ``lang`` (the Chinese name where there is no other)."""
    return dict(zip(regions["region_code"], regions[name_col("name", lang)].fillna(regions["name_zh"]), strict=True))


def _region_name(con: duckdb.DuckDBPyConnection, f: Filters) -> str:
    above = queries.regions_at_level(con, level=f.own_level, within=f.region)
    return _region_names(above, f.lang).get(f.region, f.region)


def _ind(inds: pd.DataFrame, i: str) -> dict[str, Any]:
    return {str(c): x for c, x in inds.loc[i].items()}


def relative_gap(gap: object, target: object) -> float:
    """How far short relative to the target (the follow-up list's second key); 0 where unknown."""
    if gap is None or pd.isna(gap):  # type: ignore[call-overload]
        return 0.0
    g = float(gap)  # type: ignore[arg-type]
    if target is None or pd.isna(target) or not float(target):  # type: ignore[call-overload,arg-type]
        return g
    return g / abs(float(target))  # type: ignore[arg-type]


def _gap_text(r: Mapping[Any, Any], inds: pd.DataFrame, lang: str) -> str:
    """The gap in the indicator's unit; a coverage also says how many villages or families short."""
    ind = _ind(inds, str(r["indicator_id"]))
    words = fmt.gap(r["gap"], ind, lang)
    denominator, den_id = r.get("denominator"), ind.get("denominator_id")
    if str(ind["target_rule"]) != "coverage" or words == fmt.MISSING or denominator is None or pd.isna(denominator):
        return words
    short = math.ceil(round(float(r["gap"]) * float(denominator), 6))
    if short <= 0:
        return words
    unit = str(inds.loc[den_id, f"unit_{lang}"]) if isinstance(den_id, str) and den_id in inds.index else ""
    return text("overview.follow_up.coverage_gap", lang, points=words, n=f"{short:,}", unit=unit)


def _follow_up(
    below: pd.DataFrame, before: pd.DataFrame, inds: pd.DataFrame, names: dict[str, str], lang: str
) -> list[FollowUp]:
    """Every region × target of the level below that needs action, worst first: missed and overdue
    before behind before at risk, then the largest gap relative to the target. Each region's own
    row of an every-region rule is its share; the region above's row is not listed again."""
    rows = below[below["status"].isin(NEEDS_ACTION)].to_dict("records")
    rows.sort(
        key=lambda r: (
            STATUS_SEVERITY[str(r["status"])],
            -relative_gap(r["gap"], r["target"]),
            str(r["region_code"]),
            str(r["indicator_id"]),
        )
    )
    prev = {(str(r["region_code"]), str(r["indicator_id"])): r["actual"] for r in before.to_dict("records")}
    out = []
    for r in rows:
        i, code = str(r["indicator_id"]), str(r["region_code"])
        ind = _ind(inds, i)
        out.append(
            FollowUp(
                region_code=code,
                indicator_id=i,
                status=str(r["status"]),
                region=names.get(code, code),
                indicator=str(ind[name_col("name", lang)]),
                status_text=statuses.label(str(r["status"]), lang),
                gap=_gap_text(r, inds, lang),
                change=fmt.change(r["actual"], prev.get((code, i)), ind, lang),
                due=fmt.date(r["due_date"], lang),
            )
        )
    return out


def next_month(judged_on: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month after the judged month."""
    first = (judged_on.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _due_next_month(table: pd.DataFrame, inds: pd.DataFrame, names: dict[str, str], f: Filters) -> list[DueSoon]:
    """Targets of the region and the level below due in the month after the judged one, not yet reached."""
    first, last = next_month(f.judged_on)
    due = pd.to_datetime(table["due_date"]).dt.date
    mine = table[(due >= first) & (due <= last) & ~table["status"].isin([*REACHED, "no_target"])]
    mine = mine.sort_values(["due_date", "region_code", "indicator_id"])
    out = []
    for r in mine.to_dict("records"):
        i, code = str(r["indicator_id"]), str(r["region_code"])
        ind = _ind(inds, i)
        target, actual = r["target"], r["actual"]
        remaining = None if pd.isna(target) else float(target) - (0.0 if pd.isna(actual) else float(actual))
        out.append(
            DueSoon(
                code,
                i,
                names.get(code, code),
                str(ind[name_col("name", f.lang)]),
                fmt.gap(remaining, ind, f.lang),
                fmt.date(r["due_date"], f.lang),
            )
        )
    return out


def _basis(i: str, inds: pd.DataFrame, targets: dict[str, dict[str, object]], lang: str) -> list[str]:
    """A target's basis (the notice's words or the association's reading), due date and phasing."""
    target = targets.get(i)
    if target is None:
        return []
    lines = [
        statuses.basis(target, lang),
        statuses.due_dates([target.get("due_date")], lang),
        statuses.phasing(target.get("phasing"), inds.loc[i].to_dict(), lang),
    ]
    return [line for line in lines if line]


def _card_specs(inds: pd.DataFrame, now: pd.DataFrame, lang: str) -> list[tuple[str, tuple[str, ...]]]:
    """(title, indicator ids) of each headline card: the named cards whose indicators the plan
    year has (a card of an indicator the plan dropped goes; one the region has no target for
    stays, saying so). A plan that has none of them (another association's workbook) gets one
    card per indicator judged here, in the plan's order, titled by its name."""
    named = [(text(key, lang), ids) for key, ids in CARDS if any(i in inds.index for i in ids)]
    if named:
        return named
    judged = set(now.loc[now["status"] != "no_target", "indicator_id"])
    own = [str(i) for i in inds.index if i in judged]  # the plan's order (item, then display order)
    return [(str(inds.loc[i, name_col("name", lang)]), (i,)) for i in own[: len(CARDS) + 1]]


def _cards(
    now: pd.DataFrame,
    before: pd.DataFrame,
    inds: pd.DataFrame,
    targets: dict[str, dict[str, object]],
    lang: str,
) -> tuple[Card, ...]:
    ind_of: dict[str, dict[str, Any]] = {
        str(k): {str(c): x for c, x in v.items()} for k, v in inds.to_dict("index").items()
    }
    cur = now.set_index("indicator_id")
    prev = before.set_index("indicator_id")
    cards = []
    for title, ids in _card_specs(inds, now, lang):
        rows = [cur.loc[i] for i in ids if i in cur.index]
        if not rows:
            cards.append(
                Card(
                    title,
                    fmt.MISSING,
                    "no_data",
                    statuses.label("no_data", lang),
                    (text("overview.card.no_target_here", lang),),
                )
            )
        elif len(ids) == 1:
            r, i = rows[0], ids[0]
            ind = ind_of[i]
            change = fmt.change(r["actual"], prev.loc[i, "actual"] if i in prev.index else None, ind, lang)
            cards.append(
                Card(
                    title,
                    fmt.value(r["actual"], ind, lang),
                    str(r["status"]),
                    statuses.label(str(r["status"]), lang, reached_on=r["reached_on"]),
                    (
                        text("overview.card.target", lang, value=fmt.value(r["target"], ind, lang)),
                        text("overview.card.expected", lang, value=fmt.value(r["expected"], ind, lang)),
                        text("overview.card.change", lang, value=change),
                    ),
                    tuple(_basis(i, inds, targets, lang)),
                )
            )
        else:
            # several milestones on one card: "held / required" per level, the worst status leads
            states = [str(r["status"]) for r in rows]
            lead = statuses.worst(states)
            present = [i for i in ids if i in cur.index]
            lines = tuple(
                text(
                    "overview.card.milestone_line",
                    lang,
                    name=ind_of[i][name_col("name", lang)],
                    actual=fmt.value(cur.loc[i, "actual"], ind_of[i], lang),
                    target=fmt.value(cur.loc[i, "target"], ind_of[i], lang),
                    status=statuses.label(str(cur.loc[i, "status"]), lang, reached_on=cur.loc[i, "reached_on"]),
                )
                for i in present
            )
            basis = tuple(
                f"{ind_of[i][name_col('name', lang)]}：{line}"
                for i in present
                for line in _basis(i, inds, targets, lang)
            )
            cards.append(
                Card(
                    title,
                    text("overview.card.done_of", lang, done=sum(s in REACHED for s in states), total=len(rows)),
                    lead,
                    statuses.label(lead, lang),
                    lines,
                    basis,
                )
            )
    return tuple(cards)


def _narrative(
    now: pd.DataFrame, below: pd.DataFrame, inds: pd.DataFrame, regions: pd.DataFrame, f: Filters
) -> list[str]:
    facts = facts_of.facts(now, below, inds.reset_index(), as_of=f.as_of, plan_year=f.plan_year)
    labels = dict(
        zip(regions["region_code"], regions[name_col("name", f.lang)].fillna(regions["name_zh"]), strict=True)
    )
    names = {str(k): str(v) for k, v in inds[name_col("name", f.lang)].items()}
    return narrative.narrative_parts(facts, names, labels, f.lang)


def _board(
    items: pd.DataFrame,
    now: pd.DataFrame,
    inds: pd.DataFrame,
    targets: dict[str, dict[str, object]],
    lang: str,
) -> tuple[Area, ...]:
    """All 33 items in their 9 areas, each with its worst judged status, due dates and basis."""
    table = now.merge(inds[["item_no"]], left_on="indicator_id", right_index=True)
    # each item's judged indicators, read once (a mask per item cost a tenth of a second per rerun)
    judged = table[table["status"] != "no_target"]
    by_item = dict(tuple(judged.groupby("item_no")))
    areas = []
    for area_no, area in items.groupby("area_no", sort=True):
        chips = []
        for item in area.itertuples():
            mine = by_item.get(item.item_no, judged.iloc[0:0])  # type: ignore[arg-type]
            status, label, due = statuses.item_chip(mine, lang)
            tip = [str(item.text_zh)] + [
                f"{inds.loc[i, name_col('name', lang)]}：{line}"
                for i in mine["indicator_id"]
                for line in _basis(str(i), inds, targets, lang)
            ]
            chips.append(
                Chip(
                    int(item.item_no),  # type: ignore[arg-type,call-overload]
                    str(getattr(item, name_col("item_title", lang))),
                    status,
                    label,
                    due,
                    "\n".join(tip),
                )
            )
        areas.append(Area(int(str(area_no)), str(area[name_col("area_title", lang)].iloc[0]), tuple(chips)))
    return tuple(areas)


def _items_table(
    items: pd.DataFrame,
    now: pd.DataFrame,
    inds: pd.DataFrame,
    targets: dict[str, dict[str, object]],
    lang: str,
) -> pd.DataFrame:
    table = now.merge(inds[["item_no", name_col("name", lang)]], left_on="indicator_id", right_index=True)
    # each item's judged indicators in table order, read once rather than masked per item
    judged = table[table["status"] != "no_target"]
    by_item = dict(tuple(judged.groupby("item_no", sort=False)))
    rows = []
    for item in items.to_dict("records"):
        mine = by_item.get(item["item_no"], judged.iloc[0:0])
        names = mine[name_col("name", lang)]
        parts = [
            f"{name}：{statuses.label(str(r['status']), lang, reached_on=r['reached_on'])}"
            for name, (_, r) in zip(names, mine.iterrows(), strict=True)
        ]
        basis = [
            f"{name}：{line}"
            for name, i in zip(names, mine["indicator_id"], strict=True)
            for line in _basis(str(i), inds, targets, lang)[:1]
        ]
        rows.append(
            {
                text("home.items.no", lang): item["item_no"],
                text("home.items.item", lang): item[name_col("item_title", lang)],
                # the due dates of the targets judged: they, not the item's default, are what is judged
                text("home.items.due", lang): statuses.due_dates(mine["due_date"], lang)
                if len(mine)
                else statuses.due_dates([item["due_date"]], lang),
                text("home.items.status", lang): "；".join(parts) or text("home.items.untargeted", lang),
                text("status.col.basis", lang): "；".join(basis),
                text("home.items.text", lang): item["text_zh"],
            }
        )
    return pd.DataFrame(rows)
