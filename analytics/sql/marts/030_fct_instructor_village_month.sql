-- grain: one row per plan year, village-level unit and month end, for units that have reported by then
-- A village's last report stays in force until its next one (instructors are a stock);
-- a unit that never reported has no row here and is counted as "no report" by the pages.
-- Built one $plan_year at a time (analytics/db.py): a national export over several years is
-- millions of reports, and one year's window is what it needs in memory.
with spans as (
    select
        i.plan_year,
        i.region_code,
        i.period_end as valid_from,
        coalesce(
            lead(i.period_end) over (partition by i.plan_year, i.region_code order by i.period_end),
            date '9999-12-31'
        ) as valid_to,
        i.instructors_in_post,
        i.period_end as last_period,
        i.reported_at
    from stg_instructors as i
    where i.plan_year = $plan_year
)
select
    s.plan_year,
    s.region_code,
    m.period_end,
    s.instructors_in_post,
    s.last_period,
    s.reported_at
from spans as s
inner join dim_month as m
    on m.plan_year = s.plan_year and m.period_end >= s.valid_from and m.period_end < s.valid_to
