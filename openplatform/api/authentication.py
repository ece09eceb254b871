"""Bearer-token authentication for the API: one query, and errors that say what to do.

DOT's own resource check refuses a suspended app or ISV with an opaque ``invalid_token``;
here the token alone is checked, and the gate or the ISV API's permission answers
``app_suspended`` / ``isv_suspended``.
"""

import hashlib

from django.utils.translation import gettext as _
from oauth2_provider.models import get_access_token_model
from rest_framework.authentication import BaseAuthentication

from openplatform.api.problems import Problem

WWW_AUTHENTICATE = 'Bearer realm="api", error="invalid_token"'


def invalid_token(detail: str | None = None) -> Problem:
    return Problem(
        status_code=401,
        code="invalid_token",
        detail=detail or _("The access token is unknown, expired or revoked. Get a new one from "
                           "/oauth/token/ (client_credentials, or refresh_token for a merchant "
                           "authorization)."),
        headers={"WWW-Authenticate": WWW_AUTHENTICATE},
    )


def load_access_token(raw_token: str):
    """The token row with everything the gate reads, in ONE query (None if unknown)."""
    checksum = hashlib.sha256(raw_token.encode()).hexdigest()
    return (
        get_access_token_model().objects
        .select_related("application__isv", "user", "merchant_authorization__authorization")
        .filter(token_checksum=checksum)
        .first()
    )


class BearerTokenAuthentication(BaseAuthentication):
    """Bearer tokens for every API call (capabilities and the ISV API).

    Unlike DOT's resource check it does not refuse a suspended app or ISV with
    ``invalid_token`` (the gate answers ``app_suspended`` / ``isv_suspended``, which say what
    to do) and it loads the token, app, ISV and merchant authorization in one query.
    A deleted (revoked) or expired token is refused here.
    """

    def authenticate(self, request):
        scheme, _space, raw_token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        raw_token = raw_token.strip()
        access_token = load_access_token(raw_token) if raw_token else None
        if access_token is None or access_token.is_expired() or access_token.application is None:
            raise invalid_token()
        if access_token.resource and not access_token.allows_audience(
            request.build_absolute_uri(request.path)
        ):
            raise invalid_token(_("This access token is restricted to other resources "
                                  "(RFC 8707); request one without a resource indicator."))
        return access_token.user, access_token

    def authenticate_header(self, request) -> str:
        return WWW_AUTHENTICATE
