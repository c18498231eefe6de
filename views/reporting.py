"""The monthly reporting page (月报报送与审核) as data: every county's state for a month, the chase
list per prefecture, and what the signed-in user may do.

``view(con, filters, *, user, month, data_root, today)``: the counties of the filters' region
(the province: all 122 county-level units; a prefecture: its own), each with its state in the
reporting store (analytics/reporting), its dates and users, the deadline and the days late, and
the figures of the month the exports already hold. Late is judged at the as-of date (the
dashboard's "today": on the bundled 2023 data, 31 December), never later than the real today.
Never cached: the states change without a new data version (pages/reporting.py calls it each run).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analytics import db, queries
from analytics.auth.roles import DEMO_USER, User
from analytics.queries import PROVINCE_CODE
from analytics.queries import quality as quality_queries
from analytics.reporting import cycle
from analytics.reporting.states import MOVES, STATES, allowed_actions
from analytics.reporting.store import DB_ENV, Store
from views.filters import Filters
from views.i18n import name_col, text

# the columns of the county table and the chase list (reporting.col.<name> in the catalogs)
COLUMNS = (
    "prefecture",
    "county",
    "state",
    "days_late",
    "submitted",
    "returned",
    "approved",
    "accepted",
    "figures",
)


@dataclass(frozen=True)
class Chase:
    """One prefecture's late counties."""

    prefecture: str
    counties: str  # "二县（14 天）、三县（14 天）"
    n: int


@dataclass(frozen=True)
class ReportingModel:
    filters: Filters
    user: User
    months: tuple[dt.date, ...]
    month: dt.date
    month_labels: dict[dt.date, str]
    today: dt.date
    deadline: dt.date
    rule: str  # the deadline rule and the day lateness is judged at, in words
    store_note: str  # where the state lives
    counts: tuple[tuple[str, int], ...]  # (label, counties) per state, then the late ones
    table: pd.DataFrame  # one row per county, labelled columns
    chase: tuple[Chase, ...]
    chase_table: pd.DataFrame  # one row per late county: prefecture, county, state, days late
    status: pd.DataFrame  # cycle.status's rows (county_code, state, version …) for the page's actions
    actions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # county → moves the user may make
    county_labels: dict[str, str] = field(default_factory=dict)
    action_labels: dict[str, str] = field(default_factory=dict)
    acceptable: tuple[str, ...] = ()  # approved counties the user may accept at once (the province's admin)


def months_of(f: Filters) -> tuple[dt.date, ...]:
    last = min(f.as_of, dt.date(f.plan_year, 12, 31))
    return tuple(cycle.month_end(f.plan_year, m) for m in range(1, 13) if cycle.month_end(f.plan_year, m) <= last) or (
        cycle.month_end(f.plan_year, 1),
    )


def default_month(months: tuple[dt.date, ...], today: dt.date) -> dt.date:
    """The latest month whose report is due by ``today`` (else the first): the month one chases."""
    due = [m for m in months if cycle.deadline(m) <= today]
    return due[-1] if due else months[0]


def _days(d: object) -> str:
    return "" if d is None or pd.isna(d) else str(int(d))  # type: ignore[call-overload,arg-type]


def _when(at: object, by: object) -> str:
    if at is None or pd.isna(at):  # type: ignore[call-overload]
        return ""
    return f"{cycle.local_time(at)} · {by}" if by else cycle.local_time(at)  # type: ignore[arg-type]


