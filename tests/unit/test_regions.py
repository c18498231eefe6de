"""Lists of regions by name and state (issue 17, items 3 and 6), and the month-by-month chart's
helpers (item 4): worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ui.charts import attainment as charts
from views import regions as region_lists

REGIONS = pd.DataFrame(
    {
        "region_code": ["430100", "430800", "433100"],
        "name_zh": ["长沙市", "张家界市", "湘西土家族苗族自治州"],
        "name_en": ["Changsha", "Zhangjiajie", None],
    }
)


def test_names_in_the_pages_language_with_chinese_where_there_is_no_english() -> None:
    assert region_lists.region_names(REGIONS, "zh")["430800"] == "张家界市"
    en = region_lists.region_names(REGIONS, "en")
    assert (en["430800"], en["433100"]) == ("Zhangjiajie", "湘西土家族苗族自治州")


def test_each_region_not_there_is_named_with_its_state() -> None:
    names = region_lists.region_names(REGIONS, "zh")
    # 长沙 and 张家界 reported below the minimum, 湘西 sent nothing
    text = region_lists.not_there(np.array(["430100", "430800", "433100"]), ["433100"], names, "zh")
    assert text == "尚未达到（3个）：已报送、未达到2个：长沙市、张家界市；未报送1个：湘西土家族苗族自治州"
    assert "430800" not in text
    en = region_lists.not_there(["430800"], [], region_lists.region_names(REGIONS, "en"), "en")
    assert en == "Not there yet (1): reported below the minimum (1): Zhangjiajie"
    only_silent = region_lists.not_there(["433100"], ["433100"], names, "zh", short=lambda n: n[:2])
    assert only_silent == "尚未达到（1个）：未报送1个：湘西"


def test_every_region_there_says_nothing() -> None:
    assert region_lists.not_there(None, None, {}, "zh") == ""
    assert region_lists.not_there([], [], {}, "zh") == ""
    assert region_lists.not_there(float("nan"), None, {}, "zh") == ""


def _series(actuals: list[float | None], statuses: list[str | None], baseline: float | None = 0.6) -> pd.DataFrame:
    ends = [dt.date(2023, m, 28) for m in range(1, 13)]
    return pd.DataFrame(
        {
            "month_end": ends,
            "actual": actuals + [None] * (12 - len(actuals)),
            "expected": [0.1 * m for m in range(1, 13)],
            "target": [1.0] * 12,
            "status": statuses + [None] * (12 - len(statuses)),
            "baseline": [baseline] * 12,
        }
    )


def test_the_actual_line_stops_at_its_last_reported_month_and_keeps_its_gaps() -> None:
    # reported Jan, Mar, Apr; nothing in Feb (a gap); judged 30 April, nothing after
    s = _series([0.5, None, 0.6, 0.7], ["on_track", "no_data", "on_track", "on_track"])
    drawn = charts.actual_months(s)
    assert len(drawn) == 4
    assert drawn["actual"].isna().tolist() == [False, True, False, False]
    fig = charts.progress_over_months(
        s,
        actual_name="a",
        expected_name="e",
        target_name="t",
        y_title="",
        as_of=dt.date(2023, 4, 30),
        as_of_label="",
        month_labels=[str(m) for m in range(1, 13)],
    )
    actual = next(tr for tr in fig.data if tr.name == "a")
    assert len(actual.x) == 4 and actual.connectgaps is False
    assert len(next(tr for tr in fig.data if tr.name == "e").x) == 12
    assert charts.actual_months(_series([], [])).empty


def test_a_coverage_line_from_zero_is_flagged_only_when_january_had_no_report() -> None:
    from_zero = _series([None, 0.2], ["no_data", "on_track"], baseline=None)
    assert charts.starts_from_zero(from_zero, target_rule="coverage", phasing="linear")
    assert not charts.starts_from_zero(_series([0.5], ["on_track"]), target_rule="coverage", phasing="linear")
    # a flow always starts from zero (nothing to say) and a step line has no start to speak of
    assert not charts.starts_from_zero(from_zero, target_rule="total", phasing="linear")
    assert not charts.starts_from_zero(from_zero, target_rule="coverage", phasing="step")
