"""The ISV API under /api/v1/: the governance actions on the ISV, its apps and merchants."""

from django.urls import path

from governance.api.views import GovernanceActionViewSet

urlpatterns = [
    path("governance-actions/", GovernanceActionViewSet.as_view({"get": "list"}),
         name="governance-action-list"),
    path("governance-actions/<int:pk>/", GovernanceActionViewSet.as_view({"get": "retrieve"}),
         name="governance-action-detail"),
    path("governance-actions/<int:pk>/evidence",
         GovernanceActionViewSet.as_view({"post": "evidence"}),
         name="governance-action-evidence"),
]
