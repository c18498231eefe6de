"""The childcare page (items 6 and 7) as data: the headline figures, the breakdown by region, the
pipeline, places and places per 1,000 residents, the map's layers, the two item-7 milestones and
every point.

``view(con, filters)`` is the page's one recipe: pages/childcare.py lays it out, the meeting pack's
childcare slide can render it (cards: :attr:`ChildcareModel.kpis` with
:attr:`ChildcareModel.goal_line` under places per 1,000, and :attr:`ChildcareModel.milestones`;
chart: :attr:`ChildcareModel.breakdown` with :attr:`ChildcareModel.short`), the benchmark times it.

The page's own choices change no query: the map's four layers are all in the model
(:attr:`ChildcareModel.maps`, 14 regions each) and the list of points is filtered by
:meth:`PointsList.shown`, so a click on the map's metric or a filter of the list costs drawing only.

Figures are written as the page always wrote them (:func:`number`: thousands separators, no unit,
the decimals of each figure), not in :mod:`views.format`'s units: the headline's labels carry the
unit ("已拨付资金（元）"), and the meeting pack's cards show the same figures.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import duckdb
import pandas as pd

from analytics import childcare, queries
from analytics.attainment import month_ends
from analytics.childcare import GOAL_PER_1000, GOAL_YEAR
from analytics.queries import PROVINCE_CODE
from analytics.queries import childcare as childcare_queries
from ui.theme import STATUS_COLORS, STATUS_ORDER
from views import statuses
from views.filters import Filters
from views.i18n import text
from views.regions import region_names

# the headline's figures: (catalog key, indicator, decimals of a fractional expected-by-now)
KPIS: Final = (
    ("points", "childcare_points_open", 1),
    ("funds", "childcare_funds_yuan", 0),
    ("places", "childcare_places", 0),
)

# the aggregation benchmarks/references.py compares this view with (python -m benchmarks)
REFERENCE = "childcare"
MAP_METRICS: Final = ("points", "funds", "places", "per_1000")
DATE_COLUMNS: Final = ("planned_on", "construction_started_on", "opened_on", "closed_on", "subsidy_paid_on")
# the states a place can be counted in (a closed point's places no longer count)
PLACE_STATES: Final = ("open", "under_construction", "planned")


def number(value: object, decimals: int = 0, missing: str = "") -> str:
    """A number with thousands separators, or ``missing`` for no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):  # type: ignore[call-overload]
        return missing
    return f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]


def short_name(name: str) -> str:
    """A region's name short enough for a chart axis or a map label.

    Autonomous prefectures and counties carry their peoples in the name (湘西土家族苗族自治州,
    Xiangxi Tujia and Miao Autonomous Prefecture); charts use the usual short form
    (湘西州, Xiangxi). Tables keep the full name.
    """
    zh = re.fullmatch(r"(\w{2})\w*自治(州|县)", name)
    if zh:
        return zh.group(1) + zh.group(2)
    en = re.fullmatch(r"(\S+) .*Autonomous (Prefecture|County)", name)
    if en:
        return en.group(1) + (" County" if en.group(2) == "County" else "")
    return name


# --------------------------------------------------------------------------- society's context


@dataclass(frozen=True)
class ContextFigure:
    """A public figure on childcare places in society as a whole (never the association's target).

    ``key`` names its words in the catalog (``childcare.context.<key>.region`` / ``.what`` /
    ``.source``); ``tier`` its source tier in the population page's words (``population.tier.*``).
    """

    key: str
    value: float
    as_of: str  # as the source dates it: a year end, a month, a target year
    tier: str
    low_confidence: bool = False


