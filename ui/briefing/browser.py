"""One headless Chromium (Debian's) per pack: the charts to PNG through kaleido, then the PDF.

kaleido 1.x drives a Chromium it finds on the machine (``/usr/bin/chromium`` here, named
explicitly); it is never asked to download one. Its page loads plotly.js from the plotly
package (no CDN) and MathJax is switched off (kaleido's default would fetch it from a
CDN). The same browser then prints the pack's HTML to PDF over the DevTools protocol
(``Page.printToPDF``), so a pack starts one browser, not two.

Nothing may leave the machine: besides the flags choreographer passes (no component
updates, no sync), the browser gets no background networking and a host resolver that
resolves no name at all, so a request for anything but the local files fails at once
instead of waiting for a network that an intranet does not have.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import tempfile
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from choreographer.browsers.chromium import Chromium

from analytics import settings
from ui.briefing.layout import IMAGE_SCALE
from ui.briefing.model import Chart

TABS = 2  # charts rendered two at a time: the machine has two cores
TIMEOUT_S = 60  # one chart or the PDF; a hung browser fails the pack instead of hanging it
OFFLINE_FLAGS = (
    "--disable-background-networking",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-pings",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)

T = TypeVar("T")


class OfflineChromium(Chromium):
    """choreographer's Chromium with the flags above added to its command line."""

    def get_cli(self) -> Sequence[str]:
        return [*super().get_cli(), *OFFLINE_FLAGS]


class BrowserMissing(RuntimeError):
    pass


def chromium() -> Path:
    """The browser (``FPA_CHROMIUM``, read when a pack is made)."""
    return settings.chromium()


def _check() -> None:
    if not chromium().exists():
        raise BrowserMissing(
            f"Chromium not found at {chromium()}: the meeting pack draws its charts and prints its PDF with it "
            "(apt-get install chromium fonts-noto-cjk fonts-wqy-microhei; or set FPA_CHROMIUM)"
        )


class Session:
    """One Chromium for a pack: ``async with Session() as b`` starts it without waiting for it,
    so the caller can build the pack meanwhile; :meth:`images` and :meth:`pdf` wait for it."""

    def __init__(self) -> None:
        _check()
        import kaleido  # imported here: the dashboard loads this module only when a pack is asked for

        self.browser = kaleido.Kaleido(
            n=TABS,
            timeout=TIMEOUT_S,
            mathjax=False,
            path=str(chromium()),
            browser_cls=OfflineChromium,
            enable_extensions=False,
        )
        self._opening: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Session:
        self._opening = asyncio.create_task(self.browser.open())
        return self

    async def __aexit__(self, *exc: object) -> None:
        opening = self._opening
        if opening is None:
            return
        if not opening.done():
            opening.cancel()
        try:
            await opening
        except BaseException:  # it failed or was cancelled: the error that matters was raised already
            with contextlib.suppress(Exception):
                await self.browser.close()
            return
        await self.browser.close()

    async def _ready(self) -> Any:
        if self._opening is None:
            raise RuntimeError("use the session in an async with block")
        await asyncio.wait_for(asyncio.shield(self._opening), TIMEOUT_S)
        return self.browser

    async def images(self, charts: Sequence[Chart]) -> dict[str, bytes]:
        """PNG of every chart, by key, at its box's size (two at a time)."""
        k = await self._ready()
        pngs = await asyncio.gather(
            *(
                k.calc_fig(
                    c.figure,
                    opts={"format": "png", "width": c.box.px[0], "height": c.box.px[1], "scale": IMAGE_SCALE},
                )
                for c in charts
            )
        )
        return {c.key: bytes(png) for c, png in zip(charts, pngs, strict=True)}

    async def pdf(self, document: str) -> bytes:
        """``document`` (HTML) printed to PDF, pages sized by its CSS @page."""
        return await asyncio.wait_for(_print(await self._ready(), document), TIMEOUT_S)


async def _print(browser: Any, document: str) -> bytes:
    """Print ``document`` (HTML) to PDF in a new tab of ``browser``; pages sized by its CSS @page."""
    with tempfile.TemporaryDirectory(prefix="fpa-pack-") as tmp:
        path = Path(tmp) / "pack.html"
        path.write_text(document, encoding="utf-8")
        tab = await browser.create_tab("")
        try:
            loaded = tab.subscribe_once("Page.loadEventFired")
            await tab.send_command("Page.enable")
            _ok(await tab.send_command("Page.navigate", params={"url": path.as_uri()}))
            await loaded
            # the fonts are local, but layout waits for them before it is final
            _ok(
                await tab.send_command(
                    "Runtime.evaluate",
                    params={"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True},
                )
            )
            response = _ok(
                await tab.send_command(
                    "Page.printToPDF",
                    params={
                        "printBackground": True,
                        "preferCSSPageSize": True,
                        "displayHeaderFooter": False,
                        "generateDocumentOutline": True,  # a bookmark per slide title
                        "generateTaggedPDF": True,  # reading order and headings for screen readers
                    },
                )
            )
            return base64.b64decode(response["result"]["data"])
        finally:
            await browser.close_tab(tab.target_id)


def _ok(response: dict[str, Any]) -> dict[str, Any]:
    if "error" in response:
        raise RuntimeError(f"Chromium refused: {response['error']}")
    return response


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to the end from synchronous code: in this thread when it has no event loop
    running (the command line, a Streamlit download's worker thread), else in a new thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
