-- grain: one row per indicator and region at level $level inside $within, as of $as_of
-- flow and milestone: sum over months and reporting regions;
-- stock: the last value of each reporting region up to $as_of, then summed over regions.
-- ratio: sum of its numerator's values / sum of its denominator's, per region (never a
-- mean of percentages).
with placed as (
    select
        f.indicator_id,
        f.kind,
        f.region_code as source_region,
        f.period_end,
        f.value,
        case $level
            when 'province' then f.province_code
            when 'prefecture' then f.prefecture_code
            when 'county' then f.county_code
        end as region_code
    from fct_indicator_month as f
    where f.plan_year = $plan_year
      and f.period_end <= $as_of
      and $within in (f.province_code, f.prefecture_code, f.county_code, f.region_code)
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
),
summed as (
    select
        indicator_id,
        region_code,
        sum(value) as actual,
        sum(n_rows)::bigint as n_rows,
        max(last_period) as last_period
    from per_source
    group by indicator_id, region_code
),
ratios as (
    -- sum of numerators / sum of denominators, per region; the ratio has data when its
    -- numerator was reported (a denominator such as "all villages" always exists)
    select
        i.indicator_id,
        d.region_code,
        n.actual / nullif(d.actual, 0) as actual,
        coalesce(n.n_rows, 0)::bigint as n_rows,
        greatest(n.last_period, d.last_period) as last_period,
        n.actual as numerator,
        d.actual as denominator
    from stg_indicators as i
    inner join summed as d on d.indicator_id = i.denominator_id
    left join summed as n on n.indicator_id = i.numerator_id and n.region_code = d.region_code
    where i.kind = 'ratio'
)
select *, null::double as numerator, null::double as denominator from summed
union all
select * from ratios
order by indicator_id, region_code
