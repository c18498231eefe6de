"""The training page's figures: by hand on a tiny folder (tests/unit/tiny_training.py), then
against an independent pandas computation over the bundled Parquet files."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analytics import db, queries, training
from analytics.attainment import COMPLETION_THRESHOLD
from analytics.queries import training as q
from tests.unit import tiny_training

D = dt.date
DATA = db.DEFAULT_DATA_DIR


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return db.connect(tiny_training.build(tmp_path_factory.mktemp("tiny_training")))


def _cov(con: duckdb.DuckDBPyConnection, as_of: dt.date, within: str = "430000") -> pd.DataFrame:
    cov = training.with_share(q.coverage_month(con.cursor(), plan_year=2023, as_of=as_of, within=within))
    return training.at_month(cov).set_index("region_code")


# --- coverage: every unit counted, reported or not ------------------------------------------


def test_coverage_counts_every_unit_and_the_categories_add_up(con: duckdb.DuckDBPyConnection) -> None:
    # 31 Mar: v2 (3) and vz (2) covered; v1 (1, March) and vb (0) short; v3 never reported.
    c = _cov(con, D(2023, 3, 31))
    assert c.loc["430000", ["units_total", "covered", "short", "no_report"]].tolist() == [5, 2, 2, 1]
    assert c.loc["430000", "share"] == pytest.approx(2 / 5)
    # county 430102 has a unit that never reported: v2 covered, v1 short, v3 no report
    assert c.loc["430102", ["units_total", "covered", "short", "no_report"]].tolist() == [3, 1, 1, 1]
    # the zone's unit counts under its host county, not as a county of its own
    assert c.loc["430103", ["units_total", "covered"]].tolist() == [1, 1]
    assert "430171" not in c.index
    # A: v1, v2, v3, vz → 2 of 4; B reported 0 instructors: a real 0 %, not "no data"
    assert c.loc["430100", "share"] == pytest.approx(0.5)
    assert c.loc["430200", "share"] == 0.0
    for code, row in c.iterrows():
        assert row["covered"] + row["short"] + row["no_report"] == row["units_total"], code


def test_coverage_uses_each_units_latest_report_up_to_the_as_of_date(con: duckdb.DuckDBPyConnection) -> None:
    # 31 Jan: v1 (2) and vz (2) covered; v2, v3 and vb had not reported yet
    jan = _cov(con, D(2023, 1, 31))
    assert jan.loc["430000", ["covered", "short", "no_report"]].tolist() == [2, 0, 3]
    # B's only unit had not reported: 0 of its 1 unit, as the province counts it (issue 17, item 3);
    # that it has not reported is the row's own: reported 0, and the attainment table says no_data
    assert jan.loc["430200", "share"] == 0.0 and jan.loc["430200", "reported"] == 0
    table = queries.attainment_table(con.cursor(), plan_year=2023, as_of=D(2023, 1, 31), level="prefecture")
    row = table[(table["indicator_id"] == training.COVERAGE_INDICATOR) & (table["region_code"] == "430200")].iloc[0]
    assert (row["actual"], row["status"]) == (0.0, "no_data")
    assert jan.loc["430000", "no_report"] == 3  # v2, v3, vb: B's unit counted in its parent as in its own row
    # 28 Feb: v1's January report is still in force; v2 (3) joins; vb reports 0
    feb = _cov(con, D(2023, 2, 28))
    assert feb.loc["430000", ["covered", "short", "no_report"]].tolist() == [3, 1, 1]
    # one row per region and month up to the as-of date
    months = q.coverage_month(con.cursor(), plan_year=2023, as_of=D(2023, 3, 31), within="430000")
    assert sorted(months["period_end"].astype(str).unique()) == ["2023-01-31", "2023-02-28", "2023-03-31"]


def test_coverage_inside_a_prefecture_has_no_province_row(con: duckdb.DuckDBPyConnection) -> None:
    c = _cov(con, D(2023, 3, 31), within="430100")
    assert set(c.index) == {"430100", "430102", "430103"}
    assert c.loc["430100", "units_total"] == 4


@pytest.mark.parametrize("as_of", [D(2023, 1, 31), D(2023, 3, 31), D(2023, 4, 30), D(2023, 12, 31)])
@pytest.mark.parametrize("level", ["province", "prefecture"])
def test_coverage_agrees_with_the_attainment_table(con: duckdb.DuckDBPyConnection, as_of: dt.date, level: str) -> None:
    """The page's coverage and the attainment table's instructor_coverage are one figure."""
    c = _cov(con, as_of)
    table = queries.attainment_table(con.cursor(), plan_year=2023, as_of=as_of, level=level)
    rows = table[table["indicator_id"] == training.COVERAGE_INDICATOR]
    for r in rows.itertuples():
        assert r.denominator == c.loc[r.region_code, "units_total"]
        if pd.isna(r.numerator):
            assert c.loc[r.region_code, "covered"] + c.loc[r.region_code, "short"] == 0
        else:
            assert r.numerator == c.loc[r.region_code, "covered"]


def test_short_list_has_the_short_and_the_unreported(con: duckdb.DuckDBPyConnection) -> None:
    short = q.short_units(con.cursor(), plan_year=2023, as_of=D(2023, 3, 31), within="430000").set_index("region_code")
    assert set(short.index) == {"430102001001", "430102001003", "430202001001"}
    assert short.loc["430102001001", "category"] == "short"
    assert short.loc["430102001001", "instructors_in_post"] == 1
    assert str(short.loc["430102001001", "last_period"])[:10] == "2023-03-31"
    # vb reported 0 in February: a 0 shows as 0, with its report month
    assert short.loc["430202001001", "instructors_in_post"] == 0
    assert str(short.loc["430202001001", "last_period"])[:10] == "2023-02-28"
    assert short.loc["430102001003", "category"] == "no_report"
    assert pd.isna(short.loc["430102001003", "instructors_in_post"])
    assert short.loc["430102001003", "township_name_zh"] == "一镇"
    # 30 April: vz fell to 1; it is listed under its host county, with the zone named
    april = q.short_units(con.cursor(), plan_year=2023, as_of=D(2023, 4, 30), within="430100").set_index("region_code")
    assert set(april.index) == {"430102001001", "430102001003", "430171001001"}
    assert april.loc["430171001001", "county_code"] == "430103"
    assert april.loc["430171001001", "zone_name_zh"] == "甲管理区"
    assert pd.isna(april.loc["430102001001", "zone_name_zh"])
    # the filters narrow the list
    assert list(training.filter_short(april.reset_index(), category="no_report")["region_code"]) == ["430102001003"]
    assert list(training.filter_short(april.reset_index(), county="430103")["region_code"]) == ["430171001001"]


def test_short_list_equals_short_plus_no_report(con: duckdb.DuckDBPyConnection) -> None:
    for as_of in (D(2023, 1, 31), D(2023, 3, 31), D(2023, 12, 31)):
        short = q.short_units(con.cursor(), plan_year=2023, as_of=as_of, within="430000")
        c = _cov(con, as_of)
        assert len(short) == c.loc["430000", "short"] + c.loc["430000", "no_report"]


# --- classes ------------------------------------------------------------------------------


def _classes(con: duckdb.DuckDBPyConnection, as_of: dt.date, within: str = "430000") -> pd.DataFrame:
    return training.class_states(q.classes(con.cursor(), plan_year=2023, within=within), as_of)


def _summary(con: duckdb.DuckDBPyConnection, as_of: dt.date, within: str = "430000") -> pd.DataFrame:
    table = queries.attainment_table(con.cursor(), plan_year=2023, as_of=as_of, level="province")
    plan = table[table["indicator_id"].isin(list(training.KIND_INDICATOR.values()))]
    return training.kind_summary(_classes(con, as_of, within), plan, plan_year=2023).set_index("kind")


def test_class_states_follow_the_as_of_date(con: duckdb.DuckDBPyConnection) -> None:
    june = _classes(con, D(2023, 6, 30)).set_index("class_id")["state"]
    # P2 ended in September: on 30 June it was not yet held; C1 likewise (August)
    assert june.to_dict() == {
        "P1": "held",
        "P2": "planned",
        "P3": "planned",
        "A1": "held",
        "B1": "cancelled",
        "C1": "planned",
    }
    august = _classes(con, D(2023, 8, 31)).set_index("class_id")["state"]
    assert august["C1"] == "held"


def test_planned_against_held_by_kind_with_deadlines(con: duckdb.DuckDBPyConnection) -> None:
    june = _summary(con, D(2023, 6, 30))
    assert june.loc["instructor_trainer", ["classes", "held", "plan_classes", "plan_held"]].tolist() == [2, 2, 1, 1]
    assert june.loc["instructor_trainer", "plan_status"] == "done"
    # the youth class belongs to the second half: its window opens on 1 July
    assert june.loc["youth_trainer", "window_start"] == D(2023, 7, 1)
    assert june.loc["youth_trainer", "plan_status"] == "not_yet_due"
    # B1 cancelled is not planned any more; C1 not yet held
    assert june.loc["other", ["classes", "held", "planned", "cancelled"]].tolist() == [1, 0, 1, 1]
    assert june.loc["other", "plan_status"] == "no_target"
    assert june.loc["other", "due_date"] is None
    december = _summary(con, D(2023, 12, 31))
    assert december.loc["youth_trainer", "plan_status"] == "done"
    assert december.loc["youth_trainer", "plan_held_early"] == 0
    # P3 never held: on its deadline it is behind
    assert december.loc["capacity_building", "plan_status"] == "missed"
    assert december.loc["capacity_building", "due_date"] == D(2023, 12, 31)


def test_a_youth_class_held_in_the_first_half_is_flagged() -> None:
    classes = pd.DataFrame(
        {
            "class_id": ["Y"],
            "kind": ["youth_trainer"],
            "level": ["province"],
            "status": ["held"],
            "planned_start": [D(2023, 9, 1)],
            "start_date": [D(2023, 6, 5)],
            "end_date": [D(2023, 6, 6)],
        }
    )
    summary = training.kind_summary(
        training.class_states(classes, D(2023, 12, 31)), pd.DataFrame(columns=["indicator_id"]), plan_year=2023
    ).set_index("kind")
    assert summary.loc["youth_trainer", "plan_held_early"] == 1


def test_a_prefecture_sees_the_provinces_classes_and_its_own(con: duckdb.DuckDBPyConnection) -> None:
    assert set(_classes(con, D(2023, 12, 31), "430100")["class_id"]) == {"P1", "P2", "P3", "A1"}
    assert set(_classes(con, D(2023, 12, 31), "430200")["class_id"]) == {"P1", "P2", "P3", "B1", "C1"}


# --- participants -------------------------------------------------------------------------


def _parts(con: duckdb.DuckDBPyConnection, as_of: dt.date, within: str = "430000") -> pd.DataFrame:
    return q.participants(con.cursor(), plan_year=2023, as_of=as_of, within=within)


def test_completion_is_summed_before_dividing(con: duckdb.DuckDBPyConnection) -> None:
    parts = _parts(con, D(2023, 6, 30))  # P1 and A1 have ended
    total = training.total_completion(parts)
    # enrolled 10 + 5 + 8 + 2 = 25; attended 9 + 5 + 6 + 2 = 22; completed 6 + 5 + 3 + 2 = 16
    assert (total["enrolled"], total["attended"], total["completed"]) == (25, 22, 16)
    # 16 / 25 = 0.64; the mean of the two classes' rates (11/15 and 5/10) would be 0.617
    assert total["rate"] == pytest.approx(0.64)
    by_class = training.completion(parts, "class").set_index("class_id")
    assert by_class.loc["P1", "rate"] == pytest.approx(11 / 15)
    # A1 lost 5 of its 10: 0.5, below the threshold
    assert by_class.loc["A1", "dropped"] == 5
    assert by_class.loc["A1", "rate"] == pytest.approx(0.5)
    assert bool(by_class.loc["A1", "below"]) and not bool(by_class.loc["P1", "below"])
    by_pref = training.completion(parts, "prefecture").set_index("prefecture_code")
    # A: 430102 (10 + 8 enrolled, 6 + 3 completed) and 430103 (2, 2): 11 / 20
    assert by_pref.loc["430100", "rate"] == pytest.approx(0.55)
    assert by_pref.loc["430200", "rate"] == pytest.approx(1.0)
    by_county = training.completion(parts, "county").set_index("county_code")
    assert by_county.loc["430102", ["enrolled", "completed"]].tolist() == [18, 9]


def test_participants_follow_the_as_of_date_and_the_region(con: duckdb.DuckDBPyConnection) -> None:
    december = training.total_completion(_parts(con, D(2023, 12, 31)))
    # + C1 (4/4/4) and P2 (6/6/3)
    assert (december["enrolled"], december["completed"]) == (35, 23)
    b = _parts(con, D(2023, 12, 31), "430200")
    assert set(b["class_id"]) == {"P1", "C1"}
    assert training.total_completion(b)["rate"] == pytest.approx(1.0)
    assert _parts(con, D(2023, 3, 31)).empty


def test_completion_threshold_is_one_setting() -> None:
    assert 0 < COMPLETION_THRESHOLD < 1
    rows = pd.DataFrame(
        {
            "class_id": ["a"],
            "title_zh": ["a"],
            "kind": ["other"],
            "class_level": ["county"],
            "organiser_code": ["1"],
            "organiser_name_zh": ["一"],
            "organiser_name_en": [None],
            "end_date": [D(2023, 1, 1)],
            "enrolled": [10],
            "attended": [10],
            "completed": [6],
        }
    )
    assert not training.completion(rows, "class", threshold=0.6)["below"].iloc[0]
    assert training.completion(rows, "class", threshold=0.61)["below"].iloc[0]


# --- youth health demonstration bases -------------------------------------------------------


def test_a_prefecture_without_a_base_is_listed(con: duckdb.DuckDBPyConnection) -> None:
    table = queries.attainment_table(con.cursor(), plan_year=2023, as_of=D(2023, 3, 31), level="province")
    row = table[table["indicator_id"] == training.BASES_INDICATOR].iloc[0]
    assert (row["regions_reached"], row["regions_total"], row["regions_missing"]) == (1, 2, ["430200"])
    pref = queries.attainment_table(con.cursor(), plan_year=2023, as_of=D(2023, 3, 31), level="prefecture")
    bases = training.bases_by_prefecture(pref).set_index("region_code")
    assert bases.loc["430100", "bases"] == 1 and bool(bases.loc["430100", "reached"])
    # B reported 0: a 0, not "no data", and not reached
    assert bases.loc["430200", "bases"] == 0 and not bool(bases.loc["430200", "reached"])
    # before March nobody had reported: no data, never 0
    feb = queries.attainment_table(con.cursor(), plan_year=2023, as_of=D(2023, 2, 28), level="prefecture")
    assert training.bases_by_prefecture(feb)["bases"].isna().all()


# --- the bundled data against an independent computation -------------------------------------


@pytest.fixture(scope="module")
def bundled() -> duckdb.DuckDBPyConnection:
    return db.connect(DATA)


def _read(folder: str) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(p) for p in sorted((DATA / folder).glob("**/*.parquet"))], ignore_index=True)


@pytest.fixture(scope="module")
def parquet() -> dict[str, pd.DataFrame]:
    return {
        name: _read(folder)
        for name, folder in {
            "regions": "reference/regions",
            "instructors": "exports/instructors",
            "trainings": "exports/trainings",
            "participants": "exports/training_participants",
            "progress": "exports/progress",
        }.items()
    }


def _independent_categories(parquet: dict[str, pd.DataFrame], as_of: dt.date) -> pd.DataFrame:
    """Each village-level unit's category from its last report on or before ``as_of`` (pandas only)."""
    units = parquet["regions"].query("level == 'village'")[["region_code", "prefecture_code", "county_code"]]
    ins = parquet["instructors"]
    ins = ins[(ins["plan_year"] == 2023) & (pd.to_datetime(ins["period_end"]) <= pd.Timestamp(as_of))]
    last = ins.sort_values("period_end").groupby("region_code").tail(1)[["region_code", "instructors_in_post"]]
    out = units.merge(last, on="region_code", how="left")
    out["category"] = "no_report"
    out.loc[out["instructors_in_post"] < 2, "category"] = "short"
    out.loc[out["instructors_in_post"] >= 2, "category"] = "covered"
    return out


