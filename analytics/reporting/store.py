"""Where the monthly cycle's state lives: a transactional database, SQLite or PostgreSQL, one schema.

SQLite is the embedded default: one file beside the published versions, ``<data root>/reporting.sqlite3``,
in WAL mode (readers never wait for a writer), so ``streamlit run app.py`` needs nothing else.
Replicas on several machines share one PostgreSQL instead, named by one setting::

    FPA_REPORTING_DB=postgresql://fpa:…@db.example/fpa      # psycopg 3 (postgresql+psycopg://)

The two dialects are SQLAlchemy Core's; this module writes no dialect SQL of its own beyond
SQLite's connection pragmas and ``BEGIN IMMEDIATE``.

Every move (analytics/reporting/states.py) is one transaction: the county month's row is read,
the move checked against its state, the row updated only if its ``version`` is still the one
read (optimistic concurrency: two analysts approving the same month at once — one wins, the
other gets ConcurrentChange), a row appended to ``report_moves``, and the audit log written
(analytics/audit.py) before the commit, so a move the log could not record does not happen.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analytics import audit, settings
from analytics.auth.roles import User
from analytics.reporting.states import (
    ACCEPTED,
    AUDIT_EVENTS,
    NOT_STARTED,
    ConcurrentChange,
    ReportingError,
    check_move,
)

DB_ENV: Final = settings.REPORTING_DB.name
DB_FILE: Final = "reporting.sqlite3"

metadata = sa.MetaData()

COUNTY_MONTHS = sa.Table(
    "report_county_months",
    metadata,
    sa.Column("county_code", sa.String(6), primary_key=True),
    sa.Column("period_end", sa.Date, primary_key=True),
    sa.Column("prefecture_code", sa.String(6), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    # raised by every move: an UPDATE that names the version it read changes nothing if another
    # move came first
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("submitted_at", sa.DateTime),  # UTC, stored without zone (SQLite keeps none)
    sa.Column("submitted_by", sa.String(64)),
    sa.Column("returned_at", sa.DateTime),
    sa.Column("returned_by", sa.String(64)),
    sa.Column("return_reason", sa.Text),
    sa.Column("approved_at", sa.DateTime),
    sa.Column("approved_by", sa.String(64)),
    sa.Column("accepted_at", sa.DateTime),
    sa.Column("accepted_by", sa.String(64)),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Index("ix_report_county_months_prefecture", "prefecture_code", "period_end"),
)

MOVES_TABLE = sa.Table(
    "report_moves",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("county_code", sa.String(6), nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("from_state", sa.String(16), nullable=False),
    sa.Column("to_state", sa.String(16), nullable=False),
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Index("ix_report_moves_county_month", "county_code", "period_end"),
)


def _clock() -> dt.datetime:
    """Now, in UTC (a function so tests can move it)."""
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class CountyMonth:
    """One county's month as the store holds it (times in UTC)."""

    county_code: str
    period_end: dt.date
    prefecture_code: str
    state: str
    version: int
    submitted_at: dt.datetime | None = None
    submitted_by: str | None = None
    returned_at: dt.datetime | None = None
    returned_by: str | None = None
    return_reason: str | None = None
    approved_at: dt.datetime | None = None
    approved_by: str | None = None
    accepted_at: dt.datetime | None = None
    accepted_by: str | None = None
    updated_at: dt.datetime | None = None
    updated_by: str | None = None

    @property
    def month(self) -> str:
        return self.period_end.strftime("%Y-%m")

    @classmethod
    def from_row(cls, row: Any) -> CountyMonth:
        m = dict(row._mapping)
        for k, v in m.items():
            if isinstance(v, dt.datetime):
                m[k] = _utc(v)
        return cls(**m)


def default_url(root: Path) -> str:
    """The store's URL: ``FPA_REPORTING_DB`` when set, else the SQLite file beside the data root's versions."""
    return settings.reporting_db() or f"sqlite:///{Path(root).resolve() / DB_FILE}"


