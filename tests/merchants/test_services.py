import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from isv.choices import AppState, IsvState
from merchants.choices import (
    AUTHORIZATION_TRANSITIONS,
    MERCHANT_TRANSITIONS,
    AuthorizationState,
    MerchantState,
    MerchantUserRole,
)
from merchants.models import Authorization, Merchant, MerchantUser, Store
from merchants.services import lifecycle
from merchants.services.authorizations import (
    authorization_expire,
    authorization_grant,
    authorization_revoke,
)
from merchants.services.lifecycle import (
    merchant_activate,
    merchant_clear_out,
    merchant_mark_rectified,
    merchant_order_rectification,
    merchant_refer_to_review,
    merchant_reinstate,
    merchant_reject,
    merchant_reopen,
    merchant_start_screening,
    merchant_submit,
    merchant_suspend,
)
from merchants.services.onboarding import (
    MODEL_INPUT_FIELDS,
    MerchantInput,
    merchant_create,
    merchant_update,
    merchant_user_add,
    merchant_validate,
    store_create,
)
from openplatform.audit.models import AuditEvent
from openplatform.errors import DomainError, IllegalTransition
from openplatform.events.models import Event
from tests import factories

pytestmark = pytest.mark.django_db

BAD_USCC = "91350100M000100Y4Z"
BAD_ID_NUMBER = "110105198001010011"  # wrong check character
BAD_BANK_CARD = "6222021234567891234"  # wrong Luhn digit
BAD_PHONE = "12345678901"
UNKNOWN_MCC = "0000"


def merchant_input(**overrides) -> MerchantInput:
    number = factories.next_number()
    values = {
        "external_id": f"EXT-{number}",
        "legal_name": "杭州示例餐饮管理有限公司",
        "short_name": "示例面馆",
        "uscc": factories.make_uscc(number).lower(),
        "legal_rep_name": "赵六",
        "legal_rep_id_number": factories.make_id_number(number),
        "settlement_account_name": "杭州示例餐饮管理有限公司",
        "settlement_bank_name": "中国建设银行",
        "settlement_account": factories.make_bank_account(number),
        "contact_phone": "+86 139-1234-5678",
        "contact_email": "boss@example.com",
        "mcc": "5812",
        "address": "杭州市西湖区文三路1号",
        "business_scope": "餐饮服务",
        "website": "",
    }
    return MerchantInput(**{**values, **overrides})


def input_from(merchant: Merchant, **overrides) -> MerchantInput:
    """The input that would leave ``merchant`` as it is, with ``overrides`` applied."""
    values = {name: getattr(merchant, name) for name in MODEL_INPUT_FIELDS}
    values["legal_rep_id_number"] = merchant.reveal_legal_rep_id_number()
    values["settlement_account"] = merchant.reveal_settlement_account()
    return MerchantInput(**{**values, **overrides})


def error_codes(errors: dict[str, list[ValidationError]]) -> dict[str, list[str]]:
    return {name: [error.code for error in field_errors] for name, field_errors in errors.items()}


def expected_event_data(merchant: Merchant) -> dict:
    return {
        "merchant_id": str(merchant.pk),
        "external_id": merchant.external_id,
        "state": merchant.state,
        "reason_code": merchant.rejection_reason_code,
    }


# --- merchant transitions ------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    action: str  # the AuditEvent action and the Event type
    target: str
    call: Callable[..., Merchant]


def _in_days(days: int):
    return timezone.now() + timedelta(days=days)


