"""Regions by name and state on the pages (issue 17, items 3 and 6): expected lists from pandas
over the Parquet files, and a copy of the bundled data in which 湘西 has sent no instructor
report yet (the issue's "no report 1,797")."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from analytics import db
from tests.app.test_pages import run_page
from ui.i18n import catalog

SRC = db.DEFAULT_DATA_DIR
ATTAINMENT = "pages/attainment.py"
TRAINING = "pages/training.py"
XIANGXI = "433100"


def _parquet(folder: str) -> pd.DataFrame:
    return pd.read_parquet(SRC / folder)


def _not_there(indicator: str, level: str, as_of: str) -> tuple[list[str], list[str]]:
    """Member regions of an every-region rule below their minimum at ``as_of``: (reported, silent) codes."""
    targets = _parquet("plan/targets")
    regions = _parquet("reference/regions")
    members = regions.loc[regions["level"] == level, "region_code"]
    tgt = targets[(targets["indicator_id"] == indicator) & targets["region_code"].isin(members)]
    progress = _parquet("exports/progress")
    rows = progress[
        (progress["indicator_id"] == indicator) & (pd.to_datetime(progress["period_end"]) <= pd.Timestamp(as_of))
    ]
    # a member's own reports, and its counties' when it is a prefecture (flows and milestones sum)
    where = regions.set_index("region_code")
    owner = rows["region_code"].map(lambda c: c if c in set(tgt["region_code"]) else where.at[c, "prefecture_code"])
    sums = rows.groupby(owner)["value"].sum()
    below, silent = [], []
    for code, minimum in zip(tgt["region_code"], tgt["target_value"], strict=True):
        if code not in sums.index:
            silent.append(code)
        elif sums[code] < minimum:
            below.append(code)
    return below, silent


def _names(codes: list[str]) -> list[str]:
    names = _parquet("reference/regions").set_index("region_code")["name_zh"]
    return [str(names[c]) for c in codes]


def test_attainment_lists_the_counties_not_there_by_name() -> None:
    """County elections at the province on 31 December: the issue's "96 county codes"."""
    at = run_page(ATTAINMENT, as_of="2023-12-31", indicator="election_county_held")
    assert not at.exception, [e.message for e in at.exception]
    below, silent = _not_there("election_county_held", "county", "2023-12-31")
    assert below or silent
    caption = next(c.value for c in at.caption if c.value.startswith("尚未达到"))
    assert caption.startswith(f"尚未达到（{len(below) + len(silent)}个）")
    for name in _names(below + silent):
        assert name in caption, name
    if below:
        assert f"已报送、未达到{len(below)}个：" in caption
    if silent:
        assert f"未报送{len(silent)}个：" in caption
    assert not re.search(r"\d{6}", caption), caption


def test_training_lists_the_prefectures_without_a_base_by_name_and_state() -> None:
    at = run_page(TRAINING, as_of="2023-12-31")
    assert not at.exception, [e.message for e in at.exception]
    below, silent = _not_there("youth_demo_bases_new", "prefecture", "2023-12-31")
    text = next(m.value for m in at.markdown if m.value.startswith("尚未达到"))
    assert text.startswith(f"尚未达到（{len(below) + len(silent)}个）")
    for name in _names(below + silent):
        assert name in text
    assert not re.search(r"\d{6}", text), text


def _without_xiangxi_instructors(tmp: Path, through: str) -> Path:
    """The bundled data, with 湘西's instructor reports up to ``through`` removed."""
    for part in ("reference", "plan", "manifest.json"):
        os.symlink(SRC / part, tmp / part)
    (tmp / "exports").mkdir()
    for table in ("progress", "childcare_points", "trainings", "training_participants"):
        os.symlink(SRC / "exports" / table, tmp / "exports" / table)
    ins = _parquet("exports/instructors")
    drop = ins["region_code"].str.startswith(XIANGXI[:4]) & (pd.to_datetime(ins["period_end"]) <= pd.Timestamp(through))
    (tmp / "exports" / "instructors").mkdir()
    ins[~drop].to_parquet(tmp / "exports" / "instructors" / "part-0.parquet", index=False)
    return tmp


def test_a_prefecture_with_no_report_reads_zero_as_its_parent_counts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FPA_DATA_DIR", str(_without_xiangxi_instructors(tmp_path, "2023-03-31")))
    units = _parquet("reference/regions")
    villages = int(((units["level"] == "village") & (units["prefecture_code"] == XIANGXI)).sum())
    assert villages == 1797
    cat = catalog("zh")
    at = run_page(TRAINING, as_of="2023-03-31", region=XIANGXI)
    assert not at.exception, [e.message for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[cat["training.cat.no_report"]] == f"{villages:,}"
    assert metrics[cat["training.coverage.units"]] == f"{villages:,}"
    assert metrics[cat["training.coverage.share"]] == "0.0%"  # not "—": 0 of 1,797
    status = cat["status.no_data"]  # before the due date a region with no report has no data
    assert any(status in h.proto.body for h in at.get("html")), "no status chip for 湘西"

    # the province counts the same 1,797 as not reported
    at = run_page(TRAINING, as_of="2023-03-31")
    assert not at.exception, [e.message for e in at.exception]
    province_no_report = int({m.label: m.value for m in at.metric}[cat["training.cat.no_report"]].replace(",", ""))
    assert province_no_report >= villages

    # its month-by-month coverage has no January level to start from: the chart says so
    at = run_page(ATTAINMENT, as_of="2023-06-30", region=XIANGXI, indicator="instructor_coverage")
    assert not at.exception, [e.message for e in at.exception]
    assert cat["attainment.baseline_zero"] in [c.value for c in at.caption]
    # a prefecture whose January was reported says nothing of the kind
    at = run_page(ATTAINMENT, as_of="2023-06-30", region="430100", indicator="instructor_coverage")
    assert cat["attainment.baseline_zero"] not in [c.value for c in at.caption]
