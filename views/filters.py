"""The one filters type: what a user chose in the sidebar (and the URL), for pages, pack and benchmark."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analytics.attainment import judged_date

# the province a plan year without a plans row is of (data published before plans had a row),
# and the default region of a Filters made in code; the app's sidebar starts from the plan
# year's own province (plans.province_code, ui/state.render_global_filters)
PROVINCE_CODE = "430000"


def province_of(region: str) -> str:
    """The province a region lies in: a division code's first two digits name its province
    (GB/T 2260), so 420100 lies in 420000 and 430000 is its own."""
    return f"{region[:2]}0000"


@dataclass(frozen=True)
class Filters:
    """Language, plan year, as-of date and region (the province, or one prefecture).

    ``data_version`` names the data the view reads (a cache key; empty outside the app);
    ``present`` is the meeting room's presentation mode (large type, one chart a screen).
    """

    lang: str
    plan_year: int
    as_of: dt.date
    region: str = PROVINCE_CODE
    data_version: str = ""
    present: bool = False

    @property
    def province(self) -> str:
        """The province of the chosen region (the plan year's province: the sidebar offers only its regions)."""
        return province_of(self.region)

    @property
    def own_level(self) -> str:
        """The level of the chosen region."""
        return "province" if self.region == self.province else "prefecture"

    @property
    def level_below(self) -> str:
        """The level a breakdown of ``region`` shows: prefectures of the province, counties of a prefecture."""
        return "prefecture" if self.region == self.province else "county"

    @property
    def previous_month_end(self) -> dt.date:
        """The month end before the judged one (for 15 July: 31 May, the month before 30 June):
        what "since last month" compares with."""
        return self.judged_on.replace(day=1) - dt.timedelta(days=1)

    @property
    def judged_on(self) -> dt.date:
        """The date figures are judged at: the last complete month end on or before the as-of date."""
        return judged_date(self.as_of, self.plan_year)

    def query_params(self) -> dict[str, str]:
        """The URL parameters that open this view in the app."""
        return {
            "lang": self.lang,
            "year": str(self.plan_year),
            "as_of": self.as_of.isoformat(),
            "region": self.region,
        }


def default_as_of(status: pd.DataFrame, plan_year: int) -> dt.date:
    """The latest month the progress export covers, inside the plan year (``status``: data_status)."""
    through = status["progress_through"].iloc[0] if len(status) else None
    year_end = dt.date(plan_year, 12, 31)
    if through is None or pd.isna(through):
        return year_end
    through = pd.Timestamp(through).date()
    if through.year != plan_year:
        return year_end if through.year > plan_year else dt.date(plan_year, 1, 31)
    return through
