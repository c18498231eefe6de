"""Merging an import with one published version, and the checks only published data allows:
a numerator above its denominator of the same region and month, published values an import would
empty, a replaced row of a region outside the analyst's scope.

run.py calls merge_with under the publish lock, against the version in force at that moment, so
the checks see exactly the rows the new version will replace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import publish, rules
from analytics.contract import TABLES, Table
from analytics.ingest.check import Reference, key_frame, outside_scope, read_table
from analytics.ingest.report import FileResult, Finding
from analytics.validate import MAX_EXAMPLES

# Tables whose imported rows go into a file of their own instead of replacing rows: the
# population table keeps every source and picks the figure in force between them.
APPENDED = ("population",)


def _merge(published: pa.Table, new: pa.Table, table: Table) -> tuple[pa.Table, int]:
    """Published rows whose key the import does not carry, then the imported rows; and how many were replaced."""
    if published.num_rows == 0:
        return new, 0
    old_keys = key_frame(published, table)
    new_keys = key_frame(new, table).drop_duplicates()
    hit = old_keys.merge(new_keys.assign(_hit=True), on=list(table.key), how="left")["_hit"].fillna(False).astype(bool)
    kept = published.filter(pa.array(~hit.to_numpy()))
    merged = pa.concat_tables([kept, new])
    order = [(k, "ascending") for k in table.key]
    return merged.sort_by(order), int(hit.sum())


def _ratio_findings(merged: pa.Table, imported: pa.Table, ref: Reference) -> list[Finding]:
    """Numerators above their denominators for the same region and month, in the rows an import brings."""
    if imported.num_rows == 0:
        return []
    # the rule is written once (sql/macros): the quality page checks published data with it too; a
    # breach whose numerator and denominator both arrive in this import is one breach, not two
    bad = rules.numerator_above_denominator(merged, ref.indicators, imported)
    out = []
    for (num, den), group in bad.groupby(["numerator", "denominator"], sort=True):
        first = group.iloc[0]
        out.append(
            Finding(
                "progress",
                "numerator_above_denominator",
                "value",
                rows=(),
                n_rows=len(group),
                values=tuple(
                    f"{r.region_code} {r.period_end}: {r.value:g} > {r.denominator_value:g}"
                    for r in group.head(3).itertuples()
                ),
                detail={
                    "numerator": str(num),
                    "denominator": str(den),
                    "denominator_value": f"{first.denominator_value:g}",
                },
            )
        )
    return out


def _replaced_findings(
    published: pa.Table,
    new: pa.Table,
    origin: pd.DataFrame,
    table: Table,
    ref: Reference,
    scope: str | None,
    allow_nulls: bool,
) -> list[Finding]:
    """What the rows an import replaces say about it: published values it would empty, and
    replaced rows of a region outside the analyst's scope.

    ``origin`` has, per row of ``new``: label, sheet, row (as the file shows it). The scope of a
    replaced row matters only where the key has no region (a childcare point, a training class):
    with the region in the key, the replaced row has the incoming row's region, checked already.
    """
    nullable = [f.name for f in table.schema if f.nullable and f.name not in table.key]
    with_scope = bool(scope) and "region_code" in table.schema.names and "region_code" not in table.key
    if published.num_rows == 0 or new.num_rows == 0 or not (nullable or with_scope):
        return []
    key = list(table.key)
    columns = list(dict.fromkeys([*key, *nullable, *(["region_code"] if with_scope else [])]))
    mine = new.select(columns).to_pandas()
    theirs = published.select(columns).to_pandas()
    for k in key:
        mine[k] = mine[k].astype("string")
        theirs[k] = theirs[k].astype("string")
    mine["_i"] = np.arange(len(mine))
    both = mine.merge(theirs, on=key, how="inner", suffixes=("", "_published"))
    if both.empty:
        return []
    where = origin.iloc[both["_i"].to_numpy()].reset_index(drop=True)
    both = both.reset_index(drop=True)
    out: list[Finding] = []

    def add(code: str, column: str, mask: pd.Series, values: pd.Series, error: bool, **detail: str) -> None:
        for (label, sheet), rows in where[mask].groupby(["label", "sheet"], sort=True):
            shown = values[rows.index].astype(str).drop_duplicates().head(3)
            out.append(
                Finding(
                    str(label),
                    code,
                    column,
                    str(sheet),
                    tuple(int(r) for r in rows["row"].head(MAX_EXAMPLES)),
                    len(rows),
                    tuple(shown),
                    {"n": f"{len(rows):,}", **detail},
                    error=error,
                )
            )

    for column in nullable:
        emptied = both[f"{column}_published"].notna() & both[column].isna()
        if emptied.any():
            published_values = both[f"{column}_published"].map(lambda v: f"{v:g}" if isinstance(v, float) else str(v))
            add("note_empties" if allow_nulls else "would_empty", column, emptied, published_values, not allow_nulls)
    if with_scope:
        old = both["region_code_published"].astype("string")
        outside = outside_scope(old, ref.regions, scope)
        if outside.any():
            names = ref.regions.set_index("region_code")["name_zh"]
            first = str(old[outside].iloc[0])
            region = f"{first} {names.get(first, '')}".strip()
            key_text = both[key].astype(str).agg(" / ".join, axis=1)
            shown = key_text + ": " + old.astype(str) + " → " + both["region_code"].astype(str)
            # the code a refusal by scope has, worded for the row it would replace
            add(
                "out_of_scope",
                "region_code",
                outside,
                shown,
                True,
                scope=str(scope),
                region=region,
                message="out_of_scope_replaced",
            )
    return out


@dataclass
class Merged:
    """An import's tables merged with one published version, and what the merge found."""

    change: publish.Change
    findings: list[Finding]
    replaced: dict[str, int]


def merge_with(
    folder: Path,
    by_table: Mapping[str, list[FileResult]],
    ref: Reference,
    scope: str | None,
    allow_nulls: bool,
) -> Merged:
    """Merge the import with the version in ``folder``; the checks only published data allows."""
    replacing: dict[str, pa.Table] = {}
    appending: dict[str, pa.Table] = {}
    findings: list[Finding] = []
    replaced: dict[str, int] = {}
    for name, group in by_table.items():
        contract = TABLES[name]
        new = pa.concat_tables([r.data for r in group if r.data is not None])
        if name in APPENDED:
            appending[name] = new
            continue
        origin = pd.concat(
            [r.origin.assign(label=r.label) for r in group if r.origin is not None and r.data is not None],
            ignore_index=True,
        )
        published = read_table(folder, contract)
        findings.extend(_replaced_findings(published, new, origin, contract, ref, scope, allow_nulls))
        merged, n_replaced = _merge(published, new, contract)
        replacing[name] = merged
        replaced[name] = n_replaced
        if n_replaced:
            findings.append(Finding(group[0].label, "note_replaces", detail={"n": f"{n_replaced:,}"}, error=False))
        if name == "progress":
            findings.extend(_ratio_findings(merged, new, ref))
    return Merged(publish.Change(tables=replacing, appended=appending, replaced=replaced), findings, replaced)
