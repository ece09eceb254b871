"""Every change to merchants' authorizations of apps (a merchant's grant of function packs to
an app, Alipay's app_auth_token), the tokens issued under them, and the links that ask for one.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AccessToken, get_access_token_model, get_refresh_token_model

from catalog.models import FunctionPack
from isv.choices import AppState
from isv.models import App
from isv.selectors import active_pack_codes_for_app
from merchants.choices import AUTHORIZATION_TRANSITIONS, AuthorizationState, MerchantState
from merchants.errors import MerchantError, MerchantFieldError
from merchants.models import Authorization, AuthorizationToken, Merchant
from merchants.selectors import AuthorizationLink, authorization_link
from openplatform.api import gate
from openplatform.api.error_codes import AccessError
from openplatform.audit.trail import audit_record, person
from openplatform.data.validators import FieldErrors
from openplatform.errors import DomainError, FieldError
from openplatform.events.services import event_emit
from openplatform.transitions import lock, transition


def _pack_codes(authorization: Authorization) -> list[str]:
    return sorted(authorization.packs.values_list("code", flat=True))


def _authorization_event_data(authorization: Authorization) -> dict[str, Any]:
    # Goes to the app's ISV, which need not be the ISV that onboarded the merchant: no
    # external ID here, since that is the onboarding ISV's own reference.
    return {
        "authorization_id": str(authorization.pk),
        "merchant_id": str(authorization.merchant_id),
        "app_id": str(authorization.app_id),
        "state": authorization.state,
        "packs": _pack_codes(authorization),
    }


@transaction.atomic
def authorization_grant(
    *, merchant: Merchant, app: App, packs: Iterable[FunctionPack],
    actor: AbstractBaseUser | None,
) -> Authorization:
    """Grant ``packs`` to ``app`` for ``merchant``, extending its active authorization if any.

    Granting only packs the app already holds changes nothing and writes nothing.
    """
    packs = set(packs)
    if not packs:
        raise ValidationError({"packs": ValidationError(
            _("Choose at least one function pack."), code=FieldError.REQUIRED,
        )})
    # The merchant's row lock also serialises concurrent grants to the same merchant.
    merchant = lock(merchant)
    if merchant.state not in (MerchantState.ACTIVE, MerchantState.RECTIFYING):
        raise DomainError(_("Only an active merchant can authorize apps."),
                          code=MerchantError.MERCHANT_NOT_ACTIVE)
    if app.state == AppState.SUSPENDED:
        raise DomainError(_("This app is suspended and cannot be authorized."),
                          code=AccessError.APP_SUSPENDED)

    authorization = (
        Authorization.objects.select_for_update()
        .filter(merchant=merchant, app=app, state=AuthorizationState.ACTIVE)
        .first()
    )
    if authorization is None:
        now = timezone.now()
        authorization = Authorization.objects.create(
            merchant=merchant, app=app, state=AuthorizationState.ACTIVE,
            granted_by=person(actor),
            granted_at=now, expires_at=now + settings.AUTHORIZATION_DEFAULT_LIFETIME,
        )
        authorization.packs.set(packs)
        audit_record(actor=actor, action="authorization.granted", target=authorization,
                     after={"state": authorization.state, "packs": _pack_codes(authorization),
                            "expires_at": authorization.expires_at.isoformat()})
    else:
        held = _pack_codes(authorization)
        if {pack.code for pack in packs} <= set(held):
            return authorization
        authorization.packs.add(*packs)
        audit_record(actor=actor, action="authorization.extended", target=authorization,
                     before={"packs": held}, after={"packs": _pack_codes(authorization)})
    event_emit(type="authorization.granted", isv=app.isv, app=app,
               data=_authorization_event_data(authorization))
    gate.invalidate(authorization)  # its packs changed
    return authorization


@transaction.atomic
def authorization_link_token(
    *, authorization: Authorization, access_token: AccessToken
) -> AuthorizationToken:
    """Record that ``access_token`` acts under ``authorization`` (called as DOT issues it).

    Not audited: a token is DOT's credential, issued afresh at every refresh under the one
    audited grant. The authorization's row lock orders this against a concurrent revocation,
    so no token outlives the authorization it was issued under.
    """
    authorization = lock(authorization)
    if authorization.state != AuthorizationState.ACTIVE:
        raise DomainError(_("This authorization is no longer active."),
                          code=MerchantError.AUTHORIZATION_NOT_ACTIVE)
    link, _created = AuthorizationToken.objects.get_or_create(
        access_token=access_token, defaults={"authorization": authorization},
    )
    return link


def authorization_tokens_delete(authorizations: Iterable[Authorization]) -> None:
    """Delete every token issued under ``authorizations``: the access tokens and every refresh
    token of their rotation chains, so that none can be used or refreshed again."""
    access_token_ids = list(
        AuthorizationToken.objects.filter(authorization__in=authorizations)
        .values_list("access_token_id", flat=True)
    )
    if not access_token_ids:
        return
    refresh_token_model = get_refresh_token_model()
    families = list(
        refresh_token_model.objects.filter(access_token_id__in=access_token_ids)
        .exclude(token_family=None).values_list("token_family", flat=True)
    )
    refresh_token_model.objects.filter(
        Q(access_token_id__in=access_token_ids) | Q(token_family__in=families)
    ).delete()
    get_access_token_model().objects.filter(pk__in=access_token_ids).delete()


def _authorization_end(
    authorization: Authorization, to: str, *, actor: AbstractBaseUser | None, action: str,
    reason: str = "",
) -> Authorization:
    """End an authorization and delete every token issued under it."""
    changes = ({"revoked_at": timezone.now(), "revoked_reason": reason}
               if to == AuthorizationState.REVOKED else {})
    authorization = transition(
        authorization, to, transitions=AUTHORIZATION_TRANSITIONS, actor=actor, action=action,
        reason=reason, changes=changes,
        emit=lambda moved: event_emit(type=action, isv=moved.app.isv, app=moved.app,
                                      data=_authorization_event_data(moved)))
    authorization_tokens_delete([authorization])
    return authorization


@transaction.atomic
def authorization_revoke(
    *, authorization: Authorization, actor: AbstractBaseUser | None, reason: str = ""
) -> Authorization:
    return _authorization_end(authorization, AuthorizationState.REVOKED, actor=actor,
                              action="authorization.revoked", reason=reason)


@transaction.atomic
def authorization_expire(*, authorization: Authorization) -> Authorization:
    """End an authorization whose lifetime is over (called by the expiry task, no person)."""
    return _authorization_end(authorization, AuthorizationState.EXPIRED, actor=None,
                              action="authorization.expired")


# States in which a merchant may be sent to its people to authorize an app.
AUTHORIZABLE_STATES = (MerchantState.ACTIVE, MerchantState.RECTIFYING)


def authorization_link_make(
    *, app: App, merchant: Merchant, packs: Iterable[FunctionPack], redirect_uri: str = "",
) -> AuthorizationLink:
    """The link ``merchant``'s people open to authorize ``app`` for ``packs`` (the portal's
    and the API's): the app must hold an active subscription to each pack and name one of its
    registered redirect URIs (its first when none is given), and the merchant must trade."""
    packs = list(packs)
    redirect_uri = redirect_uri or app.default_redirect_uri
    errors: FieldErrors = {}
    held = active_pack_codes_for_app(app=app)
    missing = sorted(pack.code for pack in packs if pack.code not in held)
    if missing:
        errors["packs"] = [ValidationError(
            _("The app holds no active subscription to: %(packs)s. Subscribe it first, in the "
              "portal's catalog or with POST /api/v1/apps/%(app)s/subscriptions/.")
            % {"packs": ", ".join(missing), "app": app.pk},
            code=MerchantFieldError.PACK_NOT_SUBSCRIBED)]
    if not redirect_uri or not app.redirect_uri_allowed(redirect_uri):
        errors["redirect_uri"] = [ValidationError(
            _("Use one of the app's registered redirect URIs."),
            code=MerchantFieldError.REDIRECT_URI_NOT_REGISTERED)]
    if errors:
        raise ValidationError(errors)
    if merchant.state not in AUTHORIZABLE_STATES:
        raise DomainError(_("Only an active merchant can authorize apps; this one is "
                            "%(state)s.") % {"state": merchant.get_state_display()},
                          code=MerchantError.MERCHANT_NOT_ACTIVE)
    return authorization_link(app=app, packs=packs, redirect_uri=redirect_uri)


@transaction.atomic
def authorizations_revoke_for_apps_of(
    *, isv_id: int, actor: AbstractBaseUser | None, reason: str
) -> int:
    """Revoke every active authorization of the ISV's apps (when the ISV is cleared out);
    return how many."""
    ended = list(Authorization.objects.filter(app__isv_id=isv_id, state=AuthorizationState.ACTIVE)
                 .order_by("pk"))
    for authorization in ended:
        authorization_revoke(authorization=authorization, actor=actor, reason=reason)
    return len(ended)
