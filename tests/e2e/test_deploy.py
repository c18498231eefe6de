"""The deployment the README documents (``python -m deploy``): two replicas behind HAProxy.

Started exactly as documented, over a copy of the bundled data: both replicas serve through the
balancer, a browser stays on its replica across reruns and a reload (the sticky cookie), and a
publish made while they run is read by both.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Response

from deploy.haproxy import REPLICA_HEADER, STICKY_COOKIE
from tests.bundled import copy_bundled
from tests.ci import missing
from tests.e2e.app_page import AppPage
from tests.e2e.conftest import REPO, Server
from tests.e2e.test_pages import LANGUAGE_LABEL
from ui.i18n import catalog

START_TIMEOUT_S = 180


def _free_ports(n: int) -> int:
    """The first of ``n`` consecutive free loopback ports."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first: int = probe.getsockname()[1]
        if first + n > 65535:
            continue
        taken = False
        for port in range(first, first + n):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    taken = True
        if not taken:
            return first
    raise RuntimeError("no run of free ports")


def _stats(sock: Path) -> dict[str, dict[str, str]]:
    """HAProxy's ``show stat`` over its socket: server name → its row (UP/DOWN, sessions …)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(sock))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    lines = [line for line in data.decode().splitlines() if line]
    header = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]
    return {r["svname"]: r for r in rows if r["pxname"] == "streamlit"}


@dataclass
class Deployment:
    url: str
    root: Path
    run_dir: Path
    process: subprocess.Popen[bytes]

    def server(self) -> Server:
        """The balancer as the e2e fixtures' ``Server`` (tabs are opened on it)."""
        return Server(url=self.url, process=self.process, log_path=self.run_dir / "deploy.log")


@pytest.fixture(scope="module")
def deployment(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    if not shutil.which("haproxy") and not Path("/usr/sbin/haproxy").exists():
        missing("haproxy is missing: install Debian's package (apt-get install haproxy) to test the deployment")
    base = tmp_path_factory.mktemp("deploy")
    root = base / "root"
    copy_bundled(root)
    run_dir = base / "run"
    port, first_replica = _free_ports(1), _free_ports(2)
    env = {k: v for k, v in os.environ.items() if k not in ("FPA_USERS_FILE", "FPA_TRUSTED_PROXIES")}
    env["FPA_DATA_DIR"] = str(root)
    # the README's command, with ports of the test's own
    command = [
        sys.executable, "-m", "deploy", "--replicas", "2", "--port", str(port), "--address", "127.0.0.1",
        "--first-replica-port", str(first_replica), "--run-dir", str(run_dir),
    ]  # fmt: skip
    run_dir.mkdir()
    with (run_dir / "deploy.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while b"serving on" not in (run_dir / "deploy.log").read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"python -m deploy did not start:\n{(run_dir / 'deploy.log').read_text(errors='replace')}")
        time.sleep(0.5)
    yield Deployment(url=url, root=root, run_dir=run_dir, process=process)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    # every replica went with it: nothing answers on their ports
    for p in (first_replica, first_replica + 1, port):
        with socket.socket() as s, pytest.raises(OSError):
            s.settimeout(2)
            s.connect(("127.0.0.1", p))


def _replica_of(tab: AppPage) -> str:
    cookies = {c["name"]: c["value"] for c in tab.page.context.cookies()}
    return cookies[STICKY_COOKIE]


def _record_replicas(tab: AppPage) -> list[str]:
    seen: list[str] = []

    def on_response(response: Response) -> None:
        name = response.headers.get(REPLICA_HEADER.lower())
        if name:
            seen.append(name)

    tab.page.on("response", on_response)
    return seen


def test_both_replicas_serve_and_a_browser_stays_on_its_own(
    deployment: Deployment, new_tab: Callable[..., AppPage]
) -> None:
    stats = _stats(deployment.run_dir / "haproxy.sock")
    # "UP", or "UP 1/3" while a busy replica's health check is late (three misses take it out)
    assert all(stats[n]["status"].startswith("UP") for n in ("r1", "r2")), stats
    lb = deployment.server()
    first, second = new_tab(lb), new_tab(lb)
    seen_first = _record_replicas(first)
    first.open("/", lang="zh")
    second.open("/", lang="zh")
    # round robin: two new browsers land on the two replicas, each told its own in a cookie
    assert {_replica_of(first), _replica_of(second)} == {"r1", "r2"}
    assert first.title() == second.title() != ""
    mine = _replica_of(first)
    other = "r2" if mine == "r1" else "r1"
    sessions_before = int(_stats(deployment.run_dir / "haproxy.sock")[other]["stot"])
    # reruns: another page (new code and data over the websocket), a language switch, then a reload
    first.open("/attainment", lang="zh")
    first.click_segment(LANGUAGE_LABEL, "English")
    assert first.title() == catalog("en")["attainment.title"]
    first.page.reload()
    first.settle()
    assert _replica_of(first) == mine
    assert seen_first and set(seen_first) == {mine}, f"answers came from {sorted(set(seen_first))}, not only {mine}"
    assert int(_stats(deployment.run_dir / "haproxy.sock")[other]["stot"]) == sessions_before


def _publish_july(root: Path, tmp_path: Path) -> str:
    """Import Changsha's July progress with every value set to 3 through the import's command line;
    return the new version's id (read from the data root, not from the command's output)."""
    p = pd.read_parquet(root / "exports" / "progress")
    rows = p[p["region_code"].str.startswith("4301") & (p["period_end"].astype(str) == "2023-07-31")].copy()
    rows["value"] = 3.0
    csv = tmp_path / "progress_2023-07.csv"
    rows.to_csv(csv, index=False)
    done = subprocess.run(
        [sys.executable, "-m", "analytics.ingest", str(csv), "--data-dir", str(root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return (root / "CURRENT").read_text().strip()


def test_a_publish_is_read_by_both_replicas(
    deployment: Deployment, new_tab: Callable[..., AppPage], tmp_path: Path
) -> None:
    version = _publish_july(deployment.root, tmp_path)
    assert version.startswith("v0001-")
    for replica in ("r1", "r2"):
        tab = new_tab(deployment.server())
        tab.page.context.add_cookies([{"name": STICKY_COOKIE, "value": replica, "url": deployment.url}])
        seen = _record_replicas(tab)
        tab.open("/imports", lang="zh")
        assert set(seen) == {replica}
        # the import page's table of versions marks the one in force
        tab.page.get_by_role("tab", name=catalog("zh")["imports.tab.versions"]).click()
        # the table of versions (drawn on a canvas; its cells are also in the grid's accessible table)
        grid = tab.page.locator('[data-testid="stMain"] [data-testid="stDataFrame"] table').first
        grid.locator("td", has_text=version).first.wait_for(state="attached", timeout=30_000)


def test_the_balancer_answers_health_checks_and_names_the_replica(deployment: Deployment) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    names = set()
    for _ in range(4):
        with opener.open(f"{deployment.url}/_stcore/health", timeout=10) as response:
            assert response.read().strip() == b"ok"
            names.add(response.headers[REPLICA_HEADER])
            assert any(c.startswith(f"{STICKY_COOKIE}=") for c in response.headers.get_all("Set-Cookie") or [])
    assert names == {"r1", "r2"}
