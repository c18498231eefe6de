"""Demo exports: the same seed gives identical tables, the bundled ones are what the code makes,
and the data says it is demo."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from analytics import demo
from analytics.contract import TABLES

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
EXPORTS = [t for t in TABLES.values() if t.group == "exports"]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    a, b = tmp_path_factory.mktemp("demo_a"), tmp_path_factory.mktemp("demo_b")
    demo.generate(a, scale="hunan", source=DATA)
    demo.generate(b, scale="hunan", source=DATA)
    return a, b


@pytest.mark.parametrize("table", EXPORTS, ids=lambda t: t.name)
def test_same_seed_same_tables(two_runs: tuple[Path, Path], table) -> None:
    a, b = (pq.read_table(d / table.folder) for d in two_runs)
    assert a.num_rows > 0
    assert a.equals(b)


@pytest.mark.parametrize("table", EXPORTS, ids=lambda t: t.name)
def test_bundled_exports_are_what_the_generator_makes(two_runs: tuple[Path, Path], table) -> None:
    # Fails when analytics/demo.py changed without `python -m analytics.demo` being rerun.
    assert pq.read_table(DATA / table.folder).equals(pq.read_table(two_runs[0] / table.folder))


def test_the_data_says_it_is_demo(two_runs: tuple[Path, Path]) -> None:
    manifest = json.loads((two_runs[0] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["demo"] is True
    meta = pq.read_schema(next((two_runs[0] / "exports" / "progress").glob("*.parquet"))).metadata
    assert meta[b"fpa.demo"] == b"true"
    assert json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))["demo"] is True


def test_out_folder_is_complete(two_runs: tuple[Path, Path]) -> None:
    # reference and plan are copied in, so FPA_DATA_DIR=out opens a whole app
    for table in TABLES.values():
        assert (two_runs[0] / table.folder).is_dir(), table.folder
    assert (two_runs[0] / "reference" / "boundaries" / "counties.geojson").is_file()


def test_a_different_seed_gives_different_data(tmp_path: Path) -> None:
    demo.generate(tmp_path, scale="hunan", source=DATA, seed=7)
    other = pq.read_table(tmp_path / "exports" / "progress")
    assert not other.equals(pq.read_table(DATA / "exports" / "progress"))


def test_every_progress_indicator_has_a_profile() -> None:
    inds = pq.read_table(DATA / "plan" / "indicators").to_pandas()
    reported = inds[(inds["source_table"] == "progress") & (inds["kind"] != "ratio")]
    assert set(reported["indicator_id"]) <= set(demo.PROFILES)
