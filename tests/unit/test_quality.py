"""The data quality metrics on a tiny folder (tests/unit/tiny_quality.py), numbers worked out by hand,
then reporting completeness and timeliness on the bundled data against pandas straight over the Parquet."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db, quality
from analytics.queries import quality as q
from analytics.queries import sql_text
from tests.unit import quality_independent as independent
from tests.unit import tiny_quality

D = dt.date
JAN, FEB = D(2023, 1, 31), D(2023, 2, 28)
TJ, TF = pd.Timestamp(JAN), pd.Timestamp(FEB)  # month ends as DuckDB hands them to pandas


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return db.connect(tiny_quality.build(tmp_path_factory.mktemp("tiny_quality")))


def _reports(con: duckdb.DuckDBPyConnection, as_of: dt.date = FEB, within: str = "430000") -> pd.DataFrame:
    return quality.classify_reports(q.reports(con.cursor(), plan_year=2023, as_of=as_of, within=within))


# --- completeness and timeliness -----------------------------------------------------------


def test_deadline_is_five_days_after_month_end() -> None:
    assert quality.deadline(JAN) == D(2023, 2, 5)
    assert quality.deadline(FEB) == D(2023, 3, 5)


def test_reports_expected_received_on_time_late_missing(con: duckdb.DuckDBPyConnection) -> None:
    r = _reports(con).set_index(["county_code", "period_end"])
    # 3 county-level units (the zone 430171 is not one) × Jan, Feb
    assert len(r) == 6
    state = r["state"].to_dict()
    assert state == {
        ("430102", TJ): "on_time",  # first row 02-03 ≤ deadline 02-05 (the blank articles row came 02-08)
        ("430102", TF): "late",  # 03-10 > 03-05
        ("430103", TJ): "on_time",  # sent by its zone 430171 on 02-05: the deadline day counts
        ("430103", TF): "missing",
        ("430202", TJ): "on_time",
        ("430202", TF): "on_time",
    }
    assert r.at[("430102", TF), "days_late"] == 5  # 03-10 − 03-05
    assert pd.isna(r.at[("430102", TJ), "days_late"])


def test_prefecture_completeness_three_of_four_one_late(con: duckdb.DuckDBPyConnection) -> None:
    # prefecture A: 430102 Jan on time, Feb late; 430103 Jan on time (via its zone), Feb missing
    rates = quality.reporting_rates(_reports(con, within="430100"), []).iloc[0]
    assert (rates["expected"], rates["received"], rates["on_time"], rates["late"], rates["missing"]) == (4, 3, 2, 1, 1)
    assert rates["completeness"] == pytest.approx(3 / 4)
    assert rates["timeliness"] == pytest.approx(2 / 4)  # a missing report is not on time either
    # figures: 430102 Jan 4 rows, 3 by the deadline; 430102 Feb 4 rows, none; 430103 Jan 2 rows, both
    assert (rates["figures"], rates["figures_on_time"]) == (10, 5)


def test_rates_by_prefecture_and_month(con: duckdb.DuckDBPyConnection) -> None:
    by = quality.reporting_rates(_reports(con), ["prefecture_code", "period_end"]).set_index(
        ["prefecture_code", "period_end"]
    )
    assert by.at[("430100", TJ), "completeness"] == 1.0
    assert by.at[("430100", TF), "completeness"] == 0.5
    assert by.at[("430100", TF), "timeliness"] == 0.0
    assert by.at[("430200", TF), "timeliness"] == 1.0
    province = quality.reporting_rates(_reports(con), []).iloc[0]
    assert (province["expected"], province["received"], province["on_time"]) == (6, 5, 4)
    # figures 4 + 4 + 2 + 4 + 5 (430202 Feb has the ghost row too) = 19; on time 3 + 0 + 2 + 4 + 5 = 14
    assert (province["figures"], province["figures_on_time"]) == (19, 14)
    assert province["figure_timeliness"] == pytest.approx(14 / 19)


def test_as_of_chooses_the_months(con: duckdb.DuckDBPyConnection) -> None:
    january = quality.reporting_rates(_reports(con, as_of=JAN), []).iloc[0]
    assert (january["expected"], january["received"], january["on_time"]) == (3, 3, 3)


def test_records_behind_the_rates(con: duckdb.DuckDBPyConnection) -> None:
    records = quality.report_records(_reports(con))
    assert list(zip(records["county_code"], records["state"], strict=True)) == [
        ("430103", "missing"),
        ("430102", "late"),
    ]


def test_rate_bands() -> None:
    assert [quality.rate_band(r) for r in (1.0, 0.9, 0.85, 0.8, 0.79, None)] == [
        "on_track",
        "on_track",
        "at_risk",
        "at_risk",
        "behind",
        "no_data",
    ]


def test_indicator_completeness(con: duckdb.DuckDBPyConnection) -> None:
    inds = q.report_indicators(con.cursor(), plan_year=2023)
    # the ghost row is no indicator of the plan, the milestone is the province's, the ratios composed
    assert sorted(inds["indicator_id"]) == ["articles", "cov_num", "cov_total", "funds"]
    gaps = q.indicator_gaps(con.cursor(), plan_year=2023, as_of=FEB, indicator_ids=list(inds["indicator_id"]))
    assert sorted(zip(gaps["county_code"], gaps["indicator_id"], gaps["gap"], strict=True)) == [
        ("430102", "articles", "blank"),  # a row without a value
        ("430103", "cov_num", "absent"),  # the zone's report has no row for these
        ("430103", "cov_total", "absent"),
    ]
    table = quality.indicator_completeness(_reports(con), gaps, list(inds["indicator_id"])).set_index("indicator_id")
    # 5 reports received; articles has a value in 4 of them, funds in all 5
    assert table.at["articles", "received"] == 5
    assert table.at["articles", "completeness"] == pytest.approx(4 / 5)
    assert table.at["cov_total", "absent"] == 1
    assert table.at["funds", "completeness"] == 1.0


def test_village_coverage(con: duckdb.DuckDBPyConnection) -> None:
    units = q.village_units(con.cursor(), plan_year=2023, as_of=FEB)
    total = quality.village_coverage(units, []).iloc[0]
    # v1 reported in Jan, vz in Feb; v2 and vb never
    assert (total["units"], total["reported"], total["never_reported"]) == (4, 2, 2)
    assert total["never_share"] == 0.5
    by = quality.village_coverage(units, ["prefecture_code"]).set_index("prefecture_code")
    assert (by.at["430100", "units"], by.at["430100", "never_reported"]) == (3, 1)  # v1, v2, vz; v2 never
    by_county = units.set_index("county_code")
    assert by_county.at["430103", "units"] == 1  # the zone's village counts for its host county
    # as of January vz had not reported yet
    jan = quality.village_coverage(q.village_units(con.cursor(), plan_year=2023, as_of=JAN), []).iloc[0]
    assert jan["never_reported"] == 3
    never = q.villages_never_reported(con.cursor(), plan_year=2023, as_of=FEB, within="430100")
    assert list(never["region_code"]) == ["430102001002"]


# --- outliers ---------------------------------------------------------------------------------


def test_modified_z_by_hand() -> None:
    # median of 10 12 11 13 12 40 = 12; |x − 12| = 2 0 1 1 0 28, sorted 0 0 1 1 2 28: MAD = 1
    median, mad, scores = quality.modified_z([10, 12, 11, 13, 12, 40])
    assert (median, mad) == (12.0, 1.0)
    assert scores[5] == pytest.approx(0.6745 * 28)  # 18.886: an outlier
    assert scores[0] == pytest.approx(-0.6745 * 2)
    # more than half the values equal: MAD 0, nothing can be scored
    assert quality.modified_z([5, 5, 5, 5, 9, 5])[2] == [None] * 6


def _series(rows: list[tuple[str, dt.date, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(c, "430100", "430000", "funds", m, v) for c, m, v in rows],
        columns=["county_code", "prefecture_code", "province_code", "indicator_id", "period_end", "value"],
    )


MONTHS = [D(2023, m, 28) for m in range(2, 8)]


def test_outliers_against_own_months_and_peers() -> None:
    rows = [("X", m, v) for m, v in zip(MONTHS, [10, 12, 11, 13, 12, 40], strict=True)]
    rows += [("Y", m, v) for m, v in zip(MONTHS, [5, 5, 5, 5, 9, 5], strict=True)]  # MAD 0: not scored
    # ten counties in January: median 6; |x − 6| = 1 0 1 1 0 1 0 1 1 24, sorted: MAD (1 + 1) / 2 = 1
    peers = [5, 6, 7, 5, 6, 7, 6, 5, 7, 30]
    rows += [(f"C{i}", D(2023, 1, 31), v) for i, v in enumerate(peers)]
    flags = quality.outliers(_series(rows))
    assert list(zip(flags["county_code"], flags["test"], strict=True)) == [("X", "history"), ("C9", "peers")]
    x = flags.iloc[0]
    assert (x["value"], x["median"], x["mad"], x["n"], x["direction"]) == (40, 12, 1, 6, "above")
    assert x["score"] == pytest.approx(18.8860)
    assert flags.iloc[1]["score"] == pytest.approx(0.6745 * 24)  # 16.188
    assert flags.iloc[1]["n"] == 10


def test_low_values_only_when_asked() -> None:
    # median 20; |x − 20| = 0 1 1 0 1 20: MAD 1, score of 0 = −13.49
    rows = [("X", m, v) for m, v in zip(MONTHS, [20, 21, 19, 20, 21, 0], strict=True)]
    assert quality.outliers(_series(rows)).empty
    low = quality.outliers(_series(rows), quality.QualitySettings(flag_low_values=True))
    assert low.iloc[0]["direction"] == "below"
    assert low.iloc[0]["score"] == pytest.approx(-0.6745 * 20)


def test_too_few_months_or_peers_are_not_scored() -> None:
    rows = [("X", m, v) for m, v in zip(MONTHS[:5], [10, 12, 11, 13, 40], strict=True)]  # 5 months < 6
    rows += [(f"C{i}", D(2023, 1, 31), v) for i, v in enumerate([5, 6, 7, 5, 6, 7, 6, 5, 30])]  # 9 < 10
    assert quality.outliers(_series(rows)).empty


def test_outlier_band() -> None:
    own = _series([("X", m, v) for m, v in zip(MONTHS, [10, 12, 11, 13, 12, 40], strict=True)])
    median, low, high = quality.outlier_band(own) or (0, 0, 0)
    # 12 ± 3.5 × 1 / 0.6745
    assert (median, low, high) == pytest.approx((12, 12 - 3.5 / 0.6745, 12 + 3.5 / 0.6745))
    assert quality.outlier_band(own.iloc[:5]) is None


def test_outliers_on_the_tiny_folder_need_six_months(con: duckdb.DuckDBPyConnection) -> None:
    series = q.series(con.cursor(), plan_year=2023, as_of=FEB)
    # 430171's funds count for 430103; milestones and the ghost indicator are not scored
    assert set(series["indicator_id"]) == {"funds", "articles", "cov_num", "cov_total"}
    assert series.query("county_code == '430103' and indicator_id == 'funds'")["value"].tolist() == [50]
    assert quality.outliers(series).empty


# --- rules --------------------------------------------------------------------------------------


def test_consistency_rules_find_each_breaker(con: duckdb.DuckDBPyConnection) -> None:
    found = q.consistency_violations(con.cursor())
    assert sorted(zip(found["rule_id"], found["record"], strict=True)) == [
        ("childcare_status_dates", "CC-1"),
        ("participants_of_held_class", "TR-1"),
        ("progress_indicator_reported", "ghost"),
        ("ratio_numerator_le_denominator", "cov_num"),
        ("reported_after_period", "430171001001"),
    ]
    ratio = found[found["rule_id"] == "ratio_numerator_le_denominator"].iloc[0]
    assert (ratio["region_code"], ratio["value"], ratio["compared"]) == ("430102", "12.0", "cov_total = 10.0")
    summary = quality.consistency_summary(found).set_index("rule_id")["violations"]
    assert summary.sum() == 5 and len(summary) == len(quality.CONSISTENCY_RULES)
    assert summary["childcare_date_order"] == 0  # listed, and found nothing


def test_consistency_rules_listed_match_the_sql() -> None:
    """Every rule of CONSISTENCY_RULES is a step of the SQL file, and every step is listed."""
    steps = set(re.findall(r"^(?:with )?(\w+) as \(", sql_text("quality_consistency_violations"), re.M))
    assert steps - {"ratios", "found"} == {r for r, _ in quality.CONSISTENCY_RULES}


def test_contract_problems_on_broken_rows() -> None:
    good = dict(plan_year=2023, indicator_id="funds", region_code="430102", period_end=JAN, value=1.0)
    rows = [
        {**good, "reported_at": D(2023, 2, 3)},
        {**good, "indicator_id": "a", "value": -5.0, "reported_at": D(2023, 2, 3)},  # negative
        {**good, "indicator_id": "b", "period_end": D(2023, 2, 15), "reported_at": D(2023, 2, 3)},  # not a month end
        {**good, "reported_at": D(2023, 2, 4)},  # the key of row 1 again
        {**good, "indicator_id": "c", "region_code": "999999", "reported_at": D(2023, 2, 3)},  # unknown code
        {**good, "indicator_id": "d", "region_code": "430102001001", "reported_at": D(2023, 2, 3)},  # a village
        {**good, "indicator_id": "e", "reported_at": None},  # required
    ]
    progress = pd.DataFrame(rows).assign(source_file="part-0.parquet")
    participants = pd.DataFrame(
        [dict(class_id="T", region_code="430102", enrolled=5, attended=6, completed=1, reported_at=FEB)]
    ).assign(source_file="p.parquet")
    regions = pd.DataFrame({"region_code": ["430102", "430102001001"], "level": ["county", "village"]})
    summary, examples = quality.contract_problems(
        {"progress": progress, "training_participants": participants}, regions
    )
    found = summary[summary["violations"] > 0].set_index(["table", "kind"])["violations"].to_dict()
    assert found == {
        ("progress", "key"): 2,  # both rows of the duplicated key
        ("progress", "non_negative"): 1,
        ("progress", "month_end"): 1,
        ("progress", "region_known"): 1,
        ("progress", "region_level"): 1,
        ("progress", "required"): 1,
        ("training_participants", "le"): 1,  # attended 6 > enrolled 5
    }
    # every check of the two tables is listed, broken or not
    assert len(summary) == len(
        [c for c in quality.contract_checks() if c.table in ("progress", "training_participants")]
    )
    key_rows = examples[examples["kind"] == "key"]
    assert list(key_rows["row"]) == [1, 4] and list(key_rows["row_in_file"]) == [1, 4]
    negative = examples[examples["kind"] == "non_negative"].iloc[0]
    assert (negative["row"], negative["value"], negative["record"]) == (2, "-5.0", "2023 / a / 430102 / 2023-01-31")


def test_every_problem_kind_is_recognised() -> None:
    assert {c.kind for c in quality.contract_checks()} <= set(quality.CHECK_KINDS)


def test_population_comparison() -> None:
    pairs = pd.DataFrame({"value": [100.0, 100.0, 0.0], "other_value": [109.0, 111.0, 5.0]})
    out = quality.population_comparison(pairs)
    assert out["difference"].round(2).tolist()[:2] == [0.09, 0.11]
    assert out["disagrees"].tolist() == [False, True, False]  # within 10 %; beyond; no base to compare


def test_the_tiny_folder_meets_the_contract(con: duckdb.DuckDBPyConnection) -> None:
    tables = q.staging_tables(con.cursor())
    summary, examples = quality.contract_problems(tables, tables["regions"])
    assert summary["violations"].sum() == 0 and examples.empty


def test_contract_checks_read_the_province_and_every_unknown_region(tmp_path: Path) -> None:
    # a national folder: another province's rows are its own business (even a broken one), but a
    # row whose region is in no region table, or has none, is an error the page must show
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analytics.contract import TABLES
    from tests.unit import tiny

    folder = tiny_quality.build(tmp_path / "national")

    def extra(table: str, rows: list[dict[str, object]]) -> None:
        t = TABLES[table]
        cols = {f.name: [r.get(f.name) for r in rows] for f in t.schema}
        pq.write_table(pa.table(cols, schema=t.schema), folder / t.folder / "part-1.parquet")

    extra(
        "regions",
        [
            tiny._region("440000", None, "province", "province", "别省", None, None),
            tiny._region("440100", "440000", "prefecture", "prefecture", "丙市", "440100", None),
            tiny._region("440102", "440100", "county", "district", "丙一区", "440100", "440102"),
        ],
    )
    extra(
        "progress",
        [
            tiny_quality._p("funds", "440102", JAN, -5, D(2023, 2, 3)),  # another province, broken: not ours
            tiny_quality._p("funds", "999999", JAN, 7, D(2023, 2, 3)),  # a code no region table knows
        ],
    )
    con = db.connect(folder)
    tables = q.staging_tables(con.cursor())
    assert "440102" not in set(tables["regions"]["region_code"]) and "440000" not in set(
        tables["regions"]["region_code"]
    )
    progress = tables["progress"]
    assert len(progress) == len(tiny_quality.PROGRESS) + 1  # the Hunan rows and the stray one
    assert list(progress["region_code"].iloc[-1:]) == ["999999"]  # strays after the province's rows
    summary, examples = quality.contract_problems(tables, tables["regions"])
    broken = summary[summary["violations"] > 0]
    assert list(broken["table"]) == ["progress"] and broken["violations"].sum() == 1
    assert list(examples["value"]) == ["999999"]
    # the whole folder, unscoped, has the other province's negative value too
    everything = {name: con.table(f"stg_{name}").df() for name in TABLES}
    all_summary, _ = quality.contract_problems(everything, everything["regions"])
    assert all_summary["violations"].sum() == 2


# --- the bundled data against pandas over the Parquet -------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> duckdb.DuckDBPyConnection:
    return db.connect(independent.DATA)


@pytest.mark.parametrize(
    ("region", "as_of"), [("430000", D(2023, 12, 31)), ("430900", D(2023, 6, 30)), ("433100", D(2023, 9, 30))]
)
def test_bundled_completeness_and_timeliness_equal_pandas(
    bundled: duckdb.DuckDBPyConnection, region: str, as_of: dt.date
) -> None:
    reports = quality.classify_reports(q.reports(bundled.cursor(), plan_year=2023, as_of=as_of, within=region))
    rates = quality.reporting_rates(reports, []).iloc[0]
    expected = independent.reporting(None if region == "430000" else region, as_of)
    assert {k: int(rates[k]) for k in expected} == expected
    villages = quality.village_coverage(
        q.village_units(bundled.cursor(), plan_year=2023, as_of=as_of, within=region), []
    ).iloc[0]
    assert {k: int(villages[k]) for k in ("units", "never_reported")} == independent.villages(
        None if region == "430000" else region, as_of
    )
    if region == "430000":
        # 122 county-level units (the 12 statistical zones report through their hosts) × 12 months
        assert expected["expected"] == 122 * 12


def test_bundled_data_breaks_no_rule(bundled: duckdb.DuckDBPyConnection) -> None:
    """The demo data has no violations: the page says so with the rules it checked (a real result)."""
    tables = q.staging_tables(bundled.cursor())
    summary, _ = quality.contract_problems(tables, tables["regions"])
    assert summary["violations"].sum() == 0
    assert len(summary) == len(quality.contract_checks())
    assert q.consistency_violations(bundled.cursor()).empty


def test_population_pairs_from_two_files(tmp_path: Path) -> None:
    folder = tiny_quality.add_population(tiny_quality.build(tmp_path))
    pairs = quality.population_comparison(q.population_pairs(db.connect(folder).cursor())).set_index("region_code")
    # the association's file is in force; the bundled figure is the other source
    assert pairs.at["430000", "source_file"] == "fpa_2024.parquet"
    assert pairs.at["430000", "other_source_file"] == "population.parquet"
    assert pairs.at["430000", "difference"] == pytest.approx((100 - 130) / 130)  # −23 %: beyond 10 %
    assert pairs["disagrees"].to_dict() == {"430000": True, "430100": False}  # −3.8 % is within


def test_population_files_may_share_keys(tmp_path: Path) -> None:
    """Two population files with the same keys is the designed way to replace figures, not a
    duplicate key; the same key twice inside one file is."""
    folder = tiny_quality.add_population(tiny_quality.build(tmp_path))
    tables = q.staging_tables(db.connect(folder).cursor())
    summary, _ = quality.contract_problems(tables, tables["regions"])
    assert summary["violations"].sum() == 0
    twice = pd.concat([tables["population"], tables["population"].iloc[[0]]], ignore_index=True)
    summary, examples = quality.contract_problems({"population": twice}, tables["regions"])
    assert summary.set_index("kind").at["key", "violations"] == 2
    assert sorted(examples["row"]) == [1, 5]  # the first row of its file and its copy at the end
