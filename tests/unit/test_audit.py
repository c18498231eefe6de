"""analytics.audit: append-only events, safe with threads and processes, nothing secret kept."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analytics import audit
from tests.threads import Checked

REPO = Path(__file__).resolve().parents[2]


def at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    monkeypatch.setattr(audit, "_clock", lambda: dt.datetime.fromisoformat(when))


def test_empty_log_has_the_columns(tmp_path: Path) -> None:
    log = audit.read(tmp_path)
    assert log.empty and list(log.columns) == ["at", "event", "user", "detail", "id"]
    assert str(log["at"].dtype) == "datetime64[us, UTC]"


def test_record_and_read_back(tmp_path: Path, monkeypatch) -> None:
    at(monkeypatch, "2023-07-01T09:30:00+08:00")  # Beijing time: 01:30 UTC
    audit.record(tmp_path, "sign_in", "zhang", {"client": "10.1.2.3", "via": "password"})
    at(monkeypatch, "2023-07-01T01:29:00+00:00")  # earlier, written later: read() orders by time
    audit.record(tmp_path, "sign_in_failed", None, {"reason": "unknown_user"})
    at(monkeypatch, "2023-07-02T00:00:00+00:00")
    audit.record(tmp_path, "import", "zhang", {"files": ["长沙市_2023-06.parquet"], "rows": 120})
    log = audit.read(tmp_path)
    assert list(log["event"]) == ["sign_in_failed", "sign_in", "import"]
    assert log["at"].iloc[1] == pd.Timestamp("2023-07-01T01:30:00Z")
    assert log["user"].iloc[0] is None or pd.isna(log["user"].iloc[0])
    assert json.loads(log["detail"].iloc[2]) == {"files": ["长沙市_2023-06.parquet"], "rows": 120}
    assert "长沙市" in log["detail"].iloc[2], "Chinese kept readable in the JSON text"
    assert log["id"].is_unique
    # one file per event, in a folder per UTC day
    files = sorted(p.relative_to(tmp_path / "audit").parts[0] for p in (tmp_path / "audit").rglob("*.parquet"))
    assert files == ["2023-07-01", "2023-07-01", "2023-07-02"]
    assert len(audit.read(tmp_path, since=dt.date(2023, 7, 2))) == 1


def test_recording_never_rewrites_a_file(tmp_path: Path) -> None:
    audit.record(tmp_path, "sign_in", "li")
    first = next((tmp_path / "audit").rglob("*.parquet"))
    stamp, content = first.stat().st_mtime_ns, first.read_bytes()
    for _ in range(5):
        audit.record(tmp_path, "sql_query", "li", {"sql": "SELECT 1"})
    assert (first.stat().st_mtime_ns, first.read_bytes()) == (stamp, content)
    assert len(list((tmp_path / "audit").rglob("*.parquet"))) == 6
    assert not [p for p in (tmp_path / "audit").rglob("*") if p.is_file() and p.suffix != ".parquet"]


def test_threads_record_at_once(tmp_path: Path) -> None:
    def work(i: int) -> None:
        for j in range(5):
            audit.record(tmp_path, "sql_query", f"user{i}", {"n": j})

    threads = [Checked(work, i) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    log = audit.read(tmp_path)
    assert len(log) == 40 and log["id"].is_unique
    assert log.groupby("user").size().to_dict() == {f"user{i}": 5 for i in range(8)}


def test_processes_record_at_once(tmp_path: Path) -> None:
    """The command line (or an import) and the app are separate processes writing the same folder."""
    code = (
        "import sys; from pathlib import Path; from analytics import audit\n"
        "for i in range(10): audit.record(Path(sys.argv[1]), 'import', sys.argv[2], {'i': i})\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path), f"p{k}"], cwd=REPO) for k in range(2)]
    for k in range(10):
        audit.record(tmp_path, "sign_in", "app", {"i": k})
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert audit.read(tmp_path).groupby("user").size().to_dict() == {"app": 10, "p0": 10, "p1": 10}


def test_secrets_are_redacted(tmp_path: Path) -> None:
    audit.record(
        tmp_path,
        "user_changed",
        "admin",
        {
            "name": "li",
            "password": "hunter2hunter2",
            "new_password_hash": "$argon2id$v=19$m=65536,t=3,p=4$abc$def",
            "nested": {"token": "abc", "ok": "fine"},
            "pasted": "oops $argon2id$v=19$m=65536,t=3,p=4$abc$def",
            "bcrypt": "$2b$12$abcdefghijklmnopqrstuv",
        },
    )
    detail = audit.read(tmp_path)["detail"].iloc[0]
    assert "hunter2" not in detail and "$argon2" not in detail and "$2b$" not in detail and "abc" not in detail
    assert json.loads(detail) == {
        "bcrypt": "[redacted]",
        "name": "li",
        "nested": {"ok": "fine", "token": "[redacted]"},
        "new_password_hash": "[redacted]",
        "password": "[redacted]",
        "pasted": "[redacted]",
    }


def test_long_text_is_cut(tmp_path: Path) -> None:
    audit.record(tmp_path, "sql_query", "li", {"sql": "SELECT 1 " * 1000})
    sql = json.loads(audit.read(tmp_path)["detail"].iloc[0])["sql"]
    assert len(sql) < audit.MAX_TEXT + 40 and sql.endswith("more characters]")


@pytest.mark.parametrize("event", ["", "Sign In", "sign-in", "x" * 41, "../etc"])
def test_event_names_are_checked(tmp_path: Path, event: str) -> None:
    with pytest.raises(ValueError):
        audit.record(tmp_path, event, "li")


def test_the_listed_events_are_valid_names(tmp_path: Path) -> None:
    for event in audit.EVENTS:
        audit.record(tmp_path, event, None)
    assert sorted(audit.read(tmp_path)["event"]) == sorted(audit.EVENTS)


def test_select_filters_by_kind_user_and_beijing_day(tmp_path: Path, monkeypatch) -> None:
    for when, event, user in [
        ("2023-07-01T15:59:00+00:00", "sign_in", "li"),  # Beijing 23:59 on 1 July
        ("2023-07-01T16:00:00+00:00", "sql_query", "li"),  # Beijing 00:00 on 2 July
        ("2023-07-02T03:00:00+00:00", "sign_in", "wang"),
    ]:
        at(monkeypatch, when)
        audit.record(tmp_path, event, user)
    log = audit.read(tmp_path)
    july_2 = audit.select(log, start=dt.date(2023, 7, 2), end=dt.date(2023, 7, 2))
    assert list(july_2["event"]) == ["sign_in", "sql_query"], "newest first"
    assert list(audit.select(log, events=["sign_in"])["user"]) == ["wang", "li"]
    assert list(audit.select(log, user="li", end=dt.date(2023, 7, 1))["event"]) == ["sign_in"]
    assert len(audit.select(log)) == 3
