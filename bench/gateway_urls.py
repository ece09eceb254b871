"""``/bench/bare``: DRF with no authentication; ``/bench/token``: DRF + DOT's own bearer check.

Mounted beside the whole platform, at the same level as its own routes (no extra ``include``
in front of them), so the three variants are measured in one process and each resolves its
URL as it would in production.
"""

from django.urls import path
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import urls as platform_urls


class BareView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get(self, request):
        return Response({"ok": True})


class TokenOnlyView(APIView):
    authentication_classes = (OAuth2Authentication,)
    permission_classes = (AllowAny,)

    def get(self, request):
        # Tokens of machine clients carry no user: the token itself is the credential.
        if request.auth is None:
            self.permission_denied(request)
        return Response({"ok": True})


urlpatterns = [
    path("bench/bare", BareView.as_view()),
    path("bench/token", TokenOnlyView.as_view()),
    *platform_urls.urlpatterns,
]