MERCHANT_MOVES = {
    "merchant_submit": Move(
        "merchant.submitted", MerchantState.SUBMITTED,
        lambda merchant, actor: merchant_submit(merchant=merchant, actor=actor)),
    "merchant_start_screening": Move(
        "merchant.screening_started", MerchantState.SCREENING,
        lambda merchant, actor: merchant_start_screening(merchant=merchant,
                                                                  actor=actor)),
    "merchant_activate": Move(
        "merchant.activated", MerchantState.ACTIVE,
        lambda merchant, actor: merchant_activate(merchant=merchant, actor=actor)),
    "merchant_refer_to_review": Move(
        "merchant.referred_to_review", MerchantState.MANUAL_REVIEW,
        lambda merchant, actor: merchant_refer_to_review(
            merchant=merchant, actor=actor, reason="Name close to a negative-list keyword")),
    "merchant_reject": Move(
        "merchant.rejected", MerchantState.REJECTED,
        lambda merchant, actor: merchant_reject(
            merchant=merchant, actor=actor, reason_code="negative_list_hit",
            message="The business scope matches a prohibited industry.")),
    "merchant_reopen": Move(
        "merchant.reopened", MerchantState.DRAFT,
        lambda merchant, actor: merchant_reopen(merchant=merchant, actor=actor)),
    "merchant_order_rectification": Move(
        "merchant.rectification_ordered", MerchantState.RECTIFYING,
        lambda merchant, actor: merchant_order_rectification(
            merchant=merchant, actor=actor, deadline=_in_days(15),
            reason="Licence photo expired")),
    "merchant_mark_rectified": Move(
        "merchant.rectified", MerchantState.ACTIVE,
        lambda merchant, actor: merchant_mark_rectified(merchant=merchant,
                                                                 actor=actor)),
    "merchant_suspend": Move(
        "merchant.suspended", MerchantState.SUSPENDED,
        lambda merchant, actor: merchant_suspend(merchant=merchant, actor=actor,
                                                          reason="Order brushing")),
    "merchant_reinstate": Move(
        "merchant.reinstated", MerchantState.ACTIVE,
        lambda merchant, actor: merchant_reinstate(merchant=merchant, actor=actor,
                                                            reason="Appeal accepted")),
    "merchant_clear_out": Move(
        "merchant.cleared_out", MerchantState.CLEARED_OUT,
        lambda merchant, actor: merchant_clear_out(merchant=merchant, actor=actor,
                                                            reason="Gambling")),
}

LEGAL_MERCHANT_MOVES = [
    (MerchantState.DRAFT, "merchant_submit"),
    (MerchantState.SUBMITTED, "merchant_start_screening"),
    (MerchantState.SCREENING, "merchant_activate"),
    (MerchantState.SCREENING, "merchant_refer_to_review"),
    (MerchantState.SCREENING, "merchant_reject"),
    (MerchantState.MANUAL_REVIEW, "merchant_activate"),
    (MerchantState.MANUAL_REVIEW, "merchant_reject"),
    (MerchantState.REJECTED, "merchant_reopen"),
    (MerchantState.ACTIVE, "merchant_order_rectification"),
    (MerchantState.ACTIVE, "merchant_suspend"),
    (MerchantState.RECTIFYING, "merchant_mark_rectified"),
    (MerchantState.RECTIFYING, "merchant_suspend"),
    (MerchantState.SUSPENDED, "merchant_reinstate"),
    (MerchantState.SUSPENDED, "merchant_clear_out"),
]

# Every service from every state it may not start from: this covers every (from, to) pair
# outside MERCHANT_TRANSITIONS, and also the moves the table allows but only through
# another service (e.g. activating a suspended merchant instead of reinstating it).
ILLEGAL_MERCHANT_MOVES = [
    (state, name)
    for name in MERCHANT_MOVES
    for state in MerchantState
    if (state, name) not in LEGAL_MERCHANT_MOVES
]


def test_legal_moves_cover_the_transition_table_exactly():
    covered = {(state, MERCHANT_MOVES[name].target) for state, name in LEGAL_MERCHANT_MOVES}
    table = {(state, target) for state, targets in MERCHANT_TRANSITIONS.items()
             for target in targets}
    assert covered == table


def test_illegal_moves_cover_every_pair_outside_the_transition_table():
    tried = {(state, MERCHANT_MOVES[name].target) for state, name in ILLEGAL_MERCHANT_MOVES}
    outside = {(state, target) for state in MerchantState for target in MerchantState
               if target not in MERCHANT_TRANSITIONS[state]}
    assert outside <= tried


@pytest.mark.parametrize(("source", "name"), LEGAL_MERCHANT_MOVES)
def test_legal_merchant_move_changes_state_and_writes_audit_and_event(isv, staff_user,
                                                                       source, name):
    move = MERCHANT_MOVES[name]
    merchant = factories.make_merchant(isv=isv, state=source)

    moved = move.call(merchant, staff_user)

    assert moved.state == move.target
    merchant.refresh_from_db()
    assert merchant.state == move.target
    audit = AuditEvent.objects.get()
    assert audit.action == move.action
    assert audit.actor == staff_user
    assert audit.target_id == str(merchant.pk)
    assert audit.before == {"state": source}
    assert audit.after["state"] == move.target
    event = Event.objects.get()
    assert event.type == move.action
    assert event.isv == isv
    assert event.payload == {"type": move.action, "data": expected_event_data(merchant)}


