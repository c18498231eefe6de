"""The training page in AppTest: what it shows equals a pandas count over the bundled Parquet,
in both languages, and its own filters narrow the list of units short of 2 instructors."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import db
from tests.app.test_pages import run_page
from ui.i18n import catalog

PAGE = "pages/training.py"


def _categories(as_of: str, prefecture: str | None = None) -> pd.Series:
    """Village-level units by category at ``as_of``, counted with pandas alone."""
    units = pd.read_parquet(db.DEFAULT_DATA_DIR / "reference" / "regions").query("level == 'village'")
    if prefecture:
        units = units[units["prefecture_code"] == prefecture]
    ins = pd.read_parquet(db.DEFAULT_DATA_DIR / "exports" / "instructors")
    ins = ins[(ins["plan_year"] == 2023) & (pd.to_datetime(ins["period_end"]) <= pd.Timestamp(as_of))]
    last = ins.sort_values("period_end").groupby("region_code")["instructors_in_post"].last()
    n = units["region_code"].map(last)
    return pd.Series(
        {
            "covered": int((n >= 2).sum()),
            "short": int((n < 2).sum()),
            "no_report": int(n.isna().sum()),
            "units": len(units),
        }
    )


def _short_table(at, lang: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The list of units short of 2 (AppTest's dataframes carry no key: found by its code column)."""
    code = catalog(lang)["training.col.code"]
    return next(d.value for d in at.dataframe if code in d.value.columns)


def _metrics(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize(("lang", "region", "as_of"), [("zh", "430000", "2023-12-31"), ("en", "430800", "2023-06-30")])
def test_page_counts_equal_pandas(lang: str, region: str, as_of: str) -> None:
    at = run_page(PAGE, lang=lang, region=region, as_of=as_of)
    assert not at.exception, [e.message for e in at.exception]
    c = catalog(lang)
    shown = _metrics(at)
    expected = _categories(as_of, None if region == "430000" else region)
    assert shown[c["training.cat.covered"]] == f"{expected['covered']:,}"
    assert shown[c["training.cat.short"]] == f"{expected['short']:,}"
    assert shown[c["training.cat.no_report"]] == f"{expected['no_report']:,}"
    assert shown[c["training.coverage.units"]] == f"{expected['units']:,}"
    assert shown[c["training.coverage.share"]] == f"{expected['covered'] / expected['units']:.1%}"
    if region == "430000":
        assert expected["units"] == 29_534
    # the list of units short of 2 holds every unit that is not covered
    table = _short_table(at, lang)
    assert len(table) == expected["short"] + expected["no_report"]


def test_short_list_filters_narrow_the_list() -> None:
    at = run_page(PAGE, lang="zh", region="430100", as_of="2023-12-31")
    everything = len(_short_table(at, "zh"))
    at.selectbox(key="training_short_category").set_value("no_report").run()
    unreported = _short_table(at, "zh")
    expected = _categories("2023-12-31", "430100")
    assert len(unreported) == expected["no_report"] < everything
    assert set(unreported[catalog("zh")["training.col.category"]]) == {catalog("zh")["training.cat.no_report"]}
    county = at.selectbox(key="training_short_county").options[1]
    at.selectbox(key="training_short_county").select(county).run()
    narrowed = _short_table(at, "zh")
    assert 0 < len(narrowed) <= len(unreported)


def test_short_list_cells_read_as_reported() -> None:
    # a unit that never reported reads 未报送 in both the count and the month; one that did shows
    # its count, the month of its last report and the day it arrived (from the export itself)
    at = run_page(PAGE, lang="zh", region="430100", as_of="2023-12-31")
    c = catalog("zh")
    table = _short_table(at, "zh").set_index(c["training.col.code"])
    never = table[table[c["training.col.category"]] == c["training.cat.no_report"]]
    assert len(never) > 0
    assert set(never[c["training.col.instructors"]]) == {c["training.no_report"]}
    assert set(never[c["training.col.last_report"]]) == {c["training.no_report"]}
    assert set(never[c["training.col.received"]]) == {""}
    ins = pd.read_parquet(db.DEFAULT_DATA_DIR / "exports" / "instructors")
    ins = ins[(ins["plan_year"] == 2023) & (pd.to_datetime(ins["period_end"]) <= pd.Timestamp("2023-12-31"))]
    last = ins.sort_values("period_end").groupby("region_code").last()
    short = table[table[c["training.col.category"]] == c["training.cat.short"]]
    assert len(short) > 0
    for code, row in short.head(20).iterrows():
        expected = last.loc[code]
        assert row[c["training.col.instructors"]] == str(int(expected["instructors_in_post"]))
        assert row[c["training.col.last_report"]] == pd.Timestamp(expected["period_end"]).strftime("%Y-%m")
        assert row[c["training.col.received"]] == pd.Timestamp(expected["reported_at"]).strftime("%Y-%m-%d")
