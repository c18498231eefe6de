"""Issue 18, case 6, over HTTP: a real ``streamlit run app.py`` on 127.0.0.1 with a users file
the command line emptied (the local demo mode). A client on this machine that sends
``X-Forwarded-For: 198.51.100.23`` (what a reverse proxy on this machine sends for a stranger)
gets the refusal, not the users page as the demo admin; the same client without the header (a
browser on this machine) gets the users page.

The client speaks Streamlit's own websocket protocol (as benchmarks/server.py does): it asks for
a page and reads what the server draws until the script has finished.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets
from google.protobuf import text_format
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.auth_support import data_root
from ui.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]
ZH = catalog("zh")
HEALTH_TIMEOUT_S = 120  # generous: the machine may be busy with other tests
RUN_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    folder = tmp_path_factory.mktemp("proxy_server")
    users = folder / "users.json"
    users.write_text(json.dumps({"format": 1, "users": {}}), encoding="utf-8")  # the last user removed
    env = {k: v for k, v in os.environ.items() if k not in ("FPA_TRUSTED_PROXIES", "FPA_ALLOW_OPEN_DEMO")}
    env |= {"FPA_USERS_FILE": str(users), "FPA_DATA_DIR": str(data_root(folder / "data"))}
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
    ]  # fmt: skip
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}: {(folder / 'server.log').read_text()}")
            try:
                with opener.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"no health check within {HEALTH_TIMEOUT_S} s")
            time.sleep(0.25)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log.close()


async def _render(port: int, headers: dict[str, str], page: str) -> str:
    """Open a session with ``headers``, run the landing page, then ``page`` (a url_path); return
    the text of everything the server drew for ``page``."""
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=[websockets.Subprotocol("streamlit")],
        additional_headers=headers,
        max_size=None,
        open_timeout=60,
        ping_interval=None,
    ) as ws:
        pages: dict[str, str] = {}

        async def run(script_hash: str) -> str:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_script_hash = script_hash
            await ws.send(msg.SerializeToString())
            drawn = []
            while True:
                fwd = ForwardMsg()
                raw = await ws.recv()
                fwd.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
                kind = fwd.WhichOneof("type")
                if kind == "delta":
                    drawn.append(text_format.MessageToString(fwd.delta, as_utf8=True))
                elif kind == "navigation":
                    pages.update({p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages})
                elif kind == "script_finished" and fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return "\n".join(drawn)

        await run("")
        return await run(pages[page])


def render(port: int, headers: dict[str, str], page: str = "users") -> str:
    # in a thread of its own: Playwright's sync API (the e2e tests, run earlier in the same
    # session) leaves an event loop running in the main thread, where asyncio.run refuses to start
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(_render(port, headers, page), RUN_TIMEOUT_S)).result()


def test_a_forwarded_stranger_is_refused_the_demo_mode(server: int) -> None:
    render(server, {})  # the server's first session (Streamlit's pages/ folder mode) is used up here
    text = render(server, {"X-Forwarded-For": "198.51.100.23"})
    assert ZH["auth.remote_demo_refused.untrusted_proxy"][:30] in text
    assert ZH["users.title"] not in text and ZH["auth.demo_mode"] not in text


@pytest.mark.parametrize("header", ["X-Real-IP", "Forwarded"])
def test_any_forwarding_header_is_refused_without_a_trusted_proxy(server: int, header: str) -> None:
    text = render(server, {header: "198.51.100.23" if header == "X-Real-IP" else "for=198.51.100.23"})
    assert ZH["auth.remote_demo_refused.untrusted_proxy"][:30] in text and ZH["users.title"] not in text


def test_a_browser_on_this_machine_gets_the_demo_mode(server: int) -> None:
    text = render(server, {})
    assert ZH["users.title"] in text and ZH["auth.demo_mode"] in text
