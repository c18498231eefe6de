"""Password hashes and password rules: argon2id hashing and verification, the length limits,
and the dummy hash that makes an unknown name cost as much time as a wrong password.

HASHER, verify_password and _dummy_hash are looked up through this module by lockout.py, so a
test that replaces them on ``analytics.auth`` (a cheap hasher) changes them everywhere.
"""

from __future__ import annotations

import functools
from typing import Final

# argon2-cffi: argon2id is what OWASP and RFC 9106 recommend first for password storage,
# it has no 72-byte input limit (bcrypt has), and the library is maintained by the
# authors of attrs/structlog with regular releases. Its defaults are RFC 9106's
# low-memory profile (t=3, m=64 MiB, p=4).
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from analytics.auth.roles import AuthError

MIN_PASSWORD: Final = 10
MAX_PASSWORD: Final = 1024  # hashing is slow on purpose: bound what an attacker may make us hash

HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified when the name is unknown, so an unknown name takes as long as a wrong password
    (made on first use: hashing takes a good part of a second)."""
    return HASHER.hash("not a password of anyone: timing equaliser")


def password_problem(password: str, name: str) -> str | None:
    """Why a new password is not accepted (a short key for the UI), or None."""
    if len(password) < MIN_PASSWORD:
        return "too_short"
    if len(password) > MAX_PASSWORD:
        return "too_long"
    if password.strip().lower() == name.lower():
        return "same_as_name"
    return None


def hash_password(password: str) -> str:
    if len(password) > MAX_PASSWORD:
        raise AuthError("password too long")
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for a malformed hash, never an exception
    that could carry either)."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
