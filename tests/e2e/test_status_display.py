"""The attainment page's league table on a 1,920 × 1,080 screen (issue 20, item 3): every status
cell and the longest prefecture name, 湘西土家族苗族自治州, are drawn whole — inside the table, the
table inside its column, nothing cut, ellipsised or scrolled out of sight — and each bar is as wide
as its pace (capped at 100 %) in its status's colour.

The view is 31 December with the 5.29 member-day indicator: three prefectures are done late, whose
status ("(√) 逾期完成（6月30日达到）") is the longest the table shows.
"""

from __future__ import annotations

import pytest

from tests.e2e.app_page import AppPage
from ui.theme import STATUS_COLORS, STATUS_MARK

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1920, "height": 1080}
LONG_NAME = "湘西土家族苗族自治州"

# boxes and overflow of the league's table, its cells and their text
_LEAGUE_JS = """
() => {
  const box = document.querySelector('.fpa-league-box');
  const table = box.querySelector('table.fpa-league');
  const rect = (e) => { const r = e.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom}; };
  const lines = (e) => { const range = document.createRange(); range.selectNodeContents(e);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size; };
  const rows = [...table.querySelectorAll('tbody tr')].map((tr) => {
    const status = tr.querySelector('.fpa-lg-status'), region = tr.querySelector('.fpa-lg-region');
    const bar = tr.querySelector('.fpa-lg-bar'), track = tr.querySelector('.fpa-lg-track');
    return {
      code: tr.dataset.code, status: status.textContent, region: region.textContent,
      statusBox: rect(status), statusChip: rect(status.firstElementChild), regionBox: rect(region),
      statusOverflow: [status.scrollWidth, status.clientWidth], regionOverflow: [region.scrollWidth, region.clientWidth],
      regionLines: lines(region),
      bar: bar ? {width: bar.getBoundingClientRect().width, color: getComputedStyle(bar).backgroundColor} : null,
      track: track.clientWidth,
    };
  });
  return {box: rect(box), boxScroll: [box.scrollWidth, box.clientWidth], table: rect(table),
          viewport: [window.innerWidth, window.innerHeight], rows};
}
"""


def _rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _inside(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (
        inner["l"] >= outer["l"] - slack
        and inner["r"] <= outer["r"] + slack
        and inner["t"] >= outer["t"] - slack
        and inner["b"] <= outer["b"] + slack
    )


def test_the_league_shows_every_status_and_the_longest_name_whole_at_1920(new_tab) -> None:
    tab: AppPage = new_tab()
    tab.page.set_viewport_size(DESKTOP)
    tab.open("/attainment", lang="zh", as_of="2023-12-31", indicator="member_day_events")
    tab.page.locator("table.fpa-league").scroll_into_view_if_needed()
    got = tab.page.evaluate(_LEAGUE_JS)
    rows = got["rows"]
    assert len(rows) == 14, rows
    # the table fits its column: nothing to scroll sideways, nothing beyond the screen's right edge
    assert got["boxScroll"][0] <= got["boxScroll"][1], f"the league scrolls sideways at 1920 px: {got['boxScroll']}"
    assert got["table"]["r"] <= got["viewport"][0], got["table"]
    for row in rows:
        for part in ("statusBox", "statusChip", "regionBox"):
            assert _inside(row[part], got["table"]), (row["code"], part, row[part], got["table"])
        assert row["statusOverflow"][0] <= row["statusOverflow"][1], (row["code"], row["status"])
        assert row["regionOverflow"][0] <= row["regionOverflow"][1], (row["code"], row["region"])
        # the status cell leads with a status's mark (colour is never the only cue)
        assert any(row["status"].startswith(m + " ") for m in STATUS_MARK.values()), row["status"]
    long = [r for r in rows if r["region"] == LONG_NAME]
    assert len(long) == 1, [r["region"] for r in rows]
    assert long[0]["regionLines"] == 1, f"{LONG_NAME} breaks over {long[0]['regionLines']} lines"
    done_late = [r for r in rows if r["status"].startswith(STATUS_MARK["done_late"] + " ")]
    assert done_late, "the view was chosen for its done-late rows: the longest status"
    # every region's target is met (1 of 1): a full bar in the status's colour
    for row in rows:
        status = "done_late" if row in done_late else "done"
        assert row["bar"] is not None and row["bar"]["color"] == _rgb(STATUS_COLORS[status]), row
        assert abs(row["bar"]["width"] - row["track"]) <= 1, row
