"""The import page and the console in AppTest: a bad file is refused with the report shown, a good
one is published and every page reads it at its next rerun, a rollback puts the old data back, and
who did what is in the audit log."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import audit, publish
from tests.app.test_pages import run_page
from tests.bundled import copy_bundled
from ui.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/imports.py"
JULY = "2023-07-31"


@pytest.fixture()
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "root"
    copy_bundled(target)
    monkeypatch.setenv("FPA_DATA_DIR", str(target))
    return target


def july_csv(value: float | None = None, bad_row: bool = False) -> bytes:
    p = pd.read_parquet(ROOT / "data/exports/progress")
    rows = p[p["region_code"].str.startswith("4301") & (p["period_end"].astype(str) == JULY)].copy()
    if value is not None:
        rows["value"] = value
    rows = rows.astype({"value": object})
    if bad_row:
        rows.iloc[3, rows.columns.get_loc("value")] = "abc"
    return rows.to_csv(index=False).encode("utf-8")


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The table that has ``column`` (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def button(at: AppTest, key: str):
    label = catalog("zh")[key]
    return next(b for b in at.button if b.label == label)


def test_a_bad_file_shows_the_report_and_publishes_nothing(root: Path) -> None:
    at = run_page(PAGE, lang="zh")
    assert not at.exception
    at.get("file_uploader")[0].set_value(("progress_2023-07.csv", july_csv(bad_row=True), "text/csv"))
    button(at, "imports.publish").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("未发布任何数据" in e.value for e in at.warning)
    findings = table_with(at, "问题")
    assert "不是数字" in set(findings["问题"]) and "5" in set(findings["行"])  # the 4th data row is file row 5
    assert publish.current_id(root) == publish.BUNDLED
    assert not (root / "versions").exists()


def test_a_good_file_is_published_and_read_without_a_restart(root: Path) -> None:
    at = run_page(PAGE, lang="en")
    before = at.session_state["filters"].data_version
    at.get("file_uploader")[0].set_value(("progress_2023-07.csv", july_csv(value=3.0), "text/csv"))
    label = catalog("en")["imports.publish"]
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.message for e in at.exception]
    current = publish.current_id(root)
    assert current.startswith("v0001-")
    # the session switched to the new version on its own rerun
    assert at.session_state["filters"].data_version == current != before
    assert any("published version" in s.value for s in at.success)
    versions = table_with(at, "In force")
    assert versions.iloc[0]["Version"] == current and versions.iloc[0]["In force"] == "✓"
    # another page in the same server reads the new version too
    at.switch_page(str(ROOT / "pages/attainment.py")).run()
    assert not at.exception
    assert at.session_state["filters"].data_version == current


def test_two_uploads_of_the_same_name_are_both_checked(root: Path) -> None:
    """Two prefectures' progress.csv with the same key: both kept, the duplicate key refused, each
    upload named apart (the page used to keep only the second and publish it)."""
    at = run_page(PAGE, lang="en")
    first = july_csv(value=111.0)
    second = july_csv(value=222.0)
    at.get("file_uploader")[0].set_value([("progress.csv", first, "text/csv"), ("progress.csv", second, "text/csv")])
    next(b for b in at.button if b.label == catalog("en")["imports.publish"]).click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("nothing was published" in w.value for w in at.warning)
    files = table_with(at, "Kinds of error")
    assert list(files["File"]) == ["progress.csv (1)", "progress.csv (2)"]
    findings = table_with(at, "problem")
    across = findings[findings["problem"].str.startswith("same key")]
    assert set(across["file"]) == {"progress.csv (1)", "progress.csv (2)"}
    assert publish.current_id(root) == publish.BUNDLED and not (root / "versions").exists()


def test_emptying_published_values_needs_the_box_ticked(root: Path) -> None:
    p = pd.read_parquet(ROOT / "data/exports/progress")
    rows = p[p["region_code"].str.startswith("4301") & (p["period_end"].astype(str) == JULY)]
    published = int(rows["value"].notna().sum())  # values the file's keys hold now
    empty = rows.assign(value=None).to_csv(index=False).encode()
    at = run_page(PAGE, lang="en")
    at.get("file_uploader")[0].set_value(("progress_2023-07.csv", empty, "text/csv"))
    publish_button = catalog("en")["imports.publish"]
    next(b for b in at.button if b.label == publish_button).click().run()
    findings = table_with(at, "problem")
    wiped = findings[findings["problem"].str.startswith(f"would empty {published:,} published values")]
    assert len(wiped) == 1 and wiped.iloc[0]["column"] == "value" and wiped.iloc[0]["rows"].startswith("2, 3")
    assert publish.current_id(root) == publish.BUNDLED
    at.checkbox(key="imports_allow_nulls").check()
    next(b for b in at.button if b.label == publish_button).click().run()
    assert not at.exception, [e.message for e in at.exception]
    now = pd.read_parquet(publish.current_dir(root) / "exports/progress")
    july = now[now["region_code"].str.startswith("4301") & (now["period_end"].astype(str) == JULY)]
    assert publish.current_id(root) != publish.BUNDLED and july["value"].isna().all()


def test_rollback_from_the_page(root: Path) -> None:
    at = run_page(PAGE, lang="zh")
    at.get("file_uploader")[0].set_value(("progress_2023-07.csv", july_csv(value=3.0), "text/csv"))
    button(at, "imports.publish").click().run()
    assert publish.current_id(root) != publish.BUNDLED
    at.selectbox(key="imports_rollback_target").set_value(publish.BUNDLED)
    button(at, "imports.rollback").click().run()
    assert publish.current_id(root) != publish.BUNDLED, "a rollback needs the confirmation ticked"
    at.checkbox(key="imports_rollback_sure").check()
    button(at, "imports.rollback").click().run()
    assert not at.exception
    assert publish.current_id(root) == publish.BUNDLED
    assert at.session_state["filters"].data_version != publish.current_id(root)  # bundled: a file hash


# --------------------------------------------------------------------------- with sign-in


@pytest.fixture()
def users(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Users configured (tests/auth_support.py: vera viewer, anna analyst of 长沙 430100, adam admin)."""
    from tests.auth_support import make_users

    path = make_users(tmp_path / "etc" / "users.json", monkeypatch)
    monkeypatch.setenv("FPA_USERS_FILE", str(path))
    from ui import auth as ui_auth

    ui_auth.GUARD.reset()
    return path


