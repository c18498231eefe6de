"""The plan workbook: the committed 2023 workbook gives today's plan tables, a good workbook is
published as a new version (and rolled back), and each kind of bad workbook is refused with its
sheet, row and column named while every byte under the data root stays as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics import audit, db, publish
from analytics.attainment import COMPLETION_THRESHOLD, THRESHOLDS
from analytics.contract import INDICATOR_KINDS, PHASINGS
from analytics.ingest.report import Report
from analytics.plan.cli import main
from analytics.plan.layout import SHEETS
from analytics.plan.run import check_workbook, import_workbook
from tests.bundled import copy_bundled

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
WORKBOOK = DATA / "plan" / "source" / "plan_2023.xlsx"
PLAN_TABLES = ("plan_items", "indicators", "targets", "target_schedules")


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """A data root copied from the bundled data (the bundled folder itself is never written)."""
    target = tmp_path / "root"
    copy_bundled(target)
    return target


def tree_digest(root: Path) -> dict[str, str]:
    """Every byte under the data root but the audit log (it records refusals) and the lock's empty file."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != audit.AUDIT_DIR and p.name != ".lock"
    }


def served_digest(root: Path) -> dict[str, str]:
    """The bytes of the tables in force (what the app reads), not the root's bookkeeping."""
    return {k: v for k, v in tree_digest(db.published_dir(root)).items() if k.split("/")[0] in publish.GROUPS}


def edited(tmp_path: Path, edit: Callable[[openpyxl.Workbook], None], name: str = "plan.xlsx") -> Path:
    wb = openpyxl.load_workbook(WORKBOOK)
    edit(wb)
    out = tmp_path / name
    wb.save(out)
    return out


def header_col(ws, field: str) -> int:
    """The 1-based column whose header names ``field`` ("指标编号 indicator_id")."""
    for cell in ws[1]:
        if str(cell.value or "").split(" ")[-1] == field:
            return cell.column
    raise KeyError(field)


def find_row(ws, **where: str) -> int:
    cols = {f: header_col(ws, f) for f in where}
    for row in range(2, ws.max_row + 1):
        if all(ws.cell(row=row, column=c).value == where[f] for f, c in cols.items()):
            return row
    raise KeyError(where)


# --------------------------------------------------------------------------- round trip


def test_committed_workbook_gives_the_bundled_plan_tables() -> None:
    """The key guarantee: the workbook is the 2023 plan, row for row (the tables were first built
    by scripts/build_plan.py's hand-written literals; their committed bytes did not change)."""
    report, built = check_workbook(WORKBOOK, DATA)
    assert report.ok, report.text()
    assert built is not None
    for name in PLAN_TABLES:
        bundled = pd.read_parquet(DATA / "plan" / name)
        mine = built.tables[name].to_pandas()
        assert list(mine.columns) == list(bundled.columns), name
        pd.testing.assert_frame_equal(mine, bundled, check_exact=True, obj=name)


def test_plan_row_holds_the_notice_and_todays_settings() -> None:
    plans = pq.read_table(DATA / "plan" / "plans").to_pylist()
    assert len(plans) == 1
    plan = plans[0]
    assert (plan["plan_year"], plan["province_code"], plan["notice_no"]) == (2023, "430000", "湘计生协发〔2023〕2号")
    assert plan["association_zh"] == "湖南省计划生育协会"
    assert plan["notice_date"].isoformat() == "2023-01-31"
    # the settings the code uses today, now written in the plan (phase 2 reads them from here)
    assert (plan["on_track_share"], plan["at_risk_share"]) == (THRESHOLDS.on_track, THRESHOLDS.at_risk)
    assert plan["completion_share"] == COMPLETION_THRESHOLD


