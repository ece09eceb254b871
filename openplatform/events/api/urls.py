"""The event type registry under /api/v1/ (public)."""

from django.urls import path

from openplatform.events.api.views import EventTypeListView

urlpatterns = [
    path("event-types/", EventTypeListView.as_view(), name="event-type-list"),
]
