"""The data explorer's pure logic: what an analyst may choose, the period windows, the pivot.

Every choice comes from a fixed list in this module (levels, grains, dimensions) or from the
plan's own tables (indicators, areas, items, regions), and reaches SQL only as a named
parameter of ``sql/queries/explorer_pivot.sql``; no caller text ever becomes SQL.

How a figure is aggregated is the indicator's own rule (``analytics/attainment.py``): the SQL
computes every cell *and every total* from the components (flows and milestones summed over
the window and the regions, stocks the last value up to the window's end summed over the
regions, ratios the sum of numerators over the sum of denominators). This module only lays
those figures out; it never adds up or averages a figure it is given.

The choices live in the URL (``?ind=…&level=…&grain=…&rows=…&cols=…&areas=…&items=…&regions=…``):
:func:`parse_state` reads them (an invalid value falls back and is reported, never raised) and
:func:`to_params` writes them back, so a copied link reproduces the pivot.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final, TypeVar

import pandas as pd

from analytics.training import KIND_INDICATOR, RATES

LEVELS: Final = ("province", "prefecture", "county")
GRAINS: Final = ("month", "quarter", "ytd")
# What a pivot's rows and columns can be made of. A dimension on neither axis is aggregated
# (regions: all regions chosen; periods: the whole span), except the indicator: figures in
# different units never add up, so several indicators always sit on an axis.
DIMENSIONS: Final = ("indicator", "region", "period")
# The member of a dimension that stands for all of its members (a total row or column).
ALL: Final = "__all__"
_T = TypeVar("_T")
# URL parameter of each choice.
PARAMS: Final = ("ind", "level", "grain", "rows", "cols", "areas", "items", "regions")
DEFAULT_INDICATOR: Final = "instructor_coverage"
DEFAULT_ROWS: Final = ("region",)
DEFAULT_COLS: Final = ("period",)
DEFAULT_GRAIN: Final = "quarter"
# A chart stays readable with this many indicators (one panel each) and series.
CHART_MAX_INDICATORS: Final = 6
CHART_MAX_SERIES: Final = 15


@dataclass(frozen=True)
class Measure:
    """A figure of the training register offered beside the plan's indicators (issue 20.7).

    Counted from the same rows as the training page (``sql/macros/training_*.sql``): a class
    counts once it has ended, in the month it ended; classes held by the organiser's region,
    participants by their county. The rates are :data:`analytics.training.RATES`, summed before
    dividing like every ratio of the explorer.
    """

    indicator_id: str
    kind: str  # flow (a count) | ratio
    scope: str  # "all" or a kind of class (analytics.training.KINDS)
    measure: str  # held | completion | attendance
    numerator_id: str | None = None
    denominator_id: str | None = None


# every kind of class together, then each kind the plan names (its item is the kind's milestone's)
TRAINING_SCOPES: Final = ("all", *KIND_INDICATOR)


def _training_measures() -> tuple[Measure, ...]:
    out = []
    for scope in TRAINING_SCOPES:
        out.append(Measure(f"training_held_{scope}", "flow", scope, "held"))
        for rate, (numerator, denominator) in RATES.items():
            out.append(
                Measure(
                    f"training_{rate}_{scope}",
                    "ratio",
                    scope,
                    rate,
                    numerator_id=f"training_{numerator}_{scope}",
                    denominator_id=f"training_{denominator}_{scope}",
                )
            )
    return tuple(out)


TRAINING_MEASURES: Final = _training_measures()
# a count from the register: a region and month without a row held no class (0), not "no report"
REGISTER_COUNTS: Final = frozenset(m.indicator_id for m in TRAINING_MEASURES if m.kind == "flow")


@dataclass(frozen=True)
class Period:
    """One column of time: the months from ``start`` to ``end`` (inclusive).

    Flows are summed over those months; stocks take their last value up to ``end`` (a region
    that did not report in the window keeps its earlier figure, as on every other page).
    """

    grain: str
    key: str  # "2023-03" (month), "2023Q1" (quarter), "2023-01..03" (year to date)
    start: dt.date
    end: dt.date
    partial: bool = False  # a quarter cut short by the as-of date


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def periods(grain: str, plan_year: int, as_of: dt.date) -> list[Period]:
    """The periods of ``grain`` in ``plan_year`` up to ``as_of``.

    month: each month; quarter: each quarter, the current one ending at ``as_of`` (marked
    partial); ytd: year to date at each month end (January to that month).
    """
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    ends = [_month_end(plan_year, m) for m in range(1, 13) if _month_end(plan_year, m) <= as_of]
    if grain == "month":
        return [Period(grain, f"{e:%Y-%m}", e.replace(day=1), e) for e in ends]
    if grain == "ytd":
        return [Period(grain, f"{plan_year}-01..{e:%m}", dt.date(plan_year, 1, 1), e) for e in ends]
    out = []
    for q in range(1, 5):
        start, full_end = dt.date(plan_year, 3 * q - 2, 1), _month_end(plan_year, 3 * q)
        if not ends or start > ends[-1]:
            break
        end = min(full_end, ends[-1])
        out.append(Period(grain, f"{plan_year}Q{q}", start, end, partial=end < full_end))
    return out


# --- the analyst's choices -----------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """Everything that decides a pivot; ``regions``, ``areas`` and ``items`` empty mean all."""

    indicators: tuple[str, ...]
    level: str
    grain: str = DEFAULT_GRAIN
    rows: tuple[str, ...] = DEFAULT_ROWS
    cols: tuple[str, ...] = DEFAULT_COLS
    areas: tuple[int, ...] = ()
    items: tuple[int, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Options:
    """What may be chosen: the plan's indicators (in display order) and the regions per level."""

    indicator_item: Mapping[str, int | None]  # indicator → its plan item (None: a measure of no single item)
    item_area: Mapping[int, int]  # plan item → its area
    levels: tuple[str, ...]  # the levels at or below the region the global filter shows
    regions_by_level: Mapping[str, Sequence[str]]
    default_level: str

    def items_in(self, areas: Iterable[int]) -> list[int]:
        chosen = set(areas)
        return [i for i in sorted(self.item_area) if not chosen or self.item_area[i] in chosen]

    def indicators_in(self, areas: Iterable[int], items: Iterable[int]) -> list[str]:
        """The indicators of the chosen areas and items; a measure of no single item (the training
        register's figures over every kind of class) only while no area or item is chosen."""
        chosen_areas = set(areas)
        shown = set(self.items_in(chosen_areas))
        picked = set(items) & shown
        unfiltered = not chosen_areas and not picked
        return [
            i
            for i, item in self.indicator_item.items()
            if (item is None and unfiltered) or (item is not None and item in (picked or shown))
        ]


