"""Page and pack draw every figure from the same view model (issue 19).

For several views (30 June and 31 December, the province and 长沙, Chinese and English), every
figure the meeting pack shows on its cards, board, map and league, area, childcare and training
slides equals the corresponding field of the page's model — the model the page draws, fetched
the way the page fetches it (``ui.cached.view``) — and a few of them equal numbers worked out
here with pandas straight from the Parquet files (no SQL, no analytics code). Three pages are
also run (AppTest) to see that what they show is what the pack shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics import db
from tests import league_html
from tests.unit.childcare_independent import independent as childcare_by_hand
from ui import cached
from ui.briefing import Pack, Request, build_pack
from ui.briefing.model import Slide
from ui.i18n import catalog
from views.filters import Filters

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
JUNE, DECEMBER = dt.date(2023, 6, 30), dt.date(2023, 12, 31)
PROVINCE, CHANGSHA = "430000", "430100"
DEFAULT_INDICATOR = "instructor_coverage"

# each language, date and region twice, each region in both languages and at both dates
VIEWS = [
    ("zh", JUNE, PROVINCE),
    ("en", DECEMBER, PROVINCE),
    ("en", JUNE, CHANGSHA),
    ("zh", DECEMBER, CHANGSHA),
]
IDS = [f"{lang}-{as_of:%m}-{region}" for lang, as_of, region in VIEWS]


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = db.connect(DATA)
    yield c
    c.close()


@pytest.fixture(scope="module")
def views(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, dt.date, str], tuple[Pack, dict[str, Any]]]:
    """Each view's pack, and the models its pages draw (from the pages' one cache), both of the
    bundled data/ whatever FPA_DATA_DIR says."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FPA_DATA_DIR", str(DATA))
        return _packs_and_models(con)


def _packs_and_models(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, dt.date, str], tuple[Pack, dict[str, Any]]]:
    out = {}
    for lang, as_of, region in VIEWS:
        pack = build_pack(con.cursor(), Request(lang, 2023, as_of, region), data_dir=DATA)
        f = Filters(lang, 2023, as_of, region, data_version=cached.version())
        models = {
            "home": cached.view("home", f),
            "attainment": cached.view("attainment", f, indicator=DEFAULT_INDICATOR),
            "childcare": cached.view("childcare", f),
            "training": cached.view("training", f),
        }
        out[(lang, as_of, region)] = (pack, models)
    return out


def _slide(pack: Pack, title_key: str) -> Slide:
    title = catalog(pack.lang)[title_key]
    return next(s for s in pack.slides if s.title == title)


def _kind(pack: Pack, kind: str) -> Slide:
    (slide,) = [s for s in pack.slides if s.kind == kind]
    return slide


def _fields(card: Any) -> tuple[str, str, str, str]:
    return (card.title, card.value, card.status, card.status_text)


# --- cards, board and summary: the overview's model -----------------------------------------


@pytest.mark.parametrize("key", VIEWS, ids=IDS)
def test_cards_board_and_summary_are_the_overviews_model(views: dict, key: tuple) -> None:
    pack, models = views[key]
    home = models["home"]
    cards = _kind(pack, "cards").cards
    assert [(*_fields(c), c.lines) for c in cards[:7]] == [(*_fields(c), c.lines) for c in home.cards]
    counts = cards[7]
    assert counts.value == str(home.judged) == str(sum(home.counts.values()))
    shown = [s for s in home.counts if home.counts[s]]
    assert counts.line_status == tuple(shown)
    assert [line.rsplit(" ", 1)[1] for line in counts.lines] == [str(home.counts[s]) for s in shown]
    board = _kind(pack, "board").board
    assert [[(c.item_no, c.title, c.status, c.label, c.due) for c in row.chips] for row in board] == [
        [(c.item_no, c.title, c.status, c.label, c.due) for c in area.chips] for area in home.board
    ]
    assert all(area.title in row.title for row, area in zip(board, home.board, strict=True))
    assert _kind(pack, "summary").paragraphs == home.narrative
    assert pack.slides[1].kind == "summary"  # the summary comes first


