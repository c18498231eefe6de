"""The plan as data: each year's work points read from a workbook, checked, and published.

``python -m analytics.plan check WORKBOOK [--data-dir DIR]``     check only
``python -m analytics.plan import WORKBOOK [--data-dir DIR]``    check, then publish a new version
``python -m analytics.plan template --year 2024 --out 工作要点模板.xlsx``   a blank workbook
``python -m analytics.plan rollback [--to VERSION]``             put the previous version back

One module per job: ``layout.py`` (the sheets and columns, versioned beside the contract),
``read.py`` (cells into typed records), ``build.py`` (what the values must satisfy together, the
allocation of totals, the tables), ``run.py`` (check and import, through analytics/publish.py),
``report.py`` (the wording of findings), ``template.py`` (writing workbooks), ``docs.py``
(docs/indicators.md from the tables), ``cli.py``. docs/plan.md says how to write a workbook.
"""

from analytics.plan.build import Built, Reference, build, largest_remainder
from analytics.plan.layout import LAYOUT_VERSION, SHEETS
from analytics.plan.run import check_workbook, import_workbook

__all__ = [
    "LAYOUT_VERSION",
    "SHEETS",
    "Built",
    "Reference",
    "build",
    "check_workbook",
    "import_workbook",
    "largest_remainder",
]