REGIONS_CHECKED = ["430000", "430100", "430800"]  # the province and two prefectures


@pytest.mark.parametrize("as_of", [D(2023, 6, 30), D(2023, 12, 31)])
@pytest.mark.parametrize("within", REGIONS_CHECKED)
def test_bundled_coverage_matches_pandas(
    bundled: duckdb.DuckDBPyConnection, parquet: dict[str, pd.DataFrame], within: str, as_of: dt.date
) -> None:
    units = _independent_categories(parquet, as_of)
    if within != "430000":
        units = units[units["prefecture_code"] == within]
    expected = units["category"].value_counts()
    page = _cov(bundled, as_of, within)
    assert page.loc[within, "units_total"] == len(units)
    for cat in training.CATEGORIES:
        assert page.loc[within, cat] == expected.get(cat, 0), cat
    by_county = units.groupby("county_code")["category"].value_counts().unstack(fill_value=0)
    counties = page[page["level"] == "county"]
    assert set(counties.index) == set(by_county.index)
    for code, row in counties.iterrows():
        assert [row[c] for c in training.CATEGORIES] == [by_county.loc[code].get(c, 0) for c in training.CATEGORIES]
    short = q.short_units(bundled.cursor(), plan_year=2023, as_of=as_of, within=within)
    assert set(short["region_code"]) == set(units.loc[units["category"] != "covered", "region_code"])