@pytest.mark.parametrize(("source", "name"), ILLEGAL_MERCHANT_MOVES)
def test_illegal_merchant_move_raises_and_writes_nothing(isv, staff_user, source, name):
    merchant = factories.make_merchant(isv=isv, state=source)

    with pytest.raises(IllegalTransition) as excinfo:
        MERCHANT_MOVES[name].call(merchant, staff_user)

    assert excinfo.value.code == "illegal_transition"
    merchant.refresh_from_db()
    assert merchant.state == source
    assert not AuditEvent.objects.exists()
    assert not Event.objects.exists()


def test_submit_records_the_submission_time(merchant, owner):
    merchant = merchant_submit(merchant=merchant, actor=owner)

    assert merchant.submitted_at is not None
    assert AuditEvent.objects.get().after["submitted_at"] == merchant.submitted_at.isoformat()


def test_activate_records_the_activation_time(isv):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.SCREENING)

    merchant = merchant_activate(merchant=merchant, actor=None)

    assert merchant.activated_at is not None
    assert AuditEvent.objects.get().actor_label == "system"


def test_reject_stores_the_reason_code_the_isv_reads(isv, staff_user):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.MANUAL_REVIEW)

    merchant_reject(merchant=merchant, actor=staff_user, reason_code="unlicensed",
                             message="No business registration found.")

    merchant.refresh_from_db()
    assert merchant.rejection_reason_code == "unlicensed"
    assert merchant.rejection_reason_message == "No business registration found."
    assert Event.objects.get().payload["data"]["reason_code"] == "unlicensed"
    assert AuditEvent.objects.get().reason == "No business registration found."


@pytest.mark.parametrize("reason_code", ["", "   "])
def test_reject_requires_a_reason_code(isv, staff_user, reason_code):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.SCREENING)

    with pytest.raises(ValidationError) as excinfo:
        merchant_reject(merchant=merchant, actor=staff_user, reason_code=reason_code,
                                 message="")

    assert error_codes(excinfo.value.error_dict) == {"reason_code": ["required"]}
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SCREENING
    assert not AuditEvent.objects.exists()


def test_reopen_clears_the_rejection_reason(isv, owner):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.REJECTED,
                                       rejection_reason_message="Incomplete licence")

    merchant = merchant_reopen(merchant=merchant, actor=owner)

    merchant.refresh_from_db()
    assert merchant.state == MerchantState.DRAFT
    assert merchant.rejection_reason_code == ""
    assert merchant.rejection_reason_message == ""


def test_rectification_order_sets_the_deadline(isv, staff_user):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)
    deadline = _in_days(7)

    merchant_order_rectification(merchant=merchant, actor=staff_user,
                                          deadline=deadline, reason="Licence photo expired")

    merchant.refresh_from_db()
    assert merchant.rectification_deadline == deadline
    audit = AuditEvent.objects.get()
    assert audit.reason == "Licence photo expired"
    assert audit.after == {"state": MerchantState.RECTIFYING,
                           "rectification_deadline": deadline.isoformat()}


@pytest.mark.parametrize("deadline_offset", [timedelta(0), timedelta(days=-1)])
def test_rectification_deadline_must_be_in_the_future(isv, staff_user, deadline_offset):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)

    with pytest.raises(ValidationError) as excinfo:
        merchant_order_rectification(
            merchant=merchant, actor=staff_user, deadline=timezone.now() + deadline_offset,
            reason="Licence photo expired")

    assert error_codes(excinfo.value.error_dict) == {"deadline": ["deadline_in_past"]}
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.ACTIVE
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("name", ["merchant_mark_rectified", "merchant_suspend"])
def test_leaving_rectification_clears_the_deadline(isv, staff_user, name):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.RECTIFYING)

    MERCHANT_MOVES[name].call(merchant, staff_user)

    merchant.refresh_from_db()
    assert merchant.rectification_deadline is None


@pytest.mark.parametrize("name", ["merchant_refer_to_review", "merchant_suspend",
                                  "merchant_reinstate", "merchant_clear_out"])
