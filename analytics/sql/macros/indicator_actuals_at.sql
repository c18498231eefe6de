-- grain: one row per as-of date in for_dates, level (province, prefecture, county), indicator and region inside within, plan year for_year
-- indicator_actuals_at(for_year, for_dates, within): the lookup both sql/queries/attainment_actuals.sql
-- and indicator_actuals_levels.sql build on (they choose levels and indicators from it). The mart
-- fct_indicator_actuals (sql/marts/060) applies the aggregation kinds once when the data is opened:
-- each date reads the mart's last as-of point on or before it, which holds exactly the facts up to
-- that date. A ratio is composed from its numerator and denominator in the mart.
create macro indicator_actuals_at(for_year, for_dates, within) as table
with dates as (
    select unnest(for_dates)::date as as_of
),
points as (
    select d.as_of, max(p.as_of) as point
    from dates as d
    inner join (
        select distinct as_of from fct_indicator_actuals
        where plan_year = for_year and province_code = substr(within, 1, 2) || '0000'
    ) as p
        on p.as_of <= d.as_of
    group by d.as_of
)
select
    pt.as_of,
    a.level,
    a.indicator_id,
    a.region_code,
    a.actual,
    a.n_rows,
    a.last_period,
    a.numerator,
    a.denominator
from points as pt
inner join fct_indicator_actuals as a on a.as_of = pt.point
where a.plan_year = for_year
  -- every region inside within lies in its province: the mart is stored by province, so this
  -- reads one province's rows of a national table
  and a.province_code = substr(within, 1, 2) || '0000'
  and within in (a.province_code, a.prefecture_code, a.county_code, a.region_code)
