"""Who may use what, now: the one place that answers it.

``merchant_refusal`` answers "may this merchant use this pack now?" for every surface: the
capability gate (through ``CapabilityAccess``, its policy), the sandbox cashier and sticker,
and capability services. ``CapabilityAccess`` is the gate's domain side (``GATE["POLICY"]``):
checks 2-5 of DESIGN.md's gate for one access token and capability.
"""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import FunctionPack
from governance.selectors import restrictions_on
from isv.choices import OPEN_SUBSCRIPTION_STATES, AppState, IsvKind, SubscriptionState
from isv.models import App, Isv, Subscription
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant
from openplatform.api.error_codes import AccessError
from openplatform.api.gate import GateOutcome
from openplatform.api.policy import TokenSubjects, Verdict
from openplatform.errors import DomainError

# Merchants in these states may be served; every other state is refused as suspended.
SERVED_MERCHANT_STATES = (MerchantState.ACTIVE, MerchantState.RECTIFYING)
# ... and a surface that serves inactive merchants (refund and query within the refund window
# after a suspension) also serves merchants in these.
INACTIVE_MERCHANT_STATES = (MerchantState.SUSPENDED, MerchantState.CLEARED_OUT)


@dataclass(frozen=True)
class Refusal:
    """Why a merchant may not be served now: a stable code and words for the developer."""

    code: AccessError
    detail: str


def _merchant_label(merchant: Merchant) -> str:
    return f"{merchant.short_name} ({merchant.pk})"


def _app_label(app: models.Model | None) -> str:
    return (app.name or app.client_id) if app is not None else ""


def merchant_refusal(
    merchant: Merchant, *, pack: str | None = None, app: App | None = None,
    serves_inactive: bool = False, cleared: GateOutcome | None = None,
) -> Refusal | None:
    """Why ``merchant`` may not use ``pack`` (through ``app``) now, or None when it may
    (without a pack, its state alone is checked).

    Refused: a merchant cleared out, suspended or not active yet, and a pack governance
    restricted for the merchant or the app. ``serves_inactive`` lets a suspended or
    cleared-out merchant through the state checks alone (refunds and queries after a
    suspension); restrictions still apply. ``cleared`` is the capability gate's outcome of the
    call being served: when it was for this merchant and app, the restrictions it read are not
    read again (the state is, from the row at hand).
    """
    refusal = _state_refusal(merchant, serves_inactive=serves_inactive)
    if refusal is not None or not pack:
        return refusal
    if cleared is not None and app is not None and (cleared.merchant_id, cleared.app_id) == (
            merchant.pk, app.pk):
        withheld = (cleared.withheld_from_merchant, cleared.withheld_from_app)
    else:
        withheld = restrictions_on(merchant=merchant, app=app)
    return _restriction_refusal(merchant, pack=pack, app=app, withheld=withheld)


def require_merchant_served(
    merchant: Merchant, *, pack: str | None = None, app: App | None = None,
    serves_inactive: bool = False, cleared: GateOutcome | None = None,
) -> None:
    """``merchant_refusal`` for services: raise the refusal as a DomainError with the code the
    gate answers with."""
    refusal = merchant_refusal(merchant, pack=pack, app=app, serves_inactive=serves_inactive,
                               cleared=cleared)
    if refusal is not None:
        raise DomainError(refusal.detail, code=refusal.code)


def _state_refusal(merchant: Merchant, *, serves_inactive: bool) -> Refusal | None:
    names = {"merchant": _merchant_label(merchant), "state": merchant.get_state_display()}
    if serves_inactive and merchant.state in INACTIVE_MERCHANT_STATES:
        return None
    if merchant.state == MerchantState.CLEARED_OUT:
        return Refusal(AccessError.MERCHANT_SUSPENDED, _(
            "Merchant %(merchant)s has been cleared out of the platform; no app may act for "
            "it.") % names)
    if merchant.state == MerchantState.SUSPENDED:
        return Refusal(AccessError.MERCHANT_SUSPENDED, _(
            "Merchant %(merchant)s is suspended by governance; calls for it are refused until "
            "it is reinstated. Its onboarding ISV sees why at /portal/governance.") % names)
    if merchant.state not in SERVED_MERCHANT_STATES:
        return Refusal(AccessError.MERCHANT_SUSPENDED, _(
            "Merchant %(merchant)s is not active yet (state: %(state)s); capabilities serve it "
            "once onboarding completes.") % names)
    return None