def test_bundled_province_counts_all_29534_units(bundled: duckdb.DuckDBPyConnection) -> None:
    head = _cov(bundled, D(2023, 12, 31)).loc["430000"]
    assert head["units_total"] == 29_534
    assert head["covered"] + head["short"] + head["no_report"] == 29_534


@pytest.mark.parametrize("as_of", [D(2023, 6, 30), D(2023, 12, 31)])
def test_bundled_coverage_agrees_with_the_attainment_table(bundled: duckdb.DuckDBPyConnection, as_of: dt.date) -> None:
    c = _cov(bundled, as_of)
    for level in ("province", "prefecture"):
        table = queries.attainment_table(bundled.cursor(), plan_year=2023, as_of=as_of, level=level)
        rows = table[table["indicator_id"] == training.COVERAGE_INDICATOR]
        assert len(rows) == (1 if level == "province" else 14)
        for r in rows.itertuples():
            assert (r.numerator, r.denominator) == (
                c.loc[r.region_code, "covered"],
                c.loc[r.region_code, "units_total"],
            )
            assert r.actual == pytest.approx(c.loc[r.region_code, "share"])


@pytest.mark.parametrize("within", REGIONS_CHECKED)
def test_bundled_completion_matches_pandas(
    bundled: duckdb.DuckDBPyConnection, parquet: dict[str, pd.DataFrame], within: str
) -> None:
    as_of = D(2023, 9, 30)
    tr = parquet["trainings"]
    ended = tr[
        (tr["plan_year"] == 2023) & (tr["status"] == "held") & (pd.to_datetime(tr["end_date"]) <= pd.Timestamp(as_of))
    ]
    regions = parquet["regions"].set_index("region_code")
    p = parquet["participants"].merge(ended[["class_id"]], on="class_id")
    p["prefecture_code"] = regions.loc[p["region_code"], "prefecture_code"].to_numpy()
    if within != "430000":
        p = p[p["prefecture_code"] == within]
    parts = q.participants(bundled.cursor(), plan_year=2023, as_of=as_of, within=within)
    total = training.total_completion(parts)
    assert (total["enrolled"], total["attended"], total["completed"]) == (
        p["enrolled"].sum(),
        p["attended"].sum(),
        p["completed"].sum(),
    )
    mine = training.completion(parts, "class").set_index("class_id")
    theirs = p.groupby("class_id")[["enrolled", "completed"]].sum()
    assert set(mine.index) == set(theirs.index)
    for cid, row in theirs.iterrows():
        assert mine.loc[cid, "rate"] == pytest.approx(row["completed"] / row["enrolled"])
        assert bool(mine.loc[cid, "below"]) == (row["completed"] / row["enrolled"] < COMPLETION_THRESHOLD)
    by_pref = training.completion(parts, "prefecture").set_index("prefecture_code")
    theirs_pref = p.groupby("prefecture_code")[["enrolled", "completed"]].sum()
    for code, row in theirs_pref.iterrows():
        assert by_pref.loc[code, "rate"] == pytest.approx(row["completed"] / row["enrolled"])


