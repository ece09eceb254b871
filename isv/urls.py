from django.urls import path

from governance import portal_urls as governance_portal_urls
from isv import app_urls, views
from merchants import portal_urls as merchants_portal_urls
from openplatform import portal_urls as platform_portal_urls
from openplatform.events import portal_urls as events_portal_urls

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("registration/", views.registration, name="registration"),
    path("registration/edit/", views.registration_edit, name="registration_edit"),
    path("registration/licence/", views.registration_licence, name="registration_licence"),
    path("registration/validate-uscc/", views.validate_uscc_field, name="validate_uscc"),
    path("team/", views.team, name="team"),
    path("team/invite/", views.team_invite, name="team_invite"),
    path("team/invitations/<int:invitation_id>/revoke/", views.team_invitation_revoke,
         name="team_invitation_revoke"),
    path("team/members/<int:member_id>/role/", views.team_member_role,
         name="team_member_role"),
    path("team/members/<int:member_id>/remove/", views.team_member_remove,
         name="team_member_remove"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
urlpatterns += app_urls.urlpatterns
urlpatterns += events_portal_urls.urlpatterns
urlpatterns += governance_portal_urls.urlpatterns
urlpatterns += platform_portal_urls.urlpatterns
urlpatterns += merchants_portal_urls.urlpatterns
