"""The data explorer in AppTest: a link reproduces the pivot the widgets make, and what the page
shows equals a pandas computation over the bundled Parquet (province and two prefectures)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import db
from tests.app.test_pages import run_page
from ui.i18n import catalog

PAGE = "pages/explorer.py"


def pivot(at: AppTest) -> pd.DataFrame:
    assert not at.exception, [e.message for e in at.exception]
    return at.dataframe[0].value


def test_a_link_reproduces_the_pivot_the_widgets_make() -> None:
    link = {
        "ind": "special_family_contact_coverage,livelihood_project_funds_yuan",
        "level": "county",
        "grain": "month",
        "rows": "region",
        "cols": "indicator,period",
        "regions": "430102,430103,430104",
        "as_of": "2023-06-30",
    }
    from_link = run_page(PAGE, lang="zh", **link)

    by_hand = run_page(PAGE, lang="zh", as_of="2023-06-30")
    by_hand.multiselect(key="explorer_ind").set_value(
        ["special_family_contact_coverage", "livelihood_project_funds_yuan"]
    ).run()
    by_hand.segmented_control(key="explorer_level").set_value("county").run()
    by_hand.segmented_control(key="explorer_grain").set_value("month").run()
    by_hand.multiselect(key="explorer_regions").set_value(["430102", "430103", "430104"]).run()
    # the page put the indicators on the rows; choosing them for the columns takes them off the rows
    assert by_hand.multiselect(key="explorer_rows").value == ["indicator", "region"]
    by_hand.multiselect(key="explorer_cols").set_value(["indicator", "period"]).run()
    assert by_hand.multiselect(key="explorer_rows").value == ["region"]

    shown = pivot(from_link)
    pd.testing.assert_frame_equal(shown, pivot(by_hand))
    assert len(shown) == 4  # three counties and their total
    assert len(shown.columns) == 1 + 2 * (6 + 1)  # region; two indicators × (six months + whole period)
    # the widgets say what the link said
    assert from_link.segmented_control(key="explorer_grain").value == "month"
    assert from_link.multiselect(key="explorer_regions").value == ["430102", "430103", "430104"]
    assert not from_link.info  # nothing in the link was invalid


def test_invalid_link_values_fall_back_with_a_note() -> None:
    at = run_page(PAGE, lang="en", ind="nope", level="village", grain="fortnight", rows="region;drop")
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    for text in ("ind=nope", "level=village", "grain=fortnight", "rows=region;drop"):
        assert text in notes
    assert at.segmented_control(key="explorer_level").value == "prefecture"
    assert at.multiselect(key="explorer_ind").value == ["instructor_coverage"]
    assert len(pivot(at)) == 15  # 14 prefectures and the total


def test_both_languages_and_all_grains_render() -> None:
    for lang in ("zh", "en"):
        for grain, n_cols in (("month", 12 + 1), ("quarter", 4 + 1), ("ytd", 12)):
            at = run_page(PAGE, lang=lang, grain=grain)
            table = pivot(at)
            assert len(table.columns) == 1 + n_cols, (lang, grain, list(table.columns))
            assert table.iloc[-1, 0] == catalog(lang)["explorer.total"]


# --- the figures, against pandas over the Parquet files --------------------------------------------


def _progress() -> pd.DataFrame:
    progress = pd.read_parquet(db.DEFAULT_DATA_DIR / "exports" / "progress")
    regions = pd.read_parquet(db.DEFAULT_DATA_DIR / "reference" / "regions")
    progress = progress.merge(regions[["region_code", "prefecture_code", "county_code"]], on="region_code")
    progress["period_end"] = pd.to_datetime(progress["period_end"])
    return progress[progress["plan_year"] == 2023]


def _quarter_figures(level_col: str, within: str | None) -> dict[tuple[str, str], tuple[float, float]]:
    """(region, quarter or "all") → (funds paid in the quarter, contact coverage at its end, %), by hand in pandas."""
    p = _progress()
    if within:
        p = p[p["prefecture_code"] == within]
    ends = {"Q1": "2023-03-31", "Q2": "2023-06-30", "Q3": "2023-09-30", "Q4": "2023-12-31"}
    out = {}
    for q, end in ends.items():
        end_ts = pd.Timestamp(end)
        start_ts = end_ts - pd.offsets.QuarterBegin(startingMonth=1)
        funds = p[
            (p["indicator_id"] == "livelihood_project_funds_yuan") & (p["period_end"] > start_ts - pd.Timedelta(days=1))
        ]
        funds = funds[funds["period_end"] <= end_ts].groupby(level_col)["value"].sum()
        stock = p[p["indicator_id"].isin(["special_families_with_contact", "special_families_total"])]
        stock = stock[(stock["period_end"] <= end_ts) & stock["value"].notna()]
        last = stock.sort_values("period_end").groupby(["indicator_id", "region_code"]).tail(1)
        last = last.merge(p[["region_code", level_col]].drop_duplicates(), on="region_code", suffixes=("", "_"))
        sums = last.groupby(["indicator_id", level_col])["value"].sum().unstack(0)
        share = sums["special_families_with_contact"] / sums["special_families_total"] * 100
        for region in funds.index.union(share.index):
            out[(str(region), q)] = (float(funds.get(region, float("nan"))), float(share.get(region, float("nan"))))
        # the total over the regions: sums first, then the ratio
        out[("all", q)] = (
            float(funds.sum()),
            float(sums["special_families_with_contact"].sum() / sums["special_families_total"].sum() * 100),
        )
    return out


@pytest.mark.parametrize(
    ("lang", "region", "level_col"),
    [("zh", "430000", "prefecture_code"), ("en", "430100", "county_code"), ("zh", "431100", "county_code")],
)
def test_figures_equal_pandas(lang: str, region: str, level_col: str) -> None:
    at = run_page(
        PAGE,
        lang=lang,
        region=region,
        as_of="2023-12-31",
        ind="livelihood_project_funds_yuan,special_family_contact_coverage",
        grain="quarter",
        rows="region",
        cols="indicator,period",
    )
    table = pivot(at).set_index(pivot(at).columns[0])
    expected = _quarter_figures(level_col, None if region == "430000" else region)
    words = catalog(lang)
    regions = pd.read_parquet(db.DEFAULT_DATA_DIR / "reference" / "regions").set_index("region_code")
    name_col = "name_zh" if lang == "zh" else "name_en"
    checked = 0
    for (code, q), (funds, share) in expected.items():
        row = (
            words["explorer.total"] if code == "all" else (regions.loc[code, name_col] or regions.loc[code, "name_zh"])
        )
        quarter = words["explorer.quarter"].format(q=q[1])
        funds_col = next(
            c for c in table.columns if c.startswith(("民生项目资金", "Livelihood")) and c.endswith(quarter)
        )
        share_col = next(c for c in table.columns if "%" in c and c.endswith(quarter))
        assert table.loc[row, funds_col] == (f"{funds:,.0f}" if funds == funds else "—"), (row, funds_col)
        assert table.loc[row, share_col] == (f"{share:,.1f}" if share == share else "—"), (row, share_col)
        checked += 1
    assert checked >= 4 * 3


def test_the_as_of_date_limits_the_periods() -> None:
    at = run_page(PAGE, lang="zh", as_of="2023-08-31", grain="quarter")
    columns = list(pivot(at).columns)
    assert columns[1:] == ["第1季度", "第2季度", "第3季度（截至8月）", "全期"]
    assert dt.date(2023, 8, 31).isoformat() in " ".join(c.value for c in at.caption)


def test_a_prefecture_in_the_sidebar_leaves_the_province_level() -> None:
    at = run_page(PAGE, lang="zh", level="province")
    assert at.segmented_control(key="explorer_level").value == "province"
    at.selectbox(key="region").set_value("430100").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.segmented_control(key="explorer_level").value == "county"
    assert at.segmented_control(key="explorer_level").options == ["市州", "县市区"]
    assert len(pivot(at)) == 10  # 长沙市's nine county-level divisions and their total


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_issues_example_explains_its_empty_cells(lang: str) -> None:
    """家庭健康指导员师资培训班 by prefecture by month (issue 20.7): the milestone's cells say it is not
    reported at that level, the caption says why and names the register's classes held, which the
    indicator picker offers right after the milestone."""
    words = catalog(lang)
    at = run_page(PAGE, lang=lang, ind="instructor_trainer_class_held,training_held_instructor_trainer",
                  grain="month", rows="indicator,region", cols="period")  # fmt: skip
    shown = pivot(at)
    milestone, held = shown[shown.columns[0]].unique()
    cells = shown.iloc[:, 2:]
    assert set(cells[shown[shown.columns[0]] == milestone].to_numpy().ravel()) == {words["explorer.blank.not_at_level"]}
    register = cells[shown[shown.columns[0]] == held].to_numpy().ravel()
    assert words["explorer.blank.not_at_level"] not in register and "1" in register
    captions = [c.value for c in at.caption]
    legend = next(c for c in captions if c.startswith(f'"{words["explorer.blank.not_at_level"]}"') or
                  c.startswith(f'“{words["explorer.blank.not_at_level"]}”'))  # fmt: skip
    assert held in legend
    options = at.multiselect(key="explorer_ind").options
    assert options.index(held) == options.index(milestone) + 1
