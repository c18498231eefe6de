"""The catalogs of visible text, readable without a Streamlit session.

Every visible string lives in ``ui/locales/<lang>/*.json`` (``common.json`` plus one file per
page), merged; a key may be defined only once. A view asks for text in the language of its
filters; the Streamlit side (:mod:`ui.i18n`) adds the session's current language on top.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Final

LANGS: Final = ("zh", "en")
DEFAULT_LANG: Final = "zh"
LOCALE_DIR: Final = Path(__file__).resolve().parent.parent / "ui" / "locales"


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every key of ``lang``'s catalog files, merged; a key defined in two files is an error."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.json")):
        with path.open(encoding="utf-8") as fh:
            part: dict[str, str] = json.load(fh)
        clash = set(part) & set(merged)
        if clash:
            raise ValueError(f"{path}: keys defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


def text(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang``, formatted with ``values``."""
    found = catalog(lang)[key]
    return found.format(**values) if values else found


def name_col(base: str, lang: str) -> str:
    """``name`` → ``name_zh`` or ``name_en``: the data's own column in ``lang``."""
    return f"{base}_{lang}"
