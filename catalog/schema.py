"""The capabilities' OAuth 2.0 security scheme in the OpenAPI document: a capability call needs
the scope of any pack that contains it (registered on import, from the app's ready())."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from catalog.models import FunctionPack
from openplatform.api.schema import AUTHORIZATION_URL, TOKEN_URL


class CapabilityTokenScheme(OpenApiAuthenticationExtension):
    """The capability gate's bearer tokens: an app acting for a merchant, with pack scopes."""

    target_class = "openplatform.api.authentication.CapabilityTokenAuthentication"
    name = "oauth2_merchant"

    def get_security_requirement(self, auto_schema):
        capability = getattr(auto_schema.view, "capability", None)
        scopes = [pack.scope for pack in
                  FunctionPack.objects.filter(capabilities__code=capability).order_by("code")]
        return [{self.name: [scope]} for scope in scopes] or {self.name: []}

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "Authorization code with PKCE S256: an app acting for the merchant "
                           "who granted it function packs. Any one pack containing the "
                           "capability is enough.",
            "flows": {"authorizationCode": {
                "authorizationUrl": AUTHORIZATION_URL, "tokenUrl": TOKEN_URL,
                "scopes": {pack.scope: pack.display_name
                           for pack in FunctionPack.objects.order_by("code")}}},
        }


def _packs():
    from catalog.models import FunctionPack

    return FunctionPack.objects.order_by("code")
