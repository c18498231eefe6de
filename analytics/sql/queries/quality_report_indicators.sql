-- grain: one row per indicator of the county report in $plan_year (what every county's monthly progress export is expected to carry)
-- The indicators that the progress export carries for county-level units in the plan year,
-- over the whole data (not only one prefecture), that come from this export and are not
-- ratios (a ratio is composed from its components, never reported itself).
select i.indicator_id, i.kind, i.name_zh, i.name_en, i.unit_zh, i.unit_en, i.item_no, i.display_order
from dim_indicator as i
where i.plan_year = $plan_year and i.source_table = 'progress' and i.kind <> 'ratio'
  and i.indicator_id in (
      select p.indicator_id
      from stg_progress as p
      inner join dim_region as r on r.region_code = p.region_code
      where p.plan_year = $plan_year and r.level = 'county'
  )
order by i.item_no, i.display_order, i.indicator_id
