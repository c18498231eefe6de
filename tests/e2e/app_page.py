"""One browser tab on the running app, and what the e2e tests need to read from it or do in it.

Kept free of pytest fixtures so the test modules can import it; ``conftest.py`` builds the
objects (a fresh browser context per tab, with the network and console recorder attached).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, urlencode, urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Locator, Page, Request, WebSocket

# generous: on a loaded machine Chromium takes many seconds to parse plotly's 4.7 MB bundle
SETTLE_TIMEOUT_MS = 90_000

Area = Literal["sidebar", "main"]
_AREAS: dict[str, str] = {"sidebar": '[data-testid="stSidebar"]', "main": '[data-testid="stMain"]'}
CHART_TIMEOUT_MS = 30_000

# Hosts a page may talk to. Anything else fails the test: the app runs on an intranet
# and must not fetch fonts, maps, icons or telemetry from the internet.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})

# Console errors that are Streamlit's own and harmless, by exact text. Keep this short.
#
# Opened on a page's own path (/<url_path>), Streamlit's frontend looks for the server
# under that path first — GET /<url_path>/_stcore/health and /<url_path>/_stcore/host-config —
# and falls back to the root when those answer 404; Chromium logs each 404. Allowed only
# for exactly those two URLs under the path the test opened.
PROBE_404_TEXT = "Failed to load resource: the server responded with a status of 404 (Not Found)"
PROBE_404_PATHS = ("_stcore/health", "_stcore/host-config")

# The app is idle: the script is not running (and has run at least once: the attribute
# says "initial" before) and the status widget shows no running icon (it may say "source
# file changed" while someone edits the tree: that is not busy); the websocket is up; no
# element is stale (greyed out while a rerun replaces it); and no element a user can see is
# still a placeholder while its component's code loads (a collapsed expander's content is
# drawn when it is opened).
_IDLE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = !!app
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-testid^="stStatusWidgetRunning"]')
    && !document.querySelector('[data-stale="true"]')
    && ![...document.querySelectorAll('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')]
      .some((el) => el.checkVisibility());
  if (!idle) { window.__e2eIdleSince = null; return false; }
  window.__e2eIdleSince = window.__e2eIdleSince || performance.now();
  return performance.now() - window.__e2eIdleSince >= 300;  // idle for 0.3 s, not between two runs
}
"""
# Counts the script runs the page has seen start (AppPage.expect_rerun waits for the next one).
_COUNT_RUNS_JS = """
window.__e2eRuns = 0;
new MutationObserver((records) => {
  for (const r of records) {
    if (r.target.getAttribute('data-test-script-state') === 'running' && r.oldValue !== 'running') window.__e2eRuns++;
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
"""
_RUN_MARK_JS = """() => ({
    runs: window.__e2eRuns,
    url: window.location.href,
    text: (document.querySelector('[data-testid="stMain"]') || document.body).innerText,
})"""
_STATE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    url: location.href,
    script: app && app.getAttribute('data-test-script-state'),
    connection: app && app.getAttribute('data-test-connection-state'),
    statusWidget: (document.querySelector('[data-testid="stStatusWidget"]') || {}).innerText,
    runningIcon: !!document.querySelector('[data-testid^="stStatusWidgetRunning"]'),
    stale: document.querySelectorAll('[data-stale="true"]').length,
    visibleSkeletons: [...document.querySelectorAll('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')]
      .filter((el) => el.checkVisibility()).length,
    visibility: document.visibilityState,
    runsStarted: window.__e2eRuns,
  };
}
"""

# What plotly draws for the data of a trace: bar and scatter points, lines and fills,
# choropleth areas (geo), pie slices, heatmap images. An empty frame (axes only) has none.
_MARK_SELECTOR = ", ".join(
    [
        "g.trace path",
        ".point path",
        "path.js-line",
        "path.js-fill",
        "path.choroplethlocation",
        "g.slice path",
        "g.hm image",
    ]
)

_CHART_MARKS_JS = """
(selector) => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  // the charts this screen shows: a page draws some twice, for a desktop and a phone, and the
  // layout CSS hides one (ui/layout_css.py)
  .filter((chart) => chart.checkVisibility())
  .map((chart) => {
  const plot = chart.querySelector('.js-plotly-plot');
  const svg = plot && plot.querySelector('svg.main-svg');
  if (!svg) return 0;
  // a mark counts when it has an area: plotly draws a zero bar as "M0,0Z"
  return [...plot.querySelectorAll(selector)].filter((el) => {
    const box = el.getBBox ? el.getBBox() : el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  }).length;
})
"""


@dataclass
class Recorder:
    """Every request, websocket, console error and uncaught page error of one browser context."""

    base_url: str
    opened_paths: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    reported: set[str] = field(default_factory=set)
    allowed_console: set[str] = field(default_factory=set)  # exact texts a test allows for itself

    def attach(self, context: BrowserContext) -> None:
        context.add_init_script(_COUNT_RUNS_JS)
        context.on("request", self._on_request)
        # abort instead of sending: a test must not reach the internet even when it fails
        context.route(lambda url: not is_local(url), lambda route: route.abort("blockedbyclient"))
        context.on("page", self.attach_page)

    def attach_page(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("websocket", self._on_websocket)

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)
        if not is_local(request.url):
            self.outside.append(f"{request.method} {request.url} ({request.resource_type})")

    def _on_websocket(self, ws: WebSocket) -> None:
        self.requests.append(ws.url)
        if not is_local(ws.url):
            self.outside.append(f"WEBSOCKET {ws.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error" or self._allowed(message):
            return
        where = message.location.get("url", "")
        self.console_errors.append(f"{message.text} [at {where}]")

    def _on_page_error(self, error: Error) -> None:
        self.page_errors.append(f"{error.name}: {error.message}")

    def _allowed(self, message: ConsoleMessage) -> bool:
        if message.text in self.allowed_console:
            return True
        if message.text != PROBE_404_TEXT:
            return False
        where = message.location.get("url", "")
        probes = {
            f"{self.base_url}/{first}/{probe}"
            for path in self.opened_paths
            if (first := path.strip("/").split("/")[0])
            for probe in PROBE_404_PATHS
        }
        return where in probes

    def problems(self) -> list[str]:
        out = []
        if self.outside:
            out.append(f"request to a host outside this machine: {self.outside[0]}")
        out += [f"console error: {text}" for text in self.console_errors]
        out += [f"uncaught page error: {text}" for text in self.page_errors]
        return out

    def check(self) -> None:
        problems = self.problems()
        self.reported.update(problems)
        assert not problems, "\n".join(problems)

    def unchecked(self) -> list[str]:
        """Problems that no ``check`` has reported yet."""
        return [problem for problem in self.problems() if problem not in self.reported]


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.hostname in LOCAL_HOSTS


@dataclass
class AppPage:
    """A browser tab on the app, with helpers that read Streamlit's DOM by its data-testids."""

    page: Page
    recorder: Recorder
    base_url: str

    # navigation and waiting

    def open(self, path: str = "/", *, check: bool = True, **params: str) -> AppPage:
        """Load ``path?params`` and settle. With ``check``, fail if the page shows an exception."""
        self.recorder.opened_paths.append(path)
        query = f"?{urlencode(params)}" if params else ""
        self.page.goto(f"{self.base_url}{path}{query}")
        self.settle(check=check)
        return self

    def settle(self, *, check: bool = True) -> None:
        """Wait until the script has finished and every element is drawn; then check the recorder,
        and (with ``check``) that the page shows no exception or error alert."""
        try:
            self.page.wait_for_function(_IDLE_JS, timeout=SETTLE_TIMEOUT_MS, polling=100)
        except Error as error:
            self.recorder.check()  # an error in the console explains more than the timeout
            state = self.page.evaluate(_STATE_JS)
            raise AssertionError(f"the app did not become idle within {SETTLE_TIMEOUT_MS} ms: {state}") from error
        self.recorder.check()
        if check:
            self.check_no_exception()

    def check_no_exception(self) -> None:
        shown = self.exceptions()
        assert not shown, f"{self.page.url} shows an exception or error alert: {shown[0][:500]!r}"

    def wait_for_param(self, key: str, value: str, timeout_ms: int = 30_000) -> None:
        """Wait until the address bar says ``key=value`` (the script writes it while it runs), then settle.
        (``select`` and ``click_segment`` have waited for their rerun already: this checks the address.)"""
        try:
            self.page.wait_for_url(lambda url: self.params(url).get(key) == value, timeout=timeout_ms)
        except Error as error:
            raise AssertionError(
                f"the address should say {key}={value} but says {key}={self.url_params.get(key)}: {self.page.url}"
            ) from error
        self.settle()

    def wait_for_charts(self, timeout_ms: int = CHART_TIMEOUT_MS) -> list[int]:
        """Wait (bounded) until every plotly chart has marks; return the mark count of each chart."""
        # on a timeout the caller asserts on the counts, which say which chart is empty
        with contextlib.suppress(Error):
            self.page.wait_for_function(
                f"(selector) => ({_CHART_MARKS_JS})(selector).every((n) => n > 0)",
                arg=_MARK_SELECTOR,
                timeout=timeout_ms,
                polling=200,
            )
        return self.chart_marks()

    # reading

    @staticmethod
    def params(url: str) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}

    @property
    def url_params(self) -> dict[str, str]:
        return self.params(self.page.url)

    def title(self) -> str:
        return self.page.locator('[data-testid="stMain"] h1').first.inner_text().strip()

    def chart_marks(self) -> list[int]:
        marks: list[int] = self.page.evaluate(_CHART_MARKS_JS, _MARK_SELECTOR)
        return marks

    def metrics(self) -> dict[str, str]:
        """Metric label → displayed value, for every st.metric on the page."""
        pairs: list[list[str]] = self.page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map((m) => [
                 m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
                 m.querySelector('[data-testid="stMetricValue"]').innerText.trim()])"""
        )
        return dict(pairs)

    def exceptions(self) -> list[str]:
        """Text of uncaught-exception boxes and error alerts on the page."""
        texts: list[str] = self.page.evaluate(
            """() => [...document.querySelectorAll(
                 '[data-testid="stException"], [data-testid="stAlertContentError"]')].map((e) => e.innerText.trim())"""
        )
        return texts

    def area(self, where: Area = "sidebar") -> Locator:
        return self.page.locator(_AREAS[where])

    def sidebar_value(self, label: str, where: Area = "sidebar") -> str:
        """What a selectbox shows (the option's label, not its code)."""
        return self.area(where).get_by_role("combobox", name=label, exact=True).input_value()

    def segmented_value(self, label: str, where: Area = "sidebar") -> str:
        group = self.area(where).get_by_role("radiogroup", name=label, exact=True)
        return group.locator('[role="radio"][aria-checked="true"]').inner_text().strip()

    # doing

    @contextlib.contextmanager
    def expect_rerun(self) -> Iterator[None]:
        """Around an action that makes the script rerun: afterwards, wait for that rerun to start,
        then settle. (Right after a click the app still looks idle: the rerun has not begun.)"""
        # A rerun is seen as the script state turning to "running"; a rerun served from the page
        # models' cache can be so quick that React never draws that state, so a changed URL or a
        # changed page text after the action counts as the rerun having happened too.
        before = self.page.evaluate(_RUN_MARK_JS)
        yield
        try:
            self.page.wait_for_function(
                f"(b) => {{ const now = ({_RUN_MARK_JS})(); return now.runs > b.runs || now.url !== b.url"
                " || now.text !== b.text; }",
                arg=before,
                timeout=SETTLE_TIMEOUT_MS,
            )
        except Error as error:
            raise AssertionError(f"the action did not make the app rerun: {self.page.evaluate(_STATE_JS)}") from error
        self.settle()

    def select(self, label: str, option: str, where: Area = "sidebar") -> None:
        """Choose ``option`` (as displayed, and not the current one) in the selectbox labelled
        ``label``; wait for the rerun it causes."""
        with self.expect_rerun():
            self.area(where).get_by_role("combobox", name=label, exact=True).click()
            self.page.get_by_role("option", name=option, exact=True).click()

    def click_segment(self, label: str, option: str, where: Area = "sidebar") -> None:
        """Click ``option`` (not the current one) of a segmented control; wait for the rerun."""
        group = self.area(where).get_by_role("radiogroup", name=label, exact=True)
        with self.expect_rerun():
            group.get_by_role("radio", name=option, exact=True).click()

    def screenshot(self, path: Path, width: int = 1440, max_height: int = 20_000) -> None:
        """A full-page screenshot: the main area scrolls inside its own container, so the
        viewport is made as tall as the content first."""
        height: int = self.page.evaluate(
            """() => Math.max(window.innerHeight, ...['[data-testid="stMain"]', '[data-testid="stSidebarContent"]']
                 .map((s) => document.querySelector(s)).filter(Boolean).map((e) => e.scrollHeight))"""
        )
        self.page.set_viewport_size({"width": width, "height": min(height, max_height)})
        # two animation frames: the layout and plotly's resize have happened
        self.page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
        self.wait_for_charts(timeout_ms=5_000)  # redrawn at the new size (an empty chart stays empty)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)


def cjk_fonts(fonts: Iterable[dict[str, object]]) -> list[dict[str, object]]:
    """The CJK families among CDP's platform fonts for a node."""
    return [f for f in fonts if CJK_FAMILY.search(str(f.get("familyName", "")))]


CJK_FAMILY = re.compile(
    r"CJK|WenQuanYi|Noto Sans SC|Noto Serif SC|Source Han|Microsoft YaHei|PingFang|Hiragino Sans GB|SimHei|SimSun",
    re.IGNORECASE,
)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
