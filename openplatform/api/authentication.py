from django.utils.translation import gettext as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication

from openplatform.api.problems import Problem


class BearerTokenAuthentication(OAuth2Authentication):
    """DOT's bearer-token check, with a problem+json ``invalid_token`` that says what to do.

    A request without credentials is left to the permission (DRF answers 401 invalid_token);
    a request whose token is unknown, expired or revoked fails here at once.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None and request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
            raise Problem(
                status_code=401,
                code="invalid_token",
                detail=_("The access token is unknown, expired or revoked. Get a new one from "
                         "/oauth/token/ (client_credentials, or refresh_token for a merchant "
                         "authorization)."),
                headers={"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'},
            )
        return result
