"""Figures not accepted yet are left out at the data layer: a connection built with the held-back
county months has none of their rows, and every aggregate moves by exactly their figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import db, queries
from tests.unit.test_ingest import DATA

JULY = dt.date(2023, 7, 31)
FURONG = "430102"


def test_held_back_county_months_are_left_out_of_staging_and_marts() -> None:
    held = pd.DataFrame({"county_code": [FURONG], "period_end": [JULY]})
    full, accepted_only = db.connect(DATA), db.connect(DATA, held_back=held)
    progress = pd.read_parquet(DATA / "exports/progress")
    furong_july = progress[(progress["region_code"] == FURONG) & (progress["period_end"] == JULY)]
    assert len(furong_july) > 0
    n_full = full.execute("select count(*) from stg_progress").fetchone()[0]  # type: ignore[index]
    n_kept = accepted_only.execute("select count(*) from stg_progress").fetchone()[0]  # type: ignore[index]
    assert n_full - n_kept == len(furong_july) and n_full == len(progress)
    # instructors: Furong's villages' July rows (villages read through their county)
    regions = pd.read_parquet(DATA / "reference/regions")
    villages = set(regions.loc[regions["county_code"] == FURONG, "region_code"])
    instructors = pd.read_parquet(DATA / "exports/instructors")
    theirs = instructors[instructors["region_code"].isin(villages) & (instructors["period_end"] == JULY)]
    counted = accepted_only.execute(
        "select count(*) from stg_instructors where period_end = $d", {"d": JULY}
    ).fetchone()[0]  # type: ignore[index]
    assert counted == int((instructors["period_end"] == JULY).sum()) - len(theirs) and len(theirs) > 0
    # the province's July figure of a flow indicator drops by Furong's July value, nothing else
    flows = pd.read_parquet(DATA / "plan/indicators").query("kind == 'flow'")["indicator_id"]
    flow = str(furong_july[furong_july["indicator_id"].isin(flows) & (furong_july["value"] > 0)]["indicator_id"].iloc[0])
    value = float(furong_july.loc[furong_july["indicator_id"] == flow, "value"].iloc[0])

    def province(con: object) -> float:
        a = queries.indicator_actuals(con.cursor(), plan_year=2023, as_of=JULY, level="province")  # type: ignore[attr-defined]
        return float(a.loc[a["indicator_id"] == flow, "actual"].iloc[0])

    assert abs(province(full) - province(accepted_only) - value) < 1e-6
    # and nothing held back: the same connection as ever
    empty = pd.DataFrame({"county_code": [], "period_end": []})
    assert db.connect(DATA, held_back=empty).execute("select count(*) from stg_progress").fetchone()[0] == n_full  # type: ignore[index]
