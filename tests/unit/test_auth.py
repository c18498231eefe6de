"""analytics.auth: hashes, the users file, roles and scopes, sessions, the slowing-down of failed
sign-ins (with a clock the test moves, no sleeping), the OIDC mapping and the command line."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from analytics import audit
from analytics import auth as core
from analytics.queries import PROVINCE_CODE
from tests.auth_support import CHEAP_HASHER

PW = "a long enough password"


@pytest.fixture
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap hashes where a test makes many (the real profile is tested on its own below)."""
    monkeypatch.setattr(core.passwords, "HASHER", CHEAP_HASHER)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------- hashes


def test_hash_is_salted_argon2id_and_verifies_only_the_password() -> None:
    first, second = core.hash_password(PW), core.hash_password(PW)
    assert first.startswith("$argon2id$") and second.startswith("$argon2id$")
    assert first != second, "the same password gives different hashes: each has its own salt"
    assert PW not in first
    assert core.verify_password(first, PW)
    assert not core.verify_password(first, PW + "!")
    assert not core.verify_password(first, "")
    # the real profile (RFC 9106 low-memory: 64 MiB, 3 passes), not the tests' cheap one
    assert "m=65536,t=3" in first


def test_verify_never_raises() -> None:
    assert not core.verify_password("not a hash", PW)
    assert not core.verify_password("$argon2id$v=19$m=65536,t=3,p=4$broken", PW)
    assert not core.verify_password(core.hash_password(PW), "x" * (core.MAX_PASSWORD + 1))


def test_a_record_never_shows_its_hash(cheap: None) -> None:
    users = core.new_user(core.UsersFile(), "zhang", role="viewer", scope=PROVINCE_CODE, password=PW)
    record = users.users[0]
    assert record.password_hash.startswith("$argon2")
    assert "argon2" not in repr(record) and "argon2" not in repr(users)
    assert "password_hash" not in record.public()


# ---------------------------------------------------------------- the users file


def test_users_file_round_trip_is_private_and_holds_no_password(tmp_path: Path, cheap: None) -> None:
    path = tmp_path / "etc" / "users.json"
    users = core.new_user(
        core.UsersFile(), "Zhang.San", role="analyst", scope="430100", password=PW, display_name="张三"
    )
    users = core.new_user(users, "li", role="admin", scope=PROVINCE_CODE, password=PW + "2")
    core.save_users(path, users)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert PW not in text and "张三" in text  # Chinese written as itself
    loaded = core.load_users(path)
    assert loaded == users
    zhang = loaded.get(" ZHANG.san ")  # names are case-insensitive, stored lower-case
    assert zhang is not None and (zhang.name, zhang.role, zhang.scope, zhang.display_name) == (
        "zhang.san",
        "analyst",
        "430100",
        "张三",
    )
    assert core.verify_password(zhang.password_hash, PW)
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, cheap: None, monkeypatch) -> None:
    path = tmp_path / "users.json"
    old = core.new_user(core.UsersFile(), "li", role="admin", scope=PROVINCE_CODE, password=PW)
    core.save_users(path, old)
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    new = core.new_user(old, "wang", role="viewer", scope=PROVINCE_CODE, password=PW)
    with pytest.raises(OSError):
        core.save_users(path, new)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == [], "the temporary file is removed"


