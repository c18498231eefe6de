"""The training page's view model (views.training.view): its figures and texts worked out by hand
on the tiny folder (tests/unit/tiny_training.py), its counts against pandas over the bundled
Parquet files, and the meeting pack's training slide drawn from what the model holds."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analytics import db
from tests.unit import tiny_training
from ui.briefing import Request, build_pack
from ui.i18n import catalog
from views import training as view_training
from views.filters import Filters
from views.training import TrainingModel

D = dt.date
DATA = db.DEFAULT_DATA_DIR
ZH, EN = catalog("zh"), catalog("en")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return db.connect(tiny_training.build(tmp_path_factory.mktemp("tiny_view_training")))


def _view(con: duckdb.DuckDBPyConnection, as_of: dt.date, region: str = "430000", lang: str = "zh") -> TrainingModel:
    return view_training.view(con.cursor(), Filters(lang, 2023, as_of, region))


# --- the tiny folder, by hand --------------------------------------------------------------


def test_coverage_figures_and_change_by_hand(tiny: duckdb.DuckDBPyConnection) -> None:
    # 31 Mar: v2 (3) and vz (2) covered; v1 (1) and vb (0) short; v3 never reported: 2 of 5.
    # 28 Feb: v1 (2), v2 (3), vz (2) covered: 3 of 5 → −20 percentage points since then.
    cov = _view(tiny, D(2023, 3, 31)).coverage
    assert cov is not None
    assert cov.month == D(2023, 3, 31)
    assert [m.value for m in cov.counts] == ["2", "2", "1", "5"]
    assert [m.label for m in cov.counts] == [
        ZH["training.cat.covered"],
        ZH["training.cat.short"],
        ZH["training.cat.no_report"],
        ZH["training.coverage.units"],
    ]
    assert (cov.share.label, cov.share.value) == (ZH["training.coverage.share"], "40.0%")
    assert cov.share.delta == ZH["training.coverage.delta"].format(value="-20.0")
    assert cov.status is not None and cov.status_line.startswith("目标 100%（2023-12-31 前）")
    # the prefectures below: A has v2 and vz of its 4 units; B's one unit reported 0 in February
    assert cov.level == "prefecture"
    assert cov.below.set_index("region_code")["share"].to_dict() == {"430100": 0.5, "430200": 0.0}
    assert cov.map_labels == {"430100": "甲市<br>50%", "430200": "乙市<br>0%"}
    assert cov.map_hover == {"430100": "甲市：50.0%（2 / 4）", "430200": "乙市：0.0%（0 / 1）"}
    assert cov.map_title == "各市州配备率（2023-03-31）"
    assert list(cov.trend_labels) == ["430000", "430100", "430200"]
    assert set(cov.trend["region_code"]) == {"430000", "430100", "430200"}
    # counties, lowest share first: 乙县 0 of 1, 甲一区 1 of 3 (v2; v1 short, v3 unreported), 甲二区 1 of 1 (vz)
    counties = cov.counties
    assert list(counties[ZH["training.col.county"]]) == ["乙县", "甲一区", "甲二区"]
    assert list(counties[ZH["training.col.prefecture"]]) == ["乙市", "甲市", "甲市"]
    assert list(counties[cov.county_share]) == pytest.approx([0.0, 100 / 3, 100.0])
    assert list(counties[ZH["training.col.units"]]) == [1, 3, 1]
    assert set(cov.county_numbers) <= set(counties.columns)


def test_no_change_before_a_second_month_and_none_while_unreported(tiny: duckdb.DuckDBPyConnection) -> None:
    jan = _view(tiny, D(2023, 1, 31)).coverage
    assert jan is not None and jan.share.delta is None
    # B's only unit reported first in February: a 0 % in January, said on the map as "no report"
    assert jan.map_hover["430200"] == "乙市：0.0%（0 / 1），未报送"
    feb = _view(tiny, D(2023, 2, 28), region="430200").coverage
    assert feb is not None and feb.share.value == "0.0%" and feb.share.delta is None


def test_short_list_and_its_choices_by_hand(tiny: duckdb.DuckDBPyConnection) -> None:
    model = _view(tiny, D(2023, 3, 31))
    short = model.short
    # v1 (1, March) and vb (0, February) reported fewer than 2; v3 never reported
    assert (short.n_short, short.n_no_report, short.total) == (2, 1, 3)
    assert short.counties == {"430102": "甲一区", "430103": "甲二区", "430202": "乙县"}
    assert short.basename == "training_short_units_430000_2023-03-31"
    assert short.notes[0] == "指导员不足 2 名的村级单位，截至 2023-03-31，" + ZH["filters.whole_province"]
    code, count, month, received = (ZH[f"training.col.{c}"] for c in ("code", "instructors", "last_report", "received"))
    everything = short.narrowed()
    assert everything.caption.startswith("显示 3 个，共 3 个（不足 2 名 2 个，未报送 1 个）")
    never = short.narrowed(category="no_report")
    assert list(never.shown[code]) == ["430102001003"]
    assert (never.shown[count].iloc[0], never.shown[month].iloc[0], never.shown[received].iloc[0]) == (
        "未报送",
        "未报送",
        "",
    )
    assert pd.isna(never.table[count].iloc[0])  # the download keeps a missing count missing
    b = short.narrowed(county="430202")
    assert list(b.shown[code]) == ["430202001001"]
    assert (b.shown[count].iloc[0], b.shown[month].iloc[0]) == ("0", "2023-02")
    assert b.table[count].iloc[0] == 0 and b.table[month].iloc[0] == D(2023, 2, 28)
    assert short.narrowed(county="430103").table.empty  # vz had 2 in March


def test_classes_plan_cards_table_and_timeline_by_hand(tiny: duckdb.DuckDBPyConnection) -> None:
    classes = _view(tiny, D(2023, 6, 30)).classes
    # P1 held in April; P2 (youth, September) and P3 (capacity, November) not yet
    assert [(p.kind, p.held, p.planned, p.status.code) for p in classes.plan] == [
        ("instructor_trainer", 1, 1, "done"),
        ("youth_trainer", 0, 1, "not_yet_due"),
        ("capacity_building", 0, 1, "not_yet_due"),
    ]
    assert classes.plan[1].window == "2023-07-01 至 2023-12-31"
    assert classes.plan[0].line == "省计生协举办：已办 1 期，计划 1 期；时间窗 2023-01-01 至 2023-12-31"
    assert classes.plan[0].status.text == "√ " + ZH["status.done"]
    kinds = classes.kinds.set_index(ZH["training.col.kind"])
    # instructor trainers: P1 and A1 held; other: B1 cancelled, C1 (August) not yet held
    assert kinds.loc[ZH["training.kind.instructor_trainer"], ZH["training.state.held"]] == 2
    assert kinds.loc[ZH["training.kind.other"], ZH["training.classes.count"]] == 1
    assert kinds.loc[ZH["training.kind.other"], ZH["training.classes.due"]] == "—"
    # the province opens on its own and the prefectures' classes, by kind then organiser level
    assert classes.default_levels == ("province", "prefecture")
    shown = classes.at_levels(classes.default_levels)
    assert list(shown["class_id"]) == ["P1", "A1", "P2", "P3", "B1"]
    assert list(shown["row"]) == [
        "湖南省 · 指导员师资班",
        "甲市 · 指导员师资班",
        "湖南省 · 青春健康师资班",
        "湖南省 · 能力建设班",
        "乙市 · 其他培训",
    ]
    assert list(classes.at_levels(["county"])["row"]) == ["乙县 · 其他培训"]
    assert classes.deadlines == {D(2023, 12, 31): "截止：指导员师资班、青春健康师资班、能力建设班"}
    assert [w[:2] for w in classes.windows] == [(D(2023, 7, 1), D(2023, 12, 31))]
    # a prefecture opens on every level
    assert _view(tiny, D(2023, 6, 30), region="430100").classes.default_levels == ("province", "prefecture", "county")


def test_completion_by_hand(tiny: duckdb.DuckDBPyConnection) -> None:
    parts = _view(tiny, D(2023, 6, 30)).participants  # P1 and A1 have ended
    # enrolled 10 + 5 + 8 + 2; attended 9 + 5 + 6 + 2; completed 6 + 5 + 3 + 2; 16 / 25
    assert [m.value for m in parts.totals] == ["25", "22", "16", "64.0%"]
    assert parts.empty == ""
    # A1 lost 5 of its 10 (50 %, below 60 %); P1 11 of 15
    assert parts.below_count == "2 期培训班中有 1 期结业率低于 60%（下表按培训班查看时标黄）。"
    rate = ZH["training.participants.rate"]
    by_class = parts.tables["class"]
    assert list(by_class[ZH["training.col.class"]]) == ["甲市 · 指导员师资班", "湖南省 · 指导员师资班"]
    assert list(by_class[rate]) == pytest.approx([0.5, 11 / 15])
    assert parts.below["class"] == (True, False)
    # A: 11 of 20 (below); B: 5 of 5
    assert list(parts.tables["prefecture"][rate]) == pytest.approx([0.55, 1.0])
    assert parts.below["prefecture"] == (True, False)
    assert parts.by_level.set_index("label")["rate"].to_dict() == pytest.approx({"甲市": 0.55, "乙市": 1.0})
    assert parts.chart_title == "各市州结业率"
    march = _view(tiny, D(2023, 3, 31)).participants
    assert march.empty == "截至 2023-03-31，所选地区还没有已结束培训班的参训数据。"
    assert [m.value for m in march.totals] == ["0", "0", "0", "—"]


def test_bases_by_hand(tiny: duckdb.DuckDBPyConnection) -> None:
    # 31 Mar: A has a base (430102 reported 1), B reported 0
    bases = _view(tiny, D(2023, 3, 31)).bases
    assert bases is not None and bases.province
    assert bases.metric.value == "1 / 2"
    assert "乙市" in bases.line and "甲市" not in bases.line
    assert bases.target.startswith("目标：每个市州至少新建 1 个，2023-12-31 前完成")
    assert bases.by_prefecture.set_index("region_code")["bases"].to_dict() == {"430100": 1.0, "430200": 0.0}
    b = _view(tiny, D(2023, 3, 31), region="430200", lang="en").bases
    assert b is not None and not b.province
    assert (b.metric.label, b.metric.value) == (EN["training.bases.own"], "0")
    assert b.line == "In the province, 1 of 2 prefectures have a new base."
    # before March nobody had reported: no data, never 0
    feb = _view(tiny, D(2023, 2, 28), region="430100").bases
    assert feb is not None and feb.metric.value == ZH["training.no_data"]


def test_english_wording(tiny: duckdb.DuckDBPyConnection) -> None:
    model = _view(tiny, D(2023, 3, 31), lang="en")
    assert model.region_name == EN["filters.whole_province"]
    assert model.month_labels[0] == "Jan"
    cov = model.coverage
    assert cov is not None
    assert (cov.share.label, cov.share.delta) == (EN["training.coverage.share"], "-20.0 pp")
    # the tiny regions have no English names: Chinese stands in
    assert cov.map_labels["430100"] == "甲市<br>50%"
    assert EN["training.col.village"] in model.short.table.columns


# --- the bundled data against pandas ---------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> duckdb.DuckDBPyConnection:
    return db.connect(DATA)


def _read(folder: str) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(p) for p in sorted((DATA / folder).glob("**/*.parquet"))], ignore_index=True)


def _categories(as_of: dt.date, prefecture: str | None) -> pd.Series:
    """Each village-level unit's category from its last report up to ``as_of`` (pandas alone)."""
    units = _read("reference/regions").query("level == 'village'")
    if prefecture:
        units = units[units["prefecture_code"] == prefecture]
    ins = _read("exports/instructors")
    ins = ins[(ins["plan_year"] == 2023) & (pd.to_datetime(ins["period_end"]) <= pd.Timestamp(as_of))]
    last = ins.sort_values("period_end").groupby("region_code")["instructors_in_post"].last()
    n = units["region_code"].map(last)
    return pd.Series({"covered": (n >= 2).sum(), "short": (n < 2).sum(), "no_report": n.isna().sum()})


