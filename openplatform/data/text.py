"""Text as names, business scopes and negative-list keywords are compared in: full-width to
half-width, traditional to simplified Chinese, case folded, punctuation and spaces removed."""

import unicodedata

import opencc

# Building a converter loads its dictionaries: once per process.
_TRADITIONAL_TO_SIMPLIFIED = opencc.OpenCC("t2s")
# Unicode general categories dropped before matching: punctuation (P*), symbols (S*),
# separators (Z*) and control / format characters (C*, e.g. zero-width joiners).
_DROPPED_CATEGORIES = frozenset("PSZC")


def normalise_text(value: str) -> str:
    """The form names, scopes and keywords are compared in.

    Full-width to half-width (NFKC), traditional to simplified Chinese, case folded, and every
    space, punctuation mark and symbol removed: ``賭 場``, a full-width ``DUCHANG`` and
    ``Du-Chang`` become ``赌场``, ``duchang`` and ``duchang``.
    """
    text = _TRADITIONAL_TO_SIMPLIFIED.convert(unicodedata.normalize("NFKC", value)).casefold()
    return "".join(
        char for char in unicodedata.normalize("NFKC", text)
        if unicodedata.category(char)[0] not in _DROPPED_CATEGORIES
    )


# Joins a merchant's normalised texts: a control character, which normalise_text removes, so
# that no keyword can match across two fields.
SCREENING_TEXT_SEPARATOR = "\n"


def screening_text(*, legal_name: str, short_name: str, business_scope: str) -> str:
    """A merchant's legal name, short name and business scope, each normalised, in this order,
    joined by ``SCREENING_TEXT_SEPARATOR``: what keywords are matched in (stored on the merchant
    as ``screening_text``, so that re-screens neither renormalise it nor read the raw fields)."""
    return SCREENING_TEXT_SEPARATOR.join(
        normalise_text(value) for value in (legal_name, short_name, business_scope))
