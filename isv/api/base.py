"""The ISV API's base: an app acting as itself (client credentials), scoped to its ISV."""

from rest_framework import viewsets

from isv.api.permissions import HasIsvScope
from isv.models import App, Isv
from openplatform.api.authentication import BearerTokenAuthentication


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
