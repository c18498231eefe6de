-- grain: one row per county-level reporting unit inside $within, scored indicator and month up to $as_of that has a value
-- The monthly series the outlier checks score: flow and stock indicators of the progress
-- export (milestones are 0 or 1 and ratios are composed, so neither is scored), summed per
-- reporting county (a statistical zone's rows with its host county's). fct_indicator_month
-- already carries each row's kind and county, so no join with the region table is needed
-- (half the cost of reading stg_progress).
select
    f.county_code,
    f.prefecture_code,
    f.province_code,
    f.indicator_id,
    f.period_end,
    sum(f.value) as value
from fct_indicator_month as f
inner join dim_indicator as i on i.plan_year = f.plan_year and i.indicator_id = f.indicator_id
where f.plan_year = $plan_year and f.period_end <= $as_of and f.value is not null
  and f.kind in ('flow', 'stock') and i.source_table = 'progress' and f.county_code is not null
  and $within in (f.province_code, f.prefecture_code, f.county_code)
group by all
order by f.county_code, f.indicator_id, f.period_end
