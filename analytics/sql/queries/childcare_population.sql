-- grain: one row per region (province, prefectures) with a resident population figure for census year $year
-- (the figure in force when an association file overrides the bundled one: see marts/050)
select
    region_code,
    value as population,
    reference_date,
    quality,
    source,
    source_tier,
    official_source
from fct_population_candidates
where candidate_rank = 1
  and measure = 'population'
  and basis = 'resident'
  and year = $year
  and value is not null
order by region_code
