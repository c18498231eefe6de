-- grain: one row per village-level unit inside $within that is short of $min_instructors instructors at $as_of: its latest report up to $as_of has fewer, or it has no report by then
with latest as (
    -- the mart carries each unit's last report forward: its row at this month end is the latest report
    select f.region_code, f.instructors_in_post, f.last_period, f.reported_at
    from fct_instructor_village_month as f
    where f.plan_year = $plan_year
      and f.period_end = (select max(period_end) from dim_month where plan_year = $plan_year and period_end <= $as_of)
      -- a region's codes start with its province's two digits (lets DuckDB skip other provinces)
      and f.region_code >= substr($within, 1, 2) and f.region_code < substr($within, 1, 2) || 'a'
),
short as (
    select
        v.region_code, v.name_zh, v.parent_code, v.prefecture_code, v.county_code,
        l.instructors_in_post, l.last_period, l.reported_at,
        case when l.region_code is null then 'no_report' else 'short' end as category
    from village_units($within) as v
    left join latest as l on l.region_code = v.region_code
    where l.region_code is null or l.instructors_in_post < $min_instructors
),
above as (
    -- names of the townships, counties and prefectures: everything above village level
    select region_code, parent_code, name_zh, name_en
    from dim_region
    where region_code >= substr($within, 1, 2) and region_code < substr($within, 1, 2) || 'a'
      and level <> 'village'
)
select
    s.prefecture_code,
    p.name_zh as prefecture_name_zh,
    p.name_en as prefecture_name_en,
    s.county_code,
    c.name_zh as county_name_zh,
    c.name_en as county_name_en,
    -- a statistical zone's units report through their host county; the zone is named too
    case when tw.parent_code <> s.county_code then z.name_zh end as zone_name_zh,
    s.parent_code as township_code,
    tw.name_zh as township_name_zh,
    s.region_code,
    s.name_zh as village_name_zh,
    s.instructors_in_post,
    s.last_period,
    s.reported_at,
    s.category
from short as s
left join above as tw on tw.region_code = s.parent_code
left join above as z on z.region_code = tw.parent_code
left join above as c on c.region_code = s.county_code
left join above as p on p.region_code = s.prefecture_code
order by s.county_code, s.parent_code, s.region_code
