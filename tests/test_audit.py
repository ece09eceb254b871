"""The audit trail is append-only, and audit lines and events are written inside a change."""

import pytest
from django.db import transaction

from isv.models import Isv
from openplatform.audit.models import AuditEvent
from openplatform.audit.trail import SYSTEM_ACTOR, audit_record
from openplatform.events.services import event_emit


@pytest.fixture
def audit_row(isv) -> AuditEvent:
    with transaction.atomic():
        return audit_record(actor=None, action="isv.approved", target=isv,
                            before={"state": "pending_review"}, after={"state": "active"})


@pytest.mark.django_db
def test_audit_record_writes_one_line(audit_row, isv):
    assert AuditEvent.objects.count() == 1
    assert audit_row.actor is None
    assert audit_row.actor_label == SYSTEM_ACTOR
    assert audit_row.target_id == str(isv.pk)
    assert audit_row.after == {"state": "active"}


@pytest.mark.django_db
def test_saving_an_existing_audit_line_is_refused(audit_row):
    audit_row.action = "isv.rejected"
    with pytest.raises(TypeError):
        audit_row.save()
    assert AuditEvent.objects.get().action == "isv.approved"


@pytest.mark.django_db
def test_deleting_an_audit_line_is_refused(audit_row):
    with pytest.raises(TypeError):
        audit_row.delete()
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_updating_audit_lines_in_bulk_is_refused(audit_row):
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=audit_row.pk).update(action="isv.rejected")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(reason="rewritten")
    assert AuditEvent.objects.get().action == "isv.approved"


@pytest.mark.django_db
def test_deleting_audit_lines_in_bulk_is_refused(audit_row):
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=audit_row.pk).delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


# Outside any transaction (no database fixture: nothing may be written, so nothing is needed).


def test_audit_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="isv.approved", target=Isv(pk=1, name="Somebody"))


def test_event_emit_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        event_emit(type="isv.approved", isv=Isv(pk=1, name="Somebody"), data={})
