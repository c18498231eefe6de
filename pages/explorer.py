"""Data explorer (数据探索): any indicators, by region level and period grain, as a pivot with totals.

Lays out :func:`views.explorer.view`'s model (through ``cached.view``: the pivot of a choice is
the same for every session on the same data). Every choice is kept in the URL (see
analytics/explorer.py), so a copied link reproduces the view; cells and totals are computed
from the components by each indicator's own rule, and this page only lays them out, draws them
and offers them as downloads.
"""

from __future__ import annotations

import streamlit as st

from analytics import explorer
from analytics.explorer import DIMENSIONS, GRAINS
from ui import auth, cached, downloads
from ui.charts import explorer as charts
from ui.components import page_header, show_chart
from ui.i18n import t
from ui.state import Filters, current_filters
from ui.theme import MUTED_TEXT
from views.explorer import BLANK_REASONS, OPTIONAL_PARAMS, ExplorerModel

# widget key of each URL parameter
KEYS = {p: f"explorer_{p}" for p in explorer.PARAMS}
# the view's keyword of each widget
CHOICES = {
    "ind": "indicators",
    "level": "level",
    "grain": "grain",
    "rows": "rows",
    "cols": "cols",
    "areas": "areas",
    "items": "items",
    "regions": "regions",
}


def render(f: Filters) -> None:
    auth.require("analyst", "explorer")  # app.py refuses it first; the page checks again
    page_header("explorer.title", f)
    st.markdown(t("explorer.intro"))
    model: ExplorerModel = cached.view("explorer", f)  # the default view; its options check a link
    _seed_from_url(model.choices.options)
    asked = _asked()
    if asked != _state_choices(model.state):
        model = cached.view("explorer", f, **asked)
    _keep(model)
    _widgets(model)
    for key, value in explorer.to_params(model.state).items():
        if not value and key in OPTIONAL_PARAMS:  # absent and empty mean the same: all
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != value:  # write only what changed: each write is a message
            st.query_params[key] = value
    if model.empty:
        st.info(model.empty)
        return
    st.subheader(t("explorer.pivot_title"))
    st.caption(model.shape)
    # the words saying why a cell is empty are muted: the figures stand out from them
    blanks = {t(f"explorer.blank.{r}") for r in BLANK_REASONS}
    st.dataframe(
        model.display.style.map(
            lambda cell: f"color: {MUTED_TEXT}" if cell in blanks else "", subset=list(model.value_columns)
        ),
        hide_index=True,
        column_config={
            **{
                c: st.column_config.TextColumn(pinned=True, width="large" if d == "indicator" else "medium")
                for c, d in zip(model.table.columns, model.row_dims, strict=False)
            },
            **{c: st.column_config.TextColumn(alignment="right") for c in model.value_columns},
        },
        height=min(38 + 35 * len(model.table), 600),
    )
    for line in model.blanks:  # why a cell has no figure: the words the table shows, explained
        st.caption(line)
    st.caption(model.rules)
    st.caption(model.rule_lines)
    notes = list(model.notes)
    if cached.manifest(f.data_version).demo:
        notes.append(t("demo.short"))
    downloads.download_buttons(
        model.table, "explorer", key="explorer_pivot", notes=notes, formats=("csv", "xlsx", "parquet")
    )
    if model.chart is not None:
        st.subheader(t("explorer.chart_title"))
        show_chart(charts.pivot_chart(model.chart, labels=model.labels), key="explorer_chart", filters=f)
        if model.chart_cut:
            st.caption(model.chart_cut)


def _state_choices(state: explorer.State) -> dict[str, object]:
    """A fitted choice as the view's keywords."""
    return {view_key: _hashable(param, getattr(state, view_key)) for param, view_key in CHOICES.items()}


def _asked() -> dict[str, object]:
    """The choices the widgets hold, as the view's keywords."""
    return {view_key: _hashable(param, st.session_state[KEYS[param]]) for param, view_key in CHOICES.items()}


def _hashable(param: str, value: object) -> object:
    """A widget's value as a cache key takes it: a level or grain as it is, a list as a tuple."""
    return value if param in ("level", "grain") else tuple(value)  # type: ignore[call-overload]


def _seed_from_url(options: explorer.Options) -> None:
    """On the page's first run in a session, the widgets start from what the URL says."""
    if KEYS["level"] in st.session_state:
        return
    parsed = explorer.parse_state({k: str(v) for k, v in st.query_params.items()}, options)
    for param, view_key in CHOICES.items():
        value = getattr(parsed.state, view_key)
        st.session_state[KEYS[param]] = value if param in ("level", "grain") else list(value)
    st.session_state["explorer_fallbacks"] = parsed.fallbacks


def _keep(model: ExplorerModel) -> None:
    """The widgets hold the choice as the view fitted it (before they are drawn)."""
    for param, view_key in CHOICES.items():
        value = getattr(model.state, view_key)
        value = value if param in ("level", "grain") else list(value)
        if st.session_state.get(KEYS[param]) != value:
            st.session_state[KEYS[param]] = value


def _widgets(model: ExplorerModel) -> None:
    """Draw the widgets over the model's option lists and labels."""
    for fb in st.session_state.pop("explorer_fallbacks", ()):
        st.info(t(f"explorer.fallback.{fb.reason}", param=fb.param, value=fb.value))
    c, s = model.choices, model.state
    with st.expander(t("explorer.filter_title"), expanded=bool(s.areas or s.items)):
        left, right = st.columns(2)
        left.multiselect(
            t("explorer.areas"),
            list(c.areas),
            key=KEYS["areas"],
            format_func=c.areas.get,
            placeholder=t("explorer.all_placeholder"),
        )
        right.multiselect(
            t("explorer.items"),
            c.options.items_in(s.areas),
            key=KEYS["items"],
            format_func=c.items.get,
            placeholder=t("explorer.all_placeholder"),
        )
    st.multiselect(
        t("explorer.indicators"),
        c.options.indicators_in(s.areas, s.items),
        key=KEYS["ind"],
        format_func=c.indicators.get,
        placeholder=t("explorer.indicators_placeholder"),
    )
    if model.moved:  # several indicators never add up: they sit on an axis
        st.caption(t("explorer.fallback.moved", param="rows", value="indicator"))
    c1, c2 = st.columns(2)
    c1.segmented_control(
        t("explorer.level"), list(c.levels), key=KEYS["level"], format_func=c.levels.get, required=True
    )
    c2.segmented_control(t("explorer.grain"), list(GRAINS), key=KEYS["grain"], format_func=c.grains.get, required=True)
    names = c.regions[s.level]
    st.multiselect(
        t("explorer.regions"),
        list(names),
        key=KEYS["regions"],
        format_func=lambda code: names.get(code, code),
        placeholder=t("explorer.regions_placeholder"),
    )
    c4, c5 = st.columns(2)
    # a dimension sits on one axis: choosing it for one takes it off the other
    for col, axis in ((c4, "rows"), (c5, "cols")):
        col.multiselect(
            t(f"explorer.{axis}"),
            DIMENSIONS,
            key=KEYS[axis],
            format_func=c.dimensions.get,
            on_change=_one_axis,
            args=(axis,),
            placeholder=t("explorer.axis_placeholder"),
        )


def _one_axis(changed: str) -> None:
    other = KEYS["cols" if changed == "rows" else "rows"]
    chosen = set(st.session_state[KEYS[changed]])
    st.session_state[other] = [d for d in st.session_state[other] if d not in chosen]


render(current_filters())
