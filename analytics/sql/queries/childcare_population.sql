-- grain: one row per region (province, prefectures) with a resident population figure for census year $year
select
    region_code,
    value as population,
    reference_date,
    quality,
    source
from stg_population
where measure = 'population'
  and basis = 'resident'
  and year = $year
  and value is not null
order by region_code
