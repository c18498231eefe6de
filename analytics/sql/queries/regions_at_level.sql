-- grain: one row per region at level $level inside $within (the statistical zones excluded from counties)
select region_code, name_zh, name_en, level, kind, parent_code, province_code, prefecture_code, county_code
from dim_region
-- a region inside $within shares its province's two digits: the range lets DuckDB skip the
-- rest of a national region table (stored in code order) before testing each row
where region_code >= substr($within, 1, 2) and region_code < substr($within, 1, 2) || 'a'
  and level = $level
  and not (level = 'county' and is_stat_zone)
  and $within in (province_code, prefecture_code, county_code, region_code)
order by region_code
