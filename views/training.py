"""Workforce and training (队伍与培训) as data: items 9, 14 and 28 of the plan.

Instructors in every village-level unit (coverage over all units of the region table, its map,
bars, trend and county table, and the list of units short of 2), the plan's classes against
their deadlines and their timeline, participants' completion, and the youth health
demonstration bases in every prefecture.

``view(con, filters)`` is the page's one recipe: pages/training.py lays it out, the meeting
pack's training slide can render it (coverage, the plan's classes, completion and bases, each
with its status), the benchmark times it. The page's own choices (a county and a category of
the short list, the organisers of the timeline, the completion breakdown) narrow what the
model holds, without a query: :meth:`ShortList.narrowed`, :meth:`Classes.at_levels` and
:attr:`Participants.tables`. Pure: no Streamlit.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import duckdb
import pandas as pd

from analytics import queries, training
from analytics.queries import training as training_queries
from views import format as fmt
from views import regions as region_lists
from views import statuses
from views.filters import Filters
from views.i18n import name_col, text
from views.regions import short_name

# the aggregation benchmarks/references.py compares this view with (python -m benchmarks)
REFERENCE = "training"

# A share and a count, read as views.format reads an indicator of that kind (a share to one
# decimal percent, a count whole with thousands separators).
SHARE: Final[Mapping[str, Any]] = {"target_rule": "coverage", "unit_zh": "%", "unit_en": "%"}
COUNT: Final[Mapping[str, Any]] = {"target_rule": "none", "unit_zh": "", "unit_en": ""}
# who organises a class, as the timeline's choice offers them
ORGANISERS: Final = ("province", "prefecture", "county")


def percent(v: object) -> str:
    """A share or a rate to one decimal: 0.934 → "93.4%"; missing → "—"."""
    return fmt.value(v, SHARE, "zh")


def count(v: object) -> str:
    """A count with thousands separators: 27433 → "27,433"."""
    return fmt.value(v, COUNT, "zh")


@dataclass(frozen=True)
class Metric:
    """A headline figure: its label, its value as read, and a change and help where it has them."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None


@dataclass(frozen=True)
class Status:
    """A status as a chip shows it: the code, its label and, done late, the date it was reached."""

    code: str
    text: str
    reached_on: object = None


@dataclass(frozen=True)
class Coverage:
    """Item 9: village-level units with at least 2 instructors, in the latest month up to the as-of date."""

    month: dt.date
    share: Metric  # with the change since the month before, in percentage points
    covered: Metric
    short: Metric
    no_report: Metric
    units: Metric  # every village-level unit of the region
    status: Status | None  # the region's instructor_coverage judgement (None: not judged)
    status_line: str  # its target, due date and expected value ("" when not judged)
    definition: str
    level: str  # the level below the region: the map's, bars' and trend's regions
    map_title: str
    bars_title: str
    below: pd.DataFrame  # the regions below at the month: region_code, units_total, the categories, reported, share
    map_labels: dict[str, str]  # a region's label on the map: its name and share
    map_hover: dict[str, str]  # its full name, share and counts (and "no report")
    bar_labels: dict[str, str]  # names short enough for an axis (长沙市 → 长沙)
    category_labels: dict[str, str]  # covered, short, no_report → their names
    trend: pd.DataFrame  # coverage month by month of the region and the regions below
    trend_labels: dict[str, str]  # code → name, the region first
    counties: pd.DataFrame  # the counties, lowest share first, columns in the filters' language
    county_numbers: tuple[str, ...]  # the counties table's count columns
    county_share: str  # its share column (in percent)

    @property
    def counts(self) -> tuple[Metric, ...]:
        """Covered, short, no report and every unit: the figures beside the share."""
        return (self.covered, self.short, self.no_report, self.units)


@dataclass(frozen=True)
class Narrowed:
    """The short list for one choice of county and category."""

    table: pd.DataFrame  # as downloaded: counts as numbers, dates as dates
    shown: pd.DataFrame  # as shown: a unit without a report says so in its count and month
    caption: str  # how many are shown of how many


