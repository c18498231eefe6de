-- grain: one row per region (the $within region, and the prefectures and counties inside it) and month end of $plan_year up to $as_of
-- Every village-level unit of the region table is counted (statistical zones' units under
-- their host county), reported or not: covered = its report in force at the month end has
-- at least $min_instructors instructors, short = it has fewer, no_report = it has not reported
-- by then. fct_instructor_village_month carries each unit's last report forward, so the row
-- at a month end is the unit's latest report up to that date.
with units as (
    select region_code, province_code, prefecture_code, county_code
    from dim_region
    where level = 'village'
      and $within in (province_code, prefecture_code, county_code)
),
months as (
    select period_end
    from dim_month
    where plan_year = $plan_year and period_end <= $as_of
),
in_force as (
    select f.region_code, f.period_end, f.instructors_in_post
    from fct_instructor_village_month as f
    inner join units as u on u.region_code = f.region_code
    where f.plan_year = $plan_year and f.period_end <= $as_of
),
grid as (
    select u.province_code, u.prefecture_code, u.county_code, m.period_end, i.instructors_in_post
    from units as u
    cross join months as m
    left join in_force as i on i.region_code = u.region_code and i.period_end = m.period_end
),
counted as (
    select
        case
            when grouping(county_code) = 0 then county_code
            when grouping(prefecture_code) = 0 then prefecture_code
            else province_code
        end as region_code,
        period_end,
        count(*) as units_total,
        count(*) filter (where instructors_in_post >= $min_instructors) as covered,
        count(*) filter (where instructors_in_post < $min_instructors) as short
    from grid
    group by grouping sets ((province_code, period_end), (prefecture_code, period_end), (county_code, period_end))
)
select
    r.level,
    c.region_code,
    r.name_zh,
    r.name_en,
    r.prefecture_code,
    c.period_end,
    c.units_total,
    c.covered,
    c.short,
    c.units_total - c.covered - c.short as no_report
from counted as c
inner join dim_region as r on r.region_code = c.region_code
-- a prefecture's units grouped at province level are not the province: keep regions inside $within
where $within in (r.province_code, r.prefecture_code, r.county_code, r.region_code)
order by c.period_end, r.level <> 'province', r.level <> 'prefecture', c.region_code