@pytest.mark.parametrize(("region", "as_of"), [("430000", D(2023, 12, 31)), ("430800", D(2023, 6, 30))])
def test_bundled_figures_match_pandas(bundled: duckdb.DuckDBPyConnection, region: str, as_of: dt.date) -> None:
    model = _view(bundled, as_of, region)
    expected = _categories(as_of, None if region == "430000" else region)
    units = int(expected.sum())
    cov = model.coverage
    assert cov is not None
    assert [m.value for m in cov.counts] == [f"{n:,}" for n in (*expected, units)]
    assert cov.share.value == f"{expected['covered'] / units:.1%}"
    assert model.short.total == expected["short"] + expected["no_report"] == len(model.short.table)
    # completion: the participants of the classes held and ended by the as-of date
    tr = _read("exports/trainings")
    ended = tr[
        (tr["plan_year"] == 2023) & (tr["status"] == "held") & (pd.to_datetime(tr["end_date"]) <= pd.Timestamp(as_of))
    ]
    regions = _read("reference/regions").set_index("region_code")
    p = _read("exports/training_participants").merge(ended[["class_id"]], on="class_id")
    if region != "430000":
        p = p[regions.loc[p["region_code"], "prefecture_code"].to_numpy() == region]
    sums = p[["enrolled", "attended", "completed"]].sum()
    assert [m.value for m in model.participants.totals] == [
        f"{sums['enrolled']:,}",
        f"{sums['attended']:,}",
        f"{sums['completed']:,}",
        f"{sums['completed'] / sums['enrolled']:.1%}",
    ]


