-- grain: one row per plan year and month end (the calendar every monthly mart reports on)
select
    y.plan_year,
    last_day(make_date(y.plan_year, m.month_no, 1)) as period_end
from (select distinct plan_year from stg_targets) as y
cross join (select range::integer as month_no from range(1, 13)) as m
