"""Who may sign in, with which role and scope: the users file, password hashes, roles, scopes,
session lifetimes, the slowing-down of failed sign-ins, and the OIDC claim mapping.

Pure Python (no Streamlit): ``ui/auth.py`` draws the sign-in form and keeps the session on
top of this module, and ``python -m analytics.auth`` manages the users file::

    FPA_USERS_FILE=/etc/fpa/users.json python -m analytics.auth add zhang --role analyst --scope 430100
    python -m analytics.auth passwd zhang          # asks for the new password twice
    python -m analytics.auth list
    python -m analytics.auth remove zhang

The users file is JSON, outside the data folder, written atomically with mode 0600. It holds
one record per user (name, display name, role, scope, an argon2id hash of the password,
when it was created and changed) and optionally an ``oidc`` section (see docs/security.md).
Nothing here prints, logs or returns a password, and a hash never leaves this module's
records (their ``repr`` omits it).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import getpass
import ipaddress
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final, Literal

# argon2-cffi: argon2id is what OWASP and RFC 9106 recommend first for password storage,
# it has no 72-byte input limit (bcrypt has), and the library is maintained by the
# authors of attrs/structlog with regular releases. Its defaults are RFC 9106's
# low-memory profile (t=3, m=64 MiB, p=4).
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

try:  # a lock around read-modify-write of the users file (POSIX; on Windows writes stay atomic, unlocked)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

USERS_FILE_ENV: Final = "FPA_USERS_FILE"
ALLOW_OPEN_DEMO_ENV: Final = "FPA_ALLOW_OPEN_DEMO"
TRUSTED_PROXIES_ENV: Final = "FPA_TRUSTED_PROXIES"
IDLE_ENV: Final = "FPA_SESSION_IDLE_MINUTES"
LIFETIME_ENV: Final = "FPA_SESSION_MAX_HOURS"

ROLES: Final = ("viewer", "analyst", "admin")
_RANK: Final = {role: i for i, role in enumerate(ROLES)}
# the province, the same code as analytics.queries.PROVINCE_CODE (not imported: this module
# stays light for the command line)
PROVINCE_SCOPE: Final = "430000"
_PREFECTURE = re.compile(r"^43(0[1-9]|[1-9]\d)00$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD: Final = 10
MAX_PASSWORD: Final = 1024  # hashing is slow on purpose: bound what an attacker may make us hash

Mode = Literal["demo", "password", "oidc"]

HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified when the name is unknown, so an unknown name takes as long as a wrong password
    (made on first use: hashing takes a good part of a second)."""
    return HASHER.hash("not a password of anyone: timing equaliser")


class AuthError(ValueError):
    """A bad users file, name, role, scope or password: the message says which, never the secret."""


# ---------------------------------------------------------------- roles and scopes


def check_role(role: str) -> str:
    if role not in _RANK:
        raise AuthError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def role_allows(role: str, min_role: str) -> bool:
    """Whether ``role`` reaches ``min_role`` (viewer < analyst < admin). Unknown roles reach nothing."""
    return role in _RANK and _RANK[role] >= _RANK[check_role(min_role)]


def check_scope(scope: str) -> str:
    """The province (430000) or one prefecture (43xx00)."""
    if scope != PROVINCE_SCOPE and not _PREFECTURE.match(scope):
        raise AuthError(
            f"scope must be {PROVINCE_SCOPE} (the province) or a prefecture code like 430100, not {scope!r}"
        )
    return scope


def scope_allows(scope: str, prefecture_code: str | None) -> bool:
    """Whether a user of ``scope`` may import or correct a row of ``prefecture_code``.

    The province's scope allows every row; a prefecture's only its own. A row without a
    prefecture (the province's own figures) belongs to the province's scope only.
    """
    return scope == PROVINCE_SCOPE or (prefecture_code is not None and prefecture_code == scope)


