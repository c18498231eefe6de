"""views/console.view on the bundled data: the schema browser lists every table and column the
console's database has, with the catalog's meanings, and a query's result is worded in the
filters' language within the console's limits."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analytics import console, db
from views import console as console_view
from views.filters import Filters
from views.i18n import catalog

DATA = db.DEFAULT_DATA_DIR
F = Filters("zh", 2023, dt.date(2023, 6, 30))


@pytest.fixture(scope="module")
def own() -> duckdb.DuckDBPyConnection:
    return console.connect(DATA)


def test_the_schema_lists_every_table_and_column(own: duckdb.DuckDBPyConnection) -> None:
    m = console_view.view(own, F)
    words = catalog("zh")
    expected = own.execute(
        "select table_name from duckdb_tables() where schema_name = 'main' "
        "union select view_name from duckdb_views() where schema_name = 'main' and not internal order by 1"
    ).fetchall()
    names = sorted(r[0] for r in expected)
    assert sorted(m.table_names) == names
    assert list(m.tables.columns) == [
        words["console.col_table"],
        words["console.col_rows"],
        words["console.col_meaning"],
    ]
    assert m.meanings["stg_progress"] == words["console.table.stg_progress"]
    # a table's columns, in order, as DuckDB describes them
    described = own.execute("describe stg_progress").fetchdf()
    cols = m.columns["stg_progress"]
    assert cols.iloc[:, 0].tolist() == described["column_name"].tolist()
    assert cols.iloc[:, 1].tolist() == described["column_type"].tolist()
    assert cols.iloc[:, 2].tolist()[1] == words["console.col.stg_progress.indicator_id"]
    assert m.result is None
    assert m.limits == words["console.limits"].format(**console.stated_limits())


def test_the_same_listing_on_the_pages_connection(own: duckdb.DuckDBPyConnection) -> None:
    """What the page shows through the shared cache (the pages' connection) is the console's."""
    pages = console_view.view(db.connect(DATA), F)
    mine = console_view.view(own, F)
    assert pages.tables.equals(mine.tables)
    assert all(pages.columns[t].equals(mine.columns[t]) for t in mine.columns)


def test_a_query_result_equals_pandas(own: duckdb.DuckDBPyConnection) -> None:
    sql = (
        "select region_code, sum(value) as paid from stg_progress "
        "where indicator_id = 'livelihood_project_funds_yuan' group by 1 order by 1"
    )
    r = console_view.view(own, Filters("en", 2023, dt.date(2023, 6, 30)), sql=sql).result
    assert r is not None and r.outcome == "ok" and not r.error and r.frame is not None
    p = pd.read_parquet(DATA / "exports" / "progress")
    want = p[p["indicator_id"] == "livelihood_project_funds_yuan"].groupby("region_code")["value"].sum()
    assert r.frame["region_code"].tolist() == want.index.tolist()
    assert r.frame["paid"].tolist() == pytest.approx(want.tolist())
    assert r.rows.startswith(catalog("en")["console.rows"].split("{n}")[0] + f"{len(want):,}")
    assert r.cut == "" and r.cut_cells == "" and r.download is not None


def test_a_refused_query_and_a_capped_one_are_worded(
    own: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = console_view.view(own, F, sql="delete from stg_progress").result
    assert refused is not None and refused.refused and refused.frame is None
    assert refused.error == catalog("zh")["console.error.refused_type"].format(type="DELETE")
    # the same outcome in the other language, as the page words a kept result again
    again = console_view.word(refused.raw, refused.sql, "en")
    assert again.error == catalog("en")["console.error.refused_type"].format(type="DELETE")
    monkeypatch.setattr(console, "ROW_CAP", 10)  # read when the view runs, as the page's test lowers it
    capped = console_view.view(own, F, sql="select * from range(100) t(x)").result
    assert capped is not None and capped.row_count == 10 and capped.stopped == "rows"
    assert capped.cut == catalog("zh")["console.capped"].format(cap="10")


def test_every_table_shows_its_rows_with_separators_and_never_none(own: duckdb.DuckDBPyConnection) -> None:
    """Issue 20.6: the listing's row counts are figures with thousands separators — views too
    (they have no stored count) — counted here with count(*) on the console's connection."""
    m = console_view.view(own, F)
    words = catalog("zh")
    shown = dict(zip(m.tables[words["console.col_table"]], m.tables[words["console.col_rows"]], strict=True))
    views = {r[0] for r in own.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert {"stg_progress", "stg_instructors"} <= views
    for name, text in shown.items():
        [(n,)] = own.execute(f'select count(*) from "{name}"').fetchall()
        assert text == f"{n:,}", name
    assert shown["stg_instructors"] == f"{len(pd.read_parquet(DATA / 'exports' / 'instructors')):,}"
    assert "," in shown["dim_region"] and m.rows_note == ""


def test_a_view_that_cannot_be_counted_shows_a_dash_and_why(tmp_path) -> None:
    part = tmp_path / "part-0.parquet"
    pd.DataFrame({"x": [1, 2, 3]}).to_parquet(part)
    con = duckdb.connect()
    con.execute(f"create view stg_gone as select * from read_parquet('{part}')")
    con.execute("create table stg_kept as select * from range(12345) t(x)")
    part.unlink()  # the file under the view is gone: the view cannot be read
    for lang in ("zh", "en"):
        m = console_view.view(con, Filters(lang, 2023, dt.date(2023, 6, 30)))
        rows = dict(zip(m.tables.iloc[:, 0], m.tables.iloc[:, 1], strict=True))
        assert rows == {"stg_gone": "—", "stg_kept": "12,345"}
        assert m.rows_note == catalog(lang)["console.rows_uncounted"].format(tables="stg_gone")


def test_a_result_counts_are_told_from_years_and_codes() -> None:
    frame = pd.DataFrame(
        {"plan_year": [2023], "region_code": [430100], "indicator_id": [1], "n": [12345], "paid": [1.5], "年份": [2023]}
    )
    assert console_view.count_columns(frame) == ["n"]
