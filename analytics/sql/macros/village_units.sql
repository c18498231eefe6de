-- grain: one row per village-level unit inside within (every unit at level village of the region table, reported or not)
-- village_units(within): the units the village coverage figures count, in one place for the
-- training and data quality queries. A statistical zone's units lie under their host county
-- (county_code). A region's codes start with its province's two digits: the range lets DuckDB
-- skip the rest of a national region table before testing each row.
create macro village_units(within) as table
select region_code, name_zh, parent_code, county_code, prefecture_code, province_code
from dim_region
where region_code >= substr(within, 1, 2) and region_code < substr(within, 1, 2) || 'a'
  and level = 'village'
  and within in (province_code, prefecture_code, county_code)