# --- map, league and areas: the attainment page's model --------------------------------------


def _map_traces(fig: go.Figure) -> tuple[list[str], list[go.Scatter]]:
    """The map's region codes (the labels' trace) and each region's filled outline, in that order."""
    labels = next(t for t in fig.data if t.name == "labels")
    return list(labels.customdata), [t for t in fig.data if t.fill == "toself"]


@pytest.mark.parametrize("key", VIEWS, ids=IDS)
def test_map_and_league_are_the_attainment_pages_model(views: dict, key: tuple) -> None:
    pack, models = views[key]
    chosen = models["attainment"].chosen
    slide = next(s for s in pack.slides if s.kind == "map")
    assert chosen is not None and chosen.indicator_id == DEFAULT_INDICATOR
    assert chosen.name in slide.title and models["attainment"].level_name in slide.title
    league = chosen.league
    assert slide.table is not None
    assert list(slide.table.rows) == [
        (str(r.rank), r.region, r.actual, r.expected, r.pace_text, r.status) for r in league.itertuples()
    ]
    assert list(slide.table.status) == list(league["status_code"])
    assert slide.legend == chosen.map.legend
    assert all(line in slide.note for line in chosen.basis)
    # the map: each region in the model's colour, labelled with the model's mark and pace
    assert slide.chart is not None
    codes, fills = _map_traces(slide.chart.figure)
    rows = chosen.map.rows.set_index("region_code")
    assert codes and set(codes) == set(rows.index)
    lang = key[0]
    for code, trace in zip(codes, fills, strict=True):
        r = rows.loc[code]
        name, mark_pace = trace.name.split("<br>")
        assert trace.fillcolor == chosen.map.colors[code]
        assert mark_pace == f"{r['mark']} {r['pace_text']}"
        # a name shortened to fit the slide's map, never another region's
        assert r["name"].split(" ")[0] == name.split(" ")[0] if lang == "en" else r["name"][:2] == name[:2]


@pytest.mark.parametrize("key", VIEWS, ids=IDS)
def test_area_slides_are_the_attainment_pages_areas(views: dict, key: tuple) -> None:
    pack, models = views[key]
    areas = models["attainment"].areas
    assert len(areas) == 9
    # an area on its own slide when something of it needs following up (its own status or a
    # region below on the follow-up list); the others in one row each of the quiet areas' slide
    followed = {f.indicator_id for f in models["home"].follow_up}
    needs = ("missed", "overdue_no_report", "behind", "at_risk")
    busy = [a for a in areas if any(r.status in needs or r.indicator_id in followed for r in a.rows)]
    quiet = [a for a in areas if a not in busy]
    slides = [s for s in pack.slides if s.kind == "area"]
    assert len(slides) == len(busy)
    if quiet:
        merged = _kind(pack, "areas_ok")
        assert merged.table is not None and len(merged.table.rows) == len(quiet)
        for row, area in zip(merged.table.rows, quiet, strict=True):
            assert area.title in row[0] and row[2] == str(len(area.rows))
            for r in area.rows:
                assert any(r.name in line and r.actual in line and r.status_label in line for line in merged.notes)
    for slide, area in zip(slides, busy, strict=True):
        assert area.title in slide.title
        assert slide.table is not None
        rows = slide.table.rows
        assert [r[0] for r in rows] == [str(a.item_no) for a in area.rows]
        assert [r[1].removesuffix(" *") for r in rows] == [a.name for a in area.rows]
        assert [r[1].endswith(" *") for r in rows] == [a.interpreted for a in area.rows]
        assert [r[2:7] for r in rows] == [(a.actual, a.target, a.expected, a.pace, a.status_label) for a in area.rows]
        assert list(slide.table.status) == [a.status for a in area.rows]
        for row, a in zip(rows, area.rows, strict=True):
            if not a.behind_names:
                assert row[7] == "—"
                continue
            # the regions behind in the model's order (worst first), the first four by name
            shown = [n for n in row[7].replace("、", ", ").split(", ") if n]
            for name, whole in zip(shown, a.behind_names[:4], strict=False):
                assert whole.startswith(name[:2]), (name, whole)
            if len(a.behind_names) > 4:
                assert str(len(a.behind_names)) in row[7]
            if a.interpreted:
                assert a.basis in slide.note
        for n, title in area.untargeted:
            assert f"{n} {title}" in slide.note


