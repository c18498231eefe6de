"""Every place a status is drawn says it twice, in its colour and its mark (issue 20, item 3), and
a map's labels keep their contrast on any fill (item 10).

The maps, the attainment scorecard, the quality heatmap, the overview's stacked bars, the monthly
series and the league table are drawn from hand-built inputs here and read back from the figure
or the HTML; the league is also drawn from the bundled data, its bars checked against coverage
worked out with pandas over the Parquet. Contrast is WCAG 2's, computed here from the colours
(not with ui.theme.contrast).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics import db
from analytics.attainment import STATUSES
from analytics.quality import SETTINGS
from tests import league_html
from tests.unit.test_view_attainment import DATA, DECEMBER, _coverage, _read
from ui import charts, maps
from ui.charts import attainment as attainment_charts
from ui.charts import quality as quality_charts
from ui.league import league_html as draw_league
from ui.theme import SEQUENTIAL, STATUS_COLORS, STATUS_MARK, STATUS_TEXT
from views import attainment
from views.filters import Filters

AA = 4.5  # WCAG 2 AA, normal text


def _luminance(color: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    out = []
    for i in (1, 3, 5):
        c = int(color[i : i + 2], 16) / 255
        out.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = out
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _square(code: str, x: float) -> maps.Shape:
    """A one-degree square region west to east along the equator, so labels sit apart."""
    ring = ((x, x + 1, x + 1, x, x), (0.0, 0.0, 1.0, 1.0, 0.0))
    return maps.Shape(code, code, (ring,), (x + 0.5, 0.5), 1.0)


# --- maps ----------------------------------------------------------------------------------------


def test_a_status_map_fills_each_region_in_its_status_colour_and_marks_its_label() -> None:
    codes = [f"r{i}" for i in range(len(STATUSES))]
    shapes = {c: _square(c, 2.0 * i) for i, c in enumerate(codes)}
    status = dict(zip(codes, STATUSES, strict=True))
    fig = maps.region_map(
        shapes,
        pd.DataFrame({"region_code": codes}),
        colors={},
        labels={c: f"R{i}<br>{10 * i}%" for i, c in enumerate(codes)},
        hover={},
        status=status,
    )
    fills = {t.name: t.fillcolor for t in fig.data if t.fill == "toself"}
    labels = next(t for t in fig.data if t.name == "labels")
    assert list(labels.customdata) == codes
    for i, (code, text, color) in enumerate(zip(labels.customdata, labels.text, labels.textfont.color, strict=True)):
        s = status[code]
        fill = STATUS_COLORS[s]
        assert fills[text] == fill, code  # the outline's trace is named by its label
        assert text == f"R{i}<br>{STATUS_MARK[s]} {10 * i}%"
        assert _contrast(color, fill) >= AA, f"{s}: label {color} on {fill} is {_contrast(color, fill):.2f} : 1"


def test_a_label_without_a_second_line_gets_the_mark_before_its_only_line() -> None:
    assert maps.status_labels({"a": "长沙", "b": "株洲<br>—"}, {"a": "behind", "b": "no_data", "c": "done"}) == {
        "a": "↓ 长沙",
        "b": "株洲<br>? —",
        "c": "√",
    }


def _hex_of(fill: str) -> str:
    """rgb(…)/rgba(…) over white, as the test reads it, to #rrggbb."""
    if fill.startswith("#"):
        return fill
    parts = [float(p) for p in fill[fill.index("(") + 1 : -1].split(",")]
    a = parts[3] if len(parts) == 4 else 1.0
    return "#" + "".join(f"{round(c * a + 255 * (1 - a)):02x}" for c in parts[:3])


@pytest.mark.parametrize(
    "fill",
    [
        *STATUS_COLORS.values(),
        *SEQUENTIAL,
        *(f"#{v:02x}{v:02x}{v:02x}" for v in range(0, 256, 5)),  # every grey, the mid-tones included
        "#2171b5",  # the population map's darkest (rgb below): neither white nor the page's text reach 4.5
        "rgb(33, 113, 181)",
        "rgba(8, 48, 107, 0.6)",
        "#808080",
    ],
)
def test_a_map_label_reaches_wcag_aa_on_any_fill(fill: str) -> None:
    color = maps.label_color(fill)
    assert _contrast(color, _hex_of(fill)) >= AA, f"{color} on {fill}: {_contrast(color, _hex_of(fill)):.2f} : 1"


# --- the league table ----------------------------------------------------------------------------

HEADERS = {
    "rank": "名次",
    "region": "市州",
    "status": "状态",
    "pace": "完成进度",
    "actual": "实际",
    "expected": "应完成",
}


