"""The ISV API's OAuth 2.0 security scheme in the OpenAPI document (registered on import, from
the app's ready())."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from catalog.models import FunctionPack
from isv.api.permissions import HasIsvScope, required_scope
from isv.scopes import isv_scope_descriptions
from openplatform.api.schema import AUTHORIZATION_URL, OAUTH_SCHEME, TOKEN_URL


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """OAuth 2.0: client credentials for the ISV API, authorization code (PKCE) for merchants."""

    target_class = "isv.api.base.IsvTokenAuthentication"
    name = OAUTH_SCHEME

    def get_security_requirement(self, auto_schema):
        view = auto_schema.view
        if any(isinstance(permission, HasIsvScope) for permission in view.get_permissions()):
            return {self.name: [required_scope(view, auto_schema.method)]}
        return {self.name: []}

    def get_security_definition(self, auto_schema):
        isv_scopes = {scope: str(text) for scope, text in isv_scope_descriptions().items()}
        pack_scopes = {pack.scope: pack.display_name
                       for pack in FunctionPack.objects.order_by("code")}
        return {
            "type": "oauth2",
            "description": "Client credentials: an app acting as itself (isv:* scopes). "
                           "Authorization code with PKCE S256: an app acting for a merchant "
                           "who granted it function packs (pack:<code> scopes).",
            "flows": {
                "clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": isv_scopes},
                "authorizationCode": {"authorizationUrl": AUTHORIZATION_URL,
                                      "tokenUrl": TOKEN_URL, "scopes": pack_scopes},
            },
        }