@dataclass(frozen=True)
class ShortList:
    """Village-level units short of 2 instructors: fewer in their latest report, or no report."""

    table: pd.DataFrame  # every unit, as downloaded, columns in the filters' language
    shown: pd.DataFrame  # every unit, as shown
    keys: pd.DataFrame  # county_code (reporting county) and category of each row: what a choice narrows
    counties: dict[str, str]  # the counties of the region a user can choose, code → name
    categories: dict[str, str]  # short, no_report → their names
    n_short: int
    n_no_report: int
    notes: tuple[str, ...]  # the download's notes
    basename: str  # the download's file name, without its extension
    lang: str

    @property
    def total(self) -> int:
        return self.n_short + self.n_no_report

    def narrowed(self, county: str | None = None, category: str | None = None) -> Narrowed:
        """The units of one reporting county and/or one category (None or "": all)."""
        keep = training.filter_short(self.keys, county=county or None, category=category or None).index
        caption = text(
            "training.short.count",
            self.lang,
            shown=len(keep),
            total=self.total,
            short=self.n_short,
            no_report=self.n_no_report,
        )
        return Narrowed(self.table.loc[keep], self.shown.loc[keep], caption)


@dataclass(frozen=True)
class PlanClass:
    """A kind of class the plan asks the provincial association to hold."""

    kind: str
    title: str
    status: Status
    held: int  # the province's own classes held
    planned: int  # and planned (not cancelled)
    window: str  # "2023-07-01 至 2023-12-31", or "—" without a deadline
    line: str  # held of planned, and the window
    early: str  # how many were held before the window ("" when none)


@dataclass(frozen=True)
class Classes:
    """The classes of the province's association and of the regions inside the chosen one."""

    plan: tuple[PlanClass, ...]
    kinds: pd.DataFrame  # per kind: classes by state, deadline and plan status, in the filters' language
    timeline: pd.DataFrame  # every class in the timeline's order, with its row label in ``row``
    default_levels: tuple[str, ...]  # the organisers the timeline opens with
    organiser_labels: dict[str, str]  # province, prefecture, county → their names
    kind_labels: dict[str, str]
    state_labels: dict[str, str]
    deadlines: dict[dt.date, str]  # a deadline and the kinds due on it
    windows: tuple[tuple[dt.date, dt.date, str], ...]  # a kind's window (the youth class: second half)
    as_of_label: str

    def at_levels(self, levels: Iterable[str]) -> pd.DataFrame:
        """The timeline's classes organised at ``levels`` (their labels stay unique)."""
        return self.timeline[self.timeline["level"].isin(list(levels))]


@dataclass(frozen=True)
class Participants:
    """Participants of the classes that ended by the as-of date, and their completion."""

    note: str  # how the rate is computed, and its threshold
    empty: str  # what to say when no class has ended ("" when some have)
    enrolled: Metric
    attended: Metric
    completed: Metric
    rate: Metric  # sum(completed) / sum(enrolled) over the region
    threshold: float
    threshold_label: str
    chart_title: str
    by_level: pd.DataFrame  # per region below: label, rate, completed, enrolled, below
    below_count: str  # how many classes are below the threshold ("" when none)
    tables: dict[str, pd.DataFrame]  # breakdown (prefecture, county, class) → its table
    below: dict[str, tuple[bool, ...]]  # breakdown → the rows below the threshold

    @property
    def totals(self) -> tuple[Metric, ...]:
        return (self.enrolled, self.attended, self.completed, self.rate)


@dataclass(frozen=True)
class Bases:
    """Item 14: at least one new youth health demonstration base in every prefecture."""

    province: bool  # the province's view (with the list and the chart) or a prefecture's own
    metric: Metric  # prefectures with a new base, or this prefecture's bases
    status: Status
    line: str  # the province: the prefectures not there (or all there); a prefecture: the province's count
    line_short: str  # the same with short prefecture names (for a slide's card)
    target: str
    by_prefecture: pd.DataFrame  # region_code, bases, target, status, reached (the province's view)
    labels: dict[str, str]  # prefecture code → short name


