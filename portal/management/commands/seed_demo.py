"""Load a small, valid demo world through the services, and print how to log in.

Idempotent: each step looks for what it would create and skips it when it is there, so a second
run creates nothing and prints the same logins. The sandbox app's client secret is stored
hashed; it is printed only by the run that creates the app (or by ``--rotate-secret``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import FunctionPack
from isv.choices import OPEN_SUBSCRIPTION_STATES, AppEnvironment, AppState, IsvState
from isv.models import App, Isv, Subscription
from isv.services.apps import app_create, app_go_live, app_rotate_secret
from isv.services.providers import isv_approve, isv_register
from isv.services.subscriptions import subscription_create
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant, MerchantUser
from merchants.services.authorizations import authorization_grant
from merchants.services.lifecycle import (
    merchant_activate,
    merchant_refer_to_review,
    merchant_start_screening,
    merchant_submit,
)
from merchants.services.onboarding import MerchantInput, merchant_create, merchant_user_add
from openplatform import plugins
from openplatform.data.validators import luhn_check_digit, resident_id_check_char, uscc_check_char
from openplatform.plugins import DemoWorld

GOVERNANCE_GROUP = "governance"  # created by governance/migrations/0003_governance_staff_group


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    purpose: Promise


STAFF = DemoLogin("staff", "staff-demo-2026", gettext_lazy(
    "governance staff: review ISVs, apps, subscriptions and merchants in /admin/"))
SUPERUSER = DemoLogin("admin", "admin-demo-2026", gettext_lazy(
    "superuser: everything in /admin/, including the catalog and user accounts"))
ISV_OWNER = DemoLogin("isv-owner", "isv-demo-2026", gettext_lazy(
    "owner of the ISV “Demo Service Provider”: the developer portal"))
MERCHANT_OWNER = DemoLogin("merchant-owner", "merchant-demo-2026", gettext_lazy(
    "owner of the active demo merchant: authorizes and revokes apps"))
DEMO_LOGINS = (STAFF, SUPERUSER, ISV_OWNER, MERCHANT_OWNER)


def _uscc(body: str) -> str:
    return body + uscc_check_char(body)


def _id_number(body: str) -> str:
    return body + resident_id_check_char(body)


def _bank_account(body: str) -> str:
    return body + luhn_check_digit(body)


ISV_NAME = "Demo Service Provider"
ISV_USCC = _uscc("91310000662026001")
APP_NAME = "Demo Sandbox App"
# Need no review: active at once.
ACTIVE_PACKS = ("merchant_basics", "face_to_face_payment", "payment_basics")
REVIEWED_PACK = "credit_score"  # needs review: stays pending for staff to decide
AUTHORIZED_PACK = "merchant_basics"


@dataclass(frozen=True)
class DemoMerchant:
    target_state: str
    data: MerchantInput


DEMO_MERCHANTS = (
    DemoMerchant(MerchantState.ACTIVE, MerchantInput(
        external_id="DEMO-001", legal_name="上海示例便利店有限公司", short_name="示例便利店",
        uscc=_uscc("91310000662026101"), legal_rep_name="王小明",
        legal_rep_id_number=_id_number("11010519850315201"),
        settlement_account_name="上海示例便利店有限公司", settlement_bank_name="中国工商银行",
        settlement_account=_bank_account("622202026620261010"), contact_phone="13800138001",
        contact_email="store@demo.example.com", mcc="5411",
        address="上海市浦东新区世纪大道100号", business_scope="日用百货、预包装食品零售",
    )),
    DemoMerchant(MerchantState.MANUAL_REVIEW, MerchantInput(
        external_id="DEMO-002", legal_name="杭州示例大药房连锁有限公司", short_name="示例大药房",
        uscc=_uscc("91310000662026102"), legal_rep_name="李红",
        legal_rep_id_number=_id_number("31011519900620302"),
        settlement_account_name="杭州示例大药房连锁有限公司", settlement_bank_name="中国建设银行",
        settlement_account=_bank_account("621700026620261020"), contact_phone="13900139002",
        mcc="5912", address="杭州市西湖区文三路200号", business_scope="药品、医疗器械零售",
    )),
    DemoMerchant(MerchantState.DRAFT, MerchantInput(
        external_id="DEMO-003", legal_name="深圳示例面馆餐饮有限公司", short_name="示例小面馆",
        uscc=_uscc("91310000662026103"), legal_rep_name="张伟",
        legal_rep_id_number=_id_number("44030519780911403"),
        settlement_account_name="深圳示例面馆餐饮有限公司", settlement_bank_name="招商银行",
        settlement_account=_bank_account("622848026620261030"), contact_phone="13700137003",
        mcc="5812", address="深圳市南山区科技园南路300号", business_scope="餐饮服务",
    )),
)
REVIEW_REFERRAL_REASON = "Demo: the business scope names medicines; a person checks the licence."


class Command(BaseCommand):
    help = _(
        "Create demo users, an ISV with a live sandbox app, subscriptions, merchants and an "
        "authorization through the services; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate-secret", action="store_true",
            help=gettext_lazy("Issue and print a new client secret for the demo sandbox app."),
        )

    def handle(self, *args, rotate_secret: bool = False, **options):
        if settings.PRODUCTION:
            # Demo logins with published passwords must never exist on a real platform.
            raise CommandError(_("seed_demo refuses to run with DJANGO_ENV=production."))
        with transaction.atomic():
            staff = self._user(STAFF, is_staff=True)
            staff.groups.add(Group.objects.get(name=GOVERNANCE_GROUP))
            self._user(SUPERUSER, is_staff=True, is_superuser=True)
            owner = self._user(ISV_OWNER)
            merchant_owner = self._user(MERCHANT_OWNER)

            isv = self._isv(owner=owner, staff=staff)
            app, client_secret = self._app(isv=isv, owner=owner)
            if rotate_secret and client_secret is None:
                client_secret = app_rotate_secret(app=app, actor=owner)
            self._subscriptions(app=app, owner=owner)
            merchants = [self._merchant(isv=isv, owner=owner, demo=demo)
                         for demo in DEMO_MERCHANTS]
            active_merchant = merchants[0]
            self._merchant_user(merchant=active_merchant, user=merchant_owner, owner=owner)
            self._authorization(merchant=active_merchant, app=app, user=merchant_owner)
            # Each app adds its own demo data (payment: sandbox buyers with wallets).
            world = DemoWorld(isv=isv, app=app, merchant=active_merchant, staff=staff)
            plugin_lines = [line for plugin in plugins.registered() if plugin.demo
                            for line in plugin.demo(world)]
        self._summary(isv=isv, app=app, client_secret=client_secret, merchants=merchants,
                      plugin_lines=plugin_lines)

    # --- steps, each skipped when its result exists ------------------------------------------

    def _user(self, login: DemoLogin, *, is_staff: bool = False, is_superuser: bool = False):
        user_model = get_user_model()
        user = user_model.objects.filter(username=login.username).first()
        if user is None:
            return user_model.objects.create_user(
                username=login.username, email=f"{login.username}@demo.example.com",
                password=login.password, is_staff=is_staff, is_superuser=is_superuser,
            )
        # Keep the printed login true even if someone changed the demo user.
        if (not user.check_password(login.password) or user.is_staff != is_staff
                or user.is_superuser != is_superuser or not user.is_active):
            user.set_password(login.password)
            user.is_staff, user.is_superuser, user.is_active = is_staff, is_superuser, True
            user.save()
        return user

    def _isv(self, *, owner, staff) -> Isv:
        isv = Isv.objects.filter(uscc=ISV_USCC).first()
        if isv is None:
            isv = isv_register(
                actor=owner, name=ISV_NAME, uscc=ISV_USCC, legal_representative="陈明",
                contact_name="刘洋", contact_email="bd@demo-isv.example.com",
                contact_phone="13600136000",
            )
        if isv.state == IsvState.PENDING_REVIEW:
            isv = isv_approve(isv=isv, actor=staff)
        return isv

    def _app(self, *, isv: Isv, owner) -> tuple[App, str | None]:
        app = App.objects.filter(isv=isv, name=APP_NAME).first()
        client_secret = None
        if app is None:
            app, client_secret = app_create(
                isv=isv, actor=owner, name=APP_NAME, environment=AppEnvironment.SANDBOX,
                redirect_uris="https://demo-isv.example.com/oauth/callback",
                description="The demo ISV's cashier and membership app, in the sandbox.",
            )
        if app.state == AppState.DEVELOPING:
            app = app_go_live(app=app, actor=owner)
        return app, client_secret

    def _subscriptions(self, *, app: App, owner) -> None:
        for code in (*ACTIVE_PACKS, REVIEWED_PACK):
            held = app.subscriptions.filter(pack__code=code, state__in=OPEN_SUBSCRIPTION_STATES)
            if not held.exists():
                subscription_create(
                    app=app, pack=FunctionPack.objects.get(code=code), actor=owner)

    def _merchant(self, *, isv: Isv, owner, demo: DemoMerchant) -> Merchant:
        merchant = Merchant.objects.filter(isv=isv, external_id=demo.data.external_id).first()
        if merchant is None:
            merchant = merchant_create(isv=isv, actor=owner, data=demo.data)
        if demo.target_state == MerchantState.DRAFT:
            return merchant
        # The onboarding path: the ISV submits, then screening (the system) starts and decides.
        decide = (
            (lambda m: merchant_activate(merchant=m, actor=None))
            if demo.target_state == MerchantState.ACTIVE
            else lambda m: merchant_refer_to_review(
                merchant=m, actor=None, reason=REVIEW_REFERRAL_REASON)
        )
        steps = {
            MerchantState.DRAFT: lambda m: merchant_submit(merchant=m, actor=owner),
            MerchantState.SUBMITTED: lambda m: merchant_start_screening(merchant=m, actor=None),
            MerchantState.SCREENING: decide,
        }
        while merchant.state in steps:
            merchant = steps[merchant.state](merchant)
        return merchant

    def _merchant_user(self, *, merchant: Merchant, user, owner) -> None:
        if not MerchantUser.objects.filter(merchant=merchant, user=user).exists():
            merchant_user_add(merchant=merchant, user=user, actor=owner)

    def _authorization(self, *, merchant: Merchant, app: App, user) -> None:
        pack = FunctionPack.objects.get(code=AUTHORIZED_PACK)
        granted = Authorization.objects.filter(
            merchant=merchant, app=app, state=AuthorizationState.ACTIVE, packs=pack)
        if merchant.state == MerchantState.ACTIVE and not granted.exists():
            authorization_grant(merchant=merchant, app=app, packs=[pack], actor=user)

    # --- what the person who ran it needs to know ---------------------------------------------

    def _summary(self, *, isv: Isv, app: App, client_secret: str | None,
                 merchants: list[Merchant], plugin_lines: list[str]) -> None:
        base_url = settings.PLATFORM_BASE_URL.rstrip("/")
        write = self.stdout.write
        write(self.style.SUCCESS(_("Demo data is ready.")))
        write("")
        write(_("Platform:           %(url)s") % {"url": f"{base_url}/"})
        write(_("Governance console: %(url)s") % {"url": f"{base_url}/admin/"})
        write("")
        write(_("Logins (user / password):"))
        for login in DEMO_LOGINS:
            write(f"  {login.username} / {login.password} — {login.purpose}")
        write("")
        write(_("ISV: %(name)s (%(state)s)") % {"name": isv.name,
                                               "state": isv.get_state_display()})
        write(_("Sandbox app: %(name)s (%(state)s)") % {"name": app.name,
                                                        "state": app.get_state_display()})
        write(_("  client_id: %(client_id)s") % {"client_id": app.client_id})
        if client_secret is not None:
            write(self.style.WARNING(
                _("  client secret: %(secret)s — shown only now: it is stored hashed.")
                % {"secret": client_secret}))
        else:
            write(_("  client secret: shown when the app was created (it is stored hashed and "
                    "cannot be shown again); run “manage.py seed_demo --rotate-secret” for a "
                    "new one."))
        subscriptions = Subscription.objects.filter(
            app=app, state__in=OPEN_SUBSCRIPTION_STATES).select_related("pack").order_by(
            "pack__code")
        write(_("  subscriptions: %(list)s") % {"list": ", ".join(
            f"{subscription.pack.code} ({subscription.get_state_display()})"
            for subscription in subscriptions)})
        write(_("Merchants:"))
        for merchant in merchants:
            write(f"  {merchant.external_id} {merchant.short_name} "
                  f"({merchant.get_state_display()})")
        for line in plugin_lines:
            write(line)
