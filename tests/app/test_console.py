"""The SQL console page in AppTest: a link fills in its query but does not run it, errors are
explained in the user's language beside DuckDB's message, the limits are shown and applied (rows,
bytes, memory, time), the readable folders exclude the audit log, the schema has meanings."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics import console, db
from tests.app.test_pages import run_page
from ui.i18n import catalog

PAGE = "pages/console.py"


def run_sql(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="console_sql").input(sql)
    next(b for b in at.button if b.label == catalog(at.session_state["filters"].lang)["console.run"]).click()
    return at.run()


def hwm_bytes() -> int:
    """This process's peak resident memory so far (Linux)."""
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_link_fills_in_its_query_but_does_not_run_it(lang: str) -> None:
    """A link is someone else's text: shown in the editor, run only when the analyst presses Run."""
    sql = "select kind, count(*) as n from stg_indicators group by kind order by kind"
    at = run_page(PAGE, lang=lang, sql=sql)
    assert not at.exception, [e.message for e in at.exception]
    words = catalog(lang)
    assert at.text_area(key="console_sql").value == sql
    assert [i.value for i in at.info] == [words["console.from_link"]]
    assert words["console.result_title"] not in [h.value for h in at.subheader]  # no result yet
    captions = " ".join(c.value for c in at.caption)
    assert words["console.limits"].format(**console.stated_limits()) in captions  # the limits are on the page
    # another rerun (choosing a table below) does not run it either
    at.selectbox(key="console_table").set_value("stg_regions").run()
    assert words["console.result_title"] not in [h.value for h in at.subheader]
    # pressing Run does
    next(b for b in at.button if b.label == words["console.run"]).click()
    at.run()
    assert not at.info
    result = at.dataframe[0].value
    assert result.to_dict("list") == {"kind": ["flow", "milestone", "ratio", "stock"], "n": [24, 15, 4, 8]}
    captions = " ".join(c.value for c in at.caption)
    assert words["console.rows"].split("{seconds}")[0].format(n="4") in captions  # "共 4 行 · 用时 " / "4 rows · "


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
    assert [e.value for e in at.error] == [catalog("en")["console.error.timeout"].format(**console.stated_limits())]
    assert "1 s" in at.error[0].value
    # the next query runs
    at = run_sql(at, "select 1 as one")
    assert not at.error and at.dataframe[0].value.to_dict("list") == {"one": [1]}


def test_the_row_cap_is_applied_and_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "ROW_CAP", 10)
    at = run_sql(run_page(PAGE, lang="zh"), "select * from range(100) t(x)")
    assert len(at.dataframe[0].value) == 10
    assert [w.value for w in at.warning][-1] == catalog("zh")["console.capped"].format(cap="10")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_issues_large_values_are_stopped_with_a_message(lang: str) -> None:
    """select repeat('x', 1000000) from range(2500): 2.5 GB of text under the row cap. The page
    says it stopped at the memory limit, and the server (this process) does not grow: the query
    ran in a bounded process of its own (test_console_limits.py measures both processes)."""
    at = run_page(PAGE, lang=lang)
    before = hwm_bytes()
    at = run_sql(at, "select repeat('x', 1000000) from range(2500)")
    assert not at.exception
    assert [e.value for e in at.error] == [catalog(lang)["console.error.memory"].format(**console.stated_limits())]
    assert hwm_bytes() - before < 300 * (1 << 20)
    # the console is still there for the next query
    at = run_sql(at, "select 1 as one")
    assert not at.error and at.dataframe[0].value.to_dict("list") == {"one": [1]}


def test_the_byte_limit_and_long_cells_are_said() -> None:
    words = catalog("en")
    at = run_sql(run_page(PAGE, lang="en"), "select x, range(0, 2000) as l from range(5000) t(x)")
    shown = at.dataframe[0].value
    assert 0 < len(shown) < 5000
    stopped = words["console.stopped_bytes"].format(n=f"{len(shown):,}", **console.stated_limits())
    assert stopped in [w.value for w in at.warning]
    at = run_sql(at, "select repeat('ab', 600) as long")
    assert at.dataframe[0].value["long"].iloc[0] == "ab" * 500 + "…[+200]"
    assert words["console.cut_cells"].format(n="1", **console.stated_limits()) in [w.value for w in at.warning]


def test_the_audit_log_and_the_data_root_are_not_readable() -> None:
    """The bundled version is in force here: its readable folders were once the whole data root."""
    root = db.data_dir_from_env()
    at = run_page(PAGE, lang="zh")
    for sql in (
        f"select * from glob('{root}/**')",
        f"select * from read_parquet('{root}/audit/**/*.parquet')",
        f"select * from read_text('{root}/versions/history.jsonl')",
    ):
        at = run_sql(at, sql)
        assert [e.value for e in at.error] == [catalog("zh")["console.error.refused"]], sql
    at = run_sql(at, "select count(*) as n from stg_progress")
    assert not at.error and at.dataframe[0].value["n"].iloc[0] > 0


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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_table_list_shows_counts_with_separators_never_none(lang: str) -> None:
    """Issue 20.6: the schema browser's row counts as figures with separators (views counted),
    and a result's count column is shown with separators (years and codes are not)."""
    at = run_page(PAGE, lang=lang)
    assert not at.exception, [e.message for e in at.exception]
    words = catalog(lang)
    listing = next(d.value for d in at.dataframe if words["console.col_rows"] in d.value.columns)
    rows = dict(zip(listing[words["console.col_table"]], listing[words["console.col_rows"]], strict=True))
    assert "None" not in rows.values() and "<NA>" not in rows.values()
    own = console.connect(db.DEFAULT_DATA_DIR)
    for name in ("stg_progress", "stg_instructors", "dim_region"):  # two views and a table
        [(n,)] = own.execute(f"select count(*) from {name}").fetchall()
        assert rows[name] == f"{n:,}" and n >= 1000
    at = run_sql(at, "select plan_year, count(*) as n from stg_instructors group by 1")
    result = at.dataframe[0]
    config = result.proto.columns
    assert '"n"' in config and "localized" in config.split('"n"')[1].split("}")[0]
    assert '"plan_year"' not in config