def test_governance_moves_require_a_reason(isv, staff_user, name):
    service = getattr(lifecycle, name)
    source = next(state for state, move in LEGAL_MERCHANT_MOVES if move == name)
    merchant = factories.make_merchant(isv=isv, state=source)

    with pytest.raises(ValidationError) as excinfo:
        service(merchant=merchant, actor=staff_user, reason=" ")

    assert error_codes(excinfo.value.error_dict) == {"reason": ["required"]}
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("live_state", [MerchantState.ACTIVE, MerchantState.RECTIFYING,
                                        MerchantState.SUSPENDED])
def test_activating_a_second_merchant_with_a_live_uscc_is_refused(staff_user, live_state):
    uscc = factories.make_uscc()
    factories.make_merchant(uscc=uscc, state=live_state)
    second = factories.make_merchant(uscc=uscc, state=MerchantState.SCREENING)

    with pytest.raises(DomainError) as excinfo:
        merchant_activate(merchant=second, actor=staff_user)

    assert excinfo.value.code == "uscc_already_live"
    assert excinfo.value.field == "uscc"
    second.refresh_from_db()
    assert second.state == MerchantState.SCREENING
    assert not AuditEvent.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize("other_state", [MerchantState.REJECTED, MerchantState.CLEARED_OUT,
                                         MerchantState.DRAFT])
def test_a_uscc_no_longer_live_elsewhere_may_be_activated_again(staff_user, other_state):
    uscc = factories.make_uscc()
    factories.make_merchant(uscc=uscc, state=other_state)
    second = factories.make_merchant(uscc=uscc, state=MerchantState.SCREENING)

    assert merchant_activate(merchant=second, actor=staff_user).state == "active"


def test_clear_out_revokes_every_active_authorization_and_keeps_the_data(isv, staff_user):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.SUSPENDED)
    first_app, second_app = factories.make_app(isv=isv), factories.make_app()
    revoked = [factories.make_authorization(merchant=merchant, app=first_app),
               factories.make_authorization(merchant=merchant, app=second_app)]
    expired = factories.make_authorization(merchant=merchant, app=first_app,
                                           state=AuthorizationState.EXPIRED)

    merchant_clear_out(merchant=merchant, actor=staff_user, reason="Gambling")

    for authorization in revoked:
        authorization.refresh_from_db()
        assert authorization.state == AuthorizationState.REVOKED
        assert authorization.revoked_at is not None
        assert authorization.revoked_reason == "Gambling"
    expired.refresh_from_db()
    assert expired.state == AuthorizationState.EXPIRED
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "authorization.revoked", "authorization.revoked", "merchant.cleared_out"]
    revoked_events = Event.objects.filter(type="authorization.revoked")
    assert {(event.isv_id, event.app_id) for event in revoked_events} == {
        (first_app.isv_id, first_app.pk), (second_app.isv_id, second_app.pk)}
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.CLEARED_OUT
    assert merchant.reveal_settlement_account()


# --- merchant_validate and merchant_create ---------------------------------------------------


def test_validate_returns_every_identifier_error_at_once(isv):
    data = merchant_input(uscc=BAD_USCC, legal_rep_id_number=BAD_ID_NUMBER,
                          settlement_account=BAD_BANK_CARD, contact_phone=BAD_PHONE,
                          mcc=UNKNOWN_MCC)

    errors = merchant_validate(isv=isv, data=data)

    assert error_codes(errors) == {
        "uscc": ["uscc_charset"],
        "legal_rep_id_number": ["id_number_checksum"],
        "settlement_account": ["bank_card_checksum"],
        "contact_phone": ["phone_format"],
        "mcc": ["mcc_unknown"],
    }


def test_validate_returns_required_email_length_and_website_errors_together(isv):
    data = merchant_input(legal_name="", legal_rep_id_number=" ", contact_email="not-an-email",
                          short_name="店" * 61, website="https://192.168.1.1/shop")

    errors = merchant_validate(isv=isv, data=data)

    assert error_codes(errors) == {
        "legal_name": ["required"],
        "legal_rep_id_number": ["required"],
        "contact_email": ["invalid"],
        "short_name": ["max_length"],
        "website": ["domain_format"],
    }


def test_validate_returns_nothing_for_clean_input(isv):
    assert merchant_validate(isv=isv, data=merchant_input()) == {}


def test_validate_writes_nothing(isv):
    merchant_validate(isv=isv, data=merchant_input())

    assert not Merchant.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not Event.objects.exists()


