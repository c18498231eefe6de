"""Real-browser tests: one Streamlit server for the session, one Chromium, a fresh browser context per tab.

Chromium is Debian's (/usr/bin/chromium), not one downloaded by ``playwright install``. Without
it the e2e tests are skipped locally and fail in CI (``tests.ci.in_ci``): a skipped suite in CI would
pass silently and guarantee nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.ci import missing
from tests.e2e.app_page import AppPage, Recorder

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
HEALTH_TIMEOUT_S = 60
VIEWPORT = {"width": 1440, "height": 900}
ACTION_TIMEOUT_MS = 20_000

FIRST_SESSION = "first_session"
_SERVER_KEY = pytest.StashKey["Server"]()


# ---------------------------------------------------------------- collection


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{FIRST_SESSION}: opens the first browser session of the shared server; collected first"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)
    # the test of the server's very first session runs before anything else opens one
    items.sort(key=lambda item: 0 if item.get_closest_marker(FIRST_SESSION) else 1)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    server = item.config.stash.get(_SERVER_KEY, None)
    if report.failed and server is not None and item.get_closest_marker("e2e"):
        report.sections.append(("streamlit server log (last 60 lines)", "\n".join(server.log().splitlines()[-60:])))
    return report


# ---------------------------------------------------------------- the server


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    tabs_opened: int = 0  # browser tabs opened on it by these tests

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(log_path: Path, env: dict[str, str] | None = None) -> Server:
    """``streamlit run app.py`` on a free loopback port, with the Python running the tests; wait for its health check.

    Without users (the local demo mode) unless ``env`` names a users file: a FPA_USERS_FILE of
    the environment the tests run in is not passed on.
    """
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if k != "FPA_USERS_FILE"} | (env or {})
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=environment
        )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    # no proxy for the health check, whatever the environment says
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while True:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with code {process.returncode} before it was healthy.\n{server.log()}")
        try:
            with opener.open(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return server
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(f"streamlit did not answer ok on /_stcore/health within {HEALTH_TIMEOUT_S} s.\n{server.log()}")
        time.sleep(0.25)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the e2e tests"
        missing(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def server(chromium: Path, tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Server]:
    """The app, served for the whole session."""
    server = start_server(tmp_path_factory.mktemp("streamlit") / "server.log")
    pytestconfig.stash[_SERVER_KEY] = server
    yield server
    server.stop()


@pytest.fixture
def private_server(chromium: Path, tmp_path: Path) -> Iterator[Callable[[], Server]]:
    """Start a server of the test's own (for tests that need one nobody has opened yet)."""
    started: list[Server] = []

    def start() -> Server:
        started.append(start_server(tmp_path / f"server-{len(started)}.log"))
        return started[-1]

    yield start
    for server in started:
        server.stop()


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_tab(browser: Browser, server: Server) -> Iterator[Callable[..., AppPage]]:
    """``new_tab()`` → a tab in a fresh browser context (its own cookies and cache, like another
    user's browser) on the shared server, or on ``new_tab(other_server)``.

    Every request, console error and page error of the context is recorded: ``AppPage.settle``
    fails on the first request to another host, and on any console or page error. What comes
    after the test's last check fails the test's teardown.
    """
    tabs: list[AppPage] = []

    def make(on: Server | None = None) -> AppPage:
        target = on or server
        context = browser.new_context(viewport=VIEWPORT, service_workers="block")
        recorder = Recorder(base_url=target.url)
        recorder.attach(context)
        page = context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)  # clicks and reads on a settled page
        target.tabs_opened += 1
        tabs.append(AppPage(page=page, recorder=recorder, base_url=target.url))
        return tabs[-1]

    yield make
    for tab in tabs:
        tab.page.context.close()
    late = [problem for tab in tabs for problem in tab.recorder.unchecked()]
    assert not late, "after the test's last check:\n" + "\n".join(late)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
