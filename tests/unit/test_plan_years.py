"""The plan as data, phase 2: what each plan year's workbook decides reaches the pages.

* the association's settings (status thresholds, training completion share) are the plan
  year's row of ``plans``, not the code's: a workbook with on track at 90 % turns a region whose
  pace lies between 90 % and 95 % from at risk to on track, and the rule the page prints says 90;
* indicators are per plan year: a 2024 workbook (changed targets, one new indicator, one dropped)
  is loaded beside 2023; 2024's tables and view models have the 2024 plan, 2023's are unchanged.

Expected values are worked out here with pandas over the Parquet files and the workbook's own
numbers, never read back from the code under test.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from analytics import db, queries
from analytics.plan.run import import_workbook
from views import attainment as attainment_view
from views import training as training_view
from views.filters import Filters

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
WORKBOOK = DATA / "plan" / "source" / "plan_2023.xlsx"


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """A data root copied from the bundled data (the bundled folder itself is never written)."""
    target = tmp_path / "root"
    for group in ("exports", "reference", "plan"):
        shutil.copytree(DATA / group, target / group)
    shutil.copy2(DATA / "manifest.json", target / "manifest.json")
    return target


def connect(root: Path) -> duckdb.DuckDBPyConnection:
    """The version in force under ``root``, as the app opens it."""
    return db.connect(db.published_dir(root))


def header_col(ws, field: str) -> int:
    for cell in ws[1]:
        if str(cell.value or "").split(" ")[-1] == field:
            return cell.column
    raise KeyError(field)


def set_field(wb: openpyxl.Workbook, sheet: str, field: str, value: object) -> None:
    """A key/value sheet (计划 plan, 设置 settings): the value beside ``field``."""
    ws = wb[sheet]
    for row in range(2, ws.max_row + 1):
        if str(ws.cell(row=row, column=1).value or "").split(" ")[-1] == field:
            ws.cell(row=row, column=2).value = value
            return
    raise KeyError(field)


def by_hand(pace: float, on_track: float, at_risk: float) -> str:
    """docs/indicators.md's pace rule, before the due date and short of the target."""
    return "on_track" if pace >= on_track else "at_risk" if pace >= at_risk else "behind"


# --------------------------------------------------------------------------- settings


FUNDS = "family_health_funds_yuan"
YUEYANG = "430600"  # 岳阳市: its health funds on 30 April 2023 lie between 90 % and 95 % of the line
APRIL = dt.date(2023, 4, 30)


def funds_pace_by_hand() -> float:
    """岳阳's family health funds on 30 April 2023 over its linear line, from the Parquet files:
    a flow, summed over its counties' reports up to April; the target (allocated by population)
    prorated over 120 of the year's 365 days (1 January to 30 April, both counted)."""
    progress = pd.read_parquet(DATA / "exports" / "progress")
    regions = pd.read_parquet(DATA / "reference" / "regions")[["region_code", "prefecture_code"]]
    rows = progress[progress["indicator_id"] == FUNDS].merge(regions, on="region_code")
    mine = rows[(rows["prefecture_code"] == YUEYANG) & (pd.to_datetime(rows["period_end"]) <= pd.Timestamp(APRIL))]
    targets = pd.read_parquet(DATA / "plan" / "targets")
    target = float(
        targets.loc[(targets["indicator_id"] == FUNDS) & (targets["region_code"] == YUEYANG), "target_value"].iloc[0]
    )
    return float(mine["value"].sum()) / (target * 120 / 365)


def classes_below_by_hand(share: float, as_of: dt.date) -> int:
    """Classes held by ``as_of`` whose sum(completed) / sum(enrolled) is below ``share``."""
    parts = pd.read_parquet(DATA / "exports" / "training_participants")
    classes = pd.read_parquet(DATA / "exports" / "trainings")
    held = classes[(classes["status"] == "held") & (pd.to_datetime(classes["end_date"]) <= pd.Timestamp(as_of))]
    sums = parts[parts["class_id"].isin(held["class_id"])].groupby("class_id")[["completed", "enrolled"]].sum()
    return int((sums["completed"] / sums["enrolled"] < share).sum())


def test_the_plan_years_settings_judge_its_statuses(root: Path, tmp_path: Path) -> None:
    pace = funds_pace_by_hand()
    assert 0.90 <= pace < 0.95, pace  # the region this test is about
    f = Filters(lang="en", plan_year=2023, as_of=APRIL)
    end = dt.date(2023, 12, 31)
    year_end = Filters(lang="en", plan_year=2023, as_of=end)

    def league_status(con: duckdb.DuckDBPyConnection) -> str:
        model = attainment_view.view(con, f, indicator=FUNDS)
        assert model.chosen is not None and model.chosen.indicator_id == FUNDS
        league = model.chosen.league.set_index("code")
        return str(league.loc[YUEYANG, "status_code"])

    con = connect(root)
    assert league_status(con) == by_hand(pace, 0.95, 0.80) == "at_risk"
    before = training_view.view(con, year_end).participants
    assert before.threshold == 0.6
    assert sum(before.below["class"]) == classes_below_by_hand(0.6, end)
    con.close()

    wb = openpyxl.load_workbook(WORKBOOK)
    set_field(wb, "设置 settings", "on_track_share", 0.9)
    set_field(wb, "设置 settings", "completion_share", 0.75)
    path = tmp_path / "plan_2023_90.xlsx"
    wb.save(path)
    report = import_workbook(path, root, user="tester")
    assert report.ok, report.text()

    con = connect(root)
    assert queries.plan_settings(con, plan_year=2023).thresholds.on_track == 0.9
    assert league_status(con) == by_hand(pace, 0.90, 0.80) == "on_track"
    # the page says the plan's thresholds: the rule under every status legend and the download's notes
    model = attainment_view.view(con, f, indicator=FUNDS)
    assert "at least 90%" in model.rule and "80–90%" in model.rule, model.rule
    assert model.rule in model.download.notes
    after = training_view.view(con, year_end).participants
    assert after.threshold == 0.75
    assert sum(after.below["class"]) == classes_below_by_hand(0.75, end) > classes_below_by_hand(0.6, end)
    assert "75%" in after.threshold_label and "75%" in after.note
    con.close()


def test_a_year_without_a_plan_row_is_judged_with_the_template_defaults(tmp_path: Path) -> None:
    """Data published before plans had a row (no plans table at all) still opens, with 95 % / 80 % / 60 %."""
    from tests.unit import tiny

    con = db.connect(tiny.build(tmp_path / "tiny"))
    s = queries.plan_settings(con, plan_year=2023)
    assert (s.thresholds.on_track, s.thresholds.at_risk, s.completion_share) == (0.95, 0.80, 0.6)
