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
import os
import tempfile
from collections.abc import Callable, Coroutine, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from choreographer.browsers.chromium import Chromium

from ui.briefing.layout import IMAGE_SCALE
from ui.briefing.model import Chart

CHROMIUM = Path(os.environ.get("FPA_CHROMIUM", "/usr/bin/chromium"))
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


def _check() -> None:
    if not CHROMIUM.exists():
        raise BrowserMissing(
            f"Chromium not found at {CHROMIUM}: the meeting pack draws its charts and prints its PDF with it "
            "(apt-get install chromium fonts-noto-cjk fonts-wqy-microhei; or set FPA_CHROMIUM)"
        )


HtmlMaker = Callable[[Mapping[str, bytes]], str]


def render(charts: Sequence[Chart], html: HtmlMaker | None = None) -> tuple[dict[str, bytes], bytes | None]:
    """PNG of every chart (by key) and, when ``html`` is given, the PDF it prints.

    ``html``: a function from the images to the HTML document (the PDF shows the same images).
    """
    _check()
    return _run_sync(_render(charts, html))


async def _render(charts: Sequence[Chart], html: HtmlMaker | None) -> tuple[dict[str, bytes], bytes | None]:
    import kaleido  # imported here: the dashboard loads this module only when a pack is asked for

    async with kaleido.Kaleido(
        n=TABS,
        timeout=TIMEOUT_S,
        mathjax=False,
        path=str(CHROMIUM),
        browser_cls=OfflineChromium,
        enable_extensions=False,
    ) as k:
        pngs = await asyncio.gather(
            *(
                k.calc_fig(
                    c.figure,
                    opts={"format": "png", "width": c.box.px[0], "height": c.box.px[1], "scale": IMAGE_SCALE},
                )
                for c in charts
            )
        )
        images = {c.key: bytes(png) for c, png in zip(charts, pngs, strict=True)}
        pdf = None
        if html is not None:
            pdf = await asyncio.wait_for(_print(k, html(images)), TIMEOUT_S)
    return images, pdf


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


def _run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to the end from synchronous code: in this thread when it has no event loop
    running (the command line, a Streamlit download's worker thread), else in a new thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
