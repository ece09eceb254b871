"""Invariants the database keeps for governance rows (governance/models.py)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.choices import ActionKind, EntryCategory, EntryKind, TargetType
from governance.models import GovernanceAction, NegativeListEntry
from openplatform.audit.models import AuditEvent
from openplatform.audit.trail import audit_record
from tests import factories

pytestmark = pytest.mark.django_db


def action_row(**fields) -> GovernanceAction:
    """Insert straight into the table, past every service check, so the database must refuse."""
    defaults = {"kind": ActionKind.WARNING, "reason_code": "test", "reason": "Test."}
    with transaction.atomic():
        return GovernanceAction.objects.create(**{**defaults, **fields})


@pytest.fixture
def targets(isv, app, merchant):
    return {"isv": isv, "app": app, "merchant": merchant}


@pytest.mark.parametrize("target_type", list(TargetType))
def test_an_action_names_exactly_the_target_of_its_type(target_type, targets):
    action = action_row(target_type=target_type, **{target_type: targets[target_type]})
    assert action.target == targets[target_type]


@pytest.mark.parametrize(
    ("target_type", "set_fields"),
    [
        (TargetType.ISV, ("isv", "app")),
        (TargetType.APP, ("app", "merchant")),
        (TargetType.MERCHANT, ("isv", "merchant")),
        (TargetType.ISV, ("app",)),
        (TargetType.APP, ("merchant",)),
        (TargetType.MERCHANT, ("isv",)),
        (TargetType.ISV, ()),
    ],
    ids=lambda value: "+".join(value) if isinstance(value, tuple) else value,
)
def test_an_action_with_another_or_a_second_target_is_refused(target_type, set_fields, targets):
    with pytest.raises(IntegrityError):
        action_row(target_type=target_type, **{name: targets[name] for name in set_fields})


def test_a_rectification_order_without_deadline_is_refused(isv):
    with pytest.raises(IntegrityError):
        action_row(target_type=TargetType.ISV, isv=isv, kind=ActionKind.RECTIFY)

    order = action_row(target_type=TargetType.ISV, isv=isv, kind=ActionKind.RECTIFY,
                       deadline=timezone.now() + timedelta(days=1))
    assert order.deadline is not None


def test_an_unknown_kind_is_refused(isv):
    with pytest.raises(IntegrityError):
        action_row(target_type=TargetType.ISV, isv=isv, kind="scold")


def test_a_negative_list_value_is_listed_once_per_kind():
    entry = {"value": "example-casino.com", "display_value": "example-casino.com",
             "category": EntryCategory.GAMBLING, "source": "police notice"}
    NegativeListEntry.objects.create(kind=EntryKind.DOMAIN, **entry)
    NegativeListEntry.objects.create(kind=EntryKind.KEYWORD, **entry)

    with pytest.raises(IntegrityError), transaction.atomic():
        NegativeListEntry.objects.create(kind=EntryKind.DOMAIN, **entry)


def test_negative_list_entry_str():
    entry = NegativeListEntry(kind=EntryKind.ID_NUMBER, value="digest",
                              display_value="1101**********0012",
                              category=EntryCategory.FRAUD, source="court")
    assert str(entry) == "Legal representative ID number: 1101**********0012 (Fraud)"


def test_governance_action_str(merchant):
    action = GovernanceAction(target_type=TargetType.MERCHANT, merchant=merchant,
                              kind=ActionKind.SUSPEND)
    assert str(action) == f"Suspension · {merchant}"


def test_audit_event_str(isv):
    staff = factories.make_user("auditor")
    with transaction.atomic():
        row = audit_record(actor=staff, action="isv.approved", target=isv)
    row = AuditEvent.objects.get(pk=row.pk)
    assert str(row) == f"{row.created_at:%Y-%m-%d %H:%M:%S} user:auditor isv.approved"
    assert row.target_repr == str(isv)
