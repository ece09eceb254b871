"""The screening engine: matching a merchant's data against the negative list.

Rules (what a hit means):

- **Hard hits** reject an application or open a governance action on a live merchant:
  - an exact match, after normalisation, of the merchant's unified social credit code, legal
    representative ID number (keyed digest), settlement account (keyed digest), contact phone
    or website domain; a domain entry also matches every sub-domain (``bet.example`` hits
    ``www.bet.example``);
  - the merchant's MCC listed as a prohibited industry;
  - a keyword found in the legal name or the short name;
  - a USCC that is missing or invalid: category ``unlicensed`` (no business registration),
    without any entry.
- **Near misses** send an application to manual review (a warning on a live merchant): a keyword
  found only in the business scope, where words like "anti-gambling consulting" are legitimate.
- Names, scopes and keywords are compared after ``normalise_text`` (width, traditional /
  simplified Chinese, case, spaces, punctuation and symbols), with one Aho-Corasick automaton for
  all keywords (ahocorasick-rs: its search time hardly grows with the number of keywords'
  distinct first characters, which is large for Chinese). The merchant side is its stored
  ``screening_text`` (the three fields normalised and joined by a separator no keyword can
  contain), searched once per merchant. Expired entries (``expires_at`` in the past) never
  match, even in an index built before they expired.

The decisive hit of a result is the hard one of the gravest category (sanctions, drugs,
gambling, pornography, fraud, unlicensed, other). What the ISV reads is its reason code
(``negative_list.<category>`` or ``unlicensed``) and a message naming the category and the
merchant's field: never the entry's value.

The index is built once per negative-list version and kept per process; a worker rebuilds it
only when the list changed (``negative_list_version``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import uuid4

import ahocorasick_rs
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.choices import EntryCategory, EntryKind
from governance.models import NegativeListEntry
from openplatform.data.text import SCREENING_TEXT_SEPARATOR, normalise_text
from openplatform.data.validators import validate_uscc

VERSION_CACHE_KEY = "negative_list_version"
UNLICENSED_REASON_CODE = "unlicensed"

CLEAN = "clean"
HARD_HIT = "hard_hit"
NEAR_MISS = "near_miss"

# Gravest first: the decisive hit of a result is the first of these among its hard hits.
CATEGORY_PRIORITY = (
    EntryCategory.SANCTIONS, EntryCategory.DRUGS, EntryCategory.GAMBLING,
    EntryCategory.PORNOGRAPHY, EntryCategory.FRAUD, EntryCategory.UNLICENSED,
    EntryCategory.OTHER,
)
# Hits of these categories suspend a live merchant; the others order it to rectify.
SUSPENSION_CATEGORIES = frozenset({
    EntryCategory.PORNOGRAPHY, EntryCategory.GAMBLING, EntryCategory.DRUGS,
    EntryCategory.SANCTIONS,
})

# Exact kinds: entry kind -> (merchant column, field named in messages).
EXACT_KIND_FIELDS = {
    EntryKind.USCC: ("uscc", "uscc"),
    EntryKind.ID_NUMBER: ("legal_rep_id_number_digest", "legal_rep_id_number"),
    EntryKind.BANK_ACCOUNT: ("settlement_account_digest", "settlement_account"),
    EntryKind.PHONE: ("contact_phone", "contact_phone"),
    EntryKind.INDUSTRY: ("mcc", "mcc"),
}
# Keywords in these fields are hard hits; in the business scope a near miss.
NAME_FIELDS = ("legal_name", "short_name")
SCOPE_FIELD = "business_scope"
# The fields of a merchant's screening_text, in their order there.
TEXT_FIELDS = (*NAME_FIELDS, SCOPE_FIELD)
# The only merchant columns screening reads (streamed re-screens read just these, as tuples).
SCREENED_COLUMNS = (
    "id", "uscc", "legal_rep_id_number_digest", "settlement_account_digest", "contact_phone",
    "website", "mcc", "screening_text",
)

FIELD_LABELS = {
    "uscc": gettext_lazy("unified social credit code"),
    "legal_rep_id_number": gettext_lazy("legal representative ID number"),
    "settlement_account": gettext_lazy("settlement account"),
    "contact_phone": gettext_lazy("contact phone"),
    "website": gettext_lazy("website domain"),
    "mcc": gettext_lazy("merchant category code (MCC)"),
    "legal_name": gettext_lazy("legal name"),
    "short_name": gettext_lazy("short name"),
    "business_scope": gettext_lazy("business scope"),
}


class Screenable(Protocol):
    """What screening reads of a merchant: a Merchant, or a row of SCREENED_COLUMNS."""

    uscc: str
    legal_rep_id_number_digest: str
    settlement_account_digest: str
    contact_phone: str
    website: str
    mcc: str
    screening_text: str


class IndexedEntry(Protocol):
    """What the index reads of an entry: a NegativeListEntry, or a row of INDEXED_ENTRY_COLUMNS
    (building the whole list's index reads rows, not model instances)."""

    pk: int
    kind: str
    value: str
    category: str
    expires_at: datetime | None
    updated_at: datetime


INDEXED_ENTRY_COLUMNS = ("pk", "kind", "value", "category", "expires_at", "updated_at")


@dataclass(frozen=True)
class Listing:
    """What the index keeps of one entry: never needed to show its value."""

    entry_id: int
    category: str
    expires_at: datetime | None
    listed_at: datetime | None

    def in_force(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now


@dataclass(frozen=True)
class Hit:
    """One match: the entry (None for a missing or invalid USCC), its kind and category, the
    merchant field it matched, and whether it is hard. ``listed_at`` is when the entry was
    last changed: a governance decision taken after it stands (see merchant_rescreen_live)."""

    entry_id: int | None
    kind: str
    category: str
    field: str
    hard: bool
    listed_at: datetime | None = None

    @property
    def reason_code(self) -> str:
        if self.entry_id is None:
            return UNLICENSED_REASON_CODE
        return f"negative_list.{self.category}"

    @property
    def message(self) -> str:
        category = EntryCategory(self.category).label
        field = FIELD_LABELS[self.field]
        if self.entry_id is None:
            return _("The merchant has no valid unified social credit code: it is treated as "
                     "unlicensed (category: %(category)s).") % {"category": category}
        if self.hard:
            return _("The merchant's %(field)s matches the platform's negative list "
                     "(category: %(category)s).") % {"field": field, "category": category}
        return _("The merchant's %(field)s resembles the platform's negative list "
                 "(category: %(category)s) and needs a manual review.") % {
                     "field": field, "category": category}


@dataclass(frozen=True)
class ScreeningResult:
    hits: tuple[Hit, ...]

    @property
    def outcome(self) -> str:
        if any(hit.hard for hit in self.hits):
            return HARD_HIT
        return NEAR_MISS if self.hits else CLEAN

    @property
    def decisive_hit(self) -> Hit | None:
        """The hit the platform acts on: hard before near, then the gravest category."""
        if not self.hits:
            return None
        return min(self.hits, key=lambda hit: (not hit.hard,
                                               CATEGORY_PRIORITY.index(hit.category)))


class NegativeListIndex:
    """Exact lookups per kind, the prohibited MCCs and an automaton of all keywords.

    ``check_registration`` adds the unlicensed rule (missing or invalid USCC); an index of a
    single entry, used to find who a new entry hits, leaves it out.
    """

    def __init__(self, entries: Iterable[IndexedEntry], *, check_registration: bool = True):
        self.check_registration = check_registration
        self.exact: dict[str, dict[str, Listing]] = {kind: {} for kind in EntryKind}
        keywords: dict[str, list[Listing]] = {}
        for entry in entries:
            listing = Listing(entry_id=entry.pk, category=entry.category,
                              expires_at=entry.expires_at, listed_at=entry.updated_at)
            if entry.kind == EntryKind.KEYWORD:
                # Re-normalised: entries stored before a change of the rules still match.
                keyword = normalise_text(entry.value)
                if keyword:
                    keywords.setdefault(keyword, []).append(listing)
            else:
                self.exact[entry.kind][entry.value] = listing
        # Pattern number (the automaton's answer) -> the entries of that keyword.
        self.keyword_listings = tuple(tuple(listings) for listings in keywords.values())
        # Standard match kind, searched with overlapping=True: every keyword at every position.
        self.keywords = ahocorasick_rs.AhoCorasick(list(keywords)) if keywords else None

    @classmethod
    def build(cls, *, now: datetime | None = None) -> "NegativeListIndex":
        """An index of every entry in force ``now``."""
        now = now or timezone.now()
        return cls(NegativeListEntry.objects.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        ).values_list(*INDEXED_ENTRY_COLUMNS, named=True).iterator(chunk_size=2000))

    def lookup(self, kind: str, value: str, now: datetime) -> Listing | None:
        listing = self.exact[kind].get(value) if value else None
        return listing if listing is not None and listing.in_force(now) else None

    def domain_lookup(self, domain: str, now: datetime) -> Listing | None:
        """The entry listing ``domain`` or one of its parent domains (two labels at least)."""
        labels = domain.split(".") if domain else []
        for start in range(len(labels) - 1):
            listing = self.lookup(EntryKind.DOMAIN, ".".join(labels[start:]), now)
            if listing is not None:
                return listing
        return None

    def keyword_matches(self, text: str, now: datetime) -> list[tuple[str, Listing]]:
        """(field, entry) for each keyword in force found in a merchant's ``screening_text``,
        once per field and entry, in the order of the fields and of first occurrence."""
        if self.keywords is None or not text:
            return []
        matches = self.keywords.find_matches_as_indexes(text, overlapping=True)
        if not matches:
            return []
        # Where each field ends in the text: a match lies wholly inside one field.
        ends = [position for position, char in enumerate(text)
                if char == SCREENING_TEXT_SEPARATOR]
        found: dict[tuple[str, int], tuple[str, Listing]] = {}
        for pattern, start, _end in matches:
            field = TEXT_FIELDS[sum(1 for end in ends if end < start)]
            for listing in self.keyword_listings[pattern]:
                if listing.in_force(now):
                    found.setdefault((field, listing.entry_id), (field, listing))
        return sorted(found.values(), key=lambda match: TEXT_FIELDS.index(match[0]))


def screen_merchant(
    merchant: Screenable, index: NegativeListIndex, *, now: datetime | None = None
) -> ScreeningResult:
    """Every hit of ``merchant`` (a Merchant, or a row of SCREENED_COLUMNS) against ``index``
    (see the rules above); reads no database."""
    now = now or timezone.now()
    hits: list[Hit] = []

    def add(listing: Listing | None, kind: str, field: str, *, hard: bool = True) -> None:
        if listing is not None:
            hits.append(Hit(entry_id=listing.entry_id, kind=kind, category=listing.category,
                            field=field, hard=hard, listed_at=listing.listed_at))

    if index.check_registration and not _has_valid_uscc(merchant.uscc):
        hits.append(Hit(entry_id=None, kind=EntryKind.USCC, category=EntryCategory.UNLICENSED,
                        field="uscc", hard=True))
    for kind, (column, field) in EXACT_KIND_FIELDS.items():
        add(index.lookup(kind, getattr(merchant, column), now), kind, field)
    add(index.domain_lookup(merchant.website, now), EntryKind.DOMAIN, "website")
    for field, listing in index.keyword_matches(merchant.screening_text, now):
        add(listing, EntryKind.KEYWORD, field, hard=field != SCOPE_FIELD)
    return ScreeningResult(hits=tuple(hits))


def _has_valid_uscc(uscc: str) -> bool:
    try:
        validate_uscc(uscc or "")
    except ValidationError:
        return False
    return True


# --- The index per list version -------------------------------------------------------------

_cached_index: tuple[str, NegativeListIndex] | None = None


def bump_negative_list_version() -> None:
    """Tell every process that the list changed (the negative-list services call it on commit)."""
    cache.set(VERSION_CACHE_KEY, uuid4().hex, timeout=None)


def negative_list_version() -> str:
    """The version of the list: the token the services bump, plus the entries' count and latest
    change, so that a process whose cache is its own (the local-memory cache of the embedded
    default, where web and worker are separate processes) still sees every change."""
    token = cache.get(VERSION_CACHE_KEY)
    if token is None:
        cache.add(VERSION_CACHE_KEY, uuid4().hex, timeout=None)
        token = cache.get(VERSION_CACHE_KEY)
    state = NegativeListEntry.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    latest = state["latest"].isoformat() if state["latest"] else "-"
    return f"{token}:{state['count']}:{latest}"


def current_index() -> NegativeListIndex:
    """The index of the current list version, built at most once per version and process."""
    global _cached_index
    version = negative_list_version()
    if _cached_index is None or _cached_index[0] != version:
        _cached_index = (version, NegativeListIndex.build())
    return _cached_index[1]
