-- grain: one row per indicator and region at level $level inside $within, as of $as_of
-- flow and milestone: sum over months and reporting regions;
-- stock: the last value of each reporting region up to $as_of, then summed over regions.
-- Ratios are composed from their components in analytics.attainment.compose_actuals.
with placed as (
    select
        f.indicator_id,
        i.kind,
        f.region_code as source_region,
        f.period_end,
        f.value,
        case $level
            when 'province' then r.province_code
            when 'prefecture' then r.prefecture_code
            when 'county' then r.county_code
        end as region_code
    from fct_indicator_month as f
    inner join stg_indicators as i on i.indicator_id = f.indicator_id
    inner join dim_region as r on r.region_code = f.region_code
    where f.plan_year = $plan_year
      and f.period_end <= $as_of
      and $within in (r.province_code, r.prefecture_code, r.county_code, r.region_code)
),
per_source as (
    select
        indicator_id,
        region_code,
        source_region,
        case
            when any_value(kind) = 'stock' then arg_max(value, period_end) filter (where value is not null)
            else sum(value)
        end as value,
        count(*) filter (where value is not null) as n_rows,
        max(period_end) as last_period
    from placed
    where region_code is not null
    group by indicator_id, region_code, source_region
)
select
    indicator_id,
    region_code,
    sum(value) as actual,
    sum(n_rows)::bigint as n_rows,
    max(last_period) as last_period
from per_source
group by indicator_id, region_code
order by indicator_id, region_code
