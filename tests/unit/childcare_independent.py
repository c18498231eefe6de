"""The childcare figures computed independently of the app: pandas straight over the Parquet
files (no SQL, no analytics code), and copies of the bundled data with a prefecture's points
removed or without the register, for the tests of the register rule."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd

from analytics import db


def independent(data: Path, as_of: dt.date) -> pd.DataFrame:
    """Points open, places, funds paid and places per 1,000 per prefecture and the province,
    straight from the Parquet files with pandas (no SQL, no analytics code)."""
    pts = pd.read_parquet(data / "exports/childcare_points") if (data / "exports/childcare_points").exists() else None
    regions = pd.read_parquet(data / "reference/regions")
    pop = pd.read_parquet(data / "reference/population")
    pop = pop[(pop["measure"] == "population") & (pop["year"] == 2020) & (pop["basis"] == "resident")]
    pop = pop.set_index("region_code")["value"]
    codes = ["430000", *regions.loc[regions["level"] == "prefecture", "region_code"]]
    if pts is None or pts.empty:
        return (
            pd.DataFrame({"region_code": codes}).set_index("region_code").assign(points=None, places=None, funds=None)
        )
    pts = pts[pts["plan_year"] == 2023].merge(regions[["region_code", "prefecture_code"]], on="region_code", how="left")
    day = pd.Timestamp(as_of)
    opened = pd.to_datetime(pts["opened_on"]) <= day
    closed = pd.to_datetime(pts["closed_on"]) <= day
    is_open = opened & ~closed
    paid = pd.to_datetime(pts["subsidy_paid_on"]) <= day
    rows = []
    for code in codes:
        mine = pts if code == "430000" else pts[pts["prefecture_code"] == code]
        places = int(mine.loc[is_open.loc[mine.index], "places"].sum())
        rows.append(
            {
                "region_code": code,
                "points": int(is_open.loc[mine.index].sum()),
                "places": places,
                "funds": float(mine.loc[paid.loc[mine.index], "subsidy_yuan"].sum()),
                "per_1000": places / pop[code] * 1000,
            }
        )
    return pd.DataFrame(rows).set_index("region_code")


def without_prefecture(tmp: Path, prefecture: str | None) -> Path:
    """The bundled data with one prefecture's points removed (``None``: without the register)."""
    src = db.DEFAULT_DATA_DIR
    for part in ("reference", "plan", "manifest.json"):
        os.symlink(src / part, tmp / part)
    (tmp / "exports").mkdir()
    for table in ("progress", "instructors", "trainings", "training_participants"):
        os.symlink(src / "exports" / table, tmp / "exports" / table)
    if prefecture is not None:
        pts = pd.read_parquet(src / "exports/childcare_points")
        keep = pts[~pts["region_code"].str.startswith(prefecture[:4])]
        (tmp / "exports/childcare_points").mkdir()
        keep.to_parquet(tmp / "exports/childcare_points/part-0.parquet", index=False)
    return tmp
