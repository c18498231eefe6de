"""Downloads that open cleanly in Excel (issue 20, item 8), on the pages' own download tables.

Each workbook is opened with openpyxl as Excel would read it: the header on row 1 and frozen
(A2), the data sheet named in the page's language, the notes on a second sheet 说明 / Notes
(never ``#`` lines above a header), whole numbers stored as integers, months as real dates shown
as months. The CSV has its header on the first line and no "12.0". Expected values come from
pandas over the bundled Parquet files, not from the code under test.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import duckdb
import openpyxl
import pandas as pd
import pytest

from analytics import db
from ui import downloads
from views import population, quality, training
from views.filters import Filters
from views.i18n import catalog

DATA = db.DEFAULT_DATA_DIR
AS_OF = dt.date(2023, 6, 30)
MONTH_FORMAT = {"zh": 'yyyy"年"m"月"', "en": "yyyy-mm"}
URL = re.compile(r"https?://\S+|github:leiii/census data/\S+")


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return db.connect(DATA)


def book(df: pd.DataFrame, lang: str, **kwargs: object) -> openpyxl.Workbook:
    raw = downloads.excel_bytes(df, ["来源：测试 / source: test"], lang=lang, **kwargs)  # type: ignore[arg-type]
    return openpyxl.load_workbook(io.BytesIO(raw))


def column(sheet: openpyxl.worksheet.worksheet.Worksheet, header: str) -> list[openpyxl.cell.Cell]:
    [j] = [c.column for c in sheet[1] if c.value == header]
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=j, max_col=j)]


# ---------------------------------------------------------------- the rules, on a small table


@pytest.mark.parametrize(
    ("name", "expected"),
    [("人口数据", "人口数据"), ("a/b:c*d?e[f]g\\h", "a b c d e f g h"), ("x" * 40, "x" * 31), ("", "Sheet1")],
)
def test_sheet_names_are_ones_excel_accepts(name: str, expected: str) -> None:
    assert downloads.sheet_name(name) == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_layout_of_a_workbook(lang: str) -> None:
    words = catalog(lang)
    df = pd.DataFrame(
        {
            "count": [1.0, None, 3.0],  # whole numbers with a gap: pandas holds them as floats
            "share": [0.5, 0.25, None],
            "月份": ["2023-01", "2023-02", ""],
            "code": ["430102", "430103", "430104"],
        }
    )
    wb = book(df, lang, context=[("as of", "2023-06-30")])
    assert wb.sheetnames == [words["downloads.sheet_data"], words["downloads.sheet_notes"]]
    assert wb.sheetnames == (["数据", "说明"] if lang == "zh" else ["Data", "Notes"])
    sheet = wb.worksheets[0]
    assert [c.value for c in sheet[1]] == ["count", "share", "月份", "code"], "the header is row 1"
    assert sheet.freeze_panes == "A2"
    counts = column(sheet, "count")
    assert [c.value for c in counts] == [1, None, 3] and type(counts[0].value) is int
    months = column(sheet, "月份")
    assert months[0].value == dt.datetime(2023, 1, 1) and months[0].number_format == MONTH_FORMAT[lang]
    assert months[2].value is None
    assert [c.value for c in column(sheet, "code")] == ["430102", "430103", "430104"], "codes stay text"
    notes = wb.worksheets[1]
    assert notes.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in notes.iter_rows()]
    assert rows[1] == ["as of", "2023-06-30"]
    assert rows[2] == [words["downloads.notes_note"], "来源：测试 / source: test"]


def test_the_csv_has_its_header_first_whole_numbers_and_months() -> None:
    df = pd.DataFrame({"n": [1.0, None, 12.0], "x": [1.5, 2.0, None], "月份": [pd.Period("2023-06", "M")] * 3})
    lines = downloads.csv_bytes(df).decode("utf-8-sig").split("\r\n")
    assert lines[:4] == ["n,x,月份", "1,1.5,2023-06", ",2,2023-06", "12,,2023-06"]


# ---------------------------------------------------------------- the pages' tables, against the Parquet


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_population_download(con: duckdb.DuckDBPyConnection, lang: str) -> None:
    words = catalog(lang)
    model = population.view(con, Filters(lang, 2023, AS_OF))
    wb = book(model.export, lang, sheet=words["population.download.sheet_figures"])
    assert wb.sheetnames[0] == ("人口数据" if lang == "zh" else "Population figures")
    sheet = wb.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == list(model.export.columns)
    # the 2020 census residents of each prefecture, as integers, from the reference Parquet
    ref = pd.read_parquet(DATA / "reference" / "population" / "population.parquet")
    census = ref[(ref["measure"] == "population") & (ref["year"] == 2020) & (ref["basis"] == "resident")]
    expected = {r.region_code: int(r.value) for r in census.itertuples() if pd.notna(r.value)}
    col = {
        h: [c.value for c in column(sheet, words[f"population.col.{h}"])]
        for h in ("region_code", "year", "measure", "value", "unit")
    }
    found = {
        code: value
        for code, year, measure, value in zip(
            col["region_code"], col["year"], col["measure"], col["value"], strict=True
        )
        if year == 2020 and measure == words["population.measure.population"]
    }
    assert found == expected and all(type(v) is int for v in found.values())
    # the unit in the page's language: 人 in Chinese, persons in English
    units = {u for u, m in zip(col["unit"], col["measure"], strict=True) if m == words["population.measure.population"]}
    assert units == {"人" if lang == "zh" else "persons"}
    # the CSV writes the residents as whole numbers too
    text = downloads.csv_bytes(model.export).decode("utf-8-sig")
    assert f",{expected['430100']}," in text and f",{expected['430100']}.0," not in text


def test_the_quality_outliers_download_has_months_as_months(con: duckdb.DuckDBPyConnection) -> None:
    model = quality.view(con, Filters("zh", 2023, AS_OF))
    table = model.outliers.table
    assert not table.empty
    sheet = book(table, "zh").worksheets[0]
    months, counties, names, values = (column(sheet, h) for h in ("月份", "县级代码", "指标", "数值"))
    assert all(isinstance(c.value, dt.datetime) and c.number_format == MONTH_FORMAT["zh"] for c in months)
    # each figure is the county's report for that month in the progress export
    progress = pd.read_parquet(DATA / "exports" / "progress")
    progress["month"] = pd.to_datetime(progress["period_end"]).dt.to_period("M")
    ids = pd.read_parquet(DATA / "plan" / "indicators").set_index("name_zh")["indicator_id"]
    for month, county, name, value in list(zip(months, counties, names, values, strict=True))[:20]:
        row = progress[
            (progress["region_code"] == county.value)
            & (progress["indicator_id"] == ids[name.value])
            & (progress["month"] == pd.Period(month.value, "M"))
        ]
        assert value.value == row["value"].item()
        if float(row["value"].item()).is_integer():
            assert type(value.value) is int, "a whole number is stored as one"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_training_short_list_writes_the_last_report_as_a_month(con: duckdb.DuckDBPyConnection, lang: str) -> None:
    words = catalog(lang)
    model = training.view(con, Filters(lang, 2023, AS_OF))
    table = model.short.table
    sheet = book(table.head(300), lang).worksheets[0]
    months = column(sheet, words["training.col.last_report"])
    received = column(sheet, words["training.col.received"])
    assert all(c.number_format == MONTH_FORMAT[lang] for c in months if c.value is not None)
    assert all(c.number_format == "yyyy-mm-dd" for c in received if c.value is not None)
    # each village's last report up to the as-of date, from the instructors export
    ins = pd.read_parquet(DATA / "exports" / "instructors")
    ins = ins[pd.to_datetime(ins["period_end"]) <= pd.Timestamp(AS_OF)]
    last = ins.groupby("region_code")["period_end"].max()
    codes = column(sheet, words["training.col.code"])
    for code, month in list(zip(codes, months, strict=True))[:50]:
        if month.value is not None:
            assert month.value.date() == pd.Timestamp(last[code.value]).date()
    counts = column(sheet, words["training.col.instructors"])
    assert all(type(c.value) is int for c in counts if c.value is not None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_population_sources_are_in_the_page_language(con: duckdb.DuckDBPyConnection, lang: str) -> None:
    """The export's sources: no English words in Chinese (addresses and the compilations' names
    aside); in English every Chinese title follows its English description."""
    words = catalog(lang)
    model = population.view(con, Filters(lang, 2023, AS_OF))
    for header in ("source", "official_source"):
        for text in model.export[words[f"population.col.{header}"]].dropna().unique():
            rest = URL.sub("", str(text))
            if lang == "zh":
                rest = re.sub(r"askci|maigoo|leiii/census|yjk\w+|[\w.-]+\.(?:com|cn|org)\b", "", rest)
                assert not re.search(r"[A-Za-z]{2,}", rest), text
            else:
                # a Chinese title or term right after the English word that explains it
                latin = r"(?:[^\W\u4e00-\u9fff]|[.,'\"])+"
                rest = re.sub(latin + r" 《[^》]+》|" + latin + r" \([^()]+\)", "", rest)
                assert not re.search(r"[\u4e00-\u9fff]", rest), text
