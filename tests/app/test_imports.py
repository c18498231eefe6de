"""The import page and the console in AppTest: a bad file is refused with the report shown, a good
one is published and every page reads it at its next rerun, a rollback puts the old data back, and
who did what is in the audit log."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import audit, publish
from tests.app.test_pages import run_page
from ui.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/imports.py"
JULY = "2023-07-31"


@pytest.fixture()
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "root"
    for group in ("exports", "reference", "plan"):
        shutil.copytree(ROOT / "data" / group, target / group)
    shutil.copy2(ROOT / "data/manifest.json", target / "manifest.json")
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
