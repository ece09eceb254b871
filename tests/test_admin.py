"""The governance console (Django admin) as governance staff use it."""

import html
import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages import constants as message_levels
from django.urls import reverse
from django.utils import timezone

from catalog.models import Capability, FunctionPack, IndustrySolution
from governance import services as governance_services
from governance.choices import ActionKind, ActionState, EntryCategory, EntryKind
from governance.models import GovernanceAction, NegativeListEntry
from isv.choices import IsvState, SubscriptionState
from isv.models import App, Isv, IsvMember, Subscription
from merchants.choices import MerchantState
from merchants.models import Authorization, Merchant, MerchantUser, Store
from merchants.services.authorizations import authorization_grant
from merchants.services.lifecycle import (
    merchant_activate,
    merchant_start_screening,
    merchant_submit,
)
from merchants.services.onboarding import (
    MerchantInput,
    merchant_create,
    merchant_user_add,
    store_create,
)
from openplatform.audit.models import AuditEvent
from openplatform.data import pii
from openplatform.events.models import Event
from tests import factories

pytestmark = pytest.mark.django_db

GOVERNED_MODELS = (
    Capability, FunctionPack, IndustrySolution, Isv, IsvMember, App, Subscription, Merchant,
    Store, MerchantUser, Authorization, NegativeListEntry, GovernanceAction, AuditEvent, Event,
)
CLEAR_ID_NUMBER = factories.make_id_number(777)
CLEAR_ACCOUNT = factories.make_bank_account(777)


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def messages_of(response) -> list[tuple[int, str]]:
    return [(message.level, str(message)) for message in response.context["messages"]]


def run_action(client, model, action: str, objects, **form) -> object:
    """Choose ``action`` on the changelist; when ``form`` is given, answer its intermediate page."""
    url = changelist_url(model)
    selected = [str(obj.pk) for obj in objects]
    if not form:
        return client.post(url, {"action": action, "index": "0", "_selected_action": selected},
                           follow=True)
    return client.post(url, {"action": action, "_selected_action": selected, "apply": "1",
                             **form}, follow=True)


@pytest.fixture
def governance_staff(db):
    user = factories.make_user("governor", is_staff=True)
    user.groups.add(Group.objects.get(name="governance"))
    return user


