"""The platform's OAuth2 validator: catalog scopes, redirect URI policy, and the binding of
every merchant token to the ``Authorization`` it acts under.

The consent view stores the authorization's id in the grant's ``claims``; exchanging the code
links the access token to it (``merchants.AuthorizationToken``), and a refresh links the new
token to the old one's authorization. Revoking the authorization deletes those tokens.

After a client secret rotation (``isv.services.apps.app_rotate_secret``) the replaced secret still
authenticates the client until ``App.previous_client_secret_expires_at``.
"""

import base64
import binascii
import hashlib
from urllib.parse import unquote_plus

from django.db import transaction
from oauth2_provider.models import get_access_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.common import Request as OauthlibRequest
from oauthlib.oauth2.rfc6749 import errors, utils

from isv.models import App
from isv.scopes import allowed_scopes
from merchants.choices import AuthorizationState
from merchants.models import Authorization, AuthorizationToken
from merchants.services.authorizations import authorization_link_token
from openplatform.errors import DomainError

# The key under which the consent view puts the authorization's id in the grant's claims.
AUTHORIZATION_CLAIM = "openplatform_authorization_id"
def _active_authorization(authorization_id, *, app: App) -> Authorization | None:
    if authorization_id is None:
        return None
    return Authorization.objects.filter(
        pk=authorization_id, app=app, state=AuthorizationState.ACTIVE
    ).first()


def _basic_credentials(auth_string: str) -> tuple[str, str] | None:
    """``client_id, client_secret`` from a Basic header, decoded as DOT decodes it."""
    try:
        decoded = base64.b64decode(auth_string).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if ":" not in decoded:
        return None
    client_id, client_secret = decoded.split(":", 1)
    return unquote_plus(client_id), unquote_plus(client_secret)


class PlatformOAuth2Validator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        if super().authenticate_client(request, *args, **kwargs):
            return True
        return self._authenticate_with_previous_secret(request)

    def _authenticate_with_previous_secret(self, request: OauthlibRequest) -> bool:
        """During a rotation's overlap the replaced secret still authenticates its client."""
        auth_string = self._extract_basic_auth(request)
        if auth_string:
            credentials = _basic_credentials(auth_string)
        else:
            credentials = (getattr(request, "client_id", None),
                           getattr(request, "client_secret", None))
        if credentials is None or not all(credentials):
            return False
        client_id, client_secret = credentials
        if self._load_application(client_id, request) is None:
            return False
        app = request.client
        return app.previous_client_secret_in_force and self._check_secret(
            client_secret, app.previous_client_secret)

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        requested = set(scopes)
        return bool(requested) and requested <= allowed_scopes(
            app=client, grant_type=request.grant_type
        )

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs):
        return request.client.permits_redirect_uri(redirect_uri) and super(
        ).validate_redirect_uri(client_id, redirect_uri, request, *args, **kwargs)

    def _refuse_unsubscribed(self, scopes, client: App, request: OauthlibRequest) -> None:
        """A pack whose subscription ended since consent is refused at the token endpoint."""
        if not set(scopes) <= allowed_scopes(app=client, grant_type=request.grant_type):
            raise errors.InvalidScopeError(request=request)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            return False
        authorization = _active_authorization(
            (request.claims or {}).get(AUTHORIZATION_CLAIM), app=client
        )
        if authorization is None:
            return False
        self._refuse_unsubscribed(request.scopes, client, request)
        request.merchant_authorization_id = authorization.pk
        return True

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        access_token = request.refresh_token_instance.access_token
        link = AuthorizationToken.objects.filter(access_token=access_token).first()
        if link is None:
            return True
        if _active_authorization(link.authorization_id, app=client) is None:
            return False
        self._refuse_unsubscribed(
            utils.scope_to_list(request.scope) or utils.scope_to_list(access_token.scope),
            client, request,
        )
        request.merchant_authorization_id = link.authorization_id
        return True

    def save_bearer_token(self, token, request, *args, **kwargs):
        authorization_id = getattr(request, "merchant_authorization_id", None)
        access_token_model = get_access_token_model()
        with transaction.atomic():
            super().save_bearer_token(token, request, *args, **kwargs)
            if authorization_id is None:
                return
            checksum = hashlib.sha256(token["access_token"].encode("utf-8")).hexdigest()
            access_token = access_token_model.objects.get(token_checksum=checksum)
            try:
                authorization_link_token(
                    authorization=Authorization.objects.get(pk=authorization_id),
                    access_token=access_token,
                )
            except DomainError as error:
                # Revoked while the token was being issued: nothing is kept.
                raise errors.InvalidGrantError(request=request) from error
