"""One import from files to a published version: the files told apart and labelled, each
checked (check.py), then merged and published under the lock (merge.py, analytics/publish.py),
with every import that is not a dry run in the audit log, refused or published.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from analytics import audit, publish
from analytics.contract import TABLES
from analytics.ingest.check import check_file, cross_duplicates, reference
from analytics.ingest.merge import merge_with
from analytics.ingest.report import FileResult, Finding, Report
from analytics.reporting import cycle
from analytics.reporting.states import ReportingError


def os_user() -> str:
    """The operating-system account running this process: who an import from the command line is by."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (a bare container)
        return f"uid:{os.getuid()}"


def _labels(paths: Sequence[Path]) -> list[str]:
    """A name per file, unique within the import: the base name, or as many of the path's last
    parts as it takes to tell two files of the same name apart (``x/progress.csv``)."""
    parts = [Path(os.path.realpath(p)).parts for p in paths]
    out = []
    for mine in parts:
        k = 1
        while k < len(mine) and sum(1 for other in parts if other[-k:] == mine[-k:]) > 1:
            k += 1
        out.append("/".join(mine[-k:]))
    return out


def _identify(paths: Sequence[Path], labels: Sequence[str] | None) -> tuple[list[Path], list[str], list[Finding]]:
    """The files of one import, each once (a file is its path, not its name), with their labels."""
    kept: list[Path] = []
    given: list[str] = []
    times: dict[str, int] = {}
    for i, p in enumerate(paths):
        key = os.path.realpath(p)
        times[key] = times.get(key, 0) + 1
        if times[key] == 1:
            kept.append(Path(p))
            given.append(labels[i] if labels is not None else "")
    names = given if labels is not None else _labels(kept)
    # labels from a caller (the page's uploads) must still tell the files apart
    seen: dict[str, int] = {}
    unique = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        unique.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    notes = [
        Finding(unique[kept.index(Path(p))], "note_same_path", detail={"n": str(n)}, error=False)
        for p, n in ((next(q for q in kept if os.path.realpath(q) == k), n) for k, n in times.items())
        if n > 1
    ]
    return kept, unique, notes


def ingest(
    paths: Sequence[Path],
    *,
    data_dir: Path,
    table: str | None = None,
    scope: str | None = None,
    user: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    allow_nulls: bool = False,
    labels: Sequence[str] | None = None,
    via: str = "api",
) -> Report:
    """Check ``paths`` and, when nothing is wrong and not ``dry_run``, publish them as a new version.

    ``data_dir`` is the data root. ``scope`` (a prefecture code) refuses rows of other regions,
    incoming or replaced. ``user`` is who imports (default: the operating-system account);
    ``allow_nulls`` lets the import empty published values; ``labels`` name the files in the
    report (default: their names, or enough of their paths to tell two apart); ``via`` says in the
    audit log where the import came from (cli, page). Every import that is not a dry run is in
    the audit log: refused, or announced before it is published and then its outcome.
    """
    user = user or os_user()
    files, names, notes = _identify(paths, labels)
    current = publish.current_dir(data_dir)
    # regions change only through their build script; indicators and plan years also change by a
    # plan import (python -m analytics.plan import), which is not re-read under the lock here: an
    # export checked while a plan is published is checked against the plan it was started with
    ref = reference(current)
    # imported here: the template module reads through this package (read.py, check.py)
    from analytics.reporting.template import template_tables

    results = []
    for p, n in zip(files, names, strict=True):
        parts = template_tables(p)
        if not parts:
            results.append(check_file(p, ref, table=table, scope=scope, today=today, label=n))
            continue
        # a county's template carries two tables: one result per table, the same file and name
        mine = [check_file(p, ref, table=t, scope=scope, today=today, label=n, part=t) for t in parts]
        kept = [r for r in mine if r.table or r.findings]
        results.extend(kept or mine[:1])
        if not kept:
            mine[0].findings.append(Finding(n, "no_rows"))
    report = Report(results, list(notes), dry_run=dry_run)
    by_table: dict[str, list[FileResult]] = {}
    for r in results:
        if r.table and r.data is not None:
            by_table.setdefault(r.table, []).append(r)
    for name, group in by_table.items():
        if len(group) > 1:
            cross_duplicates(group, TABLES[name], report.findings)
    # an accepted county month is locked (analytics/reporting): refused until the province withdraws
    # its acceptance; checked again under the publish lock, in case it was accepted meanwhile
    report.findings.extend(cycle.lock_findings(data_dir, by_table, ref.regions))
    detail: dict[str, object] = {"via": via, "scope": scope, "allow_nulls": allow_nulls}
    if report.errors or not by_table:
        if not dry_run:
            _record_refused(data_dir, report, user, {**detail, "parent": publish.current_id(data_dir)})
        return report
    if dry_run:
        merged = merge_with(current, by_table, ref, scope, allow_nulls)
        report.findings.extend(merged.findings)
        report.replaced = merged.replaced
        return report
    parents: list[str] = []

    def build(parent: str, folder: Path) -> publish.Change | None:
        # under the publish lock: ``parent`` stays in force until this import's version replaces it
        parents.append(parent)
        locked = cycle.lock_findings(data_dir, by_table, ref.regions)
        if locked:
            report.findings.extend(locked)
            return None
        merged = merge_with(folder, by_table, ref, scope, allow_nulls)
        report.findings.extend(merged.findings)
        report.replaced = merged.replaced
        if any(f.error for f in merged.findings):
            return None
        return publish.Change(
            tables=merged.change.tables,
            appended=merged.change.appended,
            replaced=merged.replaced,
            files=[_file_record(r, via) for r in results],
        )

    try:
        report.published = publish.publish(data_dir, build, user=user, detail=detail)
    except publish.PublishError as error:
        report.findings.append(Finding("", "audit_failed", detail={"error": str(error)}))
        return report
    if report.published is None:
        _record_refused(data_dir, report, user, {**detail, "parent": parents[-1] if parents else None})
        return report
    try:
        # a county's template, imported, is that county's month submitted (by whoever imported it)
        for c in cycle.submit_imported(data_dir, results, ref.regions, user, scope):
            report.findings.append(
                Finding("", "note_submitted", detail={"county": c.county_code, "month": c.month}, error=False)
            )
    except (ReportingError, OSError) as error:
        report.findings.append(Finding("", "note_not_submitted", detail={"error": str(error)}, error=False))
    return report


def _file_record(r: FileResult, via: str) -> dict[str, object]:
    entry: dict[str, object] = {"name": r.label, "table": r.table, "rows": r.rows, "sha256": r.sha256}
    if via == "cli":
        entry["path"] = str(r.path.resolve())  # the page's uploads live in a temporary folder
    return entry


def _record_refused(root: Path, report: Report, user: str, detail: Mapping[str, object]) -> None:
    """A refused import in the audit log: who tried what, and why."""
    try:
        audit.record(
            root,
            audit.IMPORT_REFUSED,
            user,
            {
                **detail,
                "files": [_file_record(r, str(detail.get("via"))) for r in report.files],
                "problems": sorted({f.code for f in report.errors}),
            },
        )
    except OSError as error:
        report.findings.append(
            Finding("", "audit_failed", detail={"error": f"audit log not written: {error.strerror or error}"})
        )