def test_league_bars_take_the_status_colour_and_a_full_bar_is_100_percent() -> None:
    league = pd.DataFrame(
        {
            "rank": [1, 2, 3, 4],
            "code": ["433100", "430100", "430200", "430300"],
            "region": ["湘西土家族苗族自治州", "长沙市", "株洲市", "湘潭市"],
            "actual": ["107", "50", "—", "0"],
            "expected": ["100", "100", "—", "10"],
            "pace": [1.07, 0.5, float("nan"), -0.2],
            "status": ["√ 已完成", "↓ 滞后", "? 无数据", "× 未完成"],
            "status_code": ["done", "behind", "no_data", "missed"],
            "pace_text": ["107%", "50%", "—", "-20%"],
        }
    )
    html = draw_league(league, headers=HEADERS, note="满格即 100%")
    headers, rows = league_html.parse(html)
    assert headers == list(HEADERS.values())  # the status beside the name, before the figures
    assert [r["code"] for r in rows] == list(league["code"])
    # by hand: 107 % fills the bar, 50 % half of it, no pace no bar, a negative pace an empty one
    assert [r["bar"] for r in rows] == [
        (100.0, STATUS_COLORS["done"]),
        (50.0, STATUS_COLORS["behind"]),
        None,
        (0.0, STATUS_COLORS["missed"]),
    ]
    assert [r["cells"]["status"] for r in rows] == ["√ 已完成", "↓ 滞后", "? 无数据", "× 未完成"]
    assert [r["cells"]["region"] for r in rows] == list(league["region"])
    assert [r["cells"]["pace"] for r in rows] == ["107%", "50%", "—", "-20%"]
    assert league_html.figures(html) == [("107", "100"), ("50", "100"), ("—", "—"), ("0", "10")]
    assert "满格即 100%" in html


def test_the_league_on_the_deadline_draws_each_prefectures_coverage_from_the_parquet() -> None:
    """On 31 December the pace is coverage ÷ 100 %: each bar's width is the prefecture's coverage
    (worked out here over the Parquet), capped at 100 %, in the colour of done (100 %) or missed."""
    regions = _read("reference/regions")
    model = attainment.view(db.connect(DATA), Filters("zh", 2023, DECEMBER), indicator="instructor_coverage")
    assert model.chosen is not None
    _, rows = league_html.parse(draw_league(model.chosen.league, headers=HEADERS))
    prefectures = regions[regions["level"] == "prefecture"]
    names = dict(zip(prefectures["region_code"], prefectures["name_zh"], strict=True))
    assert {r["code"] for r in rows} == set(names)
    for row in rows:
        share = _coverage(regions, row["code"], DECEMBER)
        status = "done" if share == 1 else "missed"
        width, color = row["bar"]
        assert width == pytest.approx(min(share, 1.0) * 100, abs=0.05), row["code"]
        assert color == STATUS_COLORS[status]
        assert row["status_code"] == status
        assert row["cells"]["status"].startswith(STATUS_MARK[status] + " ")
        assert row["cells"]["region"] == names[row["code"]]  # 湘西土家族苗族自治州 in full
    assert "湘西土家族苗族自治州" in {r["cells"]["region"] for r in rows}


# --- grids: the scorecard and the quality heatmap ------------------------------------------------


def _cell_texts(fig: go.Figure) -> dict[tuple[str, str], tuple[str, str]]:
    """(column, row) → (text, colour) of the text written over a heatmap's cells."""
    trace = next(t for t in fig.data if t.name == "cell text")
    return {
        (x, y): (text, color)
        for x, y, text, color in zip(trace.x, trace.y, trace.text, trace.textfont.color, strict=True)
    }


def test_every_scorecard_cell_says_its_status_mark_in_readable_text() -> None:
    regions = {f"r{i}": f"区{i}" for i in range(len(STATUSES))}
    inds = {"a": "指标甲", "b": "指标乙"}
    # indicator a: every status once; indicator b: none in the table (no_target), so the mark alone
    table = pd.DataFrame({"indicator_id": "a", "region_code": list(regions), "status": list(STATUSES)})
    cell_text = {("r1", "a"): f"{STATUS_MARK[STATUSES[1]]} 93%"}
    fig = attainment_charts.scorecard(
        table,
        region_labels=regions,
        indicator_labels=inds,
        status_labels={s: s for s in STATUSES},
        cell_text=cell_text,
    )
    texts = _cell_texts(fig)
    assert len(texts) == 2 * len(regions)  # every cell
    for (r, name), s in zip(regions.items(), STATUSES, strict=True):
        text, color = texts[("指标甲", name)]
        assert text == (cell_text[(r, "a")] if (r, "a") in cell_text else STATUS_MARK[s])
        assert _contrast(color, STATUS_COLORS[s]) >= AA, s
        assert texts[("指标乙", name)][0] == STATUS_MARK["no_target"]
    heat = fig.data[0]
    assert heat.type == "heatmap" and heat.texttemplate is None  # no second, auto-coloured text


