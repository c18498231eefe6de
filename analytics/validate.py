"""Check a table against the data contract: columns, types, nulls, allowed values, keys, rules.

Each problem names the table, the column, the rows and the offending value, so a
report can say exactly what is wrong and where. The import command (issue: import and
data quality) builds its report on these; the tests run them over the bundled data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics.contract import TABLES, Limit, Rule, Table

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Problem:
    table: str
    column: str
    reason: str
    rows: tuple[int, ...] = ()  # 0-based row numbers in the checked table (first few)
    n_rows: int = 0  # how many rows have the problem
    value: str = ""
    code: str = ""  # what kind of problem, for reports in other languages (analytics/ingest/)
    detail: Mapping[str, str] = field(default_factory=dict)  # what the message needs (a limit, a status)

    def __str__(self) -> str:
        where = f" rows {', '.join(str(r + 1) for r in self.rows)}" if self.rows else ""
        more = f" (+{self.n_rows - len(self.rows)} more)" if self.n_rows > len(self.rows) else ""
        value = f": {self.value}" if self.value else ""
        return f"{self.table}.{self.column}{where}{more}: {self.reason}{value}"


def _rows(mask: pd.Series) -> tuple[tuple[int, ...], int]:
    idx = mask[mask].index
    return tuple(int(i) for i in idx[:MAX_EXAMPLES]), len(idx)


def check_schema(table: Table, schema: pa.Schema) -> list[Problem]:
    """Missing columns and columns of the wrong type (extra columns are allowed and ignored)."""
    problems = []
    for want in table.schema:
        if want.name not in schema.names:
            problems.append(Problem(table.name, want.name, "required column is missing"))
            continue
        got = schema.field(want.name).type
        if got != want.type and not (pa.types.is_dictionary(got) and got.value_type == want.type):
            problems.append(Problem(table.name, want.name, f"type is {got}, the contract says {want.type}"))
    return problems


def check_values(
    table: Table,
    df: pd.DataFrame,
    regions: pd.DataFrame | None = None,
    *,
    reported: Mapping[str, pd.Series] | None = None,
) -> list[Problem]:
    """Nulls, keys and every rule of ``table`` on a DataFrame that already has the contract's columns.

    ``reported`` (column → mask) names cells already reported as unreadable (a date that does not
    exist): they are empty here, and saying so again would report one mistake twice.
    """
    problems: list[Problem] = []
    df = df.reset_index(drop=True)
    for f in table.schema:
        if not f.nullable and f.name in df:
            empty = df[f.name].isna()
            if reported and f.name in reported:
                empty &= ~reported[f.name].reset_index(drop=True).fillna(False).astype(bool)
            rows, n = _rows(empty)
            if n:
                problems.append(
                    Problem(table.name, f.name, "empty value in a required column", rows, n, code="required")
                )
    key = list(table.key)
    if all(k in df for k in key):
        dup = df.duplicated(subset=key, keep=False)
        rows, n = _rows(dup)
        if n:
            example = [str(df.at[rows[0], k]) for k in key]
            problems.append(
                Problem(table.name, "+".join(key), "duplicate key", rows, n, " / ".join(example), "duplicate_key")
            )
    for rule in table.rules:
        problems.extend(_check_rule(table, df, rule, regions))
    return problems


def _check_rule(table: Table, df: pd.DataFrame, rule: Rule, regions: pd.DataFrame | None) -> list[Problem]:
    col = df.get(rule.column)
    if col is None:
        return []
    present = col.notna()
    if rule.check == "allowed":
        allowed = set(rule.arg)  # type: ignore[call-overload]
        bad = present & ~col.isin(allowed)
        reason = f"not an allowed value ({rule.doc})"
        code = "not_allowed"
    elif rule.check == "non_negative":
        bad = present & (pd.to_numeric(col, errors="coerce") < 0)
        reason = "negative value"
        code = "negative"
    elif rule.check == "month_end":
        dates = pd.to_datetime(col, errors="coerce")
        bad = present & ~dates.dt.is_month_end.fillna(False).astype(bool)
        reason = "not the last day of a month"
        code = "not_month_end"
    elif rule.check == "le":
        other = df.get(str(rule.arg))
        if other is None:
            return []
        bad = present & other.notna() & (col > other)
        reason = rule.doc or f"{rule.column} must not exceed {rule.arg}"
        code = "greater_than"
    elif rule.check == "region_level":
        if regions is None:
            return []
        levels = regions.set_index("region_code")["level"]
        known = col.map(levels)
        unknown = present & known.isna()
        wrong = present & known.notna() & ~known.isin(set(rule.arg))  # type: ignore[call-overload]
        out = []
        rows, n = _rows(unknown)
        if n:
            out.append(
                Problem(
                    table.name,
                    rule.column,
                    "code not in the region table",
                    rows,
                    n,
                    str(col[rows[0]]),
                    "unknown_region",
                )
            )
        rows, n = _rows(wrong)
        if n:
            wanted = " / ".join(str(a) for a in rule.arg)  # type: ignore[attr-defined]
            out.append(
                Problem(
                    table.name,
                    rule.column,
                    f"region is a {known[rows[0]]}, this table reports at {wanted}",
                    rows,
                    n,
                    str(col[rows[0]]),
                    "wrong_level",
                )
            )
        return out
    else:
        raise ValueError(f"unknown rule {rule.check!r}")
    rows, n = _rows(bad.fillna(False).astype(bool))
    if not n:
        return []
    return [Problem(table.name, rule.column, reason, rows, n, str(col[rows[0]]), code)]


def _caps(limit: Limit, df: pd.DataFrame, indicator_units: Mapping[str, str] | None) -> pd.Series:
    """Each row's maximum under ``limit``."""
    per = dict(limit.per)
    if limit.by == "indicator_unit":
        if indicator_units is None or "indicator_id" not in df:
            # without the indicator table, the loosest maximum still catches inf and 1e300
            return pd.Series(limit.highest(), index=df.index, dtype="float64")
        keys = df["indicator_id"].map(dict(indicator_units))
    elif limit.by:
        keys = df[limit.by] if limit.by in df else pd.Series(None, index=df.index, dtype=object)
    else:
        return pd.Series(limit.default, index=df.index, dtype="float64")
    return keys.map(per).astype("float64").fillna(limit.default)


