"""The population page in AppTest: what it shows equals the reference tables, gaps stay gaps,
every figure has its source, downloads keep Chinese names, and an association file extends the data.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from analytics.contract import TABLES
from tests.app.test_pages import run_page
from ui.i18n import catalog
from ui.theme import PRIMARY

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/population.py"
REFERENCE = ROOT / "data" / "reference" / "sources" / "prefecture_census_2020.csv"


def _charts(at: AppTest) -> dict[str, dict]:
    """Plotly specs by widget key (the key is the end of the element id)."""
    return {c.proto.id.split("-", 2)[-1]: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    """The dataframe on the page that has ``column``."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, column
    return found[0]


_RUNS: dict[str, AppTest] = {}


def zh_or_en(lang: str) -> AppTest:
    """The page on the bundled data as of 2023-06-30, run once per language for the tests that only read it."""
    if lang not in _RUNS:
        at = run_page(PAGE, lang=lang, as_of="2023-06-30")
        assert not at.exception, [e.message for e in at.exception]
        _RUNS[lang] = at
    return _RUNS[lang]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_census_table_equals_the_reference_table(lang: str) -> None:
    at = zh_or_en(lang)
    cat = catalog(lang)
    column = cat["population.measure.population"] + cat["population.word.paren"].format(
        inner=cat["population.unit.persons"]
    )
    table = _frame(at, column).set_index(cat["population.col.region_code"])
    ref = pd.read_csv(REFERENCE, dtype={"division_code": str}).set_index("division_code")
    prefectures = [c for c in ref.index if c != "430000"]
    assert table.loc[prefectures, column].astype("int64").to_dict() == ref.loc[prefectures, "census_pop_2020"].to_dict()
    assert table.loc[prefectures, column].sum() == 66_444_864
    assert table.loc["430000", column] == 66_444_864
    # names in the UI's language (English names exist for every prefecture)
    names = set(table[cat["population.col.name"]])
    assert ("长沙市" in names) == (lang == "zh") and ("Changsha" in names) == (lang == "en")


def test_a_missing_year_is_a_gap_and_grey() -> None:
    spec = _charts(zh_or_en("zh"))["population_series_chart"]
    # the first panel: year-end population of the province, 2010-2024; 2013, 2015, 2017 missing
    line = spec["data"][0]
    points = dict(zip(line["x"], line["y"], strict=True))
    for year in (2013, 2015, 2017):
        assert points[year] is None  # a gap: not 0, not interpolated
    assert points[2012] == 66_389_300 and points[2019] == 69_183_800 and points[2020] == 66_453_900
    assert points[2019.5] is None  # the line breaks between the pre-census 2019 and the census-based 2020
    grey = {(s["x0"], s["x1"]) for s in spec["layout"]["shapes"] if s["type"] == "rect" and s.get("xref") == "x"}
    assert {(2012.55, 2013.45), (2014.55, 2015.45), (2016.55, 2017.45)} <= grey
    dashed = [s for s in spec["layout"]["shapes"] if s["type"] == "line" and s.get("x0") == 2019.5]
    assert len(dashed) == 6  # the series break, marked in each of the six panels


def _hover_of_plotted_points(spec: dict) -> list[str]:
    """Hover texts of every point, bar, cell and map area that shows a value."""
    out: list[str] = []
    for trace in spec["data"]:
        hover = trace.get("hovertext", trace.get("text"))
        if trace.get("hoverinfo") == "skip" or hover is None:
            continue
        if trace["type"] == "heatmap":
            for z_row, h_row, t_row in zip(trace["z"], hover, trace["text"], strict=True):
                out += [h for z, h, t in zip(z_row, h_row, t_row, strict=True) if z is not None or t]
            continue
        if isinstance(hover, str):  # a map area: one text for the region
            out.append(hover)
            continue
        values = trace.get("y") if trace.get("orientation") != "h" else trace.get("x")
        out += [h for v, h in zip(values or [], hover, strict=False) if v is not None and trace.get("mode") != "text"]
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_on_the_page_has_its_source(lang: str) -> None:
    at = zh_or_en(lang)
    word = catalog(lang)["population.word.source"]
    charts = _charts(at)
    assert set(charts) >= {
        "population_series_chart",
        "population_census_chart",
        "population_map",
        "population_vital_chart",
        "population_scatter",
    }
    for key, spec in charts.items():
        hovers = _hover_of_plotted_points(spec)
        assert hovers, key
        missing = [h for h in hovers if word not in h and catalog(lang)["population.word.missing"] not in h]
        assert not missing, (key, missing[:2])
    sources = _frame(at, catalog(lang)["population.col.source"])
    assert len(sources) > 10 and sources[catalog(lang)["population.col.source"]].notna().all()