def signed_in(name: str) -> AppTest:
    from tests.app.test_auth import open_page, sign_in, start

    return open_page(sign_in(start(lang="zh"), name), PAGE)


def test_a_prefecture_analyst_cannot_import_another_prefectures_rows(root: Path, users: Path) -> None:
    """anna (长沙 430100) sends 长沙's July rows plus one row of 株洲 (430211): refused, the row named,
    nothing published, and the audit log says who tried what."""
    p = pd.read_parquet(ROOT / "data/exports/progress")
    july = p[p["period_end"].astype(str) == JULY]
    rows = pd.concat([july[july["region_code"].str.startswith("4301")], july[july["region_code"] == "430211"].head(1)])
    at = signed_in("anna")
    assert not at.exception, [e.message for e in at.exception]
    at.get("file_uploader")[0].set_value(("progress_2023-07.csv", rows.to_csv(index=False).encode(), "text/csv"))
    button(at, "imports.publish").click().run()
    assert not at.exception, [e.message for e in at.exception]
    findings = table_with(at, "问题")
    scope = findings[findings["问题"].str.contains("不属于您的范围 430100")]
    assert len(scope) == 1 and scope.iloc[0]["行"] == str(len(rows) + 1) and "430211" in scope.iloc[0]["值"]
    assert publish.current_id(root) == publish.BUNDLED and not (root / "versions").exists()
    log = audit.read(root)
    refused = log[log["event"] == "import_refused"]
    assert list(refused["user"]) == ["anna"]
    assert "out_of_scope" in json.loads(refused["detail"].iloc[0])["problems"]


def test_the_same_analyst_publishes_their_own_prefecture(root: Path, users: Path) -> None:
    at = signed_in("anna")
    at.get("file_uploader")[0].set_value(("progress_2023-07.csv", july_csv(value=2.0), "text/csv"))
    button(at, "imports.publish").click().run()
    current = publish.current_id(root)
    assert current.startswith("v0001-")
    assert publish.read_info(root, current).user == "anna"
    log = audit.read(root)
    published = log[log["event"] == "import"]
    assert list(published["user"]) == ["anna"] and json.loads(published["detail"].iloc[0])["version"] == current
    # recorded before it was published: the intent names the parent and the file's bytes
    intent = json.loads(published["detail"].iloc[0])
    assert intent["parent"] == publish.BUNDLED and intent["via"] == "page" and intent["scope"] == "430100"
    assert [f["sha256"] for f in intent["files"]] == [hashlib.sha256(july_csv(value=2.0)).hexdigest()]
    assert list(log[log["event"].str.startswith("import")]["event"]) == ["import", "import_published"]
    # an analyst sees the versions but no rollback
    assert not [s for s in at.selectbox if s.key == "imports_rollback_target"]


def test_only_an_admin_rolls_back_and_it_is_recorded(root: Path, users: Path) -> None:
    at = signed_in("adam")
    at.get("file_uploader")[0].set_value(("progress_2023-07.csv", july_csv(value=2.0), "text/csv"))
    button(at, "imports.publish").click().run()
    at.selectbox(key="imports_rollback_target").set_value(publish.BUNDLED)
    at.checkbox(key="imports_rollback_sure").check()
    button(at, "imports.rollback").click().run()
    assert publish.current_id(root) == publish.BUNDLED
    log = audit.read(root)
    assert list(log[log["event"].isin(["import", "rollback"])]["event"]) == ["import", "rollback"]
    assert set(log[log["event"] == "rollback"]["user"]) == {"adam"}
    # once, before CURRENT moved, and its outcome (the page no longer records a second one)
    rollbacks = log[log["event"].str.startswith("rollback")]
    assert list(rollbacks["event"]) == ["rollback", "rollback_done"]
    assert json.loads(rollbacks["detail"].iloc[0])["to"] == publish.BUNDLED


