-- grain: one row per county-level reporting unit inside $within: its village-level units and how many of them have reported by $as_of
-- Village-level units are every unit at level village of the region table (a statistical
-- zone's under its host county, county_code), reported or not. A unit has reported when the
-- instructors export has a row for it in $plan_year for a month up to $as_of.
with units as (
    select region_code, county_code
    from dim_region
    where region_code >= substr($within, 1, 2) and region_code < substr($within, 1, 2) || 'a'
      and level = 'village'
      and $within in (province_code, prefecture_code, county_code)
),
reported as (
    select distinct region_code
    from stg_instructors
    where plan_year = $plan_year and period_end <= $as_of
      and region_code >= substr($within, 1, 2) and region_code < substr($within, 1, 2) || 'a'
)
select
    c.region_code as county_code,
    c.name_zh as county_name_zh,
    c.name_en as county_name_en,
    c.prefecture_code,
    f.name_zh as prefecture_name_zh,
    f.name_en as prefecture_name_en,
    count(*) as units,
    count(r.region_code) as reported,
    count(*) - count(r.region_code) as never_reported
from units as u
left join reported as r on r.region_code = u.region_code
inner join dim_region as c on c.region_code = u.county_code
inner join dim_region as f on f.region_code = c.prefecture_code
group by all
order by c.prefecture_code, c.region_code
