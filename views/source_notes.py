"""A population figure's source note in the page's language (issue 20, item 9).

The compiled reference data (data/reference/sources/) names each figure's source as its compiler
wrote it: web addresses with notes in English ("quotes 湖南省2019年统计公报", "compiled from local
7th-census gazettes") and official titles in Chinese ("湖南省2019年国民经济和社会发展统计公报").
A Chinese page shows the notes in Chinese; an English page explains each Chinese title in English
and keeps the title itself in 《》 (a researcher looks the document up by it), and a Chinese term
or place in brackets after its English name. Web addresses, file paths and the names of the
compilations (askci, maigoo, leiii/census) stay as they are.

The wording is a glossary of the phrases the compiler used, applied in order; a phrase it does
not know stays as written (a new file's source is shown, never dropped).
``tests/unit/test_source_notes.py`` checks every source of the bundled data in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# what is never translated: web addresses and the compilations' paths
_KEEP = re.compile(r"https?://[^\s()（）]+|github:leiii/census data/census/census_city_2010-2020_v1\.csv")

# Chinese place names as the sources write them (with or without 省 / 市) → English
PLACES = {
    "湖南省": "Hunan",
    "湖南": "Hunan",
    "长沙": "Changsha",
    "株洲": "Zhuzhou",
    "湘潭": "Xiangtan",
    "衡阳": "Hengyang",
    "邵阳": "Shaoyang",
    "岳阳": "Yueyang",
    "常德": "Changde",
    "张家界": "Zhangjiajie",
    "益阳": "Yiyang",
    "郴州": "Chenzhou",
    "永州": "Yongzhou",
    "怀化": "Huaihua",
    "娄底": "Loudi",
    "湘西": "Xiangxi",
}
_PLACE = "(" + "|".join(sorted(PLACES, key=len, reverse=True)) + ")(?:省|市)?"

Rule = tuple[str, str | Callable[[re.Match[str]], str]]


def _place(m: re.Match[str], group: int = 1) -> str:
    return PLACES.get(m.group(group) or "", "")


def _title(english: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
    """A Chinese document title: its English description, then the title itself in 《》."""
    return lambda m: f"{english(m).strip()} 《{m.group(0).strip()}》"


def _wan(m: re.Match[str]) -> str:
    return f"{float(m.group(1)) * 10_000:,.0f}"


# English notes → Chinese (longest phrases first where one contains another)
TO_ZH: tuple[Rule, ...] = (
    (r"quoting HN stats bureau", "转引湖南省统计局数据"),
    (r"\(HN bulletin #3/#4 text\)", "（湖南省七普公报第三号、第四号原文）"),
    (r"\(HN bulletin #2 total\)", "（湖南省七普公报第二号的全省合计）"),
    (r"compiled from local 7th-census gazettes", "据各地七普公报汇编"),
    (r"maigoo-style list citing ", "maigoo 类榜单，引自 "),
    (r"undated list", "未注日期的榜单"),
    (r"values match other (\d{4}) year-end figures", r"数值与其他 \1 年末数据一致"),
    (r"rounded to 万", "取整到万"),
    (r"row truncated in the copy read", "所读副本中该行不全"),
    (r"row truncated", "该行不全"),
    (r"consistent with (\S+) regional total in bulletin", r"与公报中\1地区合计一致"),
    (r"equals (\S+) regional total (\d+) minus (\S+)", r"等于\1地区合计 \2 减去\3"),
    (r"= province total minus others check", "= 全省合计减其余市州（核对）"),
    (r"minus the other 13", "减去其余 13 个市州"),
    (r"— exact match", "— 完全一致"),
    (r"others DERIVED from (\d{4}) release", r"其余由 \1 年公报推算"),
    (r"\((\d{4}) minus/plus stated changes\)", r"（\1 年数值减去或加上公报所列变化）"),
    (r"urban = census ", "城镇化率取七普 "),
    (r"\(births ([\d.]+), rate ([\d.]+)\)", r"（出生人口 \1 万，出生率 \2‰）"),
    (r"urban (\d+), ", r"城镇人口 \1，"),
    (r"urban ([\d.]+%)", r"城镇化率 \1"),
    (r"sex ratio ", "性别比 "),
    (r"ages ", "年龄构成 "),
    (r"male (\d+)\+female (\d+)", r"男 \1 + 女 \2"),
    (r"bulletin mirror", "公报镜像"),
    (r"bulletin #1 via", "公报第一号，转载于"),
    (r"bulletin #1", "公报第一号"),
    (r"bulletin via", "公报，转载于"),
    (r"(\S+) row\)", r"\1一行）"),
    (r" report, ", "报道，"),
    (r"same text at", "同文见"),
    (r"quoted at", "转载于"),
    (r"both cite ", "均引自"),
    (r"\b(?:quotes|cites|cite) ", "引自"),
    (r" via ", "，转载于 "),
    (r"pop & urban: ", "人口与城镇人口："),
    (r"pop/urban: ", "人口与城镇人口："),
    (r"sex/age: ", "性别与年龄："),
    (r"birth rate: ", "出生率："),
    (r"rates: ", "出生率、死亡率等："),
    (r"urban: ", "城镇化率："),
    (r"\| structure: ", "｜结构："),
    (r"population: ", "人口："),
    (r"(\d) from ", r"\1 来自 "),
    (r" from ", " 来自 "),
    (r"(\d+) in ", r"\1 见 "),
    (r"value (\d+)", r"数值 \1"),
    (r" & ", " 及 "),
    (r"\(", "（"),
    (r"\)", "）"),
)

_BUREAU_TITLE = _PLACE + r"统计局"
# Chinese titles and terms → English, the original kept
TO_EN: tuple[Rule, ...] = (
    (
        _PLACE + r"(\d{4})年国民经济和社会发展统计公报",
        _title(
            lambda m: f"{_place(m)} Statistical Communiqué on National Economic and Social Development {m.group(2)}"
        ),
    ),
    (_PLACE + r"第七次全国人口普查公报", _title(lambda m: f"{_place(m)} 7th National Population Census Communiqué")),
    (_PLACE + r"七普公报\(第一号\)", _title(lambda m: f"{_place(m)} 7th census communiqué No. 1")),
    (r"(?:" + _PLACE + r")?(\d{4}) ?年?统计公报", _title(lambda m: f"{_place(m)} statistical bulletin {m.group(2)}")),
    (_PLACE + r" (\d{4}) 公报", _title(lambda m: f"{_place(m)} bulletin {m.group(2)}")),
    (r"(\d{4})湖南统计年鉴", _title(lambda m: f"Hunan Statistical Yearbook {m.group(1)}")),
    (_BUREAU_TITLE, _title(lambda m: f"{_place(m)} Bureau of Statistics")),
    (r"（第三号、第四号）", " (Nos. 3 and 4)"),
    (r"HN stats bureau", "the Hunan Bureau of Statistics"),
    (r"HN bulletin", "Hunan census communiqué"),
    (r"DERIVED", "derived"),
    (r"湖南人口城镇化状况分析", _title(lambda m: "An analysis of Hunan's population and urbanisation")),
    (r"衡阳日报", _title(lambda m: "Hengyang Daily")),
    (r"红网", _title(lambda m: "Rednet")),
    (r"华声在线", _title(lambda m: "Voice of Hunan online")),
    (r"观察者网", _title(lambda m: "Guancha")),
    (r"中国经济网", _title(lambda m: "China Economic Net")),
    (r"澎湃", _title(lambda m: "The Paper")),
    (r'"按户籍人口计算"', '"counted by household registration (按户籍人口计算)"'),
    (r"全省 row", "province (全省) row"),
    (r"大湘西", "Greater Xiangxi (大湘西)"),
    (r"洞庭湖", "Dongting Lake (洞庭湖)"),
    (r"岳阳\+常德", "Yueyang + Changde"),
    (r"rounded to 万", "rounded to 10,000s"),
    (r"(\d+(?:\.\d+)?)万", _wan),
    (r"(湘潭|娄底|衡阳|常德|怀化) ", lambda m: f"{PLACES[m.group(1)]} ({m.group(1)}) "),
    (r"（", " ("),
    (r"）", ")"),
)


def _apply(text: str, rules: tuple[Rule, ...]) -> str:
    kept: list[str] = []

    def hide(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    out = _KEEP.sub(hide, text)
    if rules is TO_EN:
        out = re.sub(r"《([^》]+)》", r"\1", out)  # a title already in 《》 is explained like any other
    for pattern, repl in rules:
        out = re.sub(pattern, repl, out)
        # a title once explained is left alone by the rules after it (湘潭 inside 《湘潭 2018 公报》)
        out = re.sub(r"《[^》\x00]*》", hide, out)
    while "\x00" in out:  # hidden parts may hold hidden parts (an address inside a title)
        out = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], out)
    return re.sub(r"》(?=[A-Za-z])", "》 ", out)


@lru_cache(maxsize=4096)
def source_note(text: str, lang: str) -> str:
    """``text`` (a figure's source or official source as the data has it) in ``lang``."""
    return _apply(text, TO_ZH if lang == "zh" else TO_EN)
