"""Deterministic demo exports: ``python -m analytics.demo --scale hunan --out DIR``.

The association's progress data is not public, so the bundled exports are made up here,
from a seeded generator, to behave like real monthly reporting: prefectures that lead
and lag, counties that report late or not at all, villages that never report, childcare
points moving through their pipeline, classes planned and held. Same seed and scale →
identical tables.

``--out DIR`` becomes a complete data folder: the real reference and plan tables are
copied in beside the exports (``--scale hunan``), or made up to size (``--scale
national``: about 2,800 counties and 490,000 villages with invented codes, for
benchmarks). The folder's ``manifest.json`` says ``"demo": true`` and every export file
carries ``fpa.demo = true`` in its Parquet metadata, so the data says what it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analytics.attainment import month_ends
from analytics.contract import MANIFEST_FILE, TABLES, Table
from analytics.db import DEFAULT_DATA_DIR

DEFAULT_SEED = 2023
BASE_YEAR = 2023
# The layout of the folders written here; a reader that reuses a generated folder (the
# benchmark does) regenerates it when this changes. 2: national exports of progress and
# instructors split by plan year and province.
FORMAT = 2
# the big exports, split by plan year and province at national scale (write_table)
PARTITIONED = ("progress", "instructors")
DEMO_META = {b"fpa.demo": b"true"}


def write_table(data_dir: Path, table: Table, df: pd.DataFrame, *, demo: bool, partition: bool = False) -> Path:
    """Write ``df`` as the files of ``table`` in ``data_dir`` (replacing what was there); return its folder.

    One file (``part-0.parquet``), or with ``partition`` one file per plan year and province
    (``<year>/<province's two digits>.parquet``): a reader that asks for one year and one
    province then opens one file of a national export (every file of a table's folder
    belongs to it, docs/data-contract.md).
    """
    folder = data_dir / table.folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    parts = (
        df.groupby([df["plan_year"].astype(int), df["region_code"].str[:2]], sort=True)
        if partition
        else [((None, None), df)]
    )
    for (year, province), part in parts:
        arrow = pa.Table.from_pandas(part[table.schema.names], schema=table.schema, preserve_index=False)
        if demo:
            arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), **DEMO_META})
        path = folder / "part-0.parquet" if year is None else folder / str(year) / f"{province}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(arrow, path)
    return folder


@dataclass
class World:
    """The regions and plan that the exports are made for."""

    regions: pd.DataFrame
    plan_items: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    years: list[int]

    @property
    def counties(self) -> pd.DataFrame:
        r = self.regions
        return r[(r["level"] == "county") & ~r["is_stat_zone"]].reset_index(drop=True)

    @property
    def prefectures(self) -> pd.DataFrame:
        r = self.regions
        return r[r["level"] == "prefecture"].reset_index(drop=True)

    @property
    def provinces(self) -> pd.DataFrame:
        r = self.regions
        return r[r["level"] == "province"].reset_index(drop=True)

    @property
    def villages(self) -> pd.DataFrame:
        r = self.regions
        return r[r["level"] == "village"].reset_index(drop=True)


# --- the world ---------------------------------------------------------------------------


def load_bundled(source: Path, years: list[int]) -> World:
    def read(name: str) -> pd.DataFrame:
        df: pd.DataFrame = pq.read_table(source / TABLES[name].folder).to_pandas()
        return df

    items = read("plan_items")
    targets = read("targets")
    indicators = read("indicators")
    base_items = items[items["plan_year"] == BASE_YEAR]
    base_targets = targets[targets["plan_year"] == BASE_YEAR]
    return World(
        regions=read("regions"),
        plan_items=_repeat_years(base_items, years, ("due_date",)),
        # the base year's plan (one row an indicator): what the exports are made from
        indicators=indicators[indicators["plan_year"].isna() | (indicators["plan_year"] == BASE_YEAR)],
        targets=_repeat_years(base_targets, years, ("due_date",)),
        years=years,
    )


def _repeat_years(df: pd.DataFrame, years: list[int], date_cols: Sequence[str]) -> pd.DataFrame:
    """The 2023 plan copied to later years, dates moved with it (demo multi-year data)."""
    parts = []
    for year in years:
        part = df.copy()
        part["plan_year"] = year
        for col in date_cols:
            part[col] = part[col].map(lambda d, y=year: d.replace(year=y) if d is not None and pd.notna(d) else d)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def make_national_regions(rng: np.random.Generator) -> pd.DataFrame:
    """About 2,800 counties and 490,000 villages under 31 provinces, codes made up but well formed."""
    rows: list[tuple[object, ...]] = []
    # the 31 real province-level codes, so 430000 (the app's home province) exists here too
    province_codes = [
        f"{p}0000"
        for p in (
            11,
            12,
            13,
            14,
            15,
            21,
            22,
            23,
            31,
            32,
            33,
            34,
            35,
            36,
            37,
            41,
            42,
            43,
            44,
            45,
            46,
            50,
            51,
            52,
            53,
            54,
            61,
            62,
            63,
            64,
            65,
        )
    ]
    for prov in province_codes:
        rows.append((prov, None, "province", "province", f"演示省{prov[:2]}", None, None, None))
        for pi in range(1, int(rng.integers(9, 12)) + 1):
            pref = f"{prov[:2]}{pi:02d}00"
            rows.append((pref, prov, "prefecture", "prefecture", f"演示市{pref[:4]}", pref, None, None))
            for ci in range(1, int(rng.integers(8, 12)) + 1):
                county = f"{pref[:4]}{ci:02d}"
                rows.append((county, pref, "county", "county", f"演示县{county}", pref, county, None))
                n_town = int(rng.integers(10, 18))
                for ti in range(1, n_town + 1):
                    town = f"{county}{ti:03d}"
                    rows.append((town, county, "township", "town", f"演示镇{town}", pref, county, None))
                    for vi in range(1, int(rng.integers(8, 18)) + 1):
                        village = f"{town}{vi:03d}"
                        rows.append((village, town, "village", "village", f"演示村{village}", pref, county, None))
    df = pd.DataFrame(
        rows,
        columns=["region_code", "parent_code", "level", "kind", "name_zh", "prefecture_code", "county_code", "name_en"],
    )
    df["is_stat_zone"] = False
    df["host_code"] = None
    return df


def national_targets(
    world_regions: pd.DataFrame, indicators: pd.DataFrame, hunan_targets: pd.DataFrame
) -> pd.DataFrame:
    """Every made-up province gets Hunan's province targets; per-region minimums for all its units."""
    base = hunan_targets[hunan_targets["plan_year"] == BASE_YEAR]
    prov_rows = base[base["region_code"] == "430000"]
    rules = indicators.set_index("indicator_id")["target_rule"].to_dict()
    levels = indicators.set_index("indicator_id")["target_level"].to_dict()
    parts = []
    for prov in world_regions.loc[world_regions["level"] == "province", "region_code"]:
        p = prov_rows.copy()
        p["region_code"] = prov
        inside = world_regions[world_regions["region_code"].str.startswith(prov[:2])]
        for iid in p["indicator_id"]:
            if rules.get(iid) == "every_region_at_least":
                members = inside[inside["level"] == levels[iid]]
                p.loc[p["indicator_id"] == iid, "target_value"] = float(len(members))
                one = base[(base["indicator_id"] == iid) & (base["region_code"] != "430000")].iloc[:1]
                rep = one.loc[one.index.repeat(len(members))].copy()
                rep["region_code"] = members["region_code"].to_numpy()
                parts.append(rep)
        parts.append(p)
    out: pd.DataFrame = pd.concat(parts, ignore_index=True)
    return out


def national_world(source: Path, years: list[int], rng: np.random.Generator) -> World:
    bundled = load_bundled(source, [BASE_YEAR])
    regions = make_national_regions(rng)
    targets = national_targets(regions, bundled.indicators, bundled.targets)
    return World(
        regions=regions,
        plan_items=_repeat_years(bundled.plan_items, years, ("due_date",)),
        indicators=bundled.indicators,
        targets=_repeat_years(targets, years, ("due_date",)),
        years=years,
    )


# --- exports -------------------------------------------------------------------------------


@dataclass
class Pace:
    """How fast each prefecture and county moves (1 = on the plan's straight line)."""

    prefecture: dict[str, float]
    county: dict[str, float]
    reporting: dict[str, float]  # share of months a county reports


def make_pace(world: World, rng: np.random.Generator) -> Pace:
    prefs = list(world.prefectures["region_code"])
    # a spread from clearly ahead to clearly behind, shuffled so it is not in code order
    spread = np.linspace(1.25, 0.55, len(prefs))
    rng.shuffle(spread)
    prefecture = dict(zip(prefs, spread.round(3).tolist(), strict=True))
    county: dict[str, float] = {}
    reporting: dict[str, float] = {}
    for c in world.counties.itertuples():
        base = prefecture.get(str(c.prefecture_code), 1.0)
        county[str(c.region_code)] = float(np.clip(base * rng.normal(1.0, 0.12), 0.2, 1.6))
        reporting[str(c.region_code)] = float(np.clip(rng.normal(0.95, 0.06), 0.6, 1.0))
    return Pace(prefecture, county, reporting)


def _report_date(rng: np.random.Generator, period_end: dt.date, size: int) -> np.ndarray:
    """Days after month end a report arrives: mostly within the 5-day rule, a tail of late ones."""
    on_time = rng.integers(1, 6, size)
    late = rng.integers(6, 30, size)
    days = np.where(rng.random(size) < 0.85, on_time, late)
    return np.array([period_end + dt.timedelta(days=int(d)) for d in days], dtype=object)


# Monthly profile of each progress indicator: (kind of series, mean per county-month).
# "count" series are event counts; "yuan" amounts; "milestone_*" are reported by the
# association at that level; "special_*" are the coverage components of item 15.
PROFILES: dict[str, tuple[str, float]] = {
    "web_special_column_opened": ("milestone_province", 2),
    "publicity_articles": ("count", 3.0),
    "childcare_demo_institutions": ("milestone_province", 5),
    "caring_employers": ("milestone_province", 7),
    "health_campaign_events": ("count", 4.0),
    "family_health_funds_yuan": ("target_yuan", 0),
    "mushroom_poisoning_campaign_events": ("seasonal_count", 2.0),
    "youth_programme_sessions": ("count", 2.5),
    "youth_sanxiang_events": ("count", 0.6),
    "youth_demo_bases_new": ("bases", 0),
    "special_families_total": ("special_total", 0),
    "special_families_with_contact": ("special_share", 0.97),
    "special_families_green_channel": ("special_share", 0.93),
    "special_families_doctor_contract": ("special_share", 0.9),
    "warm_homes_built": ("count", 0.15),
    "livelihood_project_funds_yuan": ("yuan", 60000.0),
    "livelihood_beneficiaries": ("count", 40.0),
    "fund_performance_evaluation_done": ("milestone_province", 6),
    "fertility_care_fund_yuan": ("yuan", 8000.0),
    "national_projects_applied": ("count", 0.05),
    "legal_aid_cases": ("count", 0.4),
    "migrant_service_events": ("count", 1.5),
    "migrant_observation_meeting_held": ("milestone_province", 9),
    "study_trips_held": ("milestone_province_twice", 5),
    "election_province_held": ("milestone_province", 4),
    "election_prefecture_held": ("milestone_prefecture", 0),
    "election_county_held": ("milestone_county", 0),
    "president_visits": ("milestone_prefecture", 0),
    "presidents_forum_held": ("milestone_province", 8),
    "service_functions_taken_over": ("count", 0.1),
    "foundation_projects": ("count", 0.05),
    "hospital_associations_new": ("count", 0.2),
    "professionals_recruited": ("count", 5.0),
    "venue_service_events": ("count", 3.0),
    "member_day_events": ("milestone_prefecture_may", 0),
    "world_population_day_events": ("dated_count", 7),
    "world_aids_day_events": ("dated_count", 12),
    "online_posts": ("count", 6.0),
    "magazine_activities": ("count", 0.5),
}


def progress_rows(world: World, pace: Pace, year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly reports for every indicator whose values come from the progress export."""
    # ratios are composed from their components, never reported themselves
    inds = world.indicators[(world.indicators["source_table"] == "progress") & (world.indicators["kind"] != "ratio")]
    months = month_ends(year)
    counties = list(world.counties["region_code"])
    county_pref = dict(zip(world.counties["region_code"], world.counties["prefecture_code"], strict=True))
    # which county-months arrive at all (shared by every indicator: a report is one file)
    reported = {c: rng.random(12) < pace.reporting[c] for c in counties}
    special_total = {c: int(rng.integers(40, 420)) for c in counties}
    cols: dict[str, list[object]] = {
        k: [] for k in ("indicator_id", "region_code", "period_end", "value", "reported_at")
    }

    def add(iid: str, code: str, m: int, value: float | None, late: bool = True) -> None:
        cols["indicator_id"].append(iid)
        cols["region_code"].append(code)
        cols["period_end"].append(months[m])
        cols["value"].append(value)
        cols["reported_at"].append(_report_date(rng, months[m], 1)[0] if late else months[m] + dt.timedelta(days=3))

    targets = world.targets[world.targets["plan_year"] == year]
    pref_targets = {
        (str(t.indicator_id), str(t.region_code)): float(t.target_value)  # type: ignore[arg-type]
        for t in targets.itertuples()
    }
    n_counties = pd.Series(list(county_pref.values())).value_counts().to_dict()
    for ind in inds.sort_values("indicator_id").itertuples():
        iid = str(ind.indicator_id)
        profile, param = PROFILES.get(iid, ("count", 1.0))
        if profile.startswith("milestone_province"):
            for prov in world.provinces["region_code"]:
                done = {int(param) - 1}
                if profile.endswith("twice"):
                    done.add(int(param) + 4)
                for m in range(12):
                    add(iid, str(prov), m, 1.0 if m in done else 0.0, late=False)
            continue
        if profile.startswith("milestone_prefecture"):
            for pref in world.prefectures["region_code"]:
                speed = pace.prefecture[str(pref)]
                if profile.endswith("may"):
                    month = 4 if speed > 0.7 else 5  # the slowest hold their member-day events late
                else:
                    # faster prefectures finish earlier; the slowest may not finish in the year
                    month = round(rng.normal(3 + (1.3 - speed) * 10, 1.5))
                for m in range(12):
                    add(iid, str(pref), m, 1.0 if m == month else 0.0, late=False)
            continue
        if profile == "milestone_county":
            for c in counties:
                month = round(rng.normal(4 + (1.3 - pace.county[c]) * 10, 2))
                for m in range(12):
                    if reported[c][m]:
                        add(iid, c, m, 1.0 if m == month else 0.0)
            continue
        if profile == "bases":
            # one base per prefecture in most, two in fast ones, none yet in the slowest
            for pref in world.prefectures["region_code"]:
                speed = pace.prefecture[str(pref)]
                in_pref = [c for c in counties if county_pref[c] == pref]
                n_bases = 0 if speed < 0.65 else (2 if speed > 1.15 else 1)
                chosen = set(rng.choice(in_pref, size=min(n_bases, len(in_pref)), replace=False) if in_pref else [])
                for c in in_pref:
                    month = int(np.clip(round(rng.normal(5 + (1.2 - speed) * 6, 1.5)), 0, 11))
                    for m in range(12):
                        if reported[c][m]:
                            add(iid, c, m, 1.0 if (c in chosen and m == month) else 0.0)
            continue
        for c in counties:
            speed = pace.county[c]
            for m in range(12):
                if not reported[c][m]:
                    continue
                if profile == "target_yuan":
                    pref = county_pref[c]
                    pref_target = pref_targets.get((iid, pref), 0.0)
                    n_in_pref = n_counties[pref]
                    # money flows slower early in the year than late: the monthly weights
                    # rise from 0.6 to 1.4 of an even twelfth and add up to 1
                    weight = (0.6 + 0.8 * m / 11) / 12
                    value = round(pref_target / max(n_in_pref, 1) * weight * speed * rng.normal(1.0, 0.15), -2)
                elif profile == "yuan":
                    value = round(param * speed * rng.gamma(2.0, 0.5), -2)
                elif profile == "seasonal_count":
                    # wild mushroom season: May to September
                    value = float(rng.poisson(param * speed * (3 if 4 <= m <= 8 else 0.2)))
                elif profile == "dated_count":
                    value = float(rng.poisson(5 * speed)) if m == int(param) - 1 else 0.0
                elif profile == "special_total":
                    value = float(special_total[c] + m // 4)
                elif profile == "special_share":
                    share = min(1.0, param * (0.9 + 0.1 * (m + 1) / 12) * min(speed, 1.08))
                    value = float(int((special_total[c] + m // 4) * share))
                else:
                    value = float(rng.poisson(param * speed))
                add(iid, c, m, max(value, 0.0))
    df = pd.DataFrame(cols)
    df["plan_year"] = year
    # a handful of blank cells: sent the report, left one figure empty
    blank = rng.random(len(df)) < 0.004
    df.loc[blank, "value"] = None
    return df.sort_values(["indicator_id", "region_code", "period_end"], ignore_index=True)


def instructor_rows(world: World, pace: Pace, year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Instructors in post, per village-level unit and month, for every real village."""
    v = world.villages
    n = len(v)
    county = v["county_code"].to_numpy()
    speed = np.array([pace.county.get(c, 1.0) for c in county])
    # instructors at the start of the year, then recruits over the year at each county's pace
    start = rng.choice([0, 1, 2, 3], size=n, p=[0.08, 0.27, 0.5, 0.15])
    hire_month = np.where(start < 2, rng.integers(0, 12, n) / np.clip(speed, 0.3, None), 99).astype(int)
    never_reports = rng.random(n) < np.where(speed < 0.7, 0.08, 0.015)
    report_p = np.clip(0.75 + 0.2 * speed, 0.5, 0.99)
    months = month_ends(year)
    parts = []
    for m, end in enumerate(months):
        in_post = start + np.where(hire_month <= m, 2 - np.minimum(start, 2), 0)
        # a few leave during the year
        in_post = np.maximum(in_post - (rng.random(n) < 0.004), 0)
        sends = (rng.random(n) < report_p) & ~never_reports
        idx = np.flatnonzero(sends)
        parts.append(
            pd.DataFrame(
                {
                    "region_code": v["region_code"].to_numpy()[idx],
                    "period_end": end,
                    "instructors_in_post": in_post[idx].astype("int16"),
                    "reported_at": _report_date(rng, end, len(idx)),
                }
            )
        )
    df = pd.concat(parts, ignore_index=True)
    df["plan_year"] = year
    return df.sort_values(["region_code", "period_end"], ignore_index=True)


OPERATORS = ("public", "enterprise", "community", "private_inclusive", "other")
POINT_SUFFIXES = ("社区普惠托育点", "幼儿园托班", "婴幼儿照护服务中心", "企业职工托育室", "托育服务站")


def childcare_rows(world: World, pace: Pace, year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Inclusive childcare points per the prefectures' allocation, each moving through its pipeline."""
    targets = world.targets[
        (world.targets["plan_year"] == year) & (world.targets["indicator_id"] == "childcare_points_open")
    ]
    per_pref = dict(zip(targets["region_code"], targets["target_value"], strict=True))
    towns = world.regions[world.regions["level"] == "township"]
    rows = []
    for pref in world.prefectures["region_code"]:
        planned_n = int(per_pref.get(pref, 1))
        speed = pace.prefecture[str(pref)]
        counties = world.counties[world.counties["prefecture_code"] == pref]
        if counties.empty:
            continue
        for k in range(planned_n + int(rng.random() < 0.25)):  # some plan one spare point
            c = counties.iloc[int(rng.integers(0, len(counties)))]
            town_names = towns.loc[towns["county_code"] == c["region_code"], "name_zh"]
            town = str(town_names.iloc[int(rng.integers(0, len(town_names)))]) if len(town_names) else str(c["name_zh"])
            planned_on = dt.date(year, int(rng.integers(1, 4)), int(rng.integers(1, 28)))
            build = planned_on + dt.timedelta(days=int(rng.integers(20, 90) / speed))
            opened = build + dt.timedelta(days=int(rng.integers(45, 140) / speed))
            year_end = dt.date(year, 12, 31)
            status = "planned"
            started = opened_on = paid = closed = None
            if build <= year_end:
                status, started = "under_construction", build
            if opened <= year_end:
                status, opened_on = "open", opened
                paid = opened + dt.timedelta(days=int(rng.integers(5, 40)))
                paid = paid if paid <= year_end else None
            if status == "open" and rng.random() < 0.03:
                closed = min(year_end, opened + dt.timedelta(days=int(rng.integers(30, 120))))
                status = "closed"
            rows.append(
                {
                    "point_id": f"CC{year}-{pref[:4]}-{k + 1:02d}",
                    "plan_year": year,
                    "region_code": c["region_code"],
                    "name_zh": f"{town}{POINT_SUFFIXES[int(rng.integers(0, len(POINT_SUFFIXES)))]}",
                    "operator_type": OPERATORS[int(rng.integers(0, len(OPERATORS)))],
                    "places": int(rng.integers(2, 16)) * 10,
                    "subsidy_yuan": 50000.0,
                    "status": status,
                    "planned_on": planned_on,
                    "construction_started_on": started,
                    "opened_on": opened_on,
                    "closed_on": closed,
                    "subsidy_paid_on": paid,
                    "reported_at": min(
                        year_end + dt.timedelta(days=5), (opened_on or build or planned_on) + dt.timedelta(days=10)
                    ),
                }
            )
    return pd.DataFrame(rows)


CLASS_TITLES = {
    "instructor_trainer": "家庭健康指导员师资培训班",
    "youth_trainer": "青春健康师资培训班",
    "capacity_building": "计生协工作者能力建设培训班",
    "other": "计生协业务培训班",
}


def training_rows(world: World, pace: Pace, year: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Provincial classes the plan names, plus prefecture and county classes, with participants."""
    classes: list[dict[str, object]] = []

    def add(kind: str, level: str, code: str, planned: dt.date, speed: float, name: str) -> None:
        slip = int(rng.normal((1.1 - speed) * 40, 12))
        start = planned + dt.timedelta(days=max(slip, -10))
        held = start <= dt.date(year, 12, 20) and rng.random() < 0.97
        days = int(rng.integers(2, 5))
        classes.append(
            {
                "class_id": f"TR{year}-{code}-{kind[:3]}-{len(classes) + 1:04d}",
                "plan_year": year,
                "kind": kind,
                "title_zh": f"{name}{year}年{CLASS_TITLES[kind]}",
                "level": level,
                "region_code": code,
                "planned_start": planned,
                "start_date": start if held else None,
                "end_date": start + dt.timedelta(days=days - 1) if held else None,
                "status": "held" if held else "planned",
                "reported_at": (start + dt.timedelta(days=days + 3)) if held else dt.date(year, 12, 31),
            }
        )

    for prov in world.provinces.itertuples():
        name = str(prov.name_zh)
        add("instructor_trainer", "province", str(prov.region_code), dt.date(year, 4, 10), 1.0, name)
        add("capacity_building", "province", str(prov.region_code), dt.date(year, 6, 12), 1.0, name)
        add("youth_trainer", "province", str(prov.region_code), dt.date(year, 9, 18), 1.0, name)
    for pref in world.prefectures.itertuples():
        speed = pace.prefecture[str(pref.region_code)]
        add(
            "instructor_trainer",
            "prefecture",
            str(pref.region_code),
            dt.date(year, 5, int(rng.integers(5, 28))),
            speed,
            str(pref.name_zh),
        )
        if rng.random() < 0.5:
            add(
                "other",
                "prefecture",
                str(pref.region_code),
                dt.date(year, 8, int(rng.integers(1, 28))),
                speed,
                str(pref.name_zh),
            )
    for c in world.counties.itertuples():
        if rng.random() < 0.35:
            add(
                "other",
                "county",
                str(c.region_code),
                dt.date(year, int(rng.integers(3, 12)), int(rng.integers(1, 28))),
                pace.county[str(c.region_code)],
                str(c.name_zh),
            )
    trainings = pd.DataFrame(classes)

    counties = world.counties
    parts = []
    for cls in trainings[trainings["status"] == "held"].itertuples():
        if cls.level == "province":
            pool = counties
        elif cls.level == "prefecture":
            pool = counties[counties["prefecture_code"] == cls.region_code]
        else:
            pool = counties[counties["region_code"] == cls.region_code]
        for c in pool.itertuples():
            speed = pace.county[str(c.region_code)]
            enrolled = int(rng.integers(1, 4) if cls.level == "province" else rng.integers(3, 30))
            attended = int(np.clip(round(enrolled * rng.uniform(0.8, 1.0)), 0, enrolled))
            completed = int(np.clip(round(attended * min(1.0, rng.uniform(0.7, 1.0) * speed)), 0, attended))
            parts.append(
                {
                    "class_id": cls.class_id,
                    "region_code": c.region_code,
                    "enrolled": enrolled,
                    "attended": attended,
                    "completed": completed,
                    "reported_at": cls.reported_at,
                }
            )
    return trainings, pd.DataFrame(parts)


# --- the command -----------------------------------------------------------------------------


def generate(
    out: Path, *, scale: str = "hunan", years: int = 1, seed: int = DEFAULT_SEED, source: Path = DEFAULT_DATA_DIR
) -> dict[str, int]:
    """Write a complete demo data folder to ``out``; return the row count of each table."""
    rng = np.random.default_rng(seed)
    plan_years = [BASE_YEAR + i for i in range(years)]
    if scale == "hunan":
        world = load_bundled(source, plan_years)
    elif scale == "national":
        world = national_world(source, plan_years, rng)
    else:
        raise ValueError(f"unknown scale {scale!r}: hunan or national")
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    same_folder = out.resolve() == source.resolve()
    # reference and plan: real tables copied (hunan) or the made-up world (national)
    if scale == "hunan" and not same_folder:
        for name in ("regions", "population", "plans", "plan_items", "indicators", "targets", "target_schedules"):
            src = source / TABLES[name].folder
            dst = out / TABLES[name].folder
            if not src.is_dir():
                continue
            if dst.exists():
                shutil.rmtree(dst)
            shutil.copytree(src, dst)
        boundaries = source / "reference" / "boundaries"
        if boundaries.is_dir():
            shutil.copytree(boundaries, out / "reference" / "boundaries", dirs_exist_ok=True)
    if scale == "national":
        write_table(out, TABLES["regions"], world.regions, demo=True)
        write_table(out, TABLES["plan_items"], world.plan_items, demo=False)
        write_table(out, TABLES["indicators"], _repeat_years(world.indicators, plan_years, ()), demo=False)
        write_table(out, TABLES["targets"], world.targets, demo=True)
        # the bundled plan schedules no target (its table is empty): the made-up provinces neither
        schedules = source / TABLES["target_schedules"].folder
        if schedules.is_dir():
            shutil.copytree(schedules, out / TABLES["target_schedules"].folder, dirs_exist_ok=True)
        pop = source / TABLES["population"].folder
        if pop.is_dir():
            shutil.copytree(pop, out / TABLES["population"].folder, dirs_exist_ok=True)
    elif years > 1:
        # each plan year has its own indicators (the 2023 list, repeated)
        write_table(out, TABLES["indicators"], _repeat_years(world.indicators, plan_years, ()), demo=False)
        write_table(out, TABLES["plan_items"], world.plan_items, demo=False)
        write_table(out, TABLES["targets"], world.targets, demo=False)
    pace = make_pace(world, rng)
    tables: dict[str, list[pd.DataFrame]] = {
        k: [] for k in ("progress", "instructors", "childcare_points", "trainings", "training_participants")
    }
    for year in plan_years:
        tables["progress"].append(progress_rows(world, pace, year, rng))
        tables["instructors"].append(instructor_rows(world, pace, year, rng))
        tables["childcare_points"].append(childcare_rows(world, pace, year, rng))
        trainings, participants = training_rows(world, pace, year, rng)
        tables["trainings"].append(trainings)
        tables["training_participants"].append(participants)
    for name, frames in tables.items():
        df = pd.concat(frames, ignore_index=True)
        write_table(out, TABLES[name], df, demo=True, partition=scale == "national" and name in PARTITIONED)
        counts[name] = len(df)
    manifest = {
        "demo": True,
        "scale": scale,
        "seed": seed,
        "plan_years": plan_years,
        "format": FORMAT,
        "generated_by": f"python -m analytics.demo --scale {scale} --years {years} --seed {seed}",
        "description": (
            "Progress exports are deterministic demo data made by analytics/demo.py; "
            "regions, plan and population are real (see reference/SOURCES.md)."
            if scale == "hunan"
            else "Everything in this folder is made up for benchmarks, regions included."
        ),
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analytics.demo", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--scale", choices=("hunan", "national"), default="hunan")
    parser.add_argument("--years", type=int, default=1, help="plan years from 2023 (default 1)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_DATA_DIR, help="data folder to write (default: the bundled data/)"
    )
    parser.add_argument(
        "--source", type=Path, default=DEFAULT_DATA_DIR, help="folder with the real reference and plan tables"
    )
    args = parser.parse_args(argv)
    counts = generate(args.out, scale=args.scale, years=args.years, seed=args.seed, source=args.source)
    for name, n in counts.items():
        print(f"{name:24s} {n:>10,d} rows")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
