"""Progress of one indicator over the months (overview and attainment pages)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics import attainment
from analytics.queries import PROVINCE_CODE, indicators, plan_settings, run, targets


def indicator_series(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_year: int,
    indicator_id: str,
    region: str = PROVINCE_CODE,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """One indicator in one region at every month end of the plan year, with its expected line.

    Columns: month_end, actual (null before anything was reported, and after the judged date
    of ``as_of``: no chart shows what was reported after the date it is drawn for), target,
    expected (by the target's phasing), status (as :func:`analytics.attainment.judge` at that
    month end), baseline (coverage: the level reported at the end of January where the
    expected line starts; null when January has no report, so the line starts from zero and
    a chart must say so). Ratios are composed from their components month by month; an
    every-region rule counts, each month, the member regions that had reached their minimum.
    """
    inds = indicators(con, plan_year=plan_year).set_index("indicator_id")
    ind = inds.loc[indicator_id]
    tgts = targets(con, plan_year=plan_year)
    own_target = tgts[(tgts["indicator_id"] == indicator_id) & (tgts["region_code"] == region)]
    due = pd.Timestamp(own_target["due_date"].iloc[0]).date() if len(own_target) else dt.date(plan_year, 12, 31)
    phasing = str(own_target["phasing"].iloc[0]) if len(own_target) else str(ind["phasing"])
    schedule = run(con, "target_schedules", plan_year=plan_year)
    schedule = schedule[(schedule["indicator_id"] == indicator_id) & (schedule["region_code"] == region)]
    points = tuple(
        (pd.Timestamp(d).date(), float(v))
        for d, v in zip(schedule["period_end"], schedule["cumulative_value"], strict=True)
    )
    month_ends = attainment.month_ends(plan_year)
    last = attainment.judged_date(as_of, plan_year) if as_of is not None else month_ends[-1]
    thresholds = plan_settings(con, plan_year=plan_year).thresholds  # the plan year's, as the table's

    if ind["target_rule"] == "every_region_at_least" and _level_of(con, region) != ind["target_level"]:
        members = tgts[(tgts["indicator_id"] == indicator_id) & (tgts["region_code"] != region)]
        raw = run(
            con,
            "attainment_series",
            plan_year=plan_year,
            indicator_ids=[indicator_id],
            member_level=str(ind["target_level"]),
            within=region,
        )
        minimum = members.set_index("region_code")["target_value"]
        raw = raw[raw["member_code"].isin(minimum.index)]
        raw["reached"] = raw["actual"] >= raw["member_code"].map(minimum)
        counts = raw.groupby("month_end").agg(actual=("reached", "sum"), n_rows=("n_rows", "sum"))
        inside = _members_inside(con, members["region_code"].tolist(), region)
        target: float | None = float(len(inside)) if inside else None
        whole = True
    else:
        whole = bool(str(ind["unit_zh"]) not in attainment.DIVISIBLE_UNITS and ind["target_rule"] != "coverage")
        ids = [indicator_id]
        if ind["kind"] == "ratio":
            ids = [str(ind["numerator_id"]), str(ind["denominator_id"])]
        raw = run(con, "attainment_series", plan_year=plan_year, indicator_ids=ids, member_level="self", within=region)
        if ind["kind"] == "ratio":
            num = raw[raw["indicator_id"] == ids[0]].set_index("month_end")
            den = raw[raw["indicator_id"] == ids[1]].set_index("month_end")
            # as in the actuals mart: no numerator reported under a known denominator counts as 0
            num = num.reindex(den.index)
            counts = pd.DataFrame(
                {
                    "actual": num["actual"].fillna(0) / den["actual"].where(den["actual"] > 0),
                    "n_rows": num["n_rows"].fillna(0),
                }
            )
        else:
            counts = raw.set_index("month_end")[["actual", "n_rows"]]
        target = float(own_target["target_value"].iloc[0]) if len(own_target) else None

    by_month = {
        pd.Timestamp(month).date(): (None if pd.isna(a) else float(a), float(n))
        for month, a, n in zip(counts.index, counts["actual"], counts["n_rows"], strict=True)
    }
    # the same expected line as the attainment table: coverage starts from January's level
    january = by_month.get(month_ends[0], (None, 0.0))
    # a January with no report has no level to start from: the line starts from zero (baseline null)
    baseline = january[0] if ind["target_rule"] == "coverage" and january[1] > 0 else None
    rows = []
    reached_on: dt.date | None = None
    for end in month_ends:
        actual, n_rows = by_month.get(end, (None, 0.0)) if end <= last else (None, 0.0)
        expected = (
            None
            if target is None
            else attainment.expected_value(
                target,
                end,
                plan_year=plan_year,
                due=due,
                phasing=phasing,
                baseline=baseline,
                schedule=points,
                whole=whole,
            )
        )
        if reached_on is None and target is not None and actual is not None and n_rows > 0 and actual >= target:
            reached_on = end
        status = (
            attainment.judge(
                actual,
                target,
                expected,
                has_data=n_rows > 0,
                due_reached=end >= due,
                reached_late=reached_on is not None and reached_on > due,
                target_rule=str(ind["target_rule"]),
                thresholds=thresholds,
            )
            if end <= last
            else None
        )
        rows.append(
            {
                "month_end": end,
                "actual": actual,
                "target": target,
                "expected": expected,
                "status": status,
                "baseline": baseline,
            }
        )
    return pd.DataFrame(rows)


def _level_of(con: duckdb.DuckDBPyConnection, region: str) -> str:
    found = run(con, "region_level", region=region)
    return str(found["level"].iloc[0]) if len(found) else ""


def _members_inside(con: duckdb.DuckDBPyConnection, codes: list[str], region: str) -> list[str]:
    found = run(con, "regions_inside", codes=codes, within=region)
    return [str(c) for c in found["region_code"]]
