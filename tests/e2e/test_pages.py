"""Every page in a real browser (Chromium), in both languages, served by ``streamlit run app.py``.

What the AppTest tests in tests/app cannot see: that the browser draws the charts, that no
request leaves the machine, that the console stays clean, that the address bar carries the
filters, and that Chinese is drawn with a Chinese font.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.app_page import CJK_FAMILY, HAN, AppPage, cjk_fonts
from ui.i18n import LANGS, catalog
from ui.nav import PAGES, PageSpec
from views import statuses

if TYPE_CHECKING:
    from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

LANGUAGE_LABEL = "语言 / Language"  # the language switch's label, the same in both languages (ui/state.py)


def t(key: str, lang: str, **values: object) -> str:
    text = catalog(lang)[key]
    return text.format(**values) if values else text


def page_path(spec: PageSpec) -> str:
    """The page's address: app.py makes the first page of PAGES the default, served at /."""
    return "/" if spec == PAGES[0] else f"/{spec.url_path}"


def as_int(value: str) -> int:
    return int(value.replace(",", ""))


# ---------------------------------------------------------------- one real interaction per page
#
# url_path → a function that changes something on the page, the way a user does, and asserts
# that what the page shows changed. A page in PAGES without an entry fails
# test_page_has_an_interaction: add one when you add a page.

Interaction = Callable[[AppPage, str], None]


def home_as_of_changes_the_done_count(tab: AppPage, lang: str) -> None:
    # the status counts are labelled as every status is: its mark, then its name ("√ 已完成")
    as_of, done = t("filters.as_of", lang), statuses.label("done", lang)
    assert tab.sidebar_value(as_of) == "2023-12-31", "the default as-of date is the last month of the demo exports"
    december = as_int(tab.metrics()[done])
    tab.select(as_of, "2023-06-30")
    tab.wait_for_param("as_of", "2023-06-30")
    june = as_int(tab.metrics()[done])
    assert june < december, f"'{done}' should be smaller at 2023-06-30 than at 2023-12-31: {june} vs {december}"
    assert tab.sidebar_value(as_of) == "2023-06-30"
    assert tab.url_params == {"lang": lang, "year": "2023", "as_of": "2023-06-30", "region": "430000"}


def childcare_region_narrows_to_a_prefecture(tab: AppPage, lang: str) -> None:
    points, region = t("childcare.kpi.points", lang), t("filters.region", lang)
    province = as_int(tab.metrics()[points])
    tab.select(region, "永州市" if lang == "zh" else "Yongzhou")
    tab.wait_for_param("region", "431100")
    yongzhou = as_int(tab.metrics()[points])
    assert yongzhou < province, f"'{points}' should be smaller for 永州 than for the province: {yongzhou} vs {province}"
    assert tab.sidebar_value(region) == ("永州市" if lang == "zh" else "Yongzhou")


def population_region_switches_the_series(tab: AppPage, lang: str) -> None:
    region = t("filters.region", lang)
    changsha = "长沙市" if lang == "zh" else "Changsha"

    def series_title() -> str:
        return tab.page.locator('[data-testid="stMain"] h3').first.inner_text().strip()

    province = series_title()
    assert province.startswith("湖南省" if lang == "zh" else "Hunan") and "2010–2024" in province, province
    tab.select(region, changsha)
    tab.wait_for_param("region", "430100")
    prefecture = series_title()
    assert prefecture.startswith(changsha) and "2018–2023" in prefecture, prefecture
    assert tab.wait_for_charts() and all(tab.chart_marks()), "a chart lost its marks after the region changed"


