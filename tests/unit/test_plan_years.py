"""The plan as data, phase 2: what each plan year's workbook decides reaches the pages.

* the association's settings (status thresholds, training completion share) are the plan
  year's row of ``plans``, not the code's: a workbook with on track at 90 % turns a region whose
  pace lies between 90 % and 95 % from at risk to on track, and the rule the page prints says 90;
* indicators are per plan year: a 2024 workbook (changed targets, one new indicator, one dropped)
  is loaded beside 2023; 2024's tables and view models have the 2024 plan, 2023's are unchanged.

Expected values are worked out here with pandas over the Parquet files and the workbook's own
numbers, never read back from the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from analytics import db, queries
from analytics.plan.run import import_workbook
from tests.bundled import copy_bundled
from views import attainment as attainment_view
from views import training as training_view
from views.filters import Filters

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
WORKBOOK = DATA / "plan" / "source" / "plan_2023.xlsx"


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """A data root copied from the bundled data (the bundled folder itself is never written)."""
    target = tmp_path / "root"
    copy_bundled(target)
    return target


def connect(root: Path) -> duckdb.DuckDBPyConnection:
    """The version in force under ``root``, as the app opens it."""
    return db.connect(db.published_dir(root))


def header_col(ws, field: str) -> int:
    for cell in ws[1]:
        if str(cell.value or "").split(" ")[-1] == field:
            return cell.column
    raise KeyError(field)


def set_field(wb: openpyxl.Workbook, sheet: str, field: str, value: object) -> None:
    """A key/value sheet (计划 plan, 设置 settings): the value beside ``field``."""
    ws = wb[sheet]
    for row in range(2, ws.max_row + 1):
        if str(ws.cell(row=row, column=1).value or "").split(" ")[-1] == field:
            ws.cell(row=row, column=2).value = value
            return
    raise KeyError(field)


def by_hand(pace: float, on_track: float, at_risk: float) -> str:
    """docs/indicators.md's pace rule, before the due date and short of the target."""
    return "on_track" if pace >= on_track else "at_risk" if pace >= at_risk else "behind"


# --------------------------------------------------------------------------- settings


FUNDS = "family_health_funds_yuan"
YUEYANG = "430600"  # 岳阳市: its health funds on 30 April 2023 lie between 90 % and 95 % of the line
APRIL = dt.date(2023, 4, 30)


def funds_pace_by_hand() -> float:
    """岳阳's family health funds on 30 April 2023 over its linear line, from the Parquet files:
    a flow, summed over its counties' reports up to April; the target (allocated by population)
    prorated over 120 of the year's 365 days (1 January to 30 April, both counted)."""
    progress = pd.read_parquet(DATA / "exports" / "progress")
    regions = pd.read_parquet(DATA / "reference" / "regions")[["region_code", "prefecture_code"]]
    rows = progress[progress["indicator_id"] == FUNDS].merge(regions, on="region_code")
    mine = rows[(rows["prefecture_code"] == YUEYANG) & (pd.to_datetime(rows["period_end"]) <= pd.Timestamp(APRIL))]
    targets = pd.read_parquet(DATA / "plan" / "targets")
    target = float(
        targets.loc[(targets["indicator_id"] == FUNDS) & (targets["region_code"] == YUEYANG), "target_value"].iloc[0]
    )
    return float(mine["value"].sum()) / (target * 120 / 365)


def classes_below_by_hand(share: float, as_of: dt.date) -> int:
    """Classes held by ``as_of`` whose sum(completed) / sum(enrolled) is below ``share``."""
    parts = pd.read_parquet(DATA / "exports" / "training_participants")
    classes = pd.read_parquet(DATA / "exports" / "trainings")
    held = classes[(classes["status"] == "held") & (pd.to_datetime(classes["end_date"]) <= pd.Timestamp(as_of))]
    sums = parts[parts["class_id"].isin(held["class_id"])].groupby("class_id")[["completed", "enrolled"]].sum()
    return int((sums["completed"] / sums["enrolled"] < share).sum())


