-- grain: one row per village-level unit inside $within that is short of $min_instructors instructors at $as_of: its latest report up to $as_of has fewer, or it has no report by then
with latest_month as (
    -- the row at this month end is each unit's latest report (the mart carries reports forward)
    select max(period_end) as period_end
    from dim_month
    where plan_year = $plan_year and period_end <= $as_of
),
units as (
    select region_code, name_zh, parent_code, prefecture_code, county_code
    from dim_region
    where level = 'village'
      and $within in (province_code, prefecture_code, county_code)
)
select
    u.prefecture_code,
    p.name_zh as prefecture_name_zh,
    p.name_en as prefecture_name_en,
    u.county_code,
    c.name_zh as county_name_zh,
    c.name_en as county_name_en,
    -- a statistical zone's units report through their host county; the zone is named too
    case when tw.parent_code <> u.county_code then z.name_zh end as zone_name_zh,
    u.parent_code as township_code,
    tw.name_zh as township_name_zh,
    u.region_code,
    u.name_zh as village_name_zh,
    f.instructors_in_post,
    f.last_period,
    f.reported_at,
    case when f.region_code is null then 'no_report' else 'short' end as category
from units as u
left join fct_instructor_village_month as f
    on f.plan_year = $plan_year
    and f.region_code = u.region_code
    and f.period_end = (select period_end from latest_month)
left join dim_region as tw on tw.region_code = u.parent_code
left join dim_region as z on z.region_code = tw.parent_code
left join dim_region as c on c.region_code = u.county_code
left join dim_region as p on p.region_code = u.prefecture_code
where f.region_code is null or f.instructors_in_post < $min_instructors
order by u.county_code, u.parent_code, u.region_code
