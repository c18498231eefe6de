-- grain: one row per plan item of $plan_year, with how many indicators measure it
select
    p.*,
    count(i.indicator_id) filter (where not i.is_component) as n_indicators
from stg_plan_items as p
left join dim_indicator as i on i.plan_year = p.plan_year and i.item_no = p.item_no
where p.plan_year = $plan_year
group by all
order by p.item_no
