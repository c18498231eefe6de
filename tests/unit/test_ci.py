"""tests.ci.in_ci: the one reading of the CI variable."""

from __future__ import annotations

import pytest

from tests.ci import in_ci


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("", False),
        ("0", False),
        ("false", False),
        ("False", False),
        ("no", False),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
    ],
)
def test_in_ci(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: bool) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_no_test_reads_the_variable_itself() -> None:
    """Every test asks tests.ci; the variable is read in one place."""
    import re
    from pathlib import Path

    tests = Path(__file__).resolve().parents[1]
    reads = re.compile(r"""(environ\.get|getenv|environ\[)\(?\s*["']CI["']""")
    found = [str(p.relative_to(tests)) for p in tests.rglob("*.py") if reads.search(p.read_text(encoding="utf-8"))]
    assert found == ["ci.py"]