def view(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    *,
    user: User = DEMO_USER,
    month: dt.date | None = None,
    data_root: Path | None = None,
    today: dt.date | None = None,
) -> ReportingModel:
    lang = f.lang
    root = db.data_dir_from_env() if data_root is None else data_root
    today = today or min(f.as_of, dt.date.today())
    months = months_of(f)
    month = month if month in months else default_month(months, today)
    labels = {m: text("reporting.month_label", lang, year=m.year, month=m.month) for m in months}
    counties = queries.regions_at_level(con, level="county", within=f.region)
    prefectures = queries.regions_at_level(con, level="prefecture", within=PROVINCE_CODE)
    pref_names = dict(zip(prefectures["region_code"], prefectures[name_col("name", lang)], strict=True))
    rows = pd.DataFrame(
        {
            "county_code": counties["region_code"].astype(str),
            "prefecture_code": counties["prefecture_code"].astype(str),
            "name_zh": counties["name_zh"].astype(str),
            "name_en": counties["name_en"].fillna(counties["name_zh"]).astype(str),
        }
    )
    st = Store.existing(root)
    held = st.rows(period_end=month) if st else []
    first = st.first_submissions(month) if st else {}
    status = cycle.status(rows, held, month, today, first_submitted=first)
    figures = quality_queries.reports(con, plan_year=f.plan_year, as_of=month, within=f.region)
    in_month = figures[pd.to_datetime(figures["period_end"]).dt.date == month]
    figures_of = dict(zip(in_month["county_code"].astype(str), in_month["figures"].astype(int), strict=True))
    state_label = {s: text(f"reporting.state.{s}", lang) for s in STATES}
    name = name_col("name", lang)

    def c(key: str) -> str:
        return text(f"reporting.col.{key}", lang)

    table = pd.DataFrame(
        {
            c("prefecture"): status["prefecture_code"].map(pref_names),
            c("county"): status[name],
            c("state"): status["state"].map(state_label),
            # an empty cell, not "None", for a county that is not late
            c("days_late"): [_days(d) for d in status["days_late"]],
            c("submitted"): [_when(a, b) for a, b in zip(status["submitted_at"], status["submitted_by"], strict=True)],
            c("returned"): [
                f"{_when(a, b)}：{r}" if isinstance(r, str) and r else ""
                for a, b, r in zip(status["returned_at"], status["returned_by"], status["return_reason"], strict=True)
            ],
            c("approved"): [_when(a, b) for a, b in zip(status["approved_at"], status["approved_by"], strict=True)],
            c("accepted"): [_when(a, b) for a, b in zip(status["accepted_at"], status["accepted_by"], strict=True)],
            c("figures"): [figures_of.get(str(code), 0) for code in status["county_code"]],
        }
    )
    late = cycle.chase_list(status)
    chase = []
    for code, group in late.groupby("prefecture_code", sort=True):
        listed = "、".join(
            text("reporting.days", lang, county=n, days=int(d)) for n, d in zip(group[name], group["days_late"], strict=True)
        )
        chase.append(Chase(str(pref_names.get(code, code)), listed, len(group)))
    chase.sort(key=lambda x: -x.n)
    counts = (
        *((state_label[s], int((status["state"] == s).sum())) for s in STATES),
        (text("reporting.late_count", lang), len(late)),
    )
    actions = {
        str(r.county_code): tuple(allowed_actions(str(r.state), user, str(r.prefecture_code)))
        for r in status.itertuples(index=False)
    }
    acceptable = tuple(
        code for code, moves in actions.items() if "accept" in moves and f.region != PROVINCE_CODE
    )
    url = "PostgreSQL" if st is not None and not st.url.startswith("sqlite") else "SQLite"
    if st is None:
        store_note = text("reporting.store.none", lang, env=DB_ENV)
    else:
        store_note = text("reporting.store.in_use", lang, kind=url, env=DB_ENV)
    return ReportingModel(
        filters=f,
        user=user,
        months=months,
        month=month,
        month_labels=labels,
        today=today,
        deadline=cycle.deadline(month),
        rule=text(
            "reporting.rule",
            lang,
            day=cycle.deadline_day(),
            deadline=cycle.deadline(month).isoformat(),
            today=today.isoformat(),
            env=cycle.DEADLINE_ENV,
        ),
        store_note=store_note,
        counts=counts,
        table=table,
        chase=tuple(chase),
        # one row per late county, prefecture by prefecture, longest late first within each
        chase_table=pd.DataFrame(
            {
                c("prefecture"): late["prefecture_code"].map(pref_names),
                c("county"): late[name],
                c("state"): late["state"].map(state_label),
                c("days_late"): late["days_late"].astype(int),
            }
        ),
        status=status,
        actions={k: v for k, v in actions.items() if v},
        county_labels=dict(zip(status["county_code"], status[name], strict=True)),
        action_labels={a: text(f"reporting.action.{a}", lang) for a in MOVES},
        acceptable=acceptable,
    )
