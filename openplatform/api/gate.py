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

The decision for (token checksum, capability, language) is cached with the token's own facts
(expiry, RFC 8707 resources) and the generations it depended on: the token's, its app's, ISV's,
merchant authorization's and merchant's. Every audited change of an ISV, app, subscription,
authorization, merchant, store or governance action bumps the generation of what it concerns
(``bump_generation``, called by ``audit_record`` on commit), and so does every change or
deletion of an access token or of its link to an authorization (``openplatform.api.signals``):
a cached decision never outlives the state it was made from.

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

The refund exception (issue 8): a view that declares ``serves_inactive_merchants = True`` is
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
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from oauth2_provider.models import get_access_token_model
from redis.exceptions import RedisError
from rest_framework.permissions import BasePermission

from catalog.models import FunctionPack
from governance.selectors import restricted_pack_codes
from isv.choices import OPEN_SUBSCRIPTION_STATES, AppState, IsvKind, SubscriptionState
from isv.models import App, Isv, Subscription
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant
from openplatform.api import quota
from openplatform.api.authentication import (
    BearerCredential,
    bearer_token,
    invalid_token,
    load_access_token,
    token_checksum,
)
from openplatform.api.error_codes import AccessError
from openplatform.api.problems import Problem

# Merchants in these states may be served; every other state is refused as suspended.
SERVED_MERCHANT_STATES = (MerchantState.ACTIVE, MerchantState.RECTIFYING)
# ... and a view with ``serves_inactive_merchants`` also serves merchants in these.
INACTIVE_MERCHANT_STATES = (MerchantState.SUSPENDED, MerchantState.CLEARED_OUT)

ACCESS_TOKEN_LABEL = "oauth2_provider.accesstoken"

logger = logging.getLogger(__name__)


def _gate_setting(name: str) -> Any:
    return settings.GATE[name]


# --- generations: what invalidates a cached decision ------------------------------------------

def generation_key(label: str, pk: Any) -> str:
    return f"gate:gen:{label}:{pk}"


def generation_keys_for(instance: models.Model) -> list[str]:
    """The generations a change of ``instance`` invalidates (none for most models)."""
    label = instance._meta.label_lower
    if label in ("isv.isv", "isv.app", "merchants.merchant", "merchants.authorization",
                 ACCESS_TOKEN_LABEL):
        return [generation_key(label, instance.pk)]
    if label == "merchants.authorizationtoken":
        return [generation_key(ACCESS_TOKEN_LABEL, instance.access_token_id)]
    if label == "isv.subscription":
        # Decisions depend on the app's set of subscriptions, including ones not yet there.
        return [generation_key("isv.app", instance.app_id)]
    if label == "merchants.store":
        return [generation_key("merchants.merchant", instance.merchant_id)]
    if label == "governance.governanceaction":
        return [generation_key(target_label, pk) for target_label, pk in (
            ("isv.isv", instance.isv_id), ("isv.app", instance.app_id),
            ("merchants.merchant", instance.merchant_id)) if pk is not None]
    return []


def bump_generation(instance: models.Model) -> None:
    """Invalidate every cached decision (and prefetched data) that depended on ``instance``."""
    bump_generation_keys(generation_keys_for(instance))


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
    headers: dict[str, str] = field(default_factory=dict)
    # Values of the view's ``gate_prefetch_keys``, read with the decision.
    prefetched: dict[str, Any] = field(default_factory=dict)
    generations: dict[str, int] = field(default_factory=dict)

    def generation(self, label: str, pk: Any) -> int | None:
        return self.generations.get(generation_key(label, pk))


def _context_ids(access_token) -> dict[str, Any]:
    """The ids a decision depends on, all known from the token's one joined query."""
    app = access_token.application
    link = getattr(access_token, "merchant_authorization", None)
    authorization_id = link.authorization_id if link is not None else None
    if link is not None:
        merchant_id = link.authorization.merchant_id
    elif app.isv.kind == IsvKind.SELF:
        merchant_id = app.isv.merchant_id
    else:
        merchant_id = None
    return {"token": access_token.pk, "app": app.pk, "isv": app.isv_id,
            "authorization": authorization_id, "merchant": merchant_id}


