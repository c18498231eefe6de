"""The command line that manages the users file: ``python -m analytics.auth add | passwd | change
| list | remove``; every change is recorded in the audit log as the operating-system account.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from analytics.auth.roles import PROVINCE_SCOPE, ROLES, AuthError, check_name
from analytics.auth.users import (
    USERS_FILE_ENV,
    change_user,
    check_users_file_location,
    existing_user,
    load_users,
    mode,
    new_user,
    remove_user,
    set_password,
    update_users,
    users_file_from_env,
)


def _read_password(args: argparse.Namespace, name: str) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass(f"New password for {name}: ")
    if getpass.getpass("Again: ") != first:
        raise AuthError("the two passwords differ")
    return first


def _users_path(args: argparse.Namespace) -> Path:
    path = Path(args.file).expanduser().resolve() if args.file else users_file_from_env()
    if path is None:
        raise AuthError(f"no users file: set {USERS_FILE_ENV} or pass --file")
    from analytics.db import data_dir_from_env  # imported late: duckdb is slow to import

    check_users_file_location(path, data_dir_from_env())
    return path


def _audit(event: str, detail: Mapping[str, object]) -> None:
    from analytics import audit
    from analytics.db import data_dir_from_env

    try:
        actor = f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        actor = "cli"
    audit.record(data_dir_from_env(), event, actor, detail)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.auth", description="Manage the dashboard's users file.")
    parser.add_argument("--file", help=f"the users file (default: ${USERS_FILE_ENV})")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a user and set their password")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--scope", default=PROVINCE_SCOPE, help="430000 (the province) or a prefecture code")
    add.add_argument("--display-name", default="")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    pw = sub.add_parser("passwd", help="set a user's password")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    ch = sub.add_parser("change", help="change a user's role, scope or display name")
    ch.add_argument("name")
    ch.add_argument("--role", choices=ROLES)
    ch.add_argument("--scope")
    ch.add_argument("--display-name")
    sub.add_parser("list", help="list the users (never their hashes)")
    rm = sub.add_parser("remove", help="remove a user")
    rm.add_argument("name")
    rm.add_argument(
        "--allow-empty",
        action="store_true",
        help="allow removing the last user (the app then runs in the local demo mode, for this machine only)",
    )
    args = parser.parse_args(argv)
    try:
        path = _users_path(args)
        if args.command == "list":
            for u in load_users(path).users:
                print(f"{u.name}\t{u.role}\t{u.scope}\t{u.display_name}\tpassword set {u.password_set}")
            return 0
        name = args.name.strip().lower()
        if args.command == "add":
            check_name(name)
            password = _read_password(args, name)
            update_users(
                path,
                lambda u: new_user(
                    u, name, role=args.role, scope=args.scope, password=password, display_name=args.display_name
                ),
            )
            _audit("user_added", {"name": name, "role": args.role, "scope": args.scope})
            print(f"added {name} ({args.role}, {args.scope}) to {path}")
        elif args.command == "passwd":
            existing_user(load_users(path), name)
            password = _read_password(args, name)
            update_users(path, lambda u: set_password(u, name, password))
            _audit("password_set", {"name": name})
            print(f"password of {name} set")
        elif args.command == "change":
            update_users(
                path, lambda u: change_user(u, name, role=args.role, scope=args.scope, display_name=args.display_name)
            )
            _audit("user_changed", {"name": name, "role": args.role, "scope": args.scope})
            print(f"changed {name}")
        elif args.command == "remove":
            left = update_users(path, lambda u: remove_user(u, name, allow_empty=args.allow_empty))
            _audit("user_removed", {"name": name})
            print(f"removed {name}")
            if mode(left) == "demo":
                print(
                    f"{path} has no users now: the app runs in the local demo mode (no sign-in, this machine only)"
                    " until a user is added",
                    file=sys.stderr,
                )
    except AuthError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
