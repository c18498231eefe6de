"""What the sign-in tests share: a data root of their own and a users file made by the command line.

The data root is a temporary folder whose entries link to the bundled ``data/``: the app reads
the same data, while the audit log the tests make goes to ``<tmp>/audit/`` and not into the
repository.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import argon2
import pytest

from analytics import auth as core

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"  # every test user's password
# name → (role, scope): a province viewer, a prefecture analyst (Changsha), a province admin
USERS = {
    "vera": ("viewer", "430000"),
    "anna": ("analyst", "430100"),
    "adam": ("admin", "430000"),
}
# hashing is slow on purpose (argon2id, 64 MiB): the tests' users are hashed with a cheap
# profile; verifying reads the parameters from the hash, so sign-in is fast too
CHEAP_HASHER = argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def data_root(folder: Path) -> Path:
    """A data root that reads the bundled data and writes its own audit log."""
    folder.mkdir(parents=True, exist_ok=True)
    for entry in (REPO / "data").iterdir():
        if entry.name != "audit" and not (folder / entry.name).exists():
            (folder / entry.name).symlink_to(entry)
    return folder


def make_users(path: Path, monkeypatch: pytest.MonkeyPatch, users: dict[str, tuple[str, str]] = USERS) -> Path:
    """Add ``users`` to the users file at ``path`` with the command line (``--password-stdin``)."""
    monkeypatch.setattr(core.passwords, "HASHER", CHEAP_HASHER)
    for name, (role, scope) in users.items():
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        code = core.main(["--file", str(path), "add", name, "--role", role, "--scope", scope, "--password-stdin"])
        assert code == 0, f"adding {name} failed"
    return path
