-- grain: one row: what the loaded exports cover (latest month, last report, row counts)
-- counted when the data is opened: sql/marts/070_fct_data_status.sql
select
    progress_through,
    last_reported_at,
    progress_rows,
    instructors_through,
    instructor_rows,
    childcare_points,
    trainings,
    plan_years
from fct_data_status
