-- grain: one row per training class of for_year held by for_as_of (it ended on or before that day)
-- training_held_classes(for_year, for_as_of): when a class counts as held, written once for the
-- training page's participants and the explorer's training measures. A class counts once it has
-- ended: before that its completions are not known.
create macro training_held_classes(for_year, for_as_of) as table
select class_id, kind, level, region_code, title_zh, end_date
from stg_trainings
where plan_year = for_year
  and status = 'held'
  and end_date <= for_as_of
