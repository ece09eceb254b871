from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def choices_check(field: str, choices: type[models.TextChoices]) -> models.Q:
    """A Q for a CheckConstraint that keeps ``field`` inside its TextChoices."""
    return models.Q(**{f"{field}__in": choices.values})
