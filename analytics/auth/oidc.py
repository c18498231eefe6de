"""Sign-in through an identity provider: the provider's claims (a roles or groups claim) mapped
to a role and scope by the rules of the users file's ``oidc`` section (users.OidcMapping).
"""

from __future__ import annotations

from collections.abc import Mapping

from analytics.auth.roles import PROVINCE_SCOPE, RANK, ROLES, User
from analytics.auth.users import OidcMapping


def user_from_claims(claims: Mapping[str, object], mapping: OidcMapping) -> User | None:
    """The user an identity provider's claims make, or None when no rule gives them a role.

    Every rule whose ``value`` is in the roles claim (a list of groups, or one text) matches;
    the highest role wins, and at that role the province's scope wins over a prefecture's.
    Two different prefectures at the highest role are ambiguous: refused (None), not guessed.
    """
    name = claims.get(mapping.name_claim)
    if not isinstance(name, str) or not name.strip():
        return None
    held = claims.get(mapping.roles_claim)
    values: set[str] = (
        {held} if isinstance(held, str) else {str(v) for v in held} if isinstance(held, list | tuple) else set()
    )
    matched = [r for r in mapping.rules if r.value in values]
    if not matched:
        return None
    top = max(RANK[r.role] for r in matched)
    scopes = {r.scope for r in matched if RANK[r.role] == top}
    if PROVINCE_SCOPE in scopes:
        scope = PROVINCE_SCOPE
    elif len(scopes) == 1:
        scope = scopes.pop()
    else:
        return None
    display = claims.get(mapping.display_name_claim)
    return User(
        name=name.strip(),
        display_name=display.strip() if isinstance(display, str) and display.strip() else name.strip(),
        role=ROLES[top],
        scope=scope,
        via="oidc",
    )
