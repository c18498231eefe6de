"""The meeting pack's content: the pages' own view models, laid out as slides.

Each slide renders the model of the page it follows, the same object the page draws
(``views.<page>.view(con, filters)``; the app reaches it through ``ui.cached.view``):

* cards, board and summary — ``views.home`` (the overview);
* map, league and one slide per area — ``views.attainment`` (target attainment);
* childcare — ``views.childcare``; workforce and training — ``views.training``.

Every figure, status and region name on a slide is a field of a model, worded in the pack's
language; the pack adds only its layout (which fields go on a card, titles and notes of its
own, names shortened to fit a slide's map or list) and never queries, judges or formats what
a page shows. No Streamlit session is needed: the command line builds a pack with a plain
DuckDB connection. ``tests/unit/test_pack_parity.py`` compares every figure of the pack with
the page's model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics import db, queries
from analytics.attainment import NEEDS_ACTION, STATUS_SEVERITY
from ui import maps
from ui.briefing import figures, layout
from ui.briefing.model import BoardRow, Card, Chart, Chip, Pack, Slide, Table
from ui.theme import STATUS_COLORS, STATUS_ORDER
from views import attainment as attainment_view
from views import childcare as childcare_view
from views import home as home_view
from views import plan_heading, statuses
from views import training as training_view
from views.attainment import DEFAULT_INDICATOR
from views.filters import Filters
from views.i18n import text as catalog_text
from views.regions import region_names, short_name

__all__ = ["DEFAULT_INDICATOR", "Request", "build_pack", "plain"]

FOLLOW_UP_ROWS = 15  # rows of the follow-up list on its slide; the rest are counted in the note
NEXT_ROWS = 12  # rows of each table on the problems-and-next-steps slide; the rest are in the notes
LAGGING_SHOWN = 4  # names of lagging regions written out per indicator before "and N more"
AREA_NUMERALS = "一二三四五六七八九"


@dataclass(frozen=True)
class Request(Filters):
    """What a pack is for: the dashboard's one filters type, plus the map's indicator."""

    indicator: str = DEFAULT_INDICATOR


def build_pack(con: duckdb.DuckDBPyConnection, req: Request, *, data_dir: Path) -> Pack:
    """The slides for ``req`` from the data behind ``con`` (a connection of ``data_dir``)."""
    return _Builder(con, req, data_dir).pack()


# ------------------------------------------------------------------------------- slide helpers


IDENTIFIERS = re.compile(r"\s*[（(][A-Za-z0-9_ ÷/+*.-]*_[A-Za-z0-9_ ÷/+*.-]*[）)]")


def plain(definition: str) -> str:
    """A definition without the data's column names in brackets ("（villages_with_2_instructors ÷
    villages_total）"): they help an analyst, not a meeting."""
    return IDENTIFIERS.sub("", definition)


def fitted(table: Table, box: layout.Box, *, max_pt: float, min_pt: float = 8.0) -> Table:
    """``table`` with the largest type size at which it fits in ``box`` (see layout.table_pt)."""
    total = sum(table.widths)
    widths = [w / total * box.w for w in table.widths]
    pt = layout.table_pt([table.columns, *table.rows], widths, box.h, max_pt=max_pt, min_pt=min_pt)
    return dataclasses.replace(table, font_pt=pt)


def map_name(name: str, level: str, lang: str) -> str:
    """A name that fits on a slide's map, smaller than the page's: 长沙, 湘西州 (views.regions);
    a county's usual short form (麻阳苗族自治县 → 麻阳县, as the childcare page's charts write it);
    in English a county's place name alone (Mayang Miao Autonomous County → Mayang, as the
    training page's map)."""
    if level != "county":
        return short_name(name, level)
    return childcare_view.short_name(name) if lang == "zh" else name.split(" ")[0]


# ------------------------------------------------------------------------------- the builder


