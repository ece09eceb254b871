"""The one way a status column changes.

``transition`` locks the row, checks the move against the model's transition table, applies
the changes that go with it, saves exactly those fields, writes the audit line, lets the
service write its outbox event, and invalidates the capability gate's cached decisions that
depended on the row. Every service that moves a state calls it, inside its transaction.

Locks are taken in one order, so that two transactions never wait on each other in a circle:
an ISV before its apps, a merchant before its trades and authorizations, ledger accounts in
code order, and the audit trail last (``audit_record`` runs after the row's own writes).
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from openplatform.api import gate
from openplatform.audit.trail import audit_record
from openplatform.errors import IllegalTransition

Model = TypeVar("Model", bound=models.Model)


def lock(instance: Model) -> Model:
    """Re-read ``instance`` under SELECT … FOR UPDATE so a transition sees the latest state."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _check_move(
    instance: models.Model,
    to: str,
    *,
    transitions: Mapping[str, Iterable[str]],
    sources: Iterable[str] | None = None,
    field: str = "state",
) -> str:
    """Set ``instance.<field>`` to ``to`` if the table allows it; return the state it left.

    ``sources`` limits the move to those starting states: several services may lead to one
    state (activation and reinstatement both lead to active), each from its own states.
    Raises IllegalTransition (code ``illegal_transition``) and leaves the instance untouched
    when the move is not allowed.
    """
    current = getattr(instance, field)
    allowed = transitions.get(current, ())
    if to not in allowed or (sources is not None and current not in sources):
        labels = dict(instance._meta.get_field(field).choices or ())
        raise IllegalTransition(
            _("%(model)s “%(object)s” cannot go from %(current)s to %(target)s.")
            % {
                "model": instance._meta.verbose_name,
                "object": instance,
                "current": labels.get(current, current),
                "target": labels.get(to, to),
            }
        )
    setattr(instance, field, to)
    return current


def transition(
    instance: Model,
    to: str,
    *,
    transitions: Mapping[str, Iterable[str]],
    actor: Any,
    action: str,
    sources: Iterable[str] | None = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    audit_after: Mapping[str, Any] | None = None,
    carry_out: Callable[[Model], Any] | None = None,
    emit: Callable[[Model], Any] | None = None,
    locked: bool = False,
    field: str = "state",
) -> Model:
    """Move ``instance`` to ``to`` and record it; return the moved row.

    ``changes`` are the other fields the move sets (a deadline, a reviewer); ``audit_after``
    adds to what the audit line records after the move (the state is always recorded);
    ``carry_out`` does the work the move stands for (posting money), once the move is checked
    and before it is saved, and may refuse it by raising; ``emit`` writes the outbox event of
    the moved row (None for rows no ISV hears about).
    ``locked`` says the caller already holds the row under FOR UPDATE (and checked it).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A transition must run inside the service's transaction.")
    instance = instance if locked else lock(instance)
    previous = _check_move(instance, to, transitions=transitions, sources=sources,
                           field=field)
    changes = changes or {}
    for name, value in changes.items():
        setattr(instance, name, value)
    if carry_out is not None:
        carry_out(instance)
    instance.save(update_fields=[field, *changes, *_auto_now_fields(instance)])
    audit_record(actor=actor, action=action, target=instance, reason=reason,
                 before={field: previous}, after={field: to, **(audit_after or {})})
    if emit is not None:
        emit(instance)
    gate.invalidate(instance)
    return instance


def _auto_now_fields(instance: models.Model) -> list[str]:
    return [field.name for field in instance._meta.concrete_fields
            if getattr(field, "auto_now", False)]