def test_every_quality_heatmap_cell_says_its_band_mark_in_readable_text() -> None:
    target, floor = SETTINGS.reporting_target, SETTINGS.reporting_floor
    may, june = dt.date(2023, 5, 31), dt.date(2023, 6, 30)
    rates = pd.DataFrame(
        {
            "code": ["a", "a", "b", "b"],
            "period_end": [may, june, may, june],
            "rate": [target, (target + floor) / 2, floor / 2, None],
        }
    )
    months = ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"]
    fig = quality_charts.reporting_heatmap(
        rates, row_col="code", rate_col="rate", row_labels={"a": "甲", "b": "乙"}, month_labels=months, hover={}
    )
    texts = _cell_texts(fig)
    # by hand: at the target on track, between floor and target at risk, below the floor behind
    expected = {
        ("5月", "甲"): (f"→ {target * 100:.0f}", "on_track"),
        ("6月", "甲"): (f"! {(target + floor) / 2 * 100:.0f}", "at_risk"),
        ("5月", "乙"): (f"↓ {floor / 2 * 100:.0f}", "behind"),
        ("6月", "乙"): ("?", "no_data"),
    }
    assert {k: v[0] for k, v in texts.items()} == {k: v[0] for k, v in expected.items()}
    for key, (_, band) in expected.items():
        assert _contrast(texts[key][1], STATUS_COLORS[band]) >= AA, band


def test_status_text_colours_reach_aa_on_their_fills() -> None:
    for s in STATUSES:
        assert _contrast(STATUS_TEXT[s], STATUS_COLORS[s]) >= AA, s


# --- bars and lines ------------------------------------------------------------------------------


def test_the_overviews_stacked_bars_carry_each_status_mark() -> None:
    counts = pd.DataFrame({"area_no": [1, 1, 2], "status": ["done", "behind", "missed"], "n": [3, 1, 2]})
    fig = charts.status_by_group(
        counts, group_col="area_no", group_labels={1: "一", 2: "二"}, status_labels={s: s for s in STATUSES}, x_title=""
    )
    drawn = {t.name: (list(t.text), t.textfont.color, t.marker.color) for t in fig.data}
    assert drawn == {
        "done": (["√", ""], STATUS_TEXT["done"], STATUS_COLORS["done"]),
        "behind": (["↓", ""], STATUS_TEXT["behind"], STATUS_COLORS["behind"]),
        "missed": (["", "×"], STATUS_TEXT["missed"], STATUS_COLORS["missed"]),
    }


def test_the_monthly_series_marks_each_judged_month() -> None:
    ends = pd.to_datetime(["2023-01-31", "2023-02-28", "2023-03-31"])
    series = pd.DataFrame(
        {
            "month_end": ends,
            "actual": [0.3, 0.5, math.nan],
            "expected": [0.3, 0.6, 0.9],
            "target": [1.0, 1.0, 1.0],
            "status": ["on_track", "at_risk", None],
        }
    )
    fig = attainment_charts.progress_over_months(
        series,
        actual_name="实际",
        expected_name="应完成",
        target_name="目标",
        y_title="",
        as_of=dt.date(2023, 2, 28),
        as_of_label="",
        month_labels=["1月", "2月", "3月"],
    )
    actual = next(t for t in fig.data if t.name == "实际")
    assert list(actual.text) == ["→", "!"]  # the months drawn, each with its status's mark
    assert list(actual.marker.color) == [STATUS_COLORS["on_track"], STATUS_COLORS["at_risk"]]


def test_the_training_bases_bars_carry_each_status_mark() -> None:
    """Youth health bases per prefecture (training page): each bar's figure after its status's mark,
    a prefecture without a report says so after its mark."""
    from ui.charts import training as training_charts

    bases = pd.DataFrame(
        {
            "region_code": ["430100", "430200", "430300"],
            "bases": [1.0, 0.0, None],
            "status": ["done", "missed", "no_data"],
        }
    )
    fig = training_charts.bases_bars(
        bases,
        labels={"430100": "长沙", "430200": "株洲", "430300": "湘潭"},
        status_labels={s: s for s in STATUSES},
        x_title="",
        no_data="未报",
    )
    shown = dict(zip(fig.data[0].y, fig.data[0].text, strict=True))
    assert shown == {
        "长沙": f"{STATUS_MARK['done']} 1",
        "株洲": f"{STATUS_MARK['missed']} 0",
        "湘潭": f"{STATUS_MARK['no_data']} 未报",
    }


def test_the_childcare_bars_write_each_figure_after_its_status_mark() -> None:
    from ui.charts import childcare as childcare_charts

    df = pd.DataFrame(
        {
            "region_code": ["430100", "430200"],
            "points": [2.0, 0.0],
            "points_target": [2.0, 1.0],
            "points_expected": [2.0, 1.0],
            "points_status": ["done", "behind"],
        }
    )
    fig = childcare_charts.attainment_bars(
        df,
        measure="points",
        labels={"430100": "长沙", "430200": "株洲"},
        status_labels={s: s for s in STATUSES},
        names={"actual": "实际", "target": "目标", "expected": "应达"},
        x_title="",
        no_data="无数据",
    )
    texts = next(t for t in fig.data if t.type == "scatter" and t.mode == "text")
    assert [str(x).strip() for x in texts.text] == [f"{STATUS_MARK['done']} 2", f"{STATUS_MARK['behind']} 0"]
