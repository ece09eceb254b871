"""The ISV API, version 1 (mounted at /api/v1/).

Collections end with a slash (``/merchants/``); actions on them do not (``/merchants/validate``,
``/merchants/{id}/submit``), as in the published reference.
"""

from django.urls import path

from catalog.api.views import CapabilityViewSet, PackViewSet, SolutionViewSet
from governance.api.views import GovernanceActionViewSet
from isv.api.views import AppViewSet, SubscriptionViewSet
from merchants.api.views import AuthorizationViewSet, MerchantViewSet
from openplatform.events.api.views import EventTypeListView, EventViewSet, WebhookEndpointViewSet

app_name = "api-v1"

urlpatterns = [
    path("capabilities/", CapabilityViewSet.as_view({"get": "list"}), name="capability-list"),
    path("packs/", PackViewSet.as_view({"get": "list"}), name="pack-list"),
    path("packs/<slug:code>/", PackViewSet.as_view({"get": "retrieve"}), name="pack-detail"),
    path("solutions/", SolutionViewSet.as_view({"get": "list"}), name="solution-list"),
    path("apps/", AppViewSet.as_view({"get": "list"}), name="app-list"),
    path("apps/<int:pk>/", AppViewSet.as_view({"get": "retrieve"}), name="app-detail"),
    path("apps/<int:pk>/subscriptions/",
         AppViewSet.as_view({"get": "subscriptions", "post": "subscriptions"}),
         name="app-subscriptions"),
    path("subscriptions/<int:pk>/cancel", SubscriptionViewSet.as_view({"post": "cancel"}),
         name="subscription-cancel"),
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
    path("governance-actions/", GovernanceActionViewSet.as_view({"get": "list"}),
         name="governance-action-list"),
    path("governance-actions/<int:pk>/", GovernanceActionViewSet.as_view({"get": "retrieve"}),
         name="governance-action-detail"),
    path("governance-actions/<int:pk>/evidence",
         GovernanceActionViewSet.as_view({"post": "evidence"}),
         name="governance-action-evidence"),
    path("webhook-endpoints/",
         WebhookEndpointViewSet.as_view({"get": "list", "post": "create"}),
         name="webhook-endpoint-list"),
    path("webhook-endpoints/<int:pk>/",
         WebhookEndpointViewSet.as_view({"get": "retrieve", "patch": "partial_update",
                                         "delete": "destroy"}),
         name="webhook-endpoint-detail"),
    path("webhook-endpoints/<int:pk>/rotate-secret",
         WebhookEndpointViewSet.as_view({"post": "rotate_secret"}),
         name="webhook-endpoint-rotate-secret"),
    path("webhook-endpoints/<int:pk>/enable", WebhookEndpointViewSet.as_view({"post": "enable"}),
         name="webhook-endpoint-enable"),
    path("webhook-endpoints/<int:pk>/disable",
         WebhookEndpointViewSet.as_view({"post": "disable"}), name="webhook-endpoint-disable"),
    path("webhook-endpoints/<int:pk>/test", WebhookEndpointViewSet.as_view({"post": "test"}),
         name="webhook-endpoint-test"),
    path("events/", EventViewSet.as_view({"get": "list"}), name="event-list"),
    path("events/<uuid:pk>/", EventViewSet.as_view({"get": "retrieve"}), name="event-detail"),
    path("events/<uuid:pk>/resend", EventViewSet.as_view({"post": "resend"}),
         name="event-resend"),
    path("event-types/", EventTypeListView.as_view(), name="event-type-list"),
]