@dataclass(frozen=True)
class TrainingModel:
    filters: Filters
    region_name: str
    month_labels: tuple[str, ...]  # January … December as an axis reads them
    coverage: Coverage | None  # None: no month of the plan year up to the as-of date
    short: ShortList
    classes: Classes
    participants: Participants
    bases: Bases | None  # None: no target or data for the bases


def view(con: duckdb.DuckDBPyConnection, f: Filters) -> TrainingModel:
    """Everything the training page shows for ``f``."""
    lang = f.lang
    # the province and every prefecture, judged in one query, for this page's indicators only
    tables = queries.attainment_tables(
        con,
        plan_year=f.plan_year,
        as_ofs=(f.as_of,),
        levels=("province", "prefecture"),
        within=f.province,
        indicator_ids=training.JUDGED_INDICATORS,
    )
    province, prefectures = tables[(f.as_of, "province")], tables[(f.as_of, "prefecture")]
    own = province if f.region == f.province else prefectures[prefectures["region_code"] == f.region]
    cov = training.with_share(
        training_queries.coverage_month(con, plan_year=f.plan_year, as_of=f.as_of, within=f.region)
    )
    names = region_lists.region_names(queries.regions_at_level(con, level="prefecture", within=f.province), lang)
    region_name = text("filters.whole_province", lang) if f.region == f.province else names.get(f.region, f.region)
    month_labels = tuple(text("training.month_label", lang, m=m, abbr=calendar.month_abbr[m]) for m in range(1, 13))
    return TrainingModel(
        filters=f,
        region_name=region_name,
        month_labels=month_labels,
        coverage=_coverage(cov, own, f) if not cov.empty else None,
        short=_short_list(
            training_queries.short_units(con, plan_year=f.plan_year, as_of=f.as_of, within=f.region),
            cov,
            region_name,
            f,
        ),
        classes=_classes(training_queries.classes(con, plan_year=f.plan_year, within=f.region), province, f),
        participants=_participants(
            training_queries.participants(con, plan_year=f.plan_year, as_of=f.as_of, within=f.region),
            f,
            # the share the association set in the plan year's workbook, not the code's
            queries.plan_settings(con, plan_year=f.plan_year).completion_share,
        ),
        bases=_bases(own, province, prefectures, names, f),
    )


# --- instructors --------------------------------------------------------------------------