def _restriction_refusal(
    merchant: Merchant, *, pack: str, app: App | None,
    withheld: tuple[Collection[str], Collection[str]],
) -> Refusal | None:
    """The refusal when ``pack`` is among the packs withheld from the merchant or the app."""
    on_merchant, on_app = withheld
    names = {"merchant": _merchant_label(merchant), "pack": pack, "app": _app_label(app)}
    if pack in on_merchant:
        return Refusal(AccessError.MERCHANT_SUSPENDED, _(
            "Governance has restricted pack %(pack)s for merchant %(merchant)s; calls in this "
            "pack are refused until the restriction is lifted. See /portal/governance.") % names)
    if pack in on_app:
        return Refusal(AccessError.MERCHANT_SUSPENDED, _(
            "Governance has restricted pack %(pack)s for app %(app)s; calls in this pack are "
            "refused until the restriction is lifted. See /portal/governance.") % names)
    return None


# --- the capability gate's policy --------------------------------------------------------------


def _acting_merchant_id(access_token) -> int | None:
    """The merchant a token acts for: its authorization's, or a self-developer's own."""
    link = getattr(access_token, "merchant_authorization", None)
    if link is not None:
        return link.authorization.merchant_id
    isv = access_token.application.isv
    return isv.merchant_id if isv.kind == IsvKind.SELF else None


def _authorize_hint(app: App, pack: FunctionPack) -> dict[str, Any]:
    return {"app": _app_label(app), "pack": pack.code, "client_id": app.client_id}


class CapabilityAccess:
    """The gate's domain side: what a token's decision depends on, and checks 2-5."""

    # Loaded with the token in the gate's one query.
    token_related = ("application__isv", "merchant_authorization__authorization")

    def subjects(self, access_token) -> TokenSubjects:
        """The rows a decision for this token reads (a change of any bumps its generation),
        all known from the token's one joined query."""
        app = access_token.application
        link = getattr(access_token, "merchant_authorization", None)
        merchant_id = _acting_merchant_id(access_token)
        rows: list[tuple[type[models.Model], Any]] = [(App, app.pk), (Isv, app.isv_id)]
        if link is not None:
            rows.append((Authorization, link.authorization_id))
        if merchant_id is not None:
            rows.append((Merchant, merchant_id))
        return TokenSubjects(rows=rows, merchant_id=merchant_id)

    def decide(self, access_token, capability: str, *,
               serves_inactive_merchants: bool = False) -> Verdict:
        app = access_token.application
        isv = app.isv
        if app.state != AppState.LIVE:
            return Verdict(refusal=AccessError.APP_SUSPENDED, detail=_app_detail(app))
        if not isv.is_operational:
            return Verdict(refusal=AccessError.ISV_SUSPENDED, detail=_isv_detail(isv))
        packs = list(FunctionPack.objects.filter(capabilities__code=capability).order_by("code"))
        scopes = set(access_token.scope.split())
        in_scope = [pack for pack in packs if pack.scope in scopes]
        if not in_scope:
            return _scope_refusal(access_token, app, capability, packs)
        subscription = _active_subscription(app, in_scope)
        if not isinstance(subscription, Subscription):
            return subscription
        pack = subscription.pack
        link = getattr(access_token, "merchant_authorization", None)
        authorization = link.authorization if link is not None else None
        if authorization is not None:
            merchant = authorization.merchant
            detail = _authorization_refusal(authorization, app=app, pack=pack)
            if detail:
                return Verdict(refusal=AccessError.MERCHANT_NOT_AUTHORIZED, detail=detail,
                               pack=pack.code, merchant_id=merchant.pk)
        elif isv.kind == IsvKind.SELF:
            merchant = isv.merchant
        else:
            return Verdict(refusal=AccessError.MERCHANT_NOT_AUTHORIZED, pack=pack.code, detail=_(
                "This token acts as app %(app)s itself (client_credentials), not for a "
                "merchant. Have the merchant authorize the app through /oauth/authorize/"
                "?response_type=code&client_id=%(client_id)s&scope=pack:%(pack)s (with PKCE), "
                "and call with that token.") % _authorize_hint(app, pack))
        refusal = _state_refusal(merchant, serves_inactive=serves_inactive_merchants)
        if refusal is not None:
            return _merchant_verdict(refusal, pack=pack, merchant=merchant)
        on_merchant, on_app = restrictions_on(merchant=merchant, app=app)
        refusal = _restriction_refusal(merchant, pack=pack.code, app=app,
                                       withheld=(on_merchant, on_app))
        if refusal is not None:
            return _merchant_verdict(refusal, pack=pack, merchant=merchant)
        return Verdict(
            pack=pack.code, merchant_id=merchant.pk,
            withheld_from_merchant=frozenset(on_merchant),
            withheld_from_app=frozenset(on_app),
            merchant_inactive=merchant.state in INACTIVE_MERCHANT_STATES,
            daily_quota=subscription.daily_quota,
            per_second_quota=subscription.per_second_quota,
            valid_until=authorization.expires_at if authorization else None)