def test_concurrent_changes_all_land(tmp_path: Path, cheap: None) -> None:
    """The command line and the admin page may change the file at once: the lock keeps every change."""
    path = tmp_path / "users.json"
    names = [f"user{i}" for i in range(8)]
    threads = [
        threading.Thread(
            target=core.update_users,
            args=(path, lambda u, n=n: core.new_user(u, n, role="viewer", scope=PROVINCE_CODE, password=PW)),
        )
        for n in names
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert [u.name for u in core.load_users(path).users] == sorted(names)


def test_missing_or_empty_file_is_the_demo_mode(tmp_path: Path) -> None:
    assert core.mode(core.load_users(tmp_path / "none.json")) == "demo"
    (tmp_path / "empty.json").write_text("  \n", encoding="utf-8")
    assert core.mode(core.load_users(tmp_path / "empty.json")) == "demo"  # the command line may start from it
    (tmp_path / "no_users.json").write_text('{"users": {}}', encoding="utf-8")
    assert core.mode(core.load_users(tmp_path / "no_users.json")) == "demo"


def test_the_app_refuses_an_empty_file(tmp_path: Path) -> None:
    """The app reads with empty_ok=False: a 0-byte file is a configuration error, not the demo mode."""
    for content in ("", "  \n"):
        (tmp_path / "empty.json").write_text(content, encoding="utf-8")
        with pytest.raises(core.AuthError, match=r"empty\.json is empty: add a user .* or unset FPA_USERS_FILE"):
            core.load_users(tmp_path / "empty.json", empty_ok=False)
    (tmp_path / "no_users.json").write_text('{"users": {}}', encoding="utf-8")
    assert core.mode(core.load_users(tmp_path / "no_users.json", empty_ok=False)) == "demo"


def test_a_folder_is_named_as_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "etc" / "fpa"
    folder.mkdir(parents=True)
    with pytest.raises(core.AuthError) as error:
        core.load_users(folder)
    assert str(error.value) == (
        f"FPA_USERS_FILE names {folder}, which is a folder: name the users file itself, e.g. {folder / 'users.json'}"
    )


def test_bad_files_say_where_not_what(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"users": {"li": {"password_hash": "$argon2id$secret', encoding="utf-8")
    with pytest.raises(core.AuthError) as error:
        core.load_users(bad)
    assert "line 1" in str(error.value) and "secret" not in str(error.value)
    plain = tmp_path / "plain.json"
    plain.write_text(
        json.dumps({"users": {"li": {"role": "admin", "scope": "430000", "password_hash": "hunter2hunter2"}}}),
        encoding="utf-8",
    )
    with pytest.raises(core.AuthError, match="no argon2 password hash") as error:
        core.load_users(plain)
    assert "hunter2" not in str(error.value)
    wrong_role = tmp_path / "role.json"
    wrong_role.write_text(json.dumps({"users": {"li": {"role": "boss", "scope": "430000"}}}), encoding="utf-8")
    with pytest.raises(core.AuthError, match="role"):
        core.load_users(wrong_role)


def test_users_file_must_be_outside_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with pytest.raises(core.AuthError, match="inside the data folder"):
        core.check_users_file_location(data / "users.json", data)
    with pytest.raises(core.AuthError):
        core.check_users_file_location(data / "audit" / "users.json", data)
    core.check_users_file_location(tmp_path / "etc" / "users.json", data)


def test_users_file_path_comes_from_the_environment(tmp_path: Path) -> None:
    assert core.users_file_from_env({}) is None
    assert core.users_file_from_env({"FPA_USERS_FILE": "  "}) is None
    assert core.users_file_from_env({"FPA_USERS_FILE": str(tmp_path / "u.json")}) == tmp_path / "u.json"


def test_user_changes_keep_an_admin(cheap: None) -> None:
    users = core.new_user(core.UsersFile(), "li", role="admin", scope=PROVINCE_CODE, password=PW)
    users = core.new_user(users, "wang", role="viewer", scope=PROVINCE_CODE, password=PW)
    with pytest.raises(core.AuthError, match="last admin"):
        core.change_user(users, "li", role="analyst")
    with pytest.raises(core.AuthError, match="last admin"):
        core.remove_user(users, "li")
    with pytest.raises(core.AuthError, match="exists already"):
        core.new_user(users, "LI", role="viewer", scope=PROVINCE_CODE, password=PW)
    changed = core.change_user(users, "wang", role="analyst", scope="431100", display_name="王五")
    wang = changed.get("wang")
    assert wang is not None and (wang.role, wang.scope, wang.display_name) == ("analyst", "431100", "王五")
    assert wang.password_set == users.get("wang").password_set, "a role change does not end the sessions"
    assert [u.name for u in core.remove_user(changed, "wang").users] == ["li"]


def test_setting_a_password_ends_sessions_and_rehash_never_overwrites_a_newer_one(cheap: None, monkeypatch) -> None:
    users = core.new_user(core.UsersFile(), "li", role="admin", scope=PROVINCE_CODE, password=PW)
    old = users.get("li")
    monkeypatch.setattr(core.users, "_now_text", lambda now=None: "2099-01-01T00:00:00+00:00")
    again = core.set_password(users, "li", PW + " new")
    new = again.get("li")
    assert new.password_set != old.password_set
    assert core.verify_password(new.password_hash, PW + " new") and not core.verify_password(new.password_hash, PW)
    # an upgrade of the old password's hash, arriving after the new password: ignored
    assert core.rehash(again, "li", core.hash_password(PW), password_set=old.password_set) == again
    upgraded = core.rehash(users, "li", core.hash_password(PW), password_set=old.password_set).get("li")
    assert upgraded.password_hash != old.password_hash and upgraded.password_set == old.password_set


def test_new_passwords_are_checked() -> None:
    assert core.password_problem("short", "li") == "too_short"
    assert core.password_problem("x" * (core.MAX_PASSWORD + 1), "li") == "too_long"
    assert core.password_problem("zhangsan99", "ZhangSan99") == "same_as_name"
    assert core.password_problem(PW, "li") is None
    with pytest.raises(core.AuthError, match="too short"):
        core.new_user(core.UsersFile(), "li", role="admin", scope=PROVINCE_CODE, password="short")


@pytest.mark.parametrize("name", ["li", "zhang.san", "user_01", "a-b"])
def test_good_names(name: str) -> None:
    assert core.check_name(name) == name


@pytest.mark.parametrize("name", ["", "l", "Li", "张三", "-li", "li li", "li;drop", "x" * 65])
def test_bad_names(name: str) -> None:
    with pytest.raises(core.AuthError):
        core.check_name(name)


# ---------------------------------------------------------------- roles and scopes


@pytest.mark.parametrize(
    ("role", "min_role", "allowed"),
    [
        ("viewer", "viewer", True),
        ("viewer", "analyst", False),
        ("viewer", "admin", False),
        ("analyst", "viewer", True),
        ("analyst", "analyst", True),
        ("analyst", "admin", False),
        ("admin", "viewer", True),
        ("admin", "analyst", True),
        ("admin", "admin", True),
        ("", "viewer", False),
        ("root", "viewer", False),
    ],
)
def test_roles_are_ordered(role: str, min_role: str, allowed: bool) -> None:
    assert core.role_allows(role, min_role) is allowed


def test_an_unknown_required_role_is_an_error() -> None:
    with pytest.raises(core.AuthError):
        core.role_allows("admin", "superuser")


def test_the_province_scope_is_the_province_code() -> None:
    assert core.PROVINCE_SCOPE == PROVINCE_CODE


@pytest.mark.parametrize("scope", ["430000", "430100", "431300", "433100"])
def test_good_scopes(scope: str) -> None:
    assert core.check_scope(scope) == scope


@pytest.mark.parametrize("scope", ["", "430", "430102", "440100", "430000 ", "4301OO", "430001"])
def test_bad_scopes(scope: str) -> None:
    with pytest.raises(core.AuthError):
        core.check_scope(scope)


def test_scope_decides_whose_rows_one_may_import() -> None:
    rows = ["430100", "430200", None, "430100", "433100"]
    assert core.rows_outside_scope(rows, PROVINCE_CODE) == []
    # Changsha's analyst: Zhuzhou's row, the province's own row and Xiangxi's row are not theirs
    assert core.rows_outside_scope(rows, "430100") == [1, 2, 4]
    assert core.scope_allows("430100", "430100") and not core.scope_allows("430100", "430200")


# ---------------------------------------------------------------- sessions


def test_session_settings_default_and_override() -> None:
    default = core.session_settings({})
    assert (default.idle, default.lifetime) == (dt.timedelta(minutes=30), dt.timedelta(hours=12))
    short = core.session_settings({"FPA_SESSION_IDLE_MINUTES": "0.5", "FPA_SESSION_MAX_HOURS": "1"})
    assert (short.idle, short.lifetime) == (dt.timedelta(seconds=30), dt.timedelta(hours=1))
    with pytest.raises(core.AuthError):
        core.session_settings({"FPA_SESSION_IDLE_MINUTES": "0"})


def test_sessions_end_when_idle_old_or_the_account_changed(cheap: None) -> None:
    settings = core.SessionSettings(idle=dt.timedelta(minutes=30), lifetime=dt.timedelta(hours=12))
    record = core.new_user(core.UsersFile(), "li", role="admin", scope=PROVINCE_CODE, password=PW).get("li")
    start = 1_000_000.0
    session = core.Session("li", signed_in_at=start, last_seen=start, password_set=record.password_set)
    assert core.session_end(session, record, start + 29 * 60, settings) is None
    assert core.session_end(session, record, start + 30 * 60, settings) == "idle"
    # busy all day: active a minute ago, but signed in 12 hours ago
    busy = core.Session("li", signed_in_at=start, last_seen=start + 12 * 3600 - 60, password_set=record.password_set)
    assert core.session_end(busy, record, start + 12 * 3600 - 1, settings) is None
    assert core.session_end(busy, record, start + 12 * 3600, settings) == "lifetime"
    assert core.session_end(session, None, start + 1, settings) == "account_changed"
    moved = core.Session("li", start, start, password_set="2000-01-01T00:00:00+00:00")
    assert core.session_end(moved, record, start + 1, settings) == "account_changed"


# ---------------------------------------------------------------- slowing down failures


def test_failures_lock_for_1_2_4_up_to_30_seconds() -> None:
    clock = Clock()
    limiter = core.RateLimiter(clock=clock)
    delays = []
    for _ in range(8):
        delays.append(limiter.failed("name:li"))
        clock.now += 100  # past every lock, well before the failures are forgotten (900 s)
    assert delays == [1, 2, 4, 8, 16, 30, 30, 30]


def test_a_lock_runs_out_and_success_forgets() -> None:
    clock = Clock()
    limiter = core.RateLimiter(clock=clock)
    limiter.failed("k")
    limiter.failed("k")  # now locked 2 s
    assert limiter.wait("k") == 2
    clock.now += 1.5
    assert limiter.wait("k") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.wait("k") == 0
    limiter.succeeded("k")
    assert limiter.failed("k") == 1, "after a success the count starts again"
    assert limiter.wait("other") == 0, "keys are separate"


def test_failures_are_forgotten_after_a_quiet_while() -> None:
    clock = Clock()
    limiter = core.RateLimiter(clock=clock, forget=900)
    for _ in range(4):
        limiter.failed("k")
    clock.now += 900
    assert limiter.failed("k") == 1


def test_free_failures_before_the_client_limit() -> None:
    clock = Clock()
    limiter = core.RateLimiter(clock=clock, free=10)
    assert [limiter.failed("client:10.0.0.1") for _ in range(12)] == [0] * 10 + [1, 2]


def test_sign_in_is_refused_during_a_lock_without_checking_the_password(cheap: None, monkeypatch) -> None:
    clock = Clock()
    guard = core.SignInGuard(by_name=core.RateLimiter(clock=clock), by_client=core.RateLimiter(clock=clock, free=10))
    users = core.new_user(core.UsersFile(), "li", role="analyst", scope="430100", password=PW)

    first = core.sign_in(users, "li", "wrong password", client="10.0.0.1", guard=guard)
    assert (first.user, first.reason, first.retry_after) == (None, "bad_credentials", 1)

    checked: list[str] = []
    real_verify = core.verify_password
    monkeypatch.setattr(core.passwords, "verify_password", lambda h, p: checked.append("x") or real_verify(h, p))
    locked = core.sign_in(users, "li", PW, client="10.0.0.1", guard=guard)
    assert (locked.user, locked.reason, locked.report_lock) == (None, "locked", True)
    assert checked == [], "the password is not even checked while the name is locked"
    again = core.sign_in(users, "LI", PW, client="10.0.0.2", guard=guard)
    assert (again.reason, again.report_lock) == ("locked", False), "the same lock is reported once"

    clock.now += 1
    ok = core.sign_in(users, "li", PW, client="10.0.0.1", guard=guard)
    assert ok.reason == "ok" and ok.user == core.User("li", "li", "analyst", "430100", "password")
    assert ok.new_hash is None, "a hash with today's parameters is kept"
    assert guard.by_name.wait("name:li") == 0


def test_unknown_names_are_checked_like_wrong_passwords(cheap: None, monkeypatch) -> None:
    clock = Clock()
    guard = core.SignInGuard(by_name=core.RateLimiter(clock=clock), by_client=core.RateLimiter(clock=clock, free=10))
    checked: list[str] = []
    real_verify = core.verify_password
    monkeypatch.setattr(core.passwords, "verify_password", lambda h, p: checked.append(h) or real_verify(h, p))
    result = core.sign_in(core.UsersFile(), "nobody", PW, client=None, guard=guard)
    assert (result.reason, result.retry_after) == ("unknown_user", 1)
    assert len(checked) == 1, "a hash is verified even for an unknown name (same time as a wrong password)"


def test_old_hash_parameters_are_upgraded_on_sign_in(monkeypatch) -> None:
    monkeypatch.setattr(core.passwords, "HASHER", CHEAP_HASHER)
    users = core.new_user(core.UsersFile(), "li", role="viewer", scope=PROVINCE_CODE, password=PW)
    monkeypatch.setattr(core.passwords, "HASHER", core.PasswordHasher())  # today's profile
    result = core.sign_in(users, "li", PW, client=None, guard=core.SignInGuard())
    assert result.reason == "ok" and result.new_hash is not None and "m=65536" in result.new_hash
    assert "new_hash" not in repr(result) or result.new_hash not in repr(result)


# ---------------------------------------------------------------- the local demo mode


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("", False),
        (None, False),
        ("0.0.0.0", False),  # noqa: S104 - the case under test
        ("::", False),
        ("10.1.2.3", False),
        ("fpa.intranet", False),
    ],
)
def test_loopback_addresses(address: str | None, loopback: bool) -> None:
    assert core.is_loopback(address) is loopback


def test_open_demo_needs_the_explicit_setting() -> None:
    assert not core.open_demo_allowed({})
    assert not core.open_demo_allowed({"FPA_ALLOW_OPEN_DEMO": "true"})
    assert core.open_demo_allowed({"FPA_ALLOW_OPEN_DEMO": "1"})


# ---------------------------------------------------------------- OIDC


MAPPING = core.OidcMapping(
    enabled=True,
    name_claim="preferred_username",
    roles_claim="groups",
    rules=(
        core.OidcRule("fpa-leaders", "viewer", "430000"),
        core.OidcRule("fpa-analysts-changsha", "analyst", "430100"),
        core.OidcRule("fpa-analysts-zhuzhou", "analyst", "430200"),
        core.OidcRule("fpa-analysts-province", "analyst", "430000"),
        core.OidcRule("fpa-admins", "admin", "430000"),
    ),
)


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (["fpa-leaders"], ("viewer", "430000")),
        ("fpa-analysts-changsha", ("analyst", "430100")),  # one text instead of a list
        (["fpa-leaders", "fpa-analysts-changsha"], ("analyst", "430100")),  # the higher role wins
        (["fpa-analysts-changsha", "fpa-analysts-province"], ("analyst", "430000")),  # the province wins
        (["fpa-analysts-changsha", "fpa-admins"], ("admin", "430000")),
        (["fpa-analysts-changsha", "fpa-analysts-zhuzhou"], None),  # two prefectures: ambiguous, refused
        (["other"], None),
        ([], None),
        (None, None),
    ],
)
def test_oidc_claims_map_to_roles_and_scopes(groups: object, expected: tuple[str, str] | None) -> None:
    claims = {"preferred_username": "li.si", "name": "李四", "groups": groups}
    user = core.user_from_claims(claims, MAPPING)
    if expected is None:
        assert user is None
    else:
        assert user is not None and (user.role, user.scope) == expected
        assert (user.name, user.display_name, user.via) == ("li.si", "李四", "oidc")