def test_a_viewer_opening_the_import_page_by_url_is_refused(root: Path, users: Path) -> None:
    at = signed_in("vera")
    assert not at.get("file_uploader"), "the viewer must not get the page"
    assert any(catalog("zh")["auth.refused_title"] == t.value for t in at.title)


def test_console_queries_are_in_the_audit_log(root: Path, users: Path) -> None:
    """An analyst's SQL query, refused or not, is recorded with who asked it."""
    from tests.app.test_auth import open_page, sign_in, start

    at = open_page(sign_in(start(lang="zh"), "anna"), "pages/console.py")
    assert not at.exception, [e.message for e in at.exception]
    at.text_area(key="console_sql").input("select count(*) as n from stg_regions")
    next(b for b in at.button if b.label == catalog("zh")["console.run"]).click().run()
    at.text_area(key="console_sql").input("drop view fct_indicator_month")
    next(b for b in at.button if b.label == catalog("zh")["console.run"]).click().run()
    log = audit.read(root)
    queries = log[log["event"] == "sql_query"]
    assert list(queries["user"]) == ["anna", "anna"]
    outcomes = [json.loads(d)["outcome"] for d in queries["detail"]]
    assert outcomes[0] == "ok" and outcomes[1] == "refused"


# --------------------------------------------------------------------------- the plan workbook


def plan_workbook(points: int) -> bytes:
    """The committed 2023 workbook with the province's childcare points set to ``points``."""
    import io

    import openpyxl

    wb = openpyxl.load_workbook(ROOT / "data/plan/source/plan_2023.xlsx")
    ws = wb["目标 targets"]
    fields = {str(c.value).split(" ")[-1]: c.column for c in ws[1]}
    row = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(row=r, column=fields["indicator_id"]).value == "childcare_points_open"
        and ws.cell(row=r, column=fields["region_code"]).value == "430000"
    )
    ws.cell(row=row, column=fields["target_value"]).value = points
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_uploader(at: AppTest):
    """The plan tab's uploader (the exports' is the first on the page)."""
    label = catalog("zh")["imports.plan.file"]
    return next(u for u in at.get("file_uploader") if u.proto.label == label)


def test_an_admin_checks_and_publishes_a_plan_workbook(root: Path, users: Path) -> None:
    """adam (admin) uploads the 2023 workbook with 28 points instead of 20: the check reports it
    would pass and publishes nothing; the publish makes a new version whose targets say 28, split
    to the prefectures so that they still add up, with the same report as the command line."""
    at = signed_in("adam")
    assert not at.exception, [e.message for e in at.exception]
    plan_uploader(at).set_value(("工作要点2023.xlsx", plan_workbook(28), XLSX))
    check = [b for b in at.button if b.label == catalog("zh")["imports.check"]][-1]
    check.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("检查通过" in i.value for i in at.info), [i.value for i in at.info]
    assert publish.current_id(root) == publish.BUNDLED
    button(at, "imports.plan.publish").click().run()
    assert not at.exception, [e.message for e in at.exception]
    current = publish.current_id(root)
    assert current != publish.BUNDLED
    assert any("已发布" in s.value or "发布" in s.value for s in at.success), [s.value for s in at.success]
    targets = pd.read_parquet(root / "versions" / current / "plan" / "targets")
    points = targets[targets["indicator_id"] == "childcare_points_open"].set_index("region_code")["target_value"]
    assert points["430000"] == 28 and points.drop("430000").sum() == 28
    events = audit.read(root)
    published = events[events["event"] == "import_published"].iloc[-1]
    assert published["user"] == "adam"
    assert at.session_state["filters"].data_version == current  # this session reads the new plan


def test_a_refused_plan_workbook_shows_sheet_row_and_column(root: Path, users: Path) -> None:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(20)))
    ws = wb["指标 indicators"]
    ws.cell(row=2, column=7).value = "flux"  # 类型 kind of the first indicator
    out = io.BytesIO()
    wb.save(out)
    at = signed_in("adam")
    plan_uploader(at).set_value(("plan.xlsx", out.getvalue(), XLSX))
    button(at, "imports.plan.publish").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("未发布任何数据" in w.value for w in at.warning)
    findings = table_with(at, "问题")
    assert "指标 indicators" in set(findings.iloc[:, 2]) and "2" in set(findings["行"].astype(str))
    assert publish.current_id(root) == publish.BUNDLED and not (root / "versions").exists()


def test_an_analyst_cannot_import_a_plan(root: Path, users: Path) -> None:
    at = signed_in("anna")
    assert not at.exception, [e.message for e in at.exception]
    label = catalog("zh")["imports.plan.file"]
    assert not [u for u in at.get("file_uploader") if u.proto.label == label]
    assert any(catalog("zh")["imports.plan.admin_only"] == c.value for c in at.caption)
    assert not [b for b in at.button if b.label == catalog("zh")["imports.plan.publish"]]
