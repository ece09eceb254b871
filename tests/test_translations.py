"""Both catalogues are complete: every string a person reads has a zh-Hans and an en text."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
ENTRY = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def read_catalogue(language: str) -> dict[str, dict]:
    """msgid → {"msgstr": [...], "fuzzy": bool}, read straight from the .po file."""
    entries: dict[str, dict] = {}
    current: dict | None = None
    key = None
    fuzzy = False
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif match := ENTRY.match(line):
            key, text = match.groups()
            if key == "msgid":
                current = {"msgid": text, "msgstr": [], "fuzzy": fuzzy}
            elif key.startswith("msgstr"):
                current["msgstr"].append(text)
        elif line.startswith('"') and current is not None:
            text = line[1:-1]
            if key == "msgid":
                current["msgid"] += text
            elif key.startswith("msgstr"):
                current["msgstr"][-1] += text
        elif not line.strip() and current is not None:
            entries[current["msgid"]] = current
            current, fuzzy = None, False
    entries.pop("", None)  # the header
    return entries


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    catalogue = read_catalogue(language)
    assert catalogue
    untranslated = [msgid for msgid, entry in catalogue.items()
                    if not all(entry["msgstr"]) or entry["fuzzy"]]
    assert untranslated == []


def test_both_catalogues_hold_the_same_strings():
    assert set(read_catalogue("zh_Hans")) == set(read_catalogue("en"))


def test_compiled_chinese_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Merchants") != "Merchants"
