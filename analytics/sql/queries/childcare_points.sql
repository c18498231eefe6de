-- grain: one row per childcare point of $plan_year in a county inside $within, with the regions it lies in
-- county_code is the reporting county (a statistical zone's host), as in the marts, so a
-- point is counted in the same county here and in fct_indicator_month.
select
    p.point_id,
    p.plan_year,
    p.region_code,
    r.name_zh as region_name_zh,
    coalesce(r.name_en, r.name_zh) as region_name_en,
    r.county_code,
    c.name_zh as county_name_zh,
    coalesce(c.name_en, c.name_zh) as county_name_en,
    r.prefecture_code,
    f.name_zh as prefecture_name_zh,
    coalesce(f.name_en, f.name_zh) as prefecture_name_en,
    p.name_zh,
    p.operator_type,
    p.places,
    p.subsidy_yuan,
    p.status,
    p.planned_on,
    p.construction_started_on,
    p.opened_on,
    p.closed_on,
    p.subsidy_paid_on,
    p.reported_at
from stg_childcare_points as p
inner join dim_region as r on r.region_code = p.region_code
left join dim_region as c on c.region_code = r.county_code
left join dim_region as f on f.region_code = r.prefecture_code
where p.plan_year = $plan_year
  and $within in (r.province_code, r.prefecture_code, r.county_code, r.region_code)
order by r.prefecture_code, r.county_code, p.point_id
