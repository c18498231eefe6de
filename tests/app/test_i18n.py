"""Both catalogs hold the same keys, and every key the code can ask for exists: literal keys and
f-string keys (``f"status.{s}"`` with every status), in app.py, pages/, ui/ (the meeting pack in
ui/briefing included) and views/ (tests/i18n_keys.py reads them from the source)."""

from __future__ import annotations

import re
import typing

from analytics import attainment, audit, childcare, contract, explorer, quality, training
from analytics import auth as core
from analytics.reporting import states as reporting_states
from tests.i18n_keys import Site, expand, sites
from ui.i18n import LANGS, catalog
from views import childcare as childcare_view
from views import explorer as explorer_view
from views import population as population_view
from views import reporting as reporting_view

LEVELS = ("province", "prefecture", "county")
BELOW = ("prefecture", "county")  # views.filters.Filters.level_below


def _explicit() -> dict[str, set[str]]:
    """The keys of an f-string whose values the source does not spell out beside it (a loop over a
    column of data, an attribute, two placeholders): worked out from the code's constants."""
    tables = {n.strip() for _, names in quality.CONSISTENCY_RULES for n in names.split(",")}
    check_kinds = {r.check for t in contract.TABLES.values() for r in t.rules} | {"required", "key"}
    why = typing.get_args(typing.get_type_hints(core.Client)["why"])
    return {
        # ui/auth.py: _end_session's reasons (signed out, or core.session_end's)
        "auth.notice.{notice}": expand("auth.notice.{}", ("signed_out", "account_changed", "lifetime", "idle")),
        "auth.remote_demo_refused.{client.why}": expand("auth.remote_demo_refused.{}", why),
        "auth.role.{role}": expand("auth.role.{}", core.ROLES),
        "childcare.chart.{measure}_title": expand("childcare.chart.{}_title", ("points", "funds")),
        "childcare.chart.{measure}_x": expand("childcare.chart.{}_x", ("points", "funds")),
        # the breakdown's columns and the points list's (views/childcare.py)
        "childcare.col.{c}": expand(
            "childcare.col.{}",
            (
                *("region", "points", "points_target", "points_expected", "points_status"),
                *("funds", "funds_target", "funds_expected", "funds_status", "places"),
                *("prefecture", "county", "name", "operator", "point_places", "subsidy", "state", "point_id"),
                *childcare_view.DATE_COLUMNS,
            ),
        ),
        "childcare.context.{k}": {
            f"childcare.context.{f.key}.{w}" for f in childcare_view.SOCIETY_CONTEXT for w in ("region", "what", "source")
        },
        "childcare.kpi.{key}": {f"childcare.kpi.{k}" for k, _, _ in childcare_view.KPIS},
        "childcare.map.{metric}": expand("childcare.map.{}", childcare_view.MAP_METRICS),
        "childcare.points.filter_{below}": expand("childcare.points.filter_{}", BELOW),
        "childcare.{kind}.{s}": expand("childcare.state.{}", childcare.STATES)
        | expand("childcare.operator.{}", childcare.OPERATORS),
        # analytics/console.py: every ConsoleError kind (parse, refuse, busy, the child's)
        "console.error.{e.kind}": expand("console.error.{}", ("syntax", "empty", "refused", "busy", "timeout", "other")),
        "dates.corrected.{reason}": expand("dates.corrected.{}", ("out_of_year", "malformed")),  # ui/state.py
        "explorer.fallback.{fb.reason}": expand("explorer.fallback.{}", ("invalid", "moved")),  # analytics.explorer.Fallback
        "explorer.{axis}": expand("explorer.{}", ("rows", "cols")),
        # the explorer's training register measures and why a cell is empty (views/explorer.py)
        "explorer.measure.{m.measure}": expand("explorer.measure.{}", {m.measure for m in explorer.TRAINING_MEASURES}),
        "training.kind.{m.scope}": expand("training.kind.{}", {m.scope for m in explorer.TRAINING_MEASURES} - {"all"}),
        "explorer.blank.{r}": expand("explorer.blank.{}", explorer_view.BLANK_REASONS),
        "explorer.reported_by.{lv}": expand("explorer.reported_by.{}", explorer.LEVELS[:2]),  # above some level
        "kind.{kinds[i]}": expand("kind.{}", contract.INDICATOR_KINDS),
        "kind.{ind['kind']}": expand("kind.{}", contract.INDICATOR_KINDS),
        "rule.{ind['target_rule']}": expand("rule.{}", contract.TARGET_RULES),
        "level.{cov.level}": expand("level.{}", LEVELS),
        "level.{level}": expand("level.{}", LEVELS),
        "level.{lv}": expand("level.{}", explorer.LEVELS),
        "level.{model.below}": expand("level.{}", BELOW),
        "level.{v.level}": expand("level.{}", BELOW),
        "overview.narrative.list.{status}": expand("overview.narrative.list.{}", set(attainment.STATUSES) - {"no_target"}),
        "overview.narrative.n.{s}": expand("overview.narrative.n.{}", set(attainment.STATUSES) - {"no_target"}),
        "phasing.{code}": expand("phasing.{}", contract.PHASINGS),
        "phasing.{p}": expand("phasing.{}", attainment.PHASINGS),
        "population.basis.{b}": expand("population.basis.{}", contract.POPULATION_BASES),
        "population.col.{c}": expand("population.col.{}", population_view.COLUMNS),
        "population.measure.{m}": expand(
            "population.measure.{}", (*contract.POPULATION_MEASURES, *population_view.P.ASSOCIATION_MEASURES)
        ),
        "population.tier.{f.tier}": expand("population.tier.{}", {f.tier for f in childcare_view.SOCIETY_CONTEXT}),
        "population.tier.{s}": expand("population.tier.{}", (*contract.POPULATION_SOURCE_TIERS, "none")),
        "population.unit.{k}": expand("population.unit.{}", population_view.UNIT_KEYS.values()),
        "population.word.{w}": expand("population.word.{}", population_view.WORDS),
        "quality.check.{kind}": expand("quality.check.{}", check_kinds),
        "quality.gap.{g}": expand("quality.gap.{}", quality.GAPS),
        "quality.level.{a}": expand("quality.level.{}", contract.REGION_LEVELS),
        "quality.rule.{r}": expand("quality.rule.{}", [r for r, _ in quality.CONSISTENCY_RULES]),
        "quality.state.{s}": expand("quality.state.{}", quality.REPORT_STATES),
        "quality.table.{n.strip()}": expand("quality.table.{}", tables),
        "status.{status}": expand("status.{}", attainment.STATUSES),
        "training.cat.{c}": expand("training.cat.{}", training.CATEGORIES),
        "training.kind_short.{k}": expand("training.kind_short.{}", training.KINDS),
        "training.level.{level}": expand("training.level.{}", BELOW),
        "training.participants.by_{b}": expand("training.participants.by_{}", training.BREAKDOWNS),
        # analytics.auth.password_problem's answers
        "users.error.{problem}": expand("users.error.{}", ("too_short", "too_long", "same_as_name")),
        "users.event.{e}": expand("users.event.{}", audit.EVENTS),
        # the monthly reporting page (pages/reporting.py, views/reporting.py)
        "reporting.state.{done[-1].state}": expand("reporting.state.{}", reporting_states.STATES),
        "reporting.refused.{error.code}": expand("reporting.refused.{}", reporting_states.REFUSALS),
        "reporting.col.{key}": expand("reporting.col.{}", reporting_view.COLUMNS),
    }


