-- grain: one row per as-of date in $as_of_dates, level (province, prefecture, county), indicator (of $indicator_ids, or all) and region inside $within
-- The aggregation kinds, for several dates and all three levels in one scan: each
-- reporting region's figure is computed once per date (flows and milestones summed over
-- the months, stocks their last value), then summed into every level above it; a ratio is
-- the sum of its numerator over the sum of its denominator (never a mean of percentages).
with dates as (
    select unnest($as_of_dates)::date as as_of
),
per_source as (
    select
        d.as_of,
        f.indicator_id,
        f.region_code as source_region,
        any_value(f.province_code) as province_code,
        any_value(f.prefecture_code) as prefecture_code,
        any_value(f.county_code) as county_code,
        case
            when any_value(f.kind) = 'stock' then arg_max(f.value, f.period_end) filter (where f.value is not null)
            else sum(f.value)
        end as value,
        count(f.value) as n_rows,
        max(f.period_end) as last_period
    from fct_indicator_month as f
    inner join dates as d on f.period_end <= d.as_of
    where f.plan_year = $plan_year
      and $within in (f.province_code, f.prefecture_code, f.county_code, f.region_code)
      -- an empty list means every indicator; a page that shows a few asks for those only
      and (len($indicator_ids) = 0 or list_contains($indicator_ids, f.indicator_id))
    group by d.as_of, f.indicator_id, f.region_code
),
leveled as (
    select as_of, 'province' as level, indicator_id, province_code as region_code, value, n_rows, last_period
    from per_source
    union all
    select as_of, 'prefecture', indicator_id, prefecture_code, value, n_rows, last_period
    from per_source where prefecture_code is not null
    union all
    select as_of, 'county', indicator_id, county_code, value, n_rows, last_period
    from per_source where county_code is not null
),
summed as (
    select
        as_of,
        level,
        indicator_id,
        region_code,
        sum(value) as actual,
        sum(n_rows)::bigint as n_rows,
        max(last_period) as last_period
    from leveled
    group by as_of, level, indicator_id, region_code
),
ratios as (
    select
        d.as_of,
        d.level,
        i.indicator_id,
        d.region_code,
        -- no numerator reported under a known denominator: 0 covered, as the parent counts it
        coalesce(n.actual, 0) / nullif(d.actual, 0) as actual,
        coalesce(n.n_rows, 0)::bigint as n_rows,
        greatest(n.last_period, d.last_period) as last_period,
        coalesce(n.actual, 0) as numerator,
        d.actual as denominator
    from stg_indicators as i
    inner join summed as d on d.indicator_id = i.denominator_id
    left join summed as n
        on n.indicator_id = i.numerator_id and n.region_code = d.region_code
        and n.as_of = d.as_of and n.level = d.level
    where i.kind = 'ratio'
)
select *, null::double as numerator, null::double as denominator from summed
union all
select * from ratios
order by as_of, level, indicator_id, region_code