@dataclass(frozen=True)
class Fallback:
    """A value the URL asked for that could not be used, and what was used instead."""

    param: str
    value: str
    reason: str  # invalid | moved (several indicators must sit on an axis)


@dataclass(frozen=True)
class Parsed:
    state: State
    fallbacks: tuple[Fallback, ...] = field(default=())


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _ints(values: list[str]) -> tuple[list[int], list[str]]:
    """The whole numbers among ``values``, and the rest."""
    return [int(v) for v in values if v.isdigit()], [v for v in values if not v.isdigit()]


def parse_state(params: Mapping[str, str], options: Options) -> Parsed:
    """The state a URL asks for, every value checked against ``options``.

    A parameter that is absent takes its default; a value that is not allowed is dropped
    (or replaced by the default when nothing valid is left) and reported as a
    :class:`Fallback`, so the page can say what it ignored instead of failing.
    """
    bad: list[Fallback] = []

    def note(param: str, values: Iterable[str]) -> None:
        bad.extend(Fallback(param, v, "invalid") for v in values)

    level = params.get("level", options.default_level)
    if level not in options.levels:
        note("level", [level])
        level = options.default_level
    grain = params.get("grain", DEFAULT_GRAIN)
    if grain not in GRAINS:
        note("grain", [grain])
        grain = DEFAULT_GRAIN

    areas, wrong = _ints(_split(params.get("areas")))
    known_areas = set(options.item_area.values())
    note("areas", wrong + [str(a) for a in areas if a not in known_areas])
    areas = _unique(a for a in areas if a in known_areas)
    items, wrong = _ints(_split(params.get("items")))
    allowed_items = set(options.items_in(areas))
    note("items", wrong + [str(i) for i in items if i not in allowed_items])
    items = _unique(i for i in items if i in allowed_items)

    allowed = options.indicators_in(areas, items)
    wanted = _split(params.get("ind"))
    note("ind", [i for i in wanted if i not in allowed])
    indicators = _unique(i for i in wanted if i in allowed)
    if not indicators and allowed:
        indicators = [DEFAULT_INDICATOR if DEFAULT_INDICATOR in allowed else allowed[0]]

    at_level = set(options.regions_by_level.get(level, ()))
    codes = _split(params.get("regions"))
    note("regions", [c for c in codes if c not in at_level])
    regions = _unique(c for c in codes if c in at_level)

    axes: dict[str, list[str]] = {}
    for axis, default in (("rows", DEFAULT_ROWS), ("cols", DEFAULT_COLS)):
        asked = _split(params[axis]) if axis in params else list(default)
        note(axis, [d for d in asked if d not in DIMENSIONS])
        valid = _unique(d for d in asked if d in DIMENSIONS)
        # an axis left empty on purpose stays empty; one whose every value was wrong takes its default
        axes[axis] = valid if valid or not asked else list(default)
    rows = axes["rows"]
    # a dimension sits on one axis only: the rows keep it
    cols = [d for d in axes["cols"] if d not in rows]

    state = State(
        indicators=tuple(indicators),
        level=level,
        grain=grain,
        rows=tuple(rows),
        cols=tuple(cols),
        areas=tuple(areas),
        items=tuple(items),
        regions=tuple(regions),
    )
    state, moved = normalise(state)
    return Parsed(state, tuple(bad) + moved)


