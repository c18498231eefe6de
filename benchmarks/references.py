"""Two yardsticks for each page's main aggregation, over the same Parquet files the app reads.

* ``pandas``: the figures written the obvious way: ``pd.read_parquet`` of the columns
  needed, filter, ``groupby``. What a page would cost without DuckDB or marts.
* ``floor``: one bare DuckDB statement (``read_parquet`` of the same columns, filter,
  aggregate) on a plain connection with no views, no marts, no cache: about the least
  any DuckDB design pays per request when it reads the exports at request time.

Both compute the page's main figures for the view's region and the level below it at the
as-of date; they are yardsticks, not oracles (the unit tests compare the analytics with
independent pandas computations). The benchmark reports the page's own query time
against both: ours / floor and pandas / ours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics.attainment import month_ends
from analytics.contract import TABLES
from benchmarks.registry import View


@dataclass(frozen=True)
class Reference:
    what: str  # the aggregation, in words, for the report
    pandas: Callable[[Path, View], object]
    floor: Callable[[duckdb.DuckDBPyConnection, Path, View], object]


def _folder(data_dir: Path, table: str) -> Path:
    return data_dir / TABLES[table].folder


def _glob(data_dir: Path, table: str) -> str:
    # every Parquet file of the table's folder, partitioned (plan_year=…/) or not
    return str(_folder(data_dir, table) / "**" / "*.parquet")


def _read(data_dir: Path, table: str, columns: list[str]) -> pd.DataFrame:
    files = sorted(_folder(data_dir, table).glob("**/*.parquet"))
    return pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)


def _prefix(v: View) -> str:
    """Codes inside the view's region start with these digits (province: 2, prefecture: 4)."""
    return v.region[:2] if v.level == "province" else v.region[:4]


def _below_col(v: View) -> str:
    return "prefecture_code" if v.below == "prefecture" else "county_code"


def _params(data_dir: Path, v: View, **more: object) -> dict[str, object]:
    return {"plan_year": v.plan_year, "as_of": v.as_of, "prefix": _prefix(v), **more}


# --- indicator actuals (overview and attainment pages) -----------------------------------------


def actuals_pandas(data_dir: Path, v: View) -> object:
    """Every progress indicator by its kind (flows summed, stocks each region's last value, then
    summed) and villages with >= 2 instructors, for the region and each region below it."""
    regions = _read(data_dir, "regions", ["region_code", "level", "prefecture_code", "county_code"])
    kinds = _read(data_dir, "indicators", ["indicator_id", "kind"])
    prog = _read(data_dir, "progress", ["plan_year", "indicator_id", "region_code", "period_end", "value"])
    prog = prog[(prog["plan_year"] == v.plan_year) & (prog["period_end"] <= v.as_of)]
    prog = prog[prog["region_code"].str.startswith(_prefix(v))]
    prog = prog.merge(regions, on="region_code").merge(kinds, on="indicator_id")
    stock = prog[prog["kind"] == "stock"].dropna(subset=["value"]).sort_values("period_end")
    last = stock.groupby(["indicator_id", "region_code"]).tail(1)
    values = pd.concat([prog[prog["kind"] != "stock"], last])
    key = _below_col(v)
    below = values.groupby(["indicator_id", key])["value"].sum()
    own = values.groupby("indicator_id")["value"].sum()
    inst = _read(data_dir, "instructors", ["plan_year", "region_code", "period_end", "instructors_in_post"])
    inst = inst[(inst["plan_year"] == v.plan_year) & (inst["period_end"] <= v.as_of)]
    inst = inst[inst["region_code"].str.startswith(_prefix(v))]
    latest = inst.sort_values("period_end").groupby("region_code").tail(1).merge(regions, on="region_code")
    covered = latest[latest["instructors_in_post"] >= 2].groupby(key).size()
    villages = regions[(regions["level"] == "village") & regions["region_code"].str.startswith(_prefix(v))]
    return below, own, covered, villages.groupby(key).size()


