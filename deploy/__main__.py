"""``python -m deploy``: N Streamlit replicas behind HAProxy, started and watched by one command.

    python -m deploy                          # one replica per core, the balancer on 0.0.0.0:8080
    python -m deploy --replicas 2 --port 8080 --address 127.0.0.1
    python -m deploy config --replicas 2 --port 80 > /etc/haproxy/haproxy.cfg   # for systemd (deploy/systemd/)

Each replica is ``streamlit run app.py`` on 127.0.0.1 (the balancer is the only way in), with
``FPA_TRUSTED_PROXIES`` naming this machine so the app believes the balancer's X-Forwarded-For
and the local demo mode stays with this machine's own browser. A replica that exits is started
again (the balancer's health check takes it out meanwhile); if the balancer exits, everything
stops. Ctrl-C or SIGTERM stops the balancer first, then the replicas.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import FrameType

from analytics import settings
from deploy.haproxy import HEALTH_PATH, Replica, config, replicas

ROOT = Path(__file__).resolve().parent.parent
HAPROXY_CANDIDATES = ("haproxy", "/usr/sbin/haproxy")
LOOPBACK = ("127.0.0.1", "::1")
HEALTH_TIMEOUT_S = 120.0
RESTART_PAUSE_S = 2.0


def haproxy_binary() -> str:
    for candidate in HAPROXY_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise SystemExit("haproxy not found: install Debian's package (apt-get install haproxy)")


def replica_env(base: dict[str, str]) -> dict[str, str]:
    """The replica's environment: the balancer (this machine) added to the trusted proxies."""
    # the entries as written (not parsed: a bad one is the replica's to report, naming the setting)
    trusted = [p.strip() for p in settings.TRUSTED_PROXIES.raw(base).split(",") if p.strip()]
    trusted += [a for a in LOOPBACK if a not in trusted]
    return {**base, settings.TRUSTED_PROXIES.name: ",".join(trusted)}


def replica_command(r: Replica) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.address",
        r.host,
        "--server.port",
        str(r.port),
        "--server.headless",
        "true",
    ]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own http:// address
            return bool(response.read().strip() == b"ok")
    except OSError:
        return False


def wait_healthy(url: str, proc: subprocess.Popen[bytes], what: str, timeout: float = HEALTH_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with code {proc.returncode} before it was healthy")
        if healthy(url):
            return
        time.sleep(0.2)
    raise SystemExit(f"{what}: no answer at {url} after {timeout:.0f} s")


class Deployment:
    """The replicas and the balancer as child processes, their logs in ``run_dir``."""

    def __init__(self, backends: list[Replica], address: str, port: int, run_dir: Path) -> None:
        self.backends = backends
        self.address = address
        self.port = port
        self.run_dir = run_dir
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.balancer: subprocess.Popen[bytes] | None = None
        self.stopping = False

    def _start_replica(self, r: Replica) -> subprocess.Popen[bytes]:
        log = open(self.run_dir / f"{r.name}.log", "ab")  # noqa: SIM115 - the child keeps it
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and app
            replica_command(r), cwd=ROOT, env=replica_env(dict(os.environ)), stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self.procs[r.name] = proc
        return proc

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for r in self.backends:
            self._start_replica(r)
        for r in self.backends:
            wait_healthy(f"http://{r.host}:{r.port}{HEALTH_PATH}", self.procs[r.name], f"replica {r.name}")
            print(f"replica {r.name} on {r.host}:{r.port} is healthy", flush=True)
        cfg = self.run_dir / "haproxy.cfg"
        cfg.write_text(
            config(self.backends, address=self.address, port=self.port, stats_socket=self.run_dir / "haproxy.sock"),
            encoding="utf-8",
        )
        binary = haproxy_binary()
        check = subprocess.run([binary, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True)  # noqa: S603
        if check.returncode:
            raise SystemExit(f"haproxy rejected {cfg}: {check.stdout}{check.stderr}")
        log = open(self.run_dir / "haproxy.log", "ab")  # noqa: SIM115 - the child keeps it
        # -db: stay in the foreground, so this process watches it (systemd uses -Ws instead)
        self.balancer = subprocess.Popen([binary, "-db", "-f", str(cfg)], stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        log.close()
        host = "127.0.0.1" if self.address in ("0.0.0.0", "", "*") else self.address  # noqa: S104 - a bind address, compared
        wait_healthy(f"http://{host}:{self.port}{HEALTH_PATH}", self.balancer, "haproxy")
        print(
            f"serving on http://{host}:{self.port} (haproxy bound to {self.address}:{self.port},"
            f" {len(self.backends)} replicas, logs in {self.run_dir})",
            flush=True,
        )

    def watch(self) -> int:
        """Restart a replica that exits; return when the balancer exits or a stop is asked for."""
        while not self.stopping:
            if self.balancer is not None and self.balancer.poll() is not None:
                print(f"haproxy exited with code {self.balancer.returncode}; stopping", file=sys.stderr, flush=True)
                return 1
            for r in self.backends:
                proc = self.procs[r.name]
                if proc.poll() is not None and not self.stopping:
                    print(f"replica {r.name} exited with code {proc.returncode}; starting it again", flush=True)
                    time.sleep(RESTART_PAUSE_S)
                    self._start_replica(r)
            time.sleep(0.5)
        return 0

    def stop(self) -> None:
        self.stopping = True
        children = [p for p in (self.balancer, *self.procs.values()) if p is not None]
        for p in children:
            if p.poll() is None:
                p.terminate()
        for p in children:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", nargs="?", choices=("run", "config"), default="run")
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1, help="default: one per core")
    parser.add_argument("--port", type=int, default=8080, help="the balancer's port (default 8080)")
    # every interface by default: serving the intranet is the point (the replicas stay on loopback)
    parser.add_argument("--address", default="0.0.0.0", help="the balancer's bind address (default: every interface)")  # noqa: S104
    parser.add_argument("--first-replica-port", type=int, default=8501, help="replicas on this port and up")
    parser.add_argument("--run-dir", type=Path, help="haproxy.cfg and the logs (default: a new temporary folder)")
    args = parser.parse_args(argv)
    backends = replicas(args.replicas, args.first_replica_port)
    if args.action == "config":
        print(config(backends, address=args.address, port=args.port, stats_socket=None, log_target="/dev/log local0"))
        return 0
    run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="fpa-deploy-"))
    deployment = Deployment(backends, args.address, args.port, run_dir)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        deployment.stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        deployment.start()
        return deployment.watch()
    finally:
        deployment.stop()


if __name__ == "__main__":
    sys.exit(main())
