"""Two imports started together: neither is lost (issue 18, case 1).

Each import reads and checks its file outside the publish lock, then merges with the version
in force *under* the lock (analytics/publish.py calls the import's builder while holding it).
Two command-line imports of different counties, started at the same moment as two processes,
must both exit 0, both changes must be in the version in force, and the publish history must
be a chain: each publish's parent is the publish before it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analytics import publish
from tests.bundled import copy_bundled

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
JULY = "2023-07-31"
# a flow indicator that is neither numerator nor denominator of a ratio: its value is free
INDICATOR = "publicity_articles"
COUNTIES = ("430102", "430103")
TRIALS = 4


def fresh_root(folder: Path) -> Path:
    copy_bundled(folder)
    return folder


def county_file(folder: Path, county: str, value: float) -> Path:
    """One county's July row of INDICATOR from the bundled table, with a new value."""
    p = pd.read_parquet(DATA / "exports/progress")
    row = p[(p["region_code"] == county) & (p["indicator_id"] == INDICATOR) & (p["period_end"].astype(str) == JULY)]
    assert len(row) == 1, f"the bundled data has no July {INDICATOR} row for {county}"
    row = row.assign(value=value, period_end=JULY, reported_at=row["reported_at"].astype(str))
    path = folder / f"progress_2023-07_{county}.csv"
    row.to_csv(path, index=False)
    return path


def in_force(root: Path, county: str) -> float:
    """The July INDICATOR value of ``county`` in the version in force, read with pandas."""
    folder = publish.current_dir(root)
    p = pd.read_parquet(folder / "exports/progress")
    hit = p[(p["region_code"] == county) & (p["indicator_id"] == INDICATOR) & (p["period_end"].astype(str) == JULY)]
    assert len(hit) == 1
    return float(hit["value"].iloc[0])


@pytest.mark.parametrize("trial", range(TRIALS))
def test_two_imports_at_once_are_both_published(trial: int, tmp_path: Path) -> None:
    root = fresh_root(tmp_path / "root")
    values = {COUNTIES[0]: 11111.0 + trial, COUNTIES[1]: 22222.0 + trial}
    files = {c: county_file(tmp_path, c, v) for c, v in values.items()}
    bundled = pd.read_parquet(DATA / "exports/progress")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "analytics.ingest", str(files[c]), "--data-dir", str(root)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in COUNTIES
    ]
    # generous: only a hung import would take this long, never a slow machine
    outputs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out + err
        assert "published version" in out
    # both changes are in the version in force
    assert {c: in_force(root, c) for c in COUNTIES} == values
    # and nothing else changed: the rest of the table is the bundled one, row for row
    now = pd.read_parquet(publish.current_dir(root) / "exports/progress")
    key = ["plan_year", "indicator_id", "region_code", "period_end"]
    changed = (
        (now["indicator_id"] == INDICATOR) & now["region_code"].isin(COUNTIES) & (now["period_end"].astype(str) == JULY)
    )
    before = (
        (bundled["indicator_id"] == INDICATOR)
        & bundled["region_code"].isin(COUNTIES)
        & (bundled["period_end"].astype(str) == JULY)
    )
    pd.testing.assert_frame_equal(
        now[~changed].sort_values(key).reset_index(drop=True),
        bundled[~before].sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
    # the history is a chain: bundled → first publish → second publish
    events = [e for e in publish.history(root) if e["event"] == "publish"]
    assert len(events) == 2
    assert events[0]["from"] == publish.BUNDLED
    assert events[1]["from"] == events[0]["version"]
    assert publish.current_id(root) == events[1]["version"]
    # each version's own record names the parent it was merged from
    assert publish.read_info(root, str(events[1]["version"])).parent == events[0]["version"]
