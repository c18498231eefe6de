-- grain: one row per region (province down to village), with the codes that place it in each level
select
    r.*,
    substr(r.region_code, 1, 2) || '0000' as province_code
from stg_regions as r
