-- grain: one row per as-of date in $as_of_dates, level (province, prefecture, county), indicator (of $indicator_ids, or all) and region inside $within
-- The macro indicator_actuals_at (sql/macros/: a lookup in the mart fct_indicator_actuals, each
-- date at the mart's last as-of point on or before it) at every level. A ratio is composed from
-- its numerator and denominator in the mart whether or not they are in $indicator_ids.
select a.*
from indicator_actuals_at($plan_year, $as_of_dates, $within) as a
-- an empty list means every indicator; a page that shows a few asks for those only
where len($indicator_ids) = 0 or list_contains($indicator_ids, a.indicator_id)
order by a.as_of, a.level, a.indicator_id, a.region_code
