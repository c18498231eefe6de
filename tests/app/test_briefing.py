"""The overview offers the meeting pack: two download buttons, labelled in the page's language.

Nothing is generated while the page draws (the buttons' data is a function Streamlit calls on a
click); tests/unit/test_briefing.py checks the files and tests/e2e/test_briefing.py the click.
"""

from __future__ import annotations

import pytest

from tests.app.test_pages import run_page
from ui.i18n import catalog
from ui.nav import PAGES


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_has_the_meeting_pack_buttons(lang: str) -> None:
    at = run_page(PAGES[0].path, lang=lang, as_of="2023-06-30", region="430100")
    assert not at.exception
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    texts = catalog(lang)
    assert labels == [texts["briefing.download.pptx"], texts["briefing.download.pdf"]]
    assert texts["briefing.download.label"] in [m.value.strip("*") for m in at.markdown]
