"""Whose plan a plan year is: the association, its notice, its province and its size, as the
pages' titles, the overview's introduction and the meeting pack's cover say them.

All of it comes from the plan year's row of ``plans`` (the workbook's 计划 sheet) and its items,
never from a fixed "湖南": another province's workbook gives its own association and notice. A
year without a ``plans`` row (data published before plans had one) names no association and
no notice, and lies in :data:`views.filters.PROVINCE_CODE`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import queries
from views import format as fmt
from views.filters import PROVINCE_CODE
from views.i18n import text

# 湘计生协发〔2023〕2号: the year and number of a notice, the part an English reader can use
_NOTICE = re.compile(r"[〔\[(（](\d{4})[〕\])）]\s*(\d+)\s*号")


@dataclass(frozen=True)
class PlanHeading:
    province: str  # the province the plan's targets lie in (plans.province_code)
    association: str  # the association's name in the language asked for
    notice: str  # the notice's number (Chinese), or its year and number in English
    areas: str  # how many areas and items, as the language writes them (九 / 9)
    items: str

    def values(self) -> dict[str, str]:
        """The placeholders a catalog text about the plan may use."""
        return {"association": self.association, "notice": self.notice, "areas": self.areas, "items": self.items}


def notice_en(notice_no: str) -> str:
    """A notice number for an English reader: "湘计生协发〔2023〕2号" → "notice No. 2 of 2023"
    (the prefix is the issuing body's abbreviation, which has no English form)."""
    found = _NOTICE.search(notice_no)
    return text("plan.notice_en", "en", no=found.group(2), year=found.group(1)) if found else ""


def province(con: duckdb.DuckDBPyConnection, *, plan_year: int) -> str:
    """The province of ``plan_year``'s plan (its workbook's province_code)."""
    row = queries.plan(con, plan_year=plan_year)
    code = row["province_code"].iloc[0] if len(row) else None
    return str(code) if code is not None and not pd.isna(code) and str(code).strip() else PROVINCE_CODE


def heading(con: duckdb.DuckDBPyConnection, *, plan_year: int, lang: str) -> PlanHeading:
    """The plan year's association, notice, province and size in ``lang``."""
    row = queries.plan(con, plan_year=plan_year)
    items = queries.plan_items(con, plan_year=plan_year)
    n_items, n_areas = len(items), int(items["area_no"].nunique()) if len(items) else 0
    count = fmt.numeral_zh if lang == "zh" else str
    plan = row.iloc[0].to_dict() if len(row) else {}

    def given(name: str) -> str:
        value = plan.get(name)
        return "" if value is None or pd.isna(value) else str(value).strip()

    if lang == "zh":
        association, notice = given("association_zh"), given("notice_no")
    else:
        association, notice = given("association_en"), notice_en(given("notice_no"))
    return PlanHeading(
        province=province(con, plan_year=plan_year),
        association=association or text("plan.association_unnamed", lang),
        notice=notice or text("plan.notice_unnamed", lang),
        areas=count(n_areas),
        items=count(n_items),
    )
