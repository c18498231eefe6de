"""Versioned, atomic publishing of a data folder.

A data root (``FPA_DATA_DIR``, default the bundled ``data/``) holds

* the bundled data itself (``exports/``, ``reference/``, ``plan/``, ``manifest.json``):
  the version called ``bundled``, never written by this module;
* ``versions/<id>/``: one complete, immutable data folder per published version. Files a
  version did not change are hard links to its parent's (no copy, same bytes);
* ``CURRENT``: the id of the version in force (absent: ``bundled``);
* ``versions/history.jsonl``: one line per publish and rollback, append-only.

Why readers never see a mix: a reader resolves ``CURRENT`` once and then reads only
inside that version's folder, and a folder is complete before its id can appear in
``CURRENT``. The switch is ``os.replace`` of a small file, atomic on POSIX. A publish
killed at any point leaves ``CURRENT`` as it was; its half-written folder is under
``versions/.staging-*`` and is swept away by the next publish.

Why no import is lost: a publish builds its tables from the version in force *while holding
the lock* (``publish(root, build)`` calls ``build(parent_id, parent_dir)`` under it), so two
imports started together are merged one after the other, the second on top of the first.

Every publish and rollback is written to the audit log (analytics/audit.py) under the lock
*before* it takes effect: the intent (files, their sha256, the parent version, the user), then
the outcome. A publish whose intent cannot be recorded does not happen.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analytics import audit, settings
from analytics.contract import MANIFEST_FILE, TABLES

log = logging.getLogger(__name__)

BUNDLED = "bundled"
VERSIONS = "versions"
CURRENT_FILE = "CURRENT"
HISTORY_FILE = "history.jsonl"
VERSION_FILE = "version.json"  # inside a version folder: who published it, when, from what
# The groups of tables a version folder carries (the whole data folder, so a version is
# self-sufficient and rollback is a pointer move).
GROUPS = ("reference", "plan", "exports")
# Test seam (FPA_PUBLISH_PAUSE, analytics/settings.py): seconds to pause after writing a version's
# files and before switching to it, so a test can kill the process in the middle of a publish.


class PublishError(RuntimeError):
    """A publish or rollback that cannot be done; nothing was changed."""


@dataclass(frozen=True)
class VersionInfo:
    """What ``versions/<id>/version.json`` says (for ``bundled``: a description of the base)."""

    id: str
    parent: str | None
    published_at: str  # ISO 8601, UTC
    user: str | None
    files: tuple[Mapping[str, object], ...] = ()  # [{name, table, rows, sha256}]
    tables: Mapping[str, int] = field(default_factory=dict)  # table → rows after publish
    replaced: Mapping[str, int] = field(default_factory=dict)  # table → published rows replaced
    note: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "parent": self.parent,
            "published_at": self.published_at,
            "user": self.user,
            "files": list(self.files),
            "tables": dict(self.tables),
            "replaced": dict(self.replaced),
            "note": self.note,
        }

    @staticmethod
    def from_json(raw: Mapping[str, object]) -> VersionInfo:
        files = raw.get("files") or []
        tables = raw.get("tables") or {}
        replaced = raw.get("replaced") or {}
        return VersionInfo(
            id=str(raw["id"]),
            parent=None if raw.get("parent") is None else str(raw.get("parent")),
            published_at=str(raw.get("published_at", "")),
            user=None if raw.get("user") is None else str(raw.get("user")),
            files=tuple(files),  # type: ignore[arg-type]
            tables=dict(tables),  # type: ignore[call-overload]
            replaced=dict(replaced),  # type: ignore[call-overload]
            note=str(raw.get("note", "")),
        )


@dataclass(frozen=True)
class Change:
    """What a publish writes, as built from the version in force (see :func:`publish`).

    ``tables`` (name → whole new content) replace the parent's; ``appended`` (name → rows) add one
    more file to a table instead: the population table keeps every source file, and its
    figure-in-force rule picks between them. Every other table is carried over unchanged.
    """

    tables: Mapping[str, pa.Table] = field(default_factory=dict)
    appended: Mapping[str, pa.Table] = field(default_factory=dict)
    files: Sequence[Mapping[str, object]] = ()  # [{name, table, rows, sha256}]
    replaced: Mapping[str, int] = field(default_factory=dict)
    note: str = ""


# build(parent_id, parent_dir) → the change, or None to publish nothing (its checks failed)
Builder = Callable[[str, Path], Change | None]


def _versions_dir(root: Path) -> Path:
    return root / VERSIONS


def current_id(root: Path) -> str:
    """The id of the version in force: what ``CURRENT`` says, or ``bundled``."""
    path = root / CURRENT_FILE
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return BUNDLED
    return text or BUNDLED


def version_dir(root: Path, version: str) -> Path:
    """The folder holding ``version``'s tables."""
    return root if version == BUNDLED else _versions_dir(root) / version