def normalise(state: State) -> tuple[State, tuple[Fallback, ...]]:
    """Several indicators cannot be added up: put the indicator on the rows when it is on no axis."""
    if len(state.indicators) > 1 and "indicator" not in (*state.rows, *state.cols):
        return replace(state, rows=("indicator", *state.rows)), (Fallback("rows", "indicator", "moved"),)
    return state, ()


def to_params(state: State) -> dict[str, str]:
    """The URL parameters of ``state`` (the inverse of :func:`parse_state`)."""
    return {
        "ind": ",".join(state.indicators),
        "level": state.level,
        "grain": state.grain,
        "rows": ",".join(state.rows),
        "cols": ",".join(state.cols),
        "areas": ",".join(str(a) for a in state.areas),
        "items": ",".join(str(i) for i in state.items),
        "regions": ",".join(state.regions),
    }


def _unique(values: Iterable[_T]) -> list[_T]:
    return list(dict.fromkeys(values))


# --- the pivot -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pivot:
    """Figures laid out on rows and columns, keyed by member keys (:data:`ALL` for a total).

    ``table`` has a MultiIndex on both axes whose level names are the dimensions; with no
    dimension on an axis, that axis has the single member ``ALL``.
    """

    table: pd.DataFrame
    rows: tuple[str, ...]
    cols: tuple[str, ...]


def members(state: State, dim: str, *, regions: Sequence[str], period_keys: Sequence[str]) -> list[str]:
    """The members of ``dim`` on an axis: the chosen ones, then ``ALL`` where a total means something.

    Regions and periods get a total when there is more than one of them (year to date needs
    none: its last column is already the whole span); indicators never do.
    """
    if dim == "indicator":
        return list(state.indicators)
    if dim == "region":
        return [*regions, ALL] if len(regions) > 1 else list(regions)
    if dim == "period":
        return [*period_keys, ALL] if len(period_keys) > 1 and state.grain != "ytd" else list(period_keys)
    raise ValueError(f"unknown dimension {dim!r}")


def pivot(
    facts: pd.DataFrame,
    state: State,
    *,
    regions: Sequence[str],
    period_keys: Sequence[str],
    zeros: Collection[str] = REGISTER_COUNTS,
) -> Pivot:
    """Lay ``facts`` (``explorer_pivot.sql``: indicator_id, region_code, period, value …; a null
    region or period is the total over all of them) out as the analyst chose.

    Each cell is looked up, never computed: totals come from the SQL, composed from the
    components, so a ratio's total is the ratio of the sums. A cell of an indicator in
    ``zeros`` (a count from a complete register) without a row is 0; any other is missing.
    """
    row_index, col_index, data = _grid(_lookup(facts), state, regions, period_keys, zeros)
    figures = [[None if isinstance(v, tuple) else v for v in row] for row in data]
    table = pd.DataFrame(figures, index=row_index, columns=col_index, dtype="float64")
    return Pivot(table, state.rows, state.cols)


