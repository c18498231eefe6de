"""The contract's code and docs agree, the bundled data keeps the contract, and the checks catch bad rows."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics.contract import PROGRESS, TABLES, TRAINING_PARTICIPANTS
from analytics.validate import check_folder_table, check_values

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def test_docs_match_the_code() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "analytics.contract", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return pq.read_table(DATA / "reference" / "regions").to_pandas()


@pytest.mark.parametrize("name", list(TABLES))
def test_bundled_table_keeps_the_contract(name: str, regions: pd.DataFrame) -> None:
    folder = DATA / TABLES[name].folder
    assert folder.is_dir(), f"{folder} is missing from the bundled data"
    problems = check_folder_table(name, pq.read_table(folder), regions)
    assert not problems, "\n".join(map(str, problems))


def _progress(**overrides: object) -> pd.DataFrame:
    row = dict(
        plan_year=2023,
        indicator_id="funds",
        region_code="430102",
        period_end=dt.date(2023, 1, 31),
        value=1.0,
        reported_at=dt.date(2023, 2, 3),
    )
    return pd.DataFrame([row, {**row, **overrides}])


def test_checks_name_row_column_and_value(regions: pd.DataFrame) -> None:
    bad = _progress(period_end=dt.date(2023, 2, 27), value=-5.0, region_code="长沙")
    problems = {(p.column, p.reason): p for p in check_values(PROGRESS, bad, regions)}
    assert problems[("period_end", "not the last day of a month")].rows == (1,)
    assert problems[("value", "negative value")].value == "-5.0"
    unknown = problems[("region_code", "code not in the region table")]
    assert (unknown.rows, unknown.value) == ((1,), "长沙")
    # row numbers are shown 1-based to people
    assert "rows 2" in str(unknown)


def test_duplicate_keys_are_reported(regions: pd.DataFrame) -> None:
    problems = check_values(PROGRESS, _progress(), regions)
    assert [p.reason for p in problems] == ["duplicate key"]
    assert problems[0].n_rows == 2


def test_region_at_the_wrong_level_is_reported(regions: pd.DataFrame) -> None:
    village = regions.loc[regions["level"] == "village", "region_code"].iloc[0]
    problems = check_values(PROGRESS, _progress(region_code=village, value=2.0), regions)
    assert any("reports at" in p.reason and p.value == village for p in problems)


def test_completed_cannot_exceed_attended() -> None:
    df = pd.DataFrame(
        [
            dict(
                class_id="c1",
                region_code="430102",
                enrolled=10,
                attended=8,
                completed=9,
                reported_at=dt.date(2023, 5, 1),
            )
        ]
    )
    problems = check_values(TRAINING_PARTICIPANTS, df)
    assert [p.column for p in problems] == ["completed"]
