"""Every page runs in Streamlit's AppTest, in both languages, on the bundled data."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.attainment import STATUSES
from ui.auth import LANGUAGE_LABEL
from ui.i18n import catalog
from ui.nav import PAGES
from ui.theme import STATUS_MARK

TIMEOUT = 60
APP = Path(__file__).resolve().parents[2] / "app.py"


def run_page(path: str, **params: str) -> AppTest:
    """Run app.py on the page at ``path`` with the given URL parameters.

    The app is started from a one-line script in a temporary folder that runs app.py:
    AppTest resets Streamlit's "pages/ folder" mode before every run, and with a pages/
    folder beside the script that mode drops widget state on each rerun (see app.py).
    """
    script = f"import runpy\nrunpy.run_path({str(APP)!r}, run_name='__main__')\n"
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if path != PAGES[0].path:
        at.switch_page(str(APP.parent / path))
        at.run()
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_page_renders_without_exception(spec, lang: str) -> None:
    at = run_page(spec.path, lang=lang)
    assert not at.exception, [e.message for e in at.exception]
    titles = [m.value for m in at.title]
    assert titles, "the page has no title"
    # the demo label is on every page that shows demo exports: one small tag, its full text on a tap;
    # the population page says that only the association's figures are demo
    words = catalog(lang)
    demo = "demo.population" if spec.url_path == "population" else "demo"
    tags = [h.proto.body for h in at.get("html") if 'class="fpa-notice"' in h.proto.body]
    assert len(tags) == 1, f"one notice tag under the title, not {len(tags)}"
    assert escape(words[f"{demo}.tag"]) in tags[0] and escape(words[f"{demo}.banner"]) in tags[0], tags[0]
    if spec.url_path == "population":
        assert escape(words["demo.banner"]) not in tags[0], "the population page's figures are not generated"
    assert not [w.value for w in at.warning if w.value in (words["demo.banner"], words["auth.demo_mode"])]


def labels(at: AppTest) -> list[tuple[str, str]]:
    """(element type, label) of every labelled element of a run, in page order: every widget,
    metric, tab and expander with a label, and every title, header and subheader."""
    found: list[tuple[str, str]] = []

    def walk(node: object) -> None:
        kind = str(getattr(node, "type", ""))
        label = getattr(node, "label", None)
        if isinstance(label, str) and label:
            found.append((kind, label))
        elif kind in ("title", "header", "subheader"):
            found.append((kind, str(getattr(node, "value", ""))))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for key in sorted(children):
                walk(children[key])

    walk(at._tree)  # AppTest has no public walk over every element
    return found


HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_language_switch_changes_every_label(spec) -> None:
    """Every labelled element of the page, not a sample: the same elements in both languages, each
    label different, and no Chinese left in the English one. The one exception is the language
    switch itself, which says 语言 / Language in both."""
    zh, en = labels(run_page(spec.path, lang="zh")), labels(run_page(spec.path, lang="en"))
    assert len(zh) > 5, zh
    assert [k for k, _ in zh] == [k for k, _ in en]
    switch = LANGUAGE_LABEL  # the same words in both languages (ui/state.py, ui/auth.py)
    same = [(k, a) for (k, a), (_, b) in zip(zh, en, strict=True) if a == b and a != switch]
    assert not same, f"labels that did not change with the language: {same}"
    chinese = [(k, b) for k, b in en if HAN.search(b) and b != switch]
    assert not chinese, f"Chinese in the English page's labels: {chinese}"
    assert ("selectbox", catalog("en")["filters.as_of"]) in en


def test_filters_come_from_the_url_and_go_back_into_it() -> None:
    at = run_page(PAGES[0].path, as_of="2023-06-30", region="430100")
    assert at.selectbox(key="as_of").value == "2023-06-30"
    assert at.selectbox(key="region").value == "430100"
    at.selectbox(key="region").set_value("430200").run()
    # AppTest does not read the URL back; tests/e2e checks the address bar itself
    filters = at.session_state["filters"]
    assert (filters.region, filters.as_of.isoformat()) == ("430200", "2023-06-30")


def test_bad_url_values_fall_back_to_defaults() -> None:
    at = run_page(PAGES[0].path, as_of="2023-02-30", region="999999", lang="fr")
    assert not at.exception
    assert at.selectbox(key="region").value == "430000"
    assert at.session_state["filters"].lang == "zh"


def test_home_status_counts_follow_the_as_of_date() -> None:
    june = run_page(PAGES[0].path, as_of="2023-06-30")
    december = run_page(PAGES[0].path, as_of="2023-12-31")
    texts = catalog("zh")

    def counts(at: AppTest) -> dict[str, int]:
        metrics = {m.label: int(m.value) for m in at.metric}
        # every status of the set but "no target" is counted, each label with its mark
        return {s: metrics[f"{STATUS_MARK[s]} {texts[f'status.{s}']}"] for s in STATUSES if s != "no_target"} | {
            "total": metrics[texts["home.kpi.targets"]]
        }

    jun, dec = counts(june), counts(december)
    for c in (jun, dec):
        assert sum(v for k, v in c.items() if k != "total") == c["total"]
    assert dec["done"] + dec["done_late"] > jun["done"] + jun["done_late"]
    # on 31 December every target is due: nothing is judged by pace any more
    assert dec["on_track"] == dec["at_risk"] == dec["behind"] == dec["not_yet_due"] == dec["no_data"] == 0
    assert dec["missed"] > 0
