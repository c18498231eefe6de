"""The status palette: one entry per status of analytics.attainment.STATUSES, every pair of
statuses told apart with normal colour vision and under simulated deuteranopia, protanopia and
tritanopia, readable chip text, and a mark per status so colour is never the only cue.

Threshold: CIEDE2000 ΔE ≥ 15 between any two statuses in all four visions (about three times
the ΔE of 5 at which two flat colour patches side by side are told apart at a glance; a map or a
scorecard shows them apart, so the margin is wide). One pair is allowed less: no_data and
no_target, the two "not judged" greys (ΔE ≥ 7), which also differ by no_target's dashed outline
and by their marks. colour_vision.py holds the simulation (Machado et al. 2009) and ΔE.
"""

from __future__ import annotations

import itertools

import pytest

from analytics.attainment import STATUSES
from tests.unit.colour_vision import VISIONS, delta_e_2000, difference
from ui.theme import DASHED, STATUS_COLORS, STATUS_MARK, STATUS_ORDER, STATUS_TEXT, STATUS_WORST_FIRST, contrast
from views import statuses

MIN_DELTA_E = 15.0
NOT_JUDGED = frozenset({"no_data", "no_target"})
MIN_DELTA_E_NOT_JUDGED = 7.0


def test_delta_e_2000_matches_sharma_s_published_pairs() -> None:
    # Sharma, Wu and Dalal (2005), table 1: pairs 1 and 7
    assert delta_e_2000((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e_2000((50.0, 0.0, 0.0), (50.0, -1.0, 2.0)) == pytest.approx(2.3669, abs=1e-4)


def test_every_status_has_one_colour_mark_and_text_colour() -> None:
    for table in (STATUS_COLORS, STATUS_MARK, STATUS_TEXT):
        assert set(table) == set(STATUSES)
    assert tuple(STATUSES) == STATUS_ORDER
    assert set(STATUS_WORST_FIRST) == set(STATUSES)
    assert len(set(STATUS_COLORS.values())) == len(STATUSES)
    assert len(set(STATUS_MARK.values())) == len(STATUSES)  # the marks tell every status apart too


@pytest.mark.parametrize("vision", VISIONS)
def test_statuses_stay_apart_under_colour_vision_deficiency(vision: str) -> None:
    too_close = []
    for a, b in itertools.combinations(STATUSES, 2):
        floor = MIN_DELTA_E_NOT_JUDGED if {a, b} == NOT_JUDGED else MIN_DELTA_E
        d = difference(STATUS_COLORS[a], STATUS_COLORS[b], vision)
        if d < floor:
            too_close.append(f"{a}/{b}: ΔE {d:.1f} < {floor}")
    assert not too_close, f"{vision}: {too_close}"


def test_the_pairs_the_issue_names_are_far_apart() -> None:
    """missed must not read as behind, overdue not as no data, done late not as done."""
    for a, b in (("missed", "behind"), ("overdue_no_report", "no_data"), ("done_late", "done")):
        assert min(difference(STATUS_COLORS[a], STATUS_COLORS[b], v) for v in VISIONS) >= MIN_DELTA_E
    # overdue is dark, not a grey: its text is white
    assert STATUS_TEXT["overdue_no_report"] == "#ffffff"
    assert "no_target" in DASHED


def test_chip_text_reaches_wcag_aa_contrast() -> None:
    for status in STATUSES:
        assert contrast(STATUS_COLORS[status], STATUS_TEXT[status]) >= 4.5, status


def test_labels_carry_the_mark_and_the_date_a_late_target_was_reached() -> None:
    import datetime as dt

    assert statuses.label("missed", "zh") == "× 未完成"
    assert statuses.label("overdue_no_report", "en") == "×? Overdue, no report"
    assert statuses.label("done_late", "zh", reached_on=dt.date(2023, 8, 31)) == "(√) 逾期完成（8月31日达到）"
    assert statuses.label("done_late", "en", reached_on=dt.date(2023, 8, 31)) == "(√) Done late (reached 31 Aug)"
    assert statuses.label("done", "zh", mark=False) == "已完成"
    for lang in ("zh", "en"):
        assert all(statuses.label(s, lang) for s in STATUSES)
    assert "到期后未达到为未完成" in statuses.rule("zh")


def test_worst_follows_the_analytics_severity() -> None:
    assert statuses.worst(["done", "behind", "missed"]) == "missed"
    assert statuses.worst(["on_track", "overdue_no_report", "behind"]) == "overdue_no_report"
    assert statuses.worst(["done", "done_late"]) == "done_late"
    assert statuses.worst([]) == "no_target"
