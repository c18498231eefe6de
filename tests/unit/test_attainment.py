"""Indicator semantics on the tiny data folder (tests/unit/tiny.py); every number by hand."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analytics import attainment, queries
from analytics.attainment import expected_fraction, judge

D = dt.date


def _table(con: duckdb.DuckDBPyConnection, as_of: dt.date, level: str, within: str = "430000") -> pd.DataFrame:
    t = queries.attainment_table(con, plan_year=2023, as_of=as_of, level=level, within=within)
    return t.set_index(["indicator_id", "region_code"])


# --- proration --------------------------------------------------------------------------


def test_linear_proration_counts_days_inclusively() -> None:
    start, year_end = D(2023, 1, 1), D(2023, 12, 31)
    # 1 Jan … 30 Jun is 181 days of 365
    assert expected_fraction(D(2023, 6, 30), start, year_end, "linear") == pytest.approx(181 / 365)
    assert expected_fraction(D(2023, 12, 31), start, year_end, "linear") == 1.0
    assert expected_fraction(D(2022, 12, 31), start, year_end, "linear") == 0.0


def test_linear_proration_across_a_30_june_deadline() -> None:
    start, h1 = D(2023, 1, 1), D(2023, 6, 30)
    # 31 March: 90 days of the 181 to the deadline
    assert expected_fraction(D(2023, 3, 31), start, h1, "linear") == pytest.approx(90 / 181)
    # on and after the deadline the whole target is expected
    assert expected_fraction(D(2023, 6, 30), start, h1, "linear") == 1.0
    assert expected_fraction(D(2023, 9, 30), start, h1, "linear") == 1.0


def test_at_due_expects_nothing_before_the_deadline() -> None:
    start, h1 = D(2023, 1, 1), D(2023, 6, 30)
    assert expected_fraction(D(2023, 6, 29), start, h1, "at_due") == 0.0
    assert expected_fraction(D(2023, 6, 30), start, h1, "at_due") == 1.0


# --- status rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "expected", "has_data", "overdue", "rule", "status"),
    [
        (20, 20, 10, True, False, "total", "done"),
        (10, 20, 10, True, False, "total", "on_track"),  # exactly on the line
        (9.5, 20, 10, True, False, "total", "on_track"),  # 0.95 of expected
        (9.4, 20, 10, True, False, "total", "at_risk"),
        (8.0, 20, 10, True, False, "total", "at_risk"),  # 0.80 of expected
        (7.9, 20, 10, True, False, "total", "behind"),
        (0, 1, 0, True, False, "total", "not_yet_due"),  # milestone before its date
        (0, 1, 1, True, True, "total", "behind"),  # past the deadline and not done
        (None, 20, 10, False, False, "total", "no_data"),  # grey, never red
        (5, None, None, True, False, "none", "no_target"),
    ],
)
def test_judge(
    actual: float | None,
    target: float | None,
    expected: float | None,
    has_data: bool,
    overdue: bool,
    rule: str,
    status: str,
) -> None:
    assert judge(actual, target, expected, has_data=has_data, overdue=overdue, target_rule=rule) == status


# --- aggregation kinds through DuckDB -----------------------------------------------------


def test_flow_is_summed_over_months_and_regions(tiny_con: duckdb.DuckDBPyConnection) -> None:
    t = _table(tiny_con, D(2023, 2, 28), "province")
    # 100 + 100 (430102) + 50 (430103) + 300 (430202)
    assert t.loc[("funds", "430000"), "actual"] == 550
    # 1200 × 59/365 expected by 28 Feb
    assert t.loc[("funds", "430000"), "expected"] == pytest.approx(1200 * 59 / 365)
    assert t.loc[("funds", "430000"), "status"] == "on_track"
    p = _table(tiny_con, D(2023, 2, 28), "prefecture")
    assert p.loc[("funds", "430100"), "actual"] == 250
    # B: 300 against 6000 × 59/365 = 969.9 → 0.31 of pace
    assert p.loc[("funds", "430200"), "pace"] == pytest.approx(300 / (6000 * 59 / 365))
    assert p.loc[("funds", "430200"), "status"] == "behind"


def test_flow_excludes_months_after_the_as_of_date(tiny_con: duckdb.DuckDBPyConnection) -> None:
    t = _table(tiny_con, D(2023, 1, 31), "province")
    assert t.loc[("funds", "430000"), "actual"] == 100 + 300


def test_stock_takes_each_regions_last_value_then_sums(tiny_con: duckdb.DuckDBPyConnection) -> None:
    # by 28 Feb: 430102 → 2 (Feb), 430103 → 3 (Jan, carried), 430202 → 1 (Feb)
    assert _table(tiny_con, D(2023, 2, 28), "province").loc[("points", "430000"), "actual"] == 6
    # by 31 Mar: 430202 fell to 0; the others keep their last values: 2 + 3 + 0
    t = _table(tiny_con, D(2023, 3, 31), "province")
    assert t.loc[("points", "430000"), "actual"] == 5
    assert t.loc[("points", "430000"), "status"] == "done"  # 5 ≥ 4


def test_ratio_is_sum_of_numerators_over_sum_of_denominators(tiny_con: duckdb.DuckDBPyConnection) -> None:
    # 28 Feb: v1 (2, Jan), v2 (3, Feb), vz (2, via host 430103) have ≥ 2; vb never reported.
    # Province: 3 covered of 4 villages = 0.75. A mean of the two prefectures' shares
    # (1.0 and 0.0) would give 0.5: the test tells them apart.
    t = _table(tiny_con, D(2023, 2, 28), "province")
    assert t.loc[("cov", "430000"), "actual"] == pytest.approx(0.75)
    assert t.loc[("cov", "430000"), "numerator"] == 3
    assert t.loc[("cov", "430000"), "denominator"] == 4
    p = _table(tiny_con, D(2023, 2, 28), "prefecture")
    assert p.loc[("cov", "430100"), "actual"] == pytest.approx(1.0)
    assert p.loc[("cov", "430100"), "status"] == "done"
    # B's only village never reported: no data, not zero and not red
    assert p.loc[("cov", "430200"), "status"] == "no_data"
    # 31 Mar: v1 dropped to 1 instructor → A 2/3, province 2/4
    p3 = _table(tiny_con, D(2023, 3, 31), "prefecture")
    assert p3.loc[("cov", "430100"), "actual"] == pytest.approx(2 / 3)
    assert _table(tiny_con, D(2023, 3, 31), "province").loc[("cov", "430000"), "actual"] == pytest.approx(0.5)


def test_statistical_zone_villages_report_through_their_host_county(tiny_con: duckdb.DuckDBPyConnection) -> None:
    c = _table(tiny_con, D(2023, 2, 28), "county")
    assert c.loc[("cov", "430103"), "numerator"] == 1
    assert c.loc[("cov", "430103"), "denominator"] == 1
    assert c.loc[("cov", "430102"), "denominator"] == 2
    assert "430171" not in set(c.index.get_level_values("region_code"))


def test_milestone_is_judged_by_its_date(tiny_con: duckdb.DuckDBPyConnection) -> None:
    # reported 0 in March, done in May; due 30 June
    assert _table(tiny_con, D(2023, 4, 30), "province").loc[("h1_milestone", "430000"), "status"] == "not_yet_due"
    assert _table(tiny_con, D(2023, 5, 31), "province").loc[("h1_milestone", "430000"), "status"] == "done"
    # a province-level milestone is not attributed to any prefecture
    p = _table(tiny_con, D(2023, 5, 31), "prefecture")
    assert p.loc[("h1_milestone", "430100"), "status"] == "no_target"


def test_every_region_at_least_counts_regions_and_lists_the_others(tiny_con: duckdb.DuckDBPyConnection) -> None:
    t = _table(tiny_con, D(2023, 3, 31), "province")
    row = t.loc[("bases", "430000")]
    assert (row["actual"], row["target"]) == (1, 2)
    assert row["regions_missing"] == ["430200"]
    # 2 × 90/365 expected by 31 March; 1 reached is ahead of that
    assert row["expected"] == pytest.approx(2 * 90 / 365)
    assert row["status"] == "on_track"
    p = _table(tiny_con, D(2023, 3, 31), "prefecture")
    assert p.loc[("bases", "430100"), "status"] == "done"
    assert p.loc[("bases", "430200"), "status"] == "no_data"


def test_no_data_before_anything_was_reported(tiny_con: duckdb.DuckDBPyConnection) -> None:
    t = _table(tiny_con, D(2022, 12, 31), "province")
    assert set(t["status"]) <= {"no_data", "no_target"}


def test_untargeted_indicators_are_tracked_not_coloured(tiny_con: duckdb.DuckDBPyConnection) -> None:
    t = _table(tiny_con, D(2023, 1, 31), "province")
    assert t.loc[("articles", "430000"), "actual"] == 7
    assert t.loc[("articles", "430000"), "status"] == "no_target"


def test_within_limits_the_regions(tiny_con: duckdb.DuckDBPyConnection) -> None:
    c = _table(tiny_con, D(2023, 2, 28), "county", within="430100")
    assert set(c.index.get_level_values("region_code")) == {"430102", "430103"}
    assert c.loc[("funds", "430102"), "actual"] == 200


def test_components_are_not_judged_on_their_own(tiny_con: duckdb.DuckDBPyConnection) -> None:
    t = _table(tiny_con, D(2023, 2, 28), "province")
    assert "villages_total" not in set(t.index.get_level_values("indicator_id"))


def test_thresholds_live_in_one_place() -> None:
    assert attainment.THRESHOLDS.on_track > attainment.THRESHOLDS.at_risk


def test_coverage_is_prorated_from_its_january_level() -> None:
    # baseline 60 % at 31 Jan, target 100 % on 31 Dec: 31 Jan → 30 Jun is 150 of 334 days
    got = attainment.expected_value(
        1.0, D(2023, 6, 30), plan_year=2023, due=D(2023, 12, 31), proration="linear", baseline=0.6
    )
    assert got == pytest.approx(0.6 + 0.4 * 150 / 334)
    # until the end of January the baseline itself is expected; on the due date the target
    assert (
        attainment.expected_value(
            1.0, D(2023, 1, 15), plan_year=2023, due=D(2023, 12, 31), proration="linear", baseline=0.6
        )
        == 0.6
    )
    assert (
        attainment.expected_value(
            1.0, D(2023, 12, 31), plan_year=2023, due=D(2023, 12, 31), proration="linear", baseline=0.6
        )
        == 1.0
    )
    # without a baseline (flows, stocks) the line starts from zero on 1 January
    assert attainment.expected_value(
        20, D(2023, 6, 30), plan_year=2023, due=D(2023, 12, 31), proration="linear"
    ) == pytest.approx(20 * 181 / 365)


def test_coverage_expected_starts_from_the_reported_january_level(tiny_con: duckdb.DuckDBPyConnection) -> None:
    # January: v1 (2) and vz (2) covered of 4 villages → baseline 0.5 for the province.
    # 28 Feb: 0.5 + 0.5 × 28/334 expected; actual 0.75 is ahead of it.
    t = _table(tiny_con, D(2023, 2, 28), "province")
    assert t.loc[("cov", "430000"), "expected"] == pytest.approx(0.5 + 0.5 * 28 / 334)
    assert t.loc[("cov", "430000"), "status"] == "on_track"