def _coverage(cov: pd.DataFrame, own: pd.DataFrame, f: Filters) -> Coverage:
    lang, level = f.lang, f.level_below
    labels = region_lists.region_names(cov, lang)
    now = training.at_month(cov)
    month = pd.Timestamp(now["period_end"].iloc[0]).date()
    head = now[now["region_code"] == f.region].iloc[0]
    months = sorted(cov["period_end"].unique())
    delta = None
    if len(months) > 1:
        before = training.at_month(cov, months[-2])
        prior = before.loc[before["region_code"] == f.region].iloc[0]
        prev = prior["share"]
        # no change to speak of while the region has not reported (0 % then and now is no "+0.0")
        if pd.notna(prev) and pd.notna(head["share"]) and head["reported"] and prior["reported"]:
            delta = text("training.coverage.delta", lang, value=f"{(head['share'] - prev) * 100:+.1f}")

    judged = own[(own["indicator_id"] == training.COVERAGE_INDICATOR) & (own["region_code"] == f.region)]
    status, status_line = None, ""
    if len(judged):
        row = judged.iloc[0]
        status = Status(
            str(row["status"]),
            statuses.label(str(row["status"]), lang, reached_on=row["reached_on"]),
            row["reached_on"],
        )
        status_line = text(
            "training.coverage.status",
            lang,
            target=fmt.pct(row["target"]),
            due=pd.Timestamp(row["due_date"]).date().isoformat(),
            expected=percent(row["expected"]),
        )

    below = now[now["level"] == level]
    no_report = text("training.no_report", lang)
    level_name = text(f"training.level.{level}", lang)
    order = _short({f.region: labels[f.region], **{c: labels[c] for c in below["region_code"]}})
    counties = now[now["level"] == "county"].sort_values(["share", "region_code"], na_position="first")
    categories = {c: text(f"training.cat.{c}", lang) for c in training.CATEGORIES}
    col = {k: text(f"training.col.{k}", lang) for k in ("prefecture", "county", "units")}
    share_col = text("training.coverage.share_short", lang)
    return Coverage(
        month=month,
        share=Metric(
            text("training.coverage.share", lang),
            percent(head["share"]),
            delta=delta,
            help=text("training.coverage.delta_help", lang),
        ),
        covered=Metric(categories["covered"], count(head["covered"])),
        short=Metric(categories["short"], count(head["short"])),
        no_report=Metric(categories["no_report"], count(head["no_report"])),
        units=Metric(text("training.coverage.units", lang), count(head["units_total"])),
        status=status,
        status_line=status_line,
        definition=text("training.coverage.definition", lang, month=month.isoformat()),
        level=level,
        map_title=text("training.coverage.map_title", lang, level=level_name, month=month.isoformat()),
        bars_title=text("training.coverage.bars_title", lang, level=level_name),
        below=below,
        map_labels={
            c: f"{_map_label(labels[c], level, lang)}<br>{fmt.pct(v)}"
            for c, v in zip(below["region_code"], below["share"], strict=True)
        },
        map_hover={
            str(r["region_code"]): f"{labels[str(r['region_code'])]}：{percent(r['share'])}"
            f"（{r['covered']:,} / {r['units_total']:,}）" + ("" if r["reported"] else f"，{no_report}")
            for r in below.to_dict("records")
        },
        bar_labels=_short(labels),
        category_labels=categories,
        trend=cov[cov["region_code"].isin(list(order))],
        trend_labels=order,
        counties=pd.DataFrame(
            {
                col["prefecture"]: [labels.get(c, c) for c in counties["prefecture_code"]],
                col["county"]: [labels[c] for c in counties["region_code"]],
                col["units"]: counties["units_total"],
                **{categories[c]: counties[c] for c in training.CATEGORIES},
                share_col: counties["share"] * 100,  # in percent: one decimal for every row
            }
        ),
        county_numbers=(col["units"], *categories.values()),
        county_share=share_col,
    )


def _short_list(short: pd.DataFrame, cov: pd.DataFrame, region_name: str, f: Filters) -> ShortList:
    lang = f.lang
    # the counties of the region, from the coverage rows (every month: the first of each)
    counties = cov[cov["level"] == "county"].drop_duplicates("region_code")
    short = short.reset_index(drop=True)
    table = _short_table(short, lang)
    no_report = text("training.no_report", lang)
    # whole columns at once: per-row formatting of a few thousand villages was a tenth of the page
    shown = table.assign(
        **{
            text("training.col.instructors", lang): short["instructors_in_post"]
            .astype("Int64")
            .astype("string")
            .fillna(no_report)
            .to_numpy(),
            text("training.col.last_report", lang): pd.to_datetime(short["last_period"])
            .dt.strftime("%Y-%m")
            .fillna(no_report)
            .to_numpy(),
            text("training.col.received", lang): pd.to_datetime(short["reported_at"])
            .dt.strftime("%Y-%m-%d")
            .fillna("")
            .to_numpy(),
        }
    )
    n_short = int((short["category"] == "short").sum())
    return ShortList(
        table=table,
        shown=shown,
        keys=short[["county_code", "category"]],
        counties=region_lists.region_names(counties, lang),
        categories={c: text(f"training.cat.{c}", lang) for c in ("short", "no_report")},
        n_short=n_short,
        n_no_report=len(short) - n_short,
        notes=(
            text("training.short.notes", lang, as_of=f.as_of.isoformat(), region=region_name),
            text("demo.short", lang),
        ),
        basename=f"training_short_units_{f.region}_{f.as_of.isoformat()}",
        lang=lang,
    )