def blank_reasons(
    facts: pd.DataFrame,
    state: State,
    *,
    regions: Sequence[str],
    period_keys: Sequence[str],
    absent: Mapping[str, str],
) -> pd.DataFrame:
    """Why each cell of :func:`pivot`'s table is empty, laid out as the table ("" where it has a figure).

    ``facts`` has a column ``reason``: why its row has no value (None when it has one);
    ``absent``: indicator → the reason of a cell the facts have no row for.
    """
    keys = _keys(facts)
    reasons = dict(zip(keys, [None if r is None or r != r else str(r) for r in facts["reason"].tolist()], strict=True))
    filled = {k: "" for k, v in zip(keys, facts["value"].tolist(), strict=True) if v is not None and v == v}
    lookup = {**reasons, **filled}
    row_index, col_index, data = _grid(lookup, state, regions, period_keys, REGISTER_COUNTS)
    out = [[absent.get(str(v[1]), "") if isinstance(v, tuple) else v if isinstance(v, str) else "" for v in row]
           for row in data]  # fmt: skip
    return pd.DataFrame(out, index=row_index, columns=col_index, dtype=object)


def _grid(
    lookup: Mapping[tuple[str, str, str], object],
    state: State,
    regions: Sequence[str],
    period_keys: Sequence[str],
    zeros: Collection[str],
) -> tuple[pd.MultiIndex, pd.MultiIndex, list[list[object]]]:
    """The row and column keys of the pivot, and each cell's entry in ``lookup`` (by indicator,
    region, period): 0.0 for a missing cell of ``zeros``, else for a missing cell the tuple
    ``("missing", indicator)``, which :func:`pivot` reads as None and :func:`blank_reasons` as absent.
    """

    def axis(dims: tuple[str, ...]) -> pd.MultiIndex:
        if not dims:
            return pd.MultiIndex.from_tuples([(ALL,)], names=["_"])
        return pd.MultiIndex.from_product(
            [members(state, d, regions=regions, period_keys=period_keys) for d in dims], names=list(dims)
        )

    row_index, col_index = axis(state.rows), axis(state.cols)
    fixed = {"indicator": state.indicators[0] if state.indicators else "", "region": ALL, "period": ALL}
    # where each of (indicator, region, period) comes from: a position in the row or column key, or fixed
    where = [
        ("row", state.rows.index(d)) if d in state.rows else ("col", state.cols.index(d)) if d in state.cols else None
        for d in ("indicator", "region", "period")
    ]

    def part(spot: tuple[str, int] | None, dim: str, row: tuple[str, ...], col: tuple[str, ...]) -> str:
        if spot is None:
            return fixed[dim]
        return row[spot[1]] if spot[0] == "row" else col[spot[1]]

    def cell(key: tuple[str, str, str]) -> object:
        if key in lookup:
            return lookup[key]
        return 0.0 if key[0] in zeros else ("missing", key[0])

    rows, cols = [tuple(r) for r in row_index], [tuple(c) for c in col_index]
    data = [
        [
            cell((part(where[0], "indicator", r, c), part(where[1], "region", r, c), part(where[2], "period", r, c)))
            for c in cols
        ]
        for r in rows
    ]
    return row_index, col_index, data


