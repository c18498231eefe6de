"""Roles, scopes and user names: what a user may do (viewer < analyst < admin) and over which
rows (the province or one prefecture), the signed-in User as pages see it, and AuthError, the one
error of the package (here because every other module of it builds on these rules).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

ROLES: Final = ("viewer", "analyst", "admin")
RANK: Final = {role: i for i, role in enumerate(ROLES)}
# the province, the same code as analytics.queries.PROVINCE_CODE (not imported: this module
# stays light for the command line)
PROVINCE_SCOPE: Final = "430000"
_PREFECTURE = re.compile(r"^43(0[1-9]|[1-9]\d)00$")
USER_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AuthError(ValueError):
    """A bad users file, name, role, scope or password: the message says which, never the secret."""


def check_role(role: str) -> str:
    if role not in RANK:
        raise AuthError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def role_allows(role: str, min_role: str) -> bool:
    """Whether ``role`` reaches ``min_role`` (viewer < analyst < admin). Unknown roles reach nothing."""
    return role in RANK and RANK[role] >= RANK[check_role(min_role)]


def check_scope(scope: str) -> str:
    """The province (430000) or one prefecture (43xx00)."""
    if scope != PROVINCE_SCOPE and not _PREFECTURE.match(scope):
        raise AuthError(
            f"scope must be {PROVINCE_SCOPE} (the province) or a prefecture code like 430100, not {scope!r}"
        )
    return scope


def scope_allows(scope: str, prefecture_code: str | None) -> bool:
    """Whether a user of ``scope`` may import or correct a row of ``prefecture_code``.

    The province's scope allows every row; a prefecture's only its own. A row without a
    prefecture (the province's own figures) belongs to the province's scope only.
    """
    return scope == PROVINCE_SCOPE or (prefecture_code is not None and prefecture_code == scope)


def rows_outside_scope(prefecture_codes: Sequence[str | None], scope: str) -> list[int]:
    """Positions of the rows a user of ``scope`` may not import (empty: all allowed)."""
    return [i for i, code in enumerate(prefecture_codes) if not scope_allows(scope, code)]


def check_name(name: str) -> str:
    if not USER_NAME.match(name):
        raise AuthError(
            "a user name is 2-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return name


@dataclass(frozen=True)
class User:
    """Who is signed in, as pages see it: no secret here."""

    name: str
    display_name: str
    role: str
    scope: str
    via: Literal["password", "oidc", "demo"] = "password"

    @property
    def demo(self) -> bool:
        return self.via == "demo"

    def allows(self, min_role: str) -> bool:
        return role_allows(self.role, min_role)


# in the local demo mode: one user with every role, for this machine only
DEMO_USER: Final = User(name="local", display_name="local", role="admin", scope=PROVINCE_SCOPE, via="demo")
