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


# --- phasing: expected values worked by hand ------------------------------------------------


def test_linear_phasing_counts_days_inclusively() -> None:
    start, year_end = D(2023, 1, 1), D(2023, 12, 31)
    # 1 Jan … 30 Jun is 181 days of 365
    assert expected_fraction(D(2023, 6, 30), start, year_end, "linear") == pytest.approx(181 / 365)
    assert expected_fraction(D(2023, 12, 31), start, year_end, "linear") == 1.0
    assert expected_fraction(D(2022, 12, 31), start, year_end, "linear") == 0.0


def test_linear_phasing_across_a_30_june_deadline() -> None:
    start, h1 = D(2023, 1, 1), D(2023, 6, 30)
    # 31 March: 90 days of the 181 to the deadline
    assert expected_fraction(D(2023, 3, 31), start, h1, "linear") == pytest.approx(90 / 181)
    # on and after the deadline the whole target is expected
    assert expected_fraction(D(2023, 6, 30), start, h1, "linear") == 1.0
    assert expected_fraction(D(2023, 9, 30), start, h1, "linear") == 1.0


def _expected(target: float, on: dt.date, phasing: str, **kw: object) -> float:
    return attainment.expected_value(target, on, plan_year=2023, due=D(2023, 12, 31), phasing=phasing, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("on", "linear_yuan", "linear_points", "step", "schedule"),
    [
        # 1,000,000 yuan × 90/365 = 246,575.34; 20 points × 90/365 = 4.93 → 4 whole points;
        # a step expects nothing; the schedule's 31 March point is 4
        (D(2023, 3, 31), 1_000_000 * 90 / 365, 4, 0, 4),
        # 30 June: × 181/365 = 495,890.41 yuan; 20 × 181/365 = 9.92 → 9 points (never "9.9");
        # step still 0; schedule at 30 June is 10
        (D(2023, 6, 30), 1_000_000 * 181 / 365, 9, 0, 10),
        # 31 December, the due date: the whole target under every phasing
        (D(2023, 12, 31), 1_000_000, 20, 1, 24),
    ],
)
def test_each_phasing_at_three_dates(
    on: dt.date, linear_yuan: float, linear_points: float, step: float, schedule: float
) -> None:
    assert _expected(1_000_000, on, "linear") == pytest.approx(linear_yuan)
    assert _expected(20, on, "linear", whole=True) == linear_points
    assert _expected(1, on, "step", whole=True) == step
    points = ((D(2023, 3, 31), 4.0), (D(2023, 6, 30), 10.0), (D(2023, 9, 30), 20.0))
    assert _expected(24, on, "schedule", schedule=points) == schedule


def test_schedule_between_points_holds_the_last_point_and_zero_before_the_first() -> None:
    points = ((D(2023, 3, 31), 4.0), (D(2023, 6, 30), 10.0))
    assert _expected(24, D(2023, 2, 28), "schedule", schedule=points) == 0
    assert _expected(24, D(2023, 7, 31), "schedule", schedule=points) == 10


def test_a_single_thing_prorated_linearly_expects_nothing_before_its_due_date() -> None:
    # one base, linear: 1 × 334/365 = 0.92 on 30 Nov → 0 whole bases expected
    assert _expected(1, D(2023, 11, 30), "linear", whole=True) == 0
    assert _expected(1, D(2023, 12, 31), "linear", whole=True) == 1


def test_judged_date_is_the_last_complete_month_end() -> None:
    assert attainment.judged_date(D(2023, 7, 15), 2023) == D(2023, 6, 30)
    assert attainment.judged_date(D(2023, 6, 30), 2023) == D(2023, 6, 30)
    assert attainment.judged_date(D(2023, 3, 1), 2023) == D(2023, 2, 28)
    # before the first month has ended there is no complete month: the date itself
    assert attainment.judged_date(D(2023, 1, 20), 2023) == D(2023, 1, 20)


