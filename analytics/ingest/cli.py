"""The command line of the import: ``python -m analytics.ingest`` checks and publishes files,
lists the versions, or rolls back; it records the operating-system account that runs it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from analytics import publish
from analytics.ingest.read import IMPORTABLE
from analytics.ingest.run import ingest, os_user


def main(argv: Sequence[str] | None = None) -> int:
    from analytics.db import data_dir_from_env

    parser = argparse.ArgumentParser(
        prog="python -m analytics.ingest",
        description="导入数据：检查后原子发布新版本 / import exports: check, then publish a new version atomically",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="Parquet, CSV (UTF-8 / GBK) or Excel files")
    parser.add_argument("--data-dir", type=Path, default=None, help="data root (default: FPA_DATA_DIR or data/)")
    parser.add_argument("--table", choices=IMPORTABLE, help="the table of every file (default: from the file name)")
    parser.add_argument("--scope", help="prefecture code: refuse rows of other regions")
    parser.add_argument(
        "--user",
        help="accepted only as your own operating-system account: imports and rollbacks are recorded as "
        "the account that runs them",
    )
    parser.add_argument("--dry-run", action="store_true", help="check only; publish nothing")
    parser.add_argument(
        "--allow-nulls",
        action="store_true",
        help="let the import empty published values (rows with the same key and an empty cell)",
    )
    parser.add_argument("--rollback", action="store_true", help="put the previous version back in force")
    parser.add_argument("--to", help="with --rollback: the version to put in force")
    parser.add_argument("--versions", action="store_true", help="list the published versions")
    args = parser.parse_args(argv)
    root = (args.data_dir or data_dir_from_env()).resolve()
    # who did it is the account running the command, never a name typed on the command line
    user = os_user()
    if args.user is not None and args.user != user:
        print(
            f"--user 只能是运行本命令的系统账户 {user} / --user can only be the account running this command ({user})",
            file=sys.stderr,
        )
        return 2
    if args.versions:
        current = publish.current_id(root)
        for v in publish.list_versions(root):
            mark = "*" if v.id == current else " "
            names = ", ".join(str(f.get("name")) for f in v.files)
            print(f"{mark} {v.id}\t{v.published_at or '-'}\t{v.user or '-'}\t{names or v.note}")
        return 0
    if args.rollback:
        try:
            to = publish.rollback(root, args.to, user=user, detail={"via": "cli"})
        except publish.PublishError as exc:
            print(f"回退失败 / rollback failed: {exc}", file=sys.stderr)
            return 1
        print(f"已回退到版本 {to} / version {to} is in force again")
        return 0
    if not args.paths:
        parser.error("give at least one file to import (or --rollback / --versions)")
    missing = [p for p in args.paths if not p.is_file()]
    if missing:
        print("找不到文件 / file not found: " + ", ".join(str(p) for p in missing), file=sys.stderr)
        return 2
    report = ingest(
        args.paths,
        data_dir=root,
        table=args.table,
        scope=args.scope,
        user=user,
        dry_run=args.dry_run,
        allow_nulls=args.allow_nulls,
        via="cli",
    )
    print(report.text(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1
