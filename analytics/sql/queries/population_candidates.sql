-- grain: one row per population file and key (region, year, measure, basis), with region names; candidate_rank = 1 is the figure in force
-- The rule that ranks the candidates is in marts/050_fct_population_candidates.sql.
select
    k.region_code,
    r.name_zh,
    r.name_en,
    r.level,
    k.year,
    k.measure,
    k.value,
    k.unit,
    k.basis,
    k.quality,
    k.reference_date,
    k.source,
    k.note,
    k.source_file,
    k.source_tier,
    k.official_source,
    k.is_bundled,
    k.candidate_rank,
    k.n_candidates
from fct_population_candidates as k
left join dim_region as r on r.region_code = k.region_code
order by k.region_code, k.year, k.measure, k.basis, k.candidate_rank
