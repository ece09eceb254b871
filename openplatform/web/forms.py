"""Helpers shared by the portal's forms: service errors shown beside the fields they concern."""

from django import forms
from django.core.exceptions import ValidationError

from openplatform.errors import DomainError


def add_service_errors(form: forms.Form, error: ValidationError | DomainError) -> None:
    """Put a service's errors on ``form``: keyed errors beside their field when the form has
    it, everything else at the top of the form."""
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)