def test_the_plan_years_settings_judge_its_statuses(root: Path, tmp_path: Path) -> None:
    pace = funds_pace_by_hand()
    assert 0.90 <= pace < 0.95, pace  # the region this test is about
    f = Filters(lang="en", plan_year=2023, as_of=APRIL)
    end = dt.date(2023, 12, 31)
    year_end = Filters(lang="en", plan_year=2023, as_of=end)

    def league_status(con: duckdb.DuckDBPyConnection) -> str:
        model = attainment_view.view(con, f, indicator=FUNDS)
        assert model.chosen is not None and model.chosen.indicator_id == FUNDS
        league = model.chosen.league.set_index("code")
        return str(league.loc[YUEYANG, "status_code"])

    con = connect(root)
    assert league_status(con) == by_hand(pace, 0.95, 0.80) == "at_risk"
    before = training_view.view(con, year_end).participants
    assert before.threshold == 0.6
    assert sum(before.below["class"]) == classes_below_by_hand(0.6, end)
    con.close()

    wb = openpyxl.load_workbook(WORKBOOK)
    set_field(wb, "设置 settings", "on_track_share", 0.9)
    set_field(wb, "设置 settings", "completion_share", 0.75)
    path = tmp_path / "plan_2023_90.xlsx"
    wb.save(path)
    report = import_workbook(path, root, user="tester")
    assert report.ok, report.text()

    con = connect(root)
    assert queries.plan_settings(con, plan_year=2023).thresholds.on_track == 0.9
    assert league_status(con) == by_hand(pace, 0.90, 0.80) == "on_track"
    # the page says the plan's thresholds: the rule under every status legend and the download's notes
    model = attainment_view.view(con, f, indicator=FUNDS)
    assert "at least 90%" in model.rule and "80–90%" in model.rule, model.rule
    assert model.rule in model.download.notes
    after = training_view.view(con, year_end).participants
    assert after.threshold == 0.75
    assert sum(after.below["class"]) == classes_below_by_hand(0.75, end) > classes_below_by_hand(0.6, end)
    assert "75%" in after.threshold_label and "75%" in after.note
    con.close()


def test_a_year_without_a_plan_row_is_judged_with_the_template_defaults(tmp_path: Path) -> None:
    """Data published before plans had a row (no plans table at all) still opens, with 95 % / 80 % / 60 %."""
    from tests.unit import tiny

    con = db.connect(tiny.build(tmp_path / "tiny"))
    s = queries.plan_settings(con, plan_year=2023)
    assert (s.thresholds.on_track, s.thresholds.at_risk, s.completion_share) == (0.95, 0.80, 0.6)


# --------------------------------------------------------------------------- a 2024 plan beside 2023

DROPPED = "study_trips_held"  # item 22's trips: not in the 2024 plan
NEW = "family_health_lectures_held"  # a new 2024 indicator: 140 lectures, split evenly to the 14 prefectures
POINTS, POINTS_2024 = "childcare_points_open", 30  # 20 in 2023
FUNDS_2024 = 2_400_000  # family health funds: 2,000,000 in 2023
PREFECTURES = 14


def rows_of(ws) -> list[dict[str, object]]:
    fields = [str(c.value).split(" ")[-1] for c in ws[1]]
    return [dict(zip(fields, row, strict=False)) for row in ws.iter_rows(min_row=2, values_only=True)]


def delete_rows(ws, **where: str) -> None:
    fields = {str(c.value).split(" ")[-1]: c.column for c in ws[1]}
    for row in range(ws.max_row, 1, -1):
        if all(ws.cell(row=row, column=fields[f]).value == v for f, v in where.items()):
            ws.delete_rows(row)


def set_cell(ws, field: str, value: object, **where: str) -> None:
    fields = {str(c.value).split(" ")[-1]: c.column for c in ws[1]}
    hits = [
        row
        for row in range(2, ws.max_row + 1)
        if all(ws.cell(row=row, column=fields[f]).value == v for f, v in where.items())
    ]
    assert len(hits) == 1, (where, hits)
    ws.cell(row=hits[0], column=fields[field]).value = value


def append(ws, **values: object) -> None:
    fields = [str(c.value).split(" ")[-1] for c in ws[1]]
    ws.append([values.get(f) for f in fields])


