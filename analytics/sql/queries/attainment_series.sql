-- grain: one row per indicator in $indicator_ids, month end of $plan_year and member region
-- Members are the regions at $member_level inside $within ('self' = $within itself); the
-- value is the indicator as of that month end, by its kind: flows and milestones summed
-- over the months so far, stocks the last value of each reporting region, then summed.
with months as (
    select period_end as month_end from dim_month where plan_year = $plan_year
),
facts as (
    select
        f.indicator_id,
        f.kind,
        f.region_code as source_region,
        f.period_end,
        f.value,
        case $member_level
            when 'self' then $within
            when 'prefecture' then f.prefecture_code
            when 'county' then f.county_code
        end as member_code
    from fct_indicator_month as f
    where f.plan_year = $plan_year
      and list_contains($indicator_ids, f.indicator_id)
      and $within in (f.province_code, f.prefecture_code, f.county_code, f.region_code)
),
per_source as (
    select
        m.month_end,
        f.indicator_id,
        f.member_code,
        f.source_region,
        case
            when any_value(f.kind) = 'stock' then arg_max(f.value, f.period_end) filter (where f.value is not null)
            else sum(f.value)
        end as value,
        count(f.value) as n_rows
    from months as m
    inner join facts as f on f.period_end <= m.month_end
    where f.member_code is not null
    group by m.month_end, f.indicator_id, f.member_code, f.source_region
)
select
    indicator_id,
    month_end,
    member_code,
    sum(value) as actual,
    sum(n_rows)::bigint as n_rows
from per_source
group by indicator_id, month_end, member_code
order by indicator_id, month_end, member_code
