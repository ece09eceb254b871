"""Field-error helpers shared by the services: every error a caller sees is keyed and coded."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

FieldErrors = dict[str, list[ValidationError]]


def required_errors(values: Mapping[str, str]) -> FieldErrors:
    """An error with code ``required`` for each blank (or whitespace-only) value."""
    return {
        name: [ValidationError(_("This field is required."), code="required")]
        for name, value in values.items()
        if not (value or "").strip()
    }


def require_text(**values: str) -> None:
    """Raise a ValidationError keyed by field for every blank value."""
    errors = required_errors(values)
    if errors:
        raise ValidationError(errors)


def model_field_errors(
    instance: models.Model, *, exclude: Iterable[str], check_unique: bool = True
) -> FieldErrors:
    """The ``full_clean()`` errors of an unsaved instance, as a dict of field → errors."""
    try:
        instance.full_clean(exclude=set(exclude), validate_unique=check_unique,
                            validate_constraints=check_unique)
    except ValidationError as error:
        return error.error_dict
    return {}
