-- grain: one row per class held by $as_of (ended on or before it) and participants' county inside $within
-- A class counts once it has ended: before that its completions are not known. Counties
-- are reporting counties (a statistical zone's participants count under its host county).
with counties as (
    -- the units above townships of $within's province (its codes start with the same two
    -- digits, a range that lets DuckDB skip the rest of a national region table)
    select region_code, name_zh, name_en, province_code, prefecture_code, county_code
    from dim_region
    where region_code >= substr($within, 1, 2) and region_code < substr($within, 1, 2) || 'a'
      and level in ('province', 'prefecture', 'county')
)
select
    p.class_id,
    t.kind,
    t.level as class_level,
    t.region_code as organiser_code,
    o.name_zh as organiser_name_zh,
    o.name_en as organiser_name_en,
    t.title_zh,
    t.end_date,
    r.county_code,
    c.name_zh as county_name_zh,
    c.name_en as county_name_en,
    r.prefecture_code,
    pr.name_zh as prefecture_name_zh,
    pr.name_en as prefecture_name_en,
    sum(p.enrolled)::bigint as enrolled,
    sum(p.attended)::bigint as attended,
    sum(p.completed)::bigint as completed
from stg_training_participants as p
inner join stg_trainings as t on t.class_id = p.class_id
-- participants come from counties; names are looked up among the units above townships only,
-- a small table next to the whole region table (which holds every village)
inner join counties as r on r.region_code = p.region_code
-- a class may be organised outside the province (people travel to it): its organiser's name
-- is looked up in the whole region table
left join (select region_code, name_zh, name_en from dim_region where level in ('province', 'prefecture', 'county')) as o
    on o.region_code = t.region_code
left join counties as c on c.region_code = r.county_code
left join counties as pr on pr.region_code = r.prefecture_code
where t.plan_year = $plan_year
  and t.status = 'held'
  and t.end_date <= $as_of
  and $within in (r.province_code, r.prefecture_code, r.county_code)
group by all
order by p.class_id, r.county_code
