"""Scope applies to the rows an import replaces as well as to the rows it brings (issue 18, case 4).

A childcare point and a training class are keyed by their own id, not by region: relabelling
another prefecture's point with a county of one's own would pass a check of the incoming row
alone and replace the other prefecture's row. The published row's region decides too.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analytics import db
from tests.unit.test_ingest import DATA, _csv, root, run, tree_digest

__all__ = ["root"]

SCOPE = "430100"  # 长沙市


def errors(text: str) -> list[str]:
    return [line for line in text.split("Import report", 1)[1].splitlines() if "[ERROR]" in line]


def prefecture_of(code: str) -> str:
    regions = pd.read_parquet(DATA / "reference/regions")
    return str(regions.set_index("region_code").loc[code, "prefecture_code"] or code)


def test_another_prefectures_point_relabelled_is_refused(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Zhuzhou's CC2023-4302-01 sent as a point of 芙蓉区 (430102), no places, closed."""
    df = pd.read_parquet(DATA / "exports/childcare_points")
    theirs = df[df["point_id"] == "CC2023-4302-01"].copy()
    published_region = str(theirs["region_code"].iloc[0])
    assert prefecture_of(published_region) == "430200"  # the bundled point is Zhuzhou's
    theirs["region_code"] = "430102"
    theirs["places"] = 0
    theirs["status"] = "closed"
    theirs["closed_on"] = "2023-12-01"
    path = _csv(theirs, tmp_path / "childcare_points_2023-12.csv")
    before = tree_digest(root)
    code, text = run([path], root, "--scope", SCOPE, capsys=capsys)
    assert code == 1, text
    scope = [line for line in errors(text) if f"outside your scope {SCOPE}" in line]
    assert len(scope) == 1, text
    assert "childcare_points_2023-12.csv, column region_code, row 2 " in scope[0]
    assert f"the published row it would replace is of region {published_region}" in scope[0]
    assert tree_digest(root) == before
    # the point in force is still Zhuzhou's, with its places
    now = pd.read_parquet(db.published_dir(root) / "exports/childcare_points")
    kept = now[now["point_id"] == "CC2023-4302-01"].iloc[0]
    assert kept["region_code"] == published_region and kept["places"] == df.loc[theirs.index[0], "places"]


def test_another_prefectures_class_relabelled_is_refused(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    df = pd.read_parquet(DATA / "exports/trainings")
    zhuzhou = df[df["region_code"].map(prefecture_of) == "430200"]
    assert len(zhuzhou), "the bundled data has no Zhuzhou class"
    theirs = zhuzhou.head(1).copy()
    published_region = str(theirs["region_code"].iloc[0])
    theirs["region_code"] = SCOPE
    theirs["level"] = "prefecture"
    path = _csv(theirs, tmp_path / "trainings_2023.csv")
    before = tree_digest(root)
    code, text = run([path], root, "--scope", SCOPE, capsys=capsys)
    assert code == 1, text
    assert any(
        "trainings_2023.csv, column region_code, row 2 " in line
        and f"the published row it would replace is of region {published_region}" in line
        and f"outside your scope {SCOPE}" in line
        for line in errors(text)
    ), text
    assert tree_digest(root) == before


def test_own_point_is_still_accepted(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same analyst changing a point of Changsha's: published."""
    df = pd.read_parquet(DATA / "exports/childcare_points")
    mine = df[df["region_code"].map(prefecture_of) == SCOPE].head(1).copy()
    mine["places"] = mine["places"] + 5
    path = _csv(mine, tmp_path / "childcare_points_2023-12.csv")
    code, text = run([path], root, "--scope", SCOPE, capsys=capsys)
    assert code == 0, text
    now = pd.read_parquet(db.published_dir(root) / "exports/childcare_points")
    got = now.set_index("point_id").loc[mine["point_id"].iloc[0], "places"]
    assert got == mine["places"].iloc[0]