def test_check_command_passes_the_committed_workbook(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_digest(root)
    assert main(["check", str(WORKBOOK), "--data-dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert "检查通过" in out and "all checks passed" in out
    assert tree_digest(root) == before  # check never publishes


# --------------------------------------------------------------------------- publish and rollback


def test_import_publishes_a_new_version_and_rollback_restores(root: Path, tmp_path: Path) -> None:
    def more_points(wb: openpyxl.Workbook) -> None:
        ws = wb["目标 targets"]
        row = find_row(ws, indicator_id="childcare_points_open", region_code="430000")
        ws.cell(row=row, column=header_col(ws, "target_value")).value = 28

    served_before = served_digest(root)
    report = import_workbook(edited(tmp_path, more_points), root, user="tester")
    assert report.ok, report.text()
    assert report.published is not None and publish.current_id(root) == report.published.id
    folder = db.published_dir(root)
    targets = pd.read_parquet(folder / "plan" / "targets")
    points = targets[targets["indicator_id"] == "childcare_points_open"].set_index("region_code")["target_value"]
    assert points["430000"] == 28
    prefectures = points.drop("430000")
    # 28 points: 1 to each of the 14 prefectures, the other 14 by population: still adds up, all ≥ 1
    assert len(prefectures) == 14 and prefectures.sum() == 28 and prefectures.min() >= 1
    # the funds follow the points' split and still add up to the stated 1,000,000
    funds = targets[(targets["indicator_id"] == "childcare_funds_yuan") & (targets["region_code"] != "430000")]
    assert funds["target_value"].sum() == 1_000_000
    # other indicators' targets are the bundled ones
    bundled = pd.read_parquet(DATA / "plan" / "targets")
    others = ~targets["indicator_id"].isin(["childcare_points_open", "childcare_funds_yuan"])
    keep = ~bundled["indicator_id"].isin(["childcare_points_open", "childcare_funds_yuan"])
    pd.testing.assert_frame_equal(
        targets[others].reset_index(drop=True), bundled[keep].reset_index(drop=True), check_exact=True
    )
    # the audit log has the publish; rollback puts the bundled data back, byte for byte
    assert "import_published" in set(audit.read(root)["event"])
    assert main(["rollback", "--data-dir", str(root)]) == 0
    assert publish.current_id(root) == publish.BUNDLED
    assert served_digest(root) == served_before


# --------------------------------------------------------------------------- bad workbooks


def _drop_sheet(wb: openpyxl.Workbook) -> tuple[str, str, int | None]:
    del wb["指标 indicators"]
    return "指标 indicators", "", None


def _unknown_kind(wb: openpyxl.Workbook) -> tuple[str, str, int | None]:
    ws = wb["指标 indicators"]
    row = find_row(ws, indicator_id="online_posts")
    ws.cell(row=row, column=header_col(ws, "kind")).value = "flux"
    return "指标 indicators", "类型 kind", row


def _unknown_phasing(wb: openpyxl.Workbook) -> tuple[str, str, int | None]:
    ws = wb["目标 targets"]
    row = find_row(ws, indicator_id="family_health_funds_yuan", region_code="430000")
    ws.cell(row=row, column=header_col(ws, "phasing")).value = "gradual"
    return "目标 targets", "分期方式 phasing", row


def _not_summing(wb: openpyxl.Workbook) -> tuple[str, str, int | None]:
    """The childcare funds split by hand: 14 prefectures × 70,000 = 980,000, not the 1,000,000 stated."""
    rules = wb["分解 allocations"]
    rule = find_row(rules, indicator_id="childcare_funds_yuan", level="prefecture")
    rules.cell(row=rule, column=header_col(rules, "method")).value = "manual"
    rules.cell(row=rule, column=header_col(rules, "parameter")).value = None
    ws = wb["目标 targets"]
    top = find_row(ws, indicator_id="childcare_funds_yuan", region_code="430000")
    template = [c.value for c in ws[top]]
    codes = ["430100", "430200", "430300", "430400", "430500", "430600", "430700"]
    codes += ["430800", "430900", "431000", "431100", "431200", "431300", "433100"]
    first = ws.max_row + 1
    for code in codes:
        row = list(template)
        row[header_col(ws, "region_code") - 1] = code
        row[header_col(ws, "region_name") - 1] = None
        row[header_col(ws, "target_value") - 1] = 70_000
        row[header_col(ws, "basis") - 1] = "interpreted"
        row[header_col(ws, "interpretation_zh") - 1] = "按手工分解"
        ws.append(row)
    return "目标 targets", "目标值 target_value", first


def _unknown_region(wb: openpyxl.Workbook) -> tuple[str, str, int | None]:
    ws = wb["目标 targets"]
    row = find_row(ws, indicator_id="study_trips_held", region_code="430000")
    ws.cell(row=row, column=header_col(ws, "region_code")).value = "439999"
    ws.cell(row=row, column=header_col(ws, "region_name")).value = None
    return "目标 targets", "地区代码 region_code", row


def _due_outside_year(wb: openpyxl.Workbook) -> tuple[str, str, int | None]:
    ws = wb["目标 targets"]
    row = find_row(ws, indicator_id="member_day_events", region_code="430000")
    ws.cell(row=row, column=header_col(ws, "due_date")).value = "2024-05-31"
    return "目标 targets", "完成时限 due_date", row


def _duplicate_id(wb: openpyxl.Workbook) -> tuple[str, str, int | None]:
    ws = wb["指标 indicators"]
    row = find_row(ws, indicator_id="world_aids_day_events")
    ws.cell(row=row, column=header_col(ws, "indicator_id")).value = "online_posts"
    return "指标 indicators", "指标编号 indicator_id", row


BAD = {
    "missing_sheet": (_drop_sheet, "missing_sheet"),
    "unknown_kind": (_unknown_kind, "not_allowed"),
    "unknown_phasing": (_unknown_phasing, "not_allowed"),
    "allocation_not_summing": (_not_summing, "allocation_not_summing"),
    "unknown_region": (_unknown_region, "unknown_region"),
    "due_date_outside_year": (_due_outside_year, "outside_plan_year"),
    "duplicate_indicator_id": (_duplicate_id, "duplicate_key"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_workbook_is_refused_with_sheet_row_and_column(
    case: str, root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit, code = BAD[case]
    where: list[tuple[str, str, int | None]] = []
    path = edited(tmp_path, lambda wb: where.append(edit(wb)))
    sheet, column, row = where[0]
    before = tree_digest(root)
    assert main(["import", str(path), "--data-dir", str(root)]) == 1
    text = capsys.readouterr().err
    assert tree_digest(root) == before, "a refused workbook changed the data root"
    assert publish.current_id(root) == publish.BUNDLED
    report: Report = import_workbook(path, root, user="tester")
    assert not report.ok and report.published is None
    hits = [f for f in report.errors if f.code == code and f.sheet == sheet and f.column == column]
    assert hits, f"no {code} finding at {sheet} / {column}: {report.text()}"
    if row is not None:
        assert row in hits[0].rows, (hits[0].rows, row)
    # the report names the sheet and the column in both languages, and the row
    assert f"工作表 {sheet}" in text and f"sheet {sheet}" in text
    if column:
        assert f"列 {column}" in text and f"column {column}" in text
    if row is not None:
        assert f"第 {row}" in text or f"、{row}" in text or f", {row}" in text
    assert "未发布任何数据" in text and "nothing was published" in text
    assert tree_digest(root) == before
    # the refusal is in the audit log
    assert "import_refused" in set(audit.read(root)["event"])


def test_not_summing_report_says_by_how_much(root: Path, tmp_path: Path) -> None:
    report = import_workbook(edited(tmp_path, _not_summing), root, user="tester")
    hit = next(f for f in report.errors if f.code == "allocation_not_summing")
    assert hit.n_rows == 14
    assert "add up to 980,000, not to their parent's (430000) target 1,000,000" in hit.reason("en")
    assert "合计 980,000，不等于上级（430000）目标 1,000,000" in hit.reason("zh")


# --------------------------------------------------------------------------- the template


def test_template_has_every_sheet_comments_and_drop_downs(tmp_path: Path) -> None:
    out = tmp_path / "工作要点模板.xlsx"
    assert main(["template", "--year", "2024", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["填写说明", *[s.name for s in SHEETS]]
    assert "2024" in str(wb["填写说明"]["A1"].value)
    plan = {str(r[0]).split(" ")[-1]: r[1] for r in wb["计划 plan"].iter_rows(min_row=2, values_only=True)}
    assert plan["plan_year"] == 2024
    settings = {str(r[0]).split(" ")[-1]: r[1] for r in wb["设置 settings"].iter_rows(min_row=2, values_only=True)}
    assert settings == {"on_track_share": 0.95, "at_risk_share": 0.8, "completion_share": 0.6}
    for spec in SHEETS:
        ws = wb[spec.name]
        if spec.keyvalue:
            continue
        assert [c.value for c in ws[1]] == [c.header for c in spec.columns]
        assert all(c.comment is not None and c.comment.text for c in ws[1])
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb["指标 indicators"].data_validations.dataValidation}
    kind = openpyxl.utils.get_column_letter(header_col(wb["指标 indicators"], "kind")) + "2"
    phasing = openpyxl.utils.get_column_letter(header_col(wb["指标 indicators"], "phasing")) + "2"
    assert lists[kind] == '"' + ",".join(INDICATOR_KINDS) + '"'
    assert lists[phasing] == '"' + ",".join(PHASINGS) + '"'
    basis = openpyxl.utils.get_column_letter(header_col(wb["目标 targets"], "basis")) + "2"
    assert any(str(dv.sqref).startswith(basis) for dv in wb["目标 targets"].data_validations.dataValidation)


def test_blank_template_is_refused_for_what_is_missing_not_for_its_layout(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "blank.xlsx"
    main(["template", "--year", "2024", "--out", str(out)])
    report, built = check_workbook(out, root)
    assert built is None
    codes = {f.code for f in report.errors}
    assert not codes & {"missing_sheet", "missing_column", "unknown_column", "unknown_field"}
    # the plan's notice number and date are what an association must still write
    assert "required" in codes
