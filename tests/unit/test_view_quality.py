"""The data quality page's view model (views/quality.view) on the bundled data: its figures agree
with pandas straight over the Parquet files (tests/unit/quality_independent.py), the outlier
choices are fitted to what is flagged, and the contract's checks are left to the page when asked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from analytics import db
from tests.unit import quality_independent as independent
from views import quality
from views.filters import Filters
from views.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return db.connect(db.published_dir(ROOT / "data"))


def _values(metrics: tuple[quality.Metric, ...]) -> dict[str, str]:
    return {m.label: m.value for m in metrics}


@pytest.mark.parametrize(("lang", "region", "as_of"), [("zh", "430000", "2023-12-31"), ("en", "430900", "2023-06-30")])
def test_figures_equal_pandas(con: duckdb.DuckDBPyConnection, lang: str, region: str, as_of: str) -> None:
    day = dt.date.fromisoformat(as_of)
    model = quality.view(con, Filters(lang, 2023, day, region=region))
    c = catalog(lang)
    prefecture = None if region == "430000" else region
    reports = independent.reporting(prefecture, day)
    shown = _values(model.reporting.metrics)
    assert shown[c["quality.reporting.expected"]] == f"{reports['expected']:,}"
    assert shown[c["quality.reporting.received"]] == f"{reports['received']:,}"
    assert shown[c["quality.reporting.completeness"]] == f"{reports['received'] / reports['expected']:.1%}"
    assert shown[c["quality.reporting.timeliness"]] == f"{reports['on_time'] / reports['expected']:.1%}"
    assert shown[c["quality.reporting.figure_timeliness"]] == f"{reports['figures_on_time'] / reports['figures']:.1%}"
    # the table by region adds up to the same reports
    assert model.reporting.table["expected"].sum() == reports["expected"]
    assert model.reporting.table["received"].sum() == reports["received"]
    villages = independent.villages(prefecture, day)
    shown = _values(model.villages.metrics)
    assert shown[c["quality.villages.units"]] == f"{villages['units']:,}"
    assert shown[c["quality.villages.never"]] == f"{villages['never_reported']:,}"
    assert len(model.villages.never) == villages["never_reported"]
    # the contract's checks ran (the default), and the demo data breaks no rule
    assert model.contract is not None and model.contract.checks > 0
    assert model.rules_none(model.contract) == c["quality.rules.none"].format(
        n=model.contract.checks + model.consistency.checks
    )
    region_name = c["filters.whole_province"] if region == "430000" else "Yiyang"
    assert model.download_notes[0] == c["quality.download_note"].format(as_of=as_of, region=region_name)


def test_outlier_choices_are_fitted_to_what_is_flagged(con: duckdb.DuckDBPyConnection) -> None:
    f = Filters("zh", 2023, dt.date(2023, 12, 31))
    everything = quality.view(con, f, contract_checks=False)
    assert everything.contract is None
    o = everything.outliers
    assert o.indicator == "" and len(o.table) == len(o.flags) > 0
    assert next(iter(o.indicators)) == "" and o.indicators[""] == catalog("zh")["quality.outliers.all"]
    # the first flagged series is drawn unless another is chosen
    assert o.series == next(iter(o.series_options)) and o.chart is not None
    chosen = list(o.indicators)[1]
    narrowed = quality.view(con, f, outlier_indicator=chosen, contract_checks=False).outliers
    assert narrowed.indicator == chosen
    assert len(narrowed.table) == int((o.flags["indicator_id"] == chosen).sum()) < len(o.table)
    assert all(key.endswith(f"|{chosen}") for key in narrowed.series_options)
    # an indicator or a series not flagged now falls back: all indicators, the first series
    unknown = quality.view(con, f, outlier_indicator="nope", outlier_series="x|y", contract_checks=False).outliers
    assert unknown.indicator == "" and unknown.series == o.series


def test_skipped_files_notice_names_each_file_and_why() -> None:
    assert quality.skipped_notice([], "en") == ""
    skipped = [db.SkippedFile(file="progress/x.parquet", table="progress", missing=("value",))]
    notice = quality.skipped_notice(skipped, "en")
    c = catalog("en")
    assert notice.startswith(c["quality.skipped.title"].format(n=1))
    assert "`progress/x.parquet` (progress): " + c["quality.skipped.missing"].format(columns="value") in notice
