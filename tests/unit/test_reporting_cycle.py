"""Deadlines and the chase list: a fixture of five counties in two prefectures, two of them late."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analytics.auth.roles import User
from analytics.reporting import cycle
from analytics.reporting import store as store_mod
from analytics.reporting.store import Store, Target
from tests.reporting_support import store_url  # noqa: F401 - a fixture

JUNE = dt.date(2023, 6, 30)
ANALYST_A = User("a", "A", "analyst", "439900")
ANALYST_B = User("b", "B", "analyst", "439800")
ADMIN = User("p", "P", "admin", "430000")

REGIONS = pd.DataFrame(
    {
        "region_code": ["430000", "439900", "439800", "439901", "439902", "439903", "439801", "439802"],
        "level": ["province", "prefecture", "prefecture", "county", "county", "county", "county", "county"],
        "prefecture_code": [None, "439900", "439800", "439900", "439900", "439900", "439800", "439800"],
        "name_zh": ["省", "甲市", "乙市", "一县", "二县", "三县", "四县", "五县"],
        "name_en": ["P", "A", "B", "One", "Two", "Three", "Four", "Five"],
    }
)


@pytest.fixture
def root(tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    monkeypatch.setenv(store_mod.DB_ENV, store_url)
    monkeypatch.delenv(cycle.DEADLINE_ENV, raising=False)
    st = Store(tmp_path)
    # 一县 submitted, 二县 returned (not resubmitted), 三县 nothing; 四县 approved, 五县 nothing
    st.move("submit", Target("439901", "439900", JUNE), ANALYST_A)
    two = Target("439902", "439900", JUNE)
    st.move("submit", two, ANALYST_A)
    st.move("return", two, ANALYST_A, reason="缺数据")
    four = Target("439801", "439800", JUNE)
    st.move("submit", four, ANALYST_B)
    st.move("approve", four, ANALYST_B)
    return tmp_path


def test_chase_list_names_the_late_counties_and_their_days(root: Path) -> None:
    # due on 5 July (the 5th of the following month); on 19 July that is 14 days ago
    status = cycle.month_status(root, REGIONS, JUNE, dt.date(2023, 7, 19))
    assert dict(zip(status["county_code"], status["state"], strict=True)) == {
        "439801": "approved",
        "439802": "not_started",
        "439901": "submitted",
        "439902": "returned",
        "439903": "not_started",
    }
    assert set(status["deadline"]) == {dt.date(2023, 7, 5)}
    chase = cycle.chase_list(status)
    assert list(zip(chase["prefecture_code"], chase["name_zh"], chase["days_late"], strict=True)) == [
        ("439800", "五县", 14),
        ("439900", "二县", 14),
        ("439900", "三县", 14),
    ]
    returned = status.set_index("county_code").loc["439902"]
    assert (returned["return_reason"], returned["returned_by"]) == ("缺数据", "a")


def test_two_late_counties_of_one_prefecture(root: Path) -> None:
    status = cycle.month_status(root, REGIONS, JUNE, dt.date(2023, 7, 8), prefecture_code="439900")
    chase = cycle.chase_list(status)
    assert list(zip(chase["name_zh"], chase["days_late"], strict=True)) == [("二县", 3), ("三县", 3)]


def test_nobody_is_late_on_the_deadline_and_the_deadline_is_a_setting(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cycle.chase_list(cycle.month_status(root, REGIONS, JUNE, dt.date(2023, 7, 5))).empty
    monkeypatch.setenv(cycle.DEADLINE_ENV, "10")
    chase = cycle.chase_list(cycle.month_status(root, REGIONS, JUNE, dt.date(2023, 7, 19)))
    assert set(chase["days_late"]) == {9}  # due 10 July
    monkeypatch.setenv(cycle.DEADLINE_ENV, "31")
    with pytest.raises(ValueError, match="1-28"):
        cycle.deadline_day()


def test_first_submission_is_kept_for_timeliness(root: Path) -> None:
    st = Store(root)
    two = Target("439902", "439900", JUNE)
    first = st.moves("439902", JUNE)[0]["at"]
    st.move("submit", two, ANALYST_A)  # resubmitted later
    status = cycle.month_status(root, REGIONS, JUNE, dt.date(2023, 7, 19)).set_index("county_code")
    assert status.loc["439902", "first_submitted_at"] == first
    assert status.loc["439902", "submitted_at"] >= first
    assert pd.isna(status.loc["439903", "first_submitted_at"])


def test_held_back_is_every_tracked_month_not_accepted(root: Path) -> None:
    held = cycle.held_back(root)
    assert sorted(held["county_code"]) == ["439801", "439901", "439902"]
    st = Store(root)
    st.move("accept", Target("439801", "439800", JUNE), ADMIN)
    assert sorted(cycle.held_back(root)["county_code"]) == ["439901", "439902"]


def test_quality_timeliness_reads_the_first_submission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """芙蓉区's July: on time by its exported rows; submitted through the cycle on 20 August (due
    5 August), it is late by 15 days on the data quality page. Other counties keep their rows' dates."""
    from analytics import db
    from analytics import quality as Q
    from analytics.queries import quality as quality_queries
    from tests.unit.test_ingest import DATA

    monkeypatch.delenv(store_mod.DB_ENV, raising=False)
    july = dt.date(2023, 7, 31)
    reports = quality_queries.reports(db.connect(DATA).cursor(), plan_year=2023, as_of=july, within="430100")
    before = Q.classify_reports(reports).set_index(["county_code", pd.to_datetime(reports["period_end"]).dt.date])
    assert before.loc[("430102", july), "state"] == "on_time"
    monkeypatch.setattr(store_mod, "_clock", lambda: dt.datetime(2023, 8, 20, 2, 0, tzinfo=dt.UTC))  # 10:00 in Changsha
    Store(tmp_path).move("submit", Target("430102", "430100", july), User("a", "A", "analyst", "430100"))
    after = Q.classify_reports(cycle.with_tracked_submissions(reports, tmp_path))
    after = after.set_index(["county_code", pd.to_datetime(after["period_end"]).dt.date])
    assert (after.loc[("430102", july), "state"], after.loc[("430102", july), "days_late"]) == ("late", 15)
    others = [k for k in after.index if k != ("430102", july)]
    assert after.loc[others, "state"].equals(before.loc[others, "state"])
