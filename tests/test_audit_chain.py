"""The audit trail is a hash chain: `manage.py verify_audit` finds the first changed, removed
or reordered line, and concurrent writers never fork the chain."""

import io
import itertools
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from isv.choices import IsvState
from isv.services.providers import isv_approve
from merchants.choices import MerchantState
from merchants.services.lifecycle import (
    merchant_activate,
    merchant_reinstate,
    merchant_start_screening,
    merchant_suspend,
)
from openplatform.audit.models import AuditEvent
from openplatform.audit.trail import audit_hash, verify_audit_chain
from tests import factories


def rows() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


def tamper(sql: str, params: list) -> None:
    """Change the table behind the ORM's back, as someone with database access could."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_audit() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def move_merchant_through_its_life(merchant, *, actor) -> None:
    """Five audited state changes of a submitted merchant, each in its own transaction (from
    submitted on: a submission would also have governance screen it once it commits)."""
    merchant = merchant_start_screening(merchant=merchant, actor=None)
    merchant = merchant_activate(merchant=merchant, actor=None)
    merchant = merchant_suspend(merchant=merchant, actor=actor,
                                reason="Gambling keyword in business scope.")
    merchant = merchant_reinstate(merchant=merchant, actor=actor,
                                  reason="Business scope rectified.")
    merchant_suspend(merchant=merchant, actor=actor, reason="Gambling keyword again.")


@pytest.fixture
def chain(db, staff_user) -> list[AuditEvent]:
    """An audit trail written by ISV and merchant services."""
    isv = factories.make_isv(state=IsvState.PENDING_REVIEW)
    isv_approve(isv=isv, actor=staff_user)
    # Approval also provisions the ISV's sandbox, several audited steps of their own.
    approval_lines = AuditEvent.objects.count()
    for _ in range(2):
        move_merchant_through_its_life(
            factories.make_merchant(isv=isv, state=MerchantState.SUBMITTED), actor=staff_user)
    trail = rows()
    assert len(trail) == approval_lines + 10
    return trail


@pytest.mark.django_db
def test_an_empty_trail_is_intact():
    assert verify_audit() == "Audit trail intact: 0 rows verified.\n"


def test_a_trail_written_by_services_is_intact(chain):
    assert verify_audit() == f"Audit trail intact: {len(chain)} rows verified.\n"
    assert verify_audit_chain().ok


def test_each_row_holds_the_hash_of_the_row_before_it(chain):
    assert chain[0].previous_hash == ""
    for previous, row in itertools.pairwise(chain):
        assert row.previous_hash == previous.hash
    for row in chain:
        assert len(row.hash) == 64
        assert row.hash == audit_hash(previous_hash=row.previous_hash, event=row)
    assert len({row.hash for row in chain}) == len(chain)


def test_the_hash_covers_what_was_stored(chain):
    """What the writer hashed is what reads back (time to the microsecond, JSON as stored)."""
    suspended = next(row for row in chain if row.action == "merchant.suspended")
    stored = AuditEvent.objects.get(pk=suspended.pk)
    assert stored.reason == "Gambling keyword in business scope."
    assert stored.after == {"state": "suspended", "rectification_deadline": None}
    assert stored.hash == audit_hash(previous_hash=stored.previous_hash, event=stored)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("reason", "Nothing happened."),
        ("after", json.dumps({"state": "cleared_out"})),
        ("before", json.dumps({})),
        ("action", "merchant.activated"),
        ("actor_label", "system"),
        ("target_id", "999999"),
        ("target_repr", "Somebody else"),
    ],
)
def test_changing_one_row_fails_verification_at_that_row(chain, column, value):
    # A suspension by staff: it has an actor, a reason, a before and an after to tamper with.
    position = len(chain) - 3
    target = chain[position]
    placeholder = "CAST(%s AS jsonb)" if column in {"before", "after"} and \
        connection.vendor == "postgresql" else "%s"
    tamper(f'UPDATE audit_auditevent SET "{column}" = {placeholder} WHERE id = %s',
           [value, target.pk])

    with pytest.raises(CommandError) as error:
        verify_audit()
    assert str(error.value).startswith(f"audit row {target.pk} (")
    assert "hash mismatch — row content was changed" in str(error.value)

    result = verify_audit_chain()
    assert (result.ok, result.broken_row_id, result.rows_checked) == (
        False, target.pk, position + 1)


def test_changing_the_time_of_a_row_fails_verification_at_that_row(chain):
    target = chain[3]
    tamper("UPDATE audit_auditevent SET created_at = %s WHERE id = %s",
           [chain[2].created_at, target.pk])
    assert verify_audit_chain().broken_row_id == target.pk


def test_a_rewritten_row_with_a_recomputed_hash_fails_at_the_next_row(chain):
    target = chain[5]
    target.reason = "Nothing happened."
    forged = audit_hash(previous_hash=target.previous_hash, event=target)
    tamper("UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s",
           [target.reason, forged, target.pk])

    with pytest.raises(CommandError,
                       match=rf"^audit row {chain[6].pk} \(.*previous_hash does not match "
                             rf"row {target.pk}'s hash"):
        verify_audit()


def test_removing_a_middle_row_fails_verification_at_the_next_row(chain):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [chain[4].pk])

    with pytest.raises(CommandError) as error:
        verify_audit()
    assert str(error.value).startswith(f"audit row {chain[5].pk} (")
    assert (f"previous_hash does not match row {chain[3].pk}'s hash — a row was removed or "
            "reordered") in str(error.value)
    assert verify_audit_chain().broken_row_id == chain[5].pk


def test_removing_the_first_row_fails_verification_at_the_new_first_row(chain):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [chain[0].pk])

    result = verify_audit_chain()
    assert (result.ok, result.broken_row_id, result.rows_checked) == (False, chain[1].pk, 1)
    assert "earlier rows were removed" in result.problem


def test_two_rows_can_never_chain_onto_the_same_row(chain, isv):
    """The database refuses a fork even from a writer that skipped the chain lock."""
    fork = AuditEvent(actor_label="system", action="isv.approved",
                      target_type=chain[0].target_type, target_id=str(isv.pk),
                      target_repr=str(isv), previous_hash=chain[3].hash)
    fork.hash = audit_hash(previous_hash=fork.previous_hash, event=fork)
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite runs one writer at a time; the advisory lock is PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    writers = 4
    actor = factories.make_user("concurrent-staff", is_staff=True)
    isv = factories.make_isv()
    merchants = [[factories.make_merchant(isv=isv, state=MerchantState.SUBMITTED)
                  for _ in range(3)] for _ in range(writers)]
    start = threading.Barrier(writers)
    failures = []

    def write(own_merchants) -> None:
        try:
            start.wait()
            for merchant in own_merchants:
                move_merchant_through_its_life(merchant, actor=actor)
        except Exception as exception:  # reported by the main thread
            failures.append(exception)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(own,)) for own in merchants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    trail = rows()
    assert len(trail) == writers * 3 * 5
    assert len({row.previous_hash for row in trail}) == len(trail)
    result = verify_audit_chain()
    assert (result.ok, result.rows_checked) == (True, len(trail))