# asked for with a fallback (catalog.get), so a missing key shows the raw name instead of failing;
# tests/unit/test_console.py checks that every table has its meaning
WITH_FALLBACK = {"console.table.{n}"}


def _sites() -> list[Site]:
    namespaces = {k.split(".")[0] for k in catalog(LANGS[0])}
    found = list(sites(namespaces))
    assert len(found) > 300, "fewer keys than the code asks for: the reader of tests/i18n_keys.py is stale"
    return found


def test_catalogs_have_the_same_keys() -> None:
    zh, en = (set(catalog(lang)) for lang in LANGS)
    assert zh - en == set(), f"missing in en: {sorted(zh - en)}"
    assert en - zh == set(), f"missing in zh: {sorted(en - zh)}"


def test_every_key_the_code_can_ask_for_exists() -> None:
    explicit = _explicit()
    wanted: dict[str, set[str]] = {}
    unknown = []
    for site in _sites():
        if site.values == ():
            keys = {site.template}
        elif site.values is not None:
            keys = expand(site.template, site.values)
        elif site.template in explicit:
            keys = explicit[site.template]
        elif site.template in WITH_FALLBACK:
            continue
        else:
            unknown.append(f"{site.path}:{site.line} {site.template}")
            continue
        for key in keys:
            wanted.setdefault(key, set()).add(f"{site.path}:{site.line}")
    assert not unknown, f"f-string keys whose values this test cannot tell: add them to _explicit(): {unknown}"
    for lang in LANGS:
        missing = {k: sorted(v) for k, v in wanted.items() if k not in catalog(lang)}
        assert not missing, f"{lang}: {missing}"


def test_no_explicit_entry_is_stale() -> None:
    templates = {s.template for s in _sites()}
    assert set(_explicit()) | WITH_FALLBACK <= templates


def test_the_reader_finds_literal_and_fstring_keys_of_the_pack_and_the_views() -> None:
    found = {(s.path, s.template) for s in _sites()}
    assert ("views/statuses.py", "status.{status}") in found
    assert any(p.startswith("ui/briefing/") and t.startswith("briefing.") for p, t in found)
    assert any(p.startswith("views/") and "{" not in t for p, t in found)


def test_page_titles_have_entries() -> None:
    from ui.nav import PAGES

    for lang in LANGS:
        for spec in PAGES:
            assert catalog(lang)[spec.title_key]


def test_no_empty_or_untranslated_strings() -> None:
    zh, en = catalog("zh"), catalog("en")
    han = re.compile(r"[\u4e00-\u9fff]")
    for key in zh:
        assert zh[key].strip() and en[key].strip(), key
        # the English catalog must not leak Chinese, except where it names the notice
        assert not han.search(en[key]) or key == "filters.language", key
