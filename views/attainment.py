"""Target attainment (目标完成情况) as data: the chosen indicator's headline, its map and league of
the regions one level below, the scorecard of every judged indicator there, the download, the
month-by-month series, and each area's table of indicators with the regions behind.

``view(con, filters, indicator=…)`` is the page's one recipe: pages/attainment.py lays it out,
the meeting pack's map, league and area slides can render it, the benchmark times it with the
default indicator. Pure: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics import queries
from analytics.attainment import month_ends
from analytics.queries import series as series_queries
from ui.theme import STATUS_COLORS, STATUS_MARK, STATUS_ORDER, STATUS_WORST_FIRST
from views import format as fmt
from views import plan_heading, statuses
from views import regions as region_lists
from views.filters import Filters
from views.i18n import name_col, text

# the aggregation benchmarks/references.py compares this view with (python -m benchmarks)
REFERENCE = "actuals"

DEFAULT_INDICATOR = "instructor_coverage"  # the indicator the page (and the pack's map) opens on
# a region needing action in an area's table: out of time first, then behind the pace
BEHIND = ("missed", "overdue_no_report", "behind")


@dataclass(frozen=True)
class Option:
    """An indicator judged at the level below: the page's choice."""

    indicator_id: str
    name: str


@dataclass(frozen=True)
class Headline:
    """The chosen indicator in the chosen region, each figure a final text."""

    actual: str
    target: str
    expected: str
    pace: str
    status: str
    status_label: str  # mark and words; done late with the date reached
    not_there: str  # an every-region rule's member regions not there, by name and state ("" if none)


@dataclass(frozen=True)
class RegionMap:
    """The chosen indicator in each region of the level below: what the map draws.

    ``rows``: region_code, name (whole: a map shortens it as it fits, ui.maps.short_name), status
    (no_data where the region has no row), label (the status's mark and words), mark (the status's
    mark: a map writes it beside the pace, so colour is never the only cue), pace and pace_text.
    """

    title: str
    regions: pd.DataFrame  # the regions of the level below (analytics.queries.regions_at_level)
    rows: pd.DataFrame
    colors: dict[str, str]  # region_code → fill
    hover: dict[str, str]
    legend: tuple[tuple[str, str], ...]  # (label, colour) of the statuses drawn, in the set's order
    click_note: str  # how to drill down ("" at county level: nothing below)


@dataclass(frozen=True)
class Scorecard:
    """Every judged indicator (not components) × every region of the level below."""

    title: str
    table: pd.DataFrame  # indicator_id, region_code, status
    region_labels: dict[str, str]
    indicator_labels: dict[str, str]
    status_labels: dict[str, str]
    cell_text: dict[tuple[str, str], str]  # (region_code, indicator_id) → "→ 101%"


@dataclass(frozen=True)
class Series:
    """The chosen indicator in the chosen region month by month."""

    title: str
    data: pd.DataFrame  # analytics.queries.series.indicator_series
    y_title: str
    percent: bool
    baseline_zero: bool  # a coverage's expected line starts from zero (January had no report): say so


@dataclass(frozen=True)
class Download:
    table: pd.DataFrame  # every indicator in the region and its sub-regions, columns in the page's language
    basename: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class AreaRow:
    """One judged indicator of an area in the chosen region, with the regions below behind on it."""

    item_no: int
    indicator_id: str
    name: str
    interpreted: bool  # the target is the association's reading (the pack stars it)
    basis: str  # the target's basis in words ("" where there is no target)
    actual: str
    target: str
    expected: str
    pace: str
    status: str
    status_label: str
    behind: tuple[str, ...]  # region codes below missed, overdue or behind, worst first
    behind_names: tuple[str, ...]  # their names in the filters' language


@dataclass(frozen=True)
class AreaTable:
    area_no: int
    title: str  # the area's heading, without its number
    rows: tuple[AreaRow, ...]
    untargeted: tuple[tuple[int, str], ...]  # (item number, title) of the area's items without a target


