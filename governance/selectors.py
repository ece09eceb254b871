"""Read queries for governance: open measures, restricted packs and the audit trail."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast

from governance.choices import ActionKind, ActionState, TargetType
from governance.models import GovernanceAction
from isv.models import App, Isv
from merchants.models import Merchant
from openplatform.audit.models import AuditEvent

# Actions still pending or in force: orders awaiting evidence or review, measures not lifted.
OPEN_ACTION_STATES = (ActionState.OPEN, ActionState.EVIDENCE_SUBMITTED)


def target_type_and_field(target: Isv | App | Merchant) -> tuple[TargetType, str]:
    """The TargetType of a governed object and the GovernanceAction foreign key that names it."""
    if isinstance(target, Isv):
        return TargetType.ISV, "isv"
    if isinstance(target, App):
        return TargetType.APP, "app"
    if isinstance(target, Merchant):
        return TargetType.MERCHANT, "merchant"
    raise TypeError(f"{type(target).__name__} cannot be the target of a governance action.")


def actions_on(*, target: Isv | App | Merchant) -> models.QuerySet[GovernanceAction]:
    """Every governance action taken on ``target``, newest first."""
    target_type, field = target_type_and_field(target)
    return GovernanceAction.objects.filter(target_type=target_type, **{field: target})


def restricted_pack_codes(*, merchant: Merchant | None = None, app: App | None = None) -> set[str]:
    """Codes of the packs that open restrictions on ``merchant`` or ``app`` withhold."""
    on_merchant, on_app = restrictions_on(merchant=merchant, app=app)
    return on_merchant | on_app


def restrictions_on(
    *, merchant: Merchant | None = None, app: App | None = None
) -> tuple[set[str], set[str]]:
    """Codes of the packs open restrictions withhold from ``merchant``, and from ``app``, in
    one query."""
    scope = models.Q()
    if merchant is not None:
        scope |= models.Q(merchant=merchant)
    if app is not None:
        scope |= models.Q(app=app)
    if not scope:
        return set(), set()
    on_merchant: set[str] = set()
    on_app: set[str] = set()
    for merchant_id, code in GovernanceAction.objects.filter(
        scope, kind=ActionKind.RESTRICT, state=ActionState.OPEN, restricted_packs__isnull=False,
    ).values_list("merchant_id", "restricted_packs__code"):
        (on_merchant if merchant_id is not None else on_app).add(code)
    return on_merchant, on_app


def actions_for_isv(*, isv: Isv) -> models.QuerySet[GovernanceAction]:
    """Every action on the ISV, its apps and the merchants it onboarded, newest first."""
    return (
        GovernanceAction.objects.filter(
            models.Q(isv=isv) | models.Q(app__isv=isv) | models.Q(merchant__isv=isv)
        )
        .select_related("isv", "app", "merchant", "actor", "escalated_to")
        .prefetch_related("restricted_packs")
        .order_by("-created_at", "-id")
    )


def open_actions_for_isv(*, isv: Isv) -> models.QuerySet[GovernanceAction]:
    """Pending actions on the ISV, its apps and the merchants it onboarded, newest first."""
    return actions_for_isv(isv=isv).filter(state__in=OPEN_ACTION_STATES)


def audit_trail_for(*, target: Isv | App | Merchant) -> models.QuerySet[AuditEvent]:
    """The audit lines about ``target`` and about the governance actions taken on it."""
    action_ids = actions_on(target=target).annotate(
        pk_text=Cast("pk", output_field=models.CharField())
    ).values("pk_text")
    return (
        AuditEvent.objects.filter(
            models.Q(
                target_type=ContentType.objects.get_for_model(target),
                target_id=str(target.pk),
            )
            | models.Q(
                target_type=ContentType.objects.get_for_model(GovernanceAction),
                target_id__in=action_ids,
            )
        )
        .select_related("actor", "target_type")
        .order_by("-created_at", "-id")
    )
