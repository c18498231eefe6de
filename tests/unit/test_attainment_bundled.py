"""The bundled data, computed independently (pandas straight over the Parquet files), against
what analytics.queries.attainment_table and the pages show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from analytics import db, queries
from tests import league_html

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
AS_OF = dt.date(2023, 6, 30)
D = dt.date


def _read(folder: str) -> pd.DataFrame:
    df: pd.DataFrame = pq.read_table(DATA / folder).to_pandas()
    return df


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return db.connect(DATA)


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return _read("reference/regions")


def _table(con: duckdb.DuckDBPyConnection, level: str, as_of: dt.date = AS_OF) -> pd.DataFrame:
    return queries.attainment_table(con.cursor(), plan_year=2023, as_of=as_of, level=level).set_index(
        ["indicator_id", "region_code"]
    )


# --- independent computations -------------------------------------------------------------


def flow_total(indicator: str, prefix: str, as_of: dt.date) -> float:
    p = _read("exports/progress")
    p = p[(p["indicator_id"] == indicator) & (p["period_end"] <= as_of) & p["region_code"].str.startswith(prefix)]
    return float(p["value"].sum())


def coverage(regions: pd.DataFrame, prefecture: str | None, as_of: dt.date) -> tuple[int, int]:
    villages = regions[regions["level"] == "village"]
    if prefecture:
        villages = villages[villages["prefecture_code"] == prefecture]
    inst = _read("exports/instructors")
    inst = inst[inst["period_end"] <= as_of].sort_values("period_end")
    latest = inst.groupby("region_code")["instructors_in_post"].last()
    covered = latest.reindex(villages["region_code"]).ge(2).sum()
    return int(covered), len(villages)


def prefectures_with_a_base(as_of: dt.date) -> set[str]:
    p = _read("exports/progress")
    p = p[(p["indicator_id"] == "youth_demo_bases_new") & (p["period_end"] <= as_of)]
    per_pref = p.groupby(p["region_code"].str[:4] + "00")["value"].sum()
    return set(per_pref[per_pref >= 1].index)


# --- the analytics agree with them ------------------------------------------------------------


def test_flow_province_and_prefectures(con: duckdb.DuckDBPyConnection) -> None:
    prov = _table(con, "province")
    pref = _table(con, "prefecture")
    assert prov.loc[("family_health_funds_yuan", "430000"), "actual"] == pytest.approx(
        flow_total("family_health_funds_yuan", "43", AS_OF)
    )
    for code in ("430100", "433100"):
        assert pref.loc[("family_health_funds_yuan", code), "actual"] == pytest.approx(
            flow_total("family_health_funds_yuan", code[:4], AS_OF)
        )


def test_ratio_over_all_29534_units(con: duckdb.DuckDBPyConnection, regions: pd.DataFrame) -> None:
    prov = _table(con, "province").loc[("instructor_coverage", "430000")]
    covered, total = coverage(regions, None, AS_OF)
    assert total == 29534
    assert (prov["numerator"], prov["denominator"]) == (covered, total)
    assert prov["actual"] == pytest.approx(covered / total)
    pref = _table(con, "prefecture")
    for code in ("430600", "431200"):
        covered, total = coverage(regions, code, AS_OF)
        assert pref.loc[("instructor_coverage", code), "actual"] == pytest.approx(covered / total)


def test_every_region_at_least(con: duckdb.DuckDBPyConnection) -> None:
    reached = prefectures_with_a_base(AS_OF)
    row = _table(con, "province").loc[("youth_demo_bases_new", "430000")]
    assert (row["actual"], row["target"]) == (len(reached), 14)
    all_prefs = {f"43{n:02d}00" for n in range(1, 14)} | {"433100"}
    assert set(row["regions_missing"]) == all_prefs - reached
    pref = _table(con, "prefecture")
    for code in sorted(all_prefs)[:2]:
        assert (pref.loc[("youth_demo_bases_new", code), "status"] == "done") == (code in reached)


def test_may_judges_a_december_target_prorated(con: duckdb.DuckDBPyConnection) -> None:
    row = _table(con, "province", D(2023, 5, 31)).loc[("family_health_funds_yuan", "430000")]
    # 1 January … 31 May is 151 of 365 days
    assert row["expected"] == pytest.approx(2_000_000 * 151 / 365)
    assert row["target"] == 2_000_000


def test_a_first_half_item_after_30_june_is_judged_against_its_full_target(con: duckdb.DuckDBPyConnection) -> None:
    june = _table(con, "province", D(2023, 5, 31)).loc[("fund_performance_evaluation_done", "430000")]
    july = _table(con, "province", D(2023, 7, 31)).loc[("caring_employers", "430000")]
    assert july["expected"] == july["target"] == 1
    assert june["due_date"] == D(2023, 6, 30)
    # on 30 June a first-half item is done or missed, never "not yet due" or "behind"
    late = _table(con, "province", D(2023, 6, 30)).loc[("caring_employers", "430000")]
    assert late["status"] in ("done", "missed", "overdue_no_report")


# --- verdicts follow the calendar ------------------------------------------------------------


def _levels(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    tables = queries.attainment_tables(
        con.cursor(), plan_year=2023, as_ofs=(as_of,), levels=("province", "prefecture", "county")
    )
    return pd.concat([tables[(as_of, lv)].assign(level=lv) for lv in ("province", "prefecture", "county")])


def test_on_31_december_no_missed_target_reads_done_on_track_or_at_risk(con: duckdb.DuckDBPyConnection) -> None:
    every = _levels(con, D(2023, 12, 31))
    judged = every[every["target"].notna()]
    short = judged[(judged["actual"].fillna(0) < judged["target"]) & (judged["due_date"] <= D(2023, 12, 31))]
    assert len(short) > 100  # the demo data has missed targets at every level
    assert set(short["status"]) <= {"missed", "overdue_no_report"}
    # the cases, from the Parquet: every prefecture short of 100 % instructor coverage has missed
    regions = _read("reference/regions")
    pref = _table(con, "prefecture", D(2023, 12, 31))
    for code in sorted(regions.loc[regions["level"] == "prefecture", "region_code"]):
        covered, total = coverage(regions, code, D(2023, 12, 31))
        status = pref.loc[("instructor_coverage", code), "status"]
        assert status == ("done" if covered == total else "missed"), code


def test_on_31_march_no_prefecture_is_behind_on_a_one_off_due_in_december(con: duckdb.DuckDBPyConnection) -> None:
    targets = _read("plan/targets")
    steps = targets[(targets["phasing"] == "step") & (targets["due_date"] == D(2023, 12, 31))]
    assert {"youth_demo_bases_new", "election_prefecture_held"} <= set(steps["indicator_id"])
    pref = _levels(con, D(2023, 3, 31))
    pref = pref[pref["level"] == "prefecture"]
    on_step = pref.merge(steps[["indicator_id", "region_code"]], on=["indicator_id", "region_code"])
    assert len(on_step) >= 14
    assert set(on_step["status"]) <= {"done", "not_yet_due", "no_data"}


def test_expected_values_of_countable_targets_are_whole(con: duckdb.DuckDBPyConnection) -> None:
    inds = _read("plan/indicators").set_index("indicator_id")
    every = _levels(con, D(2023, 6, 30))
    counted = every[
        every["expected"].notna() & every["indicator_id"].map(inds["unit_zh"]).isin(["个", "次", "期", "项"])
    ]
    counted = counted[counted["indicator_id"].map(inds["target_rule"]) != "coverage"]
    assert len(counted) > 20
    assert (counted["expected"] % 1 == 0).all()
    # 20 points × 181/365 = 9.92 on 30 June: 9 whole points expected at the province
    row = every[(every["indicator_id"] == "childcare_points_open") & (every["region_code"] == "430000")]
    assert row["expected"].iloc[0] == 9


# --- the pages show the same numbers --------------------------------------------------------


def _run(page: str, **params: str) -> AppTest:
    script = f"import runpy\nrunpy.run_path({str(ROOT / 'app.py')!r}, run_name='__main__')\n"
    at = AppTest.from_string(script, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "home":
        at.switch_page(str(ROOT / "pages" / f"{page}.py"))
        at.run()
    assert not at.exception
    return at


def test_attainment_page_shows_the_independent_figures(regions: pd.DataFrame) -> None:
    at = _run("attainment", as_of=AS_OF.isoformat(), region="430100", indicator="family_health_funds_yuan")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["实际完成"] == f"{flow_total('family_health_funds_yuan', '4301', AS_OF):,.0f}"
    at = _run("attainment", as_of=AS_OF.isoformat(), indicator="instructor_coverage")
    covered, total = coverage(regions, None, AS_OF)
    assert {m.label: m.value for m in at.metric}["实际完成"] == f"{covered / total:.1%}"


def test_overview_card_shows_the_independent_figure(regions: pd.DataFrame) -> None:
    at = _run("home", as_of=AS_OF.isoformat(), lang="en")
    html = " ".join(str(h.proto.body) for h in at.get("html"))
    covered, total = coverage(regions, None, AS_OF)
    assert f"{covered / total:.1%}" in html
    # the youth-base card shows the count of prefectures with a base
    assert f">{len(prefectures_with_a_base(AS_OF))}<" in html


def test_attainment_page_league_reads_missed_where_the_parquet_falls_short_on_31_december(
    regions: pd.DataFrame,
) -> None:
    """The league's status of each prefecture on the deadline, from the Parquet: 100 % instructor
    coverage is done, anything less is missed (never on track or at risk), labelled with its mark."""
    from ui.i18n import catalog
    from ui.theme import STATUS_MARK

    zh = catalog("zh")
    december = D(2023, 12, 31)
    at = _run("attainment", as_of=december.isoformat(), indicator="instructor_coverage")
    _, league = league_html.parse(league_html.from_app(at))
    shown = {row["cells"]["region"]: row["cells"]["status"] for row in league}
    prefectures = regions[regions["level"] == "prefecture"]
    assert len(shown) == len(prefectures) == 14
    for code, name in zip(prefectures["region_code"], prefectures["name_zh"], strict=True):
        covered, total = coverage(regions, code, december)
        expected = "done" if covered == total else "missed"
        assert shown[name] == f"{STATUS_MARK[expected]} {zh[f'status.{expected}']}", name
