"""Lint and types are part of the test suite: ruff (SQL-injection rule on) and mypy on analytics/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_passes() -> None:
    done = _run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_keeps_the_sql_injection_rule_on() -> None:
    # SQL pasted together from a value, as if it were a file in analytics/: ruff must flag it (S608)
    probe = "def f(con, name):\n    return con.execute(f\"SELECT * FROM regions WHERE name_zh = '{name}'\")\n"
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--stdin-filename", "analytics/_probe.py", "-"],
        cwd=ROOT,
        input=probe,
        capture_output=True,
        text=True,
    )
    assert "S608" in done.stdout, done.stdout + done.stderr


def test_mypy_passes_on_analytics() -> None:
    done = _run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_near_copies_between_pages_views_and_the_pack() -> None:
    """A page's recipe exists once (docs/architecture.md): pylint's duplicate-code check finds no six
    lines or more shared by two modules of pages/, views/ and ui/ (the meeting pack included);
    imports, docstrings, comments and signatures are not counted."""
    done = _run(
        "pylint",
        "--disable=all",
        "--enable=duplicate-code",
        "--min-similarity-lines=6",
        "--ignore-imports=y",
        "--ignore-docstrings=y",
        "--ignore-comments=y",
        "--ignore-signatures=y",
        "--score=n",
        "pages",
        "ui",
        "views",
    )
    assert done.returncode == 0, done.stdout + done.stderr
