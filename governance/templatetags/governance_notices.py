"""``{{ action.deadline|countdown }}``: how long a rectification order has left, in words."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def deadline_countdown(deadline: datetime, *, now: datetime | None = None) -> str:
    """"3 days 4 hours left", "2 hours 5 minutes left", "overdue": to the minute, never more."""
    now = now or timezone.now()
    if deadline <= now:
        return _("overdue")
    remaining = deadline - now
    days = remaining.days
    hours, seconds = divmod(remaining.seconds, 3600)
    minutes = seconds // 60
    if days:
        parts = [ngettext("%(count)d day", "%(count)d days", days) % {"count": days},
                 ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}]
    elif hours:
        parts = [ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours},
                 ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}]
    else:
        minutes = max(minutes, 1)
        parts = [ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}]
    return _("%(time)s left") % {"time": " ".join(parts)}


@register.filter
def countdown(deadline: datetime | None) -> str:
    return deadline_countdown(deadline) if deadline else ""


@register.filter
def is_overdue(deadline: datetime | None) -> bool:
    return deadline is not None and deadline <= timezone.now()
