-- grain: one row per class held by $as_of (ended on or before it) and participants' county inside $within
-- A class counts once it has ended: before that its completions are not known. Counties
-- are reporting counties (a statistical zone's participants count under its host county).
select
    p.class_id,
    t.kind,
    t.level as class_level,
    t.region_code as organiser_code,
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
inner join dim_region as r on r.region_code = p.region_code
left join dim_region as c on c.region_code = r.county_code
left join dim_region as pr on pr.region_code = r.prefecture_code
where t.plan_year = $plan_year
  and t.status = 'held'
  and t.end_date <= $as_of
  and $within in (r.province_code, r.prefecture_code, r.county_code)
group by all
order by p.class_id, r.county_code
