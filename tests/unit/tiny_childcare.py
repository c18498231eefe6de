"""A tiny childcare data folder: tests/unit/tiny.py's regions plus four points, worked by hand.

Regions (from tiny.py): province 430000; prefecture A = 430100 with counties 430102 and
430103 and the statistical zone 430171 (reports via its host 430103); prefecture B =
430200 with county 430202. **B has no point**: the register rule says it reported none.

Points (all plan year 2023):

| point | county | planned | started | opened | closed | places | subsidy | paid |
|---|---|---|---|---|---|---:|---:|---|
| p1 | 430102 | 01-10 | 02-15 | 04-20 | — | 50 | 50,000 | 05-10 |
| p2 | 430103 | 01-05 | 02-01 | 03-15 | 06-10 | 30 | 40,000 | 03-20 |
| p3 | 430171 (zone → 430103) | 02-01 | 05-01 | 07-05 | — | 20 | 30,000 | 08-01 |
| p4 | 430102 | 03-01 | — | — | — | 40 | 50,000 | — |

Targets: points open 4 (province), 3 (A), 1 (B); funds 200,000 / 150,000 / 50,000, all due
31 December; item 7's two milestones 1 each at the province, due 30 June. Progress: the
demonstration institutions are reported done in May, the caring employers in July.
Census population: province 3,000,000; A 2,000,000; B 1,000,000.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from tests.unit import tiny

D = dt.date
H1 = D(2023, 6, 30)
YEAR_END = D(2023, 12, 31)


def _point(
    pid: str,
    county: str,
    planned: dt.date,
    started: dt.date | None,
    opened: dt.date | None,
    closed: dt.date | None,
    places: int,
    subsidy: float,
    paid: dt.date | None,
    status: str,
) -> dict[str, object]:
    return dict(
        point_id=pid,
        plan_year=2023,
        region_code=county,
        name_zh=f"{pid}托育点",
        operator_type="public",
        places=places,
        subsidy_yuan=subsidy,
        status=status,
        planned_on=planned,
        construction_started_on=started,
        opened_on=opened,
        closed_on=closed,
        subsidy_paid_on=paid,
        reported_at=YEAR_END,
    )


POINTS = [
    _point("p1", "430102", D(2023, 1, 10), D(2023, 2, 15), D(2023, 4, 20), None, 50, 50000, D(2023, 5, 10), "open"),
    _point(
        "p2",
        "430103",
        D(2023, 1, 5),
        D(2023, 2, 1),
        D(2023, 3, 15),
        D(2023, 6, 10),
        30,
        40000,
        D(2023, 3, 20),
        "closed",
    ),
    _point("p3", "430171", D(2023, 2, 1), D(2023, 5, 1), D(2023, 7, 5), None, 20, 30000, D(2023, 8, 1), "open"),
    _point("p4", "430102", D(2023, 3, 1), None, None, None, 40, 50000, None, "planned"),
]

INDICATORS = [
    tiny._ind("childcare_points_open", "stock", "total", item=6, source="childcare_points"),
    tiny._ind("childcare_funds_yuan", "flow", "total", item=6, source="childcare_points", unit_zh="元"),
    tiny._ind("childcare_places", "stock", "none", item=6, source="childcare_points"),
    tiny._ind("childcare_demo_institutions", "milestone", "total", item=7, phasing="step"),
    tiny._ind("caring_employers", "milestone", "total", item=7, phasing="step"),
]

TARGETS = [
    tiny._t("childcare_points_open", "430000", 4),
    tiny._t("childcare_points_open", "430100", 3),
    tiny._t("childcare_points_open", "430200", 1),
    tiny._t("childcare_funds_yuan", "430000", 200000),
    tiny._t("childcare_funds_yuan", "430100", 150000),
    tiny._t("childcare_funds_yuan", "430200", 50000),
    tiny._t("childcare_demo_institutions", "430000", 1, H1, "step"),
    tiny._t("caring_employers", "430000", 1, H1, "step"),
]

PROGRESS = [
    *(tiny._p("childcare_demo_institutions", "430000", m, 1 if m == 5 else 0) for m in range(1, 13)),
    *(tiny._p("caring_employers", "430000", m, 1 if m == 7 else 0) for m in range(1, 13)),
]


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
        source=f"census bulletin {code}",
        note=None,
    )


POPULATION = [_pop("430000", 3_000_000), _pop("430100", 2_000_000), _pop("430200", 1_000_000)]


def build(data_dir: Path, *, with_points: bool = True) -> Path:
    """The tiny folder with the childcare tables; ``with_points=False`` leaves the register absent."""
    tiny.build(data_dir)
    tiny._write(data_dir, "indicators", [*tiny.INDICATORS, *INDICATORS])
    tiny._write(data_dir, "targets", [*tiny.TARGETS, *TARGETS])
    tiny._write(data_dir, "progress", [*tiny.PROGRESS, *PROGRESS])
    tiny._write(data_dir, "population", POPULATION)
    folder = data_dir / tiny.TABLES["childcare_points"].folder
    if with_points:
        tiny._write(data_dir, "childcare_points", POINTS)
    elif folder.exists():
        shutil.rmtree(folder)
    return data_dir
