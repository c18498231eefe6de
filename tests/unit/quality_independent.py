"""The data quality figures computed independently of the app: pandas straight over the Parquet files
of the bundled data (no SQL, no analytics code), for tests/unit/test_quality.py and tests/app/test_quality.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parents[2] / "data"
DEADLINE_DAYS = 5  # the 5th of the next month, as docs and the demo state it (not read from the app)


def _read(folder: str) -> pd.DataFrame:
    df: pd.DataFrame = pq.read_table(DATA / folder).to_pandas()
    return df


def reporting(prefecture: str | None, as_of: dt.date) -> dict[str, int]:
    """County reports expected, received and on time (by first arrival), and figures on time."""
    regions = _read("reference/regions")
    counties = regions[(regions["level"] == "county") & ~regions["is_stat_zone"]]
    if prefecture:
        counties = counties[counties["prefecture_code"] == prefecture]
    months = pd.date_range("2023-01-31", pd.Timestamp(as_of), freq="ME")
    p = _read("exports/progress")
    p = p[(p["plan_year"] == 2023) & (pd.to_datetime(p["period_end"]) <= pd.Timestamp(as_of))]
    # a statistical zone's rows count for its host county (county_code of the region table)
    county_of = regions[regions["level"] == "county"].set_index("region_code")["county_code"]
    p = p[p["region_code"].isin(county_of.index)].assign(county=lambda d: d["region_code"].map(county_of))
    p = p[p["county"].isin(set(counties["region_code"]))]
    due_days = pd.Timedelta(days=DEADLINE_DAYS)
    first = p.groupby(["county", "period_end"])["reported_at"].min().reset_index()
    on_time = pd.to_datetime(first["reported_at"]) <= pd.to_datetime(first["period_end"]) + due_days
    late_rows = pd.to_datetime(p["reported_at"]) > pd.to_datetime(p["period_end"]) + due_days
    return {
        "expected": len(counties) * len(months),
        "received": len(first),
        "on_time": int(on_time.sum()),
        "figures": len(p),
        "figures_on_time": int((~late_rows).sum()),
    }


def villages(prefecture: str | None, as_of: dt.date) -> dict[str, int]:
    """Village-level units of the region table and those without any instructor report up to ``as_of``."""
    regions = _read("reference/regions")
    units = regions[regions["level"] == "village"]
    if prefecture:
        units = units[units["prefecture_code"] == prefecture]
    ins = _read("exports/instructors")
    ins = ins[(ins["plan_year"] == 2023) & (pd.to_datetime(ins["period_end"]) <= pd.Timestamp(as_of))]
    never = ~units["region_code"].isin(set(ins["region_code"]))
    return {"units": len(units), "never_reported": int(never.sum())}
