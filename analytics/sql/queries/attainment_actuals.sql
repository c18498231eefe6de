-- grain: one row per as-of date in $as_of_dates, level in $levels (plus $lower_levels for $lower_ids only), indicator (of $indicator_ids, or all) and region inside $within
-- What analytics.queries.attainment_tables judges, looked up in the mart fct_indicator_actuals
-- (sql/marts/060: the aggregation kinds applied once when the data is opened): the levels it
-- judges, and at the levels below them only the every-region indicators it counts there. Each
-- date reads the mart's last as-of point on or before it, which holds exactly the facts up to
-- that date.
with dates as (
    select unnest($as_of_dates)::date as as_of
),
points as (
    select d.as_of, max(p.as_of) as point
    from dates as d
    inner join (
        select distinct as_of from fct_indicator_actuals
        where plan_year = $plan_year and province_code = substr($within, 1, 2) || '0000'
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
where a.plan_year = $plan_year
  -- every region inside $within lies in $within's province: the mart is stored by province,
  -- so this reads one province's rows of a national table
  and a.province_code = substr($within, 1, 2) || '0000'
  and $within in (a.province_code, a.prefecture_code, a.county_code, a.region_code)
  and (
      (list_contains($levels, a.level) and (len($indicator_ids) = 0 or list_contains($indicator_ids, a.indicator_id)))
      or (list_contains($lower_levels, a.level) and list_contains($lower_ids, a.indicator_id))
  )
order by pt.as_of, a.level, a.indicator_id, a.region_code