def test_region_filter_highlights_the_prefecture_and_measures_can_be_chosen() -> None:
    at = run_page(PAGE, lang="zh", region="430100")
    assert not at.exception
    assert at.subheader[0].value.startswith("长沙市")  # the series follow the region
    charts = _charts(at)
    bars = [t for t in charts["population_census_chart"]["data"] if t["type"] == "bar" and t.get("hovertext")]
    colors = [c for t in bars for c in t["marker"]["color"] if c == PRIMARY]
    assert len(colors) == 8  # 长沙 in each of the eight census panels
    vital = charts["population_vital_chart"]["layout"]["shapes"]
    assert any(s["line"]["color"] == PRIMARY and s["line"].get("width") == 3 for s in vital)
    # 长沙's 2019 rates are on the household-registration basis: marked, off the colour scale
    heat = next(t for t in charts["population_vital_chart"]["data"] if t["type"] == "heatmap")
    row = heat["y"].index("长沙市")
    col = heat["x"].index("2019")
    assert heat["z"][row][col] is None and heat["text"][row][col].endswith("†")
    # choosing another year-end measure redraws the heatmap (same run: each page load costs seconds)
    at.selectbox(key="population_vital_measure").set_value("death_rate").run()
    heat = next(t for t in _charts(at)["population_vital_chart"]["data"] if t["type"] == "heatmap")
    assert heat["z"][0][heat["x"].index("2023")] == 9.08  # the province's 2023 death rate


# ---------------------------------------------------------------- downloads


class _KeptStorage(MemoryMediaFileStorage):
    """AppTest's media storage, kept after the run so a test can read what a download button serves."""

    instances: ClassVar[list[_KeptStorage]] = []

    def __init__(self, endpoint: str) -> None:
        super().__init__(endpoint)
        _KeptStorage.instances.append(self)


@pytest.fixture
def kept_media(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_KeptStorage]]:
    _KeptStorage.instances.clear()
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", _KeptStorage)
    yield _KeptStorage


def _download(at: AppTest, storage: type[_KeptStorage], key: str) -> bytes:
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    name = button.proto.url.rsplit("/", 1)[-1]
    for store in reversed(storage.instances):
        try:
            return bytes(store.get_file(name).content)
        except Exception:  # noqa: S112 - not in this run's storage
            continue
    raise AssertionError(f"{key}: file {name} not found")


def test_downloaded_csv_keeps_chinese_names_in_excel(kept_media) -> None:
    at = run_page(PAGE, lang="zh", as_of="2023-06-30")
    raw = _download(at, kept_media, "population_figures_download_csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    # the CSV is the table, its header first; the citation and sources are in the notes file beside it
    assert raw.decode("utf-8-sig").startswith("地区代码,")
    notes = _download(at, kept_media, "population_figures_download_notes").decode("utf-8-sig").split("\r\n")
    assert "截至日期: 2023年6月30日" in notes and not any(line.startswith("演示数据") for line in notes)
    assert any(line.startswith("湖南省计生协工作要点监测 — 人口指标，下载于") for line in notes)
    assert any("tjj.hunan.gov.cn" in line for line in notes)  # the sources are in the notes
    table = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype={"地区代码": str})
    assert {"地区", "指标", "数值", "来源", "数据质量"} <= set(table.columns)
    assert {"长沙市", "湘西土家族苗族自治州", "湖南省"} <= set(table["地区"])
    census = table[(table["指标"] == "常住人口") & (table["年份"] == 2020) & (table["地区代码"] != "430000")]
    assert census["数值"].sum() == 66_444_864
    # gaps are empty cells marked missing, and every figure with a value has a source
    gaps = table[table["数值"].isna()]
    assert len(gaps) and (gaps["数据质量"] == "缺失").all()
    assert table.loc[table["数值"].notna(), "来源"].notna().all()
    assoc = _download(at, kept_media, "population_association_download_csv").decode("utf-8-sig")
    assert "长沙市" in assoc
    assoc_notes = _download(at, kept_media, "population_association_download_notes").decode("utf-8-sig")
    assert "计生协上报数据为演示数据" in assoc_notes


# ---------------------------------------------------------------- the association's own file