# --- childcare and training: their pages' models --------------------------------------------------


@pytest.mark.parametrize("key", VIEWS, ids=IDS)
def test_childcare_slide_is_the_childcare_pages_model(views: dict, key: tuple) -> None:
    pack, models = views[key]
    model = models["childcare"]
    slide = _slide(pack, "briefing.childcare.title")
    cards = list(slide.cards)
    kpis, milestones = cards[: len(model.kpis)], cards[len(model.kpis) :]
    assert [_fields(c) for c in kpis] == [(k.title, k.value, k.status, k.status_text) for k in model.kpis]
    for card, kpi in zip(kpis, model.kpis, strict=True):
        assert card.lines == ((*kpi.lines, model.goal_line) if kpi.key == "per_1000" else kpi.lines)
    assert [_fields(c) for c in milestones] == [(m.title, m.value, m.status, m.status_text) for m in model.milestones]
    assert [c.lines for c in milestones] == [tuple(x for x in (m.due, m.at_due) if x) for m in model.milestones]
    # the chart: every region below by the model's short name, in the model's order
    assert slide.chart is not None
    bars = [t for t in slide.chart.figure.data if t.type == "bar"]
    assert bars and all(list(t.y) == list(model.short.values()) for t in bars)


@pytest.mark.parametrize("key", VIEWS, ids=IDS)
def test_training_slide_is_the_training_pages_model(views: dict, key: tuple) -> None:
    pack, models = views[key]
    model = models["training"]
    cov, parts, bases = model.coverage, model.participants, model.bases
    assert cov is not None and cov.status is not None and bases is not None
    slide = _slide(pack, "briefing.training.title")
    cards = list(slide.cards)
    assert len(cards) == 1 + len(model.classes.plan) + 2
    first = cards[0]
    assert _fields(first) == (cov.share.label, cov.share.value, cov.status.code, cov.status.text)
    assert cov.covered.value in first.lines[0] and cov.units.value in first.lines[0]
    assert first.lines[1:] == (cov.status_line,)
    for card, plan in zip(cards[1:], model.classes.plan, strict=False):
        assert _fields(card) == (plan.title, f"{plan.held} / {plan.planned}", plan.status.code, plan.status.text)
        assert plan.window in card.lines[1]
    rate = cards[-2]
    assert (rate.title, rate.value) == (parts.rate.label, parts.rate.value)
    assert parts.completed.value in rate.lines[0] and parts.enrolled.value in rate.lines[0]
    assert _fields(cards[-1]) == (bases.metric.label, bases.metric.value, bases.status.code, bases.status.text)
    assert cards[-1].lines == (bases.line_short,)
    assert slide.chart is not None
    bars = [t for t in slide.chart.figure.data if t.type == "bar"]
    assert bars and set(bars[0].y) == {cov.bar_labels[c] for c in cov.below["region_code"]}


# --- a few figures against pandas over the Parquet files ------------------------------------------


def _read(folder: str) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(p) for p in sorted((DATA / folder).glob("**/*.parquet"))], ignore_index=True)


def _coverage(as_of: dt.date, by: str) -> pd.Series:
    """Each prefecture's (``by="prefecture_code"``) or the province's (``by=""``) village-level units
    with 2 or more instructors in their last report up to ``as_of``, as a share of all its units."""
    units = _read("reference/regions").query("level == 'village'")
    ins = _read("exports/instructors")
    ins = ins[(ins["plan_year"] == 2023) & (pd.to_datetime(ins["period_end"]) <= pd.Timestamp(as_of))]
    last = ins.sort_values("period_end").groupby("region_code")["instructors_in_post"].last()
    covered = units["region_code"].map(last).ge(2)
    groups = units[by] if by else pd.Series(PROVINCE, index=units.index)
    return covered.groupby(groups).mean()