def test_create_makes_a_draft_with_normalised_values(isv, owner):
    data = merchant_input(website="HTTPS://Shop.Example.COM/menu?table=3")

    merchant = merchant_create(isv=isv, actor=owner, data=data)

    merchant.refresh_from_db()
    assert merchant.state == MerchantState.DRAFT
    assert merchant.isv == isv
    assert merchant.uscc == data.uscc.upper()
    assert merchant.contact_phone == "13912345678"
    assert merchant.website == "shop.example.com"
    assert merchant.reveal_legal_rep_id_number() == data.legal_rep_id_number
    assert merchant.reveal_settlement_account() == data.settlement_account
    audit = AuditEvent.objects.get()
    assert (audit.action, audit.actor, audit.target_id) == ("merchant.created", owner,
                                                            str(merchant.pk))
    assert audit.after["uscc"] == merchant.uscc
    assert audit.after["state"] == MerchantState.DRAFT
    event = Event.objects.get()
    assert event.type == "merchant.created"
    assert event.isv == isv
    assert event.payload["data"] == expected_event_data(merchant)


def test_create_keeps_clear_pii_out_of_every_column_audit_and_event(isv, owner):
    data = merchant_input()

    merchant = merchant_create(isv=isv, actor=owner, data=data)

    row = Merchant.objects.filter(pk=merchant.pk).values().get()
    written = [json.dumps(row, default=str, ensure_ascii=False),
               json.dumps(AuditEvent.objects.values().get(), default=str, ensure_ascii=False),
               json.dumps(Event.objects.values().get(), default=str, ensure_ascii=False)]
    for text in written:
        assert data.legal_rep_id_number not in text
        assert data.settlement_account not in text
    id_number, account = data.legal_rep_id_number, data.settlement_account
    assert row["legal_rep_id_number_masked"] == f"{id_number[:4]}{'*' * 10}{id_number[-4:]}"
    assert re.fullmatch(r"\d{4}\*{10}[\dX]{4}", row["legal_rep_id_number_masked"])
    assert row["settlement_account_masked"] == f"{account[:4]} **** **** {account[-4:]}"
    assert re.fullmatch(r"\d{4} \*{4} \*{4} \d{4}", row["settlement_account_masked"])


def test_merchant_input_repr_hides_the_clear_pii():
    data = merchant_input()

    assert data.legal_rep_id_number not in repr(data)
    assert data.settlement_account not in repr(data)


def test_create_with_bad_input_raises_every_error_and_writes_nothing(isv, owner):
    data = merchant_input(uscc=BAD_USCC, legal_rep_id_number=BAD_ID_NUMBER,
                          settlement_account=BAD_BANK_CARD, contact_phone=BAD_PHONE,
                          mcc=UNKNOWN_MCC)

    with pytest.raises(ValidationError) as excinfo:
        merchant_create(isv=isv, actor=owner, data=data)

    assert set(excinfo.value.error_dict) == {"uscc", "legal_rep_id_number",
                                             "settlement_account", "contact_phone", "mcc"}
    assert not Merchant.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize("isv_state", [IsvState.PENDING_REVIEW, IsvState.REJECTED,
                                       IsvState.SUSPENDED, IsvState.CLEARED_OUT])
def test_only_an_operational_isv_can_onboard_merchants(owner, isv_state):
    isv = factories.make_isv(state=isv_state)

    with pytest.raises(DomainError) as excinfo:
        merchant_create(isv=isv, actor=owner, data=merchant_input())

    assert excinfo.value.code == "isv_not_active"
    assert not Merchant.objects.exists()


def test_a_restricted_isv_can_still_onboard_merchants(owner):
    isv = factories.make_isv(state=IsvState.RESTRICTED)

    assert merchant_create(isv=isv, actor=owner, data=merchant_input()).pk


def test_external_id_is_unique_per_isv_only(isv, owner):
    merchant_create(isv=isv, actor=owner, data=merchant_input(external_id="SHOP-1"))

    with pytest.raises(ValidationError) as excinfo:
        merchant_create(isv=isv, actor=owner,
                                 data=merchant_input(external_id="SHOP-1"))
    assert error_codes(excinfo.value.error_dict) == {"external_id": ["external_id_taken"]}

    other_isv = factories.make_isv()
    assert merchant_create(isv=other_isv, actor=None,
                                    data=merchant_input(external_id="SHOP-1")).pk


