"""The capability gate: every capability call passes it (DESIGN.md, "The capability gate").

A view declares the capability it serves (``capability = "merchant.info.query"``) and uses
``openplatform.api.authentication.CapabilityTokenAuthentication`` + ``CapabilityGate``
(``openplatform.api.views.CapabilityAPIView`` does both). In order, each failure a
problem+json with a stable code and a detail that says how to fix it:

1. token known, not expired, not revoked → 401 ``invalid_token``
2. app live, ISV operational → 403 ``app_suspended`` / ``isv_suspended``
3. a ``pack:<code>`` scope for a pack containing the capability → 403 ``insufficient_scope``
4. an active subscription of the app to that pack → 403 ``pack_not_subscribed``
5. merchant context authorized and trading → 403 ``merchant_not_authorized`` /
   ``merchant_suspended``
6. quota → 429 ``quota_exceeded`` (``openplatform.api.quota``)
7. metering (``openplatform.api.metering``, written by the view's ``finalize_response``)

The kernel knows tokens, caching, quotas and metering; checks 2-5 are the domain's, asked of the
policy ``GATE["POLICY"]`` names (``governance.access.CapabilityAccess``): what a token's
decisions depend on (``subjects``) and the verdict (``decide``).

The decision for (token checksum, capability, language) is cached with the token's own facts
(expiry, RFC 8707 resources) and the generations it depended on: the token's and its subjects'
(app, ISV, merchant authorization, merchant). Every change of a row a decision reads bumps the
generation of what it concerns once it commits (``invalidate``: every state move calls it
through ``openplatform.transitions.transition``, and so do the services that change
such a row otherwise), and so does every change or deletion of an access token or of its link
to an authorization (``openplatform.api.signals``): a cached decision never outlives the state
it was made from.

Warm path: NO SQL and ONE Redis round trip. A token's context (app, ISV, authorization,
merchant) never changes, so each process remembers, per decision key, which generations and
prefetched values a call reads and which quota windows it counts in (``_Plan``, learnt from the
last call let through); one script reads the decision, those generations and the view's
prefetched values and counts the quota windows. If the decision turns out stale or refusing,
the count is given back and the call takes the cold path, which reads the generations BEFORE
the database, so a change committed meanwhile is never cached as current.

The round trip is sent as the request arrives: the process also remembers which decision key a
request signature (method, path, token checksum, Accept-Language) led to, and
``GateEarlyReadingMiddleware``, first in the chain, sends that key's script at once
(``send_early_reading``). Redis answers while the middleware, the URL resolver and DRF run; the
gate takes the reply if the key it works out is the same, and the middleware gives the count
back if the gate never took it (the call refused before the gate, or under another key). The
reading is the same script, taken when the call arrives instead of a fraction of a millisecond
later: a change committed before a call arrives is still seen by that call.

The refund exception: a view that declares ``serves_inactive_merchants = True`` is
let through check 5 when the merchant is suspended or cleared out. Only the merchant's state is
skipped: the app, ISV, scope, subscription, the authorization (still active, the pack still
granted) and pack restrictions are checked as for any call; a cleared-out merchant's
authorizations and tokens are revoked at clear-out, so in practice a suspended merchant is
what gets through. The view reads ``request.gate.merchant_inactive`` and applies its own
limit (the payment views: trades paid within ``REFUND_WINDOW_DAYS``). Its decision is cached
under its own key, apart from the same capability's on other views.
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from oauth2_provider.models import get_access_token_model
from redis.exceptions import RedisError
from rest_framework.permissions import BasePermission

from openplatform.api import quota
from openplatform.api.authentication import (
    BearerCredential,
    bearer_token,
    invalid_token,
    load_access_token,
    token_checksum,
)
from openplatform.api.error_codes import AccessError
from openplatform.api.policy import policy
from openplatform.api.problems import Problem

ACCESS_TOKEN_LABEL = "oauth2_provider.accesstoken"

logger = logging.getLogger(__name__)


def _gate_setting(name: str) -> Any:
    return settings.GATE[name]


# --- generations: what invalidates a cached decision ------------------------------------------

def generation_key(label: str, pk: Any) -> str:
    return f"gate:gen:{label}:{pk}"


def subject_key(model: type[models.Model], pk: Any) -> str:
    return generation_key(model._meta.label_lower, pk)


def generation_keys_for(instance: models.Model) -> list[str]:
    """The generations a change of ``instance`` invalidates: an access token's own, or those
    of the gate subjects the row names (``gate_subjects()``, on the models decisions read)."""
    if instance._meta.label_lower == ACCESS_TOKEN_LABEL:
        return [generation_key(ACCESS_TOKEN_LABEL, instance.pk)]
    subjects = getattr(instance, "gate_subjects", None)
    if subjects is None:
        return []
    return [subject_key(model, pk) for model, pk in subjects() if pk is not None]


def invalidate(instance: models.Model) -> None:
    """Once the transaction commits, every cached decision (and prefetched data) that
    depended on ``instance`` is stale; outside a transaction, at once."""
    keys = generation_keys_for(instance)
    if keys:
        transaction.on_commit(partial(bump_generation_keys, keys), robust=True)


def bump_generation_keys(keys: list[str]) -> None:
    if keys:
        cache.set_many({key: _new_generation() for key in keys},
                       timeout=_gate_setting("GENERATION_TTL"))


def _new_generation() -> int:
    """A fresh random value, not a counter: a generation that was evicted and set again can
    never equal a snapshot taken before. An int, which the Redis cache stores as its digits
    and reads back without unpickling (a warm call reads five)."""
    return secrets.randbits(63)


# --- the outcome the view reads --------------------------------------------------------------

@dataclass
class GateOutcome:
    """What the gate knows about a call; the view meters it and adds its headers."""

    capability: str
    app_id: int
    merchant_id: int | None = None
    pack: str = ""
    # The merchant is suspended or cleared out, served by a ``serves_inactive_merchants`` view.
    merchant_inactive: bool = False
    # Codes of the packs withheld from the merchant, and from the app (see ``Verdict``).
    withheld_from_merchant: frozenset[str] = frozenset()
    withheld_from_app: frozenset[str] = frozenset()
    headers: dict[str, str] = field(default_factory=dict)
    # Values of the view's ``gate_prefetch_keys``, read with the decision.
    prefetched: dict[str, Any] = field(default_factory=dict)
    generations: dict[str, int] = field(default_factory=dict)

    def generation(self, label: str, pk: Any) -> int | None:
        return self.generations.get(generation_key(label, pk))


# --- what a decision depends on ---------------------------------------------------------------

def _dependencies(access_token) -> tuple[list[str], int | None]:
    """The generation keys a decision for ``access_token`` depends on (the token's own and
    its subjects'), and the merchant it acts for."""
    subjects = policy().subjects(access_token)
    keys = [generation_key(ACCESS_TOKEN_LABEL, access_token.pk)]
    keys += [subject_key(model, pk) for model, pk in subjects.rows if pk is not None]
    return keys, subjects.merchant_id


# --- what a warm call reads, remembered per process -----------------------------------------

@dataclass(frozen=True)
class _Plan:
    app_id: int
    pack: str
    generation_keys: tuple[str, ...]
    prefetch_keys: tuple[str, ...]


# Decision key → plan, and request signature → decision key (what lets the middleware send a
# call's round trip before the call is routed); bounded (the oldest is forgotten first): a
# forgotten plan only costs the next call of that token the cold path.
PLAN_LIMIT = 10_000
_plans: dict[str, _Plan] = {}
_decision_keys: dict[tuple[str, ...], str] = {}


def _remember(memory: dict, key: Any, value: Any) -> None:
    if key not in memory and len(memory) >= PLAN_LIMIT:
        try:
            oldest = next(iter(memory), None)
        except RuntimeError:  # another thread changed it meanwhile: forget nothing this time
            oldest = None
        memory.pop(oldest, None)
    memory[key] = value


def _remember_plan(decision_key: str, plan: _Plan) -> None:
    _remember(_plans, decision_key, plan)


def _request_signature(request, checksum: str) -> tuple[str, ...]:
    """What a call's decision key follows from, as the raw request shows it (the language is
    worked out later, from the Accept-Language header as a rule)."""
    return (request.method, request.path_info, checksum,
            request.META.get("HTTP_ACCEPT_LANGUAGE", ""))


@dataclass
class _Reading:
    """A current decision and what was read with it."""

    decision: dict[str, Any]
    generations: dict[str, int]
    prefetched: dict[str, Any]
    # Set when the warm path counted the call's quota already: where, and the usage.
    counted_in: quota.QuotaWindows | None = None
    usage: quota.QuotaUsage | None = None


def _read_and_count(keys: list[str], counters: dict[str, int]) -> tuple[dict, dict[str, int]]:
    read_and_count = getattr(cache, "get_many_and_count", None)
    if read_and_count is not None:
        return read_and_count(keys, counters)
    return cache.get_many(keys), quota.increment(counters)


class CapabilityGate(BasePermission):
    """Checks 1-6 for a view that declares ``capability``; raises the matching Problem."""

    def has_permission(self, request, view) -> bool:
        credential = request.auth
        if not isinstance(credential, BearerCredential):
            raise invalid_token(_("Send an access token: Authorization: Bearer <token>. Get one "
                                  "from /oauth/token/."))
        capability = view.capability
        # The checksum, not the pk: a decision can never be read for another token. (v4: the
        # decision holds the token's facts, plain codes and withheld packs; an older one is
        # never read.)
        decision_key = f"gate:decision:v4:{credential.checksum}:{capability}:{get_language()}"
        if getattr(view, "serves_inactive_merchants", False):
            decision_key += ":inactive-merchants"
        now = timezone.now()
        reading = _warm_or_early_reading(request, decision_key, now)
        if reading is None:
            reading = _cold_reading(view, credential, capability, decision_key, now)
        decision = reading.decision
        try:
            _check_token(request, decision, now)
        except Problem:
            if reading.counted_in is not None:
                reading.counted_in.give_back()
                _plans.pop(decision_key, None)
            raise

        outcome = GateOutcome(capability=capability, app_id=decision["app_id"],
                              merchant_id=decision["merchant_id"], pack=decision["pack"],
                              merchant_inactive=decision["merchant_inactive"],
                              withheld_from_merchant=frozenset(decision["withheld_from_merchant"]),
                              withheld_from_app=frozenset(decision["withheld_from_app"]),
                              prefetched=reading.prefetched, generations=reading.generations)
        request.gate = outcome
        refusal = decision["refusal"]
        if refusal is not None:
            raise Problem(code=AccessError(refusal["code"]), detail=refusal["detail"])

        usage = reading.usage
        if usage is None:  # the cold path: count now; the next call can take the warm one
            usage = quota.consume(
                app_id=decision["app_id"], pack=decision["pack"], now=now,
                daily_limit=decision["daily_quota"],
                per_second_limit=decision["per_second_quota"])
            _remember_plan(decision_key, _Plan(
                app_id=decision["app_id"], pack=decision["pack"],
                generation_keys=tuple(reading.generations),
                prefetch_keys=tuple(view.gate_prefetch_keys(
                    merchant_id=decision["context_merchant_id"]))))
        # The next call of the same request signature is read as it arrives.
        _remember(_decision_keys, _request_signature(request, credential.checksum), decision_key)
        outcome.headers = usage.headers()
        if usage.exceeded:
            raise Problem(code=AccessError.QUOTA_EXCEEDED,
                          detail=usage.detail(app_label=decision["app_label"],
                                              app_id=decision["app_id"]),
                          headers={**outcome.headers, "Retry-After": str(usage.retry_after)})
        return True


def _warm_or_early_reading(request, decision_key: str, now: datetime) -> _Reading | None:
    """The warm path's reading: the one sent as the request came in if it is this call's,
    else one made now; None when this process has no plan for the key (or it was stale)."""
    early = getattr(request, "gate_early_reading", None)
    if early is not None and not early.done:
        if early.decision_key == decision_key:
            return early.take(now)
        early.settle()  # given back before this call counts again
    plan = _plans.get(decision_key)
    return _warm_reading(decision_key, plan, now) if plan is not None else None


def _warm_reading(decision_key: str, plan: _Plan, now: datetime) -> _Reading | None:
    """One round trip: the decision, its generations, the prefetched values, and the quota
    counted ahead; None (the count given back) unless the decision is current and lets the
    call through in the pack the plan counted."""
    windows = quota.QuotaWindows.at(app_id=plan.app_id, pack=plan.pack, now=now)
    found, counts = _read_and_count(_warm_keys(decision_key, plan), windows.timeouts)
    return _judge_warm(decision_key, plan, windows, found, counts, now)


def _warm_keys(decision_key: str, plan: _Plan) -> list[str]:
    return [decision_key, *plan.generation_keys, *plan.prefetch_keys]


def _judge_warm(decision_key: str, plan: _Plan, windows: quota.QuotaWindows,
                found: dict[str, Any], counts: dict[str, int], now: datetime) -> _Reading | None:
    decision = found.get(decision_key)
    generations = {key: found.get(key) for key in plan.generation_keys}
    if (_is_current(decision, generations, now) and decision["refusal"] is None
            and decision["app_id"] == plan.app_id and decision["pack"] == plan.pack):
        return _Reading(
            decision=decision, generations=generations,
            prefetched={key: found[key] for key in plan.prefetch_keys if key in found},
            counted_in=windows,
            usage=windows.usage(counts, daily_limit=decision["daily_quota"],
                                per_second_limit=decision["per_second_quota"]))
    windows.give_back()
    _plans.pop(decision_key, None)
    return None


@dataclass
class EarlyReading:
    """A warm call's round trip, sent by ``GateEarlyReadingMiddleware`` as the request came
    in, so that Redis answers while Django routes the request; the gate takes the reply."""

    decision_key: str
    plan: _Plan
    windows: quota.QuotaWindows
    pending: Any
    done: bool = False

    def take(self, now: datetime) -> _Reading | None:
        self.done = True
        found, counts = self.pending.result()
        return _judge_warm(self.decision_key, self.plan, self.windows, found, counts, now)

    def settle(self) -> None:
        """Give back the count of a call the gate did not take this reading for: refused
        before the gate, or judged under another decision key."""
        if self.done:
            return
        self.done = True
        try:
            self.pending.result()
            self.windows.give_back()
        except RedisError:
            logger.warning("Gate: a call counted ahead could not be given back (%s).",
                           self.windows.second_key, exc_info=True)


def send_early_reading(request) -> EarlyReading | None:
    """For a call whose decision key this process has learnt (and has a plan for): send its
    one round trip now and keep it on ``request.gate_early_reading``. None otherwise."""
    raw_token = bearer_token(request)
    if not raw_token:
        return None
    send = getattr(cache, "send_read_and_count", None)
    if send is None:  # a cache without it (local memory) answers without a round trip
        return None
    decision_key = _decision_keys.get(_request_signature(request, token_checksum(raw_token)))
    plan = _plans.get(decision_key) if decision_key is not None else None
    if plan is None:
        return None
    windows = quota.QuotaWindows.at(app_id=plan.app_id, pack=plan.pack, now=timezone.now())
    try:
        pending = send(_warm_keys(decision_key, plan), windows.timeouts)
    except RedisError:
        return None  # the gate meets the same failure where it can answer for it
    request.gate_early_reading = EarlyReading(
        decision_key=decision_key, plan=plan, windows=windows, pending=pending)
    return request.gate_early_reading


def _cold_reading(view, credential: BearerCredential, capability: str, decision_key: str,
                  now: datetime) -> _Reading:
    """The cached decision if it is current, else a new one made from the database (and
    cached), with its generations read before the database."""
    decision = cache.get(decision_key)
    if decision is not None:
        dependencies, merchant_id = decision["dependencies"], decision["context_merchant_id"]
    else:
        dependencies, merchant_id = _dependencies(_load_token(credential))
    attempts_left = 3
    while True:
        prefetch_keys = view.gate_prefetch_keys(merchant_id=merchant_id)
        found = cache.get_many([*dependencies, *prefetch_keys])
        prefetched = {key: found[key] for key in prefetch_keys if key in found}
        generations = {key: found.get(key) for key in dependencies}
        if _is_current(decision, generations, now):
            return _Reading(decision=decision, generations=generations, prefetched=prefetched)
        generations = _snapshot_generations(generations)
        # Loaded after the snapshot: whatever commits from now on bumps a generation in it.
        decision = _decision(access_token=_load_token(credential), capability=capability,
                             serves_inactive_merchants=getattr(
                                 view, "serves_inactive_merchants", False))
        decision["generations"] = generations
        attempts_left -= 1
        settled = decision["dependencies"] == dependencies
        if settled:
            cache.set(decision_key, decision, timeout=_gate_setting("DECISION_TTL"))
        if settled or not attempts_left:
            # Unsettled: the token's context keeps changing (never seen); serve, cache nothing.
            return _Reading(decision=decision, generations=generations, prefetched=prefetched)
        # The token's context changed between two reads: snapshot its new generations.
        dependencies, merchant_id = decision["dependencies"], decision["context_merchant_id"]
        decision = None


def _load_token(credential: BearerCredential):
    access_token = load_access_token(credential.raw)
    if access_token is None or access_token.is_expired() or access_token.application is None:
        raise invalid_token()
    return access_token


def _check_token(request, decision: dict[str, Any], now: datetime) -> None:
    """Check 1 from the decision's copy of the token: its expiry and RFC 8707 resources."""
    token = decision["token"]
    if token["expires"] is None or now.timestamp() >= token["expires"]:
        raise invalid_token()
    if token["resource"] and not get_access_token_model()(
        resource=token["resource"]
    ).allows_audience(request.build_absolute_uri(request.path)):
        raise invalid_token(_("This access token is restricted to other resources "
                              "(RFC 8707); request one without a resource indicator."))


def _is_current(decision: dict | None, generations: dict[str, int | None],
                now: datetime) -> bool:
    if decision is None or decision["generations"] != generations:
        return False
    if None in generations.values():
        return False
    valid_until = decision["valid_until"]
    return valid_until is None or now.timestamp() < valid_until


def _snapshot_generations(generations: dict[str, int | None]) -> dict[str, int]:
    """The current generations, each one created if missing (so that a later bump differs)."""
    missing = [key for key, value in generations.items() if value is None]
    if not missing:
        return generations
    for key in missing:
        cache.add(key, _new_generation(), timeout=_gate_setting("GENERATION_TTL"))
    return {**generations, **cache.get_many(missing)}


def _decision(*, access_token, capability: str,
              serves_inactive_merchants: bool = False) -> dict[str, Any]:
    """The policy's verdict as plain data, with what a later call needs without the database:
    the token's own facts and the generations the decision depends on."""
    verdict = policy().decide(access_token, capability,
                              serves_inactive_merchants=serves_inactive_merchants)
    dependencies, merchant_id = _dependencies(access_token)
    app = access_token.application
    expires = access_token.expires
    refusal = ({"code": verdict.refusal.value, "detail": verdict.detail}
               if verdict.refusal is not None else None)
    return {
        "refusal": refusal,
        "pack": verdict.pack,
        "merchant_id": verdict.merchant_id,
        "merchant_inactive": verdict.merchant_inactive,
        "withheld_from_merchant": sorted(verdict.withheld_from_merchant),
        "withheld_from_app": sorted(verdict.withheld_from_app),
        "daily_quota": verdict.daily_quota,
        "per_second_quota": verdict.per_second_quota,
        # A refusal is kept until a generation changes; a grant until it ends.
        "valid_until": (verdict.valid_until.timestamp()
                        if refusal is None and verdict.valid_until else None),
        "app_id": app.pk,
        "app_label": app.name or app.client_id,
        "token": {"expires": expires.timestamp() if expires else None,
                  "resource": list(access_token.resource or [])},
        "dependencies": dependencies,
        "context_merchant_id": merchant_id,
    }