def training_category_narrows_the_short_list(tab: AppPage, lang: str) -> None:
    """Choosing "no report" in the list of units short of 2 instructors shows exactly those units."""
    main = tab.page.locator('[data-testid="stMain"]')
    prefix = t("training.short.count", lang).split("{")[0].strip()  # "显示" / "Showing"

    def caption() -> str:
        return main.locator('[data-testid="stCaptionContainer"]').filter(has_text=prefix).first.inner_text()

    def shown() -> int:
        return as_int(caption().split()[1])

    before, everything = caption(), shown()
    unreported = as_int(tab.metrics()[t("training.cat.no_report", lang)])
    main.get_by_role("combobox", name=t("training.short.category", lang), exact=True).click()
    tab.page.get_by_role("option", name=t("training.cat.no_report", lang), exact=True).click()
    # the rerun may start after a first idle check would pass: wait for the count to change
    tab.page.wait_for_function(
        """(old) => ![...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
             .some((e) => e.innerText.trim() === old)""",
        arg=before.strip(),
        timeout=45_000,
    )
    tab.settle()
    assert shown() == unreported < everything, f"the list should narrow from {everything} to {unreported} units"


def attainment_indicator_changes_the_headline(tab: AppPage, lang: str) -> None:
    """Choosing another indicator (a count instead of the default coverage rate) changes the
    headline figures, and the URL keeps the choice."""
    label = t("attainment.indicator", lang)
    points = "普惠托育点（已开放）" if lang == "zh" else "Inclusive childcare points open"
    assert tab.url_params.get("indicator") == "instructor_coverage", tab.page.url
    before = tab.metrics()
    assert before[t("attainment.col.actual", lang)].endswith("%"), before
    tab.select(label, points, where="main")
    tab.wait_for_param("indicator", "childcare_points_open")
    after = tab.metrics()
    assert tab.sidebar_value(label, where="main") == points
    assert not after[t("attainment.col.actual", lang)].endswith("%"), after
    assert after != before


