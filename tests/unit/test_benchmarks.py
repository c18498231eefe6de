"""The benchmark covers every page, and runs end to end (no timing is checked here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.references import REFERENCES
from benchmarks.registry import entries
from ui.nav import PAGES

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_is_registered_in_the_benchmark() -> None:
    # a page added to ui.nav.PAGES needs one small function in benchmarks/pages.py
    missing = [spec.url_path for spec in PAGES if spec.url_path not in entries()]
    assert not missing, f"pages without a benchmark entry (benchmarks/pages.py): {missing}"


def test_every_reference_named_by_a_page_exists() -> None:
    named = {e.reference for e in entries().values() if e.reference}
    assert named <= set(REFERENCES)


def test_harness_runs_on_the_bundled_data(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    cmd = [sys.executable, "-m", "benchmarks", "--scales", "hunan", "--pages", "home", "--runs", "1", "--no-server"]
    subprocess.run([*cmd, "--out", str(out)], cwd=ROOT, check=True, capture_output=True, timeout=600)
    text = out.read_text(encoding="utf-8")
    assert "| home | province |" in text and "| home | prefecture |" in text
    assert "hunan: every page's queries warm" in text  # the targets table
    assert (tmp_path / "report.json").is_file()
