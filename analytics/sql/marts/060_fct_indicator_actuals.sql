-- grain: one row per plan year, as-of point, level (province, prefecture, county), region and indicator, for regions with reports up to that point
-- Every indicator's actual by its aggregation kind, computed once when the data is opened
-- instead of on every request (pages look figures up: sql/queries/attainment_actuals.sql and
-- indicator_actuals_levels.sql). The as-of points of a plan year and area are the year's
-- month ends and every period_end the area's facts carry; a date between two points reads the
-- earlier one, which holds exactly the province's facts up to that date (points of other
-- provinces of its area change nothing).
-- The rules are those of docs/indicators.md: each reporting region's figure at a point (flows and
-- milestones summed over its periods so far, a stock its last non-null value), summed into every
-- level above it; a ratio is the sum of its numerator over the sum of its denominator, never a mean
-- of percentages. n_rows counts the non-null reports behind a figure (0: no data).
-- Built one $plan_year and $area at a time (analytics/db.py; an area is the first digit of the
-- province codes, GB/T 2260: 1 north … 6 northwest): what it holds in memory while it is built is
-- one area's year, and its rows are stored by year, then province, so a lookup for one province
-- reads only its row groups.
with sources as (
    -- every reporting region of each indicator, with its place in the levels
    select
        plan_year, indicator_id, region_code,
        any_value(kind) as kind,
        any_value(province_code) as province_code,
        any_value(prefecture_code) as prefecture_code,
        any_value(county_code) as county_code
    from fct_indicator_month
    where plan_year = $plan_year and substr(province_code, 1, 1) = $area
    group by plan_year, indicator_id, region_code
),
running as (
    -- each reporting region's figure as of each of its own periods (the frame takes every fact
    -- of the same period: a flow may have two in one month, its January zero and a payment)
    select
        plan_year, indicator_id, region_code, period_end,
        case when kind = 'stock' then last_value(value ignore nulls) over w else sum(value) over w end as value,
        count(value) over w as n_rows
    from fct_indicator_month
    where plan_year = $plan_year and substr(province_code, 1, 1) = $area
    window w as (
        partition by plan_year, indicator_id, region_code order by period_end
        range between unbounded preceding and current row
    )
),
points as (
    -- the year's month ends and the area's own report dates (a lookup reads one province, whose
    -- last point on or before a date then holds exactly its facts up to that date)
    select plan_year, period_end as as_of from dim_month where plan_year = $plan_year
    union
    select distinct plan_year, period_end from fct_indicator_month
    where plan_year = $plan_year and substr(province_code, 1, 1) = $area
),
at_point as (
    -- each reporting region at each point: its latest figure on or before it (none before its first report)
    select g.plan_year, g.as_of, g.indicator_id, g.province_code, g.prefecture_code, g.county_code,
        r.value, r.n_rows, r.period_end as last_period
    from (select s.*, p.as_of from sources as s inner join points as p on p.plan_year = s.plan_year) as g
    asof inner join running as r
        on r.plan_year = g.plan_year and r.indicator_id = g.indicator_id and r.region_code = g.region_code
        and r.period_end <= g.as_of
),
county as (
    -- the levels are summed from the one below (a county's sources, then a prefecture's counties
    -- and its own reports, then a province's prefectures and its own reports)
    select plan_year, as_of, indicator_id, any_value(province_code) as province_code, any_value(prefecture_code) as prefecture_code,
        county_code as region_code, sum(value) as actual, sum(n_rows) as n_rows, max(last_period) as last_period
    from at_point where county_code is not null
    group by plan_year, as_of, indicator_id, county_code
),
prefecture as (
    select plan_year, as_of, indicator_id, any_value(province_code) as province_code, prefecture_code as region_code,
        sum(actual) as actual, sum(n_rows) as n_rows, max(last_period) as last_period
    from (
        select plan_year, as_of, indicator_id, province_code, prefecture_code, actual, n_rows, last_period from county where prefecture_code is not null
        union all
        select plan_year, as_of, indicator_id, province_code, prefecture_code, value, n_rows, last_period from at_point
        where county_code is null and prefecture_code is not null
    )
    group by plan_year, as_of, indicator_id, prefecture_code
),
province as (
    select plan_year, as_of, indicator_id, province_code as region_code,
        sum(actual) as actual, sum(n_rows) as n_rows, max(last_period) as last_period
    from (
        select plan_year, as_of, indicator_id, province_code, actual, n_rows, last_period from prefecture
        union all
        select plan_year, as_of, indicator_id, province_code, actual, n_rows, last_period from county where prefecture_code is null
        union all
        select plan_year, as_of, indicator_id, province_code, value, n_rows, last_period from at_point
        where county_code is null and prefecture_code is null
    )
    group by plan_year, as_of, indicator_id, province_code
),
summed as (
    select plan_year, as_of, 'county' as level, indicator_id, region_code, actual, n_rows::bigint as n_rows, last_period from county
    union all
    select plan_year, as_of, 'prefecture', indicator_id, region_code, actual, n_rows::bigint, last_period from prefecture
    union all
    select plan_year, as_of, 'province', indicator_id, region_code, actual, n_rows::bigint, last_period from province
),
components as (
    -- the numerators and denominators of the ratios
    select * from summed
    where indicator_id in (select numerator_id from dim_indicator where kind = 'ratio' and plan_year = $plan_year)
       or indicator_id in (select denominator_id from dim_indicator where kind = 'ratio' and plan_year = $plan_year)
),
ratios as (
    select d.plan_year, d.as_of, d.level, i.indicator_id, d.region_code,
        -- a region whose denominator is known but that reported no numerator counts as 0 in its
        -- own row, as it does inside its parent (湘西's villages with no report are not covered
        -- at the province, so 湘西 reads 0 %); n_rows stays 0, so it is still "no report"
        coalesce(n.actual, 0) / nullif(d.actual, 0) as actual, coalesce(n.n_rows, 0)::bigint as n_rows,
        greatest(n.last_period, d.last_period) as last_period, coalesce(n.actual, 0) as numerator, d.actual as denominator
    from dim_indicator as i
    inner join components as d on d.plan_year = i.plan_year and d.indicator_id = i.denominator_id
    left join components as n
        on n.indicator_id = i.numerator_id and n.region_code = d.region_code
        and n.plan_year = d.plan_year and n.as_of = d.as_of and n.level = d.level
    where i.kind = 'ratio' and i.plan_year = $plan_year
),
actuals as (
    select *, null::double as numerator, null::double as denominator from summed
    union all
    select * from ratios
)
-- the region's own place in each level rides along, so a lookup filters "inside $within"
-- without a join; stored by year and province, so a lookup for one province reads only its
-- row groups of a national table
select a.*, r.province_code, r.prefecture_code, r.county_code
from actuals as a
inner join (
    select region_code, province_code, prefecture_code, county_code
    from dim_region
    -- the area's codes share its first digit: a range of the region table, stored in code order
    where region_code >= $area and region_code < $area || 'a'
      and level in ('province', 'prefecture', 'county')
) as r on r.region_code = a.region_code
order by r.province_code, a.as_of