def _keys(facts: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(indicator, region or ALL, period or ALL) of each row of ``facts``."""
    regions = facts["region_code"].astype(object).where(facts["region_code"].notna(), ALL).astype(str)
    periods = facts["period"].astype(object).where(facts["period"].notna(), ALL).astype(str)
    return list(zip(facts["indicator_id"].astype(str).tolist(), regions.tolist(), periods.tolist(), strict=True))


def _lookup(facts: pd.DataFrame) -> dict[tuple[str, str, str], float | None]:
    """(indicator, region or ALL, period or ALL) → value (None: no data)."""
    values = [None if v != v else float(v) for v in facts["value"].tolist()]  # NaN is the one value not equal to itself
    return dict(zip(_keys(facts), values, strict=True))


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def flatten(
    p: Pivot,
    *,
    labels: Mapping[str, Mapping[str, str]],
    dim_names: Mapping[str, str],
    value_name: str,
    scale: Mapping[str, float] | None = None,
    indicator: str | None = None,
) -> pd.DataFrame:
    """The pivot as a plain table: one leading column per row dimension (member labels), then one
    column per column member (labels joined with " · "); what a page shows and a download holds.

    ``scale`` multiplies an indicator's figures (ratios → percent); ``indicator`` is the one
    indicator when it sits on no axis.
    """
    scale = scale or {}
    table = p.table.copy()
    if scale:
        factors = [
            [scale.get(_indicator_at(p, tuple(row), tuple(col), indicator), 1.0) for col in table.columns]
            for row in table.index
        ]
        table = table * pd.DataFrame(factors, index=table.index, columns=table.columns)
    headers = [
        " · ".join(labels[d][m] for d, m in zip(p.cols, col, strict=True)) if p.cols else value_name
        for col in table.columns
    ]
    out = pd.DataFrame(table.to_numpy(), columns=_dedupe(headers))
    for depth, d in reversed(list(enumerate(p.rows))):
        out.insert(0, dim_names[d], [labels[d][row[depth]] for row in table.index])
    return out


def axis_indicators(p: Pivot) -> tuple[list[str] | None, list[str] | None]:
    """The indicator of each row and of each column of ``p`` (None for an axis without indicators)."""
    rows = [str(r[p.rows.index("indicator")]) for r in p.table.index] if "indicator" in p.rows else None
    cols = [str(c[p.cols.index("indicator")]) for c in p.table.columns] if "indicator" in p.cols else None
    return rows, cols


def _indicator_at(p: Pivot, row: tuple[str, ...], col: tuple[str, ...], fallback: str | None) -> str:
    if "indicator" in p.rows:
        return row[p.rows.index("indicator")]
    if "indicator" in p.cols:
        return col[p.cols.index("indicator")]
    return fallback or ""


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


# --- the chart -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartData:
    """What the chart of a pivot draws: one panel per indicator, ``x`` along the axis, one trace per series.

    ``frame`` has columns indicator_id, x, series, value (member keys; value scaled).
    ``kind`` is "line" when time runs along x, else "bar".
    """

    frame: pd.DataFrame
    x_dim: str | None
    series_dim: str | None
    kind: str
    indicators: tuple[str, ...]
    dropped_indicators: int
    dropped_series: int


def chart_data(
    facts: pd.DataFrame,
    state: State,
    *,
    regions: Sequence[str],
    period_keys: Sequence[str],
    scale: Mapping[str, float] | None = None,
) -> ChartData:
    """The chart's shape follows the pivot's: periods on x when they are shown (a line per
    region, or the total), else regions on x as bars; totals are left to the table."""
    scale = scale or {}
    shown = (*state.rows, *state.cols)
    x_dim: str | None
    if "period" in shown and len(period_keys) > 1:
        x_dim = "period"
    elif "region" in shown:
        x_dim = "region"
    elif "period" in shown:
        x_dim = "period"
    else:
        x_dim = None
    series_dim = next((d for d in ("region", "period") if d in shown and d != x_dim), None)
    keys = {"region": list(regions), "period": list(period_keys)}
    inds = state.indicators[:CHART_MAX_INDICATORS]
    series = keys[series_dim][:CHART_MAX_SERIES] if series_dim else [ALL]
    xs = keys[x_dim] if x_dim else [ALL]

    def at(dim: str, x: str, s: str) -> str:
        return x if x_dim == dim else s if series_dim == dim else ALL

    # (indicator, region, period) of each point drawn → (indicator, x, series), series by series
    wanted = {(ind, at("region", x, s), at("period", x, s)): (ind, x, s) for ind in inds for s in series for x in xs}
    found = _lookup(facts)
    # every point the axes call for, in the pivot's order; one not reported is a gap (None), not 0
    # (a register's count without a row is 0: no class held)
    rows = [
        {
            "indicator_id": ind,
            "x": x,
            "series": srs,
            "value": _scaled(found.get(key, 0.0 if ind in REGISTER_COUNTS else None), scale.get(ind, 1.0)),
        }
        for key, (ind, x, srs) in wanted.items()
    ]
    frame = pd.DataFrame(rows, columns=["indicator_id", "x", "series", "value"]).astype({"value": "float64"})
    return ChartData(
        frame=frame.reset_index(drop=True),
        x_dim=x_dim,
        series_dim=series_dim,
        kind="line" if x_dim == "period" else "bar",
        indicators=tuple(inds),
        dropped_indicators=len(state.indicators) - len(inds),
        dropped_series=(len(keys[series_dim]) - len(series)) if series_dim else 0,
    )
