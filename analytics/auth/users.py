"""The users file: one record per user (name, display name, role, scope, argon2id hash, dates)
and the optional ``oidc`` section, read and validated, written atomically with mode 0600 under a
lock, and the changes the command line and the admin page make to it (add, set a password,
change, remove), each keeping at least one admin.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final, Literal

from analytics import settings
from analytics.auth.passwords import MIN_PASSWORD, hash_password, password_problem
from analytics.auth.roles import AuthError, User, check_name, check_role, check_scope

try:  # a lock around read-modify-write of the users file (POSIX; on Windows writes stay atomic, unlocked)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

USERS_FILE_ENV: Final = settings.USERS_FILE.name
Mode = Literal["demo", "password", "oidc"]


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
    return settings.users_file(env)


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
    record = existing_user(users, name)
    problem = password_problem(password, record.name)
    if problem:
        raise AuthError(f"password not accepted: {problem.replace('_', ' ')} (at least {MIN_PASSWORD} characters)")
    now = _now_text()
    return users.with_user(replace(record, password_hash=hash_password(password), updated=now, password_set=now))


def rehash(users: UsersFile, name: str, new_hash: str, *, password_set: str) -> UsersFile:
    """The same password under a hash with today's parameters; unchanged if the password was set
    again meanwhile (``password_set`` differs), so a newer password is never overwritten."""
    record = existing_user(users, name)
    if record.password_set != password_set or not new_hash.startswith("$argon2"):
        return users
    return users.with_user(replace(record, password_hash=new_hash))


def change_user(
    users: UsersFile, name: str, *, role: str | None = None, scope: str | None = None, display_name: str | None = None
) -> UsersFile:
    record = existing_user(users, name)
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
    record = existing_user(users, name)
    if record.role == "admin" and users.admins() == [record.name] and len(users.users) > 1:
        raise AuthError("the last admin cannot be removed while other users exist")
    if len(users.users) == 1 and not users.oidc.enabled and not allow_empty:
        raise AuthError(
            f"{record.name} is the last user: without users the app falls back to the local demo mode"
            " (no sign-in, every role, served only to this machine). Pass --allow-empty to do that."
        )
    return users.without(record.name)


def existing_user(users: UsersFile, name: str) -> UserRecord:
    record = users.get(name)
    if record is None:
        raise AuthError(f"no user named {name.strip().lower()!r}")
    return record
