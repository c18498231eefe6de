"""python -m analytics.reporting: templates, the month's status, and moves made as a users-file user
(whose role and scope decide, as on the page)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from analytics.auth.roles import User
from analytics.reporting import store as store_mod
from analytics.reporting.cli import main
from analytics.reporting.store import Store, Target
from tests.auth_support import data_root, make_users

JULY = dt.date(2023, 7, 31)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = data_root(tmp_path / "root")
    monkeypatch.delenv(store_mod.DB_ENV, raising=False)
    monkeypatch.setenv("FPA_USERS_FILE", str(make_users(tmp_path / "users.json", monkeypatch)))
    return folder


def test_templates_status_and_moves(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cs.zip"
    assert main(["template", "--prefecture", "430100", "--month", "2023-07", "--out", str(out), "--data-dir", str(root)]) == 0
    with zipfile.ZipFile(out) as z:
        assert len(z.namelist()) == 9  # 长沙市's nine counties and districts
    Store(root).move("submit", Target("430102", "430100", JULY), User("anna", "Anna", "analyst", "430100"))
    capsys.readouterr()
    assert main(["chase", "--month", "2023-07", "--prefecture", "430100", "--today", "2023-08-08", "--data-dir", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2023-07: deadline 2023-08-05, today 2023-08-08"
    assert len(lines) == 1 + 8 and all(line.endswith("not_started  3 days late") for line in lines[1:])
    assert not any("430102" in line for line in lines)
    # anna (analyst, 长沙) approves; the province's admin adam accepts the prefecture's month
    assert main(["approve", "--county", "430102", "--month", "2023-07", "--as", "anna", "--data-dir", str(root)]) == 0
    assert main(["accept", "--prefecture", "430100", "--month", "2023-07", "--as", "adam", "--data-dir", str(root)]) == 0
    c = Store(root).get("430102", JULY)
    assert c is not None and (c.state, c.approved_by, c.accepted_by) == ("accepted", "anna", "adam")
    # vera is a viewer: refused, nothing changed
    capsys.readouterr()
    assert main(["withdraw", "--county", "430102", "--month", "2023-07", "--as", "vera", "--data-dir", str(root)]) == 1
    assert "withdraw needs the role admin" in capsys.readouterr().err
    assert Store(root).get("430102", JULY).state == "accepted"  # type: ignore[union-attr]
