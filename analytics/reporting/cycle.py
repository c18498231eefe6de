"""The monthly cycle around the store: which counties report, by when, who is late, what is locked.

* **Counties**: every county-level unit of the region table (134 in Hunan: the 122 counties and
  districts and the 12 statistical zones, which report on their own template).
* **Deadline**: a month's report is due on day :func:`deadline_day` of the following month
  (``FPA_REPORTING_DEADLINE_DAY``, default 5 — the data quality page's rule, month end + 5 days,
  so the two pages judge timeliness the same way). A county is late from the day after.
* **Chase list**: per prefecture, the counties that have not handed the month in (not started,
  or returned and not resubmitted) after the deadline, with the days since it.
* **Lock**: an import whose rows fall in an accepted county month is refused (:func:`lock_findings`).
* **Held back**: figures of county months the cycle holds that are not accepted yet
  (:func:`held_back`); the pages leave them out unless asked to include them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd

from analytics import settings
from analytics.reporting.states import HANDED_IN, NOT_STARTED
from analytics.reporting.store import CountyMonth, Store

if TYPE_CHECKING:
    from analytics.ingest.report import FileResult, Finding

DEADLINE_ENV: Final = settings.REPORTING_DEADLINE_DAY.name
DEFAULT_DEADLINE_DAY: Final = int(settings.REPORTING_DEADLINE_DAY.default)
LOCAL_TZ: Final = "Asia/Shanghai"  # how times are shown: the association's clock


def deadline_day() -> int:
    """The day of the following month a month's report is due (1-28)."""
    return settings.reporting_deadline_day()  # a SettingError (a ValueError) names a bad value


def month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def parse_month(text: str) -> dt.date:
    """ "2023-07" (or a date in the month) → its last day."""
    parts = text.strip().split("-")
    return month_end(int(parts[0]), int(parts[1]))


def deadline(period_end: dt.date, day: int | None = None) -> dt.date:
    """The date the report of the month ending ``period_end`` is due."""
    return period_end + dt.timedelta(days=day if day is not None else deadline_day())


