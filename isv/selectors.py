"""Read queries about ISVs, their members, apps and subscriptions, scoped by their caller."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.db.models import QuerySet

from isv.choices import InvitationState, SubscriptionState
from isv.models import App, Invitation, Isv, IsvMember, Subscription

# The salt of the signed invitation links (isv.services.team.invitation_token).
INVITATION_SALT = "isv.invitation"


def isv_for_user(*, user: AbstractBaseUser | AnonymousUser) -> Isv | None:
    """The ISV ``user`` joined first, or None if they belong to none."""
    if not user.is_authenticated:
        return None
    membership = (
        IsvMember.objects.filter(user=user).select_related("isv").order_by("created_at", "pk")
        .first()
    )
    return membership.isv if membership else None


def merchants_acting_for(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet:
    """The merchants ``user`` acts for: those a merchant's own developer account
    (``Isv.merchant``) may be registered for."""
    merchant_model = Isv._meta.get_field("merchant").related_model
    if not user.is_authenticated:
        return merchant_model.objects.none()
    return merchant_model.objects.filter(users__user=user).order_by("-created_at", "-id")


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


def membership_for_user(*, user: AbstractBaseUser | AnonymousUser) -> IsvMember | None:
    """``user``'s membership of the ISV they joined first, with the ISV; None if none."""
    if not user.is_authenticated:
        return None
    return (
        IsvMember.objects.filter(user=user).select_related("isv").order_by("created_at", "pk")
        .first()
    )


def team_members(*, isv: Isv) -> QuerySet[IsvMember]:
    return (
        IsvMember.objects.filter(isv=isv).select_related("user", "invited_by")
        .order_by("created_at", "pk")
    )


def pending_invitations(*, isv: Isv) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(isv=isv, state=InvitationState.PENDING)
        .select_related("invited_by").order_by("-created_at", "-pk")
    )


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation a mailed link names, or None if the link was forged or mangled.

    The token only identifies the row; whether it can still be accepted is the row's state
    and ``expires_at``.
    """
    try:
        invitation_id = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("isv", "invited_by").filter(
        pk=invitation_id).first()

