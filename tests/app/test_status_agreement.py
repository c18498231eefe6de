"""For the same view, the page, the meeting pack and the download show the same status for every
indicator and region (issue 17: "every place that shows a status uses the same set").

Views: as of 31 December (every target due) and 30 June, for the province and for 长沙市. Read:

* the page: the attainment page's scorecard (every judged indicator × every sub-region, its
  colour codes on the status scale) and its league table (the default indicator), and the
  overview's table of the 33 items (the region's own status of each indicator, as labels);
* the pack: its area tables (the region's own indicators) and the map slide's league;
* the download: the attainment page's CSV (the status code beside its label in the page's
  language, every indicator in the region and its sub-regions).

The download is then checked against the calendar rule recomputed from its own figures and
the targets' due dates straight from the Parquet (pandas, not the code's status).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pyarrow.parquet as pq
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from analytics import db
from analytics.attainment import STATUSES
from tests import league_html
from tests.app.test_pages import run_page
from ui.briefing.build import Request, build_pack
from ui.i18n import catalog
from ui.theme import STATUS_MARK, STATUS_ORDER

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
VIEWS = [
    (dt.date(2023, 12, 31), "430000"),
    (dt.date(2023, 12, 31), "430100"),
    (dt.date(2023, 6, 30), "430000"),
    (dt.date(2023, 6, 30), "430100"),
]
ZH = catalog("zh")


class _KeptStorage(MemoryMediaFileStorage):
    """AppTest's media storage, kept after the run so the test can read what a download serves."""

    instances: ClassVar[list[_KeptStorage]] = []

    def __init__(self, endpoint: str) -> None:
        super().__init__(endpoint)
        _KeptStorage.instances.append(self)


@pytest.fixture
def kept_media(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_KeptStorage]]:
    _KeptStorage.instances.clear()
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", _KeptStorage)
    yield _KeptStorage


def _download(at: AppTest, key: str) -> bytes:
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    name = button.proto.url.rsplit("/", 1)[-1]
    for store in reversed(_KeptStorage.instances):
        try:
            return bytes(store.get_file(name).content)
        except Exception:  # noqa: S112 - not in this run's storage
            continue
    raise AssertionError(f"{key}: file {name} not found")


def _status_of_label(label: str) -> str:
    """The status a page label names: its mark and words (done late also says its date)."""
    for status in sorted(STATUSES, key=lambda s: -len(ZH[f"status.{s}"])):
        if label.startswith(f"{STATUS_MARK[status]} {ZH[f'status.{status}']}"):
            return status
    raise AssertionError(f"not a status label: {label!r}")


def _read(folder: str) -> pd.DataFrame:
    df: pd.DataFrame = pq.read_table(DATA / folder).to_pandas()
    return df


