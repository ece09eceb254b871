"""OAuth 2.0 under /oauth/: DOT's token and revocation endpoints, our consent page and
introspection, and the merchant user's "my authorizations" page.

Only the endpoints the platform offers are mounted: no application management, device flow,
OIDC or dynamic client registration.
"""

from django.urls import path
from oauth2_provider import views as dot_views

from merchants.oauth import views

app_name = "oauth"

urlpatterns = [
    path("authorize/", views.ConsentView.as_view(), name="authorize"),
    path("token/", dot_views.TokenView.as_view(), name="token"),
    path("revoke_token/", dot_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
    path("authorizations/", views.my_authorizations, name="my-authorizations"),
    path("authorizations/<int:pk>/revoke/", views.my_authorization_revoke,
         name="my-authorization-revoke"),
]
