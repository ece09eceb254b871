"""Merchant category codes (ISO 18245) offered to merchants on onboarding.

The list ships as ``data/mcc.json`` and is read once per process.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

MCC_DATA_PATH = Path(__file__).resolve().parent / "mcc.json"


@dataclass(frozen=True)
class MerchantCategory:
    code: str
    name_en: str
    name_zh: str
    category: str
    fee_rate_bp: int

    @property
    def name(self) -> str:
        """The name in the active language (Chinese for any zh-* locale)."""
        language = get_language() or ""
        return self.name_zh if language.startswith("zh") else self.name_en


@cache
def all_categories() -> tuple[MerchantCategory, ...]:
    """All shipped categories, ordered by code."""
    with MCC_DATA_PATH.open(encoding="utf-8") as data_file:
        entries = json.load(data_file)
    categories = (MerchantCategory(**entry) for entry in entries)
    return tuple(sorted(categories, key=lambda category: category.code))


@cache
def _categories_by_code() -> dict[str, MerchantCategory]:
    return {category.code: category for category in all_categories()}


def get_category(code: str) -> MerchantCategory | None:
    return _categories_by_code().get(code)


def category_choices() -> list[tuple[str, str]]:
    """Form choices such as ``("5411", "5411 — Grocery Stores and Supermarkets")``.

    Labels follow the language active at call time, so pass the function
    itself (not its result) as ``choices`` to get per-request labels.
    """
    return [(category.code, f"{category.code} — {category.name}") for category in all_categories()]
