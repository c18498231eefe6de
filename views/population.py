"""Population indicators (人口指标) as data: the region's year-end series, the prefectures in the 2020
census (map, table), the prefectures' year-end vital rates, the association's figures per resident,
the sources, and the downloads.

``view(con, filters, **choices)`` is the page's one recipe: pages/population.py lays it out, the
benchmark times ``view(con, filters)`` (the page's default choices). The rules (what is in force,
gaps, bases) are analytics/population.py's; the figures are built by ui/charts/population.py from
the model's frames and its :class:`Vocab` (the words in the filters' language).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import duckdb
import pandas as pd

from analytics import population as P
from analytics import queries
from analytics.contract import POPULATION_MEASURES, POPULATION_SOURCE_TIERS
from analytics.population import ASSOCIATION_MEASURES, CENSUS_YEAR, MISSING, tier_label
from analytics.queries import PROVINCE_CODE
from analytics.queries import population as population_queries
from views.filters import Filters
from views.i18n import name_col, text
from views.source_notes import source_note

# the aggregation benchmarks/references.py compares this view with (python -m benchmarks)
REFERENCE = "population"

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
QUALITIES = ("published", "compiled", "derived", "low_confidence", "missing")
WORDS = (
    *("source", "file", "quality", "basis", "reference_date", "missing", "series_break", "province_line"),
    *("tier", "official_source"),
    *("selected", "population", "sep", "colon", "paren", "semicolon"),
)
# the page's choices and their defaults
MAP_MEASURES = (*P.CENSUS_COMPARISON, *P.ASSOCIATION_MEASURES)
DEFAULT_MAP = "age_65plus_share"
DEFAULT_VITAL = "birth_rate"
DEFAULT_X = "age_0_14_share"
DEFAULT_Y = "childcare_places_per_1000"


DECIMALS = {
    "persons": 0,
    "‰": 2,
    "%": 2,
    "per 100 females": 2,
    "persons per household": 2,
    "childcare_places_per_1000": 3,
    "instructors_per_10000": 2,
    "funds_per_resident": 4,
    "wan_yuan": 2,  # money in 万元 on a Chinese page (the association table): to the hundred yuan
}


SOURCE_WIDTH = 60  # characters per hover line of a source
SOURCE_MAX = 180


@dataclass(frozen=True)
class Vocab:
    """The words a figure needs, in the UI's language."""

    name_col: str  # name_zh or name_en
    measures: Mapping[str, str]  # measure → name
    units: Mapping[str, str]  # data unit (or association measure) → display unit
    qualities: Mapping[str, str]
    bases: Mapping[str, str]
    words: Mapping[str, str] = field(default_factory=dict)  # source, file, quality, basis, year, missing, …
    columns: Mapping[str, str] = field(default_factory=dict)  # table headers: region_code, name, population, …
    tiers: Mapping[str, str] = field(default_factory=dict)  # source tier → name; "" → tier not stated

    @property
    def lang(self) -> str:
        """The language the words are in (the suffix of ``name_col``)."""
        return self.name_col.rsplit("_", 1)[-1]

    def paren(self, head: str, inner: str) -> str:
        """``head（inner）`` in Chinese, ``head (inner)`` in English."""
        return head + self.words["paren"].format(inner=inner) if inner else head

    def names(self, frame: pd.DataFrame) -> str:
        """The region names of ``frame``'s rows, joined as a list in the UI's language."""
        return self.words["sep"].join(region_name(r, self) for _, r in frame.iterrows())

    def label(self, word: str, text: object) -> str:
        """``来源：…`` / ``Source: …``."""
        return f"{self.words[word]}{self.words['colon']}{text}"


