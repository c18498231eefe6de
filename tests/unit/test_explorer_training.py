"""The explorer's training measures and its empty cells (issue 20.7), on the bundled data.

Every expected figure is worked out here with pandas over the Parquet files (the trainings and
training_participants exports, the region table), not read from the explorer or the training page:
a class counts once it has ended (status held, end date on or before the as-of date), in the
month it ended; classes held count for the organiser's region, participants for their county.
"""

from __future__ import annotations

import calendar
import datetime as dt

import duckdb
import pandas as pd
import pytest

from analytics import db
from views import explorer as explorer_view
from views.filters import Filters
from views.i18n import catalog

DATA = db.DEFAULT_DATA_DIR
DEC = dt.date(2023, 12, 31)
KIND = "instructor_trainer"


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return db.connect(DATA)


def _read(folder: str) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(p) for p in sorted((DATA / folder).glob("**/*.parquet"))], ignore_index=True)


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return _read("reference/regions").set_index("region_code")


@pytest.fixture(scope="module")
def ended() -> pd.DataFrame:
    """The classes of 2023 held by 31 December, with the month they ended."""
    tr = _read("exports/trainings")
    tr = tr[(tr["plan_year"] == 2023) & (tr["status"] == "held")].copy()
    tr["end_date"] = pd.to_datetime(tr["end_date"])
    tr = tr[tr["end_date"] <= pd.Timestamp(DEC)]
    tr["month"] = tr["end_date"].dt.month
    return tr


def _table(model: explorer_view.ExplorerModel, frame: str = "display") -> pd.DataFrame:
    shown = model.display if frame == "display" else model.table
    return shown.set_index(list(shown.columns[: len(model.row_dims)]))


def month_label(month: int, lang: str) -> str:
    """A month's column header, as the explorer's catalogs write it."""
    return f"{month}月" if lang == "zh" else calendar.month_abbr[month]


def _view(con: duckdb.DuckDBPyConnection, lang: str, indicators: tuple[str, ...], **kw: object):
    return explorer_view.view(
        con, Filters(lang, 2023, DEC), indicators=indicators, grain="month", rows=("region",), cols=("period",), **kw
    )


def test_the_issues_example_has_numbers_where_the_training_page_has_classes(
    con: duckdb.DuckDBPyConnection, regions: pd.DataFrame, ended: pd.DataFrame
) -> None:
    """家庭健康指导员师资培训班 by prefecture by month: the register's classes held, counted by hand."""
    mine = ended[ended["kind"] == KIND]
    assert len(mine) == 14, "the training page's 14 classes held (13 prefectures' and the province's own)"
    organiser_prefecture = regions.loc[mine["region_code"], "prefecture_code"].to_numpy()
    by_hand = mine.assign(prefecture=organiser_prefecture).dropna(subset=["prefecture"])
    counts = by_hand.groupby(["prefecture", "month"]).size()
    model = _view(con, "zh", (f"training_held_{KIND}",))
    table = _table(model, "table")
    names = regions[regions["level"] == "prefecture"]["name_zh"]
    for code, name in names.items():
        for month in range(1, 13):
            assert table.loc[name, f"{month}月"] == counts.get((code, month), 0), (name, month)
        assert table.loc[name, "全期"] == by_hand[by_hand["prefecture"] == code].shape[0], name
    # a prefecture that held none shows 0, not a blank: the register lists every class
    assert (_table(model).loc["长沙市", "1月"]) == "0"
    # the province's own class counts at province level only: 13 at prefecture level, 14 for the province
    assert table.loc["合计", "全期"] == 13
    province = explorer_view.view(con, Filters("zh", 2023, DEC), indicators=(f"training_held_{KIND}",), level="province",
                                  grain="ytd", rows=("region",), cols=("period",))  # fmt: skip
    assert _table(province, "table").iloc[0, -1] == 14


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_completion_and_attendance_rates_equal_pandas(
    con: duckdb.DuckDBPyConnection, regions: pd.DataFrame, ended: pd.DataFrame, lang: str
) -> None:
    """Completed ÷ enrolled and attended ÷ enrolled, each summed over the trainees' counties in a
    prefecture and the classes that ended in the month, then divided (the training page's rule)."""
    parts = _read("exports/training_participants").merge(ended[["class_id", "month"]], on="class_id")
    parts["prefecture"] = regions.loc[parts["region_code"], "prefecture_code"].to_numpy()
    sums = parts.groupby(["prefecture", "month"])[["enrolled", "attended", "completed"]].sum()
    whole = parts.groupby("prefecture")[["enrolled", "attended", "completed"]].sum()
    words = catalog(lang)
    name_col = "name_zh" if lang == "zh" else "name_en"
    names = regions[regions["level"] == "prefecture"][name_col]
    for rate, part in (("completion", "completed"), ("attendance", "attended")):
        model = _view(con, lang, (f"training_{rate}_all",))
        table, shown = _table(model, "table"), _table(model)
        for code, name in names.items():
            for m in range(1, 13):
                if (code, m) in sums.index:
                    expected = sums.loc[(code, m), part] / sums.loc[(code, m), "enrolled"] * 100
                    assert table.loc[name, month_label(m, lang)] == pytest.approx(expected), (rate, name, m)
                    assert shown.loc[name, month_label(m, lang)] == f"{expected:,.1f}"
                else:  # no class with trainees from here ended that month: said so, not "—"
                    assert shown.loc[name, month_label(m, lang)] == words["explorer.blank.no_class"], (rate, name, m)
            expected = whole.loc[code, part] / whole.loc[code, "enrolled"] * 100
            assert table.loc[name, words["explorer.whole_period"]] == pytest.approx(expected)
        total = parts[part].sum() / parts["enrolled"].sum() * 100
        assert table.loc[words["explorer.total"], words["explorer.whole_period"]] == pytest.approx(total)
        assert any(words["explorer.blank.no_class"] in line for line in model.blanks), model.blanks
        assert words["explorer.training_note"] in model.rules