def test_an_association_file_extends_and_overrides_the_bundled_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    schema = TABLES["population"].schema
    rows = {
        # a conflict: 长沙's census population (bundled 10,047,914)
        "region_code": ["430100", "430100"],
        "year": [2020, 2024],
        "measure": ["population", "birth_rate"],
        "value": [10_050_000.0, 5.5],
        "unit": ["persons", "‰"],
        "basis": ["resident", "resident"],
        "quality": ["published", "published"],
        "reference_date": [pd.Timestamp("2020-11-01").date(), pd.Timestamp("2024-12-31").date()],
        "source": ["长沙市计生协人口台账", "长沙市计生协人口台账"],
        "note": [None, None],
        "source_tier": [None, None],  # the association's file does not say
        "official_source": [None, None],
    }
    pq.write_table(pa.table(rows, schema=schema), data / "reference" / "population" / "fpa_2024.parquet")
    monkeypatch.setenv("FPA_DATA_DIR", str(data))
    at = run_page(PAGE, lang="zh", region="430100")
    assert not at.exception, [e.message for e in at.exception]
    cat = catalog("zh")
    column = "常住人口" + cat["population.word.paren"].format(inner="人")
    table = _frame(at, column).set_index("地区代码")
    assert table.loc["430100", column] == 10_050_000  # the association's figure is in force
    # a figure whose file gives no source tier says so in its hover text
    hovers = _hover_of_plotted_points(_charts(at)["population_census_chart"])
    mine = [h for h in hovers if h.startswith("<b>长沙市</b> · 常住人口 · 2020")]
    assert len(mine) == 1 and f"{cat['population.word.tier']}：{cat['population.tier.none']}" in mine[0]
    sources = _frame(at, "来源")
    assert "长沙市计生协人口台账" in set(sources["来源"])
    assert "fpa_2024.parquet" in set(sources["文件"])
    assert any("fpa_2024.parquet" in c.value for c in at.caption)  # which files, how many figures each
    assert [e.label for e in at.expander] == [cat["population.replaced.title"].format(n=1)]
    # the extra year reaches 长沙's series: 2024 is now in its span
    assert "2018–2024" in at.subheader[0].value


# ---------------------------------------------------------------- source tiers (issue 17, item 8)

BUNDLED = ROOT / "data" / "reference" / "population" / "population.parquet"


def test_derived_and_compiled_figures_are_never_labelled_published_on_the_page(kept_media) -> None:
    """Every derived or third-party figure the page draws says so in its hover text, never 公布数;
    the download carries every figure's tier. Expected tiers read straight from the Parquet."""
    cat = catalog("zh")
    raw = pd.read_parquet(BUNDLED)
    names = dict(
        zip(*pd.read_parquet(ROOT / "data/reference/regions", columns=["region_code", "name_zh"]).values.T, strict=True)
    )
    at = run_page(PAGE, lang="zh", as_of="2023-06-30")
    assert not at.exception, [e.message for e in at.exception]
    hovers = [h for spec in _charts(at).values() for h in _hover_of_plotted_points(spec)]
    published = cat["population.quality.published"]
    tier_word = cat["population.word.tier"]
    checked = 0
    for _, r in raw[raw["value"].notna()].iterrows():
        head = f"<b>{names[r['region_code']]}</b> · {cat['population.measure.' + r['measure']]} · {r['year']}<br>"
        mine = [h for h in hovers if h.startswith(head)]
        for h in mine:
            assert f"{tier_word}：{cat['population.tier.' + r['source_tier']]}" in h, h
            if r["source_tier"] in ("derived", "third_party"):
                assert published not in h, h
            checked += 1
    derived_shown = raw[(raw["source_tier"] == "derived") & (raw["measure"].isin(["population", "age_15_64_share"]))]
    assert len(derived_shown) == 16 and checked > 200  # 湘西's count, the 15 census 15-64 shares, and the rest
    xiangxi = [h for h in hovers if h.startswith("<b>湘西土家族苗族自治州</b> · 常住人口 · 2020<br>")]
    assert xiangxi and all(f"{tier_word}：推算" in h and published not in h for h in xiangxi)
    # the download: a tier for every figure, derived ones labelled 推算 / 推算数, none of them 公布数
    raw_csv = _download(at, kept_media, "population_figures_download_csv")
    text = raw_csv.decode("utf-8-sig")
    notes = [line for line in text.splitlines() if line.startswith("# ")]
    table = pd.read_csv(io.BytesIO(raw_csv), encoding="utf-8-sig", skiprows=len(notes), dtype={"地区代码": str})
    tier_col, quality_col = cat["population.col.source_tier"], cat["population.col.quality"]
    with_value = table[table["数值"].notna()]
    tiers = {cat[f"population.tier.{s}"] for s in ("official_bulletin", "official_reprint", "third_party", "derived")}
    assert with_value[tier_col].isin(tiers).all()
    not_official = with_value[
        with_value[tier_col].isin([cat["population.tier.derived"], cat["population.tier.third_party"]])
    ]
    assert len(not_official) and (not_official[quality_col] != published).all()
    row = table[(table["地区代码"] == "433100") & (table["指标"] == "常住人口") & (table["年份"] == 2020)]
    assert row[[tier_col, quality_col]].values.tolist() == [["推算", "推算数"]]
    # the official bulletin is cited where it holds the figure
    changsha = table[(table["地区代码"] == "430100") & (table["指标"] == "常住人口") & (table["年份"] == 2020)]
    assert "tjj.hunan.gov.cn" in changsha[cat["population.col.official_source"]].item()
