"""A county's monthly template: generated, filled in by the test, imported; the figures in force are
what was filled (pandas over the published Parquet). Then the month is approved and accepted, and
an import into it is refused with the month, the county, who accepted it and when — on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics import db
from analytics.auth.roles import User
from analytics.ingest import ingest
from analytics.reporting import store as store_mod
from analytics.reporting import template
from analytics.reporting.store import Store, Target
from tests.reporting_support import store_url  # noqa: F401 - a fixture
from tests.unit.test_ingest import DATA, _csv, july_changsha, root, served_digest

__all__ = ["root"]

JULY = dt.date(2023, 7, 31)
FURONG = "430102"
TODAY = dt.date(2023, 8, 20)
ANNA = User("anna", "Anna", "analyst", "430100")
ADAM = User("adam", "Adam", "admin", "430000")


@pytest.fixture
def reporting_db(store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: F811
    """The import and the test read the same store: the setting the app reads, pointed at it."""
    monkeypatch.setenv(store_mod.DB_ENV, store_url)
    return store_url


def fill(path: Path, out: Path, reported: str = "2023-08-03") -> tuple[dict[str, float], dict[str, int]]:
    """Fill every yellow cell as a county would; return what was filled (indicator → value,
    village → instructors), worked out here from the row numbers, not from the code under test."""
    wb = load_workbook(path)
    p = wb[template.PROGRESS_SHEET]
    filled: dict[str, float] = {}
    for row in range(template.HEADER_ROW + 1, p.max_row + 1):
        indicator, kind = p.cell(row=row, column=1).value, p.cell(row=row, column=4).value
        if indicator is None:
            continue
        if kind == "是否完成":
            p.cell(row=row, column=5).value = "已完成" if row % 2 else "未完成"
            filled[indicator] = 1.0 if row % 2 else 0.0
        else:
            p.cell(row=row, column=5).value = row * 7 + 0.5
            filled[indicator] = row * 7 + 0.5
        p.cell(row=row, column=6).value = dt.date.fromisoformat(reported)
    v = wb[template.INSTRUCTORS_SHEET]
    villages: dict[str, int] = {}
    for row in range(template.HEADER_ROW + 1, v.max_row + 1, 3):  # every third village reports
        code = v.cell(row=row, column=1).value
        v.cell(row=row, column=4).value = row % 5
        v.cell(row=row, column=5).value = reported
        villages[str(code)] = row % 5
    wb.save(out)
    return filled, villages


def test_template_layout(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    template.write(path, FURONG, JULY, folder=DATA)
    wb = load_workbook(path)
    assert wb.sheetnames == ["填写说明", template.PROGRESS_SHEET, template.INSTRUCTORS_SHEET, "_layout"]
    assert wb["_layout"].sheet_state == "veryHidden"
    assert "芙蓉区（430102）2023-07 月报模板" in wb["填写说明"]["A1"].value
    p = wb[template.PROGRESS_SHEET]
    assert p.protection.sheet
    assert p["A3"].protection.locked and p["A4"].protection.locked and not p["E4"].protection.locked
    # the county's indicators: those Furong's prefecture's counties report in the bundled exports
    bundled = pd.read_parquet(DATA / "exports/progress")
    indicators = pd.read_parquet(DATA / "plan/indicators")
    ratio = set(indicators.loc[indicators["kind"] == "ratio", "indicator_id"])
    counties = pd.read_parquet(DATA / "reference/regions").query("level == 'county'")["region_code"]
    expected = set(bundled.loc[bundled["region_code"].isin(counties), "indicator_id"]) - ratio
    shown = {p.cell(row=r, column=1).value for r in range(4, p.max_row + 1)}
    assert shown == expected
    # every village and community of 芙蓉区
    regions = pd.read_parquet(DATA / "reference/regions")
    villages = set(regions.loc[(regions["level"] == "village") & (regions["county_code"] == FURONG), "region_code"])
    v = wb[template.INSTRUCTORS_SHEET]
    assert {v.cell(row=r, column=1).value for r in range(4, v.max_row + 1)} == villages
    rules = {(dv.type, dv.operator, str(dv.sqref).split()[0][0]) for dv in v.data_validations.dataValidation}
    assert ("whole", "between", "D") in rules and ("date", "greaterThan", "E") in rules
    kinds = {dv.type for dv in p.data_validations.dataValidation}
    assert {"list", "decimal", "date"} <= kinds


def test_prefecture_downloads_all_its_counties_at_once() -> None:
    data, names = template.prefecture_zip("430100", JULY, folder=DATA)
    regions = pd.read_parquet(DATA / "reference/regions")
    changsha = regions[(regions["level"] == "county") & (regions["prefecture_code"] == "430100")]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        listed = z.namelist()
        meta = template.read_meta  # each file is a template of its own county
        one = z.read(listed[0])
    assert len(listed) == len(changsha) == len(names)
    assert {n.split("_")[2] for n in listed} == set(changsha["region_code"])
    assert listed[0].startswith("月报_2023-07_")
    assert meta is not None and load_workbook(io.BytesIO(one))["_layout"]["B3"].value == listed[0].split("_")[2]


def test_round_trip_then_the_accepted_month_is_locked(
    root: Path, tmp_path: Path, reporting_db: str
) -> None:
    blank = tmp_path / "blank.xlsx"
    template.write(blank, FURONG, JULY, folder=db.published_dir(root))
    filled_path = tmp_path / "芙蓉区_2023-07.xlsx"
    filled, villages = fill(blank, filled_path)

    report = ingest([filled_path], data_dir=root, scope="430100", user="anna", today=TODAY)
    assert report.published, report.text()
    # the figures in force, read with pandas from the published Parquet
    now = db.published_dir(root)
    progress = pd.read_parquet(now / "exports/progress")
    mine = progress[(progress["region_code"] == FURONG) & (progress["period_end"] == JULY)]
    got = dict(zip(mine["indicator_id"], mine["value"], strict=True))
    assert {k: got[k] for k in filled} == filled
    assert set(mine.loc[mine["indicator_id"].isin(filled), "reported_at"]) == {dt.date(2023, 8, 3)}
    instructors = pd.read_parquet(now / "exports/instructors")
    in_post = instructors[instructors["region_code"].isin(villages) & (instructors["period_end"] == JULY)]
    assert dict(zip(in_post["region_code"], in_post["instructors_in_post"].astype(int), strict=True)) == villages

    # importing the template submitted the month, by the importer
    st = Store(root, reporting_db)
    c = st.get(FURONG, JULY)
    assert c is not None and (c.state, c.submitted_by) == ("submitted", "anna")
    target = Target(FURONG, "430100", JULY)
    st.move("approve", target, ANNA)
    accepted = st.move("accept", target, ADAM)
    when = accepted.accepted_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")  # type: ignore[union-attr]

    # the same template again, and a plain CSV of Changsha's July: both refused, nothing published
    before = served_digest(root)
    again = ingest([filled_path], data_dir=root, scope="430100", user="anna", today=TODAY)
    csv = _csv(july_changsha(), tmp_path / "progress_2023-07.csv")
    plain = ingest([csv], data_dir=root, scope="430100", user="anna", today=dt.date(2023, 9, 30))
    for refused in (again, plain):
        assert not refused.published
        text = refused.text()
        locked = [f for f in refused.errors if f.code == "locked_month"]
        assert len(locked) >= 1, text
        assert f"2023-07 of 芙蓉区 ({FURONG}) was accepted by adam on {when} and is locked" in text
        assert f"2023-07 芙蓉区（{FURONG}）已于 {when} 由 adam 验收" in text
    # the CSV names the rows of 芙蓉区 (file row = data row + 2)
    rows = july_changsha()
    expected_rows = [i + 2 for i in rows.index[rows["region_code"] == FURONG]]
    csv_lock = next(f for f in plain.errors if f.code == "locked_month")
    assert list(csv_lock.rows) == expected_rows[: len(csv_lock.rows)] and csv_lock.n_rows == len(expected_rows)
    assert served_digest(root) == before

    # withdrawn, the month takes imports again (and goes back to approved, then submitted)
    st.move("withdraw", target, ADAM)
    third = ingest([filled_path], data_dir=root, scope="430100", user="anna", today=TODAY)
    assert third.published, third.text()
    assert st.get(FURONG, JULY).state == "submitted"  # type: ignore[union-attr]


def test_a_template_with_a_bad_cell_is_reported_by_sheet_row_and_column(root: Path, tmp_path: Path) -> None:
    blank = tmp_path / "blank.xlsx"
    template.write(blank, FURONG, JULY, folder=db.published_dir(root))
    wb = load_workbook(blank)
    p = wb[template.PROGRESS_SHEET]
    p["E6"] = -3  # a negative figure (Excel's validation would stop it; a script does not)
    p["F6"] = "2023-08-02"
    p["E9"] = 12
    # row 9 has no reported date
    v = wb[template.INSTRUCTORS_SHEET]
    v["D10"] = "三"
    v["E10"] = "2023-08-02"
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    before = served_digest(root)
    report = ingest([path], data_dir=root, scope="430100", user="anna", today=TODAY)
    assert not report.published
    found = {(f.sheet, f.column, f.rows, f.code) for f in report.errors}
    assert (template.PROGRESS_SHEET, "value", (6,), "negative") in found, report.text()
    assert (template.PROGRESS_SHEET, "reported_at", (9,), "required") in found, report.text()
    assert (template.INSTRUCTORS_SHEET, "instructors_in_post", (10,), "not_an_integer") in found or (
        template.INSTRUCTORS_SHEET,
        "instructors_in_post",
        (10,),
        "not_a_number",
    ) in found, report.text()
    assert served_digest(root) == before
