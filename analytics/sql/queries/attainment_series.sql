-- grain: one row per indicator in $indicator_ids, month end of $plan_year and member region
-- Members are the regions at $member_level inside $within ('self' = $within itself; $within is a
-- province, prefecture or county); the value is the indicator as of that month end, by its kind
-- (flows and milestones summed over the months so far, stocks the last value of each reporting
-- region, then summed): a lookup of the month-end points of the mart fct_indicator_actuals
-- (sql/marts/060), which applies the kinds once when the data is opened.
select
    a.indicator_id,
    a.as_of as month_end,
    a.region_code as member_code,
    a.actual,
    a.n_rows
from fct_indicator_actuals as a
where a.plan_year = $plan_year
  -- the mart is stored by province: this reads $within's province only
  and a.province_code = substr($within, 1, 2) || '0000'
  and a.as_of in (select period_end from dim_month where plan_year = $plan_year)
  and list_contains($indicator_ids, a.indicator_id)
  and case $member_level
      when 'self' then a.region_code = $within
      else a.level = $member_level and $within in (a.province_code, a.prefecture_code, a.county_code)
  end
order by a.indicator_id, a.as_of, a.region_code
