-- grain: one row per training class of $plan_year organised by the province's own association or by a region inside $within
-- The province's classes (the plan's own) are shown in every region's view: people from
-- every prefecture attend them.
with home as (
    select province_code from dim_region where region_code = $within
)
select
    t.class_id,
    t.kind,
    t.title_zh,
    t.level,
    t.region_code,
    r.name_zh as organiser_name_zh,
    r.name_en as organiser_name_en,
    r.prefecture_code,
    t.planned_start,
    t.start_date,
    t.end_date,
    t.status,
    t.reported_at
from stg_trainings as t
-- organisers inside $within's province only (its codes start with the same two digits, a
-- range that lets DuckDB skip the rest of a national region table)
left join (
    select region_code, name_zh, name_en, province_code, prefecture_code, county_code
    from dim_region
    where region_code >= substr($within, 1, 2) and region_code < substr($within, 1, 2) || 'a'
      and level in ('province', 'prefecture', 'county')
) as r on r.region_code = t.region_code
where t.plan_year = $plan_year
  and (
      (t.level = 'province' and t.region_code = (select province_code from home))
      or $within in (r.province_code, r.prefecture_code, r.county_code, r.region_code)
  )
order by t.kind, t.level = 'county', t.level = 'prefecture', coalesce(t.start_date, t.planned_start), t.class_id
