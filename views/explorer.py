"""The data explorer (数据探索) as data: what an analyst may choose, and the pivot of the choice.

``view(con, filters, **choices)`` is the page's one recipe: the option lists with their labels,
the choice fitted to what is allowed now, the pivot as the download holds it (numbers) and as
the page shows it (text), its captions, the notes of a download and the chart's data.
pages/explorer.py draws it; the benchmark times ``view(con, filters)``, the page's default view.

A choice left out (``None``) takes the page's default (analytics/explorer.py: the default
indicator, by quarter, regions on the rows and periods on the columns, at the level below the
region). A choice given is fitted as the page's widgets fit it during a session: items outside
the chosen areas, indicators outside the chosen items and regions outside the level are
dropped, a level the region does not have goes back to the default, and several indicators go
onto the rows when no axis has them (``moved``). An empty tuple of indicators stays empty (the
analyst cleared them: the model says so in ``empty``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import duckdb
import pandas as pd

from analytics import explorer, queries
from analytics.explorer import ALL, DIMENSIONS, GRAINS
from analytics.queries import explorer as explorer_queries
from analytics.training import KIND_INDICATOR
from views.filters import Filters
from views.i18n import name_col, text

# the aggregation benchmarks/references.py compares this view with (python -m benchmarks)
REFERENCE = "actuals"

TRAINING = explorer.TRAINING_MEASURES  # the training register's measures, beside the plan's indicators

# the URL parameters an empty value may be left out of (empty and absent both mean all)
OPTIONAL_PARAMS = ("areas", "items", "regions")


@dataclass(frozen=True)
class Choices:
    """What may be chosen, with each option's label in the filters' language."""

    options: explorer.Options  # the allowed values (parse_state and the widgets check against them)
    areas: dict[int, str]  # area number → "1. title"
    items: dict[int, str]  # item number → "5. title"
    indicators: dict[str, str]  # indicator id → "name（unit）"
    regions: dict[str, dict[str, str]]  # level → region code → name (a name two regions share: with its code)
    levels: dict[str, str]  # level → its name
    grains: dict[str, str]  # grain → its name
    dimensions: dict[str, str]  # dimension → its name


@dataclass(frozen=True)
class ExplorerModel:
    filters: Filters
    choices: Choices
    state: explorer.State  # the choice, fitted (the page writes it back to its widgets and the URL)
    moved: bool  # several indicators were put on the rows
    empty: str  # why there is no table ("" when there is one): no indicator chosen, no period yet
    table: pd.DataFrame  # the pivot's figures (shares in percent): what the download holds
    display: pd.DataFrame  # the same, each figure as text ("—": nothing reported)
    row_dims: tuple[str, ...]  # the dimension of each leading (row) column of ``table``
    value_columns: tuple[str, ...]  # the figures' columns of ``table``
    shape: str  # "14 行 × 4 列数值 · 按季度"
    rules: str  # how totals are computed
    blanks: tuple[str, ...]  # why the table's empty cells are empty: one line per reason it shows
    rule_lines: str  # each indicator's aggregation rule
    link: str  # the choices as URL parameters: how to get the same table back
    notes: tuple[str, ...]  # the download's notes (the page adds the demo data's, if any)
    labels: dict[str, dict[str, str]]  # dimension → member key → label (the chart's and the table's)
    chart: explorer.ChartData | None  # None: one figure per indicator, which the table says already
    chart_cut: str  # "" unless the chart leaves indicators or series out

    @property
    def params(self) -> dict[str, str]:
        """The URL parameters of the fitted choice (empty optional ones left out)."""
        return {k: v for k, v in explorer.to_params(self.state).items() if v or k not in OPTIONAL_PARAMS}


def view(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    *,
    indicators: tuple[str, ...] | None = None,
    level: str | None = None,
    grain: str | None = None,
    rows: tuple[str, ...] | None = None,
    cols: tuple[str, ...] | None = None,
    areas: tuple[int, ...] | None = None,
    items: tuple[int, ...] | None = None,
    regions: tuple[str, ...] | None = None,
) -> ExplorerModel:
    """The explorer for ``f`` and the analyst's choices (each ``None``: the page's default)."""
    lang = f.lang
    inds = queries.indicators(con, plan_year=f.plan_year).set_index("indicator_id")
    plan = queries.plan_items(con, plan_year=f.plan_year).set_index("item_no")
    level_list = explorer.LEVELS if f.region == f.province else explorer.LEVELS[1:]
    at_levels = {lv: queries.regions_at_level(con, level=lv, within=f.region) for lv in level_list}
    choices = _choices(inds, plan, at_levels, f)
    kinds = {**{str(i): str(k) for i, k in inds["kind"].items()}, **{m.indicator_id: m.kind for m in TRAINING}}
    default = explorer.parse_state({}, choices.options).state
    asked = explorer.State(
        indicators=default.indicators if indicators is None else tuple(indicators),
        level=default.level if level is None else level,
        grain=default.grain if grain is None else grain,
        rows=default.rows if rows is None else tuple(rows),
        cols=default.cols if cols is None else tuple(cols),
        areas=default.areas if areas is None else tuple(areas),
        items=default.items if items is None else tuple(items),
        regions=default.regions if regions is None else tuple(regions),
    )
    state, moved = fit(asked, choices)
    blank = _Blank(f, choices, state, moved)
    if not state.indicators:
        return blank.model(text("explorer.no_indicators", lang))
    periods = explorer.periods(state.grain, f.plan_year, f.as_of)
    if not periods:
        return blank.model(text("explorer.no_periods", lang))

    codes = [c for c in at_levels[state.level]["region_code"] if not state.regions or c in state.regions]
    facts = explorer_queries.pivot_facts(
        con,
        plan_year=f.plan_year,
        as_of=f.as_of,
        level=state.level,
        grain=state.grain,
        within=f.region,
        indicator_ids=state.indicators,
        regions=state.regions,
    )
    keys = [p.key for p in periods]
    scale = {i: 100.0 for i in state.indicators if kinds[i] == "ratio"}  # shares shown in %
    labels = {
        "indicator": choices.indicators,
        "region": {**choices.regions[state.level], ALL: text("explorer.total", lang)},
        "period": {**{p.key: _period_label(p, lang) for p in periods}, ALL: text("explorer.whole_period", lang)},
    }
    laid_out = explorer.pivot(facts, state, regions=codes, period_keys=keys)
    why = _Why(con, f, state, inds)
    reasons = explorer.blank_reasons(
        why.of_rows(facts), state, regions=codes, period_keys=keys, absent=why.absent(state.indicators)
    )
    table = explorer.flatten(
        laid_out,
        labels=labels,
        dim_names=choices.dimensions,
        value_name=labels["indicator"][state.indicators[0]],
        scale=scale,
        indicator=state.indicators[0],
    )
    value_cols = tuple(str(c) for c in table.columns[len(state.rows) :])
    link = _link(f, state)
    data = explorer.chart_data(facts, state, regions=codes, period_keys=keys, scale=scale)
    # a chart of one figure per indicator says nothing the table does not
    drawn = bool(data.frame["value"].notna().any()) and len(data.frame) > len(data.indicators)
    cut = drawn and bool(data.dropped_indicators or data.dropped_series)
    return ExplorerModel(
        filters=f,
        choices=choices,
        state=state,
        moved=moved,
        empty="",
        table=table,
        display=_display(
            table,
            laid_out,
            list(value_cols),
            percent=set(scale),
            only=state.indicators[0],
            why=reasons.map(lambda r: text(f"explorer.blank.{r}", lang) if r else ""),
        ),
        row_dims=state.rows,
        value_columns=value_cols,
        shape=text(
            "explorer.shape",
            lang,
            rows=len(table),
            cols=len(value_cols),
            grain=choices.grains[state.grain],
        ),
        rules=" ".join(
            [text("explorer.rules", lang)]
            # the training register's measures say how they are counted, as the training page does
            + ([text("explorer.training_note", lang)] if any(i in why.training for i in state.indicators) else [])
        ),
        blanks=why.legend(reasons, labels["indicator"], choices),
        rule_lines="　".join(
            text("explorer.rule_line", lang, name=labels["indicator"][i], kind=text(f"kind.{kinds[i]}", lang))
            for i in state.indicators
        ),
        link=link,
        notes=(
            text("explorer.title", lang),
            text("explorer.note_as_of", lang, as_of=f.as_of.isoformat()),
            text("explorer.note_link", lang, params=link),  # how to get the same table back
            text("explorer.rules", lang),
            *why.legend(reasons, labels["indicator"], choices),
        ),
        labels=labels,
        chart=data if drawn else None,
        chart_cut=text("explorer.chart_cut", lang, indicators=len(data.indicators), series=explorer.CHART_MAX_SERIES)
        if cut
        else "",
    )


def fit(state: explorer.State, choices: Choices) -> tuple[explorer.State, bool]:
    """``state`` within what may be chosen now, as the page's widgets keep it; True when several
    indicators were put on the rows (no axis had them)."""
    o = choices.options
    known_areas = set(o.item_area.values())
    areas = tuple(a for a in state.areas if a in known_areas)
    allowed_items = set(o.items_in(areas))
    items = tuple(i for i in state.items if i in allowed_items)
    allowed = set(o.indicators_in(areas, items))
    indicators = tuple(i for i in state.indicators if i in allowed)
    level = state.level if state.level in o.levels else o.default_level
    at_level = choices.regions[level]
    fitted = replace(
        state,
        indicators=indicators,
        level=level,
        grain=state.grain if state.grain in GRAINS else explorer.DEFAULT_GRAIN,
        rows=tuple(d for d in state.rows if d in DIMENSIONS),
        cols=tuple(d for d in state.cols if d in DIMENSIONS and d not in state.rows),
        areas=areas,
        items=items,
        regions=tuple(c for c in state.regions if c in at_level),
    )
    fitted, moved = explorer.normalise(fitted)
    return fitted, bool(moved)


@dataclass(frozen=True)
class _Blank:
    """A model without a table (nothing chosen, or no period yet)."""

    f: Filters
    choices: Choices
    state: explorer.State
    moved: bool

    def model(self, why: str) -> ExplorerModel:
        return ExplorerModel(
            filters=self.f,
            choices=self.choices,
            state=self.state,
            moved=self.moved,
            empty=why,
            table=pd.DataFrame(),
            display=pd.DataFrame(),
            row_dims=self.state.rows,
            value_columns=(),
            shape="",
            rules="",
            blanks=(),
            rule_lines="",
            link=_link(self.f, self.state),
            notes=(),
            labels={},
            chart=None,
            chart_cut="",
        )


def _choices(inds: pd.DataFrame, plan: pd.DataFrame, at_levels: dict[str, pd.DataFrame], f: Filters) -> Choices:
    lang = f.lang
    area_titles = plan.drop_duplicates("area_no").set_index("area_no")[name_col("area_title", lang)]
    item_area = {int(str(n)): int(a) for n, a in plan["area_no"].items()}
    names = _with_training({str(i): _unit_label(row, lang) for i, row in inds.iterrows()}, lang)
    item_of: dict[str, int | None] = {str(i): int(n) for i, n in inds["item_no"].items()}
    for m in TRAINING:
        milestone = KIND_INDICATOR.get(m.scope)
        item_of[m.indicator_id] = item_of.get(milestone) if milestone else None
    return Choices(
        options=explorer.Options(
            indicator_item={i: item_of[i] for i in names},
            item_area=item_area,
            levels=tuple(at_levels),
            regions_by_level={lv: list(r["region_code"]) for lv, r in at_levels.items()},
            default_level=f.level_below,
        ),
        areas={
            a: text("explorer.area_option", lang, no=a, title=area_titles.get(a, ""))
            for a in sorted(set(item_area.values()))
        },
        items={
            int(n): text("explorer.item_option", lang, no=n, title=plan.loc[n, name_col("item_title", lang)])
            for n in sorted(item_area)
        },
        indicators=names,
        regions={lv: _region_names(frame, lang) for lv, frame in at_levels.items()},
        levels={lv: text(f"level.{lv}", lang) for lv in at_levels},
        grains={g: text(f"explorer.grain.{g}", lang) for g in GRAINS},
        dimensions={d: text(f"explorer.dim.{d}", lang) for d in DIMENSIONS},
    )


def _unit_label(row: pd.Series, lang: str) -> str:
    return text("explorer.unit_label", lang, name=row[name_col("name", lang)], unit=row[name_col("unit", lang)])


def _with_training(plan: dict[str, str], lang: str) -> dict[str, str]:
    """The plan's indicators with the training register's measures among them: a kind's measures
    right after the plan's milestone of that kind (家庭健康指导员师资培训班 then its classes held,
    completion and attendance), the measures of every class together last."""

    def label(m: explorer.Measure) -> str:
        scope = text("explorer.scope.all", lang) if m.scope == "all" else text(f"training.kind.{m.scope}", lang)
        unit = text("explorer.unit.classes", lang) if m.kind == "flow" else "%"
        return text(
            "explorer.unit_label", lang, name=text(f"explorer.measure.{m.measure}", lang, kind=scope), unit=unit
        )

    after: dict[str, list[explorer.Measure]] = {}
    for m in TRAINING:
        milestone = KIND_INDICATOR.get(m.scope)
        after.setdefault(milestone if milestone in plan else "", []).append(m)
    out: dict[str, str] = {}
    for indicator, name in plan.items():
        out[indicator] = name
        out.update({m.indicator_id: label(m) for m in after.get(indicator, [])})
    out.update({m.indicator_id: label(m) for m in after.get("", [])})
    return out


# why a cell is empty (explorer.blank.<reason>): the region has not reported; the indicator is
# reported only above the level shown; a ratio's base is 0; no class with trainees from here ended
BLANK_REASONS = ("no_report", "not_at_level", "zero_base", "no_class")
DEPTH = {lv: n for n, lv in enumerate(explorer.LEVELS)}


class _Why:
    """Why a cell has no figure, from what the facts and the reports say."""

    def __init__(self, con: duckdb.DuckDBPyConnection, f: Filters, state: explorer.State, inds: pd.DataFrame) -> None:
        self.f, self.level = f, state.level
        self.training = {m.indicator_id for m in TRAINING}
        plan = [i for i in state.indicators if i in inds.index]
        # a ratio is reported as deep as its base (the denominator)
        self.base = {i: str(inds.loc[i, "denominator_id"]) if inds.loc[i, "kind"] == "ratio" else i for i in plan}
        self.depth = explorer_queries.reported_depth(con, plan_year=f.plan_year, indicator_ids=list(self.base.values()))

    def _above(self, indicator: str) -> bool:
        """Reported, but only above the level shown (the province's own milestone at prefecture level)."""
        depth = self.depth.get(self.base.get(indicator, indicator))
        return depth is not None and depth < DEPTH[self.level]

    def absent(self, indicators: tuple[str, ...]) -> dict[str, str]:
        """The reason of a cell the facts have no row for, per indicator."""
        return {
            i: "no_class" if i in self.training else "not_at_level" if self._above(i) else "no_report"
            for i in indicators
        }

    def of_rows(self, facts: pd.DataFrame) -> pd.DataFrame:
        """``facts`` with ``reason``: why a row without a value has none (None where it has one)."""
        training = facts["indicator_id"].isin(self.training)
        zero_base = facts["denominator"].fillna(-1).eq(0)
        reason = pd.Series("no_report", index=facts.index, dtype=object)
        reason[zero_base] = "zero_base"
        reason[training] = "no_class"
        return facts.assign(reason=reason.where(facts["value"].isna(), None))

    def legend(self, reasons: pd.DataFrame, names: dict[str, str], choices: Choices) -> tuple[str, ...]:
        """One line per reason the table shows, in the filters' language."""
        lang = self.f.lang
        shown = set(reasons.to_numpy().ravel()) - {""}
        lines = []
        for reason in BLANK_REASONS:
            if reason not in shown:
                continue
            if reason == "not_at_level":
                above = [i for i in self.base if self._above(i)]
                # above the level shown: the province, or prefectures when counties are shown
                reported = {explorer.LEVELS[self.depth[self.base[i]]] for i in above}
                line = text(
                    "explorer.blank_note.not_at_level",
                    lang,
                    word=text("explorer.blank.not_at_level", lang),
                    names=text("explorer.list_sep", lang).join(names[i] for i in above),
                    reported=text("explorer.list_sep", lang).join(
                        text(f"explorer.reported_by.{lv}", lang) for lv in sorted(reported, key=DEPTH.__getitem__)
                    ),
                    level=choices.levels.get(self.level, self.level),
                )
                # the plan's class milestones are the province's own: the classes held everywhere are the register's
                hints = [
                    m.indicator_id for m in TRAINING if m.measure == "held" and KIND_INDICATOR.get(m.scope) in above
                ]
                if hints:
                    line += text(
                        "explorer.blank_note.register_hint",
                        lang,
                        measures=text("explorer.list_sep", lang).join(names.get(h, h) for h in hints),
                    )
                lines.append(line)
            else:
                lines.append(text(f"explorer.blank_note.{reason}", lang, word=text(f"explorer.blank.{reason}", lang)))
        return tuple(lines)


def _region_names(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    """Code → name in ``lang``; a name two regions share gets its code, so rows stay apart."""
    names = frame[name_col("name", lang)].fillna(frame["name_zh"]).astype(str)
    twice = set(names[names.duplicated(keep=False)])
    return {str(c): (f"{n} {c}" if n in twice else n) for c, n in zip(frame["region_code"], names, strict=True)}


def _period_label(p: explorer.Period, lang: str) -> str:
    def month(m: int) -> str:
        return text("explorer.month", lang, m=m, abbr=calendar.month_abbr[m])

    if p.grain == "quarter":
        q = (p.start.month + 2) // 3
        if p.partial:
            return text("explorer.quarter_partial", lang, q=q, end=month(p.end.month))
        return text("explorer.quarter", lang, q=q)
    if p.grain == "ytd" and p.end.month > 1:
        return text("explorer.span", lang, end=p.end.month, end_abbr=calendar.month_abbr[p.end.month])
    return month(p.end.month)


def _link(f: Filters, state: explorer.State) -> str:
    """The filters and choices as URL parameters (an empty axis counts: it is a choice)."""
    page = {k: v for k, v in explorer.to_params(state).items() if v or k in ("rows", "cols")}
    return urlencode({"year": f.plan_year, "as_of": f.as_of.isoformat(), "region": f.region, **page})


def _display(
    table: pd.DataFrame,
    laid_out: explorer.Pivot,
    value_cols: list[str],
    *,
    percent: set[str],
    only: str,
    why: pd.DataFrame,
) -> pd.DataFrame:
    """The figures as text: percentages with one decimal, other figures whole where they are whole,
    and where a cell has none the word saying why (``why``: the reasons laid out as the pivot; a
    table cell would show a missing number as "None")."""
    by_row, by_col = explorer.axis_indicators(laid_out)
    out = table.copy()
    reasons = why.to_numpy()
    for c, col in enumerate(value_cols):
        out[col] = [
            _number(v, (by_row[r] if by_row else by_col[c] if by_col else only) in percent, reasons[r][c])
            for r, v in enumerate(table[col])
        ]
    return out


def _number(value: object, percent: bool, reason: str) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return reason or "—"
    v = float(value)  # type: ignore[arg-type]
    return f"{v:,.1f}" if percent or not v.is_integer() else f"{v:,.0f}"
