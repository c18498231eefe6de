from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics import db
from tests.unit import tiny


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny.build(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny_con(tiny_dir: Path) -> duckdb.DuckDBPyConnection:
    return db.connect(tiny_dir)
