-- grain: one row per county-level reporting unit inside $within: its village-level units and how many of them have reported by $as_of
-- Village-level units are the macro village_units (sql/macros/: every unit at level village of
-- the region table, a statistical zone's under its host county), reported or not. A unit has reported by $as_of
-- when it sent an instructor report for a month of $plan_year up to $as_of: the mart
-- fct_instructor_village_month carries a unit's last report forward, so it has a row for the
-- unit at the last month end up to $as_of exactly then (a tenth of the cost of scanning the export).
with reported as (
    select region_code
    from fct_instructor_village_month
    where plan_year = $plan_year
      and period_end = (select max(period_end) from dim_month where plan_year = $plan_year and period_end <= $as_of)
      and region_code >= substr($within, 1, 2) and region_code < substr($within, 1, 2) || 'a'
),
counted as (
    -- counted per county first: the names are joined to 122 rows, not to 29,534
    select u.county_code, count(*) as units, count(r.region_code) as reported
    from village_units($within) as u
    left join reported as r on r.region_code = u.region_code
    group by u.county_code
)
select
    c.region_code as county_code,
    c.name_zh as county_name_zh,
    c.name_en as county_name_en,
    c.prefecture_code,
    f.name_zh as prefecture_name_zh,
    f.name_en as prefecture_name_en,
    n.units,
    n.reported,
    n.units - n.reported as never_reported
from counted as n
inner join dim_region as c on c.region_code = n.county_code
inner join dim_region as f on f.region_code = c.prefecture_code
order by c.prefecture_code, c.region_code