ACTUALS_FLOOR = """
with r as (
    select region_code, level, prefecture_code, county_code from read_parquet($regions)
),
p as (
    select p.indicator_id, p.region_code, p.period_end, p.value, i.kind,
        case when $below = 'prefecture' then r.prefecture_code else r.county_code end as code
    from read_parquet($progress) as p
    inner join r on r.region_code = p.region_code
    inner join read_parquet($indicators) as i on i.indicator_id = p.indicator_id
    where p.plan_year = $plan_year and p.period_end <= $as_of and starts_with(p.region_code, $prefix)
),
per_region as (
    select indicator_id, code, region_code,
        case when any_value(kind) = 'stock' then arg_max(value, period_end) filter (where value is not null)
        else sum(value) end as value
    from p group by indicator_id, code, region_code
),
latest as (
    select region_code, arg_max(instructors_in_post, period_end) as n
    from read_parquet($instructors)
    where plan_year = $plan_year and period_end <= $as_of and starts_with(region_code, $prefix)
    group by region_code
)
select indicator_id, code, sum(value) as value from per_region group by grouping sets ((indicator_id, code), (indicator_id))
union all
select 'villages_with_2_instructors', case when $below = 'prefecture' then r.prefecture_code else r.county_code end,
    count(*) filter (where l.n >= 2)
from latest as l inner join r on r.region_code = l.region_code
group by all
"""


def actuals_floor(con: duckdb.DuckDBPyConnection, data_dir: Path, v: View) -> object:
    params = _params(
        data_dir,
        v,
        below=v.below,
        regions=_glob(data_dir, "regions"),
        progress=_glob(data_dir, "progress"),
        indicators=_glob(data_dir, "indicators"),
        instructors=_glob(data_dir, "instructors"),
    )
    return con.execute(ACTUALS_FLOOR, params).df()


# --- childcare points ------------------------------------------------------------------------


def childcare_pandas(data_dir: Path, v: View) -> object:
    """Points open, places and funds paid by the as-of date, for the region and each region below it."""
    regions = _read(data_dir, "regions", ["region_code", "prefecture_code", "county_code"])
    cols = ["plan_year", "region_code", "places", "subsidy_yuan", "opened_on", "closed_on", "subsidy_paid_on"]
    pts = _read(data_dir, "childcare_points", cols)
    pts = pts[(pts["plan_year"] == v.plan_year) & pts["region_code"].str.startswith(_prefix(v))]
    pts = pts.merge(regions, on="region_code")
    is_open = pts["opened_on"].notna() & (pts["opened_on"] <= v.as_of)
    is_open &= pts["closed_on"].isna() | (pts["closed_on"] > v.as_of)
    paid = pts["subsidy_paid_on"].notna() & (pts["subsidy_paid_on"] <= v.as_of)
    pts = pts.assign(
        open=is_open.astype(int), open_places=pts["places"].where(is_open, 0), funds=pts["subsidy_yuan"].where(paid, 0)
    )
    return pts.groupby(_below_col(v))[["open", "open_places", "funds"]].sum()


CHILDCARE_FLOOR = """
select
    case when $below = 'prefecture' then r.prefecture_code else r.county_code end as code,
    count(*) filter (where p.opened_on <= $as_of and (p.closed_on is null or p.closed_on > $as_of)) as open,
    sum(p.places) filter (where p.opened_on <= $as_of and (p.closed_on is null or p.closed_on > $as_of)) as places,
    sum(p.subsidy_yuan) filter (where p.subsidy_paid_on <= $as_of) as funds
from read_parquet($points) as p
inner join read_parquet($regions) as r on r.region_code = p.region_code
where p.plan_year = $plan_year and starts_with(p.region_code, $prefix)
group by all
"""


def childcare_floor(con: duckdb.DuckDBPyConnection, data_dir: Path, v: View) -> object:
    params = _params(
        data_dir, v, below=v.below, points=_glob(data_dir, "childcare_points"), regions=_glob(data_dir, "regions")
    )
    return con.execute(CHILDCARE_FLOOR, params).df()


# --- instructor coverage by county and month (training page) -----------------------------------


def _months(v: View) -> list[dt.date]:
    return [m for m in month_ends(v.plan_year) if m <= v.as_of]


