"""A tiny data folder for the data quality page, every figure worked out by hand in test_quality.py.

Regions are tiny.REGIONS: prefecture A = 430100 with counties 430102 and 430103 (and the
statistical zone 430171, which reports through 430103), prefecture B = 430200 with county
430202; villages v1, v2 (430102), vz (the zone, so 430103) and vb (430202).

Reports (progress rows per county and month; deadline = month end + 5 days):

| county | month | rows (reported_at) | state |
|---|---|---|---|
| 430102 | Jan | funds 100, cov_total 10, cov_num 12 (02-03); articles blank (02-08) | on time (first row 02-03 ≤ 02-05) |
| 430102 | Feb | funds, articles, cov_total, cov_num (03-10) | late (03-10 > 03-05) |
| 430103 | Jan | via the zone 430171: funds, articles (02-05) | on time (the deadline day itself) |
| 430103 | Feb | nothing | missing |
| 430202 | Jan | funds, articles, cov_total, cov_num (02-01) | on time |
| 430202 | Feb | the same (03-02) + a row of an indicator the plan lacks (ghost) | on time |

The province's own milestone row (430000) is not a county report. Rule breakers, one each:
cov_num 12 > cov_total 10 (430102 Jan); the ghost indicator; a childcare point "open" without
an opening date; participants of a class that is only planned; an instructor report dated
before its month ended (vz, Feb).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analytics.contract import TABLES
from tests.unit import tiny

D = dt.date
JAN, FEB = D(2023, 1, 31), D(2023, 2, 28)

INDICATORS = [
    tiny._ind("funds", "flow", "total"),
    tiny._ind("articles", "flow", "none"),
    tiny._ind("cov", "ratio", "coverage", num="cov_num", den="cov_total"),
    tiny._ind("cov_num", "stock", "none", component=True),
    tiny._ind("cov_total", "stock", "none", component=True),
    tiny._ind("h1_milestone", "milestone", "total", phasing="step"),
    tiny._ind(
        "cov_i", "ratio", "coverage", num="villages_with_2_instructors", den="villages_total", source="instructors"
    ),
    tiny._ind("villages_with_2_instructors", "stock", "none", source="instructors", component=True),
    tiny._ind("villages_total", "stock", "none", source="instructors", component=True),
]


def _p(iid: str, code: str, end: dt.date, value: float | None, reported: dt.date) -> dict[str, object]:
    return dict(plan_year=2023, indicator_id=iid, region_code=code, period_end=end, value=value, reported_at=reported)


PROGRESS = [
    _p("funds", "430102", JAN, 100, D(2023, 2, 3)),
    _p("articles", "430102", JAN, None, D(2023, 2, 8)),
    _p("cov_total", "430102", JAN, 10, D(2023, 2, 3)),
    _p("cov_num", "430102", JAN, 12, D(2023, 2, 3)),
    _p("funds", "430102", FEB, 120, D(2023, 3, 10)),
    _p("articles", "430102", FEB, 3, D(2023, 3, 10)),
    _p("cov_total", "430102", FEB, 10, D(2023, 3, 10)),
    _p("cov_num", "430102", FEB, 9, D(2023, 3, 10)),
    _p("funds", "430171", JAN, 50, D(2023, 2, 5)),
    _p("articles", "430171", JAN, 2, D(2023, 2, 5)),
    _p("funds", "430202", JAN, 300, D(2023, 2, 1)),
    _p("articles", "430202", JAN, 1, D(2023, 2, 1)),
    _p("cov_total", "430202", JAN, 20, D(2023, 2, 1)),
    _p("cov_num", "430202", JAN, 20, D(2023, 2, 1)),
    _p("funds", "430202", FEB, 300, D(2023, 3, 2)),
    _p("articles", "430202", FEB, 1, D(2023, 3, 2)),
    _p("cov_total", "430202", FEB, 20, D(2023, 3, 2)),
    _p("cov_num", "430202", FEB, 20, D(2023, 3, 2)),
    _p("ghost", "430202", FEB, 5, D(2023, 3, 2)),
    _p("h1_milestone", "430000", JAN, 0, D(2023, 2, 3)),
]

INSTRUCTORS = [
    dict(plan_year=2023, region_code="430102001001", period_end=JAN, instructors_in_post=2, reported_at=D(2023, 2, 2)),
    dict(plan_year=2023, region_code="430171001001", period_end=FEB, instructors_in_post=1, reported_at=D(2023, 2, 20)),
]

CHILDCARE = [
    dict(
        point_id="CC-1",
        plan_year=2023,
        region_code="430102",
        name_zh="一号托育点",
        operator_type="public",
        places=40,
        subsidy_yuan=50000.0,
        status="open",  # but no opened_on: childcare_status_dates
        planned_on=D(2023, 1, 10),
        construction_started_on=D(2023, 1, 20),
        opened_on=None,
        closed_on=None,
        subsidy_paid_on=None,
        reported_at=D(2023, 2, 3),
    ),
]

TRAININGS = [
    dict(
        class_id="TR-1",
        plan_year=2023,
        kind="other",
        title_zh="培训班",
        level="county",
        region_code="430202",
        planned_start=D(2023, 3, 1),
        start_date=None,
        end_date=None,
        status="planned",
        reported_at=D(2023, 2, 3),
    ),
]

PARTICIPANTS = [
    # a class not held yet cannot have participants: participants_of_held_class
    dict(class_id="TR-1", region_code="430202", enrolled=5, attended=4, completed=3, reported_at=D(2023, 3, 5)),
]


def build(data_dir: Path) -> Path:
    tiny._write(data_dir, "regions", tiny.REGIONS)
    tiny._write(data_dir, "plan_items", tiny.PLAN_ITEMS)
    tiny._write(data_dir, "indicators", INDICATORS)
    tiny._write(data_dir, "targets", [tiny._t("funds", "430000", 1200)])
    tiny._write(data_dir, "progress", PROGRESS)
    tiny._write(data_dir, "instructors", INSTRUCTORS)
    tiny._write(data_dir, "childcare_points", CHILDCARE)
    tiny._write(data_dir, "trainings", TRAININGS)
    tiny._write(data_dir, "training_participants", PARTICIPANTS)
    return data_dir


def _pop(code: str, value: float) -> dict[str, object]:
    return dict(
        region_code=code,
        year=2020,
        measure="population",
        value=value,
        unit="persons",
        basis="resident",
        quality="published",
        reference_date=D(2020, 11, 1),
        source="test",
        note=None,
    )


def add_population(data_dir: Path) -> Path:
    """Two population files for the same keys: the bundled compilation's name and the association's.

    The association's file wins (population_candidates.sql): 130 against the bundled 100 for the
    province (the bundled one differs by −23 %), 52 against 50 for prefecture A (−3.8 %).
    """
    folder = data_dir / TABLES["population"].folder
    folder.mkdir(parents=True, exist_ok=True)
    schema = TABLES["population"].schema
    for name, rows in (
        ("population.parquet", [_pop("430000", 100), _pop("430100", 50)]),
        ("fpa_2024.parquet", [_pop("430000", 130), _pop("430100", 52)]),
    ):
        cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
        pq.write_table(pa.table(cols, schema=schema), folder / name)
    return data_dir
