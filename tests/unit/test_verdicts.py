"""Verdicts that follow the calendar, on a tiny folder whose every number is worked by hand.

The tiny folder of tests/unit/tiny.py plus three targets made to cross their due dates:

* ``late_event``: a one-off (step) due 31 March, reported 0 for February and 1 for May:
  not yet due in February, missed in March and April, done late (reached 31 May) from May.
* ``silent_event``: a one-off due 30 June that nobody reports: no data before, overdue
  with no report from 30 June.
* ``sched``: 24 things on a schedule the association set (4 by 31 March, 10 by 30 June,
  20 by 30 September), 3 reported for March and 7 for June.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import db, queries
from analytics.queries.series import indicator_series
from tests.unit import tiny

D = dt.date

EXTRA_INDICATORS = [
    tiny._ind("late_event", "milestone", "total", phasing="step"),
    tiny._ind("silent_event", "milestone", "total", phasing="step"),
    tiny._ind("sched", "flow", "total", phasing="schedule"),
]
EXTRA_TARGETS = [
    tiny._t("late_event", "430000", 1, D(2023, 3, 31), "step"),
    tiny._t("silent_event", "430000", 1, D(2023, 6, 30), "step"),
    tiny._t("sched", "430000", 24, D(2023, 12, 31), "schedule"),
    tiny._t("cov", "430202", 1.0),  # county B's coverage target, as the plan sets for every county
]
SCHEDULE = [
    {"plan_year": 2023, "indicator_id": "sched", "region_code": "430000", "period_end": d, "cumulative_value": v}
    for d, v in ((D(2023, 3, 31), 4.0), (D(2023, 6, 30), 10.0), (D(2023, 9, 30), 20.0))
]
EXTRA_PROGRESS = [
    tiny._p("late_event", "430000", 2, 0),
    tiny._p("late_event", "430000", 5, 1),
    tiny._p("sched", "430102", 3, 3),
    tiny._p("sched", "430102", 6, 7),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    folder: Path = tiny.build(tmp_path_factory.mktemp("verdicts"))
    tiny._write(folder, "indicators", tiny.INDICATORS + EXTRA_INDICATORS)
    tiny._write(folder, "targets", tiny.TARGETS + EXTRA_TARGETS)
    tiny._write(folder, "target_schedules", SCHEDULE)
    tiny._write(folder, "progress", tiny.PROGRESS + EXTRA_PROGRESS)
    return db.connect(folder)


def _row(
    con: duckdb.DuckDBPyConnection, indicator: str, as_of: dt.date, region: str = "430000", level: str = "province"
) -> pd.Series:
    t = queries.attainment_table(con.cursor(), plan_year=2023, as_of=as_of, level=level)
    row: pd.Series = t.set_index(["indicator_id", "region_code"]).loc[(indicator, region)]
    return row


@pytest.mark.parametrize(
    ("as_of", "status", "reached_on"),
    [
        (D(2023, 2, 28), "not_yet_due", None),  # reported 0, nothing expected before 31 March
        (D(2023, 3, 31), "missed", None),  # the due date: 0 of 1
        (D(2023, 4, 30), "missed", None),
        (D(2023, 5, 31), "done_late", D(2023, 5, 31)),  # reached two months late
        (D(2023, 6, 15), "done_late", D(2023, 5, 31)),  # mid-month: judged at 31 May
        (D(2023, 12, 31), "done_late", D(2023, 5, 31)),
    ],
)
def test_a_one_off_crosses_its_due_date(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, status: str, reached_on: dt.date | None
) -> None:
    row = _row(con, "late_event", as_of)
    assert row["status"] == status
    assert (None if pd.isna(row["reached_on"]) else row["reached_on"]) == reached_on


def test_a_missed_one_off_says_how_far_short(con: duckdb.DuckDBPyConnection) -> None:
    row = _row(con, "late_event", D(2023, 4, 30))
    assert (row["actual"], row["target"], row["gap"]) == (0, 1, 1)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (D(2023, 5, 31), "no_data"),  # grey before the due date
        (D(2023, 6, 30), "overdue_no_report"),  # on the due date with nothing reported
        (D(2023, 7, 1), "overdue_no_report"),  # the first day after: judged at 30 June
        (D(2023, 12, 31), "overdue_no_report"),
    ],
)
def test_a_first_half_milestone_with_no_report_is_overdue(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, status: str
) -> None:
    assert _row(con, "silent_event", as_of)["status"] == status


@pytest.mark.parametrize(
    ("as_of", "actual", "expected", "status"),
    [
        (D(2023, 2, 28), None, 0, "no_data"),  # nothing scheduled, nothing reported
        (D(2023, 3, 31), 3, 4, "behind"),  # 3 / 4 = 0.75 < 0.80
        (D(2023, 4, 30), 3, 4, "behind"),  # the schedule holds 4 until 30 June
        (D(2023, 6, 30), 10, 10, "on_track"),  # 10 / 10
        (D(2023, 9, 30), 10, 20, "behind"),  # 10 / 20 = 0.5
        (D(2023, 12, 31), 10, 24, "missed"),  # the due date: 10 of 24
    ],
)
def test_a_schedule_set_by_the_association(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, actual: float | None, expected: float, status: str
) -> None:
    row = _row(con, "sched", as_of)
    assert (None if pd.isna(row["actual"]) else row["actual"]) == actual
    assert row["expected"] == expected
    assert row["status"] == status


@pytest.mark.parametrize(("region", "level"), [("430200", "prefecture"), ("430202", "county")])
def test_a_region_with_no_report_counts_as_its_parent_counts_it(
    con: duckdb.DuckDBPyConnection, region: str, level: str
) -> None:
    # B's one village never reported: the province counts it as not covered (3 of 4 on 28 Feb) …
    province = _row(con, "cov", D(2023, 2, 28))
    assert (province["numerator"], province["denominator"]) == (3, 4)
    # … so B's own row reads 0 of 1 (0 %) with no report, not "—"
    own = _row(con, "cov", D(2023, 2, 28), region, level)
    assert (own["numerator"], own["denominator"], own["actual"]) == (0, 1, 0)
    assert not own["has_data"]
    assert own["status"] == "no_data"
    # on the due date it is overdue with no report, at every level
    assert _row(con, "cov", D(2023, 12, 31), region, level)["status"] == "overdue_no_report"


def test_the_series_draws_nothing_after_the_as_of_date(con: duckdb.DuckDBPyConnection) -> None:
    s = indicator_series(con.cursor(), plan_year=2023, indicator_id="sched", as_of=D(2023, 7, 20)).set_index(
        "month_end"
    )
    # judged at 30 June: June's figure is there, July's and later are not (and carry no status)
    assert s.loc[D(2023, 6, 30), "actual"] == 10
    assert s.loc[D(2023, 6, 30), "status"] == "on_track"
    assert s.loc[D(2023, 7, 31) :, "actual"].isna().all()
    assert s.loc[D(2023, 7, 31) :, "status"].isna().all()
    # the expected line is drawn for the whole year from the schedule
    assert list(s["expected"].loc[[D(2023, 3, 31), D(2023, 9, 30), D(2023, 12, 31)]]) == [4, 20, 24]


def test_the_series_marks_a_late_one_off(con: duckdb.DuckDBPyConnection) -> None:
    s = indicator_series(con.cursor(), plan_year=2023, indicator_id="late_event").set_index("month_end")
    assert list(s.loc[D(2023, 2, 28) : D(2023, 6, 30), "status"]) == [
        "not_yet_due",
        "missed",
        "missed",
        "done_late",
        "done_late",
    ]