def _dependency_keys(ids: dict[str, Any]) -> list[str]:
    labels = {"token": ACCESS_TOKEN_LABEL, "app": "isv.app", "isv": "isv.isv",
              "authorization": "merchants.authorization", "merchant": "merchants.merchant"}
    return [generation_key(labels[name], pk) for name, pk in ids.items() if pk is not None]


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
        # The checksum, not the pk: a decision can never be read for another token. (v3: the
        # decision holds the token's facts and plain codes; an older one is never read.)
        decision_key = f"gate:decision:v3:{credential.checksum}:{capability}:{get_language()}"
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
                              merchant_inactive=decision.get("merchant_inactive", False),
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
        ids = _context_ids(_load_token(credential))
        dependencies, merchant_id = _dependency_keys(ids), ids["merchant"]
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
    """``decide`` plus what a later call needs without the database: the token's own facts
    and the generations the decision depends on."""
    ids = _context_ids(access_token)
    app = access_token.application
    expires = access_token.expires
    return {
        **decide(access_token=access_token, capability=capability,
                 serves_inactive_merchants=serves_inactive_merchants),
        "app_id": app.pk,
        "app_label": app.name or app.client_id,
        "token": {"expires": expires.timestamp() if expires else None,
                  "resource": list(access_token.resource or [])},
        "dependencies": _dependency_keys(ids),
        "context_merchant_id": ids["merchant"],
    }


# --- checks 2-5: the decision, computed on a cache miss ----------------------------------------

def _refuse(code: AccessError, detail: str, *, pack: str = "",
            merchant_id: int | None = None) -> dict[str, Any]:
    # The code's value, not the member: a cached decision holds plain data.
    return {"refusal": {"code": code.value, "detail": detail}, "pack": pack,
            "merchant_id": merchant_id, "valid_until": None}


def _app_detail(app: App) -> str:
    names = {"app": app.name or app.client_id, "app_id": app.pk}
    if app.state == AppState.SUSPENDED:
        return _("App %(app)s is suspended by governance. See the measure and what to rectify at "
                 "/portal/apps/%(app_id)s/governance.") % names
    if app.state == AppState.OFFLINE:
        return _("App %(app)s is offline. Take it live again at /portal/apps/%(app_id)s.") % names
    if app.state == AppState.IN_REVIEW:
        return _("App %(app)s is still in review; it can call capabilities once it is live. "
                 "Follow the review at /portal/apps/%(app_id)s.") % names
    return _("App %(app)s is still in development. Submit it for review (production) or take "
             "it live (sandbox) at /portal/apps/%(app_id)s.") % names


def _isv_detail(isv: Isv) -> str:
    return _("The ISV %(isv)s that owns this app is %(state)s, so none of its apps may call "
             "capabilities. See /portal/governance.") % {
        "isv": isv.name, "state": isv.get_state_display()}


def _merchant_label(merchant: Merchant) -> str:
    return f"{merchant.short_name} ({merchant.pk})"


def _authorize_hint(app: App, pack: FunctionPack) -> dict[str, Any]:
    return {"app": app.name or app.client_id, "pack": pack.code, "client_id": app.client_id}


def decide(*, access_token, capability: str,
           serves_inactive_merchants: bool = False) -> dict[str, Any]:
    """Checks 2-5 for ``access_token`` calling ``capability``; the outcome as a cacheable dict."""
    app = access_token.application
    isv = app.isv
    if app.state != AppState.LIVE:
        return _refuse(AccessError.APP_SUSPENDED, _app_detail(app))
    if not isv.is_operational:
        return _refuse(AccessError.ISV_SUSPENDED, _isv_detail(isv))

    # 3. scope
    packs = list(FunctionPack.objects.filter(capabilities__code=capability).order_by("code"))
    scopes = set(access_token.scope.split())
    in_scope = [pack for pack in packs if pack.scope in scopes]
    if not in_scope:
        needed = ", ".join(pack.scope for pack in packs) or "-"
        return _refuse(AccessError.INSUFFICIENT_SCOPE, _(
            "This token's scopes (%(scopes)s) do not grant %(capability)s. Request a token with "
            "scope %(needed)s; app %(app)s must hold an active subscription to the pack "
            "(/portal/apps/%(app_id)s/subscriptions).") % {
            "scopes": " ".join(sorted(scopes)) or "-", "capability": capability,
            "needed": needed, "app": app.name or app.client_id, "app_id": app.pk})

    # 4. subscription
    subscriptions = list(Subscription.objects.filter(
        app=app, pack__in=in_scope, state__in=OPEN_SUBSCRIPTION_STATES).select_related("pack"))
    active = sorted((sub for sub in subscriptions if sub.state == SubscriptionState.ACTIVE),
                    key=lambda sub: sub.pack.code)
    if not active:
        pack = in_scope[0]
        names = {"app": app.name or app.client_id, "pack": pack.code,
                 "pack_name": pack.display_name, "app_id": app.pk}
        current = next((sub for sub in subscriptions if sub.pack_id == pack.pk), None)
        if current is not None:
            names["state"] = current.get_state_display()
            detail = _("App %(app)s's subscription to pack %(pack_name)s (%(pack)s) is "
                       "%(state)s, not active. See /portal/apps/%(app_id)s/subscriptions.")
        else:
            detail = _("App %(app)s is not subscribed to pack %(pack_name)s (%(pack)s). "
                       "Subscribe it at /portal/apps/%(app_id)s/subscriptions.")
        return _refuse(AccessError.PACK_NOT_SUBSCRIBED, detail % names, pack=pack.code)
    subscription = active[0]
    pack = subscription.pack

    # 5. merchant context
    link = getattr(access_token, "merchant_authorization", None)
    authorization: Authorization | None = link.authorization if link is not None else None
    if authorization is not None:
        merchant = authorization.merchant
        refusal = _authorization_refusal(authorization, app=app, pack=pack)
        if refusal:
            return _refuse(AccessError.MERCHANT_NOT_AUTHORIZED, refusal, pack=pack.code,
                           merchant_id=merchant.pk)
    elif isv.kind == IsvKind.SELF:
        merchant = isv.merchant
    else:
        return _refuse(AccessError.MERCHANT_NOT_AUTHORIZED, _(
            "This token acts as app %(app)s itself (client_credentials), not for a merchant. "
            "Have the merchant authorize the app through /oauth/authorize/?response_type=code"
            "&client_id=%(client_id)s&scope=pack:%(pack)s (with PKCE), and call with that "
            "token.") % _authorize_hint(app, pack), pack=pack.code)

    refusal = _merchant_refusal(merchant, app=app, pack=pack,
                                serves_inactive_merchants=serves_inactive_merchants)
    if refusal:
        return _refuse(AccessError.MERCHANT_SUSPENDED, refusal, pack=pack.code,
                       merchant_id=merchant.pk)
    expires_at: datetime | None = authorization.expires_at if authorization else None
    return {
        "refusal": None,
        "pack": pack.code,
        "merchant_id": merchant.pk,
        "merchant_inactive": merchant.state in INACTIVE_MERCHANT_STATES,
        "daily_quota": subscription.daily_quota,
        "per_second_quota": subscription.per_second_quota,
        "valid_until": expires_at.timestamp() if expires_at else None,
    }


