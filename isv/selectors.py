"""Read queries about ISVs, their members, apps and subscriptions, scoped by their caller."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from isv.choices import SubscriptionState
from isv.models import App, Isv, IsvMember, Subscription


def isv_for_user(*, user: AbstractBaseUser | AnonymousUser) -> Isv | None:
    """The ISV ``user`` joined first, or None if they belong to none."""
    if not user.is_authenticated:
        return None
    membership = (
        IsvMember.objects.filter(user=user).select_related("isv").order_by("created_at", "pk")
        .first()
    )
    return membership.isv if membership else None


def apps_for_isv(*, isv: Isv) -> QuerySet[App]:
    return App.objects.for_isv(isv)


def subscriptions_for_app(*, app: App) -> QuerySet[Subscription]:
    return Subscription.objects.filter(app=app).select_related("pack", "solution")


def active_pack_codes_for_app(*, app: App) -> set[str]:
    """Codes of the packs ``app`` may use now (its active subscriptions)."""
    return set(
        Subscription.objects.filter(app=app, state=SubscriptionState.ACTIVE)
        .values_list("pack__code", flat=True)
    )


def member_role(*, isv: Isv, user: AbstractBaseUser | AnonymousUser) -> str | None:
    """``user``'s role in ``isv``, or None if they are not a member."""
    if not user.is_authenticated:
        return None
    return (
        IsvMember.objects.filter(isv=isv, user=user).values_list("role", flat=True).first()
    )
