"""Checking one file: every rule of the contract plus what only an import can know (known
regions at the table's level, known indicators reported through the right table, periods in the
plan year, dates not in the future, the analyst's scope), and keys repeated across files or sheets.

check_file runs one file through read.py, normalise.py and these checks; nothing here looks at
published rows, which merge.py does under the publish lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics.contract import TABLES, Table
from analytics.ingest.normalise import REGION_LEVELS, normalise_sheet, row_numbers, shown_values
from analytics.ingest.read import IMPORTABLE, Sheet, clean_header, guess_table, read_sheets
from analytics.ingest.report import FileResult, Finding
from analytics.validate import MAX_EXAMPLES, Problem, check_limits, check_status_dates, check_values

# Reports of a month arrive after it ends; these tables say which month they report on.
PERIOD_TABLES = ("progress", "instructors")


@dataclass(frozen=True)
class Reference:
    """What the checks compare against, read from the version in force."""

    regions: pd.DataFrame
    indicators: pd.DataFrame
    plan_years: frozenset[int]


def read_table(folder: Path, table: Table) -> pa.Table:
    """Every file of a table in a data folder, in the contract's schema (empty when absent); a
    nullable column an older file lacks (indicators' plan_year) reads as empty, as in staging."""
    files = sorted((folder / table.folder).glob("**/*.parquet")) if (folder / table.folder).is_dir() else []
    if not files:
        return table.schema.empty_table()
    parts = []
    for f in files:
        part = pq.read_table(f)
        for field in table.schema:
            if field.name not in part.column_names and field.nullable:
                part = part.append_column(field.name, pa.nulls(part.num_rows, type=field.type))
        parts.append(part.select(table.schema.names).cast(table.schema))
    return pa.concat_tables(parts)


def with_years(indicators: pa.Table, years: list[int]) -> pa.Table:
    """``indicators`` with every row that has no plan year (written before indicators had one: it
    stood for every year) repeated for each of ``years`` that has no rows of its own (the rule of
    sql/marts/015_dim_indicator.sql)."""
    blank = pc.is_null(indicators.column("plan_year"))
    dated = indicators.filter(pc.invert(blank))
    own = set(dated.column("plan_year").to_pylist())
    undated = indicators.filter(blank)
    parts = [dated]
    for year in (y for y in years if y not in own):
        column = pa.array([year] * undated.num_rows, type=pa.int16())
        parts.append(undated.set_column(undated.schema.get_field_index("plan_year"), "plan_year", column))
    return pa.concat_tables(parts).cast(indicators.schema)


def reference(folder: Path) -> Reference:
    regions = read_table(folder, TABLES["regions"]).to_pandas()
    years = frozenset(int(y) for y in read_table(folder, TABLES["plan_items"]).column("plan_year").to_pylist())
    # each plan year's own indicators: a row is checked against its plan year's plan
    indicators = with_years(read_table(folder, TABLES["indicators"]), sorted(years)).to_pandas()
    return Reference(regions, indicators, years)


def _from_problem(p: Problem, table: Table, sheet: Sheet, origin: pd.DataFrame) -> Finding:
    numbers = origin["row"].to_numpy()
    rows = tuple(int(numbers[r]) for r in p.rows)
    detail: dict[str, str] = dict(p.detail)
    rule = next((r for r in table.rules if r.column == p.column), None)
    if p.code == "greater_than" and rule is not None:
        detail = {"column": p.column, "other": str(rule.arg)}
    elif p.code == "not_allowed" and rule is not None:
        detail = {"allowed": ", ".join(str(a) for a in rule.arg)}  # type: ignore[attr-defined]
    elif p.code == "duplicate_key":
        detail = {"key": ", ".join(table.key)}
    value = p.value.replace(" 00:00:00", "")  # dates are timestamps while checked
    return Finding(
        sheet.file, p.code or "required", p.column, sheet.sheet, rows, p.n_rows, (value,) if value else (), detail
    )


def _flag(
    findings: list[Finding],
    sheet: Sheet,
    origin: pd.DataFrame,
    code: str,
    column: str,
    mask: pd.Series,
    values: pd.Series,
    **detail: str,
) -> None:
    mask = mask.fillna(False).astype(bool)
    if mask.any():
        rows, n = row_numbers(mask, origin)
        findings.append(Finding(sheet.file, code, column, sheet.sheet, rows, n, shown_values(values, mask), detail))


def _check(
    df: pd.DataFrame,
    table: Table,
    sheet: Sheet,
    ref: Reference,
    scope: str | None,
    today: dt.date,
    findings: list[Finding],
) -> None:
    """Every rule of the contract and of an import on one sheet's normalised rows."""
    origin: pd.DataFrame = df.attrs["origin"]
    # region_level is checked below with every row's mask, so it is left out of the contract pass
    problems = check_values(table, df, regions=None, reported=df.attrs.get("reported"))
    units = ref.indicators.drop_duplicates("indicator_id")
    unit_of = {str(i): str(u) for i, u in zip(units["indicator_id"], units["unit_en"], strict=True)}
    problems += check_limits(table, df, indicator_units=unit_of)
    problems += check_status_dates(table, df)
    for p in problems:
        findings.append(_from_problem(p, table, sheet, origin))
    regions = ref.regions.set_index("region_code")
    if "region_code" in df and table.name in REGION_LEVELS:
        codes = df["region_code"]
        level = codes.map(regions["level"])
        _flag(findings, sheet, origin, "unknown_region", "region_code", codes.notna() & level.isna(), codes)
        wanted = REGION_LEVELS[table.name]
        wrong = level.notna() & ~level.isin(wanted)
        if wrong.any():
            first = str(level[wrong].iloc[0])
            _flag(
                findings,
                sheet,
                origin,
                "wrong_level",
                "region_code",
                wrong,
                codes,
                level=first,
                wanted=" / ".join(wanted),
            )
        if scope and scope != "430000" and len(scope) == 6:
            prefecture = codes.map(regions["prefecture_code"]).where(codes != scope, scope)
            outside = level.notna() & (prefecture != scope)
            _flag(findings, sheet, origin, "out_of_scope", "region_code", outside, codes, scope=scope)
    if "plan_year" in df:
        years = df["plan_year"]
        _flag(
            findings,
            sheet,
            origin,
            "unknown_plan_year",
            "plan_year",
            years.notna() & ~years.isin(ref.plan_years),
            years.astype("string"),
            year=str(years.dropna().iloc[0]) if years.notna().any() else "",
        )
    if "indicator_id" in df:
        ids = df["indicator_id"]
        source = ids.map(ref.indicators.drop_duplicates("indicator_id").set_index("indicator_id")["source_table"])
        if "plan_year" in df:
            # in a known plan year, an indicator is known when that year's plan has it (a later
            # plan may drop one); a row of an unknown year is refused for its year, above
            inds = ref.indicators.drop_duplicates(["plan_year", "indicator_id"])
            by_year = pd.Series(
                inds["source_table"].to_numpy(),
                index=pd.MultiIndex.from_arrays([inds["plan_year"].astype("Int64"), inds["indicator_id"]]),
            )
            years = df["plan_year"].astype("Int64")
            keys = pd.MultiIndex.from_arrays([years, ids])
            in_year = pd.Series(by_year.reindex(keys).to_numpy(), index=df.index)
            source = in_year.where(years.isin(ref.plan_years).fillna(False).astype(bool), source)
        _flag(findings, sheet, origin, "unknown_indicator", "indicator_id", ids.notna() & source.isna(), ids)
        wrong = source.notna() & (source != table.name)
        if wrong.any():
            _flag(
                findings,
                sheet,
                origin,
                "wrong_source",
                "indicator_id",
                wrong,
                ids,
                indicator=str(ids[wrong].iloc[0]),
                table=table.name,
            )
    if table.name in PERIOD_TABLES:
        period = pd.to_datetime(df["period_end"])
        years = df["plan_year"]
        outside = period.notna() & years.notna() & (period.dt.year != years)
        if outside.any():
            _flag(
                findings,
                sheet,
                origin,
                "outside_plan_year",
                "period_end",
                outside,
                period.dt.date.astype(str),
                year=str(years[outside].iloc[0]),
            )
        reported = pd.to_datetime(df["reported_at"])
        _flag(
            findings,
            sheet,
            origin,
            "reported_before_period",
            "reported_at",
            reported < period,
            reported.dt.date.astype(str),
        )
    for f in table.schema:
        if pa.types.is_date32(f.type) and f.name in df:
            d = pd.to_datetime(df[f.name])
            _flag(findings, sheet, origin, "in_future", f.name, d > pd.Timestamp(today), d.dt.date.astype(str))


def _to_arrow(df: pd.DataFrame, table: Table) -> pa.Table:
    cols = {}
    for f in table.schema:
        series = df[f.name]
        if pa.types.is_date32(f.type):
            cols[f.name] = pa.array(pd.to_datetime(series).dt.date, type=pa.date32(), from_pandas=True)
        else:
            cols[f.name] = pa.array(series, type=f.type, from_pandas=True)
    return pa.table(cols, schema=table.schema)


def key_frame(t: pa.Table, table: Table) -> pd.DataFrame:
    keys: pd.DataFrame = t.select(list(table.key)).to_pandas().astype("string")
    return keys


def check_file(
    path: Path,
    ref: Reference,
    *,
    table: str | None = None,
    scope: str | None = None,
    today: dt.date | None = None,
    label: str | None = None,
    part: str | None = None,
) -> FileResult:
    """Read, normalise and check one file; its rows in the contract's schema when it has no error.

    ``label`` is how the report names the file (default: its name). ``part`` is the one table of a
    workbook holding several (a county's monthly template: progress and instructors) this result
    is for: the sheets of other tables are left to another result of the same file.
    """
    result = FileResult(path, label or path.name)
    name = result.label
    today = today or dt.date.today()
    raw = path.read_bytes()  # once: the bytes checked are the bytes hashed for the record
    result.sha256 = hashlib.sha256(raw).hexdigest()
    sheets = read_sheets(path, result.findings, raw=raw, name=name)
    if not sheets and not result.errors:
        result.findings.append(Finding(name, "no_rows"))
    frames: list[pa.Table] = []
    origins: list[pd.DataFrame] = []
    for sheet in sheets:
        columns = [clean_header(c) for c in sheet.frame.columns]
        named, by_columns = guess_table(path.name, sheet.sheet, columns)
        if part is not None and (named or by_columns) != part:
            continue
        chosen = table or named or by_columns
        if chosen is None:
            result.findings.append(
                Finding(name, "unknown_table", sheet=sheet.sheet, detail={"tables": ", ".join(IMPORTABLE)})
            )
            continue
        if chosen not in IMPORTABLE:
            result.findings.append(Finding(name, "not_importable", sheet=sheet.sheet, detail={"table": chosen}))
            continue
        if by_columns and by_columns != chosen and not set(TABLES[chosen].schema.names) <= set(columns):
            result.findings.append(
                Finding(name, "wrong_table", sheet=sheet.sheet, detail={"named": chosen, "actual": by_columns})
            )
            continue
        if result.table and result.table != chosen:
            result.findings.append(
                Finding(name, "wrong_table", sheet=sheet.sheet, detail={"named": result.table, "actual": chosen})
            )
            continue
        result.table = chosen
        contract = TABLES[chosen]
        if sheet.frame.empty:
            result.findings.append(Finding(name, "no_rows", sheet=sheet.sheet))
            continue
        df = normalise_sheet(sheet, contract, ref.regions, result.findings)
        if df is None:
            continue
        result.rows += len(df)
        before = len(result.errors)
        _check(df, contract, sheet, ref, scope, today, result.findings)
        if len(result.errors) == before:
            frames.append(_to_arrow(df, contract))
            origins.append(pd.DataFrame({"sheet": sheet.sheet, "row": df.attrs["origin"]["row"]}))
    if frames and not result.errors:
        result.data = pa.concat_tables(frames)
        result.origin = pd.concat(origins, ignore_index=True)
        if len(frames) > 1 and result.table:
            # a workbook with the same rows on two sheets: the duplicate-key check across sheets
            cross_duplicates([result], TABLES[result.table], result.findings)
    return result


def cross_duplicates(results: Sequence[FileResult], table: Table, findings: list[Finding]) -> None:
    """Keys that occur in more than one file or sheet of one import (files told apart by their label,
    which is unique per path: two files of the same name in different folders are two files)."""
    parts = []
    for r in results:
        if r.data is None or r.origin is None:
            continue
        keys = key_frame(r.data, table)
        keys["_file"] = r.label
        keys["_sheet"] = r.origin["sheet"].to_numpy()
        keys["_row"] = r.origin["row"].to_numpy()
        parts.append(keys)
    if not parts:
        return
    allk = pd.concat(parts, ignore_index=True)
    allk["_where"] = allk["_file"] + allk["_sheet"].map(lambda s: f" [{s}]" if s else "")
    dup = allk[allk.duplicated(list(table.key), keep=False)]
    if dup.empty:
        return
    spread = dup.groupby(list(table.key), dropna=False)["_where"].transform("nunique")
    dup = dup[spread > 1]
    for (where, file, sheet), group in dup.groupby(["_where", "_file", "_sheet"], sort=True):
        others = sorted(set(dup["_where"]) - {where})
        findings.append(
            Finding(
                str(file),
                "duplicate_key_across",
                "+".join(table.key),
                str(sheet),
                tuple(int(r) for r in group["_row"].head(MAX_EXAMPLES)),
                len(group),
                tuple(
                    " / ".join(str(v) for v in row) for row in group[list(table.key)].head(2).itertuples(index=False)
                ),
                {"key": ", ".join(table.key), "other": ", ".join(others[:3])},
            )
        )


def outside_scope(codes: pd.Series, regions: pd.DataFrame, scope: str | None) -> pd.Series:
    """Codes of regions outside the prefecture ``scope`` (unknown codes are not: they are reported as such)."""
    if not scope or scope == "430000" or len(scope) != 6:
        return pd.Series(False, index=codes.index)
    by_code = regions.set_index("region_code")
    level = codes.map(by_code["level"])
    prefecture = codes.map(by_code["prefecture_code"]).where(codes != scope, scope)
    return (level.notna() & (prefecture != scope)).fillna(False).astype(bool)