def current_dir(root: Path) -> Path:
    """The folder of the version in force. Read it once per connection, then stay inside it."""
    version = current_id(root)
    folder = version_dir(root, version)
    if not folder.is_dir():
        # a CURRENT naming a folder that is gone is a broken installation, not a reason to
        # show other data silently
        raise PublishError(f"{root / CURRENT_FILE} names version {version!r}, but {folder} does not exist")
    return folder


def read_info(root: Path, version: str) -> VersionInfo:
    if version == BUNDLED:
        return VersionInfo(id=BUNDLED, parent=None, published_at="", user=None, note="bundled data")
    raw = json.loads((version_dir(root, version) / VERSION_FILE).read_text(encoding="utf-8"))
    return VersionInfo.from_json(raw)


def list_versions(root: Path) -> list[VersionInfo]:
    """Every published version, oldest first, then ``bundled`` at the start."""
    out = [read_info(root, BUNDLED)]
    folder = _versions_dir(root)
    if folder.is_dir():
        for d in sorted(folder.iterdir()):
            if d.is_dir() and not d.name.startswith(".") and (d / VERSION_FILE).exists():
                out.append(read_info(root, d.name))
    return out


def history(root: Path) -> list[dict[str, object]]:
    """The publish and rollback events, oldest first."""
    path = _versions_dir(root) / HISTORY_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@contextlib.contextmanager
