"""The audit log: who signed in, failed to, imported, rolled back, queried, and when.

Append-only, in the data root's ``audit/`` folder: one small Parquet file per event, under
a folder per UTC day, with a name no other writer can pick (time + random id). A file is
written under a temporary name and renamed into place, and is never opened for writing
again, so the app's sessions (threads), the command line and an import (processes) can
all record at once without a lock and a reader never sees half an event.

    record(root, "sign_in", "zhang", {"client": "10.1.2.3"})
    read(root)   # → DataFrame: at (UTC), event, user, detail (JSON text), id

Nothing secret goes in: a detail key that names a password, hash, secret or token has its
value replaced by "[redacted]", and so has any text that looks like a password hash.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

AUDIT_DIR: Final = "audit"

# The events the product records (others may be added: a name is lower-case words and "_").
SIGN_IN: Final = "sign_in"
SIGN_IN_FAILED: Final = "sign_in_failed"
SIGN_OUT: Final = "sign_out"
SESSION_EXPIRED: Final = "session_expired"
REFUSED: Final = "refused"
IMPORT: Final = "import"
IMPORT_REFUSED: Final = "import_refused"
ROLLBACK: Final = "rollback"
SQL_QUERY: Final = "sql_query"
USER_ADDED: Final = "user_added"
USER_CHANGED: Final = "user_changed"
USER_REMOVED: Final = "user_removed"
PASSWORD_SET: Final = "password_set"  # noqa: S105 - an event name, not a password
# An import or rollback is recorded before it takes effect (IMPORT, ROLLBACK: what is about to be
# published, from which version) and again with its outcome.
IMPORT_PUBLISHED: Final = "import_published"
IMPORT_FAILED: Final = "import_failed"
ROLLBACK_DONE: Final = "rollback_done"
ROLLBACK_FAILED: Final = "rollback_failed"
# the monthly reporting cycle's moves (analytics/reporting/states.py AUDIT_EVENTS)
REPORT_SUBMITTED: Final = "report_submitted"
REPORT_RETURNED: Final = "report_returned"
REPORT_APPROVED: Final = "report_approved"
REPORT_ACCEPTED: Final = "report_accepted"
REPORT_ACCEPTANCE_WITHDRAWN: Final = "report_acceptance_withdrawn"
EVENTS: Final = (
    SIGN_IN,
    SIGN_IN_FAILED,
    SIGN_OUT,
    SESSION_EXPIRED,
    REFUSED,
    IMPORT,
    IMPORT_REFUSED,
    ROLLBACK,
    SQL_QUERY,
    USER_ADDED,
    USER_CHANGED,
    USER_REMOVED,
    PASSWORD_SET,
    IMPORT_PUBLISHED,
    IMPORT_FAILED,
    ROLLBACK_DONE,
    ROLLBACK_FAILED,
    REPORT_SUBMITTED,
    REPORT_RETURNED,
    REPORT_APPROVED,
    REPORT_ACCEPTED,
    REPORT_ACCEPTANCE_WITHDRAWN,
)
_EVENT_NAME = re.compile(r"^[a-z][a-z_]{0,39}$")

SCHEMA: Final = pa.schema(
    [
        pa.field("at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("event", pa.string(), nullable=False),
        pa.field("user", pa.string()),
        pa.field("detail", pa.string(), nullable=False),  # JSON text
        pa.field("id", pa.string(), nullable=False),
    ]
)

_SECRET_KEY = re.compile(r"password|passwd|hash|secret|token|cookie", re.IGNORECASE)
_SECRET_VALUE = re.compile(r"\$argon2(id|i|d)?\$|\$2[aby]\$\d\d\$")
MAX_TEXT: Final = 4000  # a long SQL query is cut: the log is for who and when, not a copy of everything
REDACTED: Final = "[redacted]"


def _clock() -> dt.datetime:
    """Now, in UTC (a function so tests can move it)."""
    return dt.datetime.now(dt.UTC)


def audit_dir(root: Path) -> Path:
    return Path(root) / AUDIT_DIR


def _clean(value: object, key: str = "") -> object:
    if key and _SECRET_KEY.search(key):
        return REDACTED
    if isinstance(value, Mapping):
        return {str(k): _clean(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        if _SECRET_VALUE.search(value):
            return REDACTED
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + f"… [{len(value) - MAX_TEXT} more characters]"
    if value is None or isinstance(value, bool | int | float):
        return value
    return _clean(str(value))


def detail_json(detail: Mapping[str, object] | None) -> str:
    """The detail as the log stores it: JSON, keys sorted, Chinese kept readable, secrets redacted."""
    return json.dumps(_clean(dict(detail or {})), ensure_ascii=False, sort_keys=True, default=str)


def record(root: Path, event: str, user: str | None, detail: Mapping[str, object] | None = None) -> None:
    """Append one event to the audit log of the data root ``root``.

    Raises ValueError for an event name that is not lower-case words, OSError when the
    folder cannot be written (callers decide whether the action goes on without its record).
    """
    if not _EVENT_NAME.match(event):
        raise ValueError(f"audit event names are lower-case words joined by '_', not {event!r}")
    at = _clock().astimezone(dt.UTC)
    event_id = uuid.uuid4().hex
    table = pa.Table.from_pylist(
        [{"at": at, "event": event, "user": user, "detail": detail_json(detail), "id": event_id}], schema=SCHEMA
    )
    day = audit_dir(root) / at.strftime("%Y-%m-%d")
    day.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = day / f"{at.strftime('%Y%m%dT%H%M%S%fZ')}-{event_id}.parquet"
    # a temporary name readers skip (not *.parquet), in the same folder so the rename is atomic
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=day)
    try:
        with os.fdopen(fd, "wb") as fh:
            pq.write_table(table, fh)
            fh.flush()
            os.fsync(fh.fileno())
        # the name holds a random 128-bit id: no other event has it, so nothing is ever replaced
        os.replace(tmp, final)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read(root: Path, *, since: dt.date | None = None) -> pd.DataFrame:
    """Every event of the audit log (from the UTC day ``since`` on, when given), oldest first.

    Columns: at (UTC timestamp), event, user (None for an unknown one), detail (JSON text), id.
    An empty log is an empty frame with those columns.
    """
    folder = audit_dir(root)
    days = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    if since is not None:
        days = [d for d in days if d.name >= since.isoformat()]
    files = [str(f) for d in days for f in sorted(d.glob("*.parquet"))]
    if not files:
        empty: pd.DataFrame = SCHEMA.empty_table().to_pandas()
        return empty
    frame: pd.DataFrame = ds.dataset(files, schema=SCHEMA, format="parquet").to_table().to_pandas()
    return frame.sort_values(["at", "id"], kind="stable").reset_index(drop=True)


def select(
    log: pd.DataFrame,
    *,
    events: list[str] | None = None,
    user: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    tz: str = "Asia/Shanghai",
) -> pd.DataFrame:
    """The events of ``log`` (as :func:`read` returns it) of the given kinds, by ``user``, between the
    days ``start`` and ``end`` (inclusive, in the time zone ``tz``), newest first. Same columns."""
    keep = pd.Series(True, index=log.index)
    if events:
        keep &= log["event"].isin(events)
    if user:
        keep &= log["user"] == user
    local_day = log["at"].dt.tz_convert(tz).dt.date
    if start is not None:
        keep &= local_day >= start
    if end is not None:
        keep &= local_day <= end
    return log[keep].sort_values(["at", "id"], ascending=False, kind="stable").reset_index(drop=True)