@pytest.mark.parametrize(("website", "domain"), [
    ("https://WWW.Example.com/shop?x=1", "www.example.com"),
    ("example.com:8080/path", "example.com"),
    ("Shop.Example.CN.", "shop.example.cn"),
    ("例子.中国", "xn--fsqu00a.xn--fiqs8s"),
])
def test_website_is_stored_as_a_bare_lower_case_domain(isv, owner, website, domain):
    merchant = merchant_create(isv=isv, actor=owner,
                                        data=merchant_input(website=website))

    assert merchant.website == domain


@pytest.mark.parametrize("website", [
    "not a domain", "192.168.1.1", "localhost", "http://user:pw@example.com",
    "-bad-.example.com", "http://[::1]/", "a..b.com", f"{'a' * 64}.com",
])
def test_website_that_is_not_a_domain_is_a_field_error(isv, website):
    errors = merchant_validate(isv=isv, data=merchant_input(website=website))

    assert error_codes(errors) == {"website": ["domain_format"]}


# --- merchant_update -------------------------------------------------------------------------


@pytest.mark.parametrize("state", [MerchantState.DRAFT, MerchantState.RECTIFYING])
def test_update_records_changed_fields_and_only_flags_changed_pii(isv, owner, state):
    merchant = factories.make_merchant(isv=isv, state=state)
    old_short_name = merchant.short_name
    new_id_number = factories.make_id_number(999)
    data = input_from(merchant, short_name="新店名", legal_rep_id_number=new_id_number)

    updated = merchant_update(merchant=merchant, actor=owner, data=data)

    updated.refresh_from_db()
    assert updated.short_name == "新店名"
    assert updated.reveal_legal_rep_id_number() == new_id_number
    audit = AuditEvent.objects.get()
    assert audit.action == "merchant.updated"
    assert audit.before == {"short_name": old_short_name}
    assert audit.after == {"short_name": "新店名", "legal_rep_id_number": "changed"}
    assert new_id_number not in json.dumps(audit.after)
    assert Event.objects.get().type == "merchant.updated"


def test_update_that_changes_nothing_writes_nothing(merchant, owner):
    merchant_update(merchant=merchant, actor=owner, data=input_from(merchant))

    assert not AuditEvent.objects.exists()
    assert not Event.objects.exists()


def test_update_keeps_its_own_external_id_but_not_another_merchants(isv, owner):
    merchant = factories.make_merchant(isv=isv)
    other = factories.make_merchant(isv=isv)

    assert merchant_validate(isv=isv, data=input_from(merchant),
                                      merchant=merchant) == {}
    with pytest.raises(ValidationError) as excinfo:
        merchant_update(merchant=merchant, actor=owner,
                                 data=input_from(merchant, external_id=other.external_id))
    assert error_codes(excinfo.value.error_dict) == {"external_id": ["external_id_taken"]}


def test_rectifying_merchant_cannot_take_a_uscc_that_is_live_elsewhere(owner):
    live = factories.make_merchant(state=MerchantState.ACTIVE)
    merchant = factories.make_merchant(state=MerchantState.RECTIFYING)

    with pytest.raises(ValidationError) as excinfo:
        merchant_update(merchant=merchant, actor=owner,
                                 data=input_from(merchant, uscc=live.uscc))

    assert error_codes(excinfo.value.error_dict) == {"uscc": ["uscc_already_live"]}


@pytest.mark.parametrize("state", [state for state in MerchantState
                                   if state not in (MerchantState.DRAFT,
                                                    MerchantState.RECTIFYING)])
def test_update_outside_draft_or_rectifying_is_refused(isv, owner, state):
    merchant = factories.make_merchant(isv=isv, state=state)

    with pytest.raises(DomainError) as excinfo:
        merchant_update(merchant=merchant, actor=owner,
                                 data=input_from(merchant, short_name="新店名"))

    assert excinfo.value.code == "merchant_not_editable"
    assert not AuditEvent.objects.exists()


# --- stores and merchant users ---------------------------------------------------------------


def test_store_create_writes_store_audit_and_event(merchant, owner):
    store = store_create(merchant=merchant, actor=owner, external_id="S-1",
                                  name="文三路店", city="杭州", address="文三路1号")

    assert store.merchant == merchant
    assert AuditEvent.objects.get().action == "store.created"
    event = Event.objects.get()
    assert event.type == "store.created"
    assert event.payload["data"] == {"store_id": str(store.pk), "external_id": "S-1",
                                     "merchant_id": str(merchant.pk), "state": store.state}


