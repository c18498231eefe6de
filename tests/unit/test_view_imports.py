"""views/imports.view over a data root written by hand: the versions newest first, the one in
force marked, the versions one may roll back to and the history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from analytics import db
from views import imports as imports_view
from views.filters import Filters
from views.i18n import catalog


def _root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    for vid, parent, files, replaced in (
        ("20230701-1", None, [{"name": "july.csv", "table": "progress"}], {"progress": 3}),
        ("20230801-1", "20230701-1", [{"name": "a.csv"}, {"name": "b.xlsx"}], {"progress": 2, "instructors": 5}),
    ):
        folder = root / "versions" / vid
        folder.mkdir(parents=True)
        info = {
            "id": vid,
            "parent": parent,
            "published_at": f"2023-{vid[4:6]}-01T08:00:00+00:00",
            "user": "anna",
            "files": files,
            "replaced": replaced,
        }
        (folder / "version.json").write_text(json.dumps(info), encoding="utf-8")
    (root / "CURRENT").write_text("20230701-1\n", encoding="utf-8")  # rolled back to the first
    events = [{"event": "publish", "version": "20230701-1"}, {"event": "publish", "version": "20230801-1"}]
    events.append({"event": "rollback", "version": "20230701-1"})
    (root / "versions" / "history.jsonl").write_text("\n".join(json.dumps(e) for e in events) + "\n", encoding="utf-8")
    return root


def test_the_versions_as_the_page_shows_them(tmp_path: Path) -> None:
    root = _root(tmp_path)
    m = imports_view.view(db.connect(db.DEFAULT_DATA_DIR), Filters("en", 2023, dt.date(2023, 6, 30)), data_root=root)
    words = catalog("en")
    v = m.versions
    assert v[words["imports.col.version"]].tolist() == ["20230801-1", "20230701-1", "bundled"]
    assert v[words["imports.col.in_force"]].tolist() == ["", "✓", ""]
    assert v[words["imports.col.files"]].tolist() == ["a.csv、b.xlsx", "july.csv", words["imports.bundled"]]
    assert v[words["imports.col.replaced"]].tolist() == [7, 3, 0]
    assert v[words["imports.col.published_at"]].tolist()[:2] == ["2023-08-01 08:00:00 UTC", "2023-07-01 08:00:00 UTC"]
    assert v[words["imports.col.user"]].tolist() == ["anna", "anna", "—"]
    assert m.current.id == "20230701-1" and m.current.user == "anna"
    assert m.rollback_to == ("20230801-1", "bundled")
    assert m.history["event"].tolist() == ["publish", "publish", "rollback"]


def test_a_root_with_only_the_bundled_data(tmp_path: Path) -> None:
    m = imports_view.view(
        db.connect(db.DEFAULT_DATA_DIR), Filters("zh", 2023, dt.date(2023, 6, 30)), data_root=tmp_path
    )
    assert m.current.id == "bundled" and m.rollback_to == () and m.history.empty
    assert m.versions[catalog("zh")["imports.col.in_force"]].tolist() == ["✓"]
