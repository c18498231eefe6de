-- grain: one row per population key (region, year, measure, basis) and file other than the figure in force, where both have a value
-- External consistency: the same figure from two sources (the bundled compilation of census and
-- bulletin figures, and the association's own export when the folder has one). Each row pairs
-- the figure in force (candidate_rank = 1, the rule in population_candidates.sql) with
-- another file's value for the same key.
select
    f.region_code,
    r.name_zh as region_name_zh,
    r.name_en as region_name_en,
    f.year,
    f.measure,
    f.basis,
    f.unit,
    f.value,
    f.source_file,
    o.value as other_value,
    o.source_file as other_source_file
from fct_population_candidates as f
inner join fct_population_candidates as o
    on o.region_code = f.region_code and o.year = f.year and o.measure = f.measure and o.basis = f.basis
    and o.candidate_rank > 1
left join dim_region as r on r.region_code = f.region_code
where f.candidate_rank = 1 and f.value is not null and o.value is not null
order by f.region_code, f.year, f.measure, f.basis, o.source_file