def _short_table(short: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The list as users read it (and download it): names in the language, numbers as numbers."""
    zone = text("training.short.zone", lang)
    county = [
        zone.format(county=c, zone=z) if isinstance(z, str) else c
        for c, z in zip(
            short[name_col("county_name", lang)].fillna(short["county_name_zh"]), short["zone_name_zh"], strict=True
        )
    ]
    category = {c: text(f"training.cat.{c}", lang) for c in short["category"].unique()}
    col = {
        k: text(f"training.col.{k}", lang)
        for k in (
            "prefecture",
            "county",
            "township",
            "village",
            "code",
            "instructors",
            "last_report",
            "received",
            "category",
        )
    }
    return pd.DataFrame(
        {
            col["prefecture"]: short[name_col("prefecture_name", lang)].fillna(short["prefecture_name_zh"]).to_numpy(),
            col["county"]: county,
            col["township"]: short["township_name_zh"].to_numpy(),
            col["village"]: short["village_name_zh"].to_numpy(),
            col["code"]: short["region_code"].to_numpy(),
            # nullable integers: a count stays 0, 1 (not 0.0) and "no report" stays empty
            col["instructors"]: short["instructors_in_post"].astype("Int64").reset_index(drop=True),
            col["last_report"]: pd.to_datetime(short["last_period"]).dt.date.to_numpy(),
            col["received"]: pd.to_datetime(short["reported_at"]).dt.date.to_numpy(),
            col["category"]: short["category"].map(category).to_numpy(),
        }
    )


# --- classes ---------------------------------------------------------------------------


def _classes(raw: pd.DataFrame, province: pd.DataFrame, f: Filters) -> Classes:
    lang = f.lang
    classes = training.class_states(raw, f.as_of)
    plan_rows = province[
        (province["region_code"] == f.province) & province["indicator_id"].isin(list(training.KIND_INDICATOR.values()))
    ]
    summary = training.kind_summary(classes, plan_rows, plan_year=f.plan_year)
    kinds = {k: text(f"training.kind.{k}", lang) for k in training.KINDS}
    kind_short = {k: text(f"training.kind_short.{k}", lang) for k in training.KINDS}
    state_labels = {s: text(f"training.state.{s}", lang) for s in training.CLASS_STATES}

    rows = {str(r["kind"]): r for r in summary.to_dict("records")}  # per kind, in the order of KINDS
    plan = []
    for kind in training.KIND_INDICATOR:
        row = rows[kind]
        window = (
            text(
                "training.classes.window", lang, start=row["window_start"].isoformat(), end=row["due_date"].isoformat()
            )
            if row["due_date"] is not None
            else fmt.MISSING
        )
        code, held, planned = str(row["plan_status"]), int(row["plan_held"]), int(row["plan_classes"])
        plan.append(
            PlanClass(
                kind=kind,
                title=kinds[kind],
                status=Status(code, statuses.label(code, lang)),
                held=held,
                planned=planned,
                window=window,
                line=text("training.classes.plan_card", lang, held=held, planned=planned, window=window),
                early=text("training.classes.early", lang, n=row["plan_held_early"]) if row["plan_held_early"] else "",
            )
        )
    kind_table = pd.DataFrame(
        {
            text("training.col.kind", lang): [kinds[k] for k in summary["kind"]],
            text("training.classes.count", lang): summary["classes"],
            **{state_labels[s]: summary[s] for s in training.CLASS_STATES},
            text("training.classes.due", lang): [d.isoformat() if d is not None else "—" for d in summary["due_date"]],
            text("training.classes.plan_status", lang): [statuses.label(s, lang) for s in summary["plan_status"]],
        }
    )

    # the timeline: by kind, then organiser level, then start; a row label per class, unique
    ordered = classes.assign(
        _k=classes["kind"].map({k: i for i, k in enumerate(training.KINDS)}),
        _l=classes["level"].map({lv: i for i, lv in enumerate(ORGANISERS)}),
    ).sort_values(["_k", "_l", "shown_start", "class_id"])
    organiser = _short(region_lists.region_names(ordered, lang, base="organiser_name"))
    labels = _unique(
        [
            f"{organiser.get(c, c)} · {kind_short[k]}"
            for c, k in zip(ordered["region_code"].astype(str), ordered["kind"], strict=True)
        ]
    )
    deadlines: dict[dt.date, list[str]] = {}
    for kind, r in rows.items():
        if r["due_date"] is not None:
            deadlines.setdefault(r["due_date"], []).append(kind_short[kind])
    youth = rows["youth_trainer"]
    sep = text("training.list_sep", lang)
    return Classes(
        plan=tuple(plan),
        kinds=kind_table,
        timeline=ordered.drop(columns=["_k", "_l"]).assign(row=labels),
        default_levels=("province", "prefecture") if f.region == f.province else ORGANISERS,
        organiser_labels={lv: text(f"training.org.{lv}", lang) for lv in ORGANISERS},
        kind_labels=kinds,
        state_labels=state_labels,
        deadlines={d: text("training.timeline.deadline", lang, kinds=sep.join(ks)) for d, ks in deadlines.items()},
        windows=((youth["window_start"], youth["due_date"], text("training.timeline.window", lang)),)
        if youth["due_date"] is not None
        else (),
        as_of_label=text("training.timeline.as_of", lang, date=f.as_of.isoformat()),
    )


def _unique(labels: Sequence[str]) -> list[str]:
    """Row labels of a timeline must be unique: a second class of the same organiser and kind gets (2)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


# --- participants -----------------------------------------------------------------------


def _participants(parts: pd.DataFrame, f: Filters, share: float) -> Participants:
    lang, level = f.lang, f.level_below
    threshold = fmt.pct(share)
    total = training.total_completion(parts)
    rate = text("training.participants.rate", lang)
    # each breakdown once: the level below (prefectures or counties) is one of them
    sums = {by: training.completion(parts, by, threshold=share) for by in training.BREAKDOWNS}
    names = region_lists.region_names(sums[level], lang, code_col=f"{level}_code", base=f"{level}_name")
    by_level = sums[level].assign(label=list(_short(names).values()))
    by_class = sums["class"]
    n_below = int(by_class["below"].sum())
    tables, below = {}, {}
    for by in training.BREAKDOWNS:
        table = _completion_table(sums[by], by, lang)
        tables[by], below[by] = table, tuple(bool(b) for b in table.pop("_below"))
    return Participants(
        note=text("training.participants.note", lang, threshold=threshold),
        empty=text("training.participants.none", lang, as_of=f.as_of.isoformat()) if parts.empty else "",
        enrolled=Metric(text("training.participants.enrolled", lang), count(total["enrolled"])),
        attended=Metric(text("training.participants.attended", lang), count(total["attended"])),
        completed=Metric(text("training.participants.completed", lang), count(total["completed"])),
        rate=Metric(rate, percent(total["rate"])),
        threshold=share,
        threshold_label=text("training.participants.threshold", lang, threshold=threshold),
        chart_title=text("training.participants.chart_title", lang, level=text(f"training.level.{level}", lang)),
        by_level=by_level,
        below_count=text("training.participants.below_count", lang, n=n_below, total=len(by_class), threshold=threshold)
        if n_below
        else "",
        tables=tables,
        below=below,
    )


def _completion_table(table: pd.DataFrame, by: str, lang: str) -> pd.DataFrame:
    def names(base: str) -> pd.Series:
        return table[name_col(base, lang)].fillna(table[f"{base}_zh"])

    prefecture = text("training.col.prefecture", lang)
    if by == "class":
        organiser = names("organiser_name").fillna(table["organiser_code"])
        first = {
            text("training.col.class", lang): [
                f"{o} · {text(f'training.kind_short.{k}', lang)}" for o, k in zip(organiser, table["kind"], strict=True)
            ],
            text("training.col.end", lang): pd.to_datetime(table["end_date"]).dt.date.to_numpy(),
        }
    elif by == "county":
        first = {
            prefecture: names("prefecture_name").to_numpy(),
            text("training.col.county", lang): names("county_name").to_numpy(),
        }
    else:
        first = {prefecture: names("prefecture_name").to_numpy()}
    out = pd.DataFrame(
        {
            **first,
            **{
                text(f"training.participants.{c}", lang): table[c].to_numpy()
                for c in ("enrolled", "attended", "completed", "dropped")
            },
            text("training.participants.rate", lang): table["rate"].to_numpy(),
        }
    )
    out["_below"] = table["below"].to_numpy()
    return out


# --- youth health demonstration bases -------------------------------------------------------


def _bases(
    own: pd.DataFrame, province: pd.DataFrame, prefectures: pd.DataFrame, names: dict[str, str], f: Filters
) -> Bases | None:
    lang = f.lang
    rule = province[(province["indicator_id"] == training.BASES_INDICATOR) & (province["region_code"] == f.province)]
    if rule.empty:
        return None
    r = rule.iloc[0]
    reached, total = int(r["regions_reached"] or 0), int(r["regions_total"] or 0)
    target = text("training.bases.target", lang, due=pd.Timestamp(r["due_date"]).date().isoformat())
    if f.region != f.province:
        mine = training.bases_by_prefecture(own[own["region_code"] == f.region])
        row = mine.iloc[0] if len(mine) else None
        code = str(row["status"]) if row is not None else "no_data"
        context = text("training.bases.province_context", lang, reached=reached, total=total)
        return Bases(
            province=False,
            metric=Metric(
                text("training.bases.own", lang),
                text("training.no_data", lang) if row is None or pd.isna(row["bases"]) else f"{int(row['bases'])}",
            ),
            status=Status(code, statuses.label(code, lang)),
            line=context,
            line_short=context,
            target=target,
            by_prefecture=mine,
            labels=_short(names),
        )
    missing, unreported = r["regions_missing"], r["regions_unreported"]
    everyone = text("training.bases.all", lang)
    code = str(r["status"])
    # each prefecture not there, by name and state: reported below the minimum, or no report
    return Bases(
        province=True,
        metric=Metric(text("training.bases.reached", lang), f"{reached} / {total}"),
        status=Status(code, statuses.label(code, lang, reached_on=r["reached_on"]), r["reached_on"]),
        line=region_lists.not_there(missing, unreported, names, lang) or everyone,
        line_short=region_lists.not_there(
            missing, unreported, names, lang, short=lambda name: short_name(name, "prefecture")
        )
        or everyone,
        target=target,
        by_prefecture=training.bases_by_prefecture(prefectures),
        labels=_short(names),
    )


# --- names ---------------------------------------------------------------------------------


def _map_label(name: str, level: str, lang: str) -> str:
    """A label that fits on the map: short prefecture names; an English county name's first word
    (Mayang Miao Autonomous County → Mayang), the place name itself. The hover has the full name."""
    if level == "county" and lang == "en":
        return name.split(" ")[0]
    return short_name(name, level)


def _short(labels: Mapping[str, str]) -> dict[str, str]:
    """Prefecture names short enough for a chart's axis (长沙市 → 长沙, Xiangxi … Prefecture → Xiangxi)."""
    return {
        c: short_name(n, "prefecture") if c.endswith("00") and not c.endswith("0000") else n for c, n in labels.items()
    }
