-- grain: one row: the childcare register of $plan_year (points the export holds for it, and when they were reported)
select
    count(*) as points,
    min(reported_at) as first_reported_at,
    max(reported_at) as last_reported_at
from stg_childcare_points
where plan_year = $plan_year
