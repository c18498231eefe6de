"""Every visible string, from one catalog per language: the JSON files in ``ui/locales/<lang>/``
(``common.json`` plus one file per page), merged; a key may be defined only once.

Chinese is the default; English is a switch. Names that come with the data (plan items,
indicators, regions) carry both languages in the data itself, see :func:`name_col`.
``tests/app/test_i18n.py`` fails when a key exists in one catalog only, or when code
asks for a key that no catalog has.
"""

from __future__ import annotations

import streamlit as st

from views.i18n import DEFAULT_LANG, LANGS, LOCALE_DIR, catalog

# The catalogs themselves are read without a session (views/i18n.py): the pack and the view
# models word their texts from them; this module adds the session's current language.
__all__ = ["DEFAULT_LANG", "LANGS", "LOCALE_DIR", "catalog", "current_lang", "name_col", "t"]


def current_lang() -> str:
    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The text for ``key`` in ``lang`` (default: the session's language), formatted with ``values``."""
    text = catalog(lang or current_lang())[key]
    return text.format(**values) if values else text


def name_col(base: str, lang: str | None = None) -> str:
    """``name`` → ``name_zh`` or ``name_en``: the data's own column in the current language."""
    return f"{base}_{lang or current_lang()}"
