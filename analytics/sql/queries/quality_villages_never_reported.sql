-- grain: one row per village-level unit inside $within with no instructor report in $plan_year up to $as_of
-- The records behind the village coverage figure: every village-level unit (the macro
-- village_units, sql/macros/) that has not reported by $as_of. As in
-- quality_village_units.sql, fct_instructor_village_month has a row for a unit at the last month
-- end up to $as_of exactly when the unit has reported by then.
with reported as (
    select region_code
    from fct_instructor_village_month
    where plan_year = $plan_year
      and period_end = (select max(period_end) from dim_month where plan_year = $plan_year and period_end <= $as_of)
      and region_code >= substr($within, 1, 2) and region_code < substr($within, 1, 2) || 'a'
)
select
    u.prefecture_code,
    f.name_zh as prefecture_name_zh,
    f.name_en as prefecture_name_en,
    u.county_code,
    c.name_zh as county_name_zh,
    c.name_en as county_name_en,
    t.name_zh as township_name_zh,
    u.region_code,
    u.name_zh as village_name_zh
from village_units($within) as u
anti join reported as r on r.region_code = u.region_code
inner join dim_region as c on c.region_code = u.county_code
inner join dim_region as f on f.region_code = u.prefecture_code
left join dim_region as t on t.region_code = u.parent_code
order by u.prefecture_code, u.county_code, u.region_code