def local_time(at: dt.datetime | None) -> str:
    """A store time (UTC) as the association reads it: 2023-08-12 17:00."""
    if at is None:
        return ""
    return pd.Timestamp(at).tz_convert(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def counties(regions: pd.DataFrame) -> pd.DataFrame:
    """The reporting counties: county_code, prefecture_code, name_zh, name_en, in code order."""
    c = regions[regions["level"] == "county"]
    if "is_stat_zone" in c:
        # a statistical zone reports through its host county (as the data quality page counts)
        c = c[~c["is_stat_zone"].fillna(False).astype(bool)]
    out = pd.DataFrame(
        {
            "county_code": c["region_code"].astype(str),
            "prefecture_code": c["prefecture_code"].astype(str),
            "name_zh": c["name_zh"].astype(str),
            "name_en": c["name_en"].fillna(c["name_zh"]).astype(str),
        }
    )
    return out.sort_values("county_code").reset_index(drop=True)


def status(
    county_rows: pd.DataFrame,
    held: Sequence[CountyMonth],
    period_end: dt.date,
    today: dt.date,
    *,
    first_submitted: Mapping[str, dt.datetime] | None = None,
    day: int | None = None,
) -> pd.DataFrame:
    """Every county of ``county_rows`` (:func:`counties`) for one month, with its state in the store
    (not started when it has no row), the store's dates and users, the deadline and, for a county
    that has not handed the month in after the deadline, the days late."""
    due = deadline(period_end, day)
    by_county = {c.county_code: c for c in held if c.period_end == period_end}
    first = first_submitted or {}
    rows = []
    for r in county_rows.itertuples(index=False):
        code = str(r.county_code)
        c = by_county.get(code)
        state = c.state if c else NOT_STARTED
        late = state not in HANDED_IN and today > due
        rows.append(
            {
                "county_code": r.county_code,
                "prefecture_code": r.prefecture_code,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "state": state,
                "version": c.version if c else 0,
                "deadline": due,
                "days_late": (today - due).days if late else None,
                "first_submitted_at": first.get(code),
                "submitted_at": c.submitted_at if c else None,
                "submitted_by": c.submitted_by if c else None,
                "returned_at": c.returned_at if c else None,
                "returned_by": c.returned_by if c else None,
                "return_reason": c.return_reason if c else None,
                "approved_at": c.approved_at if c else None,
                "approved_by": c.approved_by if c else None,
                "accepted_at": c.accepted_at if c else None,
                "accepted_by": c.accepted_by if c else None,
            }
        )
    out = pd.DataFrame(rows)
    out["days_late"] = out["days_late"].astype("Int64")
    return out


def chase_list(month_status: pd.DataFrame) -> pd.DataFrame:
    """The late counties of :func:`status`, per prefecture, longest late first."""
    late = month_status[month_status["days_late"].notna()]
    return late.sort_values(["prefecture_code", "days_late", "county_code"], ascending=[True, False, True]).reset_index(
        drop=True
    )


def month_status(
    root: Path, regions: pd.DataFrame, period_end: dt.date, today: dt.date, *, prefecture_code: str | None = None
) -> pd.DataFrame:
    """:func:`status` of one month from the store of ``root`` (every county not started without one)."""
    rows = counties(regions)
    if prefecture_code:
        rows = rows[rows["prefecture_code"] == prefecture_code]
    st = Store.existing(root)
    held = st.rows(period_end=period_end, prefecture_code=prefecture_code) if st else []
    first = st.first_submissions(period_end) if st else {}
    return status(rows, held, period_end, today, first_submitted=first)


# --- what an import touches -------------------------------------------------------------


def county_months(table: str, data: pd.DataFrame, regions: pd.DataFrame) -> pd.Series:
    """The county month of each row of an import (None for a row that is not a county's: the
    province's or a prefecture's own activities), as "county_code|YYYY-MM-DD"."""
    if table not in ("progress", "instructors") or data.empty:
        return pd.Series([None] * len(data), index=data.index, dtype="object")
    by_code = regions.set_index("region_code")
    codes = data["region_code"].astype(str)
    # a county's own row, or a village's, through the county that reports for it (a statistical
    # zone's host county)
    county = codes.map(by_code["county_code"])
    if table == "progress":
        county = county.where(codes.map(by_code["level"]) == "county")
    period = pd.to_datetime(data["period_end"]).dt.date.astype(str)
    return (county + "|" + period).where(county.notna())


def _pairs(keys: Iterable[object]) -> set[tuple[str, dt.date]]:
    out = set()
    for k in keys:
        if isinstance(k, str):
            county, day = k.split("|")
            out.add((county, dt.date.fromisoformat(day)))
    return out


def lock_findings(root: Path, by_table: Mapping[str, list[FileResult]], regions: pd.DataFrame) -> list[Finding]:
    """One finding per file and accepted county month its rows fall in: the import is refused.

    The message names the month, the county, who accepted it and when; the rows are the file's.
    Nothing is read when the cycle has never been used here (no store).
    """
    from analytics.ingest.report import Finding  # the import's report: imported late, it imports us

    st = Store.existing(root)
    if st is None:
        return []
    keyed: list[tuple[FileResult, pd.Series]] = []
    for table, group in by_table.items():
        for r in group:
            if r.data is not None:
                keyed.append((r, county_months(table, r.data.to_pandas(), regions)))
    wanted = _pairs(k for _, keys in keyed for k in keys.dropna().unique())
    locked = {f"{c.county_code}|{c.period_end.isoformat()}": c for c in st.accepted(wanted)}
    if not locked:
        return []
    names = regions.set_index("region_code")["name_zh"]
    findings = []
    for r, keys in keyed:
        for key, c in locked.items():
            hit = (keys == key).to_numpy()
            if not hit.any():
                continue
            origin = r.origin
            rows = tuple(int(x) for x in origin["row"].to_numpy()[hit][:5]) if origin is not None else ()
            sheet = str(origin["sheet"].to_numpy()[hit][0]) if origin is not None else ""
            findings.append(
                Finding(
                    r.label,
                    "locked_month",
                    "region_code",
                    sheet,
                    rows,
                    int(hit.sum()),
                    (),
                    {
                        "month": c.month,
                        "county": c.county_code,
                        "county_name": str(names.get(c.county_code, "")),
                        "accepted_by": c.accepted_by or "",
                        "accepted_at": local_time(c.accepted_at),
                    },
                )
            )
    return findings


def submit_imported(
    root: Path, results: Sequence[FileResult], regions: pd.DataFrame, user: str, scope: str | None
) -> list[CountyMonth]:
    """After an import is published: the county months of its templates (template.py) are submitted
    by the importer. A month already submitted stays so; an approved one goes back to submitted
    (its figures changed, the approval was of others); a returned one is submitted again."""
    from analytics.auth.roles import PROVINCE_SCOPE, User
    from analytics.reporting.states import APPROVED, RETURNED, ReportingError
    from analytics.reporting.store import Target
    from analytics.reporting.template import read_meta

    metas = [m for m in (read_meta(r.path) for r in results if r.path.suffix.lower() == ".xlsx") if m is not None]
    if not metas:
        return []
    st = Store(root)
    by_code = regions.set_index("region_code")
    importer = User(user, user, "analyst", scope or PROVINCE_SCOPE)
    done = []
    for meta in metas:
        target = Target(meta.county_code, str(by_code.at[meta.county_code, "prefecture_code"]), meta.period_end)
        now = st.get(meta.county_code, meta.period_end)
        if now is not None and now.state not in (APPROVED, RETURNED):
            continue
        try:
            done.append(st.move("submit", target, importer, expected_version=now.version if now else 0))
        except ReportingError:
            continue  # moved meanwhile (accepted: the import was refused; submitted by someone else)
    return done


# --- figures the pages hold back --------------------------------------------------------


def held_back(root: Path) -> pd.DataFrame:
    """County months in the store that are not accepted: county_code, period_end (dates). Empty when
    the cycle is not in use — figures the cycle never tracked (imported before it) are shown."""
    st = Store.existing(root)
    rows = [c for c in st.rows() if c.state != "accepted"] if st else []
    return pd.DataFrame(
        {"county_code": [c.county_code for c in rows], "period_end": [c.period_end for c in rows]},
        columns=["county_code", "period_end"],
    )


# --- the data quality page's timeliness ---------------------------------------------------


def with_tracked_submissions(reports: pd.DataFrame, root: Path) -> pd.DataFrame:
    """The data quality page's county reports (``quality_reports.sql``) with ``first_reported_at``
    taken from the cycle where it holds the county month's first submission (its local date): a
    report handed in through the cycle arrived when it was submitted, whatever dates its rows say.
    County months the cycle never saw keep the exports' own dates."""
    st = Store.existing(root)
    firsts = st.all_first_submissions() if st else {}
    if not firsts or reports.empty:
        return reports
    out = reports.copy()
    months = pd.to_datetime(out["period_end"]).dt.date
    tracked = [firsts.get((str(c), m)) for c, m in zip(out["county_code"], months, strict=True)]
    local = [None if at is None else pd.Timestamp(at).tz_convert(LOCAL_TZ).date() for at in tracked]
    mine = pd.Series(local, index=out.index, dtype="object")
    out["first_reported_at"] = pd.to_datetime(mine.where(mine.notna(), out["first_reported_at"]))
    return out
