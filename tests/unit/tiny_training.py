"""A tiny data folder for the workforce and training page, small enough to work out by hand.

Regions are those of tests/unit/tiny.py plus one village that never reports:
province 430000; prefecture A = 430100 (counties 430102 and 430103; the statistical zone
430171 reports through its host 430103) and B = 430200 (county 430202).

Village-level units (5) and their instructor reports (instructors_in_post by month end):

    v1 430102001001 (430102)            Jan 2, Mar 1
    v2 430102001002 (430102)            Feb 3
    v3 430102001003 (430102)            never reports
    vz 430171001001 (zone, via 430103)  Jan 2, Apr 1
    vb 430202001001 (430202)            Feb 0

Classes (trainings) and participants (enrolled / attended / completed by county):

    P1 province instructor_trainer  held 04-20…04-21   430102 10/9/6, 430202 5/5/5
    P2 province youth_trainer       held 09-05…09-06   430103 6/6/3
    P3 province capacity_building   planned 11-01, never held
    A1 prefecture A instructor_trainer held 05-10…05-12 430102 8/6/3 (5 dropped), 430103 2/2/2
    B1 prefecture B other           cancelled
    C1 county 430202 other          held 08-01…08-02   430202 4/4/4

New youth health demonstration bases (progress): 430102 reports 1 in March (A has one);
430202 reports 0 in March (B has none: a prefecture without a base).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.unit import tiny

D = dt.date

REGIONS = [
    *tiny.REGIONS,
    tiny._region("430102001003", "430102001", "village", "village", "三村", "430100", "430102"),
]

INDICATORS = [
    tiny._ind(
        "instructor_coverage",
        "ratio",
        "coverage",
        item=9,
        num="villages_with_2_instructors",
        den="villages_total",
        source="instructors",
    ),
    tiny._ind("villages_with_2_instructors", "stock", "none", item=9, source="instructors", component=True),
    tiny._ind("villages_total", "stock", "none", item=9, source="instructors", component=True),
    tiny._ind("instructor_trainer_class_held", "milestone", "total", item=9, phasing="step", source="trainings"),
    tiny._ind("youth_trainer_class_held", "milestone", "total", item=14, phasing="step", source="trainings"),
    tiny._ind("capacity_class_held", "milestone", "total", item=28, phasing="step", source="trainings"),
    tiny._ind("youth_demo_bases_new", "flow", "every_region_at_least", item=14, level="prefecture"),
]

TARGETS = [
    tiny._t("instructor_coverage", "430000", 1.0),
    tiny._t("instructor_coverage", "430100", 1.0),
    tiny._t("instructor_coverage", "430200", 1.0),
    tiny._t("instructor_trainer_class_held", "430000", 1),
    tiny._t("youth_trainer_class_held", "430000", 1),
    tiny._t("capacity_class_held", "430000", 1),
    tiny._t("youth_demo_bases_new", "430000", 2),
    tiny._t("youth_demo_bases_new", "430100", 1),
    tiny._t("youth_demo_bases_new", "430200", 1),
]

PROGRESS = [
    tiny._p("youth_demo_bases_new", "430102", 3, 1),
    tiny._p("youth_demo_bases_new", "430202", 3, 0),
]

INSTRUCTORS = [
    tiny._i("430102001001", 1, 2),
    tiny._i("430102001001", 3, 1),
    tiny._i("430102001002", 2, 3),
    tiny._i("430171001001", 1, 2),
    tiny._i("430171001001", 4, 1),
    tiny._i("430202001001", 2, 0),
]


def _class(
    class_id: str,
    kind: str,
    level: str,
    region: str,
    planned: dt.date,
    start: dt.date | None,
    end: dt.date | None,
    status: str,
) -> dict[str, object]:
    return dict(
        class_id=class_id,
        plan_year=2023,
        kind=kind,
        title_zh=class_id,
        level=level,
        region_code=region,
        planned_start=planned,
        start_date=start,
        end_date=end,
        status=status,
        reported_at=(end or planned) + dt.timedelta(days=3),
    )


TRAININGS = [
    _class("P1", "instructor_trainer", "province", "430000", D(2023, 4, 10), D(2023, 4, 20), D(2023, 4, 21), "held"),
    _class("P2", "youth_trainer", "province", "430000", D(2023, 9, 1), D(2023, 9, 5), D(2023, 9, 6), "held"),
    _class("P3", "capacity_building", "province", "430000", D(2023, 11, 1), None, None, "planned"),
    _class("A1", "instructor_trainer", "prefecture", "430100", D(2023, 5, 10), D(2023, 5, 10), D(2023, 5, 12), "held"),
    _class("B1", "other", "prefecture", "430200", D(2023, 6, 1), None, None, "cancelled"),
    _class("C1", "other", "county", "430202", D(2023, 7, 20), D(2023, 8, 1), D(2023, 8, 2), "held"),
]


def _part(class_id: str, county: str, enrolled: int, attended: int, completed: int) -> dict[str, object]:
    return dict(
        class_id=class_id,
        region_code=county,
        enrolled=enrolled,
        attended=attended,
        completed=completed,
        reported_at=D(2023, 12, 31),
    )


PARTICIPANTS = [
    _part("P1", "430102", 10, 9, 6),
    _part("P1", "430202", 5, 5, 5),
    _part("P2", "430103", 6, 6, 3),
    _part("A1", "430102", 8, 6, 3),
    _part("A1", "430103", 2, 2, 2),
    _part("C1", "430202", 4, 4, 4),
]


def build(data_dir: Path) -> Path:
    tiny._write(data_dir, "regions", REGIONS)
    tiny._write(data_dir, "indicators", INDICATORS)
    tiny._write(data_dir, "targets", TARGETS)
    tiny._write(data_dir, "progress", PROGRESS)
    tiny._write(data_dir, "instructors", INSTRUCTORS)
    tiny._write(data_dir, "plan_items", tiny.PLAN_ITEMS)
    tiny._write(data_dir, "trainings", TRAININGS)
    tiny._write(data_dir, "training_participants", PARTICIPANTS)
    return data_dir
