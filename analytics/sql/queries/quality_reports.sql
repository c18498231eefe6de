-- grain: one row per county-level reporting unit inside $within and month end of $plan_year up to $as_of: the county reports expected
-- A county report is the county's monthly progress export: its rows of stg_progress for the
-- month. The units expected to report are the counties of the region table that are not
-- statistical zones; a zone's rows count for its host county (county_code), as everywhere
-- else. Receipt is judged on the data as published, whenever a row arrived: the as-of date
-- only chooses the months. deadline = month end + $deadline_days (analytics.quality.SETTINGS).
with units as (
    -- a region's codes start with its province's two digits: the range lets DuckDB skip the
    -- rest of a national region table before testing each row
    select region_code as county_code, name_zh as county_name_zh, name_en as county_name_en, prefecture_code
    from dim_region
    where region_code >= substr($within, 1, 2) and region_code < substr($within, 1, 2) || 'a'
      and level = 'county' and not is_stat_zone
      and $within in (province_code, prefecture_code, region_code)
),
months as (
    select period_end, period_end + cast($deadline_days as integer) as deadline
    from dim_month
    where plan_year = $plan_year and period_end <= $as_of
),
received as (
    select
        r.county_code,
        p.period_end,
        count(*) as figures,
        count(p.value) as figures_with_value,
        count(*) filter (where p.reported_at <= p.period_end + cast($deadline_days as integer)) as figures_on_time,
        min(p.reported_at) as first_reported_at,
        max(p.reported_at) as last_reported_at
    from stg_progress as p
    inner join dim_region as r on r.region_code = p.region_code
    where p.plan_year = $plan_year and p.period_end <= $as_of and r.level = 'county'
      and p.region_code >= substr($within, 1, 2) and p.region_code < substr($within, 1, 2) || 'a'
    group by r.county_code, p.period_end
)
select
    u.county_code,
    u.county_name_zh,
    u.county_name_en,
    u.prefecture_code,
    f.name_zh as prefecture_name_zh,
    f.name_en as prefecture_name_en,
    m.period_end,
    m.deadline,
    coalesce(x.figures, 0) as figures,
    coalesce(x.figures_with_value, 0) as figures_with_value,
    coalesce(x.figures_on_time, 0) as figures_on_time,
    x.first_reported_at,
    x.last_reported_at
from units as u
inner join dim_region as f on f.region_code = u.prefecture_code
cross join months as m
left join received as x on x.county_code = u.county_code and x.period_end = m.period_end
order by u.prefecture_code, u.county_code, m.period_end
