"""Data explorer (数据探索): any indicators, by region level and period grain, as a pivot with totals.

Every choice is kept in the URL (see analytics/explorer.py), so a copied link reproduces the view.
Cells and totals come from ``cached.explorer_facts``, computed from the components by each
indicator's own rule; this page only lays them out, draws them and offers them as downloads.
"""

from __future__ import annotations

import calendar
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from analytics import explorer
from analytics.explorer import ALL, DIMENSIONS, GRAINS
from analytics.queries import PROVINCE_CODE
from ui import auth, cached, downloads
from ui.charts import explorer as charts
from ui.components import page_header, show_chart
from ui.i18n import current_lang, name_col, t
from ui.state import Filters, current_filters

# widget key of each URL parameter
KEYS = {p: f"explorer_{p}" for p in explorer.PARAMS}


def render(f: Filters) -> None:
    auth.require("analyst", "explorer")  # app.py refuses it first; the page checks again
    page_header("explorer.title", f)
    st.markdown(t("explorer.intro"))
    version, lang = f.data_version, f.lang
    inds = cached.indicators(version, f.plan_year).set_index("indicator_id")
    items = cached.plan_items(version, f.plan_year).set_index("item_no")
    levels = explorer.LEVELS if f.region == PROVINCE_CODE else explorer.LEVELS[1:]
    regions = {lv: cached.regions_at_level(version, lv, f.region) for lv in levels}
    options = explorer.Options(
        indicator_item={str(i): int(n) for i, n in inds["item_no"].items()},
        item_area={int(n): int(a) for n, a in items["area_no"].items()},
        levels=levels,
        regions_by_level={lv: list(r["region_code"]) for lv, r in regions.items()},
        default_level=f.level_below,
    )
    _seed_from_url(options)
    state = _choices(options, inds, items, regions)
    for key, value in explorer.to_params(state).items():
        if not value and key in ("areas", "items", "regions"):  # absent and empty mean the same: all
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != value:  # write only what changed: each write is a message
            st.query_params[key] = value
    if not state.indicators:
        st.info(t("explorer.no_indicators"))
        return
    periods = explorer.periods(state.grain, f.plan_year, f.as_of)
    if not periods:
        st.info(t("explorer.no_periods"))
        return
    codes = [c for c in regions[state.level]["region_code"] if not state.regions or c in state.regions]
    facts = cached.explorer_facts(
        version, f.plan_year, f.as_of, state.level, state.grain, f.region, state.indicators, state.regions
    )
    keys = [p.key for p in periods]
    scale = {i: 100.0 for i in state.indicators if inds.loc[i, "kind"] == "ratio"}  # shares shown in %
    labels = _labels(inds, regions[state.level], periods, lang)
    laid_out = explorer.pivot(facts, state, regions=codes, period_keys=keys)
    table = explorer.flatten(
        laid_out,
        labels=labels,
        dim_names={d: t(f"explorer.dim.{d}") for d in DIMENSIONS},
        value_name=labels["indicator"][state.indicators[0]],
        scale=scale,
        indicator=state.indicators[0],
    )
    value_cols = list(table.columns[len(state.rows) :])
    st.subheader(t("explorer.pivot_title"))
    st.caption(t("explorer.shape", rows=len(table), cols=len(value_cols), grain=t(f"explorer.grain.{state.grain}")))
    st.dataframe(
        _display(table, laid_out, value_cols, percent=set(scale), only=state.indicators[0]),
        hide_index=True,
        column_config={
            **{
                c: st.column_config.TextColumn(pinned=True, width="large" if d == "indicator" else "medium")
                for c, d in zip(table.columns, state.rows, strict=False)
            },
            **{c: st.column_config.TextColumn(alignment="right") for c in value_cols},
        },
        height=min(38 + 35 * len(table), 600),
    )
    st.caption(t("explorer.rules") + " " + t("explorer.no_data_note"))
    st.caption(
        "　".join(
            t("explorer.rule_line", name=labels["indicator"][i], kind=t(f"kind.{inds.loc[i, 'kind']}"))
            for i in state.indicators
        )
    )
    page = {k: v for k, v in explorer.to_params(state).items() if v or k in ("rows", "cols")}  # an empty axis counts
    choices = urlencode({"year": f.plan_year, "as_of": f.as_of.isoformat(), "region": f.region, **page})
    notes = [
        t("explorer.title"),
        t("explorer.note_as_of", as_of=f.as_of.isoformat()),
        t("explorer.note_link", params=choices),  # how to get the same table back
        t("explorer.rules"),
    ]
    if cached.manifest(version).demo:
        notes.append(t("demo.short"))
    downloads.download_buttons(table, "explorer", key="explorer_pivot", notes=notes, formats=("csv", "xlsx", "parquet"))

    data = explorer.chart_data(facts, state, regions=codes, period_keys=keys, scale=scale)
    # a chart of one figure per indicator says nothing the table does not
    if data.frame["value"].notna().any() and len(data.frame) > len(data.indicators):
        st.subheader(t("explorer.chart_title"))
        show_chart(charts.pivot_chart(data, labels=labels), key="explorer_chart", filters=f)
        if data.dropped_indicators or data.dropped_series:
            st.caption(t("explorer.chart_cut", indicators=len(data.indicators), series=explorer.CHART_MAX_SERIES))