# --- the meeting pack's training slide, from the model -----------------------------------------


@pytest.mark.parametrize(
    ("lang", "region", "as_of"),
    [("zh", "430000", D(2023, 12, 31)), ("en", "430800", D(2023, 6, 30)), ("zh", "430100", D(2023, 9, 30))],
)
def test_the_packs_training_slide_is_in_the_model(
    bundled: duckdb.DuckDBPyConnection, lang: str, region: str, as_of: dt.date
) -> None:
    """Every card of the pack's training slide (title, value, status) is a field of the model, so
    the pack can render the model rather than its own recipe."""
    pack = build_pack(bundled.cursor(), Request(lang, 2023, as_of, region), data_dir=DATA)
    slide = next(s for s in pack.slides if s.title == catalog(lang)["briefing.training.title"])
    model = _view(bundled, as_of, region, lang)
    cov, parts, bases = model.coverage, model.participants, model.bases
    assert cov is not None and cov.status is not None and bases is not None
    cards = list(slide.cards)
    first = cards.pop(0)
    assert (first.title, first.value, first.status, first.status_text) == (
        cov.share.label,
        cov.share.value,
        cov.status.code,
        cov.status.text,
    )
    assert cov.covered.value in first.lines[0] and cov.units.value in first.lines[0]
    assert first.lines[1] == cov.status_line
    for card, plan in zip(cards[:3], model.classes.plan, strict=True):
        assert (card.title, card.value, card.status, card.status_text) == (
            plan.title,
            f"{plan.held} / {plan.planned}",
            plan.status.code,
            plan.status.text,
        )
        assert plan.window in card.lines[1]
    rate = cards[3]
    assert (rate.title, rate.value) == (parts.rate.label, parts.rate.value)
    assert parts.completed.value in rate.lines[0] and parts.enrolled.value in rate.lines[0]
    last = cards[4]
    assert (last.title, last.value, last.status, last.status_text) == (
        bases.metric.label,
        bases.metric.value,
        bases.status.code,
        bases.status.text,
    )
    assert last.lines == (bases.line_short,)
    # the slide's chart: the regions below with their short names
    assert set(cov.below["region_code"]) <= set(cov.bar_labels)