def test_each_kind_has_its_own_rates(
    con: duckdb.DuckDBPyConnection, regions: pd.DataFrame, ended: pd.DataFrame
) -> None:
    """The instructor trainer classes' completion by prefecture over the year, from their participants only."""
    mine = ended[ended["kind"] == KIND]
    parts = _read("exports/training_participants").merge(mine[["class_id"]], on="class_id")
    parts["prefecture"] = regions.loc[parts["region_code"], "prefecture_code"].to_numpy()
    whole = parts.groupby("prefecture")[["enrolled", "completed"]].sum()
    model = explorer_view.view(con, Filters("zh", 2023, DEC), indicators=(f"training_completion_{KIND}",),
                               grain="ytd", rows=("region",), cols=())  # fmt: skip
    table = _table(model, "table")
    for code, name in regions[regions["level"] == "prefecture"]["name_zh"].items():
        expected = whole.loc[code, "completed"] / whole.loc[code, "enrolled"] * 100
        assert table.loc[name].iloc[-1] == pytest.approx(expected), name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_cell_says_why(con: duckdb.DuckDBPyConnection, ended: pd.DataFrame, lang: str) -> None:
    """The plan's milestone is the province's own report: by prefecture every cell says it is not
    reported at that level, and the legend points to the register's classes held; a flow the counties
    report monthly says "no report" for the months nobody has reported (checked against the Parquet)."""
    words = catalog(lang)
    milestone = _view(con, lang, ("instructor_trainer_class_held",))
    values = _table(milestone).to_numpy().ravel()
    assert set(values) == {words["explorer.blank.not_at_level"]}
    legend = " ".join(milestone.blanks)
    held = milestone.choices.indicators[f"training_held_{KIND}"]
    assert words["explorer.blank.not_at_level"] in legend and held in legend, legend
    assert words["explorer.reported_by.province"] in legend
    # at the province's level the same milestone has its figure: the province's own classes held
    own = ended[(ended["kind"] == KIND) & (ended["level"] == "province")]
    province = explorer_view.view(con, Filters(lang, 2023, DEC), indicators=("instructor_trainer_class_held",),
                                  level="province", grain="ytd", rows=("region",), cols=())  # fmt: skip
    assert _table(province, "table").iloc[0, -1] == len(own) == 1
    progress = _read("exports/progress")

    # prefectures report member days themselves; the Parquet has months some prefecture left out
    flow = "member_day_events"
    regions = _read("reference/regions").set_index("region_code")
    reported = progress[
        (progress["indicator_id"] == flow) & (progress["plan_year"] == 2023) & progress["value"].notna()
    ]
    pairs = set(zip(reported["region_code"], pd.to_datetime(reported["period_end"]).dt.month, strict=True))
    model = _view(con, lang, (flow,))
    shown = _table(model)
    name_col = "name_zh" if lang == "zh" else "name_en"
    silent = 0
    for code, name in regions[regions["level"] == "prefecture"][name_col].items():
        for m in range(1, 13):
            cell = shown.loc[name, month_label(m, lang)]
            if (code, m) in pairs:
                assert cell.replace(",", "").isdigit(), (name, m, cell)
            else:
                silent += 1
                assert cell == words["explorer.blank.no_report"], (name, m, cell)
    assert silent, "the bundled Parquet has a prefecture's month without a member-day report"
    assert any(words["explorer.blank.no_report"] in line for line in model.blanks)
    assert not any(words["explorer.blank.not_at_level"] in line for line in model.blanks)
    # by county the prefectures' own report is not at that level
    counties = _view(con, lang, (flow,), level="county")
    assert set(_table(counties).to_numpy().ravel()) == {words["explorer.blank.not_at_level"]}