def _authorization_refusal(authorization: Authorization, *, app: App,
                           pack: FunctionPack) -> str | None:
    names = {**_authorize_hint(app, pack), "merchant": _merchant_label(authorization.merchant)}
    if authorization.app_id != app.pk:
        return _("This token was not issued under an authorization of app %(app)s.") % names
    if authorization.state != AuthorizationState.ACTIVE or (
        authorization.expires_at is not None and authorization.expires_at <= timezone.now()
    ):
        names["state"] = (authorization.get_state_display()
                          if authorization.state != AuthorizationState.ACTIVE
                          else AuthorizationState.EXPIRED.label)
        return _("Merchant %(merchant)s's authorization of app %(app)s is %(state)s. Ask the "
                 "merchant to authorize the app again through /oauth/authorize/?response_type="
                 "code&client_id=%(client_id)s&scope=pack:%(pack)s.") % names
    if not authorization.packs.filter(pk=pack.pk).exists():
        return _("Merchant %(merchant)s has not granted pack %(pack)s to app %(app)s. Ask the "
                 "merchant to authorize it through /oauth/authorize/?response_type=code"
                 "&client_id=%(client_id)s&scope=pack:%(pack)s.") % names
    return None


def _merchant_refusal(merchant: Merchant, *, app: App, pack: FunctionPack,
                      serves_inactive_merchants: bool = False) -> str | None:
    names = {"merchant": _merchant_label(merchant), "pack": pack.code,
             "app": app.name or app.client_id, "state": merchant.get_state_display()}
    # The refund exception skips the state checks alone, not the restrictions below.
    exempt = serves_inactive_merchants and merchant.state in INACTIVE_MERCHANT_STATES
    if merchant.state == MerchantState.CLEARED_OUT and not exempt:
        return _("Merchant %(merchant)s has been cleared out of the platform; no app may act "
                 "for it.") % names
    if merchant.state == MerchantState.SUSPENDED and not exempt:
        return _("Merchant %(merchant)s is suspended by governance; calls for it are refused "
                 "until it is reinstated. Its onboarding ISV sees why at /portal/governance.") % \
            names
    if merchant.state not in SERVED_MERCHANT_STATES and not exempt:
        return _("Merchant %(merchant)s is not active yet (state: %(state)s); capabilities "
                 "serve it once onboarding completes.") % names
    if pack.code in restricted_pack_codes(merchant=merchant):
        return _("Governance has restricted pack %(pack)s for merchant %(merchant)s; calls in "
                 "this pack are refused until the restriction is lifted. See "
                 "/portal/governance.") % names
    if pack.code in restricted_pack_codes(app=app):
        return _("Governance has restricted pack %(pack)s for app %(app)s; calls in this pack "
                 "are refused until the restriction is lifted. See /portal/governance.") % names
    return None
