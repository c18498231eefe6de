"""Checking a plan workbook, and importing it as a new data version.

An import has the guarantees an export's has (analytics/ingest/run.py): every check runs first,
the report names sheet, row and column, nothing is published unless every check passes, and the
publish is analytics/publish.py's (a new version, atomic, audited, undone by rollback). The
checks run again under the publish lock against the version then in force, so the regions and
population a plan is split by are the ones it is published with.

What a plan import replaces: the rows of its plan year in ``plans``, ``plan_items``,
``indicators``, ``targets`` and ``target_schedules``; other years' rows stay (an indicator the
new plan dropped stays in the earlier years' plans). Indicator rows of an older version that have
no plan year (they stood for every year) are written out for each other year the version has, so
after an import every indicator row names its year.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from analytics import audit, publish
from analytics.contract import TABLES
from analytics.ingest.check import read_table, with_years
from analytics.ingest.report import FileResult, Finding, Report
from analytics.ingest.run import os_user
from analytics.plan.build import PLAN_TABLES, Built, Reference, build
from analytics.plan.read import read_book
from analytics.plan.report import Collector

TABLE_LABEL = "plan"  # what the report says the workbook is: the plan tables together


def check_bytes(raw: bytes, label: str, folder: Path) -> tuple[FileResult, Built | None]:
    """Read and check a workbook's bytes against the data folder ``folder`` (a version's)."""
    found = Collector(label)
    book = read_book(raw, label, found)
    built = build(book, Reference.read(folder), found) if book is not None else None
    result = FileResult(
        Path(label),
        label=label,
        sha256=hashlib.sha256(raw).hexdigest(),
        table=TABLE_LABEL,
        rows=sum(t.num_rows for t in built.tables.values()) if built else 0,
        findings=found.findings(),
    )
    return result, built


def check_workbook(path: Path, data_dir: Path) -> tuple[Report, Built | None]:
    """Check only (``python -m analytics.plan check``): the report, and the tables it would publish."""
    result, built = check_bytes(path.read_bytes(), path.name, publish.current_dir(data_dir))
    return Report([result], [], dry_run=True), built


def merge(folder: Path, built: Built) -> tuple[dict[str, pa.Table], dict[str, int]]:
    """The plan tables of the version in ``folder`` with ``built``'s plan year replaced."""
    tables: dict[str, pa.Table] = {}
    replaced: dict[str, int] = {}
    old_years = set(read_table(folder, TABLES["plan_items"]).column("plan_year").to_pylist())
    other_years = sorted(old_years - {built.year})
    for name in PLAN_TABLES:
        contract = TABLES[name]
        old = read_table(folder, contract)
        new = built.tables[name]
        if name == "indicators":
            old = with_years(old, other_years)
        keep = pc.not_equal(old.column("plan_year"), pa.scalar(built.year, type=pa.int16()))
        kept = old.filter(keep)
        replaced[name] = old.num_rows - kept.num_rows
        both = pa.concat_tables([kept, new])
        tables[name] = both.sort_by([(k, "ascending") for k in contract.key])
    return tables, replaced


def import_workbook(path: Path, data_dir: Path, *, user: str | None = None, via: str = "cli") -> Report:
    """Check ``path`` and, when nothing is wrong, publish its plan as a new version."""
    user = user or os_user()
    raw = path.read_bytes()
    label = path.name
    detail: dict[str, object] = {"via": via, "kind": "plan"}
    # checked first outside the lock, so a refused workbook never waits for another publish
    result, built = check_bytes(raw, label, publish.current_dir(data_dir))
    report = Report([result], [])
    if built is None:
        _refused(data_dir, report, user, detail)
        return report

    def change(parent: str, folder: Path) -> publish.Change | None:
        # under the lock: checked again against the version it will replace
        again, rebuilt = check_bytes(raw, label, folder)
        report.files[0] = again
        if rebuilt is None:
            return None
        tables, replaced = merge(folder, rebuilt)
        report.replaced = replaced
        record = {"name": label, "table": TABLE_LABEL, "rows": again.rows, "sha256": again.sha256}
        if via == "cli":
            record["path"] = str(path.resolve())
        return publish.Change(tables=tables, files=[record], replaced=replaced, note=f"plan {rebuilt.year}")

    try:
        report.published = publish.publish(data_dir, change, user=user, detail=detail)
    except publish.PublishError as error:
        report.findings.append(Finding("", "audit_failed", detail={"error": str(error)}))
        return report
    if report.published is None:
        _refused(data_dir, report, user, detail)
    return report


def _refused(root: Path, report: Report, user: str, detail: dict[str, object]) -> None:
    """A refused plan import in the audit log, like a refused export's."""
    r = report.files[0]
    try:
        audit.record(
            root,
            audit.IMPORT_REFUSED,
            user,
            {
                **detail,
                "parent": publish.current_id(root),
                "files": [{"name": r.label, "table": r.table, "rows": r.rows, "sha256": r.sha256}],
                "problems": sorted({f.code for f in report.errors}),
            },
        )
    except OSError as error:
        report.findings.append(
            Finding("", "audit_failed", detail={"error": f"audit log not written: {error.strerror or error}"})
        )