def _driver_url(url: str) -> str:
    # postgresql:// means psycopg 3 here (SQLAlchemy's default driver for the name is psycopg2)
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_setup(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # the driver's own transaction handling off: SQLAlchemy's "begin" below says how to begin
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")  # a writer waits for another writer, up to 30 s
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # a write takes SQLite's write lock when it begins: with a deferred BEGIN, a transaction
        # that read before another committed could not upgrade to a writer (SQLITE_BUSY_SNAPSHOT)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("fpa_write") else "BEGIN")


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(url: str) -> Engine:
    """One engine (one connection pool) per URL per process."""
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
                _sqlite_setup(engine)
            else:
                engine = sa.create_engine(_driver_url(url), pool_pre_ping=True)
            metadata.create_all(engine, checkfirst=True)
            _engines[url] = engine
        return engine


def dispose(url: str) -> None:
    """Close the pool of ``url`` (tests that remove their database)."""
    with _engines_lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


@dataclass(frozen=True)
class Target:
    """A county month a move is made on (its prefecture decides who may)."""

    county_code: str
    prefecture_code: str
    period_end: dt.date


class Store:
    """The cycle's state for the data root ``root`` (whose audit log records every move)."""

    def __init__(self, root: Path, url: str | None = None) -> None:
        self.root = Path(root)
        self.url = url or default_url(self.root)
        self.engine = engine_for(self.url)

    @classmethod
    def existing(cls, root: Path) -> Store | None:
        """The store when there is one to read: PostgreSQL by setting, or the SQLite file already
        made. None when neither (the cycle has never been used here: nothing is accepted)."""
        if settings.reporting_db() or (Path(root) / DB_FILE).exists():
            return cls(root)
        return None

    # --- reading -----------------------------------------------------------------------

    def get(self, county_code: str, period_end: dt.date) -> CountyMonth | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(COUNTY_MONTHS).where(
                    COUNTY_MONTHS.c.county_code == county_code, COUNTY_MONTHS.c.period_end == period_end
                )
            ).first()
        return None if row is None else CountyMonth.from_row(row)

    def rows(
        self, *, period_end: dt.date | None = None, prefecture_code: str | None = None, state: str | None = None
    ) -> list[CountyMonth]:
        query = sa.select(COUNTY_MONTHS)
        if period_end is not None:
            query = query.where(COUNTY_MONTHS.c.period_end == period_end)
        if prefecture_code is not None:
            query = query.where(COUNTY_MONTHS.c.prefecture_code == prefecture_code)
        if state is not None:
            query = query.where(COUNTY_MONTHS.c.state == state)
        query = query.order_by(COUNTY_MONTHS.c.period_end, COUNTY_MONTHS.c.county_code)
        with self.engine.connect() as conn:
            return [CountyMonth.from_row(r) for r in conn.execute(query)]

    def accepted(self, pairs: Iterable[tuple[str, dt.date]]) -> list[CountyMonth]:
        """The accepted county months among ``pairs`` (county code, month end): the locked ones."""
        wanted = set(pairs)
        if not wanted:
            return []
        months = sorted({m for _, m in wanted})
        query = sa.select(COUNTY_MONTHS).where(
            COUNTY_MONTHS.c.state == ACCEPTED, COUNTY_MONTHS.c.period_end.in_(months)
        )
        with self.engine.connect() as conn:
            found = [CountyMonth.from_row(r) for r in conn.execute(query)]
        return sorted(
            (c for c in found if (c.county_code, c.period_end) in wanted), key=lambda c: (c.period_end, c.county_code)
        )

    def moves(self, county_code: str | None = None, period_end: dt.date | None = None) -> list[dict[str, Any]]:
        """The moves made, oldest first (times in UTC)."""
        query = sa.select(MOVES_TABLE)
        if county_code is not None:
            query = query.where(MOVES_TABLE.c.county_code == county_code)
        if period_end is not None:
            query = query.where(MOVES_TABLE.c.period_end == period_end)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query.order_by(MOVES_TABLE.c.id))]
        for r in rows:
            r["at"] = _utc(r["at"])
        return rows

    def first_submissions(self, period_end: dt.date) -> dict[str, dt.datetime]:
        """county → when it first submitted the month (UTC): what timeliness is judged on (a month
        returned and resubmitted was still handed in on its first date)."""
        query = (
            sa.select(MOVES_TABLE.c.county_code, sa.func.min(MOVES_TABLE.c.at))
            .where(MOVES_TABLE.c.period_end == period_end, MOVES_TABLE.c.action == "submit")
            .group_by(MOVES_TABLE.c.county_code)
        )
        with self.engine.connect() as conn:
            return {str(c): _utc(at) for c, at in conn.execute(query)}  # type: ignore[misc]

    def all_first_submissions(self) -> dict[tuple[str, dt.date], dt.datetime]:
        """(county, month end) → its first submission (UTC), for every county month ever submitted."""
        query = (
            sa.select(MOVES_TABLE.c.county_code, MOVES_TABLE.c.period_end, sa.func.min(MOVES_TABLE.c.at))
            .where(MOVES_TABLE.c.action == "submit")
            .group_by(MOVES_TABLE.c.county_code, MOVES_TABLE.c.period_end)
        )
        with self.engine.connect() as conn:
            return {(str(c), p): _utc(at) for c, p, at in conn.execute(query)}  # type: ignore[misc]

    # --- moving ------------------------------------------------------------------------

    def move(
        self, action: str, target: Target, user: User, reason: str | None = None, *, expected_version: int | None = None
    ) -> CountyMonth:
        """Make one move; ReportingError (ConcurrentChange among them) when it may not be made.

        ``expected_version`` is the version the user saw (0: not started): when the month has moved
        since, the move is refused with ConcurrentChange instead of being made on a state the user
        never saw. Without it the move is checked against the state as it is now.
        """
        versions = None if expected_version is None else [expected_version]
        return self.move_many(action, [target], user, reason, expected_versions=versions)[0]

    def move_many(
        self,
        action: str,
        targets: Sequence[Target],
        user: User,
        reason: str | None = None,
        *,
        expected_versions: Sequence[int] | None = None,
        detail: dict[str, Any] | None = None,
    ) -> list[CountyMonth]:
        """The same move on several county months (the province accepting a prefecture's month):
        all in one transaction — all made, or none."""
        if not targets:
            return []
        at = _clock().astimezone(dt.UTC).replace(tzinfo=None)
        with self.engine.connect().execution_options(fpa_write=True) as conn, conn.begin():
            expected: Sequence[int | None] = (
                list(expected_versions) if expected_versions is not None else [None] * len(targets)
            )
            done = [self._move_in(conn, action, t, user, reason, at, v) for t, v in zip(targets, expected, strict=True)]
            try:
                audit.record(
                    self.root,
                    AUDIT_EVENTS[action],
                    user.name,
                    {
                        **(detail or {}),
                        "months": [
                            {"county": c.county_code, "month": c.month, "state": c.state, "version": c.version}
                            for c in done
                        ],
                        "reason": (reason or "").strip() or None,
                        "role": user.role,
                        "scope": user.scope,
                    },
                )
            except OSError as error:
                # raised inside the transaction: it rolls back, the move is not made unrecorded
                raise ReportingError("audit", f"the audit log could not be written: {error}") from error
        return done

    def _move_in(
        self,
        conn: Connection,
        action: str,
        t: Target,
        user: User,
        reason: str | None,
        at: dt.datetime,
        expected_version: int | None,
    ) -> CountyMonth:
        key = (COUNTY_MONTHS.c.county_code == t.county_code, COUNTY_MONTHS.c.period_end == t.period_end)
        row = conn.execute(sa.select(COUNTY_MONTHS).where(*key)).first()
        state = NOT_STARTED if row is None else str(row.state)
        version = 0 if row is None else int(row.version)
        prefecture = t.prefecture_code if row is None else str(row.prefecture_code)
        if expected_version is not None and expected_version != version:
            raise ConcurrentChange(t.county_code, t.period_end.strftime("%Y-%m"))
        move = check_move(action, state, user, prefecture, reason)
        values: dict[str, Any] = {
            "state": move.target,
            "version": version + 1,
            "updated_at": at,
            "updated_by": user.name,
        }
        if action == "submit":
            # a new submission starts the review again: what was said of the last one goes
            values |= {"submitted_at": at, "submitted_by": user.name, "approved_at": None, "approved_by": None}
        elif action == "return":
            values |= {
                "returned_at": at,
                "returned_by": user.name,
                "return_reason": (reason or "").strip(),
                "approved_at": None,
                "approved_by": None,
            }
        elif action == "approve":
            values |= {"approved_at": at, "approved_by": user.name}
        elif action == "accept":
            values |= {"accepted_at": at, "accepted_by": user.name}
        elif action == "withdraw":
            values |= {"accepted_at": None, "accepted_by": None}
        if row is None:
            try:
                # a savepoint: a losing INSERT must not end the caller's transaction on PostgreSQL
                with conn.begin_nested():
                    conn.execute(
                        sa.insert(COUNTY_MONTHS).values(
                            county_code=t.county_code, period_end=t.period_end, prefecture_code=prefecture, **values
                        )
                    )
            except sa.exc.IntegrityError as error:
                raise ConcurrentChange(t.county_code, t.period_end.strftime("%Y-%m")) from error
        else:
            changed = conn.execute(
                sa.update(COUNTY_MONTHS).where(*key, COUNTY_MONTHS.c.version == version).values(**values)
            )
            if changed.rowcount != 1:
                raise ConcurrentChange(t.county_code, t.period_end.strftime("%Y-%m"))
        conn.execute(
            sa.insert(MOVES_TABLE).values(
                county_code=t.county_code,
                period_end=t.period_end,
                action=action,
                from_state=state,
                to_state=move.target,
                user_name=user.name,
                at=at,
                reason=(reason or "").strip() or None,
            )
        )
        after = conn.execute(sa.select(COUNTY_MONTHS).where(*key)).first()
        return CountyMonth.from_row(after)