def test_oidc_needs_a_name() -> None:
    assert core.user_from_claims({"groups": ["fpa-admins"]}, MAPPING) is None


def test_oidc_section_round_trips_and_switches_the_mode(tmp_path: Path, cheap: None) -> None:
    path = tmp_path / "users.json"
    core.save_users(path, core.UsersFile(oidc=MAPPING))
    loaded = core.load_users(path)
    assert loaded.oidc == MAPPING and core.mode(loaded) == "oidc"


# ---------------------------------------------------------------- the command line


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys, *args: str, stdin: str = "") -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = core.main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_command_line_manages_users_and_never_prints_a_secret(tmp_path: Path, monkeypatch, capsys, cheap) -> None:
    root = tmp_path / "data"
    monkeypatch.setenv("FPA_DATA_DIR", str(root))
    users = tmp_path / "etc" / "users.json"
    monkeypatch.setenv("FPA_USERS_FILE", str(users))
    printed = []
    code, out = run_cli(
        monkeypatch,
        capsys,
        "add",
        "Zhang",
        "--role",
        "analyst",
        "--scope",
        "430100",
        "--display-name",
        "张三",
        "--password-stdin",
        stdin=PW + "\n",
    )
    assert code == 0, out
    printed.append(out)
    code, out = run_cli(monkeypatch, capsys, "add", "li", "--role", "admin", "--password-stdin", stdin=PW + "\n")
    assert code == 0, out
    printed.append(out)
    code, out = run_cli(monkeypatch, capsys, "passwd", "zhang", "--password-stdin", stdin="another good one\n")
    assert code == 0, out
    printed.append(out)
    code, out = run_cli(monkeypatch, capsys, "list")
    assert code == 0 and out.splitlines()[0].startswith("li\tadmin\t430000") and "zhang\tanalyst\t430100\t张三" in out
    printed.append(out)
    code, out = run_cli(monkeypatch, capsys, "change", "zhang", "--scope", "430200")
    assert code == 0 and core.load_users(users).get("zhang").scope == "430200"
    code, out = run_cli(monkeypatch, capsys, "add", "wang", "--role", "viewer", "--password-stdin", stdin="Sh0rt!pw\n")
    assert code == 2 and "too short" in out
    printed.append(out)
    code, out = run_cli(monkeypatch, capsys, "add", "x", "--role", "viewer", "--password-stdin", stdin=PW + "\n")
    assert code == 2 and "user name" in out
    code, out = run_cli(monkeypatch, capsys, "remove", "zhang")
    assert code == 0 and core.load_users(users).get("zhang") is None
    code, out = run_cli(monkeypatch, capsys, "passwd", "nobody", "--password-stdin", stdin=PW + "\n")
    assert code == 2 and "no user named 'nobody'" in out

    everything = "\n".join(printed)
    for secret in (PW, "another good one", "Sh0rt!pw", "$argon2"):
        assert secret not in everything
    log = audit.read(root)
    assert list(log["event"]) == ["user_added", "user_added", "password_set", "user_changed", "user_removed"]
    assert all(u.startswith("cli") for u in log["user"])
    assert not log["detail"].str.contains("argon2|good one|" + PW).any()


