-- grain: one row per column of every table and view in the database the query runs on (the console's: published tables and marts)
-- The big exports are views over their Parquet files (analytics/db.py): listed with no row count,
-- which would mean reading them.
with objects as (
    select database_name, schema_name, table_name, estimated_size as table_rows
    from duckdb_tables()
    where not temporary
    union all
    select database_name, schema_name, view_name, null
    from duckdb_views()
    where not temporary and not internal
)
select
    o.table_name,
    c.column_name,
    c.data_type,
    c.column_index,
    o.table_rows
from objects as o
inner join duckdb_columns() as c
    on c.database_name = o.database_name and c.schema_name = o.schema_name and c.table_name = o.table_name
where o.database_name = current_database()
  and o.schema_name = 'main'
order by o.table_name, c.column_index
