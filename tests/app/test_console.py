"""The SQL console page in AppTest: a link runs its query, errors are explained in the user's
language beside DuckDB's message, the limits are shown and applied, the schema has meanings."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics import console
from tests.app.test_pages import run_page
from ui.i18n import catalog

PAGE = "pages/console.py"


def run_sql(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="console_sql").input(sql)
    next(b for b in at.button if b.label == catalog(at.session_state["filters"].lang)["console.run"]).click()
    return at.run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_link_runs_its_query(lang: str) -> None:
    at = run_page(PAGE, lang=lang, sql="select kind, count(*) as n from stg_indicators group by kind order by kind")
    assert not at.exception, [e.message for e in at.exception]
    result = at.dataframe[0].value
    assert result.to_dict("list") == {"kind": ["flow", "milestone", "ratio", "stock"], "n": [24, 15, 4, 8]}
    words = catalog(lang)
    captions = " ".join(c.value for c in at.caption)
    assert words["console.from_link"] in captions
    assert words["console.rows"].split("{seconds}")[0].format(n="4") in captions  # "共 4 行 · 用时 " / "4 rows · "
    # the limits are on the page
    assert words["console.limits"].format(seconds="10", rows="5,000") in captions
    assert at.text_area(key="console_sql").value.startswith("select kind")


@pytest.mark.parametrize(
    ("sql", "key", "values"),
    [
        ("COPY (select 1) TO '/tmp/fpa_console_test.csv'", "console.error.refused_type", {"type": "COPY"}),
        ("select * from read_csv('/etc/passwd')", "console.error.refused", {}),
        ("selec 1", "console.error.syntax", {}),
        ("select * from no_such_table", "console.error.catalog", {}),
    ],
)
def test_errors_are_explained(sql: str, key: str, values: dict[str, str]) -> None:
    at = run_sql(run_page(PAGE, lang="zh"), sql)
    assert not at.exception
    assert [e.value for e in at.error] == [catalog("zh")[key].format(**values)]
    if key != "console.error.refused_type":  # DuckDB's own message is shown too
        assert at.code and at.code[0].value
    assert not at.dataframe[0].value.empty  # the schema browser is still there (first table of the page now)


def test_the_time_limit_stops_a_query(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "TIME_LIMIT_S", 1.0)
    at = run_sql(
        run_page(PAGE, lang="en"), "select count(*) from range(1000000) a(x), range(1000000) b(y) where x + y < 0"
    )
    assert [e.value for e in at.error] == [catalog("en")["console.error.timeout"].format(seconds="1")]
    # the next query runs
    at = run_sql(at, "select 1 as one")
    assert not at.error and at.dataframe[0].value.to_dict("list") == {"one": [1]}


def test_the_row_cap_is_applied_and_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "ROW_CAP", 10)
    at = run_page(PAGE, lang="zh", sql="select * from range(100) t(x)")
    assert len(at.dataframe[0].value) == 10
    assert [w.value for w in at.warning][-1] == catalog("zh")["console.capped"].format(cap="10")


def test_the_schema_browser_explains_the_columns() -> None:
    at = run_page(PAGE, lang="zh")
    at.selectbox(key="console_table").set_value("stg_progress").run()
    columns = at.dataframe[-1].value
    words = catalog("zh")
    assert columns.iloc[:, 0].tolist() == [
        "plan_year", "indicator_id", "region_code", "period_end", "value", "reported_at", "source_file",
    ]  # fmt: skip
    assert columns.iloc[:, 2].tolist()[1] == words["console.col.stg_progress.indicator_id"]
    assert all(columns.iloc[:, 2])
