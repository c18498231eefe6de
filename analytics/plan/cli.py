"""The plan command line: ``python -m analytics.plan check|import|template|rollback``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from analytics import publish
from analytics.ingest.run import os_user
from analytics.plan.run import check_workbook, import_workbook
from analytics.plan.template import template


def main(argv: Sequence[str] | None = None) -> int:
    from analytics.db import data_dir_from_env

    parser = argparse.ArgumentParser(
        prog="python -m analytics.plan",
        description="工作要点工作簿：检查、导入、模板 / the plan workbook: check, import, template",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("check", "只检查，不发布 / check only, publish nothing"),
        ("import", "检查全部通过后发布为新版本 / check, then publish a new version"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("workbook", type=Path)
        p.add_argument("--data-dir", type=Path, default=None, help="data root (default: FPA_DATA_DIR or data/)")
    t = sub.add_parser("template", help="空白模板 / a blank template")
    t.add_argument("--year", type=int, required=True)
    t.add_argument("--out", type=Path, required=True)
    r = sub.add_parser("rollback", help="回退到上一版本 / put the previous version back in force")
    r.add_argument("--to", help="the version to put in force")
    r.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)

    if args.command == "template":
        template(args.out, args.year)
        print(f"已写出模板 / template written: {args.out}")
        return 0
    root = (args.data_dir or data_dir_from_env()).resolve()
    if args.command == "rollback":
        try:
            to = publish.rollback(root, args.to, user=os_user(), detail={"via": "cli", "kind": "plan"})
        except publish.PublishError as exc:
            print(f"回退失败 / rollback failed: {exc}", file=sys.stderr)
            return 1
        print(f"已回退到版本 {to} / version {to} is in force again")
        return 0
    if not args.workbook.is_file():
        print(f"找不到文件 / file not found: {args.workbook}", file=sys.stderr)
        return 2
    if args.command == "check":
        report, _ = check_workbook(args.workbook, root)
    else:
        report = import_workbook(args.workbook, root, via="cli")
    print(report.text(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1
