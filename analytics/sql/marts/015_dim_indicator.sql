-- grain: one row per plan year and indicator (each year's plan has its own list; an indicator carried over keeps its id)
-- What every query joins indicators on: the plan year and the id, so an indicator a later plan
-- dropped is not in that year's tables and stays in the earlier year's. A row of an indicators
-- file written before indicators had a plan year (the column empty) stands for every plan year
-- the data mentions that has no indicator rows of its own: older data reads as it always did.
with own as (
    select * from stg_indicators where plan_year is not null
),
years as (
    select plan_year from stg_plans union select plan_year from stg_plan_items
    union select plan_year from stg_targets union select plan_year from stg_progress
    union select plan_year from stg_instructors union select plan_year from stg_childcare_points
    union select plan_year from stg_trainings
)
select * from own
union all
select i.* replace (y.plan_year as plan_year)
from stg_indicators as i
cross join years as y
where i.plan_year is null
  and y.plan_year is not null
  and y.plan_year not in (select plan_year from own)
