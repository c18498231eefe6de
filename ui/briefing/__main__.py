"""``python -m ui.briefing``: the meeting pack from the command line, no dashboard running.

    python -m ui.briefing --as-of 2023-12-31 --lang zh --format pptx --out 会议材料.pptx
    python -m ui.briefing --region 430100 --format pdf --out changsha.pdf
    python -m ui.briefing --each-prefecture --out-dir 各市州     # 14 decks, one per prefecture

Reads the data folder the dashboard reads (``FPA_DATA_DIR``, default the bundled data/,
or ``--data-dir``). Defaults: the latest plan year and month the progress export covers,
the whole province, Chinese, the format named by the file's extension (pptx for
``--each-prefecture``, whose files are named as the dashboard's download: 会议材料_长沙市_2023-12-31.pptx).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from analytics import db, queries
from analytics.queries import PROVINCE_CODE
from ui.briefing import FORMATS, Pack, Request, make_each, make_files
from ui.briefing.build import DEFAULT_INDICATOR
from views.filters import default_as_of
from views.i18n import LANGS, text


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m ui.briefing", description=__doc__.split("\n")[0])
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="file to write (.pptx or .pdf)")
    where.add_argument(
        "--each-prefecture",
        action="store_true",
        help="one pack per prefecture (14), its follow-up list at county level, into --out-dir",
    )
    p.add_argument("--out-dir", type=Path, help="folder for --each-prefecture's files")
    p.add_argument("--format", choices=FORMATS, help="pptx or pdf (default: from --out's extension)")
    p.add_argument("--as-of", type=dt.date.fromisoformat, help="a month end, YYYY-MM-DD (default: latest reported)")
    p.add_argument("--lang", choices=LANGS, default="zh", help="zh (default) or en")
    p.add_argument("--region", default=PROVINCE_CODE, help="430000 (default) or a prefecture's code or name")
    p.add_argument("--plan-year", type=int, help="default: the latest plan year in the data")
    p.add_argument("--indicator", default=DEFAULT_INDICATOR, help="the map's indicator (default: %(default)s)")
    p.add_argument("--data-dir", type=Path, help="data folder (default: FPA_DATA_DIR or the bundled data/)")
    args = p.parse_args(argv)
    if args.each_prefecture and args.out_dir is None:
        p.error("--each-prefecture needs --out-dir")
    if args.out_dir is not None and not args.each_prefecture:
        p.error("--out-dir goes with --each-prefecture (else use --out)")
    return args


def resolve_region(con: object, value: str) -> str:
    """A region code from a code or a prefecture's name (长沙市, 长沙, Changsha)."""
    if value == PROVINCE_CODE:
        return value
    prefectures = queries.regions_at_level(con, level="prefecture", within=PROVINCE_CODE)  # type: ignore[arg-type]
    for row in prefectures.itertuples():
        names = {str(row.region_code), str(row.name_zh), str(row.name_zh).removesuffix("市"), str(row.name_en or "")}
        if value in names or value.lower() == str(row.name_en or "").lower():
            return str(row.region_code)
    known = ", ".join(f"{r.region_code} {r.name_zh}" for r in prefectures.itertuples())
    raise SystemExit(f"unknown region {value!r}: use 430000 or one of {known}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    fmt = args.format or ("pptx" if args.each_prefecture else args.out.suffix.lstrip(".").lower())
    if fmt not in FORMATS:
        raise SystemExit(f"cannot tell the format from {args.out.name!r}: pass --format pptx or --format pdf")
    data_dir = (args.data_dir or db.data_dir_from_env()).resolve()
    started = time.perf_counter()
    con = db.connect(data_dir)
    status = queries.data_status(con)
    years = [int(y) for y in (status["plan_years"].iloc[0] if len(status) else [])]
    plan_year = args.plan_year or (years[-1] if years else dt.date.today().year)
    as_of = args.as_of or default_as_of(status, plan_year)

    def request(region: str) -> Request:
        return Request(lang=args.lang, plan_year=plan_year, as_of=as_of, region=region, indicator=args.indicator)

    if args.each_prefecture:
        prefectures = queries.regions_at_level(con, level="prefecture", within=PROVINCE_CODE)
        reqs = [request(str(code)) for code in prefectures["region_code"]]
        out_dir: Path = args.out_dir
        out_dir.mkdir(parents=True, exist_ok=True)

        def save(pack: Pack, files: dict[str, bytes]) -> None:
            # the dashboard's download name: 会议材料_长沙市_2023-12-31.pptx
            name = text("briefing.download.file", pack.lang, region=pack.region_name, as_of=as_of.isoformat())
            name = name.replace(" ", "_")  # as the download button names it
            path = out_dir / f"{name}.{fmt}"
            path.write_bytes(files[fmt])
            print(f"{path}: {len(files[fmt]):,} bytes, {pack.region} {pack.region_name}", file=sys.stderr)

        make_each(con, reqs, data_dir=data_dir, formats=(fmt,), save=save)
        took = time.perf_counter() - started
        print(f"{len(reqs)} packs in {out_dir}, {args.lang}, as of {as_of}, {took:.1f} s", file=sys.stderr)
        return 0

    req = request(resolve_region(con, args.region))
    files = make_files(con, req, data_dir=data_dir, formats=(fmt,))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(files[fmt])
    took = time.perf_counter() - started
    print(
        f"{args.out}: {len(files[fmt]):,} bytes, {req.lang}, {req.region}, as of {as_of}, {took:.1f} s", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