@pytest.mark.parametrize(("as_of", "region"), VIEWS, ids=lambda v: str(v))
def test_page_pack_and_download_show_the_same_status(
    kept_media: type[_KeptStorage], as_of: dt.date, region: str
) -> None:
    day = as_of.isoformat()
    regions = _read("reference/regions")
    name_of = dict(zip(regions["region_code"], regions["name_zh"], strict=True))
    inds = _read("plan/indicators").set_index("indicator_id")
    indicator_of_name = {str(n): str(i) for i, n in inds["name_zh"].items()}

    # --- the download: the attainment page's CSV --------------------------------------------
    page = run_page("pages/attainment.py", as_of=day, region=region)
    assert not page.exception, [e.message for e in page.exception]
    raw = _download(page, "attainment_table_download_csv").decode("utf-8-sig")
    csv = pd.read_csv(io.StringIO(raw), comment="#", dtype={ZH["download.col.region_code"]: str})
    code_col, label_col = ZH["status.col.code"], ZH["status.col.label"]
    key = [ZH["download.col.indicator_id"], ZH["download.col.region_code"]]
    download: dict[tuple[str, str], str] = dict(
        zip(zip(csv[key[0]].astype(str), csv[key[1]].astype(str), strict=True), csv[code_col].astype(str), strict=True)
    )
    assert set(download.values()) <= set(STATUSES)
    # the label is the page language's words for the code (no mark in a spreadsheet)
    assert (csv[label_col] == csv[code_col].map(lambda s: ZH[f"status.{s}"])).all()
    sub_level = "prefecture" if region == "430000" else "county"
    level_rows = regions[regions["level"] == sub_level]
    subs = set(
        level_rows["region_code"]
        if region == "430000"
        else level_rows.loc[level_rows["prefecture_code"] == region, "region_code"]
    )
    assert {c for _, c in download} == subs | {region}
    assert len(download) == len(csv)  # one row per indicator and region

    # --- the page: the scorecard (colour codes) and the league table ------------------------------
    specs = {c.proto.id.split("-", 2)[-1]: json.loads(c.proto.spec) for c in page.get("plotly_chart")}
    heat = specs["attainment_scorecard"]["data"][0]
    region_of_name = {name_of[c]: c for c in subs}
    compared = 0
    for y, row in zip(heat["y"], heat["z"], strict=True):
        for x, z in zip(heat["x"], row, strict=True):
            cell = (indicator_of_name[x], region_of_name[y])
            assert STATUS_ORDER[z] == download[cell], cell
            compared += 1
    judged_ids = {i for (i, c), s in download.items() if c in subs and s != "no_target"}
    assert compared == len(judged_ids) * len(subs)  # every judged indicator in every sub-region
    _, league = league_html.parse(league_html.from_app(page))
    indicator = "instructor_coverage" if "instructor_coverage" in judged_ids else sorted(judged_ids)[0]
    assert len(league) == len(subs)
    for row in league:
        name, label = row["cells"]["region"], row["cells"]["status"]
        assert _status_of_label(label) == download[(indicator, region_of_name[name])], name
        assert row["status_code"] == download[(indicator, row["code"])], name

    # --- the page: the overview's items table (the region's own statuses) ---------------------------
    home = run_page("pages/home.py", as_of=day, region=region)
    assert not home.exception
    items = next(d.value for d in home.dataframe if ZH["home.items.status"] in d.value.columns)
    own_on_page = {}
    for cell in items[ZH["home.items.status"]]:
        for part in str(cell).split("；"):
            if "：" in part:
                name, label = part.split("：", 1)
                own_on_page[indicator_of_name[name]] = _status_of_label(label)
    own = {i: s for (i, c), s in download.items() if c == region and s != "no_target"}
    assert own_on_page == own

    # --- the pack: its area tables and its league ---------------------------------------------------
    con = db.connect(DATA)
    pack = build_pack(con.cursor(), Request("zh", 2023, as_of, region), data_dir=DATA)
    in_pack = {}
    for slide in pack.slides:
        if slide.kind == "area" and slide.table is not None:
            for cells, status in zip(slide.table.rows, slide.table.status, strict=True):
                in_pack[indicator_of_name[cells[1].removesuffix(" *")]] = status
                assert _status_of_label(cells[6]) == status
    assert in_pack == {i: s for (i, c), s in download.items() if c == region and i in in_pack}
    # an area with nothing to follow up is one row of the merged slide, its indicators counted by
    # status ("√ 已完成 3、→ 进度正常 2"): those counts are the download's for the indicators of the
    # region not on an area slide
    merged = next((s for s in pack.slides if s.kind == "areas_ok"), None)
    rest = Counter(s for (i, c), s in download.items() if c == region and i not in in_pack)
    counted: Counter[str] = Counter()
    for cells in merged.table.rows if merged is not None and merged.table is not None else ():
        for part in cells[3].split(ZH["training.list_sep"]):
            if part != "—":
                label, n = part.rsplit(" ", 1)
                counted[_status_of_label(label)] += int(n)
    assert counted == rest
    assert not {
        i for i in own if i not in in_pack and own[i] in {"missed", "overdue_no_report", "behind", "at_risk"}
    }  # nothing to follow up is merged away
    league_slide = next(s for s in pack.slides if s.kind == "map")
    assert league_slide.table is not None
    for cells, status in zip(league_slide.table.rows, league_slide.table.status, strict=True):
        assert status == download[(indicator, region_of_name[cells[1]])], cells[1]

    # --- independently: the calendar rule over the download's own figures and the Parquet's due dates ---
    rows = _read("plan/targets")
    targets = rows.set_index(["indicator_id", "region_code"])["due_date"]
    # an every-region rule judged above its own level has no row of its own: its members' due date
    members_due = rows.groupby("indicator_id")["due_date"].max()
    judged_on = dt.date(2023, as_of.month, as_of.day)  # both views are month ends: judged as they are
    for (i, c), status in download.items():
        row = csv[(csv[key[0]] == i) & (csv[key[1]] == c)].iloc[0]
        actual, target = row[ZH["attainment.col.actual"]], row[ZH["attainment.col.target"]]
        due = targets.get((i, c), members_due.get(i) if pd.notna(target) else None)
        if due is None or pd.isna(target) or pd.isna(due) or pd.Timestamp(due).date() > judged_on:
            assert status not in ("missed", "done_late", "overdue_no_report"), (i, c)
            continue
        if pd.isna(actual):
            continue  # per-region rules count members; their actual is a count with or without reports
        assert status in (("done", "done_late") if actual >= target else ("missed", "overdue_no_report")), (i, c)