# --- status rules: every transition ---------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "expected", "has_data", "due_reached", "late", "rule", "status"),
    [
        # before the due date: the pace decides
        (20, 20, 10, True, False, False, "total", "done"),
        (10, 20, 10, True, False, False, "total", "on_track"),  # exactly on the line
        (9.5, 20, 10, True, False, False, "total", "on_track"),  # 0.95 of expected
        (9.4, 20, 10, True, False, False, "total", "at_risk"),
        (8.0, 20, 10, True, False, False, "total", "at_risk"),  # 0.80 of expected
        (7.9, 20, 10, True, False, False, "total", "behind"),
        (0, 1, 0, True, False, False, "total", "not_yet_due"),  # a step before its date
        (None, 20, 10, False, False, False, "total", "no_data"),  # grey, never red
        # on or after the due date: the calendar decides
        (20, 20, 20, True, True, False, "total", "done"),
        (20, 20, 20, True, True, True, "total", "done_late"),
        (19.9, 20, 20, True, True, False, "total", "missed"),  # never on track on the deadline
        (13, 14, 14, True, True, False, "every_region_at_least", "missed"),  # 13 of 14: not "at risk"
        (None, 1, 1, False, True, False, "total", "overdue_no_report"),  # not grey "no data"
        (0, 1, 1, False, True, False, "total", "overdue_no_report"),  # 0 % counted, nothing reported
        (5, None, None, True, True, False, "none", "no_target"),
    ],
)
def test_judge(
    actual: float | None,
    target: float | None,
    expected: float | None,
    has_data: bool,
    due_reached: bool,
    late: bool,
    rule: str,
    status: str,
) -> None:
    got = judge(
        actual, target, expected, has_data=has_data, due_reached=due_reached, reached_late=late, target_rule=rule
    )
    assert got == status
    if due_reached:
        assert got in (*attainment.AFTER_DUE, "no_target")


def test_the_status_set_is_defined_once() -> None:
    assert set(attainment.STATUS_SEVERITY) == set(attainment.STATUSES)
    assert attainment.WORST_FIRST[0] == "missed"
    assert set(attainment.NEEDS_ACTION) < set(attainment.STATUSES)


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
    # B never reported: listed as missing and as not reported
    assert row["regions_unreported"] == ["430200"]
    # step phasing: nothing is expected before 31 December, so 1 of 2 is not yet due, never behind
    assert row["expected"] == 0
    assert row["status"] == "not_yet_due"
    p = _table(tiny_con, D(2023, 3, 31), "prefecture")
    assert p.loc[("bases", "430100"), "status"] == "done"
    assert p.loc[("bases", "430200"), "status"] == "no_data"
    # on the due date the one prefecture that never reported is overdue, and the province has missed
    p12 = _table(tiny_con, D(2023, 12, 31), "prefecture")
    assert p12.loc[("bases", "430200"), "status"] == "overdue_no_report"
    row12 = _table(tiny_con, D(2023, 12, 31), "province").loc[("bases", "430000")]
    assert (row12["status"], row12["gap"]) == ("missed", 1)


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
        1.0, D(2023, 6, 30), plan_year=2023, due=D(2023, 12, 31), phasing="linear", baseline=0.6
    )
    assert got == pytest.approx(0.6 + 0.4 * 150 / 334)
    # until the end of January the baseline itself is expected; on the due date the target
    assert (
        attainment.expected_value(
            1.0, D(2023, 1, 15), plan_year=2023, due=D(2023, 12, 31), phasing="linear", baseline=0.6
        )
        == 0.6
    )
    assert (
        attainment.expected_value(
            1.0, D(2023, 12, 31), plan_year=2023, due=D(2023, 12, 31), phasing="linear", baseline=0.6
        )
        == 1.0
    )
    # without a baseline (flows, stocks) the line starts from zero on 1 January
    assert attainment.expected_value(
        20, D(2023, 6, 30), plan_year=2023, due=D(2023, 12, 31), phasing="linear"
    ) == pytest.approx(20 * 181 / 365)


def test_coverage_expected_starts_from_the_reported_january_level(tiny_con: duckdb.DuckDBPyConnection) -> None:
    # January: v1 (2) and vz (2) covered of 4 villages → baseline 0.5 for the province.
    # 28 Feb: 0.5 + 0.5 × 28/334 expected; actual 0.75 is ahead of it.
    t = _table(tiny_con, D(2023, 2, 28), "province")
    assert t.loc[("cov", "430000"), "expected"] == pytest.approx(0.5 + 0.5 * 28 / 334)
    assert t.loc[("cov", "430000"), "status"] == "on_track"
