"""Whether the tests run in CI, read one way for every test.

CI sets the environment variable ``CI`` (``CI=true`` in .ci/run and on the usual CI services).
Any value but empty, ``0``, ``false`` or ``no`` counts: a missing tool then fails the run
instead of skipping, since a skipped suite in CI would pass and guarantee nothing.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

_NOT_CI = frozenset({"", "0", "false", "no"})


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in _NOT_CI


def missing(reason: str) -> NoReturn:
    """Something a test needs is not on this machine: fail in CI, skip elsewhere."""
    if in_ci():
        pytest.fail(f"{reason}. In CI a skipped test is a failure.")
    pytest.skip(reason)
