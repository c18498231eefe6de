"""The balancer's configuration as generated for a server (``python -m deploy config``): HAProxy
itself accepts it, every replica is in it with its cookie, and the replicas are told to trust
the balancer's X-Forwarded-For."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.__main__ import replica_env
from deploy.haproxy import STICKY_COOKIE
from tests.ci import missing

REPO = Path(__file__).resolve().parents[2]


def _haproxy() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if found is None:
        missing("haproxy is missing: apt-get install haproxy")
    return str(found)


def test_haproxy_accepts_the_generated_configuration(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "deploy", "config", "--replicas", "3", "--port", "8099", "--first-replica-port", "9001"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    cfg = tmp_path / "fpa.cfg"
    cfg.write_text(done.stdout)
    check = subprocess.run([_haproxy(), "-c", "-f", str(cfg)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    servers = [line.split() for line in done.stdout.splitlines() if line.strip().startswith("server ")]
    assert [(s[1], s[2], s[4]) for s in servers] == [
        ("r1", "127.0.0.1:9001", "r1"),
        ("r2", "127.0.0.1:9002", "r2"),
        ("r3", "127.0.0.1:9003", "r3"),
    ]
    assert f"cookie {STICKY_COOKIE} insert" in done.stdout
    assert "bind 0.0.0.0:8099" in done.stdout  # the intranet by default
    assert "timeout tunnel 4h" in done.stdout  # a websocket outlives a meeting


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, "127.0.0.1,::1"),
        ({"FPA_TRUSTED_PROXIES": "10.0.0.0/24"}, "10.0.0.0/24,127.0.0.1,::1"),
        ({"FPA_TRUSTED_PROXIES": "::1, 127.0.0.1"}, "::1,127.0.0.1"),
    ],
)
def test_replicas_trust_the_balancer_on_this_machine(given: dict[str, str], expected: str) -> None:
    assert replica_env({"PATH": "/usr/bin", **given})["FPA_TRUSTED_PROXIES"] == expected
