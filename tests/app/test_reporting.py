"""The reporting page and the accepted-figures switch through AppTest, on a data root of their own
(the bundled data linked in, the store and the audit log written under the test's folder)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics.auth.roles import User
from analytics.reporting import store as store_mod
from analytics.reporting.store import Store, Target
from tests.app.test_pages import run_page
from tests.auth_support import data_root
from ui.i18n import catalog

JULY = dt.date(2023, 7, 31)
ANNA = User("anna", "Anna", "analyst", "430100")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = data_root(tmp_path / "root")
    monkeypatch.setenv("FPA_DATA_DIR", str(folder))
    monkeypatch.delenv(store_mod.DB_ENV, raising=False)
    return folder


def test_the_overview_leaves_unaccepted_months_out_unless_switched(root: Path) -> None:
    words = catalog("zh")
    at = run_page("pages/home.py", lang="zh", as_of="2023-07-31")
    switch = "fpa_include_unapproved"
    assert switch not in [tg.key for tg in at.toggle], "nothing held back: no switch"
    Store(root).move("submit", Target("430102", "430100", JULY), ANNA)
    at = run_page("pages/home.py", lang="zh", as_of="2023-07-31")
    assert not at.exception, [e.message for e in at.exception]
    assert at.toggle(key=switch).label == words["reporting.switch.label"]
    assert words["reporting.switch.off"].format(n=1) in [c.value for c in at.caption]
    at.toggle(key=switch).set_value(True).run()
    assert not at.exception
    assert words["reporting.switch.on"].format(n=1) in [w.value for w in at.warning]


def test_the_page_approves_a_submitted_county_and_shows_who(root: Path) -> None:
    Store(root).move("submit", Target("430102", "430100", JULY), ANNA)
    at = run_page("pages/reporting.py", lang="en", as_of="2023-08-31", region="430100")
    assert not at.exception, [e.message for e in at.exception]
    words = catalog("en")
    at.selectbox(key="reporting_month").set_value("2023-07-31").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[words["reporting.state.submitted"]] == "1"
    at.selectbox(key="reporting_county").set_value("430102").run()
    at.button(key="reporting_approve").click().run()
    assert not at.exception, [e.message for e in at.exception]
    c = Store(root).get("430102", JULY)
    assert c is not None and (c.state, c.approved_by) == ("approved", "local")  # the local demo user
    assert words["reporting.done"].format(county="Furong District", action="Approve", state="Approved by prefecture") in [
        s.value for s in at.success
    ]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[words["reporting.state.approved"]] == "1"
