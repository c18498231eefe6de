-- grain: one row per indicator, region and scheduled month end of a target phased by schedule in $plan_year
select indicator_id, region_code, period_end, cumulative_value
from stg_target_schedules
where plan_year = $plan_year
order by indicator_id, region_code, period_end
