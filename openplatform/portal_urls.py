"""Usage and docs in the portal (served in the "portal" namespace by isv/urls.py)."""

from django.urls import path

from openplatform import docs_views, usage_views

urlpatterns = [
    path("usage/", usage_views.usage_page, name="usage"),
    path("docs/", docs_views.quickstart, name="docs"),
    path("docs/events/", docs_views.events, name="docs_events"),
]
