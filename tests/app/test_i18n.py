"""Both catalogs hold the same keys, and every key the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

from ui.i18n import LANGS, catalog

ROOT = Path(__file__).resolve().parents[2]
KEY_CALL = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")


def test_catalogs_have_the_same_keys() -> None:
    zh, en = (set(catalog(lang)) for lang in LANGS)
    assert zh - en == set(), f"missing in en: {sorted(zh - en)}"
    assert en - zh == set(), f"missing in zh: {sorted(en - zh)}"


def test_every_key_used_in_code_exists() -> None:
    used: set[str] = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]:
        used |= set(KEY_CALL.findall(path.read_text(encoding="utf-8")))
    assert used, "no t('…') calls found: the pattern is stale"
    for lang in LANGS:
        missing = used - set(catalog(lang))
        assert not missing, f"{lang}: {sorted(missing)}"


def test_page_titles_have_entries() -> None:
    from ui.nav import PAGES

    for lang in LANGS:
        for spec in PAGES:
            assert catalog(lang)[spec.title_key]


def test_no_empty_or_untranslated_strings() -> None:
    zh, en = catalog("zh"), catalog("en")
    han = re.compile(r"[\u4e00-\u9fff]")
    for key in zh:
        assert zh[key].strip() and en[key].strip(), key
        # the English catalog must not leak Chinese, except where it names the notice
        assert not han.search(en[key]) or key == "filters.language", key
