"""Who may sign in, with which role and scope: the users file, password hashes, roles, scopes,
session lifetimes, the slowing-down of failed sign-ins, and the OIDC claim mapping.

Pure Python (no Streamlit): ``ui/auth.py`` draws the sign-in form and keeps the session on
top of this package, and ``python -m analytics.auth`` manages the users file::

    FPA_USERS_FILE=/etc/fpa/users.json python -m analytics.auth add zhang --role analyst --scope 430100
    python -m analytics.auth passwd zhang          # asks for the new password twice
    python -m analytics.auth list
    python -m analytics.auth remove zhang

The users file is JSON, outside the data folder, written atomically with mode 0600. It holds
one record per user (name, display name, role, scope, an argon2id hash of the password,
when it was created and changed) and optionally an ``oidc`` section (see docs/security.md).
Nothing here prints, logs or returns a password, and a hash never leaves this package's
records (their ``repr`` omits it).

One module per job:

- ``roles.py``: roles, scopes, user names, ``User`` and ``AuthError``;
- ``passwords.py``: argon2id hashes and the password rules;
- ``users.py``: the users file, read, written under its lock, and the changes made to it;
- ``sessions.py``: how long a session lasts and why it ends;
- ``lockout.py``: ``sign_in``, slowed down after failed attempts per name and per client;
- ``clients.py``: who a request is from, behind trusted proxies only; the local demo mode's check;
- ``oidc.py``: the identity provider's claims mapped to a role and scope;
- ``cli.py``: ``main``, the command line (``__main__.py`` runs it).

This package re-exports what the app, the pages and the tests use, so callers import
``analytics.auth`` and need not know which module a name lives in.
"""

from argon2 import PasswordHasher

from analytics.auth.cli import main
from analytics.auth.clients import (
    ALLOW_OPEN_DEMO_ENV,
    PROXY_HEADERS,
    TRUSTED_PROXIES_ENV,
    UNTRUSTED_PROXY,
    Client,
    Network,
    _server_trusts,
    is_loopback,
    open_demo_allowed,
    resolve_client,
    trusted_proxies,
)
from analytics.auth.lockout import RateLimiter, SignInGuard, SignInResult, sign_in
from analytics.auth.oidc import user_from_claims
from analytics.auth.passwords import (
    HASHER,
    MAX_PASSWORD,
    MIN_PASSWORD,
    _dummy_hash,
    hash_password,
    password_problem,
    verify_password,
)
from analytics.auth.roles import (
    DEMO_USER,
    PROVINCE_SCOPE,
    ROLES,
    AuthError,
    User,
    check_name,
    check_role,
    check_scope,
    role_allows,
    rows_outside_scope,
    scope_allows,
)
from analytics.auth.sessions import IDLE_ENV, LIFETIME_ENV, Session, SessionSettings, session_end, session_settings
from analytics.auth.users import (
    USERS_FILE_ENV,
    Mode,
    OidcMapping,
    OidcRule,
    UserRecord,
    UsersFile,
    _now_text,
    change_user,
    check_users_file_location,
    load_users,
    mode,
    new_user,
    rehash,
    remove_user,
    save_users,
    set_password,
    update_users,
    users_file_from_env,
)

__all__ = [
    "ALLOW_OPEN_DEMO_ENV",
    "DEMO_USER",
    "HASHER",
    "IDLE_ENV",
    "LIFETIME_ENV",
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "PROVINCE_SCOPE",
    "PROXY_HEADERS",
    "ROLES",
    "TRUSTED_PROXIES_ENV",
    "UNTRUSTED_PROXY",
    "USERS_FILE_ENV",
    "AuthError",
    "Client",
    "Mode",
    "Network",
    "OidcMapping",
    "OidcRule",
    "PasswordHasher",
    "RateLimiter",
    "Session",
    "SessionSettings",
    "SignInGuard",
    "SignInResult",
    "User",
    "UserRecord",
    "UsersFile",
    "_dummy_hash",
    "_now_text",
    "_server_trusts",
    "change_user",
    "check_name",
    "check_role",
    "check_scope",
    "check_users_file_location",
    "hash_password",
    "is_loopback",
    "load_users",
    "main",
    "mode",
    "new_user",
    "open_demo_allowed",
    "password_problem",
    "rehash",
    "remove_user",
    "resolve_client",
    "role_allows",
    "rows_outside_scope",
    "save_users",
    "scope_allows",
    "session_end",
    "session_settings",
    "set_password",
    "sign_in",
    "trusted_proxies",
    "update_users",
    "user_from_claims",
    "users_file_from_env",
    "verify_password",
]