# Public figures on childcare places for under-3s per 1,000 population, for all childcare in
# society (data/reference/SOURCES.md, "Childcare context"). The national goal is GOAL_PER_1000
# of analytics.childcare (data/reference/sources/childcare.csv); 2.03 is from the same CSV,
# "LOW source quality"; 长沙's 3.93 (June 2024) is from news reprints of the city's statements.
SOCIETY_CONTEXT: Final = (
    ContextFigure("national_goal", GOAL_PER_1000, str(GOAL_YEAR), "official_reprint"),
    ContextFigure("national_2021", 2.03, "2021-12-31", "official_reprint", low_confidence=True),
    ContextFigure("changsha_2024", 3.93, "2024-06", "official_reprint"),
)
CONTEXT_COLUMNS: Final = ("region", "value", "as_of", "what", "source", "tier")


def context_table(
    figures: Sequence[ContextFigure], *, words: Mapping[str, str], columns: Mapping[str, str]
) -> pd.DataFrame:
    """The context figures as a small table: region, value, as of, what, source, tier (the value
    next to the region, so a phone shows it without scrolling sideways).

    ``words``: the catalog texts (``childcare.context.<key>.region`` … and ``tier.<tier>``,
    ``low_confidence``); ``columns``: the headers of region, what, value, as_of, source, tier.
    """
    rows = []
    for f in figures:
        tier = words[f"tier.{f.tier}"] + (words["low_confidence"] if f.low_confidence else "")
        rows.append(
            {
                columns["region"]: words[f"{f.key}.region"],
                columns["value"]: f.value,
                columns["as_of"]: f.as_of,
                columns["what"]: words[f"{f.key}.what"],
                columns["source"]: words[f"{f.key}.source"],
                columns["tier"]: tier,
            }
        )
    return pd.DataFrame(rows, columns=[columns[c] for c in CONTEXT_COLUMNS])


def society_context(lang: str) -> pd.DataFrame:
    """:data:`SOCIETY_CONTEXT` as the page shows it, in ``lang``."""
    keys = [f"{f.key}.{w}" for f in SOCIETY_CONTEXT for w in ("region", "what", "source")]
    words = {k: text(f"childcare.context.{k}", lang) for k in keys}
    words |= {f"tier.{f.tier}": text(f"population.tier.{f.tier}", lang) for f in SOCIETY_CONTEXT}
    words["low_confidence"] = text("childcare.context.low_confidence", lang)
    columns = {c: text(f"childcare.context.col.{c}", lang) for c in CONTEXT_COLUMNS}
    return context_table(SOCIETY_CONTEXT, words=words, columns=columns)


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Kpi:
    """A headline figure: points, funds, places open, places per 1,000 residents."""

    key: str  # points, funds, places, per_1000
    title: str
    value: str
    help: str  # the indicator's definition ("" for places per 1,000)
    lines: tuple[str, ...]  # the captions under the figure: target and expected-by-now, or what it counts
    status: str  # "no_target" where the figure is not judged
    status_text: str  # the badge's words, with the date a late target was reached; "" for no badge


@dataclass(frozen=True)
class Milestone:
    """One of item 7's two provincial milestones, judged at the as-of date and on its due date."""

    indicator_id: str
    title: str
    value: str  # created / not yet created / no data
    help: str  # the indicator's definition
    due: str  # "截止日期 2023-06-30"
    status: str
    status_text: str
    at_due: str  # how it stood on the due date once that has passed; "" before


@dataclass(frozen=True)
class MapLayer:
    """What the map draws for one metric: each region's label and hover text, the values for a
    colour scale, or each region's status where the metric is judged."""

    metric: str
    name: str  # the metric's name (the picker's option, the colour bar's title)
    level: str  # the outlines: prefecture or county (places per 1,000: prefectures whatever the region)
    labels: dict[str, str]  # region code → "short name<br>figure", in the order drawn
    hover: dict[str, str]
    values: dict[str, float | None]  # for the colour scale where there is no status
    status: dict[str, str]  # region code → status; empty where the metric is not judged
    legend: tuple[str, ...]  # the statuses drawn (with no data), in the status set's order
    note: str


