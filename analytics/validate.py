"""Check a table against the data contract: columns, types, nulls, allowed values, keys, rules.

Each problem names the table, the column, the rows and the offending value, so a
report can say exactly what is wrong and where. The import command (issue: import and
data quality) builds its report on these; the tests run them over the bundled data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from analytics.contract import TABLES, Rule, Table

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Problem:
    table: str
    column: str
    reason: str
    rows: tuple[int, ...] = ()  # 0-based row numbers in the checked table (first few)
    n_rows: int = 0  # how many rows have the problem
    value: str = ""
    code: str = ""  # what kind of problem, for reports in other languages (analytics/ingest.py)

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
    for field in table.schema:
        if field.name not in schema.names:
            problems.append(Problem(table.name, field.name, "required column is missing"))
            continue
        got = schema.field(field.name).type
        if got != field.type and not (pa.types.is_dictionary(got) and got.value_type == field.type):
            problems.append(Problem(table.name, field.name, f"type is {got}, the contract says {field.type}"))
    return problems


def check_values(table: Table, df: pd.DataFrame, regions: pd.DataFrame | None = None) -> list[Problem]:
    """Nulls, keys and every rule of ``table`` on a DataFrame that already has the contract's columns."""
    problems: list[Problem] = []
    df = df.reset_index(drop=True)
    for field in table.schema:
        if not field.nullable and field.name in df:
            rows, n = _rows(df[field.name].isna())
            if n:
                problems.append(
                    Problem(table.name, field.name, "empty value in a required column", rows, n, code="required")
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


def check_folder_table(name: str, arrow: pa.Table, regions: pd.DataFrame | None = None) -> list[Problem]:
    """Schema, then values, of one table read from a data folder."""
    table = TABLES[name]
    problems = check_schema(table, arrow.schema)
    if problems:
        return problems
    df = arrow.select(table.schema.names).to_pandas()
    return check_values(table, df, regions)
