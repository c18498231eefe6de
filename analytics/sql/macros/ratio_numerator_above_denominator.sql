-- grain: one row per row of the table named progress whose value is above its denominator's value for the same plan year, region and month (with the denominator's id and value)
-- ratio_numerator_above_denominator(progress, indicators): the rule "a ratio's numerator cannot
-- exceed its denominator" (families with a contact person cannot outnumber the families), written
-- once for the data quality page (sql/queries/quality_consistency_violations.sql, over
-- stg_progress and dim_indicator) and the import (analytics.rules.numerator_above_denominator,
-- over the merged rows of an import). progress and indicators name tables of the connection with
-- the contract's progress and indicators columns, every indicator row with its plan year; the
-- ratios are the indicators of kind ratio read from the progress export in the row's plan year.
create macro ratio_numerator_above_denominator(progress, indicators) as table
select n.*, q.denominator_id, d.value as denominator_value
from (
    select distinct plan_year, numerator_id, denominator_id
    from query_table(indicators)
    where kind = 'ratio' and source_table = 'progress' and numerator_id is not null and denominator_id is not null
) as q
inner join query_table(progress) as n on n.plan_year = q.plan_year and n.indicator_id = q.numerator_id
inner join query_table(progress) as d
    on d.indicator_id = q.denominator_id and d.plan_year = n.plan_year
    and d.region_code = n.region_code and d.period_end = n.period_end
where n.value > d.value
