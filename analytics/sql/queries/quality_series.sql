-- grain: one row per county-level reporting unit inside $within, scored indicator and month up to $as_of that has a value
-- The monthly series the outlier checks score: flow and stock indicators of the progress
-- export (milestones are 0 or 1 and ratios are composed, so neither is scored), summed per
-- reporting county (a statistical zone's rows with its host county's).
select
    r.county_code,
    r.prefecture_code,
    r.province_code,
    p.indicator_id,
    p.period_end,
    sum(p.value) as value
from stg_progress as p
inner join dim_region as r on r.region_code = p.region_code
inner join stg_indicators as i on i.indicator_id = p.indicator_id
where p.plan_year = $plan_year and p.period_end <= $as_of and p.value is not null
  and r.level = 'county' and i.kind in ('flow', 'stock') and i.source_table = 'progress'
  and p.region_code >= substr($within, 1, 2) and p.region_code < substr($within, 1, 2) || 'a'
  and $within in (r.province_code, r.prefecture_code, r.county_code)
group by all
order by r.county_code, p.indicator_id, p.period_end
