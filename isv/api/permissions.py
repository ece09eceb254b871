"""Who may call the ISV API: an app acting as itself, usable, with the scope the call needs."""

from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from isv.choices import AppState
from isv.scopes import ISV_MERCHANTS, ISV_READ
from openplatform.api.error_codes import AccessError
from openplatform.api.problems import Problem


class HasIsvScope(BasePermission):
    """A valid client token whose app and ISV may operate and whose scope covers the call.

    Reads need ``isv:read``; every write needs ``isv:merchants``. A view may say otherwise
    with ``required_scopes = {"GET": ..., "POST": ...}``.
    """

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None or getattr(token, "application", None) is None:
            raise Problem(
                code=AccessError.INVALID_TOKEN,
                detail=_("Send an access token: Authorization: Bearer <token>, obtained from "
                         "/oauth/token/ with grant_type=client_credentials."),
            )
        app = token.application
        if app.state == AppState.SUSPENDED:
            raise Problem(
                code=AccessError.APP_SUSPENDED,
                detail=_("The app %(app)s is suspended by platform governance; see its "
                         "notices in the portal.") % {"app": app.client_id},
            )
        if not app.isv.is_operational:
            raise Problem(
                code=AccessError.ISV_SUSPENDED,
                detail=_("Your ISV account is %(state)s and may not use the API; see the "
                         "governance notices in the portal.") % {"state": app.isv.state},
            )
        scope = required_scope(view, request.method)
        if scope not in token.scope.split():
            raise Problem(
                code=AccessError.INSUFFICIENT_SCOPE,
                detail=_("This call needs the scope %(scope)s: request a token with "
                         "scope=\"%(scope)s\" from /oauth/token/.") % {"scope": scope},
                headers={"WWW-Authenticate":
                         f'Bearer realm="api", error="insufficient_scope", scope="{scope}"'},
            )
        return True


def required_scope(view, method: str) -> str:
    declared = getattr(view, "required_scopes", {})
    if method in declared:
        return declared[method]
    return ISV_READ if method in SAFE_METHODS else ISV_MERCHANTS
