-- grain: one row per indicator of $plan_year's plan, with its item's area
select i.*, p.area_no, p.due_date as item_due_date
from dim_indicator as i
left join stg_plan_items as p on p.item_no = i.item_no and p.plan_year = i.plan_year
where i.plan_year = $plan_year
order by i.item_no, i.display_order
