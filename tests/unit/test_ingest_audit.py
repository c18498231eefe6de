"""Every import and rollback from the command line is in the audit log, before it takes effect,
as the operating-system account that ran it (issue 18, case 10)."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analytics import audit, publish
from tests.unit.test_ingest import ROOT, _csv, july_changsha, main, root, run, tree_digest

__all__ = ["root"]


def details(log: pd.DataFrame, event: str) -> list[dict[str, object]]:
    return [json.loads(d) for d in log[log["event"] == event]["detail"]]


def test_an_import_is_recorded_before_it_is_published(root: Path, tmp_path: Path) -> None:
    """Stopped after its files are written and before CURRENT moves, the import is already in
    the log: files with their sha256, the parent it merges with and the version it will be."""
    path = _csv(july_changsha().assign(value=7.0), tmp_path / "progress_2023-07.csv")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    env = {**os.environ, "FPA_PUBLISH_PAUSE": "60", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analytics.ingest", str(path), "--data-dir", str(root)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300  # generous: the wait ends as soon as the pause is reached
        staging: list[Path] = []
        while time.monotonic() < deadline and not staging:
            staging = list((root / "versions").glob(".staging-*/version.json"))
            time.sleep(0.05)
        assert staging, "the publish never reached its pause"
        assert publish.current_id(root) == publish.BUNDLED  # not published yet …
        log = audit.read(root)  # … and already recorded
        assert list(log["event"]) == ["import"]
        assert list(log["user"]) == [getpass.getuser()]
        (intent,) = details(log, "import")
        assert intent["parent"] == publish.BUNDLED
        assert intent["version"] == staging[0].parent.name.removeprefix(".staging-")
        assert intent["via"] == "cli"
        assert [(f["name"], f["sha256"], f["rows"]) for f in intent["files"]] == [  # type: ignore[attr-defined]
            (path.name, sha, len(july_changsha()))
        ]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def test_a_published_import_then_records_its_outcome(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(july_changsha().assign(value=7.0), tmp_path / "progress_2023-07.csv")
    code, text = run([path], root, capsys=capsys)
    assert code == 0, text
    log = audit.read(root)
    assert list(log["event"]) == ["import", "import_published"]
    assert set(log["user"]) == {getpass.getuser()}
    version = publish.current_id(root)
    assert [d["version"] for d in details(log, "import_published")] == [version]
    assert publish.read_info(root, version).user == getpass.getuser()


def test_user_on_the_command_line_must_be_the_account(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(july_changsha().assign(value=7.0), tmp_path / "progress_2023-07.csv")
    before = tree_digest(root)
    code, text = run([path], root, "--user", "someone-else", capsys=capsys)
    assert code == 2
    assert "--user can only be the account running this command" in text
    assert tree_digest(root) == before and audit.read(root).empty
    code, text = run([path], root, "--user", getpass.getuser(), capsys=capsys)
    assert code == 0, text


def test_rollbacks_are_recorded_before_and_after(root: Path, tmp_path: Path) -> None:
    path = _csv(july_changsha().assign(value=7.0), tmp_path / "progress_2023-07.csv")
    assert main([str(path), "--data-dir", str(root)]) == 0
    version = publish.current_id(root)
    assert main(["--rollback", "--data-dir", str(root)]) == 0
    assert main(["--rollback", "--data-dir", str(root), "--to", "v9999-nowhere"]) == 1
    log = audit.read(root)
    rollbacks = log[log["event"].str.startswith("rollback")]
    assert list(rollbacks["event"]) == ["rollback", "rollback_done", "rollback_failed"]
    assert set(rollbacks["user"]) == {getpass.getuser()}
    first, done, failed = (json.loads(d) for d in rollbacks["detail"])
    assert (first["from"], first["to"]) == (version, publish.BUNDLED) == (done["from"], done["to"])
    assert failed["to"] == "v9999-nowhere" and "no version" in failed["error"]
    assert publish.current_id(root) == publish.BUNDLED
