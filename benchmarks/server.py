"""A real Streamlit server under light websocket clients (one websocket per simulated session).

A browser per simulated user would measure the browsers. Each client here speaks
Streamlit's own protocol over one websocket: it sends a ``BackMsg`` whose
``rerun_script`` carries the URL's query string and the page's script hash, and reads
``ForwardMsg`` messages until ``script_finished``; the time to it is the page's
server-side latency, and the ``delta`` messages counted on the way show the page really
drew something (an exception element counts as an error).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)


@dataclass
class Render:
    page: str  # url_path ("" = the landing page)
    seconds: float
    deltas: int
    errors: int


def stop(proc: subprocess.Popen[bytes] | None, grace: float) -> None:
    """Terminate ``proc`` if it runs; kill it after ``grace`` seconds."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Server:
    """``streamlit run app.py`` on ``port`` over the data root ``data_root``; stopped by its pid on exit."""

    def __init__(self, data_root: Path, port: int) -> None:
        self.data_root = data_root
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.health_seconds = float("nan")

    def __enter__(self) -> Server:
        env = {**os.environ, "FPA_DATA_DIR": str(self.data_root)}
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port)]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.health_seconds = self._wait_healthy()
        return self

    def _wait_healthy(self, timeout: float = 120) -> float:
        url = f"http://127.0.0.1:{self.port}/_stcore/health"
        while time.perf_counter() - self.started < timeout:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode} before it was healthy")
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if r.read().strip() == b"ok":
                        return time.perf_counter() - self.started
            except OSError:
                pass
            time.sleep(0.02)
        raise TimeoutError(f"no health on port {self.port} after {timeout} s")

    def peak_rss_mb(self) -> float:
        """The server process's peak resident memory (VmHWM), in MiB."""
        if self.proc is None:
            return float("nan")
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        stop(self.proc, grace=20)


class Balancer:
    """``python -m deploy``: ``replicas`` servers behind HAProxy on ``port`` (replicas on the ports
    after it), over the data root ``data_root``, exactly as the README starts it; stopped on exit."""

    def __init__(self, data_root: Path, port: int, replicas: int) -> None:
        self.data_root = data_root
        self.port = port
        self.replicas = replicas
        self.replica_ports = [port + 1 + i for i in range(replicas)]
        self.proc: subprocess.Popen[bytes] | None = None
        # never beside the data (the bundled data's parent is the repository)
        self.run_dir = Path(tempfile.mkdtemp(prefix=f"fpa-bench-deploy-{port}-"))
        self.log = self.run_dir / "deploy.log"

    def __enter__(self) -> Balancer:
        env = {**os.environ, "FPA_DATA_DIR": str(self.data_root)}
        env.pop("FPA_USERS_FILE", None)
        cmd = [
            sys.executable, "-m", "deploy", "--replicas", str(self.replicas), "--port", str(self.port),
            "--address", "127.0.0.1", "--first-replica-port", str(self.replica_ports[0]),
            "--run-dir", str(self.run_dir / "run"),
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.perf_counter() + 180
        while b"serving on" not in self.log.read_bytes():
            if self.proc.poll() is not None or time.perf_counter() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(f"python -m deploy did not start: {self.log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        stop(self.proc, grace=60)  # the launcher stops HAProxy and every replica first


@dataclass
class Session:
    """One browser tab's worth of protocol: a websocket, and the page hashes the app announced."""

    port: int
    query: str
    pages: dict[str, str] = field(default_factory=dict)  # url_path → page_script_hash
    ws: websockets.ClientConnection | None = None

    async def open(self) -> None:
        self.ws = await websockets.connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream",
            subprotocols=[websockets.Subprotocol("streamlit")],
            max_size=None,
            open_timeout=60,
            ping_interval=None,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def render(self, page: str = "") -> Render:
        """Run ``page`` (a url_path; "" = the landing page) and wait until the script has finished."""
        if self.ws is None:
            raise RuntimeError("open() the session first")
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_script_hash = self.pages.get(page, "")
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        deltas = errors = 0
        while True:
            raw = await self.ws.recv()
            fwd = ForwardMsg()
            fwd.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                deltas += 1
                delta = fwd.delta
                if delta.WhichOneof("type") == "new_element" and delta.new_element.WhichOneof("type") == "exception":
                    errors += 1
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "script_finished" and fwd.script_finished in FINISHED:
                return Render(page, time.perf_counter() - start, deltas, errors)


async def first_page(server: Server, query: str) -> tuple[float, Render, dict[str, str]]:
    """Seconds from ``streamlit run`` to the landing page's script_finished, for a first visitor."""
    session = Session(server.port, query)
    await session.open()
    try:
        render = await session.render("")
        return time.perf_counter() - server.started, render, session.pages
    finally:
        await session.close()


async def new_visitor(port: int, query: str) -> Render:
    """A new session's landing page on a running server: seconds from opening its websocket to the
    script's end (what a visitor arriving now waits)."""
    began = time.perf_counter()
    session = Session(port, query)
    await session.open()
    try:
        render = await session.render("")
        return Render(render.page, time.perf_counter() - began, render.deltas, render.errors)
    finally:
        await session.close()


async def warm_up(port: int, queries: list[str], pages: list[str]) -> list[Render]:
    """Every page in every view once, one after another (fills Streamlit's caches)."""
    out = []
    for query in queries:
        session = Session(port, query)
        await session.open()
        try:
            await session.render("")
            for page in pages:
                out.append(await session.render(page))
        finally:
            await session.close()
    return out


async def load(
    ports: list[int], n_sessions: int, queries: list[str], pages: list[str], rounds: int, think: float = 0.0
) -> tuple[list[Render], float]:
    """``n_sessions`` sessions at once, each rendering every page ``rounds`` times (each in its own
    rotation of the pages and views, so the sessions do not move in step). Sessions are spread
    over ``ports`` round-robin: a session stays on its server (sticky, as behind a load balancer).

    ``think`` = 0: each session asks for its next page the moment the last one is drawn (a
    stress test: the server never rests). ``think`` > 0: a reader's pause before every page,
    drawn uniformly from 0.5-1.5 × ``think`` seconds (seeded per session, so reruns repeat it).

    Returns every render and the wall time of the whole run.
    """
    sessions = [Session(ports[i % len(ports)], queries[i % len(queries)]) for i in range(n_sessions)]
    for s in sessions:
        await s.open()
        await s.render("")  # the session's first visit: connects it and learns the page hashes
    start = asyncio.Event()

    async def drive(i: int, s: Session) -> list[Render]:
        await start.wait()
        order = pages[i % len(pages) :] + pages[: i % len(pages)]
        pause = random.Random(i)  # noqa: S311 (a simulated reader, not a secret)
        out = []
        for _ in range(rounds):
            for p in order:
                if think:
                    await asyncio.sleep(pause.uniform(0.5 * think, 1.5 * think))
                out.append(await s.render(p))
        return out

    tasks = [asyncio.create_task(drive(i, s)) for i, s in enumerate(sessions)]
    began = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    for s in sessions:
        await s.close()
    return [r for rs in results for r in rs], elapsed


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation (statistics.quantiles' inclusive method)."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[int(q) - 1]
