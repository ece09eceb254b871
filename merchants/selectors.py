"""Read queries over merchants and their authorizations, scoped to who may see them."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

from catalog.models import FunctionPack
from isv.choices import SubscriptionState
from isv.models import App, Isv
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant
from openplatform.api.schema import AUTHORIZATION_URL
from openplatform.jobs.choices import JobKind
from openplatform.jobs.models import Job


def merchant_list_for_isv(*, isv: Isv) -> QuerySet[Merchant]:
    """The merchants ``isv`` onboarded, newest first."""
    return Merchant.objects.visible_to(isv).order_by("-created_at", "-id")


def merchant_get_for_isv(*, isv: Isv, merchant_id: int | str) -> Merchant:
    """One of ``isv``'s merchants.

    Raises Merchant.DoesNotExist both for another ISV's merchant and for an id that is not a
    number, so that a view answers 404 and reveals nothing about other ISVs' merchants.
    """
    try:
        return merchant_list_for_isv(isv=isv).get(pk=merchant_id)
    except (ValueError, TypeError, ValidationError):
        raise Merchant.DoesNotExist from None


def merchant_counts_by_state(*, isv: Isv) -> dict[str, int]:
    """How many of ``isv``'s merchants are in each state, every state present (0 if none)."""
    counts = dict.fromkeys(MerchantState.values, 0)
    rows = (
        Merchant.objects.visible_to(isv).order_by().values("state")
        .annotate(total=Count("id")).values_list("state", "total")
    )
    counts.update(rows)
    return counts


def authorizations_for_merchant(*, merchant: Merchant) -> QuerySet[Authorization]:
    """Every authorization the merchant ever gave, newest first, with app and packs loaded."""
    return (
        Authorization.objects.filter(merchant=merchant)
        .select_related("app", "app__isv")
        .prefetch_related("packs")
        .order_by("-granted_at", "-id")
    )


def active_authorization(*, merchant: Merchant, app: App) -> Authorization | None:
    """The merchant's active authorization of ``app`` (at most one exists), packs loaded."""
    return (
        Authorization.objects.filter(merchant=merchant, app=app,
                                     state=AuthorizationState.ACTIVE)
        .prefetch_related("packs")
        .first()
    )


def merchants_for_user(*, user: AbstractBaseUser) -> QuerySet[Merchant]:
    """The merchants ``user`` may act for."""
    if not user.is_authenticated:
        return Merchant.objects.none()
    return Merchant.objects.filter(users__user=user).order_by("-created_at", "-id")


@dataclass(frozen=True)
class MerchantPage:
    """One page of a keyset-paginated merchant list, and the cursors of its neighbours."""

    merchants: list[Merchant]
    next_cursor: str | None
    previous_cursor: str | None


def _encode_cursor(direction: str, merchant: Merchant) -> str:
    raw = f"{direction}|{merchant.created_at.isoformat()}|{merchant.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[str, datetime, int] | None:
    """(direction, created_at, id), or None for a cursor that was not made here."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        direction, moment, pk = raw.split("|")
        parsed = (direction, datetime.fromisoformat(moment), int(pk))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return parsed if direction in ("after", "before") and parsed[1].tzinfo else None


def merchant_page(*, merchants: QuerySet[Merchant], cursor: str | None,
                  size: int) -> MerchantPage:
    """A page of ``merchants`` (newest first) after or before ``cursor``.

    Keyset pagination on (created_at, id): the database walks the index from the cursor and
    stops after ``size + 1`` rows, so a page costs the same at row 100,000 as at row 1 and no
    page counts the whole list. A cursor that does not parse means the first page.
    """
    position = _decode_cursor(cursor) if cursor else None
    if position is None:
        rows = list(merchants.order_by("-created_at", "-id")[:size + 1])
        return MerchantPage(
            merchants=rows[:size],
            next_cursor=_encode_cursor("after", rows[size - 1]) if len(rows) > size else None,
            previous_cursor=None,
        )
    direction, created_at, pk = position
    if direction == "after":
        rows = list(
            merchants.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
            .order_by("-created_at", "-id")[:size + 1])
        page = rows[:size]
        return MerchantPage(
            merchants=page,
            next_cursor=_encode_cursor("after", page[-1]) if len(rows) > size else None,
            previous_cursor=_encode_cursor("before", page[0]) if page else None,
        )
    rows = list(
        merchants.filter(Q(created_at__gt=created_at) | Q(created_at=created_at, pk__gt=pk))
        .order_by("created_at", "id")[:size + 1])
    page = rows[:size][::-1]
    return MerchantPage(
        merchants=page,
        next_cursor=_encode_cursor("after", page[-1]) if page else None,
        previous_cursor=_encode_cursor("before", page[0]) if len(rows) > size else None,
    )


def packs_subscribed_by_isv(*, isv: Isv) -> QuerySet[FunctionPack]:
    """The packs at least one of ``isv``'s apps holds an active subscription to: the packs its
    authorization links may ask merchants for."""
    return FunctionPack.objects.filter(
        subscriptions__app__isv=isv, subscriptions__state=SubscriptionState.ACTIVE,
    ).distinct().order_by("code")


def merchant_import_jobs(*, isv: Isv) -> QuerySet[Job]:
    """``isv``'s bulk onboarding jobs, newest first."""
    return (Job.objects.filter(isv=isv, kind=JobKind.MERCHANT_IMPORT)
            .select_related("created_by").order_by("-created_at"))


@dataclass(frozen=True)
class AuthorizationLink:
    url: str
    scope: str
    redirect_uri: str


def authorization_link(*, app: App, packs: list[FunctionPack],
                       redirect_uri: str) -> AuthorizationLink:
    """The link a merchant opens to authorize ``app`` for ``packs`` (authorization code flow;
    the ISV's system adds its PKCE challenge): the portal's and the API's."""
    scope = " ".join(pack.scope for pack in sorted(packs, key=lambda pack: pack.code))
    query = urlencode({"client_id": app.client_id, "response_type": "code", "scope": scope,
                       "redirect_uri": redirect_uri})
    return AuthorizationLink(url=f"{settings.PLATFORM_BASE_URL}{AUTHORIZATION_URL}?{query}",
                             scope=scope, redirect_uri=redirect_uri)
