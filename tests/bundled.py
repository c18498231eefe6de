"""A copy of the bundled data for a test that imports, publishes or edits files: the data root
the product would have after a fresh install, in a folder of the test's own."""

from __future__ import annotations

import shutil
from pathlib import Path

from analytics import publish
from analytics.contract import MANIFEST_FILE

BUNDLED = Path(__file__).resolve().parents[1] / "data"


def copy_bundled(target: Path) -> Path:
    """The bundled table groups (reference, plan, exports) and manifest copied to ``target``."""
    for group in publish.GROUPS:
        shutil.copytree(BUNDLED / group, target / group)
    shutil.copy2(BUNDLED / MANIFEST_FILE, target / MANIFEST_FILE)
    return target
