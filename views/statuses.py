"""The status set as people read it, one way for the pages, the meeting pack and the downloads.

A status's label carries its mark (ui.theme.STATUS_MARK: colour is never the only cue); a target
done late says the date it was reached ("逾期完成（8月31日达到）"); a chip is the status's colour
with its text colour; the worst of several statuses leads a card or a board chip; a target
states its basis ("通知原文：…" or "本协会理解：…") and its phasing with the reason; a download
writes the label in the page's language beside the status code, with the date reached and the gap.

Pure: no Streamlit session, the language is passed in (ui.components adds the session's).
The statuses and their order of severity are analytics.attainment's.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from analytics.attainment import STATUSES, THRESHOLDS, WORST_FIRST, Thresholds
from ui.theme import DASHED, STATUS_COLORS, STATUS_MARK, STATUS_TEXT
from views.i18n import text


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))  # type: ignore[call-overload]


def day(value: object, lang: str) -> str:
    """A day of the plan year as a status writes it: 8月31日 / 31 Aug."""
    ts = pd.Timestamp(value)  # type: ignore[arg-type]
    return text("status.reached_day", lang, month=ts.month, day=ts.day, mon=ts.strftime("%b"))


def label(status: str, lang: str, *, reached_on: object = None, mark: bool = True) -> str:
    """``√ 已完成``, ``(√) 逾期完成（8月31日达到）``; without the mark for a spreadsheet cell."""
    words = text(f"status.{status}", lang)
    if status == "done_late" and not _missing(reached_on):
        words = text("status.done_late_on", lang, date=day(reached_on, lang))
    return f"{STATUS_MARK[status]} {words}" if mark else words


def worst(statuses: Iterable[str], default: str = "no_target") -> str:
    """The worst of ``statuses`` (analytics.attainment.WORST_FIRST); ``default`` when there are none."""
    present = set(statuses)
    return next((s for s in WORST_FIRST if s in present), default)


def counts(statuses: Iterable[str]) -> dict[str, int]:
    """How many of each status, every status of the set present (0 where none)."""
    out = dict.fromkeys(STATUSES, 0)
    for s in statuses:
        out[str(s)] += 1
    return out


def chip_html(status: str, words: str, *, size: str = "0.8rem", pad: str = "1px 8px") -> str:
    """An inline chip: the status's colour, its text colour, a dashed outline where never judged."""
    border = "1px dashed #8c959f" if status in DASHED else f"1px solid {STATUS_COLORS[status]}"
    return (
        f'<span style="background:{STATUS_COLORS[status]};color:{STATUS_TEXT[status]};border:{border};'
        f'padding:{pad};border-radius:10px;font-size:{size};white-space:nowrap">{html.escape(words)}</span>'
    )


def rule(lang: str, thresholds: Thresholds = THRESHOLDS) -> str:
    """How the statuses are judged, the thresholds and the calendar rule in one paragraph.

    ``thresholds``: the plan year's (``analytics.queries.plan_settings``: the association sets
    them in its plan workbook); the template's defaults only where no plan says otherwise."""
    return text(
        "status.rule",
        lang,
        on_track=threshold_percent(thresholds.on_track),
        at_risk=threshold_percent(thresholds.at_risk),
    )


def threshold_percent(share: float) -> str:
    """A threshold as the rule words it: 95, 92.5 (a share the association chose, never rounded away)."""
    return f"{share * 100:.1f}".removesuffix(".0")


def basis(target: Mapping[Any, Any] | None, lang: str) -> str:
    """A target's basis in words: "通知原文：“…”" (stated) or "本协会理解：…" (interpreted); "" if unknown."""
    if target is None:
        return ""
    if str(target.get("basis")) == "interpreted":
        reading = target.get(f"interpretation_{lang}")
        if _missing(reading):
            reading = target.get("interpretation_zh")
        return "" if _missing(reading) else text("basis.interpreted", lang, text=str(reading))
    stated = target.get("stated_zh")
    return "" if _missing(stated) else text("basis.stated", lang, text=str(stated))


def phasing(code: object, ind: Mapping[Any, Any], lang: str) -> str:
    """A target's phasing with its indicator's reason: "分期：到期一次（到期前不要求）。一次性事项…"."""
    if _missing(code):
        return ""
    reason = ind.get(f"phasing_reason_{lang}")
    return text(
        "phasing.line", lang, phasing=text(f"phasing.{code}", lang), reason="" if _missing(reason) else str(reason)
    ).strip()


def due_dates(dates: Iterable[object], lang: str) -> str:
    """The distinct due dates of some targets, earliest first: "截止 5月31日、12月31日"."""
    days = sorted({pd.Timestamp(d).date() for d in dates if not _missing(d)})  # type: ignore[arg-type]
    if not days:
        return ""
    return text("due.dates", lang, dates=text("due.list_sep", lang).join(day(d, lang) for d in days))


def target_rows(targets: pd.DataFrame, region: str) -> dict[str, dict[Any, Any]]:
    """indicator_id → the target row of ``region`` (from analytics.queries.targets)."""
    mine = targets[targets["region_code"] == region]
    return {str(r["indicator_id"]): r for r in mine.to_dict("records")}


def download_columns(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The status columns of a download, from an attainment table's status, reached_on and gap:
    the label in ``lang`` (no mark: a spreadsheet filters on words), the status code, the date a
    late target was reached, and the gap in the indicator's unit."""
    status = table["status"].astype(str)
    reached = table["reached_on"] if "reached_on" in table else pd.Series([None] * len(table), index=table.index)
    return pd.DataFrame(
        {
            text("status.col.label", lang): [label(s, lang, mark=False) for s in status],
            text("status.col.code", lang): status.to_numpy(),
            text("status.col.reached_on", lang): [None if _missing(d) else _as_date(d) for d in reached],
            text("status.col.gap", lang): pd.to_numeric(table["gap"], errors="coerce").to_numpy()
            if "gap" in table
            else None,
        },
        index=table.index,
    )


def _as_date(value: object) -> dt.date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def item_chip(rows: pd.DataFrame, lang: str) -> tuple[str, str, str]:
    """An item of the 33-item board from its judged targets' rows (status, due_date, reached_on):
    its worst status, that status's label (done late: with the date the last of them was reached)
    and the due dates of the targets judged (item 31's member day: 5月31日, not the item's 31 December)."""
    if rows.empty:
        return "no_target", label("no_target", lang), ""
    status = worst(rows["status"].astype(str))
    reached = None
    if status == "done_late" and "reached_on" in rows:
        dates = [d for d in rows.loc[rows["status"] == "done_late", "reached_on"] if not _missing(d)]
        reached = max(dates) if dates else None
    return status, label(status, lang, reached_on=reached), due_dates(rows["due_date"], lang)