@pytest.mark.parametrize("within", REGIONS_CHECKED)
def test_bundled_classes_match_pandas(
    bundled: duckdb.DuckDBPyConnection, parquet: dict[str, pd.DataFrame], within: str
) -> None:
    as_of = D(2023, 6, 30)
    tr = parquet["trainings"]
    regions = parquet["regions"].set_index("region_code")
    tr = tr[tr["plan_year"] == 2023].assign(
        prefecture_code=regions.loc[tr["region_code"], "prefecture_code"].to_numpy()
    )
    if within != "430000":
        tr = tr[(tr["level"] == "province") | (tr["prefecture_code"] == within)]
    held = tr[(tr["status"] == "held") & (pd.to_datetime(tr["end_date"]) <= pd.Timestamp(as_of))]
    summary = _summary(bundled, as_of, within)
    for kind in training.KINDS:
        assert summary.loc[kind, "held"] == (held["kind"] == kind).sum(), kind
        assert summary.loc[kind, "classes"] == ((tr["kind"] == kind) & (tr["status"] != "cancelled")).sum(), kind


def test_bundled_bases_match_pandas(bundled: duckdb.DuckDBPyConnection, parquet: dict[str, pd.DataFrame]) -> None:
    as_of = D(2023, 9, 30)
    prog = parquet["progress"]
    prog = prog[
        (prog["indicator_id"] == training.BASES_INDICATOR)
        & (prog["plan_year"] == 2023)
        & (pd.to_datetime(prog["period_end"]) <= pd.Timestamp(as_of))
    ]
    regions = parquet["regions"].set_index("region_code")
    per_pref = prog.assign(p=regions.loc[prog["region_code"], "prefecture_code"].to_numpy()).groupby("p")["value"].sum()
    prefectures = sorted(parquet["regions"].query("level == 'prefecture'")["region_code"])
    without = sorted(c for c in prefectures if per_pref.get(c, 0) < 1)
    table = queries.attainment_table(bundled.cursor(), plan_year=2023, as_of=as_of, level="province")
    row = table[table["indicator_id"] == training.BASES_INDICATOR].iloc[0]
    assert row["regions_missing"] == without
    pref = training.bases_by_prefecture(
        queries.attainment_table(bundled.cursor(), plan_year=2023, as_of=as_of, level="prefecture")
    ).set_index("region_code")
    for code in ("430100", "430800"):
        assert pref.loc[code, "bases"] == per_pref.get(code)
