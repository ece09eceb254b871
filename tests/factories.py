"""Small builders for test data: valid by default, every field overridable.

They create rows directly (test set-up, not business actions); tests of behaviour go through
the services.
"""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import FunctionPack
from isv.choices import AppEnvironment, AppState, IsvKind, IsvState, MemberRole, SubscriptionState
from isv.models import App, Isv, IsvMember, Subscription
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant, MerchantUser
from openplatform.data.validators import luhn_check_digit, resident_id_check_char, uscc_check_char

_sequence = itertools.count(1)


def next_number() -> int:
    return next(_sequence)


def make_uscc(number: int | None = None) -> str:
    """A valid USCC whose body is derived from ``number`` (distinct numbers, distinct codes)."""
    body = f"91310000{(number or next_number()):09d}"
    return body + uscc_check_char(body)


def make_id_number(number: int | None = None) -> str:
    body = f"11010519800101{(number or next_number()) % 1000:03d}"
    return body + resident_id_check_char(body)


def make_bank_account(number: int | None = None) -> str:
    body = f"622202{(number or next_number()):012d}"
    return body + luhn_check_digit(body)


def make_user(username: str | None = None, **fields):
    username = username or f"user{next_number()}"
    fields.setdefault("email", f"{username}@example.com")
    return get_user_model().objects.create_user(username=username, password="pw-Secret-123",
                                                **fields)


def make_isv(*, owner=None, state: str = IsvState.ACTIVE, **fields) -> Isv:
    number = next_number()
    defaults = {
        "name": f"Service Provider {number}",
        "uscc": make_uscc(number),
        "kind": IsvKind.COMPANY,
        "legal_representative": "Zhang San",
        "contact_name": "Li Si",
        "contact_email": f"isv{number}@example.com",
        "contact_phone": "13800138000",
        "state": state,
    }
    if state == IsvState.REJECTED:
        defaults["rejection_reason"] = "Licence unreadable"
    isv = Isv.objects.create(**{**defaults, **fields})
    if owner is not None:
        IsvMember.objects.create(isv=isv, user=owner, role=MemberRole.OWNER)
    return isv


def make_app(*, isv: Isv | None = None, state: str = AppState.LIVE,
             environment: str = AppEnvironment.SANDBOX, **fields) -> App:
    isv = isv or make_isv()
    defaults = {
        "name": f"App {next_number()}",
        "client_type": App.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": App.GRANT_AUTHORIZATION_CODE,
        "redirect_uris": "https://example.com/callback",
        "environment": environment,
        "state": state,
    }
    return App.objects.create(isv=isv, **{**defaults, **fields})


def get_pack(code: str = "merchant_basics") -> FunctionPack:
    return FunctionPack.objects.get(code=code)


def make_subscription(*, app: App | None = None, pack: FunctionPack | None = None,
                      state: str = SubscriptionState.ACTIVE, **fields) -> Subscription:
    if state == SubscriptionState.REJECTED:
        fields.setdefault("reason", "Not eligible")
    return Subscription.objects.create(app=app or make_app(), pack=pack or get_pack(),
                                       state=state, **fields)


def make_merchant(*, isv: Isv | None = None, state: str = MerchantState.DRAFT,
                  **fields) -> Merchant:
    number = next_number()
    merchant = Merchant(
        isv=isv or make_isv(),
        external_id=fields.pop("external_id", f"M{number:06d}"),
        legal_name=fields.pop("legal_name", f"上海示例商贸有限公司{number}"),
        short_name=fields.pop("short_name", f"示例小店{number}"),
        uscc=fields.pop("uscc", make_uscc(number)),
        legal_rep_name=fields.pop("legal_rep_name", "王五"),
        settlement_account_name=fields.pop("settlement_account_name", "上海示例商贸有限公司"),
        settlement_bank_name=fields.pop("settlement_bank_name", "中国工商银行"),
        contact_phone=fields.pop("contact_phone", "13912345678"),
        mcc=fields.pop("mcc", "5411"),
        address=fields.pop("address", "上海市浦东新区世纪大道100号"),
        business_scope=fields.pop("business_scope", "日用百货零售"),
        state=state,
        **fields,
    )
    merchant.seal_legal_rep_id_number(make_id_number(number))
    merchant.seal_settlement_account(make_bank_account(number))
    merchant.refresh_screening_text()
    if state == MerchantState.REJECTED:
        merchant.rejection_reason_code = merchant.rejection_reason_code or "incomplete"
    if state == MerchantState.RECTIFYING:
        merchant.rectification_deadline = timezone.now() + timedelta(days=15)
    merchant.save()
    return merchant


def make_merchant_user(*, merchant: Merchant, user=None) -> MerchantUser:
    return MerchantUser.objects.create(merchant=merchant, user=user or make_user())


def make_authorization(*, merchant: Merchant, app: App, packs=(), **fields) -> Authorization:
    authorization = Authorization.objects.create(
        merchant=merchant, app=app, granted_at=timezone.now(),
        state=fields.pop("state", AuthorizationState.ACTIVE), **fields,
    )
    authorization.packs.set(packs or [get_pack()])
    return authorization