def import_check_reports_a_bad_row(tab: AppPage, lang: str) -> None:
    """Checking (not publishing) a CSV with one bad value shows the report naming its row."""
    main = tab.page.locator('[data-testid="stMain"]')
    csv = "plan_year,indicator_id,region_code,period_end,value,reported_at\n"
    csv += "2023,special_families_total,430102,2023-07-31,12,2023-08-03\n"
    csv += "2023,special_families_total,430103,2023-07-31,x1,2023-08-03\n"
    # the exports' uploader (the work-plan tab has one of its own, for .xlsx only)
    main.locator('input[type="file"][accept*=".csv"]').set_input_files(
        files=[{"name": "progress_2023-07.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    main.get_by_text("progress_2023-07.csv").first.wait_for(timeout=30_000)
    with tab.expect_rerun():
        main.get_by_role("button", name=t("imports.check", lang)).click()
    refused = "未发布任何数据" if lang == "zh" else "nothing was published"
    main.locator('[data-testid="stAlertContentWarning"]').filter(has_text=refused).first.wait_for(timeout=30_000)
    # the report's table: the files table, then the findings naming row 3 of the file
    main.locator('[data-testid="stDataFrame"]').nth(1).wait_for(timeout=30_000)


def quality_prefecture_narrows_the_completeness_table(tab: AppPage, lang: str) -> None:
    """Choosing a prefecture turns the completeness table from the 14 prefectures into its counties,
    and the reports expected into the county reports of that prefecture."""
    region, expected = t("filters.region", lang), t("quality.reporting.expected", lang)
    table = tab.page.locator('[data-testid="stDataFrame"] table').first  # the completeness table comes first

    def rows() -> int:
        return int(table.get_attribute("aria-rowcount") or 0) - 1  # the header row counts too

    def first_region() -> str:
        return table.locator("tbody tr").first.locator("td").first.inner_text().strip()

    assert rows() == 14, f"the province's completeness table should list the 14 prefectures, not {rows()}"
    province = as_int(tab.metrics()[expected])
    tab.select(region, "益阳市" if lang == "zh" else "Yiyang")
    tab.wait_for_param("region", "430900")
    assert rows() == 6, f"益阳's completeness table should list its 6 counties, not {rows()}"
    assert first_region() == ("资阳区" if lang == "zh" else "Ziyang District"), first_region()
    yiyang = as_int(tab.metrics()[expected])
    assert yiyang == 6 * 12 < province, f"'{expected}': 益阳 {yiyang}, the province {province}"


def users_language_switches_the_page(tab: AppPage, lang: str) -> None:
    """The users page in the local demo mode (no users file): its texts follow the language switch."""
    other = "en" if lang == "zh" else "zh"
    assert tab.title() == t("users.title", lang)
    assert tab.page.get_by_text(t("users.no_file", lang), exact=True).is_visible()
    tab.click_segment(LANGUAGE_LABEL, "English" if other == "en" else "中文")
    tab.wait_for_param("lang", other)
    assert tab.title() == t("users.title", other)
    assert tab.page.get_by_text(t("users.no_file", other), exact=True).is_visible()


# The header cells of the first table in the main area, from the grid's accessible table (the
# cells themselves are drawn on a canvas). The grid redraws a moment after the script is idle.
_FIRST_GRID_HEADERS_JS = """
() => {
  const grid = document.querySelector('[data-testid="stMain"] [data-testid="stDataFrame"]');
  return grid ? [...grid.querySelectorAll('th[role="columnheader"]')].map((h) => h.innerText.trim()) : [];
}
"""


def first_grid_headers(tab: AppPage, *, changed_from: list[str] | None = None) -> list[str]:
    """The headers of the main area's first table; with ``changed_from``, once they differ from it."""
    if changed_from is not None:
        tab.page.wait_for_function(
            f"(old) => ({_FIRST_GRID_HEADERS_JS})().join('|') !== old", arg="|".join(changed_from), timeout=30_000
        )
    headers: list[str] = tab.page.evaluate(_FIRST_GRID_HEADERS_JS)
    return headers


def explorer_grain_changes_the_pivot_columns(tab: AppPage, lang: str) -> None:
    """Months instead of quarters: the pivot's column headers follow, and the URL keeps the grain."""
    assert tab.url_params.get("grain") == "quarter", tab.page.url
    before = first_grid_headers(tab)
    assert before[1:3] == [t("explorer.quarter", lang, q=1), t("explorer.quarter", lang, q=2)], before
    tab.click_segment(t("explorer.grain", lang), t("explorer.grain.month", lang), where="main")
    tab.wait_for_param("grain", "month")
    after = first_grid_headers(tab, changed_from=before)
    assert after[1:3] == [t("explorer.month", lang, m=m, abbr=a) for m, a in ((1, "Jan"), (2, "Feb"))], after


def console_query_shows_its_row_count(tab: AppPage, lang: str) -> None:
    """A query typed and run shows its rows and their count, and goes into the URL."""
    main = tab.page.locator('[data-testid="stMain"]')
    sql = "select area_no, count(*) as items from stg_plan_items group by area_no order by area_no"
    before = first_grid_headers(tab)  # the list of tables: no result yet
    main.get_by_label(t("console.sql_label", lang), exact=True).fill(sql)
    # a quick run can start and end between two looks of expect_rerun's counter: the address
    # (written by that run) and the redrawn table say that it ran
    main.get_by_role("button", name=t("console.run", lang)).click()
    tab.wait_for_param("sql", sql)
    count = catalog(lang)["console.rows"].split("{seconds}")[0].format(n=9).strip()  # "共 9 行 · 用时" / "9 rows ·"
    assert main.get_by_text(count).first.is_visible(), f"no row count {count!r} on the page"
    assert first_grid_headers(tab, changed_from=before) == ["area_no", "items"]


def reporting_month_changes_the_chase_list(tab: AppPage, lang: str) -> None:
    """On the bundled data nobody has reported through the cycle: at 31 December every county is
    late for November (due 5 December, 26 days), and nobody yet for December (due 5 January)."""
    late = t("reporting.late_count", lang)
    assert as_int(tab.metrics()[late]) == 122, tab.metrics()
    main = tab.page.locator('[data-testid="stMain"]')
    assert main.get_by_text(t("reporting.chase_none", lang), exact=True).count() == 0
    december = t("reporting.month_label", lang, year=2023, month=12)
    tab.select(t("reporting.month", lang), december, where="main")
    assert as_int(tab.metrics()[late]) == 0, tab.metrics()
    assert main.get_by_text(t("reporting.chase_none", lang), exact=True).is_visible()


INTERACTIONS: dict[str, Interaction] = {
    "imports": import_check_reports_a_bad_row,
    "home": home_as_of_changes_the_done_count,
    "attainment": attainment_indicator_changes_the_headline,
    "training": training_category_narrows_the_short_list,
    "childcare": childcare_region_narrows_to_a_prefecture,
    "population": population_region_switches_the_series,
    "quality": quality_prefecture_narrows_the_completeness_table,
    "users": users_language_switches_the_page,
    "reporting": reporting_month_changes_the_chase_list,
    "explorer": explorer_grain_changes_the_pivot_columns,
    "console": console_query_shows_its_row_count,
}


# ---------------------------------------------------------------- the first session of the server


@pytest.mark.first_session
def test_first_session_keeps_its_filters(server: Server, private_server: Callable[[], Server], new_tab) -> None:
    """The first browser session after the server starts used to lose its filters on every
    interaction (Streamlit's pages/ folder mode, see app.py). This test is collected first so
    that it runs in that session; run alone or after others, it starts a server of its own."""
    target = server if server.tabs_opened == 0 else private_server()
    assert target.tabs_opened == 0
    tab = new_tab(target).open(page_path(PAGES[0]))
    INTERACTIONS[PAGES[0].url_path](tab, "zh")
    # a second interaction keeps what the first one chose, and switches every label
    tab.click_segment(LANGUAGE_LABEL, "English")
    tab.wait_for_param("lang", "en")
    assert tab.sidebar_value(t("filters.as_of", "en")) == "2023-06-30"
    assert tab.url_params == {"lang": "en", "year": "2023", "as_of": "2023-06-30", "region": "430000"}
    assert tab.title() == t("home.title", "en", year=2023)


def test_first_session_on_a_page_path_renders_the_page(private_server: Callable[[], Server], new_tab) -> None:
    """A server's first session opened on a page's own address (a bookmark, after a restart) used
    to run the page file alone in Streamlit's pages/ folder mode, without app.py: KeyError
    'filters' for that session and every later one on that path. ui.state.current_filters
    now leaves that mode and reruns; this guards it, on a server nobody has opened yet."""
    fresh = private_server()
    spec = PAGES[-1]
    path = f"/{Path(spec.path).stem}"
    tab = new_tab(fresh)
    if path != page_path(spec):
        # a path that is no page's address (only the default page's file stem, while PAGES has
        # one page): Streamlit says so in the console and runs the main page
        tab.recorder.allowed_console.add(
            "The page that you have requested does not seem to exist. Running the app's main page."
        )
    tab.open(path, lang="zh")  # fails on the exception the page shows
    assert tab.title()
    # app.py ran: it wrote the global filters into the address
    assert set(tab.url_params) >= {"lang", "year", "as_of", "region"}, tab.page.url


# ---------------------------------------------------------------- every page, both languages


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_page_has_an_interaction(spec: PageSpec) -> None:
    assert spec.url_path in INTERACTIONS, (
        f"page {spec.url_path!r} ({spec.path}) has no entry in INTERACTIONS in {__file__}: "
        "add a function that changes something on the page and asserts that the page changed"
    )


def test_every_interaction_is_for_a_page() -> None:
    assert set(INTERACTIONS) <= {spec.url_path for spec in PAGES}, "INTERACTIONS has entries for pages not in PAGES"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_page(spec: PageSpec, lang: str, new_tab, screenshot_dir: Path) -> None:
    """The page draws, offline and without errors; then its interaction changes what it shows.
    (One test, one page load: loading a page costs seconds, plotly's bundle alone is 4.7 MB.)"""
    tab = new_tab().open(page_path(spec), check=False, lang=lang)
    marks = tab.wait_for_charts()
    # the screenshot first, so a failing page leaves one to look at
    tab.screenshot(screenshot_dir / f"{spec.url_path}_{lang}.png")

    tab.check_no_exception()
    assert tab.page.locator('[data-testid="stMain"] h1').first.is_visible(), "no page title (h1)"
    assert tab.title()
    # the demo data and the trial mode: one small tag under the title; a click opens the full text
    demo = "demo.population" if spec.url_path == "population" else "demo"
    notice = tab.page.locator('[data-testid="stMain"] details.fpa-notice')
    assert notice.count() == 1, "one notice tag under the title"
    tag = t(f"{demo}.tag", lang)
    assert notice.get_by_text(tag, exact=True).is_visible(), f"the demo tag is not shown: {tag}"
    assert not notice.get_by_text(t(f"{demo}.banner", lang), exact=True).is_visible(), "the full text folds away"
    empty = [i for i, n in enumerate(marks) if n == 0]
    assert not empty, f"plotly charts drawn without marks (empty frames), by position on the page: {empty} of {marks}"
    assert tab.url_params.get("lang") == lang
    tab.recorder.check()

    interact = INTERACTIONS.get(spec.url_path)
    if interact is not None:  # a missing entry fails test_page_has_an_interaction
        interact(tab, lang)
        tab.recorder.check()


# ---------------------------------------------------------------- links and fonts


def test_copied_link_opens_the_same_view(new_tab) -> None:
    original = new_tab().open("/", lang="en")
    original.select("As of", "2023-06-30")
    original.wait_for_param("as_of", "2023-06-30")
    original.select("Region", "Changsha")
    original.wait_for_param("region", "430100")
    assert original.url_params == {"lang": "en", "year": "2023", "as_of": "2023-06-30", "region": "430100"}
    title, metrics = original.title(), original.metrics()
    assert metrics

    # someone else's browser: no cookies, no session, only the link
    copy = new_tab().open("/", lang="en", as_of="2023-06-30", region="430100")
    assert copy.segmented_value(LANGUAGE_LABEL) == "English"
    assert copy.sidebar_value("As of") == "2023-06-30"
    assert copy.sidebar_value("Region") == "Changsha"
    assert copy.title() == title
    assert copy.metrics() == metrics
    assert copy.url_params == original.url_params  # the app completes the link with the plan year


FONT_CHECKED = {
    "page title": '[data-testid="stMain"] h1 [data-heading-text]',
    "chart axis label": '[data-testid="stPlotlyChart"] .ytick text',  # SVG text, with plotly's own font setting
}


def test_chinese_is_drawn_with_a_cjk_font(new_tab) -> None:
    """The fonts Chromium actually used for the text (CDP, not the CSS list): a CJK family drew the
    Chinese glyphs. Then that the CSS list names a CJK family too."""
    tab = new_tab().open("/", lang="zh")
    tab.wait_for_charts()
    cdp = tab.page.context.new_cdp_session(tab.page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    for what, selector in FONT_CHECKED.items():
        text = tab.page.locator(selector).first.text_content() or ""
        han = len(HAN.findall(text))
        assert han > 0, f"{what}: {selector} has no Chinese text to check: {text!r}"
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"{what}: CDP did not find {selector}"
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        cjk = cjk_fonts(fonts)
        assert cjk, f"{what}: {text!r} was drawn without a CJK font: {fonts}"
        glyphs = sum(int(f["glyphCount"]) for f in cjk)
        assert glyphs >= han, (
            f"{what}: CJK fonts drew {glyphs} glyphs for {han} Chinese characters in {text!r}: {fonts}"
        )
        # and the app asks for a CJK family itself: here Chromium would fall back to Noto Sans CJK
        # for Chinese anyway, but a user's machine may fall back to a poor font (serif, bitmap)
        family = tab.page.locator(selector).first.evaluate("(e) => getComputedStyle(e).fontFamily")
        assert CJK_FAMILY.search(family), f"{what}: its CSS font-family names no CJK family: {family}"
