"""The import page's versions tab (数据导入 · 数据版本) as data: the published versions, the
publish and rollback history, and the version in force.

``view(con, filters, data_root=…)`` reads the data root's folders (analytics/publish.py), not
DuckDB: ``con`` is taken for the common signature only. ``data_root`` defaults to the data root
of the environment (``FPA_DATA_DIR``, read when called). Never cached: the history grows with a
rollback back to a version seen before, which brings no new data version, so pages/imports.py
calls this directly on every run. Checking and publishing uploaded files, and a rollback, are
actions of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics import db, publish
from views.filters import Filters
from views.i18n import text


@dataclass(frozen=True)
class ImportsModel:
    filters: Filters
    data_root: Path
    current: publish.VersionInfo  # the version in force
    versions: pd.DataFrame  # newest first: version, in force (✓), published at, by, files, rows replaced
    rollback_to: tuple[str, ...]  # the versions one may roll back to, newest first (all but the one in force)
    history: pd.DataFrame  # the publish and rollback events, oldest first (empty: none yet)


def view(con: duckdb.DuckDBPyConnection, f: Filters, *, data_root: Path | None = None) -> ImportsModel:
    """The versions of ``data_root`` (default: the environment's data root) as the page shows them."""
    root = db.data_dir_from_env() if data_root is None else data_root
    lang = f.lang
    current = publish.current_id(root)
    versions = publish.list_versions(root)
    newest_first = list(reversed(versions))
    rows = [
        {
            text("imports.col.version", lang): v.id,
            text("imports.col.in_force", lang): "✓" if v.id == current else "",
            text("imports.col.published_at", lang): v.published_at.replace("T", " ").replace("+00:00", " UTC") or "—",
            text("imports.col.user", lang): v.user or "—",
            text("imports.col.files", lang): "、".join(str(file.get("name")) for file in v.files)
            or (text("imports.bundled", lang) if v.id == publish.BUNDLED else ""),
            text("imports.col.replaced", lang): sum(int(n) for n in v.replaced.values()),
        }
        for v in newest_first
    ]
    in_force = next((v for v in versions if v.id == current), None)
    return ImportsModel(
        filters=f,
        data_root=root,
        current=publish.read_info(root, current) if in_force is None else in_force,
        versions=pd.DataFrame(rows),
        rollback_to=tuple(v.id for v in newest_first if v.id != current),
        history=pd.DataFrame(publish.history(root)),
    )