def _seed_from_url(options: explorer.Options) -> None:
    """On the page's first run in a session, the widgets start from what the URL says."""
    if KEYS["level"] in st.session_state:
        return
    parsed = explorer.parse_state({k: str(v) for k, v in st.query_params.items()}, options)
    s = parsed.state
    values: dict[str, object] = {
        "ind": list(s.indicators),
        "level": s.level,
        "grain": s.grain,
        "rows": list(s.rows),
        "cols": list(s.cols),
        "areas": list(s.areas),
        "items": list(s.items),
        "regions": list(s.regions),
    }
    for param, value in values.items():
        st.session_state[KEYS[param]] = value
    st.session_state["explorer_fallbacks"] = parsed.fallbacks


def _choices(
    options: explorer.Options, inds: pd.DataFrame, items: pd.DataFrame, regions: dict[str, pd.DataFrame]
) -> explorer.State:
    """Draw the widgets (each choice checked against what is allowed now) and return the state they say."""
    lang = current_lang()
    for fb in st.session_state.pop("explorer_fallbacks", ()):
        st.info(t(f"explorer.fallback.{fb.reason}", param=fb.param, value=fb.value))
    ss = st.session_state
    with st.expander(t("explorer.filter_title"), expanded=bool(ss[KEYS["areas"]] or ss[KEYS["items"]])):
        left, right = st.columns(2)
        area_titles = items.drop_duplicates("area_no").set_index("area_no")[f"area_title_{lang}"]
        left.multiselect(
            t("explorer.areas"),
            sorted(set(options.item_area.values())),
            key=KEYS["areas"],
            format_func=lambda a: t("explorer.area_option", no=a, title=area_titles.get(a, "")),
            placeholder=t("explorer.all_placeholder"),
        )
        item_options = options.items_in(ss[KEYS["areas"]])
        ss[KEYS["items"]] = [i for i in ss[KEYS["items"]] if i in item_options]
        right.multiselect(
            t("explorer.items"),
            item_options,
            key=KEYS["items"],
            format_func=lambda i: t("explorer.item_option", no=i, title=items.loc[i, f"item_title_{lang}"]),
            placeholder=t("explorer.all_placeholder"),
        )
    ind_options = options.indicators_in(ss[KEYS["areas"]], ss[KEYS["items"]])
    ss[KEYS["ind"]] = [i for i in ss[KEYS["ind"]] if i in ind_options]
    st.multiselect(
        t("explorer.indicators"),
        ind_options,
        key=KEYS["ind"],
        format_func=lambda i: _indicator_label(inds, i, lang),
        placeholder=t("explorer.indicators_placeholder"),
    )
    # several indicators never add up: they sit on an axis (the rows unless the columns have them)
    if len(ss[KEYS["ind"]]) > 1 and "indicator" not in (*ss[KEYS["rows"]], *ss[KEYS["cols"]]):
        ss[KEYS["rows"]] = ["indicator", *ss[KEYS["rows"]]]
        st.caption(t("explorer.fallback.moved", param="rows", value="indicator"))
    if ss[KEYS["level"]] not in options.levels:  # the sidebar's region changed to a prefecture
        ss[KEYS["level"]] = options.default_level
    c1, c2 = st.columns(2)
    c1.segmented_control(
        t("explorer.level"),
        list(options.levels),
        key=KEYS["level"],
        format_func=lambda lv: t(f"level.{lv}"),
        required=True,
    )
    c2.segmented_control(
        t("explorer.grain"),
        list(GRAINS),
        key=KEYS["grain"],
        format_func=lambda g: t(f"explorer.grain.{g}"),
        required=True,
    )
    at_level = regions[ss[KEYS["level"]]]
    names = _region_names(at_level, lang)
    ss[KEYS["regions"]] = [c for c in ss[KEYS["regions"]] if c in names]
    st.multiselect(
        t("explorer.regions"),
        list(names),
        key=KEYS["regions"],
        format_func=lambda c: names.get(c, c),
        placeholder=t("explorer.regions_placeholder"),
    )
    c4, c5 = st.columns(2)
    dim_label = {d: t(f"explorer.dim.{d}") for d in DIMENSIONS}
    # a dimension sits on one axis: choosing it for one takes it off the other
    for col, axis in ((c4, "rows"), (c5, "cols")):
        col.multiselect(
            t(f"explorer.{axis}"),
            DIMENSIONS,
            key=KEYS[axis],
            format_func=dim_label.get,
            on_change=_one_axis,
            args=(axis,),
            placeholder=t("explorer.axis_placeholder"),
        )
    return explorer.State(
        indicators=tuple(ss[KEYS["ind"]]),
        level=ss[KEYS["level"]],
        grain=ss[KEYS["grain"]],
        rows=tuple(ss[KEYS["rows"]]),
        cols=tuple(ss[KEYS["cols"]]),
        areas=tuple(ss[KEYS["areas"]]),
        items=tuple(ss[KEYS["items"]]),
        regions=tuple(ss[KEYS["regions"]]),
    )


