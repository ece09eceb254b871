"""The portal's webhook pages (served in the "portal" namespace, see isv/urls.py)."""

from django.urls import path

from openplatform.events import views

ENDPOINT = "apps/<int:app_id>/webhooks/<int:endpoint_id>/"

urlpatterns = [
    path("apps/<int:app_id>/webhooks/", views.webhook_endpoints, name="webhook_endpoints"),
    path("apps/<int:app_id>/webhooks/new/", views.webhook_endpoint_create,
         name="webhook_endpoint_create"),
    path(f"{ENDPOINT}edit/", views.webhook_endpoint_edit, name="webhook_endpoint_edit"),
    path(f"{ENDPOINT}enable/", views.webhook_endpoint_enable, name="webhook_endpoint_enable"),
    path(f"{ENDPOINT}disable/", views.webhook_endpoint_disable,
         name="webhook_endpoint_disable"),
    path(f"{ENDPOINT}rotate-secret/", views.webhook_endpoint_rotate_secret,
         name="webhook_endpoint_rotate_secret"),
    path(f"{ENDPOINT}test/", views.webhook_endpoint_send_test,
         name="webhook_endpoint_send_test"),
    path("webhooks/deliveries/", views.webhook_deliveries, name="webhook_deliveries"),
    path("webhooks/deliveries/<int:delivery_id>/", views.webhook_delivery,
         name="webhook_delivery"),
    path("webhooks/events/<uuid:event_id>/resend/", views.webhook_event_resend,
         name="webhook_event_resend"),
    path("webhooks/event-types/", views.event_types, name="event_types"),
]
