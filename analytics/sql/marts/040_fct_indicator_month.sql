-- grain: one row per plan year, indicator, reporting region and month end
-- Every indicator's monthly value in one shape, whatever export it comes from, so the
-- aggregation kinds (flow, stock, milestone) are applied in one query only.
with instructor_components as (
    select
        f.plan_year,
        'villages_with_2_instructors' as indicator_id,
        r.county_code as region_code,
        f.period_end,
        count(*) filter (where f.instructors_in_post >= 2)::double as value,
        max(f.reported_at) as reported_at
    from fct_instructor_village_month as f
    inner join dim_region as r on r.region_code = f.region_code
    group by all
),
village_totals as (
    -- the denominator is every village-level unit in the region table, reported or not
    select
        m.plan_year,
        'villages_total' as indicator_id,
        r.county_code as region_code,
        m.period_end,
        count(*)::double as value,
        null::date as reported_at
    from dim_region as r
    cross join dim_month as m
    where r.level = 'village'
    group by all
),
childcare_stock as (
    select
        p.plan_year,
        k.indicator_id,
        p.region_code,
        m.period_end,
        sum(
            case
                when p.opened_on <= m.period_end and (p.closed_on is null or p.closed_on > m.period_end)
                    then (case k.indicator_id when 'childcare_places' then p.places else 1 end)
                else 0
            end
        )::double as value,
        max(p.reported_at) as reported_at
    from stg_childcare_points as p
    inner join dim_month as m on m.plan_year = p.plan_year
    cross join (values ('childcare_points_open'), ('childcare_places')) as k(indicator_id)
    group by all
),
childcare_funds as (
    -- a county with points has reported its funds: 0 from January until a subsidy is paid
    select
        plan_year,
        'childcare_funds_yuan' as indicator_id,
        region_code,
        last_day(make_date(plan_year, 1, 1)) as period_end,
        0::double as value,
        min(reported_at) as reported_at
    from stg_childcare_points
    group by all
    union all
    select
        plan_year,
        'childcare_funds_yuan' as indicator_id,
        region_code,
        last_day(subsidy_paid_on) as period_end,
        sum(subsidy_yuan) as value,
        max(reported_at) as reported_at
    from stg_childcare_points
    where subsidy_paid_on is not null
    group by all
),
childcare_register_zeros as (
    -- the childcare export is the province's register of points: when it lists any point
    -- for a plan year, a county with none has 0 points, 0 places and 0 yuan (known to be
    -- none), not "no data"; with no register at all every county stays without data
    select
        y.plan_year,
        k.indicator_id,
        r.region_code,
        last_day(make_date(y.plan_year, 1, 1)) as period_end,
        0::double as value,
        null::date as reported_at
    from (select distinct plan_year from stg_childcare_points) as y
    cross join (values ('childcare_points_open'), ('childcare_places'), ('childcare_funds_yuan')) as k(indicator_id)
    cross join dim_region as r
    where r.level = 'county'
      and not r.is_stat_zone
      and r.region_code not in (select region_code from stg_childcare_points as p where p.plan_year = y.plan_year)
),
training_classes as (
    -- the plan's classes are the province's own; cancelled classes never count
    select t.*, k.indicator_id
    from stg_trainings as t
    inner join (
        values
            ('instructor_trainer', 'instructor_trainer_class_held'),
            ('youth_trainer', 'youth_trainer_class_held'),
            ('capacity_building', 'capacity_class_held')
    ) as k(kind, indicator_id) on k.kind = t.kind
    where t.level = 'province' and t.status <> 'cancelled'
),
training_milestones as (
    -- a class known to the export counts 0 from January (so "not yet held" is not
    -- "no data"), then 1 in the month it ended
    select plan_year, indicator_id, region_code, last_day(make_date(plan_year, 1, 1)) as period_end,
        0::double as value, min(reported_at) as reported_at
    from training_classes
    group by all
    union all
    select plan_year, indicator_id, region_code, last_day(end_date) as period_end,
        count(*)::double as value, max(reported_at) as reported_at
    from training_classes
    where status = 'held' and end_date is not null
    group by all
),
all_months as (
    select plan_year, indicator_id, region_code, period_end, value, reported_at from stg_progress
    union all select * from instructor_components
    union all select * from village_totals
    union all select * from childcare_stock
    union all select * from childcare_funds
    union all select * from childcare_register_zeros
    union all select * from training_milestones
)
-- the indicator's kind and the region's place in each level ride along, so the queries
-- that aggregate this table (indicator_actuals, attainment_series) need no joins; a fact of an
-- indicator its plan year does not have (a later plan dropped it) is not that year's
select
    a.*,
    i.kind,
    r.province_code,
    r.prefecture_code,
    r.county_code
from all_months as a
inner join dim_indicator as i on i.plan_year = a.plan_year and i.indicator_id = a.indicator_id
inner join dim_region as r on r.region_code = a.region_code
