"""The audit trail helper: every service records what it changed, who did it and why.

The trail is a hash chain (tamper evidence): each line stores the SHA-256 of the line before it
and of its own content, and ``verify_audit_chain`` (``manage.py verify_audit``) recomputes it.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from openplatform.audit.models import AuditEvent

SYSTEM_ACTOR = "system"

# Key of the PostgreSQL transaction-level advisory lock that serialises audit writers ("audit").
AUDIT_CHAIN_LOCK = 0x6175646974


def person(actor):
    """The user to store in a foreign key, or None for the system and anonymous users."""
    return actor if getattr(actor, "is_authenticated", False) else None


def actor_label_for(user) -> str:
    if person(user) is None:
        return SYSTEM_ACTOR
    return f"user:{user.get_username()}"


def audit_content(event) -> dict[str, Any]:
    """What a line's hash covers: everything but its id and its own hashes.

    ``event`` is an ``AuditEvent`` (or its historical model in a migration).
    """
    target_type = ContentType.objects.get_for_id(event.target_type_id)
    return {
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": f"{target_type.app_label}.{target_type.model}",
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }


def audit_hash(*, previous_hash: str, event) -> str:
    """SHA-256 (hex) of the previous line's hash followed by this line's canonical JSON."""
    canonical = json.dumps(audit_content(event), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False, default=str)
    return hashlib.sha256((previous_hash + canonical).encode()).hexdigest()


def _as_stored(value: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON value as it reads back from the database (tuples become lists, keys strings),
    so the hashed content equals the stored content."""
    return json.loads(json.dumps(value or {}))


def _lock_audit_chain(connection) -> None:
    """Serialise writers until commit, so no two transactions chain onto the same line.

    SQLite needs no lock: its transactions start IMMEDIATE (settings), one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one audit line; must run inside the service's transaction.

    On PostgreSQL the chain lock is held until that transaction ends, so audit writers run
    one after another from their first audit line on.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change.")
    event = AuditEvent(
        actor=person(actor),
        actor_label=actor_label or actor_label_for(actor),
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        before=_as_stored(before),
        after=_as_stored(after),
        reason=reason,
    )
    _lock_audit_chain(connection)
    event.previous_hash = (
        AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
    )
    event.created_at = timezone.now()
    event.hash = audit_hash(previous_hash=event.previous_hash, event=event)
    event.save()
    return event


@dataclass(frozen=True, kw_only=True)
class VerificationResult:
    """The outcome of ``verify_audit_chain``.

    ``rows_checked`` counts the lines read, the broken one included; ``broken_row_id`` and
    ``problem`` name the first broken link (both None when the chain is intact).
    """

    ok: bool
    rows_checked: int
    broken_row_id: int | None = None
    problem: str | None = None


def _describe(event: AuditEvent) -> str:
    return gettext("audit row %(id)s (%(action)s at %(time)s)") % {
        "id": event.pk,
        "action": event.action,
        "time": timezone.localtime(event.created_at).isoformat(timespec="seconds"),
    }


def verify_audit_chain() -> VerificationResult:
    """Walk the trail in id order, recompute every hash and report the first broken link."""
    previous: AuditEvent | None = None
    rows_checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=5000):
        rows_checked += 1
        problem = None
        if previous is None and event.previous_hash:
            problem = gettext(
                "%(row)s: it is the first row but has a previous_hash — earlier rows were removed"
            ) % {"row": _describe(event)}
        elif previous is not None and event.previous_hash != previous.hash:
            problem = gettext(
                "%(row)s: previous_hash does not match row %(previous_id)s's hash — a row was "
                "removed or reordered"
            ) % {"row": _describe(event), "previous_id": previous.pk}
        elif event.hash != audit_hash(previous_hash=event.previous_hash, event=event):
            problem = gettext("%(row)s: hash mismatch — row content was changed") % {
                "row": _describe(event)}
        if problem:
            return VerificationResult(ok=False, rows_checked=rows_checked,
                                      broken_row_id=event.pk, problem=problem)
        previous = event
    return VerificationResult(ok=True, rows_checked=rows_checked)
