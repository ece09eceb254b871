"""The one way a status column changes: check the move against the model's transition table."""

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.translation import gettext as _

from openplatform.domain.errors import IllegalTransition


def transition_state(
    instance: models.Model,
    to: str,
    *,
    transitions: Mapping[str, Iterable[str]],
    field: str = "state",
) -> str:
    """Set ``instance.<field>`` to ``to`` if the table allows it; return the state it left.

    Raises IllegalTransition (code ``illegal_transition``) and leaves the instance untouched
    when the move is not in the table. The caller saves, inside its transaction.
    """
    current = getattr(instance, field)
    if to not in transitions.get(current, ()):
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


def lock(instance: models.Model) -> models.Model:
    """Re-read ``instance`` under SELECT … FOR UPDATE so a transition sees the latest state."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)