def write_2024(path: Path) -> Path:
    """The 2023 workbook made into a 2024 plan: every date a year on, a new notice, more childcare
    points and family health funds, item 22's study trips dropped, a new indicator of lectures."""
    wb = openpyxl.load_workbook(WORKBOOK)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.datetime) and cell.value.year == 2023:
                    cell.value = cell.value.replace(year=2024)
    set_field(wb, "计划 plan", "plan_year", 2024)
    set_field(wb, "计划 plan", "notice_no", "湘计生协发〔2024〕1号")
    targets, indicators = wb["目标 targets"], wb["指标 indicators"]
    set_cell(targets, "target_value", POINTS_2024, indicator_id=POINTS, region_code="430000")
    set_cell(targets, "target_value", FUNDS_2024, indicator_id=FUNDS, region_code="430000")
    for sheet in ("指标 indicators", "目标 targets", "分解 allocations"):
        delete_rows(wb[sheet], indicator_id=DROPPED)
    item = next(r["item_no"] for r in rows_of(indicators) if r["indicator_id"] == FUNDS)
    append(
        indicators,
        indicator_id=NEW,
        item_no=item,
        name_zh="家庭健康讲座",
        name_en="Family health lectures",
        unit_zh="场",
        unit_en="lectures",
        kind="flow",
        target_rule="total",
        phasing="linear",
        phasing_reason_zh="讲座逐月举办，可分：按时间线性折算。",
        phasing_reason_en="Lectures are held month by month: prorated over the year.",
        source_table="progress",
        is_component="否",
        display_order=9,
        definition_zh="当月举办的家庭健康讲座场次。",
        definition_en="Family health lectures held in the month.",
    )
    append(
        targets,
        indicator_id=NEW,
        region_code="430000",
        target_value=140,
        basis="interpreted",
        stated_zh="投入200万资金在全省实施家庭健康促进行动项目",  # the item's words, checked against its text
        interpretation_zh="本协会安排：全省举办140场家庭健康讲座。",
        interpretation_en="The association's own plan: 140 family health lectures across the province.",
    )
    append(wb["分解 allocations"], indicator_id=NEW, level="prefecture", method="even")
    out = path / "plan_2024.xlsx"
    wb.save(out)
    return out


def plain(obj: object) -> object:
    """A view model as plain values, so two runs compare with == (frames by their cells)."""
    import dataclasses

    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, pd.DataFrame):
        return {"columns": [str(c) for c in obj.columns], "rows": plain(obj.astype(object).to_numpy().tolist())}
    if isinstance(obj, pd.Series):
        return plain(obj.to_dict())
    if isinstance(obj, dict):
        # the file a plan row was read from is the new version's: not what a page shows
        return {str(k): plain(v) for k, v in obj.items() if k != "source_file"}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, float) and obj != obj:
        return "NaN"
    if obj is pd.NaT or obj is pd.NA:
        return "NA"
    return obj


def models(con: duckdb.DuckDBPyConnection, f: Filters, indicator: str) -> dict[str, object]:
    from views import home as home_view

    return {
        "home": plain(home_view.view(con, f)),
        "attainment": plain(attainment_view.view(con, f, indicator=indicator)),
    }


F2023 = Filters(lang="zh", plan_year=2023, as_of=dt.date(2023, 6, 30))
F2024 = Filters(lang="en", plan_year=2024, as_of=dt.date(2024, 6, 30))


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object], pd.DataFrame]:
    """A data root with the bundled 2023 plan and the 2024 workbook imported beside it; the 2023
    view models and indicators as they were before the import."""
    base = tmp_path_factory.mktemp("two_years")
    target = base / "root"
    copy_bundled(target)
    con = connect(target)
    before = {ind: models(con, F2023, ind) for ind in (POINTS, DROPPED)}
    indicators_2023 = queries.indicators(con, plan_year=2023)
    con.close()
    report = import_workbook(write_2024(base), target, user="tester")
    assert report.ok, report.text()
    return target, before, indicators_2023