def rows_outside_scope(prefecture_codes: Sequence[str | None], scope: str) -> list[int]:
    """Positions of the rows a user of ``scope`` may not import (empty: all allowed)."""
    return [i for i, code in enumerate(prefecture_codes) if not scope_allows(scope, code)]


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise AuthError(
            "a user name is 2-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return name


def password_problem(password: str, name: str) -> str | None:
    """Why a new password is not accepted (a short key for the UI), or None."""
    if len(password) < MIN_PASSWORD:
        return "too_short"
    if len(password) > MAX_PASSWORD:
        return "too_long"
    if password.strip().lower() == name.lower():
        return "same_as_name"
    return None


# ---------------------------------------------------------------- users and the users file


@dataclass(frozen=True)
class User:
    """Who is signed in, as pages see it: no secret here."""

    name: str
    display_name: str
    role: str
    scope: str
    via: Literal["password", "oidc", "demo"] = "password"

    @property
    def demo(self) -> bool:
        return self.via == "demo"

    def allows(self, min_role: str) -> bool:
        return role_allows(self.role, min_role)


# in the local demo mode: one user with every role, for this machine only
DEMO_USER: Final = User(name="local", display_name="local", role="admin", scope=PROVINCE_SCOPE, via="demo")


@dataclass(frozen=True)
class UserRecord:
    name: str
    display_name: str
    role: str
    scope: str
    password_hash: str = field(repr=False)  # never in a repr, a log line or an exception
    created: str = ""
    updated: str = ""
    password_set: str = ""  # when the password last changed: sessions signed in before it end

    def user(self) -> User:
        return User(self.name, self.display_name or self.name, self.role, self.scope, "password")

    def public(self) -> dict[str, str]:
        """The record without its hash (for lists, pages and the audit log)."""
        return {
            "name": self.name,
            "display_name": self.display_name,
            "role": self.role,
            "scope": self.scope,
            "created": self.created,
            "updated": self.updated,
            "password_set": self.password_set,
        }


@dataclass(frozen=True)
class OidcRule:
    """Who holds ``value`` in the roles claim gets ``role`` over ``scope``."""

    value: str
    role: str
    scope: str


@dataclass(frozen=True)
class OidcMapping:
    enabled: bool = False
    provider: str | None = None  # the [auth.<provider>] section of secrets.toml; None: the [auth] section itself
    name_claim: str = "email"
    display_name_claim: str = "name"
    roles_claim: str = "groups"
    rules: tuple[OidcRule, ...] = ()


@dataclass(frozen=True)
class UsersFile:
    users: tuple[UserRecord, ...] = ()
    oidc: OidcMapping = OidcMapping()

    def get(self, name: str) -> UserRecord | None:
        wanted = name.strip().lower()
        return next((u for u in self.users if u.name == wanted), None)

    def with_user(self, record: UserRecord) -> UsersFile:
        others = tuple(u for u in self.users if u.name != record.name)
        return replace(self, users=tuple(sorted((*others, record), key=lambda u: u.name)))

    def without(self, name: str) -> UsersFile:
        return replace(self, users=tuple(u for u in self.users if u.name != name))

    def admins(self) -> list[str]:
        return [u.name for u in self.users if u.role == "admin"]


def users_file_from_env(env: Mapping[str, str] | None = None) -> Path | None:
    value = (os.environ if env is None else env).get(USERS_FILE_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def check_users_file_location(users_path: Path, data_root: Path) -> None:
    """The users file must not sit in the data folder: that folder is copied, published and
    backed up with the data, and an import writes into it."""
    path, root = users_path.expanduser().resolve(), data_root.expanduser().resolve()
    if path == root or root in path.parents:
        raise AuthError(
            f"the users file {path} is inside the data folder {root}: keep it outside (see docs/security.md)"
        )


def mode(users: UsersFile) -> Mode:
    """OIDC when the users file enables it; passwords when it has users; else the local demo mode."""
    if users.oidc.enabled:
        return "oidc"
    return "password" if users.users else "demo"


def _record_from_json(name: str, raw: Mapping[str, object]) -> UserRecord:
    def text(key: str) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise AuthError(f"users file: user {name!r}: {key} must be text")
        return value

    record = UserRecord(
        name=check_name(name),
        display_name=text("display_name"),
        role=check_role(text("role")),
        scope=check_scope(text("scope")),
        password_hash=text("password_hash"),
        created=text("created"),
        updated=text("updated"),
        password_set=text("password_set"),
    )
    if not record.password_hash.startswith("$argon2"):
        raise AuthError(f"users file: user {name!r} has no argon2 password hash: set one with `passwd`")
    return record


def _oidc_from_json(raw: object) -> OidcMapping:
    if raw is None:
        return OidcMapping()
    if not isinstance(raw, dict):
        raise AuthError("users file: 'oidc' must be an object")
    rules = []
    for i, rule in enumerate(raw.get("rules", [])):
        if not isinstance(rule, dict) or not isinstance(rule.get("value"), str):
            raise AuthError(f"users file: oidc rule {i + 1} needs a 'value' (a group or role name)")
        rules.append(
            OidcRule(
                value=rule["value"],
                role=check_role(str(rule.get("role", ""))),
                scope=check_scope(str(rule.get("scope", ""))),
            )
        )
    provider = raw.get("provider")
    return OidcMapping(
        enabled=bool(raw.get("enabled", False)),
        provider=str(provider) if provider else None,
        name_claim=str(raw.get("name_claim", "email")),
        display_name_claim=str(raw.get("display_name_claim", "name")),
        roles_claim=str(raw.get("roles_claim", "groups")),
        rules=tuple(rules),
    )


def load_users(path: Path, *, empty_ok: bool = True) -> UsersFile:
    """The users file's content; a missing file has no users. An empty file (0 bytes or blanks)
    has no users for the command line (``add`` may start from ``touch users.json``); the app
    passes ``empty_ok=False``: a file someone emptied by hand is a configuration error there, not
    a quiet switch to the demo mode (docs/security.md)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return UsersFile()
    except IsADirectoryError:
        raise AuthError(
            f"{USERS_FILE_ENV} names {path}, which is a folder: name the users file itself, e.g. {path / 'users.json'}"
        ) from None
    except PermissionError:
        raise AuthError(
            f"users file {path}: not readable by this system user (run the app as the file's owner)"
        ) from None
    except UnicodeDecodeError:
        raise AuthError(f"users file {path}: not UTF-8 text") from None
    if not text.strip():
        if empty_ok:
            return UsersFile()
        raise AuthError(
            f"users file {path} is empty: add a user with `python -m analytics.auth add`, or unset"
            f" {USERS_FILE_ENV} for the local demo mode"
        )
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        # the message names the place, not the content (which holds hashes)
        raise AuthError(f"users file {path}: not valid JSON (line {error.lineno}, column {error.colno})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("users", {}), dict):
        raise AuthError(f"users file {path}: expected an object with a 'users' object")
    users = tuple(sorted((_record_from_json(n, r) for n, r in raw.get("users", {}).items()), key=lambda u: u.name))
    return UsersFile(users=users, oidc=_oidc_from_json(raw.get("oidc")))


def _to_json(users: UsersFile) -> str:
    out: dict[str, object] = {
        "format": 1,
        "users": {
            u.name: {**{k: v for k, v in u.public().items() if k != "name"}, "password_hash": u.password_hash}
            for u in users.users
        },
    }
    o = users.oidc
    if o != OidcMapping():
        out["oidc"] = {
            "enabled": o.enabled,
            "provider": o.provider,
            "name_claim": o.name_claim,
            "display_name_claim": o.display_name_claim,
            "roles_claim": o.roles_claim,
            "rules": [{"value": r.value, "role": r.role, "scope": r.scope} for r in o.rules],
        }
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def save_users(path: Path, users: UsersFile) -> None:
    """Write the users file atomically (a temporary file in the same folder, then os.replace),
    readable by its owner only (0600): a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes it 0600 already; say so where it matters
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_to_json(users))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock beside the users file while it is read, changed and written
    (the command line and the admin page may change it at the same time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".{path.name}.lock")
    with open(lock, "a", encoding="utf-8") as fh:
        os.chmod(lock, 0o600)
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def update_users(path: Path, change: Callable[[UsersFile], UsersFile]) -> UsersFile:
    """Read, change and write the users file under its lock; return what was written."""
    with _locked(path):
        new = change(load_users(path))
        save_users(path, new)
        return new


def _now_text(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")


def hash_password(password: str) -> str:
    if len(password) > MAX_PASSWORD:
        raise AuthError("password too long")
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for a malformed hash, never an exception
    that could carry either)."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_user(users: UsersFile, name: str, *, role: str, scope: str, password: str, display_name: str = "") -> UsersFile:
    name = check_name(name.strip().lower())
    if users.get(name) is not None:
        raise AuthError(f"user {name!r} exists already: use `passwd` or `change`")
    problem = password_problem(password, name)
    if problem:
        raise AuthError(f"password not accepted: {problem.replace('_', ' ')} (at least {MIN_PASSWORD} characters)")
    now = _now_text()
    return users.with_user(
        UserRecord(
            name=name,
            display_name=display_name.strip() or name,
            role=check_role(role),
            scope=check_scope(scope),
            password_hash=hash_password(password),
            created=now,
            updated=now,
            password_set=now,
        )
    )


def set_password(users: UsersFile, name: str, password: str) -> UsersFile:
    record = _existing(users, name)
    problem = password_problem(password, record.name)
    if problem:
        raise AuthError(f"password not accepted: {problem.replace('_', ' ')} (at least {MIN_PASSWORD} characters)")
    now = _now_text()
    return users.with_user(replace(record, password_hash=hash_password(password), updated=now, password_set=now))


def rehash(users: UsersFile, name: str, new_hash: str, *, password_set: str) -> UsersFile:
    """The same password under a hash with today's parameters; unchanged if the password was set
    again meanwhile (``password_set`` differs), so a newer password is never overwritten."""
    record = _existing(users, name)
    if record.password_set != password_set or not new_hash.startswith("$argon2"):
        return users
    return users.with_user(replace(record, password_hash=new_hash))


def change_user(
    users: UsersFile, name: str, *, role: str | None = None, scope: str | None = None, display_name: str | None = None
) -> UsersFile:
    record = _existing(users, name)
    changed = replace(
        record,
        role=check_role(role) if role is not None else record.role,
        scope=check_scope(scope) if scope is not None else record.scope,
        display_name=display_name.strip() if display_name else record.display_name,
    )
    if changed.role != "admin" and record.role == "admin" and users.admins() == [record.name]:
        raise AuthError("the last admin keeps the admin role: make another admin first")
    return users.with_user(replace(changed, updated=_now_text()))


def remove_user(users: UsersFile, name: str, *, allow_empty: bool = False) -> UsersFile:
    """Remove ``name``. Never the last admin while others remain; the very last user only with
    ``allow_empty``: a file without users (and without OIDC) puts the app in the local demo mode."""
    record = _existing(users, name)
    if record.role == "admin" and users.admins() == [record.name] and len(users.users) > 1:
        raise AuthError("the last admin cannot be removed while other users exist")
    if len(users.users) == 1 and not users.oidc.enabled and not allow_empty:
        raise AuthError(
            f"{record.name} is the last user: without users the app falls back to the local demo mode"
            " (no sign-in, every role, served only to this machine). Pass --allow-empty to do that."
        )
    return users.without(record.name)


def _existing(users: UsersFile, name: str) -> UserRecord:
    record = users.get(name)
    if record is None:
        raise AuthError(f"no user named {name.strip().lower()!r}")
    return record


# ---------------------------------------------------------------- sessions


@dataclass(frozen=True)
class SessionSettings:
    idle: dt.timedelta
    lifetime: dt.timedelta


def session_settings(env: Mapping[str, str] | None = None) -> SessionSettings:
    """How long a session lasts: 30 minutes without activity, 12 hours at most (one place to change;
    ``FPA_SESSION_IDLE_MINUTES`` and ``FPA_SESSION_MAX_HOURS`` override, e.g. for tests)."""
    env = os.environ if env is None else env
    idle = float(env.get(IDLE_ENV, "") or 30)
    lifetime = float(env.get(LIFETIME_ENV, "") or 12)
    if idle <= 0 or lifetime <= 0:
        raise AuthError(f"{IDLE_ENV} and {LIFETIME_ENV} must be positive")
    return SessionSettings(idle=dt.timedelta(minutes=idle), lifetime=dt.timedelta(hours=lifetime))


@dataclass(frozen=True)
class Session:
    """A signed-in session, kept server-side in the Streamlit session (never sent to the browser)."""

    name: str
    signed_in_at: float  # seconds since the epoch
    last_seen: float
    password_set: str  # the record's password_set at sign-in: a later change ends the session


def session_end(
    session: Session, record: UserRecord | None, now: float, settings: SessionSettings
) -> Literal["idle", "lifetime", "account_changed"] | None:
    """Why the session is over at ``now``, or None while it lasts."""
    if record is None or record.password_set != session.password_set:
        return "account_changed"
    if now - session.signed_in_at >= settings.lifetime.total_seconds():
        return "lifetime"
    if now - session.last_seen >= settings.idle.total_seconds():
        return "idle"
    return None


# ---------------------------------------------------------------- failed sign-ins are slowed down


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    locked_until: float = 0.0
    noted: bool = False  # a rejected attempt during this lock has been reported already


class RateLimiter:
    """Exponential lock-outs after failures, per key (a user name, a client address).

    After ``free`` failures, each further failure locks the key for ``base * 2**(n-1)``
    seconds (1, 2, 4 … by default), at most ``cap``; while locked, an attempt is rejected
    before the password is even checked. ``forget`` seconds after the last failure the key
    starts afresh. Thread-safe: one limiter serves every session of the server.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        base: float = 1.0,
        cap: float = 30.0,
        free: int = 0,
        forget: float = 900.0,
    ) -> None:
        self._clock = clock
        self._base, self._cap, self._free, self._forget = base, cap, free, forget
        self._entries: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def _entry(self, key: str, now: float) -> _Failures | None:
        entry = self._entries.get(key)
        if entry is not None and now - entry.last >= self._forget and now >= entry.locked_until:
            del self._entries[key]
            return None
        return entry

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may try again (0: now)."""
        with self._lock:
            now = self._clock()
            entry = self._entry(key, now)
            return max(0.0, entry.locked_until - now) if entry else 0.0

    def note_rejection(self, key: str) -> bool:
        """True the first time an attempt is rejected during the current lock (to report it once)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.noted:
                return False
            entry.noted = True
            return True

    def failed(self, key: str) -> float:
        """Count a failure; return how long ``key`` is now locked."""
        with self._lock:
            now = self._clock()
            entry = self._entry(key, now) or self._entries.setdefault(key, _Failures())
            entry.count += 1
            entry.last = now
            over = entry.count - self._free
            delay = min(self._cap, self._base * 2 ** (over - 1)) if over > 0 else 0.0
            entry.locked_until = now + delay
            entry.noted = False
            if len(self._entries) > 10_000:  # bounded memory under a spray of names
                self._prune(now)
            return delay

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()

    def _prune(self, now: float) -> None:
        for key in [k for k, e in self._entries.items() if now >= e.locked_until and now - e.last >= self._forget]:
            del self._entries[key]


@dataclass
class SignInGuard:
    """The two limiters the sign-in form uses: per user name from the first failure, and per
    client address after 10 (several people may share an address behind a proxy)."""

    by_name: RateLimiter = field(default_factory=RateLimiter)
    by_client: RateLimiter = field(default_factory=lambda: RateLimiter(free=10))

    def reset(self) -> None:
        self.by_name.reset()
        self.by_client.reset()


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    reason: Literal["ok", "bad_credentials", "unknown_user", "locked"]
    retry_after: float = 0.0  # seconds, when locked
    report_lock: bool = False  # the first rejection of this lock (audit it; later ones are not)
    new_hash: str | None = field(default=None, repr=False)  # the hash's parameters were old: store this one


def sign_in(users: UsersFile, name: str, password: str, *, client: str | None, guard: SignInGuard) -> SignInResult:
    """Check a sign-in attempt. While the name or the client is locked the attempt is rejected
    without looking at the password; an unknown name costs as much time as a wrong password."""
    key = name.strip().lower()
    waits = [guard.by_name.wait(f"name:{key}")]
    if client:
        waits.append(guard.by_client.wait(f"client:{client}"))
    if max(waits) > 0:
        noted = guard.by_name.note_rejection(f"name:{key}") if waits[0] > 0 else False
        if client and waits[-1] > 0:
            noted = guard.by_client.note_rejection(f"client:{client}") or noted
        return SignInResult(None, "locked", retry_after=max(waits), report_lock=noted)
    record = users.get(key) if _NAME.match(key) else None
    ok = verify_password(record.password_hash if record else _dummy_hash(), password) and record is not None
    if not ok or record is None:
        delay = guard.by_name.failed(f"name:{key}")
        if client:
            delay = max(delay, guard.by_client.failed(f"client:{client}"))
        return SignInResult(None, "unknown_user" if record is None else "bad_credentials", retry_after=delay)
    guard.by_name.succeeded(f"name:{key}")
    if client:
        guard.by_client.succeeded(f"client:{client}")
    new_hash = HASHER.hash(password) if HASHER.check_needs_rehash(record.password_hash) else None
    return SignInResult(record.user(), "ok", new_hash=new_hash)


# ---------------------------------------------------------------- the local demo mode and the client's address


def is_loopback(address: str | None) -> bool:
    """Whether an address is on this machine only (127.0.0.0/8, ::1, localhost). An empty address
    means every interface (Streamlit's default server address), so it is not loopback."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: it may resolve to anything


def open_demo_allowed(env: Mapping[str, str] | None = None) -> bool:
    return (os.environ if env is None else env).get(ALLOW_OPEN_DEMO_ENV, "") == "1"


Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Headers a proxy adds. Any of them on a request means something stands between the browser and
# the server, whatever the TCP peer looks like (a proxy on this machine connects from loopback).
PROXY_HEADERS: Final = ("x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host", "x-forwarded-proto", "via")
# What uvicorn (Streamlit's server since 1.5x) trusts X-Forwarded-For from before our code runs:
# it puts the forwarded address in place of the peer's (env FORWARDED_ALLOW_IPS, else loopback).
_SERVER_TRUSTS_ENV: Final = "FORWARDED_ALLOW_IPS"
_SERVER_TRUSTS_DEFAULT: Final = "127.0.0.1,::1"
# the key of every request forwarded by a proxy we were not told to trust: one lockout for all of
# them (not rotatable through a header), and what the audit log names as the client
UNTRUSTED_PROXY: Final = "untrusted-proxy"


def trusted_proxies(env: Mapping[str, str] | None = None) -> tuple[Network, ...]:
    """The reverse proxies whose X-Forwarded-For is believed: ``FPA_TRUSTED_PROXIES``, addresses or
    networks separated by commas (``127.0.0.1,::1``, ``10.0.0.0/24``). Unset: none, and forwarded
    headers are never believed. A bad entry is an error naming it (the app then shows no pages)."""
    value = (os.environ if env is None else env).get(TRUSTED_PROXIES_ENV, "")
    out: list[Network] = []
    for entry in (e.strip() for e in value.split(",")):
        if not entry:
            continue
        try:
            out.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            raise AuthError(
                f"{TRUSTED_PROXIES_ENV}: {entry!r} is not an IP address or network (e.g. 127.0.0.1,::1 or 10.0.0.0/24)"
            ) from None
    return tuple(out)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as a proxy writes it ("1.2.3.4", "1.2.3.4:5678", "[::1]:80", "::1"), or None."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has two colons or more
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # an IPv4 address written as IPv6 (::ffff:1.2.3.4) is that IPv4 address
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped if mapped is not None else address


def _within(text: str | None, networks: Sequence[Network]) -> bool:
    if text is None:  # Streamlit reports 127.0.0.1 and ::1 as None
        return any(_ip(a) in n for a in ("127.0.0.1", "::1") for n in networks)
    address = _ip(text)
    return address is not None and any(address in n for n in networks)


@dataclass(frozen=True)
class Client:
    """Who a request is from, as far as the server can tell.

    ``address`` is what the audit log records and the per-address lockout counts (None: this
    machine, as Streamlit reports a loopback peer); ``local`` is whether the request really
    comes from this machine, which is what the local demo mode serves; ``why`` says how it was
    decided (for the refusal's message and the tests).
    """

    address: str | None
    local: bool
    why: Literal["direct", "trusted_proxy", "untrusted_proxy", "proxy_without_client"]


def resolve_client(
    peer: str | None,
    headers: Sequence[tuple[str, str]],
    trusted: Sequence[Network] = (),
    *,
    server_trusts: Sequence[Network] | None = None,
) -> Client:
    """Decide who a request is from: ``peer`` is the address Streamlit reports
    (``st.context.ip_address``, None for loopback), ``headers`` the request's headers (every
    value of a repeated one), ``trusted`` the configured proxies (:func:`trusted_proxies`).

    * No proxy header: the peer is the client; local when it is loopback.
    * Proxy headers but no trusted proxy configured: X-Forwarded-For is ignored. The client is
      never local (a proxy on this machine forwards strangers), and when the reported peer may be
      one the server took from X-Forwarded-For (see below) every such request shares one key
      (``UNTRUSTED_PROXY``), so a header cannot pick a fresh lockout per attempt.
    * Trusted proxies configured and the peer one of them: the client is the right-most address
      of X-Forwarded-For that is not a trusted proxy (every hop trusted: the left-most); local
      only when that address is loopback. A proxy header without X-Forwarded-For names nobody:
      not local.

    uvicorn, under Streamlit, already replaces the peer with an X-Forwarded-For address when the
    peer is in ``server_trusts`` (``FORWARDED_ALLOW_IPS``, default loopback). The peer we see is
    then one of the forwarded addresses and the real peer was one of ``server_trusts``: it counts
    as trusted only when every address the server trusts is one of ``trusted`` too.
    """
    names = {name.lower() for name, _ in headers}
    if not names & set(PROXY_HEADERS):
        return Client(peer, peer is None or is_loopback(peer), "direct")
    hops = [
        hop.strip()
        for name, value in headers
        if name.lower() == "x-forwarded-for"
        for hop in value.split(",")
        if hop.strip()
    ]
    if server_trusts is None:
        server_trusts = _server_trusts()
    hop_ips = {_ip(h) for h in hops} - {None}
    reported = _ip(peer) if peer is not None else None
    # the peer uvicorn reports may be a hop it promoted (Streamlit reports a loopback hop as None)
    promoted = bool(hops) and (
        reported in hop_ips if peer is not None else bool(hop_ips & {_ip("127.0.0.1"), _ip("::1")})
    )
    if promoted:
        peer_trusted = bool(trusted) and all(_covered(n, trusted) for n in server_trusts)
    else:
        peer_trusted = _within(peer, trusted)
    if not peer_trusted:
        # a real remote peer keeps its own key; a loopback or promoted one stands for the proxy
        return Client(peer if peer is not None and not promoted else UNTRUSTED_PROXY, False, "untrusted_proxy")
    if not hops:
        return Client(peer if peer is not None else UNTRUSTED_PROXY, False, "proxy_without_client")
    client = next((h for h in reversed(hops) if not _within(h, trusted)), hops[0])
    address = _ip(client)
    text = str(address) if address is not None else client[:64]  # not an address: kept short for the log
    return Client(text, address is not None and address.is_loopback, "trusted_proxy")


def _covered(network: Network, trusted: Sequence[Network]) -> bool:
    return any(network.version == t.version and network.subnet_of(t) for t in trusted)  # type: ignore[arg-type]


def _server_trusts(env: Mapping[str, str] | None = None) -> tuple[Network, ...]:
    value = (os.environ if env is None else env).get(_SERVER_TRUSTS_ENV, _SERVER_TRUSTS_DEFAULT)
    out: list[Network] = []
    for entry in (e.strip() for e in value.split(",")):
        if entry == "*":  # the server believes anyone: nobody's forwarded address can be checked
            return (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
        with contextlib.suppress(ValueError):  # a unix socket path or a host name: not an address
            out.append(ipaddress.ip_network(entry, strict=False))
    return tuple(out)


# ---------------------------------------------------------------- OIDC


def user_from_claims(claims: Mapping[str, object], mapping: OidcMapping) -> User | None:
    """The user an identity provider's claims make, or None when no rule gives them a role.

    Every rule whose ``value`` is in the roles claim (a list of groups, or one text) matches;
    the highest role wins, and at that role the province's scope wins over a prefecture's.
    Two different prefectures at the highest role are ambiguous: refused (None), not guessed.
    """
    name = claims.get(mapping.name_claim)
    if not isinstance(name, str) or not name.strip():
        return None
    held = claims.get(mapping.roles_claim)
    values: set[str] = (
        {held} if isinstance(held, str) else {str(v) for v in held} if isinstance(held, list | tuple) else set()
    )
    matched = [r for r in mapping.rules if r.value in values]
    if not matched:
        return None
    top = max(_RANK[r.role] for r in matched)
    scopes = {r.scope for r in matched if _RANK[r.role] == top}
    if PROVINCE_SCOPE in scopes:
        scope = PROVINCE_SCOPE
    elif len(scopes) == 1:
        scope = scopes.pop()
    else:
        return None
    display = claims.get(mapping.display_name_claim)
    return User(
        name=name.strip(),
        display_name=display.strip() if isinstance(display, str) and display.strip() else name.strip(),
        role=ROLES[top],
        scope=scope,
        via="oidc",
    )


# ---------------------------------------------------------------- command line


def _read_password(args: argparse.Namespace, name: str) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass(f"New password for {name}: ")
    if getpass.getpass("Again: ") != first:
        raise AuthError("the two passwords differ")
    return first


def _users_path(args: argparse.Namespace) -> Path:
    path = Path(args.file).expanduser().resolve() if args.file else users_file_from_env()
    if path is None:
        raise AuthError(f"no users file: set {USERS_FILE_ENV} or pass --file")
    from analytics.db import data_dir_from_env  # imported late: duckdb is slow to import

    check_users_file_location(path, data_dir_from_env())
    return path


def _audit(event: str, detail: Mapping[str, object]) -> None:
    from analytics import audit
    from analytics.db import data_dir_from_env

    try:
        actor = f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        actor = "cli"
    audit.record(data_dir_from_env(), event, actor, detail)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.auth", description="Manage the dashboard's users file.")
    parser.add_argument("--file", help=f"the users file (default: ${USERS_FILE_ENV})")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a user and set their password")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--scope", default=PROVINCE_SCOPE, help="430000 (the province) or a prefecture code")
    add.add_argument("--display-name", default="")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    pw = sub.add_parser("passwd", help="set a user's password")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    ch = sub.add_parser("change", help="change a user's role, scope or display name")
    ch.add_argument("name")
    ch.add_argument("--role", choices=ROLES)
    ch.add_argument("--scope")
    ch.add_argument("--display-name")
    sub.add_parser("list", help="list the users (never their hashes)")
    rm = sub.add_parser("remove", help="remove a user")
    rm.add_argument("name")
    rm.add_argument(
        "--allow-empty",
        action="store_true",
        help="allow removing the last user (the app then runs in the local demo mode, for this machine only)",
    )
    args = parser.parse_args(argv)
    try:
        path = _users_path(args)
        if args.command == "list":
            for u in load_users(path).users:
                print(f"{u.name}\t{u.role}\t{u.scope}\t{u.display_name}\tpassword set {u.password_set}")
            return 0
        name = args.name.strip().lower()
        if args.command == "add":
            check_name(name)
            password = _read_password(args, name)
            update_users(
                path,
                lambda u: new_user(
                    u, name, role=args.role, scope=args.scope, password=password, display_name=args.display_name
                ),
            )
            _audit("user_added", {"name": name, "role": args.role, "scope": args.scope})
            print(f"added {name} ({args.role}, {args.scope}) to {path}")
        elif args.command == "passwd":
            _existing(load_users(path), name)
            password = _read_password(args, name)
            update_users(path, lambda u: set_password(u, name, password))
            _audit("password_set", {"name": name})
            print(f"password of {name} set")
        elif args.command == "change":
            update_users(
                path, lambda u: change_user(u, name, role=args.role, scope=args.scope, display_name=args.display_name)
            )
            _audit("user_changed", {"name": name, "role": args.role, "scope": args.scope})
            print(f"changed {name}")
        elif args.command == "remove":
            left = update_users(path, lambda u: remove_user(u, name, allow_empty=args.allow_empty))
            _audit("user_removed", {"name": name})
            print(f"removed {name}")
            if mode(left) == "demo":
                print(
                    f"{path} has no users now: the app runs in the local demo mode (no sign-in, this machine only)"
                    " until a user is added",
                    file=sys.stderr,
                )
    except AuthError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