def check_limits(table: Table, df: pd.DataFrame, indicator_units: Mapping[str, str] | None = None) -> list[Problem]:
    """Numbers that are not finite, or above their column's plausible maximum (``Table.limits``).

    ``indicator_units`` maps an indicator id to its unit (``unit_en``) for limits by indicator unit.
    """
    problems: list[Problem] = []
    df = df.reset_index(drop=True)
    for column, limit in table.limits:
        if column not in df:
            continue
        present = df[column].notna()
        values = pd.to_numeric(df[column], errors="coerce").astype("float64")
        infinite = present & ~np.isfinite(values.fillna(0.0))
        rows, n = _rows(infinite)
        if n:
            problems.append(
                Problem(table.name, column, "not a finite number", rows, n, str(values[rows[0]]), "not_finite")
            )
        caps = _caps(limit, df, indicator_units)
        above = present & ~infinite & (values > caps)
        for cap in sorted(set(caps[above])):
            rows, n = _rows(above & (caps == cap))
            problems.append(
                Problem(
                    table.name,
                    column,
                    f"above the plausible maximum {cap:,.0f}",
                    rows,
                    n,
                    f"{values[rows[0]]:g}",
                    "above_max",
                    {"max": f"{cap:,.0f}"},
                )
            )
    return problems


def check_status_dates(table: Table, df: pd.DataFrame) -> list[Problem]:
    """Rows whose status does not fit their dates: an "open" point without ``opened_on``."""
    rule = table.status_dates
    if rule is None or rule.column not in df:
        return []
    problems: list[Problem] = []
    df = df.reset_index(drop=True)
    status = df[rule.column]
    for kind, pairs in (("needs", rule.needs), ("forbids", rule.forbids)):
        for value, columns in pairs:
            for column in columns:
                if column not in df:
                    continue
                wrong = (status == value).fillna(False).astype(bool)
                wrong &= df[column].isna() if kind == "needs" else df[column].notna()
                rows, n = _rows(wrong)
                if n:
                    problems.append(
                        Problem(
                            table.name,
                            column,
                            f"status {value} {'needs' if kind == 'needs' else 'cannot have'} {column}",
                            rows,
                            n,
                            str(df.at[rows[0], column]) if kind == "forbids" else "",
                            "status_needs_date" if kind == "needs" else "status_forbids_date",
                            {"status": str(value), "column": column, "status_column": rule.column},
                        )
                    )
    return problems


def check_folder_table(name: str, arrow: pa.Table, regions: pd.DataFrame | None = None) -> list[Problem]:
    """Schema, then values, of one table read from a data folder."""
    table = TABLES[name]
    problems = check_schema(table, arrow.schema)
    if problems:
        return problems
    df = arrow.select(table.schema.names).to_pandas()
    return check_values(table, df, regions) + check_limits(table, df) + check_status_dates(table, df)