def test_store_external_id_is_unique_per_merchant_only(isv, merchant, owner):
    fields = {"external_id": "S-1", "name": "文三路店", "city": "杭州", "address": "文三路1号"}
    store_create(merchant=merchant, actor=owner, **fields)

    with pytest.raises(ValidationError) as excinfo:
        store_create(merchant=merchant, actor=owner, **{**fields, "name": "", })
    assert error_codes(excinfo.value.error_dict) == {"external_id": ["external_id_taken"],
                                                     "name": ["required"]}

    other = factories.make_merchant(isv=isv)
    assert store_create(merchant=other, actor=owner, **fields).pk
    assert Store.objects.count() == 2


def test_merchant_user_add_links_a_person_once(merchant, owner):
    person = factories.make_user()

    link = merchant_user_add(merchant=merchant, user=person, actor=owner,
                                      role=MerchantUserRole.MANAGER)

    assert (link.merchant, link.user, link.role) == (merchant, person, "manager")
    assert AuditEvent.objects.get().action == "merchant_user.added"
    with pytest.raises(DomainError) as excinfo:
        merchant_user_add(merchant=merchant, user=person, actor=owner)
    assert excinfo.value.code == "already_linked"
    assert MerchantUser.objects.count() == 1


# --- authorizations ------------------------------------------------------------------------


@pytest.fixture
def live_merchant(isv):
    return factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)


def test_grant_creates_an_authorization_for_the_lifetime(live_merchant, owner):
    other_isv_app = factories.make_app()
    pack = factories.get_pack("merchant_basics")

    authorization = authorization_grant(merchant=live_merchant, app=other_isv_app,
                                                 packs=[pack], actor=owner)

    assert authorization.state == AuthorizationState.ACTIVE
    assert authorization.granted_by == owner
    assert authorization.expires_at - authorization.granted_at == (
        settings.AUTHORIZATION_DEFAULT_LIFETIME)
    assert list(authorization.packs.all()) == [pack]
    assert AuditEvent.objects.get().action == "authorization.granted"
    event = Event.objects.get()
    assert (event.type, event.isv, event.app) == ("authorization.granted",
                                                  other_isv_app.isv, other_isv_app)
    assert event.payload["data"] == {
        "authorization_id": str(authorization.pk), "merchant_id": str(live_merchant.pk),
        "app_id": str(other_isv_app.pk), "state": "active", "packs": ["merchant_basics"],
    }


def test_grant_extends_the_active_authorization_instead_of_adding_one(live_merchant, app,
                                                                      owner):
    first = authorization_grant(merchant=live_merchant, app=app,
                                         packs=[factories.get_pack("merchant_basics")],
                                         actor=owner)

    second = authorization_grant(merchant=live_merchant, app=app,
                                          packs=[factories.get_pack("payment_basics")],
                                          actor=owner)

    assert second.pk == first.pk
    assert Authorization.objects.count() == 1
    assert sorted(second.packs.values_list("code", flat=True)) == ["merchant_basics",
                                                                   "payment_basics"]
    extended = AuditEvent.objects.get(action="authorization.extended")
    assert extended.before == {"packs": ["merchant_basics"]}
    assert extended.after == {"packs": ["merchant_basics", "payment_basics"]}
    assert Event.objects.filter(type="authorization.granted").count() == 2


def test_granting_packs_already_held_writes_nothing(live_merchant, app, owner):
    pack = factories.get_pack("merchant_basics")
    authorization_grant(merchant=live_merchant, app=app, packs=[pack], actor=owner)

    authorization_grant(merchant=live_merchant, app=app, packs=[pack], actor=owner)

    assert AuditEvent.objects.count() == 1
    assert Event.objects.count() == 1


def test_grant_after_a_revocation_creates_a_new_authorization(live_merchant, app, owner):
    old = factories.make_authorization(merchant=live_merchant, app=app,
                                       state=AuthorizationState.REVOKED,
                                       revoked_at=timezone.now())

    new = authorization_grant(merchant=live_merchant, app=app,
                                       packs=[factories.get_pack()], actor=owner)

    assert new.pk != old.pk


def test_grant_needs_at_least_one_pack(live_merchant, app, owner):
    with pytest.raises(ValidationError) as excinfo:
        authorization_grant(merchant=live_merchant, app=app, packs=[], actor=owner)

    assert error_codes(excinfo.value.error_dict) == {"packs": ["required"]}


