"""A tiny data folder for the explorer: one indicator of each kind, figures small enough to add by hand.

Regions are tiny.py's: province 430000; prefecture A = 430100 with counties 430102 and 430103
(and the statistical zone 430171, hosted by 430103); prefecture B = 430200 with county 430202.

Indicators (plan item → area): cases (flow, item 1 → area 1), homes (stock, item 2 → area 1),
share = covered / families (ratio of two stocks, item 3 → area 2), held (milestone, item 4 → area 2).

Reports (month: value):

========  ==========================  ===========================  ===================
          430102 (A)                  430103 (A)                   430202 (B)
========  ==========================  ===========================  ===================
cases     Jan 1, Feb 2, Apr 4         Mar 3                        Jan 0, May 5
homes     Jan 1, Mar 2, Jul 5         Feb 3                        —
covered   Mar 1, Jun 3                Mar 0                        Mar 2
families  Mar 3                       Mar 1                        Mar 2
========  ==========================  ===========================  ===================

held: the province's own report, Mar 0 and May 1.

Worked out by hand (as of 2023-09-30):

* cases by quarter: A = 1+2+3 = 6 in Q1, 4 in Q2, nothing in Q3 (no data, not 0); B = 0 in Q1
  (reported 0), 5 in Q2, nothing in Q3. Whole period: A 10, B 5, total 15.
* homes (stock, last value up to the period's end, then summed): A = 2+3 = 5 at the end of Q1
  and of Q2 (nothing new in Q2: the March figures stay), 5+3 = 8 at the end of Q3; B has no
  report (no data). Whole period = at 30 September = 8, not 5+5+8 = 18. By month: January 1
  (430103 has not reported yet), February 1+3 = 4.
* share (ratio of sums): at the end of Q1, A = (1+0)/(3+1) = 1/4, B = 2/2 = 1, all regions
  3/6 = 0.5 — not the mean of 1/4 and 1 (0.625), not their sum (1.25). At the end of Q2 (430102
  now 3 of 3): A = 3/4, B = 1, all = 5/6. At county level in Q1: 430102 = 1/3, 430103 = 0/1;
  their mean 1/6 is not A's 1/4.
* held (milestone): 1 in Q2 at province level; prefectures never see it (the province's own report).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.unit import tiny
from tests.unit.tiny import _ind, _p, _write

D = dt.date

INDICATORS = [
    _ind("cases", "flow", "none", item=1),
    _ind("homes", "stock", "none", item=2),
    _ind("share", "ratio", "coverage", item=3, num="covered", den="families"),
    _ind("covered", "stock", "none", item=3, component=True),
    _ind("families", "stock", "none", item=3, component=True),
    _ind("held", "milestone", "total", item=4, phasing="step"),
]

PROGRESS = [
    _p("cases", "430102", 1, 1),
    _p("cases", "430102", 2, 2),
    _p("cases", "430102", 4, 4),
    _p("cases", "430103", 3, 3),
    _p("cases", "430202", 1, 0),
    _p("cases", "430202", 5, 5),
    _p("homes", "430102", 1, 1),
    _p("homes", "430102", 3, 2),
    _p("homes", "430102", 7, 5),
    _p("homes", "430103", 2, 3),
    _p("covered", "430102", 3, 1),
    _p("covered", "430102", 6, 3),
    _p("covered", "430103", 3, 0),
    _p("covered", "430202", 3, 2),
    _p("families", "430102", 3, 3),
    _p("families", "430103", 3, 1),
    _p("families", "430202", 3, 2),
    _p("held", "430000", 3, 0),
    _p("held", "430000", 5, 1),
]


def _item(no: int, area: int) -> dict[str, object]:
    return dict(
        plan_year=2023,
        item_no=no,
        area_no=area,
        area_title_zh=f"领域{area}",
        area_title_en=f"Area {area}",
        item_title_zh=f"条目{no}",
        item_title_en=f"Item {no}",
        text_zh=f"{no}.正文",
        due_date=D(2023, 12, 31),
        has_quantitative_target=False,
    )


PLAN_ITEMS = [_item(1, 1), _item(2, 1), _item(3, 2), _item(4, 2)]
TARGETS = [tiny._t("share", "430000", 1.0), tiny._t("held", "430000", 1, D(2023, 6, 30), "step")]


def build(data_dir: Path) -> Path:
    _write(data_dir, "regions", tiny.REGIONS)
    _write(data_dir, "indicators", INDICATORS)
    _write(data_dir, "targets", TARGETS)
    _write(data_dir, "progress", PROGRESS)
    _write(data_dir, "plan_items", PLAN_ITEMS)
    return data_dir
