"""The public catalog under /api/v1/: capabilities, function packs, industry solutions."""

from django.urls import path

from catalog.api.views import CapabilityViewSet, PackViewSet, SolutionViewSet

urlpatterns = [
    path("capabilities/", CapabilityViewSet.as_view({"get": "list"}), name="capability-list"),
    path("packs/", PackViewSet.as_view({"get": "list"}), name="pack-list"),
    path("packs/<slug:code>/", PackViewSet.as_view({"get": "retrieve"}), name="pack-detail"),
    path("solutions/", SolutionViewSet.as_view({"get": "list"}), name="solution-list"),
]
