-- grain: one row per published record that breaks a consistency rule (rule_id; all plan years and months)
-- The rules between related fields and indicators that the contract's per-column rules do not
-- cover; analytics.quality.CONSISTENCY_RULES lists them (the page shows the list even when
-- nothing breaks them). Each row names the record (its key), the region, the month where the
-- record has one, the offending value, the value it was compared with, and the file it came
-- from. Checked over everything published, not only up to the as-of date.
with ratio_numerator_le_denominator as (
    -- a coverage numerator (families with a contact person …) cannot exceed its denominator: the
    -- rule the import checks too, written once (sql/macros/ratio_numerator_above_denominator.sql)
    select
        'ratio_numerator_le_denominator' as rule_id, 'progress' as table_name,
        b.indicator_id as record, b.region_code, b.period_end,
        cast(b.value as varchar) as value, b.denominator_id || ' = ' || cast(b.denominator_value as varchar) as compared,
        b.source_file
    from ratio_numerator_above_denominator('stg_progress', 'dim_indicator') as b
),
progress_indicator_reported as (
    -- a row for an indicator its plan year's plan does not have, or one that does not come from
    -- this export, or a ratio (ratios are composed from their components): the marts drop it
    select
        'progress_indicator_reported' as rule_id, 'progress' as table_name,
        p.indicator_id as record, p.region_code, p.period_end,
        p.indicator_id as value, coalesce(i.source_table || ' / ' || i.kind, '—') as compared,
        p.source_file
    from stg_progress as p
    left join dim_indicator as i on i.plan_year = p.plan_year and i.indicator_id = p.indicator_id
    where i.indicator_id is null or i.source_table <> 'progress' or i.kind = 'ratio'
),
period_in_plan_year as (
    select
        'period_in_plan_year' as rule_id, 'progress' as table_name, indicator_id as record, region_code, period_end,
        cast(period_end as varchar) as value, cast(plan_year as varchar) as compared, source_file
    from stg_progress
    where year(period_end) <> plan_year
    union all
    select
        'period_in_plan_year', 'instructors', region_code, region_code, period_end,
        cast(period_end as varchar), cast(plan_year as varchar), source_file
    from stg_instructors
    where year(period_end) <> plan_year
),
reported_after_period as (
    -- a month's figures cannot reach the association before the month has ended
    select
        'reported_after_period' as rule_id, 'progress' as table_name, indicator_id as record, region_code, period_end,
        cast(reported_at as varchar) as value, cast(period_end as varchar) as compared, source_file
    from stg_progress
    where reported_at < period_end
    union all
    select
        'reported_after_period', 'instructors', region_code, region_code, period_end,
        cast(reported_at as varchar), cast(period_end as varchar), source_file
    from stg_instructors
    where reported_at < period_end
),
childcare_status_dates as (
    -- the status a point is in agrees with the dates it carries
    select
        'childcare_status_dates' as rule_id, 'childcare_points' as table_name, point_id as record, region_code,
        null::date as period_end, status as value,
        concat_ws(', ',
            'construction_started_on ' || coalesce(cast(construction_started_on as varchar), '—'),
            'opened_on ' || coalesce(cast(opened_on as varchar), '—'),
            'closed_on ' || coalesce(cast(closed_on as varchar), '—')) as compared,
        source_file
    from stg_childcare_points
    where (status = 'planned' and (construction_started_on is not null or opened_on is not null))
       or (status = 'under_construction' and (construction_started_on is null or opened_on is not null))
       or (status = 'open' and (opened_on is null or closed_on is not null))
       or (status = 'closed' and closed_on is null)
),
childcare_date_order as (
    -- planned, then construction started, then opened (the contract checks opened ≤ closed)
    select
        'childcare_date_order' as rule_id, 'childcare_points' as table_name, point_id as record, region_code,
        null::date as period_end,
        concat_ws(' → ', cast(planned_on as varchar), coalesce(cast(construction_started_on as varchar), '—'),
            coalesce(cast(opened_on as varchar), '—')) as value,
        'planned_on ≤ construction_started_on ≤ opened_on' as compared,
        source_file
    from stg_childcare_points
    where construction_started_on < planned_on or opened_on < construction_started_on or opened_on < planned_on
),
training_status_dates as (
    -- a held class has its dates; a planned one has not ended
    select
        'training_status_dates' as rule_id, 'trainings' as table_name, class_id as record, region_code,
        null::date as period_end, status as value,
        concat_ws(', ',
            'start_date ' || coalesce(cast(start_date as varchar), '—'),
            'end_date ' || coalesce(cast(end_date as varchar), '—')) as compared,
        source_file
    from stg_trainings
    where (status = 'held' and (start_date is null or end_date is null))
       or (status = 'planned' and end_date is not null)
),
participants_of_held_class as (
    -- participants are reported for a class the trainings export has, and that was held
    select
        'participants_of_held_class' as rule_id, 'training_participants' as table_name,
        p.class_id as record, p.region_code, null::date as period_end,
        cast(p.enrolled as varchar) as value, coalesce(t.status, '—') as compared,
        p.source_file
    from stg_training_participants as p
    left join stg_trainings as t on t.class_id = p.class_id
    where t.class_id is null or t.status <> 'held'
),
found as (
    select * from ratio_numerator_le_denominator
    union all select * from progress_indicator_reported
    union all select * from period_in_plan_year
    union all select * from reported_after_period
    union all select * from childcare_status_dates
    union all select * from childcare_date_order
    union all select * from training_status_dates
    union all select * from participants_of_held_class
)
select
    f.rule_id,
    f.table_name,
    f.record,
    f.region_code,
    r.name_zh as region_name_zh,
    r.name_en as region_name_en,
    r.prefecture_code,
    f.period_end,
    f.value,
    f.compared,
    f.source_file
from found as f
left join dim_region as r on r.region_code = f.region_code
order by f.rule_id, f.table_name, f.region_code, f.period_end, f.record
