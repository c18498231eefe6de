-- grain: one row: the level of region $region (none when the code is unknown)
select level from dim_region where region_code = $region
