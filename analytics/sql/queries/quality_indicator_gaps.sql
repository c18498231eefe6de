-- grain: one row per received county report (county-level reporting unit inside $within, month up to $as_of) and indicator of the county report whose value is missing
-- A report is received when the county sent any row of the progress export for the month; an
-- indicator of the county report ($indicator_ids, from quality_report_indicators.sql) is missing from it when it
-- has no row ('absent') or only rows without a value ('blank'). A statistical zone's rows
-- count for its host county.
with county_rows as (
    select r.county_code, r.prefecture_code, p.period_end, p.indicator_id, p.value, p.source_file
    from stg_progress as p
    inner join dim_region as r on r.region_code = p.region_code
    where p.plan_year = $plan_year and p.period_end <= $as_of and r.level = 'county'
      and p.region_code >= substr($within, 1, 2) and p.region_code < substr($within, 1, 2) || 'a'
      and $within in (r.province_code, r.prefecture_code, r.county_code)
),
report_indicators as (
    -- the indicators of the county report, from quality_report_indicators.sql
    select unnest(cast($indicator_ids as varchar[])) as indicator_id
),
reports as (
    select county_code, prefecture_code, period_end, min(source_file) as source_file
    from county_rows
    group by all
),
values_in as (
    select county_code, period_end, indicator_id, count(*) as n_rows, count(value) as n_values
    from county_rows
    group by all
)
select
    r.county_code,
    r.prefecture_code,
    r.period_end,
    i.indicator_id,
    case when v.n_rows is null then 'absent' else 'blank' end as gap,
    r.source_file
from reports as r
cross join report_indicators as i
left join values_in as v
    on v.county_code = r.county_code and v.period_end = r.period_end and v.indicator_id = i.indicator_id
where v.n_rows is null or v.n_values = 0
order by r.county_code, r.period_end, i.indicator_id
