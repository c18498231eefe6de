-- grain: one row per column of every table in the database the query runs on (the console's: published tables and marts)
select
    t.table_name,
    c.column_name,
    c.data_type,
    c.column_index,
    t.estimated_size as table_rows
from duckdb_tables() as t
inner join duckdb_columns() as c
    on c.database_name = t.database_name and c.schema_name = t.schema_name and c.table_name = t.table_name
where t.database_name = current_database()
  and t.schema_name = 'main'
  and not t.temporary
order by t.table_name, c.column_index
