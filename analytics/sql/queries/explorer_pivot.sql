-- grain: one row per indicator of $indicator_ids, region at $level inside $within (null: all of them) and period of $period_keys (null: all of them)
-- The explorer's cells and every one of its totals, each computed from the reports themselves
-- by the indicator's own rule (analytics/attainment.py), never from another figure shown:
--   * a period is the window of months [$period_starts, $period_ends]; the "all periods" row
--     is the whole span from the first start to the last end;
--   * per reporting region and window: flows and milestones summed over the window's months,
--     stocks their last value up to the window's end (as on every other page: a region that did
--     not report in the window keeps its earlier figure);
--   * summed over the reporting regions that lie in the cell's region ($level chosen by value
--     in a fixed CASE: no caller text becomes an identifier), or over all regions chosen
--     (grouping set without region_code: the "all regions" total);
--   * a ratio is the sum of its numerator over the sum of its denominator in the same cell,
--     so a total of a ratio is the ratio of the totals, never a sum or mean of percentages.
-- n_rows counts the reports behind a figure: a cell without any is "no data", not 0.
-- Beside the plan's indicators, the training register's measures ($extra_*: ids, kinds and ratio
-- components, analytics/explorer.TRAINING_MEASURES) are read from the rows the training page
-- reads (sql/macros/training_*.sql): classes held by their organiser's region, participants by
-- their county, each in the month the class ended, shaped like fct_indicator_month's rows.
with periods as (
    select
        unnest($period_keys)::varchar as period,
        unnest($period_starts)::date as window_start,
        unnest($period_ends)::date as window_end
),
windows as (
    select period, window_start, window_end from periods
    union all
    select null, min(window_start), max(window_end) from periods
),
extra as (
    select
        unnest($extra_ids)::varchar as indicator_id,
        unnest($extra_kinds)::varchar as kind,
        unnest($extra_numerators)::varchar as numerator_id,
        unnest($extra_denominators)::varchar as denominator_id
),
asked as (
    select indicator_id, kind, numerator_id, denominator_id
    from dim_indicator
    where plan_year = $plan_year and list_contains($indicator_ids, indicator_id)
    union all
    select indicator_id, kind, numerator_id, denominator_id
    from extra
    where list_contains($indicator_ids, indicator_id)
),
wanted as (
    -- the indicators asked for and the components of the ratios among them
    select indicator_id from asked
    union select numerator_id from asked where kind = 'ratio'
    union select denominator_id from asked where kind = 'ratio'
),
training_rows as (
    -- one class held counts 1 for its organiser; its participants count for their county
    select c.kind, c.region_code, c.end_date, 'held' as measure, 1::double as value
    from training_held_classes($plan_year, list_max($period_ends)::date) as c
    union all
    select p.kind, p.county_code, p.end_date, m.measure,
        case m.measure when 'enrolled' then p.enrolled when 'attended' then p.attended else p.completed end
    from training_participants_held($plan_year, list_max($period_ends)::date, $within) as p
    cross join (values ('enrolled'), ('attended'), ('completed')) as m(measure)
),
training_scoped as (
    -- each kind of class, and every kind together ("all")
    select measure, kind as scope, region_code, end_date, value from training_rows
    union all
    select measure, 'all', region_code, end_date, value from training_rows
),
training_month as (
    select
        'training_' || t.measure || '_' || t.scope as indicator_id,
        'flow' as kind,
        t.region_code,
        last_day(t.end_date) as period_end,
        sum(t.value) as value,
        r.province_code,
        r.prefecture_code,
        r.county_code
    from training_scoped as t
    inner join dim_region as r on r.region_code = t.region_code
    group by all
),
facts as (
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
    from (
        select indicator_id, kind, region_code, period_end, value, province_code, prefecture_code, county_code
        from fct_indicator_month
        where plan_year = $plan_year
        union all
        select indicator_id, kind, region_code, period_end, value, province_code, prefecture_code, county_code
        from training_month
    ) as f
    where f.indicator_id in (select indicator_id from wanted)
      and $within in (f.province_code, f.prefecture_code, f.county_code, f.region_code)
),
per_source as (
    select
        w.period,
        f.indicator_id,
        f.region_code,
        f.source_region,
        case
            when any_value(f.kind) = 'stock' then arg_max(f.value, f.period_end) filter (where f.value is not null)
            else sum(f.value)
        end as value,
        count(f.value) as n_rows
    from facts as f
    inner join windows as w
        on f.period_end <= w.window_end
        -- a stock's last value may be older than the window; a flow counts the window's months only
        and (f.kind = 'stock' or f.period_end >= w.window_start)
    where f.region_code is not null
      and (len($regions) = 0 or list_contains($regions, f.region_code))
    group by w.period, f.indicator_id, f.region_code, f.source_region
),
cells as (
    select indicator_id, region_code, period, sum(value) as value, sum(n_rows)::bigint as n_rows
    from per_source
    group by grouping sets ((indicator_id, region_code, period), (indicator_id, period))
),
ratios as (
    select
        a.indicator_id,
        d.region_code,
        d.period,
        n.value / nullif(d.value, 0) as value,
        n.value as numerator,
        d.value as denominator,
        coalesce(n.n_rows, 0)::bigint as n_rows
    from asked as a
    inner join cells as d on d.indicator_id = a.denominator_id
    left join cells as n
        on n.indicator_id = a.numerator_id
        and n.region_code is not distinct from d.region_code
        and n.period is not distinct from d.period
    where a.kind = 'ratio'
)
select c.indicator_id, c.region_code, c.period, c.value, null::double as numerator, null::double as denominator, c.n_rows
from cells as c
inner join asked as a on a.indicator_id = c.indicator_id and a.kind <> 'ratio'
union all
select indicator_id, region_code, period, value, numerator, denominator, n_rows
from ratios
order by indicator_id, region_code nulls last, period nulls last
