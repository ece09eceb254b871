"""Building blocks of every ISV API endpoint: strict serializers and a bounded JSON parser."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ErrorDetail

from isv.models import App, Isv
from openplatform.api.authentication import BearerTokenAuthentication
from openplatform.api.permissions import HasIsvScope
from openplatform.domain.errors import FieldError


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


class IsvTokenAuthentication(BearerTokenAuthentication):
    """The gate's bearer check (one query; a suspended app is left to the permission, which
    answers ``app_suspended`` rather than DOT's opaque ``invalid_token``)."""


class IsvApiViewSet(viewsets.GenericViewSet):
    """An endpoint of the ISV API: a client token of a usable app with the right scope."""

    authentication_classes = [IsvTokenAuthentication]
    permission_classes = [HasIsvScope]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: there is no token
            return self.queryset
        return self.get_isv_queryset()

    def get_isv_queryset(self):
        """This endpoint's objects, limited to the token's ISV: others' ids answer 404."""
        raise NotImplementedError

    @property
    def app(self) -> App:
        return self.request.auth.application

    @property
    def isv(self) -> Isv:
        return self.app.isv


class NoBodySerializer(StrictSerializer):
    """The body of an action that takes none: absent or ``{}``; any field is unknown."""


def require_no_body(request) -> None:
    NoBodySerializer(data=request.data).is_valid(raise_exception=True)
