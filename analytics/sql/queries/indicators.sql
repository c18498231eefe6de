-- grain: one row per indicator, with its item's area
select i.*, p.area_no, p.due_date as item_due_date
from stg_indicators as i
left join stg_plan_items as p on p.item_no = i.item_no and p.plan_year = $plan_year
order by i.item_no, i.display_order
