"""The three data scales the benchmark runs on, generated once and reused.

* ``hunan``: the bundled data (``data/``), 2023;
* ``national``: ``python -m analytics.demo --scale national`` (31 provinces, about 2,960
  counties and 498,000 villages, made up), 2023;
* ``national-5y``: the same over five plan years (2023-2027).

Generated folders live in ``benchmarks/out/`` (gitignored) and are reused while their
manifest says they were made with the same scale, seed, years and demo format.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from analytics import demo
from analytics.contract import MANIFEST_FILE
from analytics.db import DEFAULT_DATA_DIR

OUT = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class Scale:
    name: str
    demo_scale: str | None  # None: the bundled data, never generated
    years: int
    label: str

    @property
    def plan_years(self) -> list[int]:
        return [demo.BASE_YEAR + i for i in range(self.years)]

    @property
    def plan_year(self) -> int:
        """The year the benchmark views: the latest, which the app opens on."""
        return self.plan_years[-1]


SCALES = {
    "hunan": Scale("hunan", None, 1, "bundled Hunan data"),
    "national": Scale("national", "national", 1, "national demo, 1 plan year"),
    "national-5y": Scale("national-5y", "national", 5, "national demo, 5 plan years"),
}


def _manifest_matches(folder: Path, scale: Scale) -> bool:
    path = folder / MANIFEST_FILE
    if not path.is_file():
        return False
    m = json.loads(path.read_text(encoding="utf-8"))
    return (
        m.get("scale") == scale.demo_scale
        and m.get("seed") == demo.DEFAULT_SEED
        and m.get("plan_years") == scale.plan_years
        and m.get("format") == demo.FORMAT
    )


def ensure(scale: Scale, out: Path = OUT, log: bool = True) -> Path:
    """The data root for ``scale``: the bundled folder, or a generated one (made now if missing or stale)."""
    if scale.demo_scale is None:
        return DEFAULT_DATA_DIR
    folder = out / scale.name
    if _manifest_matches(folder, scale):
        return folder
    if log:
        print(f"generating {scale.label} in {folder} (minutes at national scale) ...", flush=True)
    start = time.perf_counter()
    cmd = [
        sys.executable,
        "-m",
        "analytics.demo",
        "--scale",
        scale.demo_scale,
        "--years",
        str(scale.years),
        "--out",
        str(folder),
    ]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    if log:
        print(f"  generated in {time.perf_counter() - start:.0f} s", flush=True)
    return folder
