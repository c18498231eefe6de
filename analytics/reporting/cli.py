"""``python -m analytics.reporting``: templates, the month's status and chase list, and moves.

    python -m analytics.reporting template --county 430102 --month 2023-07 --out 芙蓉区.xlsx
    python -m analytics.reporting template --prefecture 430100 --month 2023-07 --out 长沙市.zip
    python -m analytics.reporting status --month 2023-07 [--prefecture 430100]
    python -m analytics.reporting chase --month 2023-07 [--today 2023-08-20]
    python -m analytics.reporting approve --county 430102 --month 2023-07 --as lisi
    python -m analytics.reporting return --county 430102 --month 2023-07 --as lisi --reason "缺村级数据"
    python -m analytics.reporting accept --prefecture 430100 --month 2023-07 --as zhangsan

A filled template is imported like any export (``python -m analytics.ingest 芙蓉区.xlsx``), which
submits the county month. A move is made as a user of the users file (``FPA_USERS_FILE``), with
that user's role and scope: the command line grants nothing the page would not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from analytics.reporting import cycle
from analytics.reporting.states import ACTIONS, APPROVED, ReportingError
from analytics.reporting.store import Store, Target


def _user(name: str | None):  # type: ignore[no-untyped-def]
    from analytics.auth.users import existing_user, load_users, users_file_from_env

    path = users_file_from_env()
    if path is None or not name:
        raise ReportingError("no_user", "a move is made as a user of the users file: set FPA_USERS_FILE and pass --as")
    return existing_user(load_users(path), name).user()


def main(argv: Sequence[str] | None = None) -> int:
    from analytics.db import data_dir_from_env, published_dir
    from analytics.ingest.check import reference
    from analytics.reporting import template

    parser = argparse.ArgumentParser(prog="python -m analytics.reporting", description="月报：模板、报送情况、审核验收")
    parser.add_argument("command", choices=("template", "status", "chase", *ACTIONS))
    parser.add_argument("--month", required=True, help="YYYY-MM")
    parser.add_argument("--county")
    parser.add_argument("--prefecture")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--as", dest="user", help="the user (of FPA_USERS_FILE) making the move")
    parser.add_argument("--reason", help="return: why")
    parser.add_argument("--today", help="YYYY-MM-DD (default: today): for the chase list")
    parser.add_argument("--data-dir", type=Path, default=None, help="data root (default: FPA_DATA_DIR or data/)")
    a = parser.parse_args(argv)
    root = a.data_dir or data_dir_from_env()
    folder = published_dir(root)
    period_end = cycle.parse_month(a.month)
    today = dt.date.fromisoformat(a.today) if a.today else dt.date.today()
    try:
        if a.command == "template":
            if not a.out:
                parser.error("template needs --out")
            if a.county:
                template.write(a.out, a.county, period_end, folder=folder)
                print(a.out)
            elif a.prefecture:
                data, names = template.prefecture_zip(a.prefecture, period_end, folder=folder)
                a.out.write_bytes(data)
                print(f"{a.out}: {len(names)} templates")
            else:
                parser.error("template needs --county or --prefecture")
            return 0
        regions = reference(folder).regions
        if a.command in ("status", "chase"):
            status = cycle.month_status(root, regions, period_end, today, prefecture_code=a.prefecture)
            rows = cycle.chase_list(status) if a.command == "chase" else status
            print(f"{a.month}: deadline {cycle.deadline(period_end).isoformat()}, today {today.isoformat()}")
            for r in rows.to_dict("records"):
                days = r["days_late"]
                late = "" if days is None or days != days or str(days) == "<NA>" else f"  {int(days)} days late"
                print(f"{r['prefecture_code']} {r['county_code']} {r['name_zh']}\t{r['state']}{late}")
            return 0
        user = _user(a.user)
        st = Store(root)
        by_code = regions.set_index("region_code")
        if a.county:
            targets = [Target(a.county, str(by_code.at[a.county, "prefecture_code"]), period_end)]
        elif a.prefecture and a.command in ("accept", "withdraw"):
            # the province accepts a prefecture's month: every county of it the prefecture approved
            wanted = APPROVED if a.command == "accept" else "accepted"
            targets = [
                Target(c.county_code, c.prefecture_code, period_end)
                for c in st.rows(period_end=period_end, prefecture_code=a.prefecture, state=wanted)
            ]
        else:
            parser.error(f"{a.command} needs --county (accept and withdraw: or --prefecture)")
        done = st.move_many(a.command, targets, user, a.reason)
        for c in done:
            print(f"{c.county_code} {c.month}: {c.state} (version {c.version})")
        return 0
    except (ReportingError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