@dataclass(frozen=True)
class Chosen:
    """The indicator shown: its headline, basis, map, league and month-by-month series."""

    indicator_id: str
    name: str
    row: Mapping[str, Any]  # the plan's row of the indicator (ui.components.indicator_info)
    target: Mapping[str, Any] | None  # the chosen region's target of it
    basis: tuple[str, ...]  # that target's basis, due date and phasing with the reason
    headline: Headline | None  # None: the chosen region has no row for it
    map: RegionMap
    league: pd.DataFrame  # rank, code, region, actual, expected, pace, status, status_code, pace_text
    series: Series
    # the same indicator a year earlier, where the previous plan year carries it over (same id,
    # same province): "Same time last year (30 Jun 2023, 2023 plan): 79.6% …"; "" otherwise
    last_year: str = ""

    @property
    def league_shown(self) -> pd.DataFrame:
        """The league as the page shows it (region and status codes kept aside, the pace a number)."""
        return self.league.drop(columns=["code", "status_code", "pace_text"])


@dataclass(frozen=True)
class AttainmentModel:
    filters: Filters
    level: str  # the level below the chosen region: what the map, league and scorecard show
    level_name: str
    options: tuple[Option, ...]  # the indicators judged there; none: say so and draw nothing
    chosen: Chosen | None  # the indicator asked for if judged there, else the default (None: no options)
    scorecard: Scorecard
    download: Download
    areas: tuple[AreaTable, ...]  # the meeting pack's area slides
    rule: str = ""  # how statuses are judged, with the plan year's thresholds (the association's)


def view(con: duckdb.DuckDBPyConnection, f: Filters, *, indicator: str = DEFAULT_INDICATOR) -> AttainmentModel:
    """Everything the attainment page shows for ``f`` and the chosen ``indicator`` (the default, or
    the first judged one, where ``indicator`` is not judged at the level below)."""
    lang, level = f.lang, f.level_below
    inds = queries.indicators(con, plan_year=f.plan_year).set_index("indicator_id")
    tables = queries.attainment_tables(
        con, plan_year=f.plan_year, as_ofs=(f.as_of,), levels=(f.own_level, level), within=f.region
    )
    below, own = tables[(f.as_of, level)], tables[(f.as_of, f.own_level)]
    own = own[own["region_code"] == f.region]
    regions = queries.regions_at_level(con, level=level, within=f.region)
    names = region_lists.region_names(regions, lang)
    all_targets = queries.targets(con, plan_year=f.plan_year)
    targets = statuses.target_rows(all_targets, f.region)
    region_name = _region_name(con, f)
    rule = statuses.rule(lang, queries.plan_settings(con, plan_year=f.plan_year).thresholds)

    judged_here = set(below.loc[below["status"] != "no_target", "indicator_id"])
    options = tuple(Option(str(i), str(inds.loc[i, name_col("name", lang)])) for i in inds.index if i in judged_here)
    ids = [o.indicator_id for o in options]
    chosen = None
    if ids:
        i = indicator if indicator in ids else (DEFAULT_INDICATOR if DEFAULT_INDICATOR in ids else ids[0])
        row = {"indicator_id": i, **{str(k): v for k, v in inds.loc[i].items()}}
        target = targets.get(i)
        rows = below[below["indicator_id"] == i].set_index("region_code").reindex(regions["region_code"])
        head = own[own["indicator_id"] == i]
        chosen = Chosen(
            indicator_id=i,
            name=str(row[name_col("name", lang)]),
            row=row,
            target=target,
            basis=tuple(_basis(target, row, lang)),
            headline=_headline(con, head, row, f),
            map=_map(rows, regions, names, level, lang),
            league=_league(rows.reset_index(), names, row, lang),
            series=_series(con, f, i, row, head, region_name),
            last_year=_last_year(con, f, i, row),
        )
    return AttainmentModel(
        filters=f,
        level=level,
        level_name=text(f"level.{level}", lang),
        options=options,
        chosen=chosen,
        scorecard=_scorecard(below, inds, ids, names, level, lang),
        download=_download(own, below, inds, all_targets, {f.region: region_name, **names}, f, rule),
        areas=_areas(queries.plan_items(con, plan_year=f.plan_year), inds, own, below, targets, names, lang),
        rule=rule,
    )


def _basis(target: Mapping[str, Any] | None, ind: Mapping[str, Any], lang: str) -> list[str]:
    """A target's basis (the notice's words or the association's reading), due date and phasing."""
    if target is None:
        return []
    lines = [
        statuses.basis(target, lang),
        statuses.due_dates([target.get("due_date")], lang),
        statuses.phasing(target.get("phasing"), ind, lang),
    ]
    return [line for line in lines if line]


