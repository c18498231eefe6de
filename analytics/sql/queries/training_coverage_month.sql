-- grain: one row per region (the $within region, and the prefectures and counties inside it) and month end of $plan_year up to $as_of
-- Every village-level unit (the macro village_units, sql/macros/: statistical zones' units
-- under their host county) is counted, reported or not: covered = its report in force at the month end has
-- at least $min_instructors instructors, short = it has fewer, no_report = it has not reported
-- by then. fct_instructor_village_month carries each unit's last report forward, so a unit's
-- row at a month end is its latest report up to that date. Units are counted per county and
-- month first, then the counties are added up to prefectures and the province.
with units as (
    select region_code, county_code from village_units($within)
),
county_units as (
    select county_code, count(*) as units_total from units group by county_code
),
county_month as (
    -- the mart has a row per unit and month once the unit has reported (its last report carried forward)
    select
        u.county_code,
        f.period_end,
        count(*) filter (where f.instructors_in_post >= $min_instructors) as covered,
        count(*) filter (where f.instructors_in_post < $min_instructors) as short
    from fct_instructor_village_month as f
    inner join units as u on u.region_code = f.region_code
    where f.plan_year = $plan_year and f.period_end <= $as_of
      and f.region_code >= substr($within, 1, 2) and f.region_code < substr($within, 1, 2) || 'a'
    group by u.county_code, f.period_end
),
grid as (
    select
        c.province_code, c.prefecture_code, c.region_code as county_code, m.period_end,
        cu.units_total, coalesce(cm.covered, 0) as covered, coalesce(cm.short, 0) as short
    from county_units as cu
    inner join dim_region as c on c.region_code = cu.county_code
    cross join (select period_end from dim_month where plan_year = $plan_year and period_end <= $as_of) as m
    left join county_month as cm on cm.county_code = cu.county_code and cm.period_end = m.period_end
),
counted as (
    select
        case
            when grouping(county_code) = 0 then county_code
            when grouping(prefecture_code) = 0 then prefecture_code
            else province_code
        end as region_code,
        period_end,
        sum(units_total)::bigint as units_total,
        sum(covered)::bigint as covered,
        sum(short)::bigint as short
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
where $within in (r.province_code, r.prefecture_code, r.county_code, r.region_code)
order by c.period_end, r.level <> 'province', r.level <> 'prefecture', c.region_code
