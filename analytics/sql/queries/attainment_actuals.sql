-- grain: one row per as-of date in $as_of_dates, level in $levels (plus $lower_levels for $lower_ids only), indicator (of $indicator_ids, or all) and region inside $within
-- What analytics.queries.attainment_tables judges, looked up in the mart fct_indicator_actuals by
-- the macro indicator_actuals_at (sql/macros/: each date reads the mart's last as-of point on or
-- before it): the levels it judges, and at the levels below them only the every-region
-- indicators it counts there.
select a.*
from indicator_actuals_at($plan_year, $as_of_dates, $within) as a
where (list_contains($levels, a.level) and (len($indicator_ids) = 0 or list_contains($indicator_ids, a.indicator_id)))
   or (list_contains($lower_levels, a.level) and list_contains($lower_ids, a.indicator_id))
order by a.as_of, a.level, a.indicator_id, a.region_code
