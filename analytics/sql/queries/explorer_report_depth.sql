-- grain: one row per indicator of $indicator_ids with a report in $plan_year: the deepest level of the regions that reported it
-- depth 0: the province, 1: prefectures, 2: counties, 3: below (townships, villages). The explorer
-- says a cell above that depth is empty because the indicator is not reported there, not because
-- a region has not reported.
select
    f.indicator_id,
    max(case r.level when 'province' then 0 when 'prefecture' then 1 when 'county' then 2 else 3 end) as depth
from fct_indicator_month as f
inner join dim_region as r on r.region_code = f.region_code
where f.plan_year = $plan_year
  and list_contains($indicator_ids, f.indicator_id)
  and f.value is not null
group by f.indicator_id
order by f.indicator_id
