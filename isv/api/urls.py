"""The ISV API under /api/v1/: the ISV's apps, their subscriptions, webhook endpoints and
events."""

from django.urls import path

from isv.api.views import AppViewSet, SubscriptionViewSet
from isv.api.webhooks import EventViewSet, WebhookEndpointViewSet

urlpatterns = [
    path("apps/", AppViewSet.as_view({"get": "list"}), name="app-list"),
    path("apps/<int:pk>/", AppViewSet.as_view({"get": "retrieve"}), name="app-detail"),
    path("apps/<int:pk>/subscriptions/",
         AppViewSet.as_view({"get": "subscriptions", "post": "subscriptions"}),
         name="app-subscriptions"),
    path("subscriptions/<int:pk>/cancel", SubscriptionViewSet.as_view({"post": "cancel"}),
         name="subscription-cancel"),
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
]
