"""Read queries over merchants and their authorizations, scoped to who may see them."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet

from isv.models import App, Isv
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant


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