def _region_name(con: duckdb.DuckDBPyConnection, f: Filters) -> str:
    """The chosen region's name: the whole province, or a prefecture's name in ``f.lang``."""
    if f.region == f.province:
        return text("filters.whole_province", f.lang)
    prefectures = queries.regions_at_level(con, level="prefecture", within=f.province)
    return region_lists.region_names(prefectures, f.lang).get(f.region, f.region)


def _last_year(con: duckdb.DuckDBPyConnection, f: Filters, indicator: str, ind: Mapping[str, Any]) -> str:
    """The indicator in the chosen region at the same month end of the previous plan year, judged
    by that year's plan: only where that year's plan has the indicator (a carried-over indicator
    keeps its id) and is the same province's (another association's year is not this one's past)."""
    before = f.plan_year - 1
    if f.judged_on.year != f.plan_year or queries.plan_items(con, plan_year=before).empty:
        return ""
    if plan_heading.province(con, plan_year=before) != f.province:
        return ""
    if indicator not in set(queries.indicators(con, plan_year=before)["indicator_id"]):
        return ""
    day = month_ends(before)[f.judged_on.month - 1]
    table = queries.attainment_tables(
        con, plan_year=before, as_ofs=(day,), levels=(f.own_level,), within=f.region, indicator_ids=(indicator,)
    )[(day, f.own_level)]
    row = table[(table["region_code"] == f.region) & (table["indicator_id"] == indicator)]
    if row.empty or pd.isna(row["actual"].iloc[0]):
        return ""
    r = row.iloc[0]
    return text(
        "plan.last_year",
        f.lang,
        date=fmt.date(day, f.lang),
        year=before,
        actual=fmt.value(r["actual"], ind, f.lang),
        target=fmt.value(r["target"], ind, f.lang),
        status=statuses.label(str(r["status"]), f.lang, reached_on=r["reached_on"]),
    )


def _status(value: object) -> str:
    """A region's status; no_data where the attainment table has no row for it."""
    return value if isinstance(value, str) else "no_data"


def _headline(
    con: duckdb.DuckDBPyConnection, head: pd.DataFrame, ind: Mapping[str, Any], f: Filters
) -> Headline | None:
    if head.empty:
        return None
    r = head.iloc[0]
    lang = f.lang
    not_there = ""
    missing = region_lists.codes(r["regions_missing"])
    if missing:
        # the members are regions of the rule's own level inside this one (counties of a prefecture)
        members = queries.regions_at_level(con, level=str(ind["target_level"]), within=f.region)
        names = region_lists.region_names(members, lang)
        not_there = region_lists.not_there(missing, r["regions_unreported"], names, lang)
    status = str(r["status"])
    return Headline(
        actual=fmt.league(r["actual"], ind),
        target=fmt.league(r["target"], ind),
        expected=fmt.league(r["expected"], ind),
        pace=fmt.pct(r["pace"]),
        status=status,
        status_label=statuses.label(status, lang, reached_on=r["reached_on"]),
        not_there=not_there,
    )


def _map(rows: pd.DataFrame, regions: pd.DataFrame, names: dict[str, str], level: str, lang: str) -> RegionMap:
    codes = [str(c) for c in rows.index]
    state = {c: _status(s) for c, s in zip(codes, rows["status"], strict=True)}
    pace = {c: fmt.pct(v) for c, v in zip(codes, rows["pace"], strict=True)}
    label = {c: statuses.label(state[c], lang, reached_on=d) for c, d in zip(codes, rows["reached_on"], strict=True)}
    table = pd.DataFrame(
        {
            "region_code": codes,
            "name": [names.get(c, c) for c in codes],
            "status": [state[c] for c in codes],
            "label": [label[c] for c in codes],
            "mark": [STATUS_MARK[state[c]] for c in codes],
            "pace": rows["pace"].to_numpy(),
            "pace_text": [pace[c] for c in codes],
        }
    )
    present = tuple(s for s in STATUS_ORDER if s in set(state.values()))
    pace_word = text("attainment.pace", lang)
    return RegionMap(
        title=text("attainment.map_title", lang, level=text(f"level.{level}", lang)),
        regions=regions,
        rows=table,
        colors={c: STATUS_COLORS[state[c]] for c in codes},
        hover={c: f"{n}：{label[c]}，{pace_word} {pace[c]}" for c, n in names.items()},
        legend=tuple((statuses.label(s, lang), STATUS_COLORS[s]) for s in present),
        click_note=text("attainment.map_click", lang) if level == "prefecture" else "",
    )


