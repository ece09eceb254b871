"""The capability gate's domain side, as the kernel sees it: a policy object named by
``GATE["POLICY"]`` that knows what a token's decisions read and gives the verdict of checks
2-5; the kernel's gate (``openplatform.api.gate``) caches, counts quotas and meters around it.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from openplatform.api.error_codes import AccessError


@dataclass(frozen=True)
class TokenSubjects:
    """The rows a token's decisions read (each ``(model, pk)``), and the merchant it acts for."""

    rows: list[tuple[type[models.Model], Any]]
    merchant_id: int | None


@dataclass(frozen=True)
class Verdict:
    """The policy's answer to checks 2-5 for one token and capability: a refusal with its
    detail, or the pack, merchant and quota the call is served under."""

    refusal: AccessError | None = None
    detail: str = ""
    pack: str = ""
    merchant_id: int | None = None
    # The merchant is suspended or cleared out, served by a ``serves_inactive_merchants`` view.
    merchant_inactive: bool = False
    daily_quota: int = 0
    per_second_quota: int = 0
    # When the grant the call acts under ends (None: it does not).
    valid_until: datetime | None = None
    # Codes of the packs withheld (by governance) from the merchant, and from the app: what
    # lets a service check another pack for the same call without reading them again.
    withheld_from_merchant: frozenset[str] = frozenset()
    withheld_from_app: frozenset[str] = frozenset()


class GatePolicy(Protocol):
    """The domain's side of the gate, named by ``GATE["POLICY"]``: the kernel knows tokens,
    caching and quotas, the domain knows apps, ISVs, packs, merchants and governance."""

    token_related: tuple[str, ...]  # select_related paths loaded with the token

    def subjects(self, access_token) -> TokenSubjects: ...

    def decide(self, access_token, capability: str, *,
               serves_inactive_merchants: bool = False) -> Verdict: ...


@lru_cache(maxsize=1)
def policy() -> GatePolicy:
    return import_string(settings.GATE["POLICY"])()
