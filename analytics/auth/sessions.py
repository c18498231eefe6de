"""How long a signed-in session lasts (idle and total limits, from the environment) and why a
session is over: idle, too old, or its account changed (a new password ends older sessions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from analytics import settings
from analytics.auth.roles import AuthError
from analytics.auth.users import UserRecord

IDLE_ENV: Final = settings.SESSION_IDLE_MINUTES.name
LIFETIME_ENV: Final = settings.SESSION_MAX_HOURS.name


@dataclass(frozen=True)
class SessionSettings:
    idle: dt.timedelta
    lifetime: dt.timedelta


def session_settings(env: Mapping[str, str] | None = None) -> SessionSettings:
    """How long a session lasts: 30 minutes without activity, 12 hours at most (one place to change;
    ``FPA_SESSION_IDLE_MINUTES`` and ``FPA_SESSION_MAX_HOURS`` override, e.g. for tests)."""
    try:
        idle, lifetime = settings.session_idle_minutes(env), settings.session_max_hours(env)
    except settings.SettingError as error:  # the app shows an auth problem and no pages
        raise AuthError(str(error)) from None
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