def fmt(value: object, unit: str) -> str:
    """A value in its unit's precision; missing → "—"."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    return f"{float(value):,.{DECIMALS.get(unit, 2)}f}"  # type: ignore[arg-type]


def _wrap(text: str) -> str:
    text = text if len(text) <= SOURCE_MAX else text[: SOURCE_MAX - 1] + "…"
    return "<br>  ".join(text[i : i + SOURCE_WIDTH] for i in range(0, len(text), SOURCE_WIDTH))


def region_name(row: Mapping[str, Any] | pd.Series, vocab: Vocab) -> str:
    """The region's name in the UI's language, the Chinese name where there is no other."""
    name = row.get(vocab.name_col)
    if name is None or pd.isna(name):  # type: ignore[call-overload]
        name = row.get("name_zh")
    return str(name)


def figure_hover(row: Mapping[str, Any] | pd.Series, vocab: Vocab, *, with_region: bool = True) -> str:
    """Hover text of one population figure: what, where, when, value, basis, quality, source, file."""
    w = vocab.words
    unit = str(row["unit"]) if pd.notna(row.get("unit")) else ""  # type: ignore[call-overload]
    head = f"<b>{region_name(row, vocab)}</b> · " if with_region else ""
    lines = [f"{head}{vocab.measures.get(str(row['measure']), row['measure'])} · {int(row['year'])}"]  # type: ignore[call-overload]
    if row["quality"] == MISSING or pd.isna(row["value"]):  # type: ignore[call-overload]
        lines.append(f"{w['missing']}")
    else:
        lines.append(f"{fmt(row['value'], unit)} {vocab.units.get(unit, unit)}")
    lines.append(vocab.label("basis", vocab.bases.get(str(row["basis"]), row["basis"])))
    lines.append(vocab.label("quality", vocab.qualities.get(str(row["quality"]), row["quality"])))
    tier = tier_label(row.get("source_tier"), row["quality"], vocab.tiers)
    if tier:
        lines.append(vocab.label("tier", tier))
    if pd.notna(row.get("reference_date")):  # type: ignore[call-overload]
        lines.append(vocab.label("reference_date", pd.Timestamp(row["reference_date"]).date().isoformat()))  # type: ignore[arg-type]
    if pd.notna(row.get("source")):  # type: ignore[call-overload]
        lines.append(vocab.label("source", _wrap(str(row["source"]))))
    if pd.notna(row.get("official_source")) and row["quality"] != MISSING:  # type: ignore[call-overload]
        lines.append(vocab.label("official_source", _wrap(str(row["official_source"]))))
    if pd.notna(row.get("source_file")):  # type: ignore[call-overload]
        lines.append(vocab.label("file", row["source_file"]))
    return "<br>".join(lines)


def map_label(name: str, width: int = 14) -> str:
    """A region name broken onto lines of about ``width`` columns for a map label (a Chinese
    character is two columns): at spaces in English, in the middle of a long Chinese name
    such as 湘西土家族苗族自治州."""

    def columns(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    if columns(name) <= width:
        return name
    if " " not in name:
        half = (len(name) + 1) // 2
        return name[:half] + "<br>" + name[half:]
    lines: list[str] = []
    for word in name.split():
        if lines and columns(lines[-1]) + 1 + columns(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def association_hover(
    frame: pd.DataFrame, census: pd.DataFrame, vocab: Vocab, measures: Sequence[str], assoc_source: str
) -> dict[str, str]:
    """Hover text per region of ``frame`` (per_capita columns, census measures optional): each of
    ``measures`` with its value, year, quality and source; association ratios name both their
    sources (the association's report and the census population).
    """
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    names: dict[str, dict[str, Any]] = {}
    for r in census.to_dict("records"):
        rec = {str(k): v for k, v in r.items()}
        rows.setdefault((str(rec["region_code"]), str(rec["measure"])), rec)
        names.setdefault(str(rec["region_code"]), rec)
    out: dict[str, str] = {}
    for r in frame.to_dict("records"):
        row = {str(k): v for k, v in r.items()}
        code = str(row["region_code"])
        lines = [f"<b>{region_name(names[code], vocab) if code in names else code}</b>"]
        for m in measures:
            if m in ASSOCIATION_MEASURES:
                value = row.get(m)
                shown = vocab.words["missing"] if pd.isna(value) else f"{fmt(value, m)} {vocab.units.get(m, '')}"
                lines.append(f"{vocab.measures[m]}{vocab.words['colon']}{shown}")
                lines.append("  " + vocab.label("source", assoc_source))
                pop = rows.get((code, "population"))
                if pop is not None:
                    tier = tier_label(pop.get("source_tier"), pop["quality"], vocab.tiers)
                    lines.append(
                        "  "
                        + vocab.label(
                            "population",
                            f"{fmt(pop['value'], 'persons')} · {CENSUS_YEAR} · "
                            f"{vocab.qualities.get(str(pop['quality']), pop['quality'])}"
                            + (f" · {tier}" if tier else ""),
                        )
                    )
                    if pd.notna(pop["source"]):
                        lines.append("  " + vocab.label("source", _wrap(str(pop["source"]))))
            elif (code, m) in rows:
                fig = rows[(code, m)]
                unit = str(fig["unit"]) if pd.notna(fig["unit"]) else ""
                shown = (
                    vocab.words["missing"]
                    if pd.isna(fig["value"])
                    else f"{fmt(fig['value'], unit)} {vocab.units.get(unit, unit)}"
                )
                quality = vocab.qualities.get(str(fig["quality"]), fig["quality"])
                tier = tier_label(fig.get("source_tier"), fig["quality"], vocab.tiers)
                quality += f" · {tier}" if tier else ""
                lines.append(f"{vocab.measures[m]}{vocab.words['colon']}{shown} · {CENSUS_YEAR} · {quality}")
                if pd.notna(fig["source"]):
                    lines.append("  " + vocab.label("source", _wrap(str(fig["source"]))))
        out[code] = "<br>".join(lines)
    return out


# the association's per-resident figures as the table shows them: the query's columns without the
# key and the flag that only marks a partial sum
ASSOC_COLUMNS: Final = tuple(c for c in P.PER_CAPITA_COLUMNS if c not in ("region_code", "funds_partial"))


def quality_items(census: pd.DataFrame, vocab: Vocab, *, all_regions: str) -> list[str]:
    """Which census figures are derived or low confidence: "15–64 share (all regions)", "sex ratio (Loudi)"."""
    odd = census[census["quality"].isin(["derived", "low_confidence"])]
    every = census["region_code"].nunique()
    return [
        vocab.paren(
            vocab.measures[str(m)], all_regions if part["region_code"].nunique() == every else vocab.names(part)
        )
        for m, part in odd.groupby("measure", sort=False)
    ]


def assoc_header(column: str, vocab: Vocab) -> str:
    if column in ASSOCIATION_MEASURES:
        return vocab.paren(vocab.measures[column], vocab.units[column])
    return vocab.columns[column]


def assoc_table(frame: pd.DataFrame, vocab: Vocab) -> pd.DataFrame:
    """The association figures per resident as a table with the UI's headers (for the page and the download)."""
    out = pd.DataFrame(
        {
            vocab.columns["region_code"]: frame["region_code"].to_numpy(),
            vocab.columns["name"]: [region_name(r, vocab) for _, r in frame.iterrows()],
        }
    )
    for column in ASSOC_COLUMNS:
        out[assoc_header(column, vocab)] = frame[column].to_numpy()
    return out


# table headers (population.col.*): the long figure table, the census and association tables, the sources table
COLUMNS = (
    *(c for c in P.FIGURE_COLUMNS if c not in ("name_zh", "name_en")),
    "name",
    *(c for c in ASSOC_COLUMNS if c not in P.ASSOCIATION_MEASURES),
    *("measures", "years", "regions", "figures", "qualities", "tiers"),
)


def vocab(lang: str) -> Vocab:
    """The words the population figures and tables need, in ``lang``."""
    return Vocab(
        name_col=name_col("name", lang),
        measures={m: text(f"population.measure.{m}", lang) for m in (*POPULATION_MEASURES, *P.ASSOCIATION_MEASURES)},
        units={u: text(f"population.unit.{k}", lang) for u, k in UNIT_KEYS.items()},
        qualities={q: text(f"population.quality.{q}", lang) for q in QUALITIES},
        bases={b: text(f"population.basis.{b}", lang) for b in (P.RESIDENT, P.HOUSEHOLD_REGISTRATION)},
        words={w: text(f"population.word.{w}", lang) for w in WORDS},
        columns={c: text(f"population.col.{c}", lang) for c in COLUMNS},
        tiers={
            **{s: text(f"population.tier.{s}", lang) for s in POPULATION_SOURCE_TIERS},
            "": text("population.tier.none", lang),
        },
    )


@dataclass(frozen=True)
class Series:
    """The region's year-end series (no years: the region has none)."""

    title: str
    years: tuple[int, ...]
    series: pd.DataFrame  # resident figures, gaps kept (analytics.population.complete)
    other: pd.DataFrame  # household-registration figures, drawn apart


@dataclass(frozen=True)
class CensusMap:
    """The prefectures on the map, coloured by the chosen measure."""

    measure: str
    codes: pd.DataFrame  # region_code of every prefecture drawn
    values: dict[str, float | None]  # region code → the measure's figure (None: none; the page colours it)
    unit: str  # the colour bar's title
    labels: dict[str, str]  # region code → its label on the map
    hover: dict[str, str]  # region code → hover text with the figure's source
    note: str


@dataclass(frozen=True)
class Vital:
    """One year-end measure, prefectures × years."""

    title: str
    measure: str
    grid: pd.DataFrame  # regions × years, gaps kept
    other: pd.DataFrame  # household-registration figures


@dataclass(frozen=True)
class Association:
    """The association's figures per resident, and the scatter of two chosen measures."""

    note: str
    x: str
    y: str
    frame: pd.DataFrame  # per region: per-capita figures with the census measures and names
    prefectures: pd.DataFrame  # the scatter's points (``frame`` without the province)
    hover: dict[str, str]  # region code → the scatter's hover text
    left_out: str  # "" unless prefectures lack either figure
    partial: str  # "" unless some regions' funds are partial


@dataclass(frozen=True)
class PopulationModel:
    filters: Filters
    vocab: Vocab
    highlight: str | None  # the chosen prefecture (None: the province)
    series: Series
    census: pd.DataFrame  # every region × census comparison measure in the census year
    census_derived: str  # "" or the caption naming the derived / low-confidence census figures
    census_compiled: str  # "" or the caption on third-party compilations
    map: CensusMap
    vital: Vital | None  # None: the data has no prefecture year-end rows
    association: Association
    sources: pd.DataFrame  # the sources table, headers in the filters' language
    files: str  # the caption counting the figures of each file
    replaced: pd.DataFrame  # figures replaced by a later file (empty: none), headers in the filters' language
    replaced_title: str
    export: pd.DataFrame  # the figures download
    association_export: pd.DataFrame  # the association download
    years: str  # the span of years of the figures shown (for the citation)
    source_lines: tuple[str, ...]  # each source of the sources table, one line each (the association's last)

    def citation(self, today: dt.date) -> str:
        """How to cite the downloads, accessed ``today``."""
        f = self.filters
        return text("population.citation", f.lang, date=today.isoformat(), years=self.years, as_of=f.as_of.isoformat())

    def figure_notes(self, today: dt.date) -> list[str]:
        """The figures download's notes: the statistics' sources only."""
        lang = self.filters.lang
        return [self.citation(today), text("population.citation.sources", lang), *self.source_lines[:-1]]

    def association_notes(self, today: dt.date) -> list[str]:
        """The association download's notes: the demo data's and the statistics' sources."""
        lang = self.filters.lang
        return [
            self.citation(today),
            text("population.citation.demo", lang),
            text("population.citation.sources", lang),
            *self.source_lines,
        ]


def view(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    *,
    map_measure: str = DEFAULT_MAP,
    vital_measure: str = DEFAULT_VITAL,
    scatter_x: str = DEFAULT_X,
    scatter_y: str = DEFAULT_Y,
) -> PopulationModel:
    """Everything the population page shows for ``f`` and the page's choices (a choice not offered: its default)."""
    lang, voc = f.lang, vocab(f.lang)
    map_measure = map_measure if map_measure in MAP_MEASURES else DEFAULT_MAP
    vital_measure = vital_measure if vital_measure in P.VITAL_MEASURES else DEFAULT_VITAL
    scatter_x = scatter_x if scatter_x in P.SCATTER_MEASURES else DEFAULT_X
    scatter_y = scatter_y if scatter_y in P.SCATTER_MEASURES else DEFAULT_Y

    candidates = population_queries.population_candidates(con)
    figures = _in_language(P.in_force(candidates), lang)
    regions = pd.concat(
        [queries.regions_at_level(con, level=lv, within=PROVINCE_CODE) for lv in ("province", "prefecture")],
        ignore_index=True,
    )
    per_capita = population_queries.association_per_capita(con, plan_year=f.plan_year, as_of=f.as_of)
    census = P.complete(figures, regions=regions, measures=P.CENSUS_COMPARISON, years=[P.CENSUS_YEAR])
    highlight = None if f.region == PROVINCE_CODE else f.region

    series = _series(figures, regions, f.region, voc, lang)
    vital = _vital(figures, regions, vital_measure, lang)
    shown = pd.concat(
        [
            x
            for x in (series.series, series.other, census, *((vital.grid, vital.other) if vital else ()))
            if not x.empty
        ],
        ignore_index=True,
    )
    items = quality_items(census, voc, all_regions=text("population.table.all_regions", lang))
    sources, lines = _sources(shown, per_capita, voc, f)
    counts = figures[figures["value"].notna()].groupby("source_file").size()
    sep = voc.words["sep"]
    files = sep.join(text("population.sources.file_count", lang, file=k, n=int(n)) for k, n in counts.items())
    lost = P.replaced(candidates)
    export = P.export_table(
        shown,
        headers=voc.columns,
        measure_names=voc.measures,
        quality_names=voc.qualities,
        basis_names=voc.bases,
        name_col=voc.name_col,
        tier_names=voc.tiers,
    )
    # the unit in the page's language ("人", "‰"), as the page writes it
    unit_col = voc.columns["unit"]
    export[unit_col] = export[unit_col].map(lambda u: voc.units.get(u, u) if isinstance(u, str) else u)
    names = per_capita.merge(figures[["region_code", "name_zh", "name_en"]].drop_duplicates(), on="region_code")
    return PopulationModel(
        filters=f,
        vocab=voc,
        highlight=highlight,
        series=series,
        census=census,
        census_derived=text("population.table.derived", lang, items=voc.words["semicolon"].join(items))
        if items
        else "",
        census_compiled=text("population.table.compiled", lang) if (census["quality"] == "compiled").any() else "",
        map=_map(census, per_capita, map_measure, voc, f),
        vital=vital,
        association=_association(per_capita, census, scatter_x, scatter_y, voc, f),
        sources=sources.rename(columns={c: voc.columns[c] for c in sources.columns}),
        files=text("population.sources.files", lang, files=files),
        replaced=_replaced(lost, voc, lang),
        replaced_title=text("population.replaced.title", lang, n=len(lost)),
        export=export,
        association_export=assoc_table(names, voc),
        years=P.year_span(shown.loc[shown["value"].notna(), "year"]),
        source_lines=tuple(lines),
    )


def _in_language(figures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``figures`` with each source note in ``lang`` (views.source_notes): hovers, the sources
    table, the download and its notes all take it from here."""
    out = figures.copy()
    for column in ("source", "official_source"):
        if column in out.columns:
            out[column] = out[column].map(lambda s: source_note(s, lang) if isinstance(s, str) else s)
    return out


def _series(figures: pd.DataFrame, regions: pd.DataFrame, region: str, voc: Vocab, lang: str) -> Series:
    years = P.series_years(figures, region)
    mine = regions[regions["region_code"] == region]
    span = f"{years[0]}–{years[-1]}" if years else "—"
    title = text("population.series.title", lang, region=region_name(mine.iloc[0], voc), years=span)
    if not years:
        return Series(title, (), figures.iloc[:0], figures.iloc[:0])
    measures = P.PROVINCE_SERIES
    return Series(
        title,
        tuple(years),
        P.complete(figures, regions=mine, measures=measures, years=years),
        P.other_basis(figures, region_codes=[region], measures=measures, years=years),
    )


def _vital(figures: pd.DataFrame, regions: pd.DataFrame, measure: str, lang: str) -> Vital | None:
    years = P.prefecture_series_years(figures)
    if not years:
        return None
    codes = list(regions["region_code"])
    return Vital(
        text("population.vital.title", lang, years=f"{years[0]}–{years[-1]}"),
        measure,
        P.complete(figures, regions=regions, measures=[measure], years=years),
        P.other_basis(figures, region_codes=codes, measures=[measure], years=years),
    )


def _assoc_source(f: Filters) -> str:
    return text("population.assoc.source", f.lang, as_of=f.as_of.isoformat())


def _map(census: pd.DataFrame, per_capita: pd.DataFrame, measure: str, voc: Vocab, f: Filters) -> CensusMap:
    prefs = census[census["region_code"] != PROVINCE_CODE]
    if measure in P.ASSOCIATION_MEASURES:
        values = per_capita.set_index("region_code")[measure]
        hover = association_hover(per_capita, census, voc, [measure], _assoc_source(f))
        source = text("population.map.source_assoc", f.lang, as_of=f.as_of.isoformat())
    else:
        part = prefs[prefs["measure"] == measure]
        values = part.set_index("region_code")["value"]
        hover = {row["region_code"]: figure_hover(row, voc) for _, row in part.iterrows()}
        source = text("population.map.source_census", f.lang)
    regions = prefs.drop_duplicates("region_code")
    codes = regions[["region_code"]]
    return CensusMap(
        measure=measure,
        codes=codes,
        values={str(k): None if pd.isna(v) else float(v) for k, v in values.reindex(codes["region_code"]).items()},
        unit=voc.units.get(POPULATION_MEASURES.get(measure, measure), ""),
        labels={r["region_code"]: map_label(region_name(r, voc)) for _, r in regions.iterrows()},
        hover=hover,
        note=text("population.map.note", f.lang, source=source),
    )


def _association(per_capita: pd.DataFrame, census: pd.DataFrame, x: str, y: str, voc: Vocab, f: Filters) -> Association:
    lang = f.lang
    wide = census.pivot_table(index="region_code", columns="measure", values="value", aggfunc="first", sort=False)
    frame = per_capita.merge(wide.drop(columns=["population"]), left_on="region_code", right_index=True, how="left")
    frame = frame.merge(
        census.drop_duplicates("region_code")[["region_code", "name_zh", "name_en"]], on="region_code", how="left"
    )
    prefs = frame[frame["region_code"] != PROVINCE_CODE]
    left_out = prefs[prefs[x].isna() | prefs[y].isna()]
    partial = frame[frame["funds_partial"]]
    return Association(
        note=text("population.assoc.note", lang, as_of=f.as_of.isoformat()),
        x=x,
        y=y,
        frame=frame,
        prefectures=prefs,
        hover=association_hover(prefs, census, voc, [x, y], _assoc_source(f)),
        left_out=text("population.assoc.left_out", lang, names=voc.names(left_out)) if not left_out.empty else "",
        partial=text("population.assoc.partial", lang, names=voc.names(partial)) if not partial.empty else "",
    )


def _sources(shown: pd.DataFrame, per_capita: pd.DataFrame, voc: Vocab, f: Filters) -> tuple[pd.DataFrame, list[str]]:
    """The sources table (internal column names) and its lines for a download's notes."""
    sep = voc.words["sep"]
    table = P.sources_table(shown, voc.measures, voc.qualities, sep=sep, tier_names=voc.tiers)
    assoc = pd.DataFrame(
        [
            {
                "source": _assoc_source(f),
                "source_file": "exports/",
                "measures": sep.join(voc.measures[m] for m in P.ASSOCIATION_MEASURES),
                "years": str(f.plan_year),
                "regions": int(per_capita["region_code"].nunique()),
                "figures": int(per_capita[list(P.ASSOCIATION_MEASURES)].notna().sum().sum()),
                "qualities": text("population.assoc.demo_quality", f.lang),
                "tiers": "",
            }
        ]
    )
    table = pd.concat([table, assoc], ignore_index=True)
    lines = [f"{r.source} ({r.source_file}; {r.measures}; {r.years})" for r in table.itertuples(index=False)]
    return table, lines


def _replaced(lost: pd.DataFrame, voc: Vocab, lang: str) -> pd.DataFrame:
    if lost.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            text("population.col.name", lang): lost[voc.name_col].fillna(lost["name_zh"]),
            text("population.col.year", lang): lost["year"],
            text("population.col.measure", lang): lost["measure"].map(voc.measures),
            text("population.col.basis", lang): lost["basis"].map(voc.bases),
            text("population.col.replaced_value", lang): lost["value"],
            text("population.col.replaced_file", lang): lost["source_file"],
            text("population.col.value_in_force", lang): lost["value_in_force"],
            text("population.col.file_in_force", lang): lost["source_file_in_force"],
        }
    )
