#!/usr/bin/env python
"""Build the bundled plan tables from the plan workbook.

Input (committed): ``data/plan/source/plan_2023.xlsx``, the 2023 work points written as data
(docs/plan.md): the notice's items verbatim, the indicators, the targets, the allocation rules
and the association's settings. It is checked exactly as ``python -m analytics.plan check``
checks any workbook, against the bundled regions and population.

Output (committed, deterministic, rows sorted by key): the bundled plan tables
``data/plan/{plans,plan_items,indicators,targets,target_schedules}/*.parquet`` and the generated
part of ``docs/indicators.md``. A plan for a running installation is imported instead
(``python -m analytics.plan import``), as a new data version.

Usage::

    python scripts/build_plan.py                 # build from the workbook
    python scripts/build_plan.py --check         # fail if the committed files are stale
    python scripts/build_plan.py --clean-from RAW.txt
        # regenerate the cleaned notice data/plan/source/notice_2023.txt from the PDF-to-text
        # file RAW.txt (the items' text in the workbook is verbatim from it)
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analytics.contract import TABLES
from analytics.plan.build import PLAN_TABLES, Built, Reference, build
from analytics.plan.docs import DOCS_HAND_WRITTEN, markdown
from analytics.plan.read import read_book
from analytics.plan.report import Collector

PLAN_YEAR = 2023
DATA = ROOT / "data"
WORKBOOK = DATA / "plan" / "source" / f"plan_{PLAN_YEAR}.xlsx"
NOTICE = DATA / "plan" / "source" / f"notice_{PLAN_YEAR}.txt"
OUT_DOCS = ROOT / "docs" / "indicators.md"


# --- cleaning the PDF-to-text notice -------------------------------------------------------
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u2018-\u201d"
# Lines of the cover letter that begin a paragraph (compared with spaces removed).
_FRONT_STARTS = (
    "湘计生协发",
    "关于印发",
    "各市州计生协",
    "经省计生协会长同意",
    "2023年是",
    "2023年，全省计生协工作的指导思想",
)
_FRONT_LINES = ("湖南省计划生育协会", "2023年1月31日", "湖南省计划生育协会2023年工作要点")
_HEADING = re.compile(r"^([一二三四五六七八九])、(.+)$")
_ITEM = re.compile(r"^(\d{1,2})\.(?!\d)(.*)$")
_FOOTER = ("湖南省计划生育协会综合处", "校对：")
ATTACHMENT_TITLE = "湖南省计划生育协会2023年工作要点"


def clean_notice(raw: str) -> str:
    """PDF-to-text of the notice -> one paragraph per line, whitespace artefacts removed.

    Only whitespace is removed or changed; every other character is kept as it is
    (checked at the end). Paragraphs are separated by a newline; a blank line separates
    the cover letter, the work points and the printing footer.
    """
    lines = [ln.strip() for ln in raw.splitlines()]
    lines = [ln for ln in lines if ln]
    paragraphs: list[list[str]] = []
    section_breaks: set[int] = set()  # paragraph indices that start a section
    in_body = False  # past the title of the work points
    seen_heading = False  # past the first area heading
    next_item = 1
    for ln in lines:
        compact = re.sub(r"\s+", "", ln)
        start = False
        if compact.startswith(_FOOTER):
            start = True
            if compact.startswith(_FOOTER[0]):
                section_breaks.add(len(paragraphs))
        elif compact == ATTACHMENT_TITLE and not in_body:
            start = True
            in_body = True
            section_breaks.add(len(paragraphs))
        elif not seen_heading and (compact.startswith(_FRONT_STARTS) or compact in _FRONT_LINES):
            start = True
        elif _HEADING.match(compact):
            start = True
            seen_heading = True
        else:
            m = _ITEM.match(compact)
            if m and int(m.group(1)) == next_item:
                start = True
                next_item += 1
        if start or not paragraphs:
            paragraphs.append([ln])
        else:
            paragraphs[-1].append(ln)

    out: list[str] = []
    for i, para in enumerate(paragraphs):
        text = "".join(para)
        if text.startswith(_FOOTER[0]):
            # printed as two fields on one line: office name ... printing date
            text = re.sub(r"\s{2,}", " ", text)
            head, _, tail = text.partition(" ")
            text = re.sub(r"\s+", "", head) + " " + re.sub(r"\s+", "", tail)
        else:
            # The notice has no Latin words: every space inside a paragraph is a PDF
            # artefact (page-break indent, or a font change between digits and hanzi).
            text = re.sub(r"\s+", "", text)
        if i in section_breaks and out:
            out.append("")
        out.append(text)
    cleaned = "\n".join(out) + "\n"
    assert re.sub(r"\s+", "", cleaned) == re.sub(r"\s+", "", raw), "cleaning changed a non-space character"
    assert next_item == 34, f"found items up to {next_item - 1}"
    return cleaned


# --- building ------------------------------------------------------------------------------
def to_parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=True)
    return buf.getvalue()


def read_plan() -> tuple[Built, Reference]:
    found = Collector(WORKBOOK.name)
    book = read_book(WORKBOOK.read_bytes(), WORKBOOK.name, found)
    ref = Reference.read(DATA)
    built = build(book, ref, found) if book is not None else None
    if built is None:
        lines = "\n".join(f.line("en") for f in found.findings())
        raise SystemExit(f"{WORKBOOK.relative_to(ROOT)} does not pass its checks:\n{lines}")
    return built, ref


def docs(built: Built, ref: Reference) -> str:
    rows = {name: built.tables[name].to_pylist() for name in PLAN_TABLES}
    plan = rows["plans"][0]
    names = dict(zip(ref.regions["region_code"], ref.regions["name_zh"], strict=True))
    year = next((r["parameter"] for r in built.rules if r["method"] == "population"), None)
    population = ref.population_of(int(str(year))).to_dict() if year is not None else {}
    return markdown(plan, rows["plan_items"], rows["indicators"], rows["targets"], built.rules, names, population)


def hand_written_docs() -> str:
    """What follows the generated part of the committed docs/indicators.md (kept as it is)."""
    if not OUT_DOCS.exists():
        return ""
    text = OUT_DOCS.read_text(encoding="utf-8")
    at = text.find(DOCS_HAND_WRITTEN + "\n")
    return text[at + len(DOCS_HAND_WRITTEN) + 1 :] if at >= 0 else ""


def build_outputs() -> dict[Path, bytes]:
    built, ref = read_plan()
    out = {DATA / TABLES[n].folder / f"{n}.parquet": to_parquet_bytes(built.tables[n]) for n in PLAN_TABLES}
    out[OUT_DOCS] = (docs(built, ref) + hand_written_docs()).encode("utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--clean-from",
        type=Path,
        metavar="RAW",
        help="regenerate data/plan/source/notice_2023.txt from this PDF-to-text file first",
    )
    ap.add_argument("--check", action="store_true", help="build in memory; exit 1 if a committed file differs")
    args = ap.parse_args(argv)

    if args.clean_from:
        cleaned = clean_notice(args.clean_from.read_text(encoding="utf-8"))
        if args.check:
            if NOTICE.read_text(encoding="utf-8") != cleaned:
                print(f"stale: {NOTICE.relative_to(ROOT)}", file=sys.stderr)
                return 1
        else:
            NOTICE.write_text(cleaned, encoding="utf-8")

    outputs = build_outputs()
    stale = [p for p, b in outputs.items() if not p.exists() or p.read_bytes() != b]
    if args.check:
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for p, b in outputs.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        if p in stale:
            p.write_bytes(b)
    for p in outputs:
        print(f"{'wrote' if p in stale else 'unchanged'} {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