def _lock(root: Path) -> Iterator[None]:
    """One publish or rollback at a time per data root, across processes."""
    folder = _versions_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _append_history(root: Path, event: Mapping[str, object]) -> None:
    path = _versions_dir(root) / HISTORY_FILE
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(event, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _link_tree(src: Path, dst: Path, skip: set[str]) -> None:
    """Hard-link every file of ``src``'s table folders into ``dst`` except the tables in ``skip``."""
    for group in GROUPS:
        for folder in sorted((src / group).glob("*")) if (src / group).is_dir() else []:
            if not folder.is_dir() or f"{group}/{folder.name}" in skip:
                continue
            for f in sorted(folder.rglob("*")):
                if not f.is_file():
                    continue
                target = dst / f.relative_to(src)
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(f, target)
                except OSError:
                    # another file system (or no hard links): a copy has the same bytes
                    shutil.copy2(f, target)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _new_id(root: Path) -> str:
    n = len(list_versions(root))  # bundled counts as 0: first published version is v0001
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"v{n:04d}-{stamp}"


def _sweep_staging(root: Path) -> None:
    """Remove what killed publishes left behind (called under the lock)."""
    for d in _versions_dir(root).glob(".staging-*"):
        shutil.rmtree(d, ignore_errors=True)


def _record(root: Path, event: str, user: str | None, detail: Mapping[str, object]) -> None:
    """An outcome for the audit log: the change has happened, so a log that cannot be written is
    logged here rather than undoing it (the version's own version.json and history.jsonl keep it)."""
    try:
        audit.record(root, event, user, detail)
    except (OSError, ValueError) as error:
        log.error("audit log not written: %s by %s: %s", event, user, error)


def publish(
    root: Path,
    build: Builder | Change,
    *,
    user: str | None = None,
    detail: Mapping[str, object] | None = None,
) -> VersionInfo | None:
    """Publish a new version built from the version in force; None when ``build`` declines.

    ``build(parent_id, parent_dir)`` runs under the publish lock, so the parent it merges with
    is still in force when the new version replaces it: two imports at once are applied one
    after the other, never one over the other's stale copy. A plain :class:`Change` is used as is.
    ``detail`` goes into the audit log's records of this publish (the scope, where it came from).
    """
    extra = dict(detail or {})
    with _lock(root):
        _sweep_staging(root)
        parent = current_id(root)
        parent_dir = current_dir(root)
        change = build(parent, parent_dir) if callable(build) else build
        if change is None:
            return None
        for name in [*change.tables, *change.appended]:
            if name not in TABLES:
                raise PublishError(f"unknown table {name!r}")
        version = _new_id(root)
        intent = {
            **extra,
            "version": version,
            "parent": parent,
            "files": [dict(f) for f in change.files],
            "tables": sorted([*change.tables, *change.appended]),
            "replaced": dict(change.replaced),
        }
        try:
            # before anything is written: a publish the log cannot record does not happen
            audit.record(root, audit.IMPORT, user, intent)
        except OSError as error:
            raise PublishError(
                f"the audit log cannot be written ({error.strerror or error}); nothing was published"
            ) from error
        try:
            info = _write_version(root, change, parent, parent_dir, version, user)
        except BaseException as error:
            _record(
                root, audit.IMPORT_FAILED, user, {**extra, "version": version, "parent": parent, "error": repr(error)}
            )
            raise
        _record(root, audit.IMPORT_PUBLISHED, user, {**extra, "version": version, "parent": parent})
        return info


def _write_version(
    root: Path, change: Change, parent: str, parent_dir: Path, version: str, user: str | None
) -> VersionInfo:
    """Write ``version`` (under the lock), then put it in force."""
    staging = _versions_dir(root) / f".staging-{version}"
    staging.mkdir(parents=True)
    replaced_folders = {TABLES[name].folder for name in change.tables}
    _link_tree(parent_dir, staging, replaced_folders)
    manifest = parent_dir / MANIFEST_FILE
    if manifest.exists():
        shutil.copy2(manifest, staging / MANIFEST_FILE)
    for name, table in change.tables.items():
        folder = staging / TABLES[name].folder
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "part-0.parquet")
    for name, table in change.appended.items():
        folder = staging / TABLES[name].folder
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / f"import-{version}.parquet")
    counts = {}
    for name, t in TABLES.items():
        folder = staging / t.folder
        counts[name] = sum(pq.ParquetFile(f).metadata.num_rows for f in sorted(folder.rglob("*.parquet")))
    info = VersionInfo(
        id=version,
        parent=parent,
        published_at=_now(),
        user=user,
        files=tuple(change.files),
        tables=counts,
        replaced=dict(change.replaced),
        note=change.note,
    )
    (staging / VERSION_FILE).write_text(json.dumps(info.to_json(), ensure_ascii=False, indent=2), "utf-8")
    # the marts, built once here for every server that opens this version (analytics/db.py): a
    # version whose marts cannot be built is not put in force
    from analytics import db  # db reads this module's names: imported when first needed

    db.build_file(staging)
    for f in staging.rglob("*"):
        if f.is_file() and f.stat().st_nlink == 1:  # linked files are already on disk
            with open(f, "rb") as handle:
                os.fsync(handle.fileno())
    pause = settings.publish_pause()
    if pause:
        time.sleep(pause)
    final = _versions_dir(root) / version
    os.replace(staging, final)
    _fsync_dir(final.parent)
    _write_atomic(root / CURRENT_FILE, version + "\n")
    _append_history(
        root, {"at": info.published_at, "event": "publish", "version": version, "from": parent, "user": user}
    )
    return info


def rollback(
    root: Path, to: str | None = None, *, user: str | None = None, detail: Mapping[str, object] | None = None
) -> str:
    """Put ``to`` (default: the parent of the version in force) back in force; return its id.

    Nothing is deleted: the version rolled back from stays on disk and can be put back. The
    audit log gets the rollback before ``CURRENT`` moves, then its outcome; a refused one too.
    """
    extra = dict(detail or {})
    with _lock(root):
        current = current_id(root)
        try:
            if to is None:
                if current == BUNDLED:
                    raise PublishError("the bundled data is in force: there is no earlier version")
                to = read_info(root, current).parent or BUNDLED
            known = {v.id for v in list_versions(root)}
            if to not in known:
                raise PublishError(f"no version {to!r}; known: {', '.join(sorted(known))}")
        except PublishError as error:
            _record(root, audit.ROLLBACK_FAILED, user, {**extra, "from": current, "to": to, "error": str(error)})
            raise
        try:
            audit.record(root, audit.ROLLBACK, user, {**extra, "from": current, "to": to})
        except OSError as error:
            raise PublishError(
                f"the audit log cannot be written ({error.strerror or error}); nothing was changed"
            ) from error
        try:
            _write_atomic(root / CURRENT_FILE, to + "\n")
            _append_history(root, {"at": _now(), "event": "rollback", "version": to, "from": current, "user": user})
        except BaseException as error:
            _record(root, audit.ROLLBACK_FAILED, user, {**extra, "from": current, "to": to, "error": repr(error)})
            raise
        _record(root, audit.ROLLBACK_DONE, user, {**extra, "from": current, "to": to})
        return to
