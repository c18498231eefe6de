"""The layers stay apart: analytics and the view models never import Streamlit (issue 19).

Each package is imported in a fresh interpreter, so a module imported by another test cannot
hide an import; the check reads ``sys.modules`` after importing every module of the package.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _modules(package: str) -> list[str]:
    base = ROOT / package
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in base.rglob("*.py")
        if p.name != "__main__.py"
    )


@pytest.mark.parametrize("package", ["analytics", "views"])
def test_no_streamlit_below_the_ui(package: str) -> None:
    modules = _modules(package)
    assert modules, package
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.strip() == "[]", f"{package} imports Streamlit: {out.stdout.strip()[:300]}"


def test_the_pack_command_line_runs_without_streamlit() -> None:
    """``python -m ui.briefing`` makes a deck from a terminal or a scheduled job: no app, no Streamlit."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ui.briefing", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    imported = [line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if "|" in line]
    assert imported, "python -X importtime printed no imports"
    assert not [m for m in imported if m == "streamlit" or m.startswith("streamlit.")]
