-- grain: one row per class held by $as_of (ended on or before it) and participants' county inside $within
-- The rows and the rule of a held class are the macro's (sql/macros/training_participants_held.sql),
-- which the explorer's completion and attendance rates read too.
select
    class_id, kind, class_level, organiser_code, organiser_name_zh, organiser_name_en, title_zh, end_date,
    county_code, county_name_zh, county_name_en, prefecture_code, prefecture_name_zh, prefecture_name_en,
    enrolled, attended, completed
from training_participants_held($plan_year, $as_of, $within)
order by class_id, county_code
