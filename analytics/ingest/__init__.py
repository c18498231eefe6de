"""Import exports: read, normalise, validate against the contract, publish atomically.

``python -m analytics.ingest PATH... [--data-dir DIR] [--table NAME] [--scope CODE] [--dry-run] [--allow-nulls]``
``python -m analytics.ingest --rollback [--to VERSION]``   ``python -m analytics.ingest --versions``

What a real monthly export looks like decides the order of work:

1. read each file as what its bytes say it is (a CSV named ``.xlsx`` is caught), CSV in
   UTF-8, UTF-8 with BOM or GBK, every sheet of a workbook;
2. find the table from the file name (``progress_2023-07.csv``) or the sheet name, and
   check the columns are that table's (a wrong table in the right name is caught);
3. normalise: numbers typed as text with thousands separators, full-width digits, dates
   written 2023/7/31 or 2023年7月31日, region names (长沙 / 长沙市 → 430100, reported);
4. validate every rule of the contract plus what only an import can know (known
   indicators, periods in the plan year, scope, numerator ≤ denominator against what is
   already published), grouped so that 10,000 bad rows read as a few lines;
5. under the publish lock, against the version in force at that moment, merge (rows replace
   published rows with the same key) and check what only the published data can tell: a
   numerator above its denominator, published values an import would empty, a replaced row
   outside the analyst's scope; on no error, publish one new version with analytics/publish.py
   (audited before it takes effect); on any error, nothing is written.

The report speaks Chinese and English; the import page shows the same findings as a table.

One module per job, in the order of work:

- ``read.py``: file kinds, encodings, sheets, the header row, which table a file is;
- ``normalise.py``: numbers, dates, region names, placeholders, into the contract's types;
- ``check.py``: the contract's rules and the import's own (indicators, plan year, scope), one file at a time;
- ``merge.py``: the merge with the published version and the checks only it allows (ratios, emptied values);
- ``run.py``: ``ingest``, one import from files to a published version, and its audit records;
- ``report.py``: ``Finding``, ``Report`` and ``MESSAGES``, the bilingual wording;
- ``cli.py``: ``main``, the command line (``__main__.py`` runs it).

This package re-exports what the rest of the project uses, so callers import ``analytics.ingest``
and need not know which module a name lives in.
"""

from analytics.ingest.check import PERIOD_TABLES, Reference, check_file, reference
from analytics.ingest.cli import main
from analytics.ingest.merge import APPENDED
from analytics.ingest.normalise import LEVEL_ORDER, PLACEHOLDERS, REGION_LEVELS, REGION_SUFFIXES
from analytics.ingest.read import ENCODINGS, HEADER_SEARCH_ROWS, IMPORTABLE, Sheet, guess_table, read_sheets
from analytics.ingest.report import MESSAGES, FileResult, Finding, Report
from analytics.ingest.run import ingest

__all__ = [
    "APPENDED",
    "ENCODINGS",
    "HEADER_SEARCH_ROWS",
    "IMPORTABLE",
    "LEVEL_ORDER",
    "MESSAGES",
    "PERIOD_TABLES",
    "PLACEHOLDERS",
    "REGION_LEVELS",
    "REGION_SUFFIXES",
    "FileResult",
    "Finding",
    "Reference",
    "Report",
    "Sheet",
    "check_file",
    "guess_table",
    "ingest",
    "main",
    "read_sheets",
    "reference",
]
