"""The monthly cycle's state machine on SQLite and PostgreSQL: every move, who may make it, the
audit log, and two analysts approving the same month at once."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest

from analytics import audit
from analytics.auth.roles import User
from analytics.reporting import store as store_mod
from analytics.reporting.states import ConcurrentChange, ReportingError, allowed_actions
from analytics.reporting.store import Store, Target
from tests.reporting_support import store_url  # noqa: F401 - a fixture
from tests.threads import Checked

JULY = dt.date(2023, 7, 31)
FURONG = Target("430102", "430100", JULY)  # 芙蓉区, 长沙市
YUEYANGLOU = Target("430602", "430600", JULY)  # 岳阳楼区, 岳阳市

CHANGSHA_ANALYST = User("anna", "Anna", "analyst", "430100")
YUEYANG_ANALYST = User("yang", "Yang", "analyst", "430600")
PROVINCE_ADMIN = User("adam", "Adam", "admin", "430000")
CHANGSHA_ADMIN = User("ada", "Ada", "admin", "430100")
VIEWER = User("vera", "Vera", "viewer", "430000")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    folder.mkdir()
    return folder


@pytest.fixture
def st(root: Path, store_url: str) -> Store:  # noqa: F811 - the fixture above
    return Store(root, store_url)


def _events(root: Path) -> list[tuple[str, str, dict[str, object]]]:
    log = audit.read(root)
    return [(e, u, json.loads(d)) for e, u, d in zip(log["event"], log["user"], log["detail"], strict=True)]


def test_submit_return_resubmit_approve_accept(st: Store, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    times = iter(dt.datetime(2023, 8, d, 9, 0, tzinfo=dt.UTC) for d in (3, 5, 7, 8, 12))
    monkeypatch.setattr(store_mod, "_clock", lambda: next(times))
    assert st.get("430102", JULY) is None  # not started

    c = st.move("submit", FURONG, CHANGSHA_ANALYST)
    assert (c.state, c.version, c.submitted_by, c.submitted_at) == (
        "submitted",
        1,
        "anna",
        dt.datetime(2023, 8, 3, 9, tzinfo=dt.UTC),
    )
    c = st.move("return", FURONG, CHANGSHA_ANALYST, reason="村级数据缺 3 个村")
    assert (c.state, c.version, c.return_reason, c.returned_at) == (
        "returned",
        2,
        "村级数据缺 3 个村",
        dt.datetime(2023, 8, 5, 9, tzinfo=dt.UTC),
    )
    c = st.move("submit", FURONG, CHANGSHA_ANALYST)
    assert (c.state, c.version, c.submitted_at) == ("submitted", 3, dt.datetime(2023, 8, 7, 9, tzinfo=dt.UTC))
    c = st.move("approve", FURONG, CHANGSHA_ANALYST)
    assert (c.state, c.approved_by, c.approved_at) == ("approved", "anna", dt.datetime(2023, 8, 8, 9, tzinfo=dt.UTC))
    c = st.move("accept", FURONG, PROVINCE_ADMIN)
    assert (c.state, c.version, c.accepted_by, c.accepted_at) == (
        "accepted",
        5,
        "adam",
        dt.datetime(2023, 8, 12, 9, tzinfo=dt.UTC),
    )
    # the store reads back what the moves returned
    assert st.get("430102", JULY) == c
    assert [(m["action"], m["from_state"], m["to_state"], m["user_name"]) for m in st.moves("430102", JULY)] == [
        ("submit", "not_started", "submitted", "anna"),
        ("return", "submitted", "returned", "anna"),
        ("submit", "returned", "submitted", "anna"),
        ("approve", "submitted", "approved", "anna"),
        ("accept", "approved", "accepted", "adam"),
    ]
    events = _events(root)
    assert [(e, u) for e, u, _ in events] == [
        ("report_submitted", "anna"),
        ("report_returned", "anna"),
        ("report_submitted", "anna"),
        ("report_approved", "anna"),
        ("report_accepted", "adam"),
    ]
    assert events[1][2]["reason"] == "村级数据缺 3 个村"
    assert events[4][2]["months"] == [{"county": "430102", "month": "2023-07", "state": "accepted", "version": 5}]


def test_withdraw_acceptance_goes_back_to_approved(st: Store, root: Path) -> None:
    for action, user in (("submit", CHANGSHA_ANALYST), ("approve", CHANGSHA_ANALYST), ("accept", PROVINCE_ADMIN)):
        st.move(action, FURONG, user)
    c = st.move("withdraw", FURONG, PROVINCE_ADMIN)
    assert (c.state, c.accepted_by, c.accepted_at, c.approved_by) == ("approved", None, None, "anna")
    assert _events(root)[-1][:2] == ("report_acceptance_withdrawn", "adam")


def test_a_prefecture_analyst_cannot_approve_another_prefectures_county(st: Store, root: Path) -> None:
    st.move("submit", YUEYANGLOU, YUEYANG_ANALYST)
    with pytest.raises(ReportingError) as refused:
        st.move("approve", YUEYANGLOU, CHANGSHA_ANALYST)
    assert refused.value.code == "scope"
    with pytest.raises(ReportingError) as refused:
        st.move("submit", FURONG, YUEYANG_ANALYST)
    assert refused.value.code == "scope"
    # nothing changed, and the log holds the one submission only
    assert st.get("430602", JULY).state == "submitted"  # type: ignore[union-attr]
    assert st.get("430102", JULY) is None
    assert [e for e, _, _ in _events(root)] == ["report_submitted"]
    assert allowed_actions("submitted", CHANGSHA_ANALYST, "430600") == []
    assert allowed_actions("submitted", YUEYANG_ANALYST, "430600") == ["return", "approve"]


@pytest.mark.parametrize(
    ("user", "action", "code"),
    [
        (VIEWER, "submit", "role"),
        (CHANGSHA_ANALYST, "accept", "role"),
        (CHANGSHA_ADMIN, "accept", "province_only"),  # a prefecture's admin does not accept for the province
        (PROVINCE_ADMIN, "accept", "state"),  # submitted, not approved yet
        (CHANGSHA_ANALYST, "return", "reason"),  # a return says why
        (CHANGSHA_ANALYST, "submit", "state"),  # already submitted
        (CHANGSHA_ANALYST, "fly", "unknown_action"),
    ],
)
def test_moves_that_are_refused(st: Store, user: User, action: str, code: str) -> None:
    st.move("submit", FURONG, CHANGSHA_ANALYST)
    with pytest.raises(ReportingError) as refused:
        st.move(action, FURONG, user, reason=None)
    assert refused.value.code == code
    assert st.get("430102", JULY).version == 1  # type: ignore[union-attr]


def test_accepting_a_prefectures_month_is_all_or_nothing(st: Store) -> None:
    furong, tianxin = FURONG, Target("430103", "430100", JULY)
    for t in (furong, tianxin):
        st.move("submit", t, CHANGSHA_ANALYST)
    st.move("approve", furong, CHANGSHA_ANALYST)
    with pytest.raises(ReportingError):
        st.move_many("accept", [furong, tianxin], PROVINCE_ADMIN)  # 天心区 is not approved yet
    assert st.get("430102", JULY).state == "approved"  # type: ignore[union-attr]  # rolled back
    st.move("approve", tianxin, CHANGSHA_ANALYST)
    done = st.move_many("accept", [furong, tianxin], PROVINCE_ADMIN)
    assert [c.state for c in done] == ["accepted", "accepted"]
    assert [c.county_code for c in st.accepted([("430102", JULY), ("430103", JULY), ("430104", JULY)])] == [
        "430102",
        "430103",
    ]


def test_a_move_the_audit_log_cannot_record_is_not_made(st: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(ReportingError) as refused:
        st.move("submit", FURONG, CHANGSHA_ANALYST)
    assert refused.value.code == "audit"
    assert st.get("430102", JULY) is None


def test_two_analysts_approving_the_same_month_at_once_one_wins(
    st: Store, root: Path, store_url: str, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """Both saw version 1 (submitted) on their screens and press approve at once."""
    st.move("submit", FURONG, CHANGSHA_ANALYST)
    province_analyst = User("pat", "Pat", "analyst", "430000")
    outcome: dict[str, str] = {}
    if not store_url.startswith("sqlite"):
        # PostgreSQL: both transactions have read version 1 before either updates (a barrier after
        # the read), so the loser is stopped by the UPDATE's version guard, not by its read. SQLite
        # lets one writer in at a time (BEGIN IMMEDIATE): the second reads version 2 and is refused.
        both_read = threading.Barrier(2)
        real_check = store_mod.check_move

        def check_after_both_read(*args: object) -> object:
            both_read.wait(timeout=120)
            return real_check(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(store_mod, "check_move", check_after_both_read)

    def approve(user: User) -> None:
        try:
            Store(root, store_url).move("approve", FURONG, user, expected_version=1)
            outcome[user.name] = "won"
        except ConcurrentChange:
            outcome[user.name] = "lost"

    threads = [Checked(approve, u) for u in (CHANGSHA_ANALYST, province_analyst)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sorted(outcome.values()) == ["lost", "won"]
    winner = next(name for name, o in outcome.items() if o == "won")
    c = st.get("430102", JULY)
    assert c is not None and (c.state, c.version, c.approved_by) == ("approved", 2, winner)
    assert [(m["action"], m["user_name"]) for m in st.moves("430102", JULY)] == [("submit", "anna"), ("approve", winner)]
    assert [(e, u) for e, u, _ in _events(root)] == [("report_submitted", "anna"), ("report_approved", winner)]


def test_a_move_on_a_month_changed_since_it_was_seen_is_refused(st: Store) -> None:
    st.move("submit", FURONG, CHANGSHA_ANALYST)
    st.move("return", FURONG, CHANGSHA_ANALYST, reason="缺数据")
    with pytest.raises(ConcurrentChange):
        st.move("submit", FURONG, CHANGSHA_ANALYST, expected_version=1)  # the page showed version 1
    assert st.get("430102", JULY).state == "returned"  # type: ignore[union-attr]
