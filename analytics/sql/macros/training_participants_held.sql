-- grain: one row per class held by for_as_of (training_held_classes) and participants' county inside within
-- training_participants_held(for_year, for_as_of, within): the participants behind the training
-- page's completion (sql/queries/training_participants.sql) and the explorer's completion and
-- attendance rates (sql/queries/explorer_pivot.sql). Counties are reporting counties (a
-- statistical zone's participants count under its host county).
create macro training_participants_held(for_year, for_as_of, within) as table
with counties as (
    -- the units above townships of within's province (its codes start with the same two
    -- digits, a range that lets DuckDB skip the rest of a national region table)
    select region_code, name_zh, name_en, province_code, prefecture_code, county_code
    from dim_region
    where region_code >= substr(within, 1, 2) and region_code < substr(within, 1, 2) || 'a'
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
    r.province_code,
    sum(p.enrolled)::bigint as enrolled,
    sum(p.attended)::bigint as attended,
    sum(p.completed)::bigint as completed
from stg_training_participants as p
inner join training_held_classes(for_year, for_as_of) as t on t.class_id = p.class_id
-- participants come from counties; names are looked up among the units above townships only,
-- a small table next to the whole region table (which holds every village)
inner join counties as r on r.region_code = p.region_code
-- a class may be organised outside the province (people travel to it): its organiser's name
-- is looked up in the whole region table
left join (select region_code, name_zh, name_en from dim_region where level in ('province', 'prefecture', 'county')) as o
    on o.region_code = t.region_code
left join counties as c on c.region_code = r.county_code
left join counties as pr on pr.region_code = r.prefecture_code
where within in (r.province_code, r.prefecture_code, r.county_code)
group by all
