"""The users page (用户与审计) as data: the users file's people (never a password hash) and the
audit log table for its filters.

``view(con, filters, …)`` reads the users file and the audit log (and the prefectures' names
from ``con``, for the scopes). ``data_root`` defaults to the environment's data root
(``FPA_DATA_DIR``) and ``users_path`` to the users file the app reads (``FPA_USERS_FILE``, no
file when unset), both read when called. The audit filters: ``days`` (None: the last 30 days
up to today, not before the log's first day; an empty tuple: every day; one or two dates:
from the first to the last, inclusive, in the association's time zone), ``events`` (none: all)
and ``user`` (None: everyone).

Never cached nor shared: users and the audit log change without a data version change, so
pages/users.py calls this directly on every run. Adding, changing and removing users are
actions of the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics import audit, db, queries
from analytics import auth as core
from analytics.queries import PROVINCE_CODE
from views.filters import Filters
from views.i18n import text
from views.regions import region_names

TZ = "Asia/Shanghai"  # times are shown as the association reads a clock; the log keeps UTC
USER_COLUMNS = ("name", "display_name", "role", "scope", "created", "updated", "password_set")
AUDIT_COLUMNS = ("at", "event", "user", "detail")
DEFAULT_DAYS = 30  # the audit log opens on the last month


@dataclass(frozen=True)
class Person:
    """A user as the change form needs them: codes, no secret."""

    name: str
    display_name: str
    role: str
    scope: str


@dataclass(frozen=True)
class UsersModel:
    filters: Filters
    users_path: Path | None  # None: no users file (the local demo mode)
    people: tuple[Person, ...]
    users: pd.DataFrame  # USER_COLUMNS: roles and scopes in words, times local (never the hash)
    user_labels: dict[str, str]  # column → its header in the filters' language
    roles: dict[str, str]  # role → its name
    scopes: dict[str, str]  # scope (the province, then each prefecture) → its name
    log_total: int  # events in the whole audit log (0: it is empty)
    first_day: dt.date | None  # the local day of the log's first event
    days_default: tuple[dt.date, dt.date] | None  # the date filter's opening range
    events: dict[str, str]  # the kinds of event in the log → their names
    people_in_log: tuple[str, ...]  # who appears in the log
    audit: pd.DataFrame  # AUDIT_COLUMNS, the events chosen, newest first, times local
    audit_labels: dict[str, str]  # column → its header
    audit_count: str  # "显示 12 / 共 40 条"
    download: pd.DataFrame  # the events chosen as the log holds them (times UTC, ISO 8601)
    download_name: str


def view(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    *,
    data_root: Path | None = None,
    users_path: Path | None = None,
    days: tuple[dt.date, ...] | None = None,
    events: tuple[str, ...] = (),
    user: str | None = None,
) -> UsersModel:
    """The users and the audit log for ``f``'s language and the audit filters."""
    lang = f.lang
    root = db.data_dir_from_env() if data_root is None else data_root
    path = core.users_file_from_env() if users_path is None else users_path
    prefectures = queries.regions_at_level(con, level="prefecture", within=PROVINCE_CODE)
    names = region_names(prefectures, lang)
    scopes = {PROVINCE_CODE: text("filters.whole_province", lang), **names}
    roles = {r: text(f"auth.role.{r}", lang) for r in core.ROLES}
    records = _records(path)
    people = tuple(Person(u.name, u.display_name, u.role, u.scope) for u in records)
    table = pd.DataFrame([u.public() for u in records], columns=list(USER_COLUMNS))  # public(): never the hash
    table["role"] = [roles.get(r, r) for r in table["role"]]
    table["scope"] = [_scope(s, scopes) for s in table["scope"]]
    for col in ("created", "updated", "password_set"):
        at = pd.to_datetime(table[col], utc=True, errors="coerce").dt.tz_convert(TZ)
        table[col] = at.dt.strftime("%Y-%m-%d %H:%M")

    log = audit.read(root)
    first = log["at"].min().tz_convert(TZ).date() if len(log) else None
    today = pd.Timestamp.now(tz=TZ).date()
    opening = (max(first, today - dt.timedelta(days=DEFAULT_DAYS)), today) if first is not None else None
    chosen = opening if days is None else days
    start, end = (chosen[0], chosen[-1]) if chosen else (None, None)
    shown = audit.select(log, events=list(events), user=user or None, start=start, end=end, tz=TZ)
    kinds = sorted(str(e) for e in log["event"].unique())
    event_names = {e: text(f"users.event.{e}", lang) if e in audit.EVENTS else e for e in kinds}
    return UsersModel(
        filters=f,
        users_path=path,
        people=people,
        users=table,
        user_labels={c: text(f"users.col.{c}", lang) for c in USER_COLUMNS},
        roles=roles,
        scopes=scopes,
        log_total=len(log),
        first_day=first,
        days_default=opening,
        events=event_names,
        people_in_log=tuple(sorted(str(u) for u in log["user"].dropna().unique())),
        audit=pd.DataFrame(
            {
                "at": shown["at"].dt.tz_convert(TZ).dt.strftime("%Y-%m-%d %H:%M:%S"),
                "event": [event_names.get(str(e), str(e)) for e in shown["event"]],
                "user": shown["user"].fillna("—"),
                "detail": shown["detail"],
            },
            columns=list(AUDIT_COLUMNS),
        ),
        audit_labels={c: text(f"users.audit_col.{c}", lang) for c in AUDIT_COLUMNS},
        audit_count=text("users.audit_count", lang, shown=len(shown), total=len(log)),
        download=shown.assign(at=shown["at"].dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")),
        download_name=f"audit_{start}_{end}",
    )


def _records(path: Path | None) -> tuple[core.UserRecord, ...]:
    """The users file's records ((): no file). The app fails closed on a file that is named but
    missing or emptied by hand (ui/auth.config refuses it before any page runs); so does this."""
    if path is None:
        return ()
    if not path.exists():
        raise core.AuthError(f"{core.USERS_FILE_ENV} names {path}, which does not exist")
    return core.load_users(path, empty_ok=False).users


def _scope(scope: str, scopes: dict[str, str]) -> str:
    return scopes.get(scope, scope)