def _one_axis(changed: str) -> None:
    other = KEYS["cols" if changed == "rows" else "rows"]
    chosen = set(st.session_state[KEYS[changed]])
    st.session_state[other] = [d for d in st.session_state[other] if d not in chosen]


def _indicator_label(inds: pd.DataFrame, indicator_id: str, lang: str) -> str:
    row = inds.loc[indicator_id]
    return t("explorer.unit_label", name=row[f"name_{lang}"], unit=row[f"unit_{lang}"])


def _region_names(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    """Code → name in the UI language; a name two regions share gets its code, so rows stay apart."""
    names = frame[name_col("name", lang)].fillna(frame["name_zh"]).astype(str)
    twice = set(names[names.duplicated(keep=False)])
    return {c: (f"{n} {c}" if n in twice else n) for c, n in zip(frame["region_code"], names, strict=True)}


def _labels(
    inds: pd.DataFrame, at_level: pd.DataFrame, periods: list[explorer.Period], lang: str
) -> dict[str, dict[str, str]]:
    return {
        "indicator": {str(i): _indicator_label(inds, str(i), lang) for i in inds.index},
        "region": {**_region_names(at_level, lang), ALL: t("explorer.total")},
        "period": {**{p.key: _period_label(p) for p in periods}, ALL: t("explorer.whole_period")},
    }


def _period_label(p: explorer.Period) -> str:
    def month(m: int) -> str:
        return t("explorer.month", m=m, abbr=calendar.month_abbr[m])

    if p.grain == "quarter":
        q = (p.start.month + 2) // 3
        return t("explorer.quarter_partial", q=q, end=month(p.end.month)) if p.partial else t("explorer.quarter", q=q)
    if p.grain == "ytd" and p.end.month > 1:
        return t("explorer.span", end=p.end.month, end_abbr=calendar.month_abbr[p.end.month])
    return month(p.end.month)


def _display(
    table: pd.DataFrame, laid_out: explorer.Pivot, value_cols: list[str], *, percent: set[str], only: str
) -> pd.DataFrame:
    """The figures as text: percentages with one decimal, other figures whole where they are whole,
    "—" where nothing was reported (a table cell would show a missing number as "None")."""
    by_row, by_col = explorer.axis_indicators(laid_out)
    out = table.copy()
    for c, col in enumerate(value_cols):
        out[col] = [
            _number(v, (by_row[r] if by_row else by_col[c] if by_col else only) in percent)
            for r, v in enumerate(table[col])
        ]
    return out


def _number(value: object, percent: bool) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    v = float(value)  # type: ignore[arg-type]
    return f"{v:,.1f}" if percent or not v.is_integer() else f"{v:,.0f}"


render(current_filters())