def _league(rows: pd.DataFrame, names: dict[str, str], ind: Mapping[str, Any], lang: str) -> pd.DataFrame:
    # best pace first; at the same pace the better status (analytics.attainment's severity, reversed)
    order = {s: -i for i, s in enumerate(STATUS_WORST_FIRST)}
    data = rows.assign(
        _order=rows["status"].map(order),
        _pace=rows["pace"].fillna(-1),
    ).sort_values(["_pace", "_order"], ascending=[False, True])
    state = [_status(s) for s in data["status"]]
    return pd.DataFrame(
        {
            "rank": range(1, len(data) + 1),
            "code": data["region_code"].astype(str).to_numpy(),
            "region": [names.get(str(c), str(c)) for c in data["region_code"]],
            "actual": [fmt.league(v, ind) for v in data["actual"]],
            "expected": [fmt.league(v, ind) for v in data["expected"]],
            "pace": data["pace"].to_numpy(),
            "status": [statuses.label(s, lang, reached_on=d) for s, d in zip(state, data["reached_on"], strict=True)],
            "status_code": state,
            "pace_text": [fmt.pct(v) for v in data["pace"]],
        }
    )


def _cell(status: str, pace: object) -> str:
    """A scorecard cell: the status's mark (colour is never the only cue) and the pace."""
    return f"{STATUS_MARK[status]} {fmt.pct(pace)}" if pd.notna(pace) else STATUS_MARK[status]  # type: ignore[call-overload]


def _scorecard(
    below: pd.DataFrame, inds: pd.DataFrame, ids: list[str], names: dict[str, str], level: str, lang: str
) -> Scorecard:
    judged = [i for i in ids if not inds.loc[i, "is_component"]]
    card = below[below["indicator_id"].isin(judged)]
    return Scorecard(
        title=text("attainment.scorecard_title", lang, level=text(f"level.{level}", lang)),
        table=card[["indicator_id", "region_code", "status"]],  # what it draws (hashable: no list column)
        region_labels=names,
        indicator_labels={i: str(inds.loc[i, name_col("name", lang)]) for i in judged},
        status_labels={s: statuses.label(s, lang) for s in STATUS_ORDER},
        cell_text={(str(r.region_code), str(r.indicator_id)): _cell(str(r.status), r.pace) for r in card.itertuples()},
    )


def _download(
    own: pd.DataFrame,
    below: pd.DataFrame,
    inds: pd.DataFrame,
    targets: pd.DataFrame,
    names: dict[str, str],
    f: Filters,
    rule: str,
) -> Download:
    """Every indicator in the region and its sub-regions as judged here: the status as the label in
    the page's language beside its code, the date a late target was reached and the gap."""
    lang = f.lang
    rows = pd.concat([own, below], ignore_index=True)
    judged = pd.Timestamp(rows["judged_on"].iloc[0]).date().isoformat() if len(rows) else f.as_of.isoformat()
    basis = {
        (str(r["indicator_id"]), str(r["region_code"])): statuses.basis(r, lang) for r in targets.to_dict("records")
    }
    out = pd.DataFrame(
        {
            text("download.col.indicator_id", lang): rows["indicator_id"],
            text("attainment.indicator", lang): rows["indicator_id"].map(inds[name_col("name", lang)]),
            text("download.col.region_code", lang): rows["region_code"],
            text("download.col.region", lang): rows["region_code"].map(names),
            text("attainment.col.actual", lang): rows["actual"],
            text("attainment.col.target", lang): rows["target"],
            text("attainment.col.expected", lang): rows["expected"],
            text("attainment.col.pace", lang): rows["pace"],
            text("status.col.due", lang): rows["due_date"],
            text("status.col.judged_on", lang): rows["judged_on"],
            text("status.col.phasing", lang): [
                text(f"phasing.{p}", lang) if isinstance(p, str) else "" for p in rows["phasing"]
            ],
        }
    )
    out = pd.concat([out, statuses.download_columns(rows, lang)], axis=1)
    out[text("status.col.basis", lang)] = [
        basis.get((str(i), str(c)), "") for i, c in zip(rows["indicator_id"], rows["region_code"], strict=True)
    ]
    return Download(
        table=out,
        basename=f"attainment_{f.region}_{f.as_of.isoformat()}",
        notes=(
            text("download.attainment_note", lang, as_of=f.as_of.isoformat(), judged=judged),
            rule,
        ),
    )


