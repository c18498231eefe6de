"""The benchmark covers every page, and runs end to end (no timing is checked here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.references import REFERENCES
from benchmarks.registry import entries
from ui.nav import PAGES

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_is_benchmarked_through_its_view() -> None:
    # a page added to ui.nav.PAGES is timed through views/<url_path>.py: no list to keep in step
    found = entries()
    assert [spec.url_path for spec in PAGES] == list(found)
    for name, entry in found.items():
        assert callable(getattr(entry.module, "view", None)), f"views/{name}.py has no view(con, filters)"


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
