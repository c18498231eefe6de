"""What the reporting tests share: a store on SQLite or on PostgreSQL, empty for each test.

PostgreSQL is the server named by ``FPA_TEST_POSTGRES_URL`` (.ci/run starts Debian's and sets it).
Each test gets a schema of its own there (dropped after), so tests never see each other's rows.
Without the setting the PostgreSQL half skips, and fails in CI (tests.ci.missing).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from analytics import settings
from analytics.reporting import store
from tests.ci import missing

PG_ENV = settings.TEST_POSTGRES_URL.name
BACKENDS = ("sqlite", "postgresql")


def _pg_admin_url() -> str:
    url = settings.postgres_test_url()
    if not url:
        missing(f"{PG_ENV} is not set: no PostgreSQL to test against (.ci/run starts one)")
    return url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store: a SQLite file under ``tmp_path``, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / store.DB_FILE}"
        yield url
        store.dispose(url)
        return
    base = _pg_admin_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(store._driver_url(base))
    try:
        with admin.begin() as conn:
            conn.execute(sa.schema.CreateSchema(schema))
    except sa.exc.OperationalError as error:
        admin.dispose()
        missing(f"PostgreSQL at {PG_ENV} does not answer: {error}")
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    try:
        yield url
    finally:
        store.dispose(url)
        with admin.begin() as conn:
            conn.execute(sa.schema.DropSchema(schema, cascade=True))
        admin.dispose()
