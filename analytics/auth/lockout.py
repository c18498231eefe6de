"""Signing in with a password, slowed down after failures: exponential lock-outs per user name
and per client address (RateLimiter, SignInGuard), and sign_in, which checks an attempt.

The password is checked through ``passwords.verify_password`` and ``passwords.HASHER`` (module
attributes, not names imported here) so that replacing them on ``analytics.auth`` reaches sign_in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from analytics.auth import passwords
from analytics.auth.roles import USER_NAME, User
from analytics.auth.users import UsersFile


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
    record = users.get(key) if USER_NAME.match(key) else None
    ok = (
        passwords.verify_password(record.password_hash if record else passwords._dummy_hash(), password)
        and record is not None
    )
    if not ok or record is None:
        delay = guard.by_name.failed(f"name:{key}")
        if client:
            delay = max(delay, guard.by_client.failed(f"client:{client}"))
        return SignInResult(None, "unknown_user" if record is None else "bad_credentials", retry_after=delay)
    guard.by_name.succeeded(f"name:{key}")
    if client:
        guard.by_client.succeeded(f"client:{client}")
    new_hash = passwords.HASHER.hash(password) if passwords.HASHER.check_needs_rehash(record.password_hash) else None
    return SignInResult(record.user(), "ok", new_hash=new_hash)
