"""The attainment page's league table as HTML: one row per region, its status and a pace bar in
the status's colour.

Not ``st.dataframe``: its progress column draws every bar in one colour, to a maximum of its own
choosing, and its grid (a canvas) cuts long names such as 湘西土家族苗族自治州 short with an
ellipsis. Here a bar takes the row's status colour and a full bar is 100 % of the pace expected by
now (more than that fills the bar and the figure says by how much); the status sits beside the
name as a chip with its mark (colour is never the only cue); names and statuses are never cut (they
wrap at a space or bracket, never inside a Chinese word; on a screen too narrow for the table it
scrolls sideways inside its own box).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Final

import pandas as pd

from ui.theme import STATUS_COLORS
from views import statuses

# the columns drawn, in order (keys of ``headers``): the status beside the name, then the figures
COLUMNS: Final = ("rank", "region", "status", "pace", "actual", "expected")

CSS: Final = """<style>
.fpa-league-box { overflow-x: auto; }
.fpa-league { border-collapse: collapse; font-size: 0.9rem; color: #1f2328; }
.fpa-league th { font-weight: 600; color: #57606a; text-align: left; border-bottom: 2px solid #d0d7de; }
.fpa-league th, .fpa-league td { padding: 5px 7px; white-space: nowrap; }
/* a long name or a done-late date wraps at a space or a bracket, never inside a Chinese word
   (keep-all): 湘西土家族苗族自治州 stays whole, "Xiangxi Tujia and Miao …" takes two lines */
.fpa-league .fpa-lg-region { white-space: normal; word-break: keep-all; min-width: 6em; }
.fpa-league .fpa-lg-status { white-space: normal; word-break: keep-all; min-width: 6.5em; }
.fpa-league .fpa-lg-status > span { white-space: normal !important; display: inline-block; line-height: 1.35; }
.fpa-league td { border-bottom: 1px solid #eaeef2; vertical-align: middle; }
.fpa-league .fpa-lg-rank, .fpa-league .fpa-lg-num { text-align: right; font-variant-numeric: tabular-nums; }
/* the track is the 100 % mark: its outline shows where a full bar ends */
.fpa-league .fpa-lg-track { display: inline-block; width: 72px; height: 12px; vertical-align: middle;
  border: 1px solid #8c959f; border-radius: 2px; background: #ffffff; margin-right: 6px; overflow: hidden; }
.fpa-league .fpa-lg-bar { display: block; height: 100%; box-shadow: inset 0 0 0 1px rgba(0, 0, 0, 0.25); }
.fpa-league .fpa-lg-pct { display: inline-block; min-width: 3.2em; text-align: right;
  font-variant-numeric: tabular-nums; vertical-align: middle; }
</style>"""


def bar_width(pace: object) -> float | None:
    """The bar's share of its track, in percent: the pace capped at 100 % (a negative pace, which
    a falling figure can give, draws nothing); None without a pace."""
    if pace is None or pd.isna(pace):  # type: ignore[call-overload]
        return None
    value = float(pace)  # type: ignore[arg-type]
    return 0.0 if math.isnan(value) else min(max(value, 0.0), 1.0) * 100


def league_html(league: pd.DataFrame, *, headers: Mapping[str, str], note: str = "") -> str:
    """``league``: the view's league (views.attainment.Chosen.league: rank, code, region, actual,
    expected, pace, status, status_code, pace_text), drawn in its order; ``headers``: the column
    titles, by the names in :data:`COLUMNS`; ``note``: a line under the table."""
    head = "".join(f'<th class="fpa-lg-h-{c}">{html.escape(headers[c])}</th>' for c in COLUMNS)
    rows = []
    for r in league.itertuples(index=False):
        status = str(r.status_code)
        width = bar_width(r.pace)
        bar = (
            f'<span class="fpa-lg-bar" style="width:{width:.1f}%;background:{STATUS_COLORS[status]}"></span>'
            if width is not None
            else ""
        )
        rows.append(
            f'<tr data-code="{html.escape(str(r.code))}" data-status="{status}">'
            f'<td class="fpa-lg-rank">{int(r.rank)}</td>'
            f'<td class="fpa-lg-region">{html.escape(str(r.region))}</td>'
            f'<td class="fpa-lg-status">{statuses.chip_html(status, str(r.status))}</td>'
            f'<td class="fpa-lg-pace"><span class="fpa-lg-track">{bar}</span>'
            f'<span class="fpa-lg-pct">{html.escape(str(r.pace_text))}</span></td>'
            f'<td class="fpa-lg-num">{html.escape(str(r.actual))}</td>'
            f'<td class="fpa-lg-num">{html.escape(str(r.expected))}</td></tr>'
        )
    foot = f'<div style="font-size:0.8rem;color:#57606a;margin-top:4px">{html.escape(note)}</div>' if note else ""
    return (
        f'{CSS}<div class="fpa-league-box"><table class="fpa-league"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>{foot}"
    )