@dataclass(frozen=True)
class PointsList:
    """Every point on the register as it stood on the as-of date, in the page's language."""

    table: pd.DataFrame  # the list (and its download): dates as dates, missing where not yet
    codes: pd.DataFrame  # state, operator_type, region (of the level below): what the filters pick by
    states: dict[str, str]  # state → its words (the filter's options)
    operators: dict[str, str]
    regions: dict[str, str]  # region code of the level below → name
    region_filter: str  # the region filter's label (市州 / 县市区)
    date_columns: tuple[str, ...]  # the headers of the date columns (the grid writes a missing one as blank)

    def shown(
        self, states: Sequence[str] = (), operators: Sequence[str] = (), regions: Sequence[str] = ()
    ) -> pd.DataFrame:
        """The points in any of ``states``, of any of ``operators`` and in any of ``regions``
        (an empty choice: all)."""
        keep = pd.Series(True, index=self.codes.index)
        for col, chosen in (("state", states), ("operator_type", operators), ("region", regions)):
            if chosen:
                keep &= self.codes[col].isin(list(chosen))
        return self.table[keep.to_numpy()]


@dataclass(frozen=True)
class ChildcareModel:
    filters: Filters
    region_name: str
    headline: str  # "全省：托育点、资金和托位"
    kpis: tuple[Kpi, ...]
    goal_line: str  # the national goal of 4.5 per 1,000, stated as context (the pack's card says it)
    thresholds: str  # how points and funds are judged, each target's phasing
    register_rule: str  # what a region without points reads (0, or no data without a register)
    by_region_title: str
    # the breakdown by region (analytics.childcare.breakdown: codes, figures, statuses, reached_on, gap)
    breakdown: pd.DataFrame
    names: dict[str, str]  # region code of the level below → full name, in the breakdown's order
    short: dict[str, str]  # … → the short name charts and the map write
    breakdown_table: pd.DataFrame  # the breakdown's table, in the page's language
    breakdown_download: pd.DataFrame  # … with each status's words, code, reached_on and gap beside it
    download_note: str
    pipeline: pd.DataFrame  # period_end, state, points, places: each month end up to the judged one
    places_by_state: pd.DataFrame  # <level below>_code, state, places, points
    per_thousand: pd.DataFrame  # analytics.childcare.PER_THOUSAND_COLUMNS: the province, then prefectures
    per_thousand_labels: dict[str, str]  # 全省 and the prefectures' short names
    per_thousand_table: pd.DataFrame  # per 1,000 with population and its source, in the page's language
    society: pd.DataFrame  # public figures for all childcare in society (context, not the target)
    maps: dict[str, MapLayer]  # MAP_METRICS → the map's layer
    milestones: tuple[Milestone, ...]
    points: PointsList
    definitions: tuple[str, ...]  # "**name** (unit): definition", one per indicator
    no_data: str  # a value's placeholder: the status's words without its mark
    state_labels: dict[str, str] = field(default_factory=dict)  # pipeline state → words
    status_labels: dict[str, str] = field(default_factory=dict)  # status → mark and words

    @property
    def below(self) -> str:
        return self.filters.level_below

    @property
    def highlight(self) -> tuple[str, ...]:
        """The regions the per-1,000 chart draws in red: the chosen prefecture."""
        return () if self.filters.region == self.filters.province else (self.filters.region,)


