-- grain: one row per region at level $level inside $within (the statistical zones excluded from counties)
select region_code, name_zh, name_en, level, kind, parent_code, province_code, prefecture_code, county_code
from dim_region
where level = $level
  and not (level = 'county' and is_stat_zone)
  and $within in (province_code, prefecture_code, county_code, region_code)
order by region_code
