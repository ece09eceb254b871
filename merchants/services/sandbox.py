"""A new ISV's sandbox: a live sandbox app subscribed to the packs the capabilities offer for
trying out (``CapabilityPlugin.sandbox_packs``), and an active sandbox merchant that authorized
it for them, so that a developer calls a first API within minutes of approval. Given when the
ISV is approved (``isv.approved``)."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import FunctionPack
from isv.choices import OPEN_SUBSCRIPTION_STATES, AppEnvironment, AppState, MemberRole
from isv.models import App, Isv
from isv.services.apps import app_create, app_go_live
from isv.services.providers import require_operational
from isv.services.subscriptions import subscription_create
from merchants.choices import MerchantState
from merchants.models import Authorization, Merchant
from merchants.services.authorizations import authorization_grant
from merchants.services.lifecycle import (
    merchant_activate,
    merchant_start_screening,
    merchant_submit,
)
from merchants.services.onboarding import MerchantInput, merchant_create, merchant_user_add
from openplatform import plugins
from openplatform.audit.trail import audit_record
from openplatform.data.validators import (
    luhn_check_digit,
    resident_id_check_char,
    uscc_check_char,
)
from openplatform.transitions import lock

SANDBOX_MERCHANT_EXTERNAL_ID = "SANDBOX-MERCHANT"


@dataclass(frozen=True)
class Sandbox:
    app: App
    merchant: Merchant
    authorization: Authorization


def _sandbox_merchant_input(isv: Isv) -> MerchantInput:
    """A made-up merchant whose identifiers are valid and derived from the ISV's id, so no
    two sandboxes share a USCC (merchants live under one USCC once)."""
    uscc_body = f"9199{isv.pk:013d}"
    id_body = f"11010519900101{isv.pk % 1000:03d}"
    account_body = f"622202{isv.pk:012d}"
    return MerchantInput(
        external_id=SANDBOX_MERCHANT_EXTERNAL_ID,
        legal_name=f"沙箱测试商户{isv.pk}有限公司", short_name="沙箱测试商户",
        uscc=uscc_body + uscc_check_char(uscc_body),
        legal_rep_name=isv.legal_representative,
        legal_rep_id_number=id_body + resident_id_check_char(id_body),
        settlement_account_name=f"沙箱测试商户{isv.pk}有限公司",
        settlement_bank_name="沙箱银行",
        settlement_account=account_body + luhn_check_digit(account_body),
        contact_phone=isv.contact_phone, contact_email=isv.contact_email, mcc="5411",
        address="沙箱环境", business_scope="沙箱测试 日用百货零售",
    )


def _sandbox_app(isv: Isv, *, actor: AbstractBaseUser | None) -> App:
    app = isv.apps.filter(provisioned_on_approval=True).first()
    if app is None:
        # The secret is dropped: the developer rotates it in the portal to get one they see.
        app, _secret = app_create(
            isv=isv, actor=actor, name=_("Sandbox app"), environment=AppEnvironment.SANDBOX,
            description=_("Created by the platform when your registration was approved."),
            provisioned_on_approval=True)
    if app.state == AppState.DEVELOPING:
        app = app_go_live(app=app, actor=actor)
    return app


def _sandbox_merchant(isv: Isv, *, actor: AbstractBaseUser | None) -> Merchant:
    merchant = Merchant.objects.filter(isv=isv, external_id=SANDBOX_MERCHANT_EXTERNAL_ID).first()
    if merchant is None:
        merchant = merchant_create(isv=isv, actor=actor, data=_sandbox_merchant_input(isv))
    # The platform made the merchant up: it is not screened, it is walked to active.
    steps = {MerchantState.DRAFT: merchant_submit,
             MerchantState.SUBMITTED: merchant_start_screening,
             MerchantState.SCREENING: merchant_activate}
    while merchant.state in steps:
        merchant = steps[merchant.state](merchant=merchant, actor=actor)
    return merchant


@transaction.atomic
def isv_provision_sandbox(*, isv: Isv, actor: AbstractBaseUser | None) -> Sandbox:
    """Give an approved ISV a live sandbox app subscribed to the sandbox packs and an active
    sandbox merchant that authorized it for them, through the services that make each.

    Idempotent: what exists is kept, what is missing is made; a repeat writes nothing.
    """
    isv = lock(isv)
    require_operational(isv)
    created = not isv.apps.filter(provisioned_on_approval=True).exists()
    app = _sandbox_app(isv, actor=actor)
    packs = list(FunctionPack.objects.filter(code__in=plugins.sandbox_packs()).order_by("code"))
    held = set(app.subscriptions.filter(state__in=OPEN_SUBSCRIPTION_STATES)
               .values_list("pack_id", flat=True))
    for pack in packs:
        if pack.pk not in held:
            subscription_create(app=app, pack=pack, actor=actor)
    merchant = _sandbox_merchant(isv, actor=actor)
    # The ISV's owners act for the sandbox merchant too, so a developer can consent on the
    # authorization page (PKCE) and get a merchant token within minutes.
    linked = set(merchant.users.values_list("user_id", flat=True))
    for member in isv.members.filter(role=MemberRole.OWNER).exclude(user_id__in=linked):
        merchant_user_add(merchant=merchant, user=member.user, actor=actor)
    authorization = authorization_grant(merchant=merchant, app=app, packs=packs, actor=actor)
    if created:
        audit_record(actor=actor, action="isv.sandbox_provisioned", target=isv, after={
            "app_id": str(app.pk), "merchant_id": str(merchant.pk),
            "authorization_id": str(authorization.pk), "packs": [pack.code for pack in packs]})
    return Sandbox(app=app, merchant=merchant, authorization=authorization)
