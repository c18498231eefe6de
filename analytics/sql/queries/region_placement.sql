-- grain: one row per region at province, prefecture or county level, with the codes of the levels above
select region_code, level, province_code, prefecture_code, county_code
from dim_region
where level in ('province', 'prefecture', 'county')
