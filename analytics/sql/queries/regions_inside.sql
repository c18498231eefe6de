-- grain: one row per region of $codes that lies inside $within (itself excluded)
select region_code
from dim_region
where list_contains($codes, region_code)
  and region_code <> $within
  and $within in (province_code, prefecture_code, county_code)
order by region_code
