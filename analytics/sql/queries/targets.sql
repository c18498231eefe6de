-- grain: one row per indicator and region with a target in $plan_year
select indicator_id, region_code, target_value, due_date, phasing, basis, stated_zh, interpretation_zh,
    interpretation_en, note
from stg_targets
where plan_year = $plan_year
order by indicator_id, region_code