@pytest.mark.parametrize("state", [state for state in MerchantState
                                   if state not in (MerchantState.ACTIVE,
                                                    MerchantState.RECTIFYING)])
def test_only_an_active_merchant_can_authorize_apps(isv, app, owner, state):
    merchant = factories.make_merchant(isv=isv, state=state)

    with pytest.raises(DomainError) as excinfo:
        authorization_grant(merchant=merchant, app=app,
                                     packs=[factories.get_pack()], actor=owner)

    assert excinfo.value.code == "merchant_not_active"
    assert not Authorization.objects.exists()


def test_a_rectifying_merchant_can_still_authorize_apps(isv, app, owner):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.RECTIFYING)

    assert authorization_grant(merchant=merchant, app=app,
                                        packs=[factories.get_pack()], actor=owner).pk


def test_a_suspended_app_cannot_be_authorized(live_merchant, owner):
    app = factories.make_app(state=AppState.SUSPENDED)

    with pytest.raises(DomainError) as excinfo:
        authorization_grant(merchant=live_merchant, app=app,
                                     packs=[factories.get_pack()], actor=owner)

    assert excinfo.value.code == "app_suspended"
    assert not AuditEvent.objects.exists()


AUTHORIZATION_MOVES = {
    "authorization_revoke": Move(
        "authorization.revoked", AuthorizationState.REVOKED,
        lambda authorization, actor: authorization_revoke(
            authorization=authorization, actor=actor, reason="Switched provider")),
    "authorization_expire": Move(
        "authorization.expired", AuthorizationState.EXPIRED,
        lambda authorization, actor: authorization_expire(
            authorization=authorization)),
}
LEGAL_AUTHORIZATION_MOVES = [
    (AuthorizationState.ACTIVE, "authorization_revoke"),
    (AuthorizationState.ACTIVE, "authorization_expire"),
]
ILLEGAL_AUTHORIZATION_MOVES = [
    (state, name)
    for name in AUTHORIZATION_MOVES
    for state in AuthorizationState
    if (state, name) not in LEGAL_AUTHORIZATION_MOVES
]


def test_authorization_moves_cover_the_transition_table_exactly():
    covered = {(state, AUTHORIZATION_MOVES[name].target)
               for state, name in LEGAL_AUTHORIZATION_MOVES}
    table = {(state, target) for state, targets in AUTHORIZATION_TRANSITIONS.items()
             for target in targets}
    assert covered == table


def _authorization_in(state: str, merchant: Merchant, app) -> Authorization:
    fields = {"revoked_at": timezone.now()} if state == AuthorizationState.REVOKED else {}
    return factories.make_authorization(merchant=merchant, app=app, state=state, **fields)


@pytest.mark.parametrize(("source", "name"), LEGAL_AUTHORIZATION_MOVES)
def test_legal_authorization_move_writes_audit_and_event(live_merchant, owner, source, name):
    move = AUTHORIZATION_MOVES[name]
    app = factories.make_app()
    authorization = _authorization_in(source, live_merchant, app)

    moved = move.call(authorization, owner)

    authorization.refresh_from_db()
    assert moved.state == authorization.state == move.target
    assert (authorization.revoked_at is not None) == (move.target == AuthorizationState.REVOKED)
    audit = AuditEvent.objects.get()
    assert audit.action == move.action
    assert (audit.before, audit.after) == ({"state": source}, {"state": move.target})
    event = Event.objects.get()
    assert (event.type, event.isv, event.app) == (move.action, app.isv, app)
    assert event.payload["data"]["state"] == move.target


def test_expiry_is_recorded_as_the_system(live_merchant, app):
    authorization = _authorization_in(AuthorizationState.ACTIVE, live_merchant, app)

    authorization_expire(authorization=authorization)

    audit = AuditEvent.objects.get()
    assert (audit.actor, audit.actor_label) == (None, "system")


@pytest.mark.parametrize(("source", "name"), ILLEGAL_AUTHORIZATION_MOVES)
def test_illegal_authorization_move_raises_and_writes_nothing(live_merchant, app, owner,
                                                              source, name):
    authorization = _authorization_in(source, live_merchant, app)

    with pytest.raises(IllegalTransition):
        AUTHORIZATION_MOVES[name].call(authorization, owner)

    authorization.refresh_from_db()
    assert authorization.state == source
    assert not AuditEvent.objects.exists()
    assert not Event.objects.exists()
