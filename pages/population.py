"""Population indicators (人口指标) for researchers: real published figures, each with its source and year.

Sections: the region's year-end series (with the 2019/2020 break), the prefectures in the 2020
census (small multiples, map, sortable table), the prefectures' year-end vital rates, the
association's figures per resident (demo × real) with a scatter, the sources, the downloads.
The rules (what is in force, gaps, bases) live in analytics/population.py; figures in
ui/charts/population.py.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics import population as P
from analytics.contract import POPULATION_MEASURES, POPULATION_SOURCE_TIERS
from analytics.queries import PROVINCE_CODE
from ui import cached
from ui.charts import population as charts
from ui.components import page_header
from ui.downloads import download_buttons
from ui.i18n import name_col, t
from ui.state import Filters, current_filters, page_choice

CONFIG = {"displaylogo": False}
# the data's unit (or an association measure) → the catalog key of its display unit
UNIT_KEYS = {
    "persons": "persons",
    "‰": "permille",
    "%": "percent",
    "per 100 females": "per_100_females",
    "persons per household": "per_household",
    "childcare_places_per_1000": "places_per_1000",
    "instructors_per_10000": "per_10000",
    "funds_per_resident": "yuan_per_resident",
}
# table headers (population.col.*): the long figure table, the census and association tables, the sources table
COLUMNS = (
    *(c for c in P.FIGURE_COLUMNS if c not in ("name_zh", "name_en")),
    "name",
    *(c for c in charts.ASSOC_COLUMNS if c not in P.ASSOCIATION_MEASURES),
    *("measures", "years", "regions", "figures", "qualities", "tiers"),
)
QUALITIES = ("published", "compiled", "derived", "low_confidence", "missing")


def vocab(lang: str) -> charts.Vocab:
    words = (
        *("source", "file", "quality", "basis", "reference_date", "missing", "series_break", "province_line"),
        *("tier", "official_source"),
        *("selected", "population", "sep", "colon", "paren", "semicolon", "count_suffix", "count_scale"),
    )
    return charts.Vocab(
        name_col=name_col("name", lang),
        measures={m: t(f"population.measure.{m}") for m in (*POPULATION_MEASURES, *P.ASSOCIATION_MEASURES)},
        units={u: t(f"population.unit.{k}") for u, k in UNIT_KEYS.items()},
        qualities={q: t(f"population.quality.{q}") for q in QUALITIES},
        bases={b: t(f"population.basis.{b}") for b in (P.RESIDENT, P.HOUSEHOLD_REGISTRATION)},
        words={w: t(f"population.word.{w}") for w in words},
        columns={c: t(f"population.col.{c}") for c in COLUMNS},
        tiers={**{s: t(f"population.tier.{s}") for s in POPULATION_SOURCE_TIERS}, "": t("population.tier.none")},
    )


def render(filters: Filters) -> None:
    page_header("population.title", filters)
    st.markdown(t("population.intro"))
    v, lang = filters.data_version, filters.lang
    voc = vocab(lang)
    candidates = cached.population_candidates(v)
    figures = cached.population_figures(v)
    regions = cached.population_regions(v)
    highlight = None if filters.region == PROVINCE_CODE else filters.region
    per_capita = cached.population_per_capita(v, filters.plan_year, filters.as_of)

    series = _series(regions, filters.region, voc, v)
    census = cached.population_census(v)
    _census(census, per_capita, highlight, voc, filters)
    vital = _vital(highlight, voc, v)
    _association(per_capita, census, highlight, voc, filters)
    shown = pd.concat([f for f in (*series, census, *vital) if not f.empty], ignore_index=True)
    _sources(shown, figures, candidates, per_capita, voc, filters)


def _series(regions: pd.DataFrame, region: str, voc: charts.Vocab, version: str) -> list[pd.DataFrame]:
    years, series, other = cached.population_series(version, region)
    mine = regions[regions["region_code"] == region]
    span = f"{years[0]}–{years[-1]}" if years else "—"
    st.subheader(t("population.series.title", region=charts.region_name(mine.iloc[0], voc), years=span))
    if not years:
        st.info(t("population.series.empty"))
        return []
    # built once per data version and inputs (ui.cached.figure): the six panels cost 0.2 s to build
    fig = cached.figure(version, charts.series_grid, series, other, voc, measures=P.PROVINCE_SERIES)
    st.plotly_chart(fig, key="population_series_chart", config=CONFIG)
    st.caption(t("population.series.note"))
    return [series, other]


def _census(
    census: pd.DataFrame, per_capita: pd.DataFrame, highlight: str | None, voc: charts.Vocab, filters: Filters
) -> None:
    st.subheader(t("population.census.title"))
    fig = cached.figure(
        filters.data_version,
        charts.census_multiples,
        census,
        voc,
        measures=P.CENSUS_COMPARISON,
        province_code=PROVINCE_CODE,
        highlight=highlight,
    )
    st.plotly_chart(fig, key="population_census_chart", config=CONFIG)
    st.caption(t("population.census.note"))
    left, right = st.columns([5, 6], gap="large")
    with left:
        st.markdown(f"**{t('population.map.title')}**")
        options = [*P.CENSUS_COMPARISON, *P.ASSOCIATION_MEASURES]
        measure = page_choice("population_map_measure", options, "age_65plus_share")
        st.selectbox(
            t("population.map.measure"), options, format_func=voc.measures.__getitem__, key="population_map_measure"
        )
        prefs = census[census["region_code"] != PROVINCE_CODE]
        if measure in P.ASSOCIATION_MEASURES:
            values = per_capita.set_index("region_code")[measure]
            hover = charts.association_hover(per_capita, census, voc, [measure], _assoc_source(filters))
            note = t("population.map.note", source=_assoc_map_source(filters))
        else:
            part = prefs[prefs["measure"] == measure]
            values = part.set_index("region_code")["value"]
            hover = {row["region_code"]: charts.figure_hover(row, voc) for _, row in part.iterrows()}
            note = t("population.map.note", source=t("population.map.source_census"))
        codes = prefs.drop_duplicates("region_code")[["region_code"]]
        colors, lo, hi = charts.map_colors(values.reindex(codes["region_code"]).to_dict())
        unit = voc.units.get(POPULATION_MEASURES.get(measure, measure), "")
        labels = {
            r["region_code"]: charts.map_label(charts.region_name(r, voc))
            for _, r in prefs.drop_duplicates("region_code").iterrows()
        }
        fig = cached.region_map(
            filters.data_version,
            "prefecture",
            codes,
            colors=colors,
            labels=labels,
            hover=hover,
            colorbar=(unit, charts.MAP_COLORSCALE, lo, hi),
            outline=(highlight, charts.HIGHLIGHT) if highlight else None,
            height=520,
        )
        st.plotly_chart(fig, key="population_map", config=CONFIG)
        st.caption(note)
    with right:
        st.markdown(f"**{t('population.table.title')}**")
        table = charts.census_table(census, voc, measures=P.CENSUS_COMPARISON, highlight=highlight)
        st.dataframe(table, key="population_census_table", hide_index=True)
        items = charts.quality_items(census, voc, all_regions=t("population.table.all_regions"))
        if items:
            st.caption(t("population.table.derived", items=voc.words["semicolon"].join(items)))
        if (census["quality"] == "compiled").any():
            st.caption(t("population.table.compiled"))


def _vital(highlight: str | None, voc: charts.Vocab, version: str) -> list[pd.DataFrame]:
    years = cached.population_vital_years(version)
    if not years:
        return []
    st.subheader(t("population.vital.title", years=f"{years[0]}–{years[-1]}"))
    measure = page_choice("population_vital_measure", list(P.VITAL_MEASURES), "birth_rate")
    st.selectbox(
        t("population.vital.measure"),
        P.VITAL_MEASURES,
        format_func=voc.measures.__getitem__,
        key="population_vital_measure",
    )
    grid, other = cached.population_vital(version, measure)
    fig = cached.figure(version, charts.vital_heatmap, grid, other, voc, measure=measure, highlight=highlight)
    st.plotly_chart(fig, key="population_vital_chart", config=CONFIG)
    st.caption(t("population.vital.note"))
    return [grid, other]


def _assoc_source(filters: Filters) -> str:
    return t("population.assoc.source", as_of=filters.as_of.isoformat())


def _assoc_map_source(filters: Filters) -> str:
    return t("population.map.source_assoc", as_of=filters.as_of.isoformat())


def _association(
    per_capita: pd.DataFrame, census: pd.DataFrame, highlight: str | None, voc: charts.Vocab, filters: Filters
) -> None:
    st.subheader(t("population.assoc.title"))
    st.caption(t("population.assoc.note", as_of=filters.as_of.isoformat()))
    wide = census.pivot_table(index="region_code", columns="measure", values="value", aggfunc="first", sort=False)
    frame = per_capita.merge(wide.drop(columns=["population"]), left_on="region_code", right_index=True, how="left")
    frame = frame.merge(
        census.drop_duplicates("region_code")[["region_code", "name_zh", "name_en"]], on="region_code", how="left"
    )
    prefs = frame[frame["region_code"] != PROVINCE_CODE]
    x = page_choice("population_scatter_x", list(P.SCATTER_MEASURES), "age_0_14_share")
    y = page_choice("population_scatter_y", list(P.SCATTER_MEASURES), "childcare_places_per_1000")
    cx, cy = st.columns(2)
    name = voc.measures.__getitem__
    cx.selectbox(t("population.assoc.x"), P.SCATTER_MEASURES, format_func=name, key="population_scatter_x")
    cy.selectbox(t("population.assoc.y"), P.SCATTER_MEASURES, format_func=name, key="population_scatter_y")
    hover = charts.association_hover(prefs, census, voc, [x, y], _assoc_source(filters))
    fig = charts.association_scatter(prefs, voc, x=x, y=y, hover=hover, highlight=highlight)
    st.plotly_chart(fig, key="population_scatter", config=CONFIG)
    left_out = prefs[prefs[x].isna() | prefs[y].isna()]
    if not left_out.empty:
        st.caption(t("population.assoc.left_out", names=voc.names(left_out)))
    partial = frame[frame["funds_partial"]]
    if not partial.empty:
        st.caption(t("population.assoc.partial", names=voc.names(partial)))
    table = charts.assoc_styled(frame, voc, highlight=highlight)
    st.dataframe(table, key="population_assoc_table", hide_index=True)


def _sources(
    shown: pd.DataFrame,
    figures: pd.DataFrame,
    candidates: pd.DataFrame,
    per_capita: pd.DataFrame,
    voc: charts.Vocab,
    filters: Filters,
) -> None:
    sep = voc.words["sep"]
    st.subheader(t("population.sources.title"))
    st.caption(t("population.sources.note"))
    table = P.sources_table(shown, voc.measures, voc.qualities, sep=sep, tier_names=voc.tiers)
    assoc = pd.DataFrame(
        [
            {
                "source": _assoc_source(filters),
                "source_file": "exports/",
                "measures": sep.join(voc.measures[m] for m in P.ASSOCIATION_MEASURES),
                "years": str(filters.plan_year),
                "regions": int(per_capita["region_code"].nunique()),
                "figures": int(per_capita[list(P.ASSOCIATION_MEASURES)].notna().sum().sum()),
                "qualities": t("population.assoc.demo_quality"),
                "tiers": "",
            }
        ]
    )
    table = pd.concat([table, assoc], ignore_index=True)
    headers = {c: voc.columns[c] for c in table.columns}
    st.dataframe(
        table.rename(columns=headers),
        key="population_sources_table",
        hide_index=True,
        column_config={headers["source"]: st.column_config.TextColumn(width="large")},
    )
    counts = figures[figures["value"].notna()].groupby("source_file").size()
    files = sep.join(t("population.sources.file_count", file=f, n=int(n)) for f, n in counts.items())
    st.caption(t("population.sources.files", files=files))
    lost = P.replaced(candidates)
    if not lost.empty:
        with st.expander(t("population.replaced.title", n=len(lost))):
            st.caption(t("population.replaced.note"))
            view = pd.DataFrame(
                {
                    t("population.col.name"): lost[voc.name_col].fillna(lost["name_zh"]),
                    t("population.col.year"): lost["year"],
                    t("population.col.measure"): lost["measure"].map(voc.measures),
                    t("population.col.basis"): lost["basis"].map(voc.bases),
                    t("population.col.replaced_value"): lost["value"],
                    t("population.col.replaced_file"): lost["source_file"],
                    t("population.col.value_in_force"): lost["value_in_force"],
                    t("population.col.file_in_force"): lost["source_file_in_force"],
                }
            )
            st.dataframe(view, key="population_replaced_table", hide_index=True)

    st.subheader(t("population.download.title"))
    years = P.year_span(shown.loc[shown["value"].notna(), "year"])
    citation = t("population.citation", date=dt.date.today().isoformat(), years=years, as_of=filters.as_of.isoformat())
    lines = [f"{r.source} ({r.source_file}; {r.measures}; {r.years})" for r in table.itertuples(index=False)]
    # the population figures cite the statistics only; the association table cites its reports too
    notes = [citation, t("population.citation.sources"), *lines[:-1]]
    export = P.export_table(
        shown,
        headers=voc.columns,
        measure_names=voc.measures,
        quality_names=voc.qualities,
        basis_names=voc.bases,
        name_col=voc.name_col,
        tier_names=voc.tiers,
    )
    st.markdown(t("population.download.figures"))
    download_buttons(
        export, "population_figures", key="population_figures", notes=notes, formats=("csv", "xlsx", "parquet")
    )
    st.markdown(t("population.download.assoc"))
    assoc_notes = [citation, t("population.citation.demo"), t("population.citation.sources"), *lines]
    frame = per_capita.merge(figures[["region_code", "name_zh", "name_en"]].drop_duplicates(), on="region_code")
    download_buttons(
        charts.assoc_table(frame, voc),
        "population_association",
        key="population_association",
        notes=assoc_notes,
        formats=("csv", "xlsx", "parquet"),
    )


render(current_filters())
