"""The meeting pack's content, from the same query functions and rules the pages use.

Every number here comes from ``analytics.queries`` (and its page modules) and
``analytics.attainment`` / ``analytics.narrative`` / ``analytics.childcare`` /
``analytics.training``, called as the pages call them (see each section's comment for the
page it follows). No Streamlit session is needed: the command line builds a pack with a
plain DuckDB connection. Texts come from the catalogs, in the pack's language.

The overview's cards, board and paragraph are worded as ``pages/home.py`` words them; that
page keeps its helpers private (it is a script), so their few lines of wording are
repeated here, and ``tests/unit/test_briefing.py`` compares the pack with what the running
overview page shows, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics import childcare, db, queries, training
from analytics.queries import PROVINCE_CODE
from analytics.queries import childcare as childcare_queries
from analytics.queries import training as training_queries
from ui import maps
from ui.briefing import figures, layout
from ui.briefing.model import BoardRow, Card, Chart, Chip, Pack, Slide, Table
from ui.charts import childcare as childcare_charts
from ui.charts import training as training_charts
from ui.theme import STATUS_COLORS, STATUS_MARK, STATUS_ORDER, STATUS_WORST_FIRST
from views import format as fmt
from views import home as home_view
from views import regions as region_lists
from views import statuses
from views.filters import Filters
from views.i18n import text as catalog_text

# the overview's status counts: every status of the set but "no target", so they add up to the
# number of targets judged (a slide lists the ones that occur)
COUNTED = tuple(s for s in STATUS_ORDER if s != "no_target")
# a region needing action is named in an area's table: out of time first, then behind the pace
LAGGING = ("missed", "overdue_no_report", "behind")
DEFAULT_INDICATOR = "instructor_coverage"  # the attainment page's default map indicator
LAGGING_SHOWN = 4  # names of lagging regions written out per indicator before "and N more"
AREA_NUMERALS = "一二三四五六七八九"


@dataclass(frozen=True)
class Request(Filters):
    """What a pack is for: the dashboard's one filters type, plus the map's indicator."""

    indicator: str = DEFAULT_INDICATOR


def build_pack(con: duckdb.DuckDBPyConnection, req: Request, *, data_dir: Path) -> Pack:
    """The slides for ``req`` from the data behind ``con`` (a connection of ``data_dir``)."""
    return _Builder(con, req, data_dir).pack()


# ------------------------------------------------------------------------------- formatting
# pages/home.py _fmt and _change, with the language passed in rather than read from a session


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


def _names(regions: pd.DataFrame, lang: str) -> dict[str, str]:
    """Region code → name in ``lang``, Chinese where the data has no English name."""
    names = regions[f"name_{lang}"].fillna(regions["name_zh"])
    return dict(zip(regions["region_code"].astype(str), names.astype(str), strict=True))


# ------------------------------------------------------------------------------- the builder


class _Builder:
    def __init__(self, con: duckdb.DuckDBPyConnection, req: Request, data_dir: Path) -> None:
        self.con, self.req, self.data_dir = con, req, data_dir
        self.lang = req.lang
        year = req.plan_year
        self.inds = queries.indicators(con, plan_year=year).set_index("indicator_id")
        self.targets = statuses.target_rows(queries.targets(con, plan_year=year), req.region)
        self.items = queries.plan_items(con, plan_year=year)
        self.status = queries.data_status(con)
        self.manifest = db.Manifest.read(data_dir)
        # pages/home.py: this month and last, the region and its sub-regions, in one query
        tables = queries.attainment_tables(
            con,
            plan_year=year,
            as_ofs=(req.as_of, req.previous_month_end),
            levels=(req.own_level, req.level_below),
            within=req.region,
        )
        # the overview's cards, board and paragraph: its one recipe (views/home.py)
        self.home = home_view.view(con, req)
        self.now = self._own(tables[(req.as_of, req.own_level)])
        self.before = self._own(tables[(req.previous_month_end, req.own_level)])
        self.below = tables[(req.as_of, req.level_below)]
        self.regions_below = queries.regions_at_level(con, level=req.level_below, within=req.region)
        self.prefectures = queries.regions_at_level(con, level="prefecture", within=PROVINCE_CODE)
        self.below_names = _names(self.regions_below, self.lang)
        self.prefecture_names = _names(self.prefectures, self.lang)
        self.region_name = (
            self.t("filters.whole_province")
            if req.region == PROVINCE_CODE
            else self.prefecture_names.get(req.region, req.region)
        )

    def t(self, key: str, **values: object) -> str:
        return catalog_text(key, self.lang, **values)

    def _own(self, table: pd.DataFrame) -> pd.DataFrame:
        return table[table["region_code"] == self.req.region].reset_index(drop=True)

    def status_label(self, status: str, reached_on: object = None) -> str:
        """The status's mark and name (views.statuses, as the pages word it); done late with its date."""
        return statuses.label(status, self.lang, reached_on=reached_on)

    def basis_lines(self, indicator_id: str) -> list[str]:
        """The region's target of ``indicator_id``: its basis, due date and phasing with the reason."""
        target = self.targets.get(indicator_id)
        if target is None:
            return []
        lines = [
            statuses.basis(target, self.lang),
            statuses.due_dates([target.get("due_date")], self.lang),
            statuses.phasing(target.get("phasing"), self.inds.loc[indicator_id].to_dict(), self.lang),
        ]
        return [line for line in lines if line]

    def interpreted(self, indicator_id: str) -> bool:
        target = self.targets.get(indicator_id)
        return target is not None and str(target.get("basis")) == "interpreted"

    def name(self, indicator_id: str) -> str:
        return str(self.inds.loc[indicator_id, f"name_{self.lang}"])

    def league_name(self, code: str, level: str) -> str:
        """A table's region name: whole in Chinese (as the pages show it), the usual short form of
        the one long English name (Xiangxi Tujia and Miao Autonomous Prefecture → Xiangxi)."""
        name = self.below_names.get(code, code)
        return maps.short_name(name, level) if self.lang == "en" else name

    def map_name(self, code: str, level: str) -> str:
        """A name that fits on the map: 长沙, 湘西州; a county's usual short form (麻阳苗族自治县 →
        麻阳县, as the childcare page's charts write it); in English a county's place name alone
        (Mayang Miao Autonomous County → Mayang, as the training page's map)."""
        name = self.below_names.get(code, code)
        if level != "county":
            return maps.short_name(name, level)
        return childcare_charts.short_name(name) if self.lang == "zh" else name.split(" ")[0]

    def short(self, code: str, level: str) -> str:
        return maps.short_name(self.below_names.get(code, code), level)

    # --------------------------------------------------------------------------- the pack

    def pack(self) -> Pack:
        r = self.req
        title = self.t("briefing.title", year=r.plan_year)
        demo = self.manifest.demo
        slides = [
            self.title_slide(title),
            self.cards_slide(),
            self.board_slide(),
            self.map_slide(),
            *[self.area_slide(int(a)) for a in sorted(self.items["area_no"].unique())],
            self.childcare_slide(),
            self.training_slide(),
            self.summary_slide(),
        ]
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
            self.t("briefing.title.source", year=r.plan_year),
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
        )

    @staticmethod
    def _date(value: object) -> str | None:
        if value is None or pd.isna(value):  # type: ignore[call-overload]
            return None
        return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]

    # --------------------------------------------------------------------------- cards (pages/home.py)

    def headline_cards(self) -> list[Card]:
        """The overview's seven cards: its view model's, as the page draws them."""
        return [Card(c.title, c.value, c.status, c.status_text, c.lines) for c in self.home.cards]

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
        return Slide(
            kind="cards",
            title=self.t("briefing.cards.title", region=self.region_name),
            cards=(*self.headline_cards(), counts),
        )

    # --------------------------------------------------------------------------- board (views/home.py)

    def item_statuses(self) -> dict[int, tuple[str, str, str]]:
        """Item number → (status, label, due dates of its judged targets), the overview's board chips."""
        return {c.item_no: (c.status, c.label, c.due) for area in self.home.board for c in area.chips}

    def area_title(self, area_no: int) -> str:
        area = self.items[self.items["area_no"] == area_no]
        title = str(area[f"area_title_{self.lang}"].iloc[0])
        if self.lang == "zh":
            return f"{AREA_NUMERALS[area_no - 1]}、{title}"
        return f"{area_no}. {title}"

    def board_slide(self) -> Slide:
        rows = [
            BoardRow(
                self.area_title(area.area_no),
                tuple(Chip(c.item_no, c.title, c.status, c.label, c.due) for c in area.chips),
            )
            for area in self.home.board
        ]
        shown = [s for s in STATUS_ORDER if any(c.status == s for row in rows for c in row.chips)]
        return Slide(
            kind="board",
            title=self.t("overview.board.title"),
            board=tuple(rows),
            legend=tuple((self.status_label(s), STATUS_COLORS[s]) for s in shown),
        )

    # --------------------------------------------------------------------------- map and league (pages/attainment.py)

    def map_indicator(self) -> str | None:
        """The requested indicator when it is judged at the level below, else the page's default
        (or its first judged one, as the attainment page); None when nothing is judged there."""
        judged = set(self.below.loc[self.below["status"] != "no_target", "indicator_id"])
        options = [i for i in self.inds.index if i in judged]
        if self.req.indicator in options:
            return self.req.indicator
        return DEFAULT_INDICATOR if DEFAULT_INDICATOR in options else (options[0] if options else None)

    def map_slide(self) -> Slide:
        level = self.req.level_below
        indicator = self.map_indicator()
        if indicator is None:  # as the attainment page: say so rather than draw an empty map
            return Slide(kind="map", title=self.t("attainment.title"), note=self.t("attainment.none_at_level"))
        ind = self.inds.loc[indicator]
        codes = list(self.regions_below["region_code"])
        rows = self.below[self.below["indicator_id"] == indicator].set_index("region_code").reindex(codes)
        status = {c: str(s) if isinstance(s, str) else "no_data" for c, s in rows["status"].items()}
        pace = {c: fmt.pct(v) for c, v in rows["pace"].items()}
        # the status's mark beside the pace, as on the page: colour is never the only cue
        labels = {c: f"{self.map_name(c, level)}<br>{STATUS_MARK[status[c]]} {pace[c]}" for c in codes}
        shapes = maps.load_shapes(path) if (path := maps.boundaries_path(self.data_dir, level)) else {}
        shown = [s for s in STATUS_ORDER if s in set(status.values())]
        chart = Chart(
            "map",
            figures.region_map(
                shapes,
                self.regions_below,
                colors={c: STATUS_COLORS[s] for c, s in status.items()},
                labels=labels,
                box=layout.MAP,
            ),
            layout.MAP,
            self.t("briefing.map.alt", level=self.t(f"level.{level}"), indicator=self.name(indicator)),
        )
        # the league table: best pace first, then the better status, as the attainment page ranks it
        order = {s: -i for i, s in enumerate(STATUS_WORST_FIRST)}
        data = rows.reset_index()
        data = data.assign(_order=data["status"].map(order), _pace=data["pace"].fillna(-1)).sort_values(
            ["_pace", "_order"], ascending=[False, True]
        )
        table = Table(
            columns=(
                self.t("attainment.col.rank"),
                self.t(f"level.{level}"),
                self.t("attainment.col.actual"),
                self.t("attainment.col.expected"),
                self.t("attainment.col.pace_short"),
                self.t("attainment.col.status"),
            ),
            rows=tuple(
                (
                    str(rank),
                    self.league_name(str(r.region_code), level),
                    fmt.league(r.actual, ind),
                    fmt.league(r.expected, ind),
                    fmt.pct(r.pace),
                    self.status_label(status[str(r.region_code)], r.reached_on),
                )
                for rank, r in enumerate(data.itertuples(), start=1)
            ),
            widths=(0.6, 2.1, 1.3, 1.6, 1.1, 1.2),
            align=("r", "l", "r", "r", "r", "l"),
            status=tuple(status[str(c)] for c in data["region_code"]),
            status_col=5,
        )
        table = fitted(table, layout.LEAGUE, max_pt=12.0)
        return Slide(
            kind="map",
            title=self.t("briefing.map.title", level=self.t(f"level.{level}"), indicator=self.name(indicator)),
            chart=chart,
            table=table,
            legend=tuple((self.status_label(s), STATUS_COLORS[s]) for s in shown),
            note=("　" if self.lang == "zh" else " ").join(
                [
                    self.t("briefing.map.note", definition=plain(str(ind[f"definition_{self.lang}"]))),
                    *self.basis_lines(indicator),
                ]
            ),
        )

    # --------------------------------------------------------------------------- one slide per area

    def area_slide(self, area_no: int) -> Slide:
        level = self.req.level_below
        items = self.items[self.items["area_no"] == area_no]
        inds = self.inds[self.inds["item_no"].isin(items["item_no"]) & ~self.inds["is_component"].astype(bool)]
        inds = inds.sort_values(["item_no", "display_order"])
        own = self.now.set_index("indicator_id")
        # regions out of time (missed, overdue) first, then behind the pace: the page's severity order
        lagging_rows = self.below[self.below["status"].isin(LAGGING)]
        behind = lagging_rows.assign(_sev=lagging_rows["status"].map(STATUS_WORST_FIRST.index)).sort_values(
            ["_sev", "pace", "region_code"]
        )
        rows, states, readings = [], [], []
        for i, ind in inds.iterrows():
            r = own.loc[i] if i in own.index else None
            status = str(r["status"]) if r is not None else "no_data"
            lagging = list(behind.loc[behind["indicator_id"] == i, "region_code"].astype(str))
            star = " *" if self.interpreted(str(i)) else ""  # the target is the association's reading
            if star:
                readings.append(f"{ind[f'name_{self.lang}']}：{statuses.basis(self.targets[str(i)], self.lang)}")
            rows.append(
                (
                    str(int(ind["item_no"])),
                    str(ind[f"name_{self.lang}"]) + star,
                    fmt.value(r["actual"] if r is not None else None, ind, self.lang),
                    fmt.value(r["target"] if r is not None else None, ind, self.lang),
                    fmt.value(r["expected"] if r is not None else None, ind, self.lang),
                    fmt.pct(r["pace"] if r is not None else None),
                    self.status_label(status, r["reached_on"] if r is not None else None),
                    self.lagging_text(lagging, level),
                )
            )
            states.append(status)
        untargeted = items[items["n_indicators"] == 0]
        sep = "；" if self.lang == "zh" else "; "
        notes = [self.t("briefing.area.readings", readings=sep.join(readings))] if readings else []
        if len(untargeted):
            notes.append(
                self.t(
                    "briefing.area.untargeted",
                    items=sep.join(
                        f"{int(i.item_no)} {getattr(i, f'item_title_{self.lang}')}" for i in untargeted.itertuples()
                    ),
                )
            )
        note = ("　" if self.lang == "zh" else " ").join(notes)
        table = Table(
            columns=(
                self.t("briefing.area.col.item"),
                self.t("briefing.area.col.indicator"),
                self.t("attainment.col.actual"),
                self.t("attainment.col.target"),
                self.t("attainment.col.expected"),
                self.t("attainment.col.pace_short"),
                self.t("attainment.col.status"),
                self.t("briefing.area.col.lagging", level=self.t(f"level.{level}")),
            ),
            rows=tuple(rows),
            # English statuses are longer ("No quantitative target"): their column is wider
            widths=(0.55, 3.0, 1.3, 1.3, 1.4, 0.85, 1.5, 2.8)
            if self.lang == "zh"
            else (0.5, 2.8, 1.2, 1.15, 1.25, 0.7, 2.0, 2.7),
            align=("r", "l", "r", "r", "r", "r", "l", "l"),
            status=tuple(states),
            status_col=6,
        )
        table = fitted(table, layout.AREA_TABLE, max_pt=12.5)
        return Slide(kind="area", title=self.area_title(area_no), table=table, note=note)

    def lagging_text(self, codes: list[str], level: str) -> str:
        if not codes:
            return "—"
        sep = self.t("training.list_sep")
        names = [self.short(c, level) for c in codes]
        if len(names) <= LAGGING_SHOWN:
            return sep.join(names)
        return self.t("briefing.area.more", names=sep.join(names[:LAGGING_SHOWN]), n=len(names))

    # --------------------------------------------------------------------------- childcare (pages/childcare.py)

    def childcare_slide(self) -> Slide:
        r = self.req
        overview = childcare_queries.overview(self.con, plan_year=r.plan_year, as_of=r.as_of, region=r.region)
        own = overview.province if r.region == PROVINCE_CODE else overview.prefectures
        rows = own[own["region_code"] == r.region].set_index("indicator_id")
        sub = overview.prefectures if r.level_below == "prefecture" else overview.counties
        no_data = self.t("status.no_data")  # a value's placeholder: the words, no status mark
        cards = []
        for key, iid, decimals in (
            ("points", "childcare_points_open", 1),
            ("funds", "childcare_funds_yuan", 0),
            ("places", "childcare_places", 0),
        ):
            if iid not in rows.index:  # a data folder without this indicator: no data, not a crash
                cards.append(Card(self.t(f"childcare.kpi.{key}"), no_data, "no_data", no_data))
                continue
            row = rows.loc[iid]
            value = childcare_charts.fmt(row["actual"], 0, no_data) if row["has_data"] else no_data
            lines: tuple[str, ...] = ()
            status, status_text = "no_target", ""
            if pd.notna(row["target"]):
                expected = float(row["expected"])
                lines = (
                    self.t(
                        "childcare.kpi.target_expected",
                        target=childcare_charts.fmt(row["target"]),
                        expected=childcare_charts.fmt(expected, 0 if expected.is_integer() else decimals),
                    ),
                )
                status = str(row["status"])
                status_text = self.status_label(status, row.get("reached_on"))
            cards.append(Card(self.t(f"childcare.kpi.{key}"), value, status, status_text, lines))
        per = overview.per_thousand
        mine = per[per["region_code"] == r.region]
        cards.append(
            Card(
                self.t("childcare.kpi.per_1000"),
                childcare_charts.fmt(mine["per_1000"].iloc[0] if len(mine) else None, 3, no_data),
                "no_target",
                "",
                (self.t("childcare.kpi.goal", goal=childcare.GOAL_PER_1000, year=childcare.GOAL_YEAR),),
            )
        )
        # item 7: the province's own milestones, shown whatever the region (as the page does)
        province = overview.province[overview.province["region_code"] == PROVINCE_CODE].set_index("indicator_id")
        for iid in childcare.MILESTONES:
            if iid not in province.index:
                continue
            m = province.loc[iid]
            created = (
                no_data
                if not m["has_data"]
                else self.t("childcare.milestones.created")
                if pd.notna(m["actual"]) and pd.notna(m["target"]) and m["actual"] >= m["target"]
                else self.t("childcare.milestones.not_created")
            )
            due = pd.Timestamp(m["due_date"]).date().isoformat()
            cards.append(
                Card(
                    self.name(iid),
                    created,
                    str(m["status"]),
                    self.status_label(str(m["status"]), m.get("reached_on")),
                    (self.t("childcare.milestones.due", due=due),),
                )
            )
        level = r.level_below
        table = childcare.breakdown(sub, self.regions_below)
        short = {c: childcare_charts.short_name(n) for c, n in self.below_names.items()}
        chart = Chart(
            "childcare",
            figures.childcare_points(
                table,
                labels=short,
                status_labels={s: self.status_label(s) for s in STATUS_COLORS},
                names={k: self.t(f"childcare.chart.{k}") for k in ("actual", "target", "expected")},
                x_title=self.t("childcare.chart.points_x"),
                no_data=no_data,
                box=layout.HIGHLIGHT_CHART,
            ),
            layout.HIGHLIGHT_CHART,
            self.t("briefing.childcare.alt", level=self.t(f"level.{level}")),
        )
        return Slide(
            kind="highlights",
            title=self.t("briefing.childcare.title"),
            cards=tuple(cards),
            chart=chart,
            note=self.t("briefing.childcare.note", level=self.t(f"level.{level}")),
        )

    # --------------------------------------------------------------------------- training (pages/training.py)

    def training_slide(self) -> Slide:
        r = self.req
        # as the training page: the province and every prefecture, judged for its indicators only
        tables = queries.attainment_tables(
            self.con,
            plan_year=r.plan_year,
            as_ofs=(r.as_of,),
            levels=("province", "prefecture"),
            within=PROVINCE_CODE,
            indicator_ids=training.JUDGED_INDICATORS,
        )
        province, prefectures = tables[(r.as_of, "province")], tables[(r.as_of, "prefecture")]
        own = province if r.region == PROVINCE_CODE else prefectures[prefectures["region_code"] == r.region]
        cards: list[Card] = []
        chart: Chart | None = None

        # instructors (item 9): coverage of every village-level unit
        cov = training.with_share(
            training_queries.coverage_month(self.con, plan_year=r.plan_year, as_of=r.as_of, within=r.region)
        )
        judged = own[(own["indicator_id"] == training.COVERAGE_INDICATOR) & (own["region_code"] == r.region)]
        if not cov.empty:
            now = training.at_month(cov)
            head = now[now["region_code"] == r.region].iloc[0]
            status = str(judged["status"].iloc[0]) if len(judged) else "no_target"
            lines = [
                self.t(
                    "briefing.training.units",
                    covered=f"{int(head['covered']):,}",
                    total=f"{int(head['units_total']):,}",
                )
            ]
            if len(judged):
                row = judged.iloc[0]
                lines.append(
                    self.t(
                        "training.coverage.status",
                        target=training_charts.pct(row["target"], 0),
                        due=pd.Timestamp(row["due_date"]).date().isoformat(),
                        expected=training_charts.pct(row["expected"]),
                    )
                )
            cards.append(
                Card(
                    self.t("training.coverage.share"),
                    training_charts.pct(head["share"]),
                    status,
                    self.status_label(status, judged["reached_on"].iloc[0]) if len(judged) else "",
                    tuple(lines),
                )
            )
            below = now[now["level"] == r.level_below]
            short = {c: self.short(c, r.level_below) for c in below["region_code"].astype(str)}
            chart = Chart(
                "training",
                figures.coverage_bars(
                    below,
                    labels=short,
                    category_labels={c: self.t(f"training.cat.{c}") for c in training.CATEGORIES},
                    x_title=self.t("training.coverage.bars_x"),
                    box=layout.HIGHLIGHT_CHART,
                ),
                layout.HIGHLIGHT_CHART,
                self.t("briefing.training.alt", level=self.t(f"level.{r.level_below}")),
            )

        # the plan's classes (items 9, 14, 28): the province's own, whatever the region
        classes = training.class_states(
            training_queries.classes(self.con, plan_year=r.plan_year, within=r.region), r.as_of
        )
        plan_rows = province[
            (province["region_code"] == PROVINCE_CODE)
            & province["indicator_id"].isin(list(training.KIND_INDICATOR.values()))
        ]
        summary = training.kind_summary(classes, plan_rows, plan_year=r.plan_year)
        for row in summary[summary["kind"].isin(list(training.KIND_INDICATOR))].itertuples():
            window = (
                self.t("training.classes.window", start=row.window_start.isoformat(), end=row.due_date.isoformat())
                if row.due_date is not None
                else "—"
            )
            cards.append(
                Card(
                    self.t(f"training.kind.{row.kind}"),
                    f"{row.plan_held} / {row.plan_classes}",
                    str(row.plan_status),
                    self.status_label(str(row.plan_status)),
                    (self.t("briefing.training.held"), self.t("briefing.training.window", window=window)),
                )
            )

        # completion of the classes that ended by the as-of date
        parts = training_queries.participants(self.con, plan_year=r.plan_year, as_of=r.as_of, within=r.region)
        total = training.total_completion(parts)
        cards.append(
            Card(
                self.t("training.participants.rate"),
                training_charts.pct(total["rate"]),
                "no_target",
                "",
                (
                    self.t(
                        "briefing.training.completion",
                        completed=f"{int(total['completed'] or 0):,}",
                        enrolled=f"{int(total['enrolled'] or 0):,}",
                    ),
                ),
            )
        )

        # youth health demonstration bases (item 14): every prefecture at least one
        rule = province[
            (province["indicator_id"] == training.BASES_INDICATOR) & (province["region_code"] == PROVINCE_CODE)
        ]
        if len(rule):
            b = rule.iloc[0]
            missing = region_lists.codes(b["regions_missing"])
            if r.region == PROVINCE_CODE:
                value = f"{int(b['regions_reached'] or 0)} / {int(b['regions_total'] or 0)}"
                status = str(b["status"])
                # each prefecture not there by name and state (reported below the minimum, or no report)
                line = (
                    region_lists.not_there(
                        missing,
                        b["regions_unreported"],
                        self.prefecture_names,
                        self.lang,
                        short=lambda name: maps.short_name(name, "prefecture"),
                    )
                    if missing
                    else self.t("training.bases.all")
                )
                cards.append(
                    Card(
                        self.t("training.bases.reached"),
                        value,
                        status,
                        self.status_label(status, b["reached_on"]),
                        (line,),
                    )
                )
            else:
                mine = training.bases_by_prefecture(own[own["region_code"] == r.region])
                has = len(mine) and pd.notna(mine["bases"].iloc[0])
                status = str(mine["status"].iloc[0]) if len(mine) else "no_data"
                cards.append(
                    Card(
                        self.t("training.bases.own"),
                        f"{int(mine['bases'].iloc[0])}" if has else self.t("status.no_data"),
                        status,
                        self.status_label(status),
                        (
                            self.t(
                                "training.bases.province_context",
                                reached=int(b["regions_reached"] or 0),
                                total=int(b["regions_total"] or 0),
                            ),
                        ),
                    )
                )
        return Slide(
            kind="highlights",
            title=self.t("briefing.training.title"),
            cards=tuple(cards),
            chart=chart,
            note=self.t("briefing.training.note"),
        )

    # --------------------------------------------------------------------------- summary (pages/home.py)

    def narrative_text(self) -> str:
        """The overview's work-report paragraph, as its view model words it."""
        return self.home.paragraph

    def narrative_parts(self) -> list[str]:
        """The paragraph's sentences: the closing slide sets each on its own line."""
        return list(self.home.narrative)

    def summary_slide(self) -> Slide:
        counts = self.home.area_counts
        areas = sorted(int(a) for a in self.items["area_no"].unique())
        shown = [s for s in STATUS_ORDER if s in set(counts["status"])]
        chart = Chart(
            "summary",
            figures.status_by_area(
                counts,
                group_labels={a: self.area_title(a) for a in areas},
                status_labels={s: self.status_label(s) for s in STATUS_ORDER},
                x_title=self.t("home.chart.x"),
                lang=self.lang,
                box=layout.SUMMARY_CHART,
            ),
            layout.SUMMARY_CHART,
            self.t("briefing.summary.alt"),
        )
        return Slide(
            kind="summary",
            title=self.t("overview.narrative.title"),
            paragraphs=tuple(self.narrative_parts()),
            chart=chart,
            legend=tuple((self.status_label(s), STATUS_COLORS[s]) for s in shown),
            # the overview's note under the same chart: what the colours mean
            note=self.t("home.chart.note"),
        )
