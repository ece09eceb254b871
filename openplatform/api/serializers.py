"""Serializers every API endpoint builds on: strings that are strings, and no unknown fields."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from openplatform.errors import FieldError


class StrictCharField(serializers.CharField):
    """A string and nothing else: numbers and booleans are wrong types, not coerced."""

    default_error_messages = {"invalid": gettext_lazy("Not a valid string.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (code ``unknown_field``) instead of ignoring them."""

    def to_internal_value(self, data: Any):
        errors: dict[str, list[ErrorDetail]] = {}
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            errors = {
                str(name): [ErrorDetail(_("Unknown field: remove it."),
                                        code=FieldError.UNKNOWN_FIELD)]
                for name in data if name not in writable
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict):
                error.detail.update(errors)
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value


class NoBodySerializer(StrictSerializer):
    """The body of an action that takes none: absent or ``{}``; any field is unknown."""


def require_no_body(request) -> None:
    NoBodySerializer(data=request.data).is_valid(raise_exception=True)
