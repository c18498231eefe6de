-- grain: one row per plan year: the notice and the association's judgement settings (none when no workbook set $plan_year)
select plan_year, association_zh, association_en, notice_no, notice_title_zh, notice_date, province_code,
    on_track_share, at_risk_share, completion_share
from stg_plans
where plan_year = $plan_year