@pytest.fixture
def staff_client(client, governance_staff):
    client.force_login(governance_staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def make_clear_merchant(*, isv, actor, external_id="KNOWN-1", number=777) -> Merchant:
    """A draft merchant onboarded through the service with known clear personal data."""
    return merchant_create(isv=isv, actor=actor, data=MerchantInput(
        external_id=external_id, legal_name=f"已知商贸有限公司{number}",
        short_name=f"已知小店{number}", uscc=factories.make_uscc(number),
        legal_rep_name="赵六", legal_rep_id_number=factories.make_id_number(number),
        settlement_account_name="已知商贸有限公司", settlement_bank_name="中国银行",
        settlement_account=factories.make_bank_account(number), contact_phone="13512345678",
        mcc="5411", address="北京市朝阳区建国路1号", business_scope="日用百货零售",
    ))


def activate(merchant: Merchant) -> Merchant:
    merchant = merchant_submit(merchant=merchant, actor=None)
    merchant = merchant_start_screening(merchant=merchant, actor=None)
    return merchant_activate(merchant=merchant, actor=None)


@pytest.fixture
def world(owner, isv, app, staff_user):
    """At least one row of every model in the console, made through the services."""
    factories.make_subscription(app=app)
    merchant = activate(make_clear_merchant(isv=isv, actor=owner))
    store_create(merchant=merchant, actor=owner, external_id="S1",
                                   name="旗舰店", city="北京", address="建国路1号")
    merchant_user_add(merchant=merchant, user=factories.make_user(),
                                        actor=owner)
    authorization_grant(merchant=merchant, app=app,
                                          packs=[factories.get_pack()], actor=owner)
    NegativeListEntry.objects.create(kind=EntryKind.KEYWORD, value="赌场", display_value="赌场",
                                     category=EntryCategory.GAMBLING, source="test")
    governance_services.governance_warn(target=merchant, actor=staff_user,
                                        reason_code="late_reply", reason="Reply faster.")
    return merchant


@pytest.mark.parametrize("model", GOVERNED_MODELS, ids=lambda model: model._meta.label)
def test_every_changelist_and_change_page_answers_200(staff_client, world, model):
    assert staff_client.get(changelist_url(model)).status_code == 200
    obj = model._default_manager.first()
    assert obj is not None
    assert staff_client.get(change_url(obj)).status_code == 200


def test_merchant_pages_show_masked_pii_only(staff_client, owner, isv):
    merchant = make_clear_merchant(isv=isv, actor=owner)
    hidden = [CLEAR_ID_NUMBER, CLEAR_ACCOUNT,
              merchant.legal_rep_id_number_ciphertext, merchant.legal_rep_id_number_digest,
              merchant.settlement_account_ciphertext, merchant.settlement_account_digest]

    for url in (changelist_url(Merchant), change_url(merchant)):
        page = staff_client.get(url).content.decode()
        assert pii.mask_id_number(CLEAR_ID_NUMBER) in page
        assert pii.mask_bank_account(CLEAR_ACCOUNT) in page
        for value in hidden:
            assert value not in page


def test_merchant_change_page_is_read_only(staff_client, merchant):
    response = staff_client.get(change_url(merchant))
    assert response.context["has_change_permission"] is False
    assert b'name="_save"' not in response.content
    assert staff_client.get(reverse("admin:merchants_merchant_add")).status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_merchant_changelist_queries_do_not_grow_with_rows(
    staff_client, isv, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        factories.make_merchant(isv=isv)
    with django_assert_max_num_queries(9):
        response = staff_client.get(changelist_url(Merchant))
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_audit_trail_changelist_queries_do_not_grow_with_rows(
    staff_client, owner, isv, rows, django_assert_max_num_queries
):
    for number in range(rows):
        make_clear_merchant(isv=isv, actor=owner, external_id=f"Q{number}", number=800 + number)
    with django_assert_max_num_queries(11):
        response = staff_client.get(changelist_url(AuditEvent))
    assert response.status_code == 200


def test_suspending_a_merchant_asks_for_a_reason_then_calls_the_service(
    staff_client, governance_staff, owner, isv
):
    merchant = activate(make_clear_merchant(isv=isv, actor=owner))

    page = run_action(staff_client, Merchant, "governance_suspend", [merchant])
    assert page.templates[0].name == "admin/governance_action_form.html"
    assert str(merchant) in page.content.decode()
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.ACTIVE

    response = run_action(staff_client, Merchant, "governance_suspend", [merchant],
                          reason_code="fraud_suspected", reason="Order brushing.")

    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUSPENDED
    action = GovernanceAction.objects.get(merchant=merchant)
    assert (action.kind, action.reason_code, action.actor) == (
        ActionKind.SUSPEND, "fraud_suspected", governance_staff)
    audit = AuditEvent.objects.get(action="merchant.suspended", target_id=str(merchant.pk))
    assert audit.actor == governance_staff
    assert (audit.before, audit.after["state"]) == ({"state": "active"}, "suspended")
    assert [level for level, _text in messages_of(response)] == [message_levels.SUCCESS]


def test_action_form_without_a_reason_is_shown_again_and_changes_nothing(
    staff_client, owner, isv
):
    merchant = activate(make_clear_merchant(isv=isv, actor=owner))
    audit_lines = AuditEvent.objects.count()

    response = run_action(staff_client, Merchant, "governance_suspend", [merchant],
                          reason_code="fraud_suspected", reason="")

    assert response.context["form"].errors["reason"]
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.ACTIVE
    assert AuditEvent.objects.count() == audit_lines


def test_illegal_action_is_an_error_naming_the_object_and_the_others_proceed(
    staff_client, owner, isv
):
    draft = make_clear_merchant(isv=isv, actor=owner, external_id="DRAFT", number=901)
    active = activate(make_clear_merchant(isv=isv, actor=owner, external_id="LIVE", number=902))
    draft_audit = AuditEvent.objects.filter(target_id=str(draft.pk)).count()

    response = run_action(staff_client, Merchant, "governance_suspend", [draft, active],
                          reason_code="fraud_suspected", reason="Order brushing.")

    draft.refresh_from_db()
    active.refresh_from_db()
    assert draft.state == MerchantState.DRAFT
    assert active.state == MerchantState.SUSPENDED
    assert AuditEvent.objects.filter(target_id=str(draft.pk)).count() == draft_audit
    assert not GovernanceAction.objects.filter(merchant=draft).exists()
    errors = [text for level, text in messages_of(response) if level == message_levels.ERROR]
    assert len(errors) == 1
    assert errors[0].startswith(f"{draft}: ")
    assert [level for level, _text in messages_of(response)].count(message_levels.SUCCESS) == 1


def test_illegal_action_alone_changes_nothing(staff_client, merchant):
    response = run_action(staff_client, Merchant, "activate_merchants", [merchant])

    merchant.refresh_from_db()
    assert merchant.state == MerchantState.DRAFT
    assert not AuditEvent.objects.filter(target_id=str(merchant.pk)).exists()
    assert [level for level, _text in messages_of(response)] == [message_levels.ERROR]


def test_isv_approval_needs_no_form(staff_client, governance_staff):
    pending = factories.make_isv(state=IsvState.PENDING_REVIEW)

    run_action(staff_client, Isv, "approve_isvs", [pending])

    pending.refresh_from_db()
    assert (pending.state, pending.reviewed_by) == (IsvState.ACTIVE, governance_staff)


def test_subscription_rejection_records_the_reason(staff_client, app):
    subscription = factories.make_subscription(app=app, pack=factories.get_pack("credit_score"),
                                               state=SubscriptionState.PENDING_REVIEW)

    run_action(staff_client, Subscription, "reject_subscriptions", [subscription],
               reason="No credit licence.")

    subscription.refresh_from_db()
    assert (subscription.state, subscription.reason) == (SubscriptionState.REJECTED,
                                                         "No credit licence.")


def test_accepting_rectification_evidence_ends_the_rectification(
    staff_client, staff_user, owner, isv
):
    merchant = activate(make_clear_merchant(isv=isv, actor=owner))
    order = governance_services.governance_order_rectification(
        target=merchant, actor=staff_user, reason_code="missing_licence", reason="Upload it.",
        evidence_required="The food licence.", deadline=timezone.now() + timedelta(days=3))
    governance_services.rectification_submit_evidence(action=order, actor=owner,
                                                      statement="Uploaded.")

    run_action(staff_client, GovernanceAction, "accept_rectification_evidence", [order],
               note="Licence checked.")

    order.refresh_from_db()
    merchant.refresh_from_db()
    assert (order.state, order.decision_note) == (ActionState.RESOLVED, "Licence checked.")
    assert merchant.state == MerchantState.ACTIVE


def test_negative_list_keeps_id_numbers_as_digests(staff_client, governance_staff):
    id_number = factories.make_id_number(555)
    form = {"kind": EntryKind.ID_NUMBER, "value": id_number,
            "category": EntryCategory.FRAUD, "source": "police notice", "note": ""}

    staff_client.post(reverse("admin:governance_negativelistentry_add"), form)
    duplicate = staff_client.post(reverse("admin:governance_negativelistentry_add"), form)

    entry = NegativeListEntry.objects.get()
    assert entry.value == pii.digest_id_number(id_number)
    assert entry.display_value == pii.mask_id_number(id_number)
    assert entry.created_by == governance_staff
    assert duplicate.status_code == 200 and duplicate.context["adminform"].form.errors
    assert id_number not in staff_client.get(change_url(entry)).content.decode()


def test_governance_group_has_exactly_the_intended_permissions():
    codenames = set(Group.objects.get(name="governance").permissions.values_list(
        "content_type__app_label", "codename"))

    viewed = {(model._meta.app_label, f"view_{model._meta.model_name}")
              for model in GOVERNED_MODELS}
    viewed |= {("payment", f"view_{model}") for model in (
        "trade", "refund", "statement", "ledgeraccount", "ledgertransaction", "ledgerentry",
        "sandboxbuyer")}
    viewed |= {("events", f"view_{model}")
               for model in ("webhookendpoint", "delivery", "deliveryattempt")}
    assert codenames == viewed | {
        ("isv", "change_isv"), ("isv", "change_app"), ("isv", "change_subscription"),
        ("merchants", "change_merchant"), ("governance", "change_governanceaction"),
        ("governance", "change_negativelistentry"), ("governance", "add_negativelistentry"),
        ("governance", "add_governanceaction"), ("governance", "delete_negativelistentry"),
    }


def test_staff_cannot_add_change_or_delete_audit_events(staff_client, governance_staff, world):
    event = AuditEvent.objects.first()
    model_admin = admin.site._registry[AuditEvent]
    request = type("Request", (), {"user": governance_staff})()

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert staff_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_trail_link_lists_only_the_objects_audit_events(staff_client, owner, isv):
    merchant = activate(make_clear_merchant(isv=isv, actor=owner))
    other = make_clear_merchant(isv=isv, actor=owner, external_id="OTHER", number=903)
    page = staff_client.get(change_url(merchant)).content.decode()
    link = re.search(r'href="([^"]*/audit/auditevent/\?[^"]*)"', page).group(1)

    response = staff_client.get(html.unescape(link))

    assert response.status_code == 200
    shown = {event.target_id for event in response.context["cl"].result_list}
    assert shown == {str(merchant.pk)} and str(other.pk) not in shown
    assert response.context["cl"].result_count == 4  # created, submitted, screening, activated
