"""Governance notices in the portal (served by the shell under /portal/, in the "portal"
namespace)."""

from django.urls import path

from governance import views

urlpatterns = [
    path("governance/", views.governance_list, name="governance"),
    path("governance/<int:action_id>/", views.governance_detail, name="governance_detail"),
    path("governance/<int:action_id>/respond/", views.governance_respond,
         name="governance_respond"),
    path("governance/<int:action_id>/evidence/", views.governance_evidence,
         name="governance_evidence"),
    path("governance/<int:action_id>/countdown/", views.governance_countdown,
         name="governance_countdown"),
]
