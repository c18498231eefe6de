-- grain: one row per region at province, prefecture or county level in $within's province, with the codes of the levels above
-- (a national region table is stored in code order: the range reads one province's rows)
select region_code, level, province_code, prefecture_code, county_code, is_stat_zone
from dim_region
where region_code >= substr($within, 1, 2) and region_code < substr($within, 1, 2) || 'a'
  and level in ('province', 'prefecture', 'county')
order by region_code
