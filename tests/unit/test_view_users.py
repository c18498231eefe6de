"""views/users.view over a users file made by the command line and an audit log of a data root of
its own: the users without a hash, in words, and the audit log as its filters choose."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import audit, db
from tests.auth_support import USERS, make_users
from views import users as users_view
from views.filters import Filters
from views.i18n import catalog

F = Filters("zh", 2023, dt.date(2023, 6, 30))


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return db.connect(db.DEFAULT_DATA_DIR)


@pytest.fixture()
def users_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_users(tmp_path / "etc" / "users.json", monkeypatch)


def _log(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Four events on two days (UTC times; 17:00 UTC is the next day in Shanghai)."""
    for at, event, user in (
        (dt.datetime(2023, 7, 1, 2, 0, tzinfo=dt.UTC), "sign_in", "adam"),
        (dt.datetime(2023, 7, 1, 3, 0, tzinfo=dt.UTC), "user_added", "adam"),
        (dt.datetime(2023, 7, 1, 17, 0, tzinfo=dt.UTC), "sign_in", "anna"),
        (dt.datetime(2023, 7, 2, 4, 0, tzinfo=dt.UTC), "sql_query", "anna"),
    ):
        monkeypatch.setattr(audit, "_clock", lambda at=at: at)
        audit.record(root, event, user, {"n": 1})


def test_the_users_without_hashes_in_words(con: duckdb.DuckDBPyConnection, users_file: Path, tmp_path: Path) -> None:
    m = users_view.view(con, F, data_root=tmp_path, users_path=users_file)
    words = catalog("zh")
    table = m.users.set_index("name")
    assert sorted(table.index) == sorted(USERS)
    assert "password_hash" not in m.users.columns
    assert list(m.users.columns) == list(users_view.USER_COLUMNS)
    regions = pd.read_parquet(db.DEFAULT_DATA_DIR / "reference" / "regions").set_index("region_code")
    for name, (role, scope) in USERS.items():
        assert table.loc[name, "role"] == words[f"auth.role.{role}"]
        want = words["filters.whole_province"] if scope == "430000" else regions.loc[scope, "name_zh"]
        assert table.loc[name, "scope"] == want
    assert {p.name: (p.role, p.scope) for p in m.people} == USERS
    assert len(m.scopes) == 15 and next(iter(m.scopes)) == "430000"
    assert m.user_labels["name"] == words["users.col.name"]
    assert m.log_total == 0 and m.audit.empty  # no audit log in this root yet


def test_the_audit_log_by_its_filters(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    _log(root, monkeypatch)
    monkeypatch.delenv("FPA_USERS_FILE", raising=False)
    everything = users_view.view(con, F, data_root=root, days=())
    assert everything.users_path is None and everything.users.empty
    assert everything.log_total == 4 and len(everything.audit) == 4
    assert everything.audit["at"].tolist()[0] == "2023-07-02 12:00:00"  # newest first, Shanghai time
    assert everything.first_day == dt.date(2023, 7, 1)
    assert everything.events == {
        "sign_in": catalog("zh")["users.event.sign_in"],
        "sql_query": catalog("zh")["users.event.sql_query"],
        "user_added": catalog("zh")["users.event.user_added"],
    }
    assert everything.people_in_log == ("adam", "anna")
    # one Shanghai day: the 17:00 UTC sign-in of 1 July is 2 July there
    second = users_view.view(con, F, data_root=root, days=(dt.date(2023, 7, 2),))
    assert second.audit["user"].tolist() == ["anna", "anna"]
    assert second.download_name == "audit_2023-07-02_2023-07-02"
    signs = users_view.view(con, F, data_root=root, days=(), events=("sign_in",), user="anna")
    assert signs.audit["event"].tolist() == [catalog("zh")["users.event.sign_in"]]
    assert signs.audit_count == catalog("zh")["users.audit_count"].format(shown=1, total=4)
    assert signs.download["at"].tolist() == ["2023-07-01T17:00:00.000000Z"]
    # the opening range: the last 30 days, not before the first event (long ago: nothing shown)
    opening = users_view.view(con, F, data_root=root)
    today = pd.Timestamp.now(tz=users_view.TZ).date()
    assert opening.days_default == (today - dt.timedelta(days=30), today)
    assert opening.audit.empty