def training_pandas(data_dir: Path, v: View) -> object:
    """Per county and month end up to the as-of date: villages whose latest report has >= 2 instructors, and < 2."""
    regions = _read(data_dir, "regions", ["region_code", "county_code"])
    inst = _read(data_dir, "instructors", ["plan_year", "region_code", "period_end", "instructors_in_post"])
    inst = inst[(inst["plan_year"] == v.plan_year) & inst["region_code"].str.startswith(_prefix(v))]
    inst = inst.sort_values("period_end")
    parts = []
    for month in _months(v):
        latest = inst[inst["period_end"] <= month].groupby("region_code").tail(1).merge(regions, on="region_code")
        counts = latest.groupby("county_code")["instructors_in_post"].agg(
            covered=lambda s: int((s >= 2).sum()), short=lambda s: int((s < 2).sum())
        )
        parts.append(counts.assign(period_end=month))
    return pd.concat(parts)


TRAINING_FLOOR = """
with months as (select unnest($months)::date as month_end),
latest as (
    select m.month_end, i.region_code, arg_max(i.instructors_in_post, i.period_end) as n
    from read_parquet($instructors) as i
    inner join months as m on i.period_end <= m.month_end
    where i.plan_year = $plan_year and starts_with(i.region_code, $prefix)
    group by m.month_end, i.region_code
)
select r.county_code, l.month_end, count(*) filter (where l.n >= 2) as covered, count(*) filter (where l.n < 2) as short
from latest as l
inner join read_parquet($regions) as r on r.region_code = l.region_code
group by all
"""


def training_floor(con: duckdb.DuckDBPyConnection, data_dir: Path, v: View) -> object:
    params = _params(
        data_dir, v, months=_months(v), instructors=_glob(data_dir, "instructors"), regions=_glob(data_dir, "regions")
    )
    params.pop("as_of")
    return con.execute(TRAINING_FLOOR, params).df()


# --- instructors in post by prefecture (population page) ----------------------------------------


def population_pandas(data_dir: Path, v: View) -> object:
    """Instructors in post at the as-of date (each village's latest report), summed per prefecture and for the province."""
    regions = _read(data_dir, "regions", ["region_code", "prefecture_code"])
    inst = _read(data_dir, "instructors", ["plan_year", "region_code", "period_end", "instructors_in_post"])
    inst = inst[(inst["plan_year"] == v.plan_year) & (inst["period_end"] <= v.as_of)]
    inst = inst[inst["region_code"].str.startswith(v.region[:2])]
    latest = inst.sort_values("period_end").groupby("region_code").tail(1).merge(regions, on="region_code")
    return latest.groupby("prefecture_code")["instructors_in_post"].sum(), latest["instructors_in_post"].sum()


POPULATION_FLOOR = """
with latest as (
    select region_code, arg_max(instructors_in_post, period_end) as n
    from read_parquet($instructors)
    where plan_year = $plan_year and period_end <= $as_of and starts_with(region_code, $province)
    group by region_code
)
select r.prefecture_code, sum(l.n) as instructors
from latest as l inner join read_parquet($regions) as r on r.region_code = l.region_code
group by grouping sets ((r.prefecture_code), ())
"""


def population_floor(con: duckdb.DuckDBPyConnection, data_dir: Path, v: View) -> object:
    params = {
        "plan_year": v.plan_year,
        "as_of": v.as_of,
        "province": v.region[:2],
        "instructors": _glob(data_dir, "instructors"),
        "regions": _glob(data_dir, "regions"),
    }
    return con.execute(POPULATION_FLOOR, params).df()


REFERENCES: dict[str, Reference] = {
    "actuals": Reference(
        "every progress indicator by its kind + villages with >= 2 instructors, region and level below",
        actuals_pandas,
        actuals_floor,
    ),
    "childcare": Reference(
        "childcare points open, places and funds paid, level below", childcare_pandas, childcare_floor
    ),
    "training": Reference(
        "villages with >= 2 / < 2 instructors per county and month end", training_pandas, training_floor
    ),
    "population": Reference(
        "instructors in post (latest report per village) per prefecture", population_pandas, population_floor
    ),
}