def _completion(as_of: dt.date, region: str) -> tuple[int, int]:
    """Completed and enrolled in the classes held and ended by ``as_of`` in ``region``."""
    tr = _read("exports/trainings")
    ended = tr[
        (tr["plan_year"] == 2023) & (tr["status"] == "held") & (pd.to_datetime(tr["end_date"]) <= pd.Timestamp(as_of))
    ]
    p = _read("exports/training_participants").merge(ended[["class_id"]], on="class_id")
    if region != PROVINCE:
        prefecture = _read("reference/regions").set_index("region_code")["prefecture_code"]
        p = p[p["region_code"].map(prefecture) == region]
    return int(p["completed"].sum()), int(p["enrolled"].sum())


@pytest.mark.parametrize("key", VIEWS, ids=IDS)
def test_pack_figures_against_pandas(views: dict, key: tuple) -> None:
    pack, _ = views[key]
    lang, as_of, region = key
    texts = catalog(lang)
    # instructor coverage: the region's own on the cards and training slides …
    share = _coverage(as_of, "prefecture_code" if region != PROVINCE else "")[region]
    overview = next(c for c in _kind(pack, "cards").cards if c.title == texts["overview.card.instructors"])
    training = _slide(pack, "briefing.training.title").cards[0]
    assert overview.value == training.value == f"{share:.1%}"
    # … and every prefecture's in the league (the province's view)
    if region == PROVINCE:
        by_prefecture = _coverage(as_of, "prefecture_code")
        league = next(s for s in pack.slides if s.kind == "map").table
        assert league is not None
        assert sorted(r[2] for r in league.rows) == sorted(f"{v:.1%}" for v in by_prefecture)
    # childcare: points open, funds paid and places on the day, and places per 1,000
    hand = childcare_by_hand(DATA, as_of).loc[region]
    cards = _slide(pack, "briefing.childcare.title").cards
    assert [c.value for c in cards[:4]] == [
        f"{hand['points']:,.0f}",
        f"{hand['funds']:,.0f}",
        f"{hand['places']:,.0f}",
        f"{hand['per_1000']:,.3f}",
    ]
    # completion of the classes ended by then
    completed, enrolled = _completion(as_of, region)
    rate = _slide(pack, "briefing.training.title").cards[-2]
    assert rate.value == f"{completed / enrolled:.1%}"
    assert f"{completed:,}" in rate.lines[0] and f"{enrolled:,}" in rate.lines[0]


# --- the pages show what the pack shows -------------------------------------------------------------


def _metrics(at: Any) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_attainment_page_shows_the_packs_league(views: dict) -> None:
    from tests.app.test_pages import run_page

    lang, as_of, region = key = ("en", JUNE, CHANGSHA)
    pack, _ = views[key]
    at = run_page("pages/attainment.py", lang=lang, as_of=as_of.isoformat(), region=region)
    assert not at.exception
    html = league_html.from_app(at)
    _, page = league_html.parse(html)
    league = next(s for s in pack.slides if s.kind == "map").table
    assert league is not None
    assert [
        (r["cells"]["rank"], r["cells"]["region"], actual, expected, r["cells"]["pace"], r["cells"]["status"])
        for r, (actual, expected) in zip(page, league_html.figures(html), strict=True)
    ] == list(league.rows)


def test_the_childcare_and_training_pages_show_the_packs_cards(views: dict) -> None:
    from tests.app.test_pages import run_page

    lang, as_of, region = key = ("zh", DECEMBER, CHANGSHA)
    pack, _ = views[key]
    params = {"lang": lang, "as_of": as_of.isoformat(), "region": region}
    childcare = _metrics(run_page("pages/childcare.py", **params))
    for card in _slide(pack, "briefing.childcare.title").cards:
        assert childcare[card.title] == card.value, card.title
    training = _metrics(run_page("pages/training.py", **params))
    cards = _slide(pack, "briefing.training.title").cards
    for card in (cards[0], cards[-2], cards[-1]):  # coverage, completion, bases (classes are not metrics)
        assert training[card.title] == card.value, card.title