def view(con: duckdb.DuckDBPyConnection, f: Filters) -> ChildcareModel:
    """Everything the childcare page shows for ``f``: the province, every prefecture and, for a
    prefecture, its counties, judged from one scan."""
    lang, year, as_of, region, below = f.lang, f.plan_year, f.as_of, f.region, f.level_below
    no_data = statuses.label("no_data", lang, mark=False)
    thresholds = queries.plan_settings(con, plan_year=year).thresholds
    inds = queries.indicators(con, plan_year=year).set_index("indicator_id")
    prefectures = region_names(queries.regions_at_level(con, level="prefecture", within=f.province), lang)
    regions = queries.regions_at_level(con, level=below, within=region)
    names = region_names(regions, lang)
    short = {c: short_name(n) for c, n in names.items()}
    region_name = prefectures.get(region, text("filters.whole_province", lang))
    overview = childcare_queries.overview(con, plan_year=year, as_of=as_of, region=region)
    own = overview.province if region == f.province else overview.prefectures
    sub = overview.prefectures if below == "prefecture" else overview.counties
    per = overview.per_thousand
    reported = childcare.register_reported(childcare_queries.register_points(con, plan_year=year))
    raw_points = childcare_queries.points(con, plan_year=year, within=region)
    points = childcare.points_as_of(raw_points, as_of)
    table = childcare.breakdown(sub, regions)
    breakdown_table, breakdown_download = _breakdown_tables(table, names, below, lang)
    prefecture_short = {c: short_name(n) for c, n in prefectures.items()}
    states = {s: text(f"childcare.state.{s}", lang) for s in childcare.STATES}
    return ChildcareModel(
        filters=f,
        region_name=region_name,
        headline=text("childcare.headline", lang, region=region_name),
        kpis=_kpis(own, per, inds, region, lang, no_data),
        goal_line=text("childcare.kpi.goal", lang, goal=GOAL_PER_1000, year=GOAL_YEAR),
        thresholds=text(
            "childcare.thresholds",
            lang,
            # the plan year's thresholds (the association's, from its plan workbook)
            on_track=statuses.threshold_percent(thresholds.on_track),
            at_risk=statuses.threshold_percent(thresholds.at_risk),
        ),
        register_rule=text("childcare.rule.register", lang)
        if reported
        else text("childcare.rule.register_empty", lang, year=year),
        by_region_title=text("childcare.by_region.prefecture", lang)
        if below == "prefecture"
        else text("childcare.by_region.county", lang, region=region_name),
        breakdown=table,
        names=names,
        short=short,
        breakdown_table=breakdown_table,
        breakdown_download=breakdown_download,
        download_note=text("childcare.download.note", lang, as_of=as_of.isoformat(), region=region_name),
        pipeline=childcare.pipeline(raw_points, [e for e in month_ends(year) if e <= as_of]),
        places_by_state=childcare.places_by_state(points, f"{below}_code", list(names)),
        per_thousand=per,
        per_thousand_labels={f.province: text("filters.whole_province", lang), **prefecture_short},
        per_thousand_table=_per_thousand_table(per, childcare_queries.population(con), prefectures, lang),
        society=society_context(lang),
        maps={m: _map_layer(m, table, per, short, prefecture_short, below, lang, no_data) for m in MAP_METRICS},
        milestones=_milestones(overview.province, overview.milestones_at_due, inds, lang, no_data),
        points=_points_list(points, below, names, lang),
        definitions=tuple(
            text(
                "childcare.definition_line",
                lang,
                name=inds.loc[i, f"name_{lang}"],
                unit=inds.loc[i, f"unit_{lang}"],
                definition=inds.loc[i, f"definition_{lang}"],
            )
            for i in childcare.INDICATORS
            if i in inds.index
        ),
        no_data=no_data,
        state_labels=states,
        status_labels={s: statuses.label(s, lang) for s in STATUS_COLORS},
    )


def _kpis(
    own: pd.DataFrame, per: pd.DataFrame, inds: pd.DataFrame, region: str, lang: str, no_data: str
) -> tuple[Kpi, ...]:
    rows = own[own["region_code"] == region].set_index("indicator_id")
    kpis = []
    for key, iid, decimals in KPIS:
        title = text(f"childcare.kpi.{key}", lang)
        help_text = str(inds.loc[iid, f"definition_{lang}"]) if iid in inds.index else ""
        if iid not in rows.index:  # a data folder without this indicator: no data, not a crash
            kpis.append(Kpi(key, title, no_data, help_text, (), "no_data", statuses.label("no_data", lang)))
            continue
        r = rows.loc[iid]
        value = number(r["actual"], 0, no_data) if r["has_data"] else no_data
        if pd.isna(r["target"]):
            kpis.append(Kpi(key, title, value, help_text, (), "no_target", ""))
            continue
        expected = float(r["expected"])
        line = text(
            "childcare.kpi.target_expected",
            lang,
            target=number(r["target"]),
            expected=number(expected, 0 if expected.is_integer() else decimals),
        )
        status = str(r["status"])
        label = statuses.label(status, lang, reached_on=r.get("reached_on"))
        kpis.append(Kpi(key, title, value, help_text, (line,), status, label))
    mine = per[per["region_code"] == region]
    kpis.append(
        Kpi(
            "per_1000",
            text("childcare.kpi.per_1000", lang),
            number(mine["per_1000"].iloc[0] if len(mine) else None, 3, no_data),
            "",
            (text("childcare.kpi.per_1000_note", lang),),
            "no_target",
            "",
        )
    )
    return tuple(kpis)