def test_the_last_user_is_removed_only_when_asked(tmp_path: Path, monkeypatch, capsys, cheap) -> None:
    """Removing the last user puts the app in the local demo mode: the command line says so and
    needs --allow-empty; the users page (which never removes the signed-in admin) cannot."""
    monkeypatch.setenv("FPA_DATA_DIR", str(tmp_path / "data"))
    users = tmp_path / "etc" / "users.json"
    core.save_users(users, core.new_user(core.UsersFile(), "li", role="admin", scope=PROVINCE_CODE, password=PW))
    before = users.read_bytes()
    code, out = run_cli(monkeypatch, capsys, "--file", str(users), "remove", "li")
    assert code == 2
    assert "li is the last user: without users the app falls back to the local demo mode" in out
    assert "--allow-empty" in out
    assert users.read_bytes() == before, "refused: the file is unchanged"
    with pytest.raises(core.AuthError, match="last user"):
        core.remove_user(core.load_users(users), "li")
    code, out = run_cli(monkeypatch, capsys, "--file", str(users), "remove", "li", "--allow-empty")
    assert code == 0 and "removed li" in out and "local demo mode" in out
    assert core.load_users(users) == core.UsersFile()
    # with OIDC on, the last password user is not the last way in: no flag needed
    oidc = core.UsersFile(oidc=core.OidcMapping(enabled=True))
    one = core.new_user(oidc, "wang", role="viewer", scope=PROVINCE_CODE, password=PW)
    assert core.remove_user(one, "wang").users == ()


def test_command_line_names_a_folder_given_as_the_users_file(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("FPA_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "etc").mkdir()
    code, out = run_cli(monkeypatch, capsys, "--file", str(tmp_path / "etc"), "list")
    assert code == 2 and f"{tmp_path / 'etc'}, which is a folder" in out


def test_command_line_refuses_a_users_file_in_the_data_folder(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("FPA_DATA_DIR", str(tmp_path))
    code, out = run_cli(monkeypatch, capsys, "--file", str(tmp_path / "users.json"), "list")
    assert code == 2 and "inside the data folder" in out


def test_command_line_needs_a_users_file(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("FPA_USERS_FILE", raising=False)
    code, out = run_cli(monkeypatch, capsys, "list")
    assert code == 2 and "FPA_USERS_FILE" in out