class _Builder:
    def __init__(self, con: duckdb.DuckDBPyConnection, req: Request, data_dir: Path) -> None:
        self.con, self.req, self.data_dir = con, req, data_dir
        self.lang = req.lang
        self.status = queries.data_status(con)  # the title slide's note, as every page's header
        self.manifest = db.Manifest.read(data_dir)
        # the pages' models, each from its one recipe (views/<page>.py)
        self.home = home_view.view(con, req)
        self.attainment = attainment_view.view(con, req, indicator=req.indicator)
        self.childcare = childcare_view.view(con, req)
        self.training = training_view.view(con, req)
        self.region_name = self.training.region_name
        self.area_titles = {a.area_no: a.title for a in self.home.board}
        # whose plan: the cover and the board name the plan year's association, notice and size
        self.plan = plan_heading.heading(con, plan_year=req.plan_year, lang=self.lang).values()

    def t(self, key: str, **values: object) -> str:
        return catalog_text(key, self.lang, **values)

    def status_label(self, status: str) -> str:
        """A legend's entry: the status's mark and name (views.statuses, as the pages word it)."""
        return statuses.label(status, self.lang)

    def area_title(self, area_no: int) -> str:
        title = self.area_titles[area_no]
        if self.lang == "zh":
            return f"{AREA_NUMERALS[area_no - 1]}、{title}"
        return f"{area_no}. {title}"

    def legend(self, shown: Sequence[str]) -> tuple[tuple[str, str], ...]:
        return tuple((self.status_label(s), STATUS_COLORS[s]) for s in STATUS_ORDER if s in set(shown))

    def join(self, parts: Sequence[str]) -> str:
        """Sentences of a note side by side (a full-width space between Chinese ones)."""
        return ("　" if self.lang == "zh" else " ").join(p for p in parts if p)

    def needs_action(self, area: attainment_view.AreaTable) -> bool:
        """Whether anything of ``area`` needs following up: one of its targets missed, overdue,
        behind or at risk, in the region itself or (the follow-up list) in a region below."""
        followed = {r.indicator_id for r in self.home.follow_up}
        return any(r.status in NEEDS_ACTION or r.indicator_id in followed for r in area.rows)

    # --------------------------------------------------------------------------- speaker notes

    def source_line(self) -> str:
        """The notes' first line: the date, the region, how far the data reaches, and whose data it is."""
        through = self._date(self.status["progress_through"].iloc[0]) if len(self.status) else None
        return self.t(
            "briefing.notes.source",
            as_of=self.req.as_of.isoformat(),
            region=self.region_name,
            through=through or self.t("data.none"),
            data=self.t("briefing.demo_label") if self.manifest.demo else self.t("briefing.notes.reported"),
        )

    def row_notes(self, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> tuple[str, ...]:
        """A table's rows as lines, each figure named by its column ("实际：79.6%，应完成：…")."""
        colon, comma = ("：", "，") if self.lang == "zh" else (": ", ", ")
        return tuple(comma.join(f"{c}{colon}{v}" for c, v in zip(columns, row, strict=True) if v) for row in rows)

    def card_notes(self, cards: Sequence[Card]) -> tuple[str, ...]:
        colon, comma = ("：", "；") if self.lang == "zh" else (": ", "; ")
        return tuple(
            f"{c.title}{colon}{c.value}" + "".join(f"{comma}{x}" for x in (c.status_text, *c.lines) if x) for c in cards
        )

    # --------------------------------------------------------------------------- the pack

    def pack(self) -> Pack:
        r = self.req
        title = self.t("briefing.title", year=r.plan_year, **self.plan)
        demo = self.manifest.demo
        # the monthly meeting's order: the verdict and what needs following up first, then the
        # detail; an area with nothing to follow up shares one slide with the others like it
        problem_areas = [a for a in self.attainment.areas if self.needs_action(a)]
        quiet_areas = [a for a in self.attainment.areas if not self.needs_action(a)]
        slides = [
            self.title_slide(title),
            self.summary_slide(),
            self.follow_up_slide(),
            self.cards_slide(),
            self.board_slide(),
            self.map_slide(),
            *[self.area_slide(area) for area in problem_areas],
            *([self.areas_ok_slide(quiet_areas)] if quiet_areas else []),
            self.childcare_slide(),
            self.training_slide(),
            self.next_steps_slide(),
        ]
        source = self.source_line()
        slides = [dataclasses.replace(s, notes=(source, *s.notes)) for s in slides]
        return Pack(
            lang=self.lang,
            plan_year=r.plan_year,
            as_of=r.as_of,
            region=r.region,
            region_name=self.region_name,
            demo=demo,
            title=f"{title} · {self.region_name} · {r.as_of.isoformat()}",
            footer=self.t("briefing.footer", year=r.plan_year, region=self.region_name, as_of=r.as_of.isoformat()),
            demo_label=self.t("briefing.demo_label") if demo else "",
            slides=tuple(slides),
        )

    # --------------------------------------------------------------------------- title

    def title_slide(self, title: str) -> Slide:
        r = self.req
        through = self._date(self.status["progress_through"].iloc[0]) if len(self.status) else None
        reported = self._date(self.status["last_reported_at"].iloc[0]) if len(self.status) else None
        lines = (
            self.t("briefing.title.source", year=r.plan_year, **self.plan),
            # the same note as every page's header (ui.components.page_header)
            self.t(
                "data.as_of_note",
                as_of=r.as_of.isoformat(),
                through=through or self.t("data.none"),
                reported=reported or self.t("data.none"),
            ),
            self.t("briefing.title.generated", date=dt.date.today().isoformat()),
        )
        return Slide(
            kind="title",
            title=title,
            subtitle=self.t("briefing.title.subtitle", region=self.region_name, as_of=r.as_of.isoformat()),
            paragraphs=lines,
            note=self.t("demo.banner") if self.manifest.demo else "",
            notes=lines[:2],
        )

    @staticmethod
    def _date(value: object) -> str | None:
        if value is None or pd.isna(value):  # type: ignore[call-overload]
            return None
        return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]

    # --------------------------------------------------------------------------- follow-up list (views/home.py)

    def follow_up_slide(self) -> Slide:
        """The overview's follow-up list, worst first as the page ranks it, and what falls due next month."""
        home = self.home
        rows = home.follow_up_rows()
        shown = rows[:FOLLOW_UP_ROWS]
        notes = [self.t("briefing.follow_up.more", n=len(rows) - len(shown))] if len(rows) > len(shown) else []
        if not rows:
            notes.append(self.t("overview.follow_up.none", level=home.follow_up_level))
        notes.append(home.due_next_line)
        table = Table(
            columns=home.follow_up_columns(),
            rows=tuple(shown),
            widths=(2.2, 2.6, 1.3, 3.4, 1.5, 1.6) if self.lang == "zh" else (2.0, 2.4, 1.5, 3.6, 1.5, 1.3),
            align=("l", "r", "l", "l", "r", "r"),
            status=tuple(r.status for r in home.follow_up[: len(shown)]),
            status_col=2,
        )
        note = self.join(notes)
        return Slide(
            kind="follow_up",
            title=self.t("briefing.follow_up.title", level=home.follow_up_level),
            table=fitted(table, layout.above(layout.AREA_TABLE, note), max_pt=12.5),
            note=note,
            # every line of the list, also those the slide has no room for
            notes=(*self.row_notes(table.columns, rows), home.due_next_line),
        )

    # --------------------------------------------------------------------------- cards (views/home.py)

    def headline_cards(self) -> list[Card]:
        """The overview's seven cards: its view model's, as the page draws them."""
        return [Card(**vars(c)) for c in self.home.cards]

    def cards_slide(self) -> Slide:
        n = self.home.counts
        shown = tuple(s for s in n if n[s])  # the page shows zeros too; a card has room for what occurs
        counts = Card(
            self.t("home.kpi.targets"),
            f"{self.home.judged}",
            "no_target",
            "",
            tuple(f"{self.status_label(s)}  {n[s]}" for s in shown),
            line_status=shown,
        )
        cards = (*self.headline_cards(), counts)
        return Slide(
            kind="cards",
            title=self.t("briefing.cards.title", region=self.region_name),
            cards=cards,
            notes=self.card_notes(cards),
        )

    # --------------------------------------------------------------------------- board (views/home.py)

    def board_slide(self) -> Slide:
        rows = [
            BoardRow(
                self.area_title(area.area_no),
                tuple(Chip(c.item_no, c.title, c.status, c.label, c.due) for c in area.chips),
            )
            for area in self.home.board
        ]
        colon = "：" if self.lang == "zh" else ": "
        return Slide(
            kind="board",
            title=self.t("overview.board.title", **self.plan),
            board=tuple(rows),
            legend=self.legend([c.status for row in rows for c in row.chips]),
            notes=tuple(
                f"{c.item_no} {c.title}{colon}{c.label}" + (f" {c.due}" if c.due else "")
                for row in rows
                for c in row.chips
            ),
        )

    # --------------------------------------------------------------------------- map and league (views/attainment.py)

    def map_slide(self) -> Slide:
        model = self.attainment
        level, chosen = model.level, model.chosen
        if chosen is None:  # as the attainment page: say so rather than draw an empty map
            return Slide(kind="map", title=self.t("attainment.title"), note=self.t("attainment.none_at_level"))
        area = chosen.map
        # the status's mark beside the pace, as on the page: colour is never the only cue
        labels = {
            str(r.region_code): f"{map_name(str(r.name), level, self.lang)}<br>{r.mark} {r.pace_text}"
            for r in area.rows.itertuples()
        }
        shapes = maps.load_shapes(path) if (path := maps.boundaries_path(self.data_dir, level)) else {}
        definition = plain(str(chosen.row[f"definition_{self.lang}"]))
        # another province's plan with no boundaries in the data: no map, said in the note (as the page)
        drawn = any(c in shapes for c in area.regions["region_code"])
        province = self.req.province
        no_map = (
            []
            if drawn
            else [
                self.t(
                    "plan.no_map",
                    province=region_names(
                        queries.regions_at_level(self.con, level="province", within=province), self.lang
                    ).get(province, province),
                )
            ]
        )
        note = self.join([*no_map, self.t("briefing.map.note", definition=definition), *chosen.basis])
        box = layout.above(layout.MAP, note)
        chart = (
            Chart(
                "map",
                figures.region_map(shapes, area.regions, colors=area.colors, labels=labels, box=box),
                box,
                self.t("briefing.map.alt", level=model.level_name, indicator=chosen.name),
            )
            if drawn
            else None
        )
        league = chosen.league  # ranked as the page ranks it
        table = Table(
            columns=(
                self.t("attainment.col.rank"),
                model.level_name,
                self.t("attainment.col.actual"),
                self.t("attainment.col.expected"),
                self.t("attainment.col.pace_short"),
                self.t("attainment.col.status"),
            ),
            rows=tuple(
                (str(r.rank), str(r.region), str(r.actual), str(r.expected), str(r.pace_text), str(r.status))
                for r in league.itertuples()
            ),
            widths=(0.6, 2.1, 1.3, 1.6, 1.1, 1.2),
            align=("r", "l", "r", "r", "r", "l"),
            status=tuple(str(s) for s in league["status_code"]),
            status_col=5,
        )
        table = fitted(table, layout.above(layout.LEAGUE, note), max_pt=12.0)
        return Slide(
            kind="map",
            title=self.t("briefing.map.title", level=model.level_name, indicator=chosen.name),
            chart=chart,
            table=table,
            legend=area.legend,
            note=note,
            notes=(*self.row_notes(table.columns, table.rows), *chosen.basis),
        )

    # --------------------------------------------------------------------------- one slide per area

    def indicator_columns(self) -> tuple[str, ...]:
        """An area's indicator rows as the area slides and their notes name them."""
        return (
            self.t("briefing.area.col.item"),
            self.t("briefing.area.col.indicator"),
            self.t("attainment.col.actual"),
            self.t("attainment.col.target"),
            self.t("attainment.col.expected"),
            self.t("attainment.col.pace_short"),
            self.t("attainment.col.status"),
        )

    def area_slide(self, area: attainment_view.AreaTable) -> Slide:
        level = self.attainment.level
        rows, states, readings = [], [], []
        for r in area.rows:
            if r.interpreted:  # the target is the association's reading: starred, its basis in the note
                readings.append(f"{r.name}：{r.basis}")
            rows.append(
                (
                    str(r.item_no),
                    r.name + (" *" if r.interpreted else ""),
                    r.actual,
                    r.target,
                    r.expected,
                    r.pace,
                    r.status_label,
                    self.lagging_text(r.behind_names, level),
                )
            )
            states.append(r.status)
        sep = "；" if self.lang == "zh" else "; "
        notes = [self.t("briefing.area.readings", readings=sep.join(readings))] if readings else []
        if area.untargeted:
            notes.append(self.t("briefing.area.untargeted", items=sep.join(f"{n} {t}" for n, t in area.untargeted)))
        note = self.join(notes)
        table = Table(
            columns=(*self.indicator_columns(), self.t("briefing.area.col.lagging", level=self.attainment.level_name)),
            rows=tuple(rows),
            # English statuses are longer ("No quantitative target"): their column is wider
            widths=(0.55, 3.0, 1.3, 1.3, 1.4, 0.85, 1.5, 2.8)
            if self.lang == "zh"
            else (0.5, 2.8, 1.2, 1.15, 1.25, 0.7, 2.0, 2.7),
            align=("r", "l", "r", "r", "r", "r", "l", "l"),
            status=tuple(states),
            status_col=6,
        )
        table = fitted(table, layout.above(layout.AREA_TABLE, note), max_pt=12.5)
        # the notes name every region behind, not only the first few
        sep = self.t("training.list_sep")
        full = [(*row[:7], sep.join(r.behind_names) or "—") for row, r in zip(rows, area.rows, strict=True)]
        return Slide(
            kind="area",
            title=self.area_title(area.area_no),
            table=table,
            note=note,
            notes=(*self.row_notes(table.columns, full), *notes),
        )

    def lagging_text(self, names: Sequence[str], level: str) -> str:
        """The regions behind on an indicator, worst first (the model's order), the first few by name."""
        if not names:
            return "—"
        sep = self.t("training.list_sep")
        short = [short_name(n, level) for n in names]
        if len(short) <= LAGGING_SHOWN:
            return sep.join(short)
        return self.t("briefing.area.more", names=sep.join(short[:LAGGING_SHOWN]), n=len(short))

    # --------------------------------------------------------------------------- childcare (views/childcare.py)

    def childcare_slide(self) -> Slide:
        model = self.childcare
        cards = [
            # places per 1,000: the page's caption (the association's contribution) and the
            # national goal for all of society beside it, as context, never as its target
            Card(
                k.title,
                k.value,
                k.status,
                k.status_text,
                (*k.lines, model.goal_line) if k.key == "per_1000" else k.lines,
            )
            for k in model.kpis
        ]
        # item 7: the province's own milestones, whatever the region (as the page shows them)
        cards += [
            Card(m.title, m.value, m.status, m.status_text, (m.due, m.at_due) if m.at_due else (m.due,))
            for m in model.milestones
        ]
        level_name = self.t(f"level.{model.below}")
        note = self.t("briefing.childcare.note", level=level_name)
        chart = Chart(
            "childcare",
            figures.childcare_points(
                model.breakdown,
                labels=model.short,
                status_labels=model.status_labels,
                names={k: self.t(f"childcare.chart.{k}") for k in ("actual", "target", "expected")},
                x_title=self.t("childcare.chart.points_x"),
                no_data=model.no_data,
                box=layout.above(layout.HIGHLIGHT_CHART, note),
            ),
            layout.above(layout.HIGHLIGHT_CHART, note),
            self.t("briefing.childcare.alt", level=level_name),
        )
        return Slide(
            kind="highlights",
            title=self.t("briefing.childcare.title"),
            cards=tuple(cards),
            chart=chart,
            note=note,
            notes=self.card_notes(cards),
        )

    # --------------------------------------------------------------------------- training (views/training.py)

    def training_slide(self) -> Slide:
        model = self.training
        note = self.t("briefing.training.note")
        cards: list[Card] = []
        chart: Chart | None = None

        # instructors (item 9): coverage of every village-level unit
        cov = model.coverage
        if cov is not None:
            lines = [self.t("briefing.training.units", covered=cov.covered.value, total=cov.units.value)]
            if cov.status_line:
                lines.append(cov.status_line)
            status = cov.status
            cards.append(
                Card(
                    cov.share.label,
                    cov.share.value,
                    status.code if status else "no_target",
                    status.text if status else "",
                    tuple(lines),
                )
            )
            chart = Chart(
                "training",
                figures.coverage_bars(
                    cov.below,
                    labels=cov.bar_labels,
                    category_labels=cov.category_labels,
                    x_title=self.t("training.coverage.bars_x"),
                    box=layout.above(layout.HIGHLIGHT_CHART, note),
                ),
                layout.above(layout.HIGHLIGHT_CHART, note),
                self.t("briefing.training.alt", level=self.t(f"level.{cov.level}")),
            )

        # the plan's classes (items 9, 14, 28): the province's own, whatever the region
        cards += [
            Card(
                plan.title,
                f"{plan.held} / {plan.planned}",
                plan.status.code,
                plan.status.text,
                (self.t("briefing.training.held"), self.t("briefing.training.window", window=plan.window)),
            )
            for plan in model.classes.plan
        ]

        # completion of the classes that ended by the as-of date
        parts = model.participants
        cards.append(
            Card(
                parts.rate.label,
                parts.rate.value,
                "no_target",
                "",
                (
                    self.t(
                        "briefing.training.completion",
                        completed=parts.completed.value,
                        enrolled=parts.enrolled.value,
                    ),
                ),
            )
        )

        # youth health demonstration bases (item 14): every prefecture at least one
        bases = model.bases
        if bases is not None:
            cards.append(
                Card(bases.metric.label, bases.metric.value, bases.status.code, bases.status.text, (bases.line_short,))
            )
        return Slide(
            kind="highlights",
            title=self.t("briefing.training.title"),
            cards=tuple(cards),
            chart=chart,
            note=note,
            notes=self.card_notes(cards),
        )

    # --------------------------------------------------------------------------- summary (views/home.py)

    def narrative_text(self) -> str:
        """The overview's work-report paragraph, as its view model words it."""
        return self.home.paragraph

    def narrative_parts(self) -> list[str]:
        """The paragraph's sentences: the closing slide sets each on its own line."""
        return list(self.home.narrative)

    def summary_slide(self) -> Slide:
        counts = self.home.area_counts
        note = self.t("home.chart.note")  # the overview's note under the same chart: what the colours mean
        box = layout.above(layout.SUMMARY_CHART, note)
        chart = Chart(
            "summary",
            figures.status_by_area(
                counts,
                group_labels={a: self.area_title(a) for a in sorted(self.area_titles)},
                status_labels={s: self.status_label(s) for s in STATUS_ORDER},
                x_title=self.t("home.chart.x"),
                lang=self.lang,
                box=box,
            ),
            box,
            self.t("briefing.summary.alt"),
        )
        # the chart's numbers: each area's targets by status
        colon, comma = ("：", "，") if self.lang == "zh" else (": ", ", ")
        by_area = []
        for area_no in sorted({int(a) for a in counts["area_no"]}):
            group = counts[counts["area_no"] == area_no]
            n = dict(zip(group["status"], group["n"], strict=True))
            shown = comma.join(f"{self.status_label(s)} {n[s]}" for s in STATUS_ORDER if n.get(s))
            by_area.append(f"{self.area_title(area_no)}{colon}{shown}")
        return Slide(
            kind="summary",
            title=self.t("overview.narrative.title"),
            paragraphs=tuple(self.narrative_parts()),
            chart=chart,
            legend=self.legend(list(counts["status"])),
            note=note,
            notes=(*self.narrative_parts(), *by_area),
        )

    # --------------------------------------------------------------------------- areas with nothing to follow up

    def areas_ok_slide(self, areas: Sequence[attainment_view.AreaTable]) -> Slide:
        """The areas with nothing missed, overdue, behind or at risk, one row each: their items and
        how many of their indicators stand at each status (the figures themselves in the notes)."""
        items = {a.area_no: [c.item_no for c in a.chips] for a in self.home.board}
        sep = self.t("training.list_sep")
        rows, notes = [], []
        for area in areas:
            n: dict[str, int] = {}
            for r in area.rows:
                n[r.status] = n.get(r.status, 0) + 1
            numbers = items.get(area.area_no, [])
            rows.append(
                (
                    self.area_title(area.area_no),
                    self.t("briefing.areas_ok.items", items=sep.join(str(i) for i in numbers)),
                    str(len(area.rows)),
                    sep.join(f"{self.status_label(s)} {n[s]}" for s in STATUS_ORDER if n.get(s)) or "—",
                )
            )
            columns = self.indicator_columns()
            notes.append(self.area_title(area.area_no))
            notes += self.row_notes(
                columns,
                [(str(r.item_no), r.name, r.actual, r.target, r.expected, r.pace, r.status_label) for r in area.rows],
            )
        table = Table(
            columns=(
                self.t("briefing.areas_ok.col.area"),
                self.t("briefing.areas_ok.col.items"),
                self.t("briefing.areas_ok.col.indicators"),
                self.t("briefing.areas_ok.col.statuses"),
            ),
            rows=tuple(rows),
            widths=(4.2, 1.8, 1.1, 5.2),
            align=("l", "l", "r", "l"),
        )
        note = self.t("briefing.areas_ok.note", level=self.home.follow_up_level)
        return Slide(
            kind="areas_ok",
            title=self.t("briefing.areas_ok.title", n=len(areas)),
            table=fitted(table, layout.above(layout.AREA_TABLE, note), max_pt=15),
            note=note,
            notes=tuple(notes),
        )

    # --------------------------------------------------------------------------- problems and next steps

    def next_steps_slide(self) -> Slide:
        """What is wrong and what falls due next month, both from the models: the region's own
        indicators missed, overdue, behind or at risk, or with regions below on the follow-up list
        (how many), worst first; and the targets of the region and the level below due next month."""
        home, level = self.home, self.attainment.level_name
        below: dict[str, int] = {}
        for f in home.follow_up:
            below[f.indicator_id] = below.get(f.indicator_id, 0) + 1
        problems = [
            r for a in self.attainment.areas for r in a.rows if r.status in NEEDS_ACTION or below.get(r.indicator_id)
        ]
        # worst first: the region's own status, then how many regions below need following up
        problems.sort(key=lambda r: (STATUS_SEVERITY[r.status], -below.get(r.indicator_id, 0), r.item_no))
        left = Table(
            columns=(
                self.t("briefing.area.col.item"),
                self.t("briefing.area.col.indicator"),
                self.t("attainment.col.status"),
                self.t("attainment.col.actual"),
                self.t("attainment.col.expected"),
                self.t("attainment.col.pace_short"),
                self.t("briefing.next.col.below", level=level),
            ),
            rows=tuple(
                (
                    str(r.item_no),
                    r.name,
                    r.status_label,
                    r.actual,
                    r.expected,
                    r.pace,
                    str(below.get(r.indicator_id, 0)),
                )
                for r in problems
            ),
            widths=(0.5, 3.0, 1.35, 1.15, 1.15, 0.8, 1.2) if self.lang == "zh" else (0.6, 2.7, 1.5, 1.1, 1.1, 0.7, 1.3),
            align=("r", "l", "l", "r", "r", "r", "r"),
            status=tuple(r.status for r in problems),
            status_col=2,
        )
        due = home.due_next_month
        right = Table(
            columns=(
                self.t("overview.follow_up.col.region"),
                self.t("overview.follow_up.col.indicator"),
                self.t("briefing.next.col.remaining"),
                self.t("overview.follow_up.col.due"),
            ),
            rows=tuple((d.region, d.indicator, d.remaining, d.due) for d in due),
            widths=(1.3, 2.4, 1.2, 1.3),
            align=("l", "l", "r", "r"),
        )
        # an empty table is a sentence in its place, saying so
        empty = (
            "" if problems else self.t("briefing.next.no_problems", level=home.follow_up_level),
            "" if due else self.t("overview.follow_up.due_next_none"),
        )
        notes = [
            self.t("briefing.next.more", n=len(t.rows) - NEXT_ROWS) for t in (left, right) if len(t.rows) > NEXT_ROWS
        ]
        note = self.join([*notes, self.t("briefing.next.note", level=home.follow_up_level)])
        shown_left = dataclasses.replace(left, rows=left.rows[:NEXT_ROWS], status=left.status[:NEXT_ROWS])
        shown_right = dataclasses.replace(right, rows=right.rows[:NEXT_ROWS])
        return Slide(
            kind="next_steps",
            title=self.t("briefing.next.title"),
            headings=(self.t("briefing.next.problems"), self.t("briefing.next.due")),
            table=fitted(shown_left, layout.above(layout.NEXT_TABLES[0], note), max_pt=12.5),
            side_table=fitted(shown_right, layout.above(layout.NEXT_TABLES[1], note), max_pt=12.5),
            paragraphs=empty,
            note=note,
            notes=(
                self.t("briefing.next.problems"),
                *self.row_notes(left.columns, left.rows),
                self.t("briefing.next.due"),
                *self.row_notes(right.columns, right.rows),
                home.due_next_line,
            ),
        )
