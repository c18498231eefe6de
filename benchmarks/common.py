"""What every benchmark script shares: clocks, and a fresh app session through AppTest."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


def wall(fn: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cpu(fn: Callable[[], object]) -> float:
    """CPU seconds of this process (all DuckDB threads) for one call: unlike wall time, not
    inflated when other processes compete for the cores, so figures from a busy machine stay
    comparable."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def app_test(timeout: float = 120) -> AppTest:
    """A new session of app.py, started through a one-line script (see tests/app/test_pages.py:
    AppTest resets Streamlit's pages/ folder mode on every run)."""
    script = f"import runpy\nrunpy.run_path({str(APP)!r}, run_name='__main__')\n"
    return AppTest.from_string(script, default_timeout=timeout)
