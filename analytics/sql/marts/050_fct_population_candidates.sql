-- grain: one row per population file and key (region, year, measure, basis); candidate_rank = 1 is the figure in force
-- Every Parquet file of reference/population/ is in stg_population with its file name
-- (source_file), so each figure can be traced to the file it came from. When several files hold
-- the same key, the figure in force is, in this order:
--   1. a row with a value over a row without one (a gap in one file is no evidence
--      against a figure published in another);
--   2. a row from any file other than the bundled compilation (population.parquet at the
--      top of the folder) over the bundled one: the association's own export wins;
--   3. the file whose path sorts last (exports named by date: the newer one wins).
-- The losing rows stay in the result (candidate_rank > 1) so the page can list what was replaced.
with raw as (
    select * from stg_population
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
select * from ranked