def test_both_years_are_listed_and_each_has_its_own_indicators(two_years) -> None:
    root, _, indicators_2023 = two_years
    con = connect(root)
    # the plan-year selector (ui/state.render_global_filters) lists data_status's plan years
    assert list(queries.data_status(con)["plan_years"].iloc[0]) == [2023, 2024]
    ids_2023 = set(pd.read_parquet(DATA / "plan" / "indicators")["indicator_id"])
    ids_2024 = set(queries.indicators(con, plan_year=2024)["indicator_id"])
    assert ids_2024 == (ids_2023 - {DROPPED}) | {NEW}
    # 2023's indicators as they were (the file they are read from is the new version's)
    pd.testing.assert_frame_equal(
        queries.indicators(con, plan_year=2023).drop(columns="source_file"), indicators_2023.drop(columns="source_file")
    )
    assert DROPPED in set(queries.targets(con, plan_year=2023)["indicator_id"])
    assert DROPPED not in set(queries.targets(con, plan_year=2024)["indicator_id"])
    # the published indicators table has one row per plan year and indicator
    published = pd.read_parquet(db.published_dir(root) / "plan" / "indicators")
    assert not published.duplicated(["plan_year", "indicator_id"]).any()
    assert published.groupby("plan_year").size().to_dict() == {2023: len(ids_2023), 2024: len(ids_2024)}
    # an item whose only judged indicator went has no quantitative target in 2024
    items = queries.plan_items(con, plan_year=2024).set_index("item_no")
    assert (
        int(items.loc[22, "n_indicators"])
        == int(queries.plan_items(con, plan_year=2023).set_index("item_no").loc[22, "n_indicators"]) - 1
    )
    con.close()


def test_the_2024_view_models_show_the_2024_targets(two_years) -> None:
    from views import format as fmt
    from views import home as home_view
    from views.i18n import text

    root, _, _ = two_years
    con = connect(root)
    inds = queries.indicators(con, plan_year=2024).set_index("indicator_id")
    home = home_view.view(con, F2024)
    cards = {c.title: c for c in home.cards}
    for key, ind, value in (
        ("overview.card.points", POINTS, POINTS_2024),
        ("overview.card.family_funds", FUNDS, FUNDS_2024),
    ):
        wanted = text("overview.card.target", "en", value=fmt.value(float(value), inds.loc[ind].to_dict(), "en"))
        assert wanted in cards[text(key, "en")].lines, cards[text(key, "en")].lines
    # the items table and board carry the new indicator's item, not the dropped one's trips
    model = attainment_view.view(con, F2024, indicator=NEW)
    assert model.chosen is not None and model.chosen.indicator_id == NEW
    assert model.chosen.target is not None and model.chosen.target["target_value"] == 140
    options = {o.indicator_id for o in model.options}
    assert NEW in options and DROPPED not in options
    # the league and the download hold the 2024 targets, split as the workbook says
    rows = queries.attainment_tables(con, plan_year=2024, as_ofs=(F2024.as_of,), levels=("prefecture",))[
        (F2024.as_of, "prefecture")
    ]
    new = rows[rows["indicator_id"] == NEW]
    assert len(new) == PREFECTURES and set(new["target"]) == {140 / PREFECTURES}  # even: 10 each
    points = rows[rows["indicator_id"] == POINTS]
    # 30 points: 1 to each prefecture first, the other 16 by population — every one ≥ 1, 30 in all
    assert points["target"].sum() == POINTS_2024 and points["target"].min() >= 1
    assert DROPPED not in set(model.download.table.iloc[:, 0]) | set(rows["indicator_id"])
    points_model = attainment_view.view(con, F2024, indicator=POINTS)
    assert points_model.chosen is not None and points_model.chosen.target["target_value"] == POINTS_2024
    con.close()


def test_the_2023_view_models_are_unchanged(two_years) -> None:
    root, before, _ = two_years
    con = connect(root)
    for ind, wanted in before.items():
        now = models(con, F2023, ind)
        for page in wanted:
            for part in wanted[page]:  # type: ignore[attr-defined]
                assert now[page][part] == wanted[page][part], (ind, page, part)  # type: ignore[index]
    con.close()
