-- grain: one row per population file and key (region, year, measure, basis); candidate_rank = 1 is the figure in force
-- Every Parquet file of reference/population/ ($files, from db.table_files) is read with its
-- file name, so each figure can be traced to the file it came from. When several files hold
-- the same key, the figure in force is, in this order:
--   1. a row with a value over a row without one (a gap in one file is no evidence
--      against a figure published in another);
--   2. a row from any file other than the bundled compilation (population.parquet at the
--      top of the folder) over the bundled one: the association's own export wins;
--   3. the file whose path sorts last (exports named by date: the newer one wins).
-- The losing rows stay in the result (candidate_rank > 1) so the page can list what was replaced.
with raw as (
    select
        cast(region_code as varchar) as region_code,
        cast(year as smallint) as year,
        cast(measure as varchar) as measure,
        cast(value as double) as value,
        cast(unit as varchar) as unit,
        cast(basis as varchar) as basis,
        cast(quality as varchar) as quality,
        cast(reference_date as date) as reference_date,
        cast(source as varchar) as source,
        cast(note as varchar) as note,
        -- the path inside reference/population/, with forward slashes whatever the OS
        regexp_replace(replace(filename, '\', '/'), '^.*reference/population/', '') as source_file
    from read_parquet($files, union_by_name = true)
),
ranked as (
    select
        *,
        source_file = 'population.parquet' as is_bundled,
        row_number() over (
            partition by region_code, year, measure, basis
            order by value is null, source_file = 'population.parquet', source_file desc, value desc
        ) as candidate_rank,
        count(*) over (partition by region_code, year, measure, basis) as n_candidates
    from raw
)
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
    k.is_bundled,
    k.candidate_rank,
    k.n_candidates
from ranked as k
left join dim_region as r on r.region_code = k.region_code
order by k.region_code, k.year, k.measure, k.basis, k.candidate_rank