def _series(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    indicator: str,
    ind: Mapping[str, Any],
    head: pd.DataFrame,
    region_name: str,
) -> Series:
    data = series_queries.indicator_series(
        con, plan_year=f.plan_year, indicator_id=indicator, region=f.region, as_of=f.as_of
    )
    phasing = head["phasing"].iloc[0] if len(head) else ind["phasing"]
    return Series(
        title=text("attainment.series_title", f.lang, region=region_name),
        data=data,
        y_title=str(ind[f"unit_{f.lang}"]),
        percent=ind["target_rule"] == "coverage",
        baseline_zero=starts_from_zero(data, target_rule=str(ind["target_rule"]), phasing=phasing),
    )


def starts_from_zero(series: pd.DataFrame, *, target_rule: str, phasing: object) -> bool:
    """A coverage's linear expected line starts from zero because January had no report
    (``series.baseline`` null): the chart must say so, or the line reads as the plan's own."""
    return (
        target_rule == "coverage"
        and phasing == "linear"
        and "baseline" in series
        and bool(series["baseline"].isna().all())
        and bool(series["expected"].notna().any())
    )


def _areas(
    items: pd.DataFrame,
    inds: pd.DataFrame,
    own: pd.DataFrame,
    below: pd.DataFrame,
    targets: dict[str, dict[Any, Any]],
    names: dict[str, str],
    lang: str,
) -> tuple[AreaTable, ...]:
    """Each area's judged indicators (not components) in the chosen region, in the plan's order,
    with the regions below that are out of time (missed, overdue) or behind the pace, worst first."""
    now = own.set_index("indicator_id")
    lagging = below[below["status"].isin(BEHIND)]
    lagging = lagging.assign(_sev=lagging["status"].map(STATUS_WORST_FIRST.index)).sort_values(
        ["_sev", "pace", "region_code"]
    )
    behind_of = {str(i): [str(c) for c in g["region_code"]] for i, g in lagging.groupby("indicator_id", sort=False)}
    shown = inds[~inds["is_component"].astype(bool)].sort_values(["item_no", "display_order"])
    areas = []
    for area_no, area in items.groupby("area_no", sort=True):
        mine = shown[shown["item_no"].isin(area["item_no"])]
        rows = []
        for i, ind in mine.iterrows():
            i = str(i)
            ind_row = {str(k): v for k, v in ind.items()}
            r: dict[str, Any] = {str(k): v for k, v in now.loc[i].items()} if i in now.index else {}
            status = str(r.get("status", "no_data"))
            target = targets.get(i)
            codes = tuple(behind_of.get(i, ()))
            rows.append(
                AreaRow(
                    item_no=int(ind["item_no"]),
                    indicator_id=i,
                    name=str(ind[name_col("name", lang)]),
                    interpreted=target is not None and str(target.get("basis")) == "interpreted",
                    basis=statuses.basis(target, lang),
                    actual=fmt.value(r.get("actual"), ind_row, lang),
                    target=fmt.value(r.get("target"), ind_row, lang),
                    expected=fmt.value(r.get("expected"), ind_row, lang),
                    pace=fmt.pct(r.get("pace")),
                    status=status,
                    status_label=statuses.label(status, lang, reached_on=r.get("reached_on")),
                    behind=codes,
                    behind_names=tuple(names.get(c, c) for c in codes),
                )
            )
        untargeted = area[area["n_indicators"] == 0]
        areas.append(
            AreaTable(
                area_no=int(str(area_no)),
                title=str(area[name_col("area_title", lang)].iloc[0]),
                rows=tuple(rows),
                untargeted=tuple(
                    (int(n), str(t))
                    for n, t in zip(untargeted["item_no"], untargeted[name_col("item_title", lang)], strict=True)
                ),
            )
        )
    return tuple(areas)
