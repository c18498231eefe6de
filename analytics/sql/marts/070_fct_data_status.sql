-- grain: one row: what the loaded exports cover (latest month, last report, row counts, plan years)
-- Read on every page (the sidebar's default as-of date), so it is counted once when the data is
-- opened: progress and instructors are views over their files, and counting a national
-- instructors export on every page cost a tenth of a second.
select
    (select max(period_end) from stg_progress) as progress_through,
    (select max(reported_at) from stg_progress) as last_reported_at,
    (select count(*) from stg_progress) as progress_rows,
    (select max(period_end) from stg_instructors) as instructors_through,
    (select count(*) from stg_instructors) as instructor_rows,
    (select count(*) from stg_childcare_points) as childcare_points,
    (select count(*) from stg_trainings) as trainings,
    (select list(distinct plan_year order by plan_year) from stg_plan_items) as plan_years
