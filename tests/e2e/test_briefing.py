"""The overview's meeting-pack buttons in a real browser: a click makes the file and the browser saves it.

One test, kept short: the pack itself is checked in tests/unit/test_briefing.py; here only what
the AppTest cannot see, that the deferred download runs in the served app (its worker thread
starts Chromium for the charts and the PDF) and hands the browser a file with the right name.
"""

from __future__ import annotations

import pytest

from ui.i18n import catalog

pytestmark = pytest.mark.e2e

PACK_TIMEOUT_MS = 180_000  # a pack takes seconds alone, more beside the rest of the suite on two cores


def test_meeting_pack_downloads(new_tab) -> None:
    tab = new_tab().open("/", lang="zh", as_of="2023-06-30")
    texts = catalog("zh")
    saved = {}
    for fmt, magic in (("pdf", b"%PDF-"), ("pptx", b"PK\x03\x04")):  # the second comes from the cache
        button = tab.page.get_by_role("button", name=texts[f"briefing.download.{fmt}"], exact=True)
        with tab.page.expect_download(timeout=PACK_TIMEOUT_MS) as download:
            button.click()
        path = download.value.path()
        data = path.read_bytes()
        assert data.startswith(magic), fmt
        saved[fmt] = (download.value.suggested_filename, len(data))
    name = texts["briefing.download.file"].format(region=texts["filters.whole_province"], as_of="2023-06-30")
    assert saved["pdf"][0] == f"{name}.pdf" and saved["pptx"][0] == f"{name}.pptx"
    assert saved["pdf"][1] > 100_000 and saved["pptx"][1] > 100_000  # charts inside, not an empty shell
    tab.settle()  # no request left the machine, nothing went wrong in the console
