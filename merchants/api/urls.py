"""The ISV API under /api/v1/: merchants and their authorizations of apps."""

from django.urls import path

from merchants.api.views import AuthorizationViewSet, MerchantViewSet

urlpatterns = [
    path("merchants/", MerchantViewSet.as_view({"get": "list", "post": "create"}),
         name="merchant-list"),
    path("merchants/validate", MerchantViewSet.as_view({"post": "validate"}),
         name="merchant-validate"),
    path("merchants/<int:pk>/",
         MerchantViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
         name="merchant-detail"),
    path("merchants/<int:pk>/submit", MerchantViewSet.as_view({"post": "submit"}),
         name="merchant-submit"),
    path("merchants/<int:pk>/authorization-link",
         MerchantViewSet.as_view({"post": "authorization_link"}),
         name="merchant-authorization-link"),
    path("authorizations/", AuthorizationViewSet.as_view({"get": "list"}),
         name="authorization-list"),
    path("authorizations/<int:pk>/revoke", AuthorizationViewSet.as_view({"post": "revoke"}),
         name="authorization-revoke"),
]