def _breakdown_tables(
    table: pd.DataFrame, names: dict[str, str], below: str, lang: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The breakdown as the page's table, and its download with each status's words and code,
    the date a late target was reached and the gap beside it (prefectures: counties have no targets)."""
    shown = table.assign(region=table["region_code"].map(names))
    cols = ["region", "points", "points_target", "points_expected", "points_status"]
    cols += ["funds", "funds_target", "funds_expected", "funds_status", "places"]
    if below == "county":  # no targets below prefectures
        cols = ["region", "points", "funds", "places"]
    for c in ("points_status", "funds_status"):
        shown[c] = shown[c].map(lambda s: statuses.label(str(s), lang))
    shown = shown[cols].rename(columns={c: text(f"childcare.col.{c}", lang) for c in cols})
    download = shown
    if below == "prefecture":
        for m in ("points", "funds"):
            part = statuses.download_columns(
                table.rename(columns={f"{m}_{c}": c for c in ("status", "reached_on", "gap")}), lang
            )
            download = pd.concat([download, part.add_prefix(f"{text(f'childcare.col.{m}_status', lang)} · ")], axis=1)
    return shown, download


def _per_thousand_table(
    per: pd.DataFrame, population: pd.DataFrame, prefectures: dict[str, str], lang: str
) -> pd.DataFrame:
    sources = population.set_index("region_code")
    names = {PROVINCE_CODE: text("filters.whole_province", lang), **prefectures}

    def tier(s: object) -> str:
        return text(f"population.tier.{s}", lang) if isinstance(s, str) else text("population.tier.none", lang)

    return pd.DataFrame(
        {
            text("childcare.col.region", lang): per["region_code"].map(names),
            text("childcare.col.population", lang): per["population"],
            text("childcare.col.places", lang): per["places"],
            text("childcare.col.per_1000", lang): per["per_1000"].round(4),
            text("childcare.col.source", lang): per["region_code"].map(sources["source"]),
            text("childcare.col.source_tier", lang): per["region_code"].map(sources["source_tier"]).map(tier),
        }
    )


def _map_layer(
    metric: str,
    table: pd.DataFrame,
    per: pd.DataFrame,
    short: dict[str, str],
    prefectures: dict[str, str],
    below: str,
    lang: str,
    no_data: str,
) -> MapLayer:
    name = text(f"childcare.map.{metric}", lang)
    if metric == "per_1000":
        # places per 1,000 exist for prefectures only (the population goes no lower)
        level, shown, decimals = "prefecture", prefectures, 3
        values = per.set_index("region_code")["per_1000"]
        status = pd.Series(dtype=object)
    else:
        level, shown, decimals = below, short, 0
        by_code = table.set_index("region_code")
        values = by_code[metric]
        # judged against expected-by-now where there are targets: prefectures, points and funds
        judged = metric != "places" and below == "prefecture"
        status = by_code[f"{metric}_status"] if judged else pd.Series(dtype=object)
    figures = {c: number(values.get(c), decimals, no_data) for c in shown}
    hover = {c: f"{shown[c]}<br>{name}: {figures[c]}" for c in shown}
    drawn: dict[str, str] = {}
    legend: tuple[str, ...] = ()
    if len(status):
        drawn = {c: str(status[c]) for c in shown if c in status.index}
        hover = {c: f"{h}<br>{statuses.label(drawn.get(c, 'no_data'), lang)}" for c, h in hover.items()}
        present = set(drawn.values()) | {"no_data"}
        legend = tuple(s for s in STATUS_ORDER if s in present)
    notes = [text("childcare.map.status_note" if drawn else "childcare.map.scale_note", lang)]
    if metric == "per_1000" and below == "county":
        notes.append(text("childcare.map.county_note", lang))
    return MapLayer(
        metric=metric,
        name=name,
        level=level,
        labels={c: f"{shown[c]}<br>{figures[c]}" for c in shown},
        hover=hover,
        values={c: _float(values.get(c)) for c in shown},
        status=drawn,
        legend=legend,
        note=" ".join(notes),
    )


def _float(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[call-overload,arg-type]


def _milestones(
    now: pd.DataFrame, at_due: pd.DataFrame, inds: pd.DataFrame, lang: str, no_data: str
) -> tuple[Milestone, ...]:
    """Item 7, the province's own, judged at the as-of date and, once it has passed, on its due date."""
    rows = _province_rows(now)
    due_rows = _province_rows(at_due)
    out = []
    for iid in childcare.MILESTONES:
        if iid not in rows:
            continue
        r = rows[iid]
        due = pd.Timestamp(r["due_date"]).date().isoformat()
        then = ""
        if iid in due_rows:
            d = due_rows[iid]
            then = text(
                "childcare.milestones.at_due",
                lang,
                due=due,
                state=_created(d, lang, no_data),
                status=statuses.label(str(d["status"]), lang),
            )
        out.append(
            Milestone(
                indicator_id=iid,
                title=str(inds.loc[iid, f"name_{lang}"]),
                value=_created(r, lang, no_data),
                help=str(inds.loc[iid, f"definition_{lang}"]),
                due=text("childcare.milestones.due", lang, due=due),
                status=str(r["status"]),
                status_text=statuses.label(str(r["status"]), lang, reached_on=r.get("reached_on")),
                at_due=then,
            )
        )
    return tuple(out)


def _province_rows(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """indicator_id → the province's attainment row."""
    mine = table[table["region_code"] == PROVINCE_CODE]
    return {str(r["indicator_id"]): {str(k): v for k, v in r.items()} for r in mine.to_dict("records")}


def _created(r: Mapping[str, Any], lang: str, no_data: str) -> str:
    if not r["has_data"]:
        return no_data
    done = pd.notna(r["actual"]) and pd.notna(r["target"]) and r["actual"] >= r["target"]
    return text("childcare.milestones.created" if done else "childcare.milestones.not_created", lang)


def _points_list(points: pd.DataFrame, below: str, names: dict[str, str], lang: str) -> PointsList:
    states = {s: text(f"childcare.state.{s}", lang) for s in childcare.STATES}
    operators = {s: text(f"childcare.operator.{s}", lang) for s in childcare.OPERATORS}

    def words(codes: pd.Series, kind: str) -> pd.Series:
        return codes.map(lambda s: text(f"childcare.{kind}.{s}", lang))

    table = pd.DataFrame(
        {
            "prefecture": points[f"prefecture_name_{lang}"],
            "county": points[f"region_name_{lang}"],
            "name": points["name_zh"],
            "operator": words(points["operator_type"], "operator"),
            "point_places": points["places"],
            "subsidy": points["subsidy_yuan"],
            "state": words(points["state"], "state"),
            **{c: pd.to_datetime(points[c]).dt.date for c in DATE_COLUMNS},
            "point_id": points["point_id"],
        }
    )
    table = table.rename(columns={c: text(f"childcare.col.{c}", lang) for c in table.columns})
    codes = pd.DataFrame(
        {"state": points["state"], "operator_type": points["operator_type"], "region": points[f"{below}_code"]}
    )
    return PointsList(
        table=table,
        codes=codes,
        states=states,
        operators=operators,
        regions=names,
        region_filter=text(f"childcare.points.filter_{below}", lang),
        date_columns=tuple(text(f"childcare.col.{c}", lang) for c in DATE_COLUMNS),
    )
