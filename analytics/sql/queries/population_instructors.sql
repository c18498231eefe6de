-- grain: one row for the province and one per prefecture inside $within: family health instructors in post as of $as_of
-- Instructors are a stock: each village's latest report up to $as_of. The mart carries a
-- report forward to every later month, so the mart's row at the last month end on or before
-- $as_of is that latest report (one month's slice, not a scan of all months). A region none of
-- whose villages has reported has no row (no data, not zero).
with latest as (
    select f.region_code, f.instructors_in_post, f.last_period
    from fct_instructor_village_month as f
    where f.plan_year = $plan_year
      and f.period_end = (
          select max(m.period_end) from dim_month as m where m.plan_year = $plan_year and m.period_end <= $as_of
      )
)
select
    coalesce(r.prefecture_code, r.province_code) as region_code,
    sum(l.instructors_in_post)::double as instructors_in_post,
    count(*)::bigint as villages_reported,
    max(l.last_period) as last_period
from latest as l
inner join dim_region as r on r.region_code = l.region_code
where $within in (r.province_code, r.prefecture_code)
group by grouping sets ((r.province_code), (r.prefecture_code))
having coalesce(r.prefecture_code, r.province_code) is not null
order by region_code
