"""The overview (总览) as data: headline cards, status counts, the work-report paragraph, the
33-item board, statuses by area and the items table.

``view(con, filters)`` is the overview's one recipe: pages/home.py lays it out, the meeting
pack's cards, board and summary slides render it, the benchmark times it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics import narrative as facts_of
from analytics import queries
from analytics.attainment import REACHED, STATUSES
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
class HomeModel:
    filters: Filters
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
    targets = statuses.target_rows(queries.targets(con, plan_year=f.plan_year), f.region)
    items = queries.plan_items(con, plan_year=f.plan_year)
    regions = queries.regions_at_level(con, level=f.level_below, within=f.region)

    judged = now[now["status"] != "no_target"]
    n = statuses.counts(judged["status"].astype(str))
    counts = now.merge(inds[["item_no"]], left_on="indicator_id", right_index=True)
    counts = counts.merge(items[["item_no", "area_no"]], on="item_no")
    area_counts = counts.groupby(["area_no", "status"]).size().rename("n").reset_index()
    return HomeModel(
        filters=f,
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
    for key, ids in CARDS:
        rows = [cur.loc[i] for i in ids if i in cur.index]
        if not rows:
            cards.append(
                Card(
                    text(key, lang),
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
                    text(key, lang),
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
                    text(key, lang),
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