def _merchant_verdict(refusal: Refusal, *, pack: FunctionPack, merchant: Merchant) -> Verdict:
    return Verdict(refusal=refusal.code, detail=refusal.detail, pack=pack.code,
                   merchant_id=merchant.pk)


def _app_detail(app: App) -> str:
    names = {"app": _app_label(app), "app_id": app.pk}
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


def _scope_refusal(access_token, app: App, capability: str,
                   packs: list[FunctionPack]) -> Verdict:
    scopes = set(access_token.scope.split())
    needed = ", ".join(pack.scope for pack in packs) or "-"
    return Verdict(refusal=AccessError.INSUFFICIENT_SCOPE, detail=_(
        "This token's scopes (%(scopes)s) do not grant %(capability)s. Request a token with "
        "scope %(needed)s; app %(app)s must hold an active subscription to the pack "
        "(/portal/apps/%(app_id)s/subscriptions).") % {
        "scopes": " ".join(sorted(scopes)) or "-", "capability": capability,
        "needed": needed, "app": _app_label(app), "app_id": app.pk})


def _active_subscription(app: App, in_scope: list[FunctionPack]) -> Subscription | Verdict:
    """The app's active subscription to the first pack in scope, or the refusal."""
    subscriptions = list(Subscription.objects.filter(
        app=app, pack__in=in_scope, state__in=OPEN_SUBSCRIPTION_STATES).select_related("pack"))
    active = sorted((sub for sub in subscriptions if sub.state == SubscriptionState.ACTIVE),
                    key=lambda sub: sub.pack.code)
    if active:
        return active[0]
    pack = in_scope[0]
    names = {"app": _app_label(app), "pack": pack.code, "pack_name": pack.display_name,
             "app_id": app.pk}
    current = next((sub for sub in subscriptions if sub.pack_id == pack.pk), None)
    if current is not None:
        names["state"] = current.get_state_display()
        detail = _("App %(app)s's subscription to pack %(pack_name)s (%(pack)s) is "
                   "%(state)s, not active. See /portal/apps/%(app_id)s/subscriptions.")
    else:
        detail = _("App %(app)s is not subscribed to pack %(pack_name)s (%(pack)s). "
                   "Subscribe it at /portal/apps/%(app_id)s/subscriptions.")
    return Verdict(refusal=AccessError.PACK_NOT_SUBSCRIBED, detail=detail % names,
                   pack=pack.code)


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
