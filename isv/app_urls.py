"""The portal's apps and catalog pages (served in the "portal" namespace, see isv/urls.py)."""

from django.urls import path

from isv import app_views

urlpatterns = [
    path("apps/", app_views.apps, name="apps"),
    path("apps/new/", app_views.app_create, name="app_create"),
    path("apps/<int:app_id>/", app_views.app_detail, name="app_detail"),
    path("apps/<int:app_id>/edit/", app_views.app_edit, name="app_edit"),
    path("apps/<int:app_id>/rotate-secret/", app_views.app_rotate_secret,
         name="app_rotate_secret"),
    path("apps/<int:app_id>/submit-for-review/", app_views.app_submit_for_review,
         name="app_submit_for_review"),
    path("apps/<int:app_id>/go-live/", app_views.app_go_live, name="app_go_live"),
    path("apps/<int:app_id>/take-offline/", app_views.app_take_offline,
         name="app_take_offline"),
    path("apps/<int:app_id>/subscriptions/<int:subscription_id>/cancel/",
         app_views.subscription_cancel, name="subscription_cancel"),
    path("catalog/", app_views.catalog, name="catalog"),
    path("catalog/packs/<str:code>/subscribe/", app_views.catalog_subscribe_pack,
         name="catalog_subscribe_pack"),
    path("catalog/solutions/<str:code>/subscribe/", app_views.catalog_subscribe_solution,
         name="catalog_subscribe_solution"),
]
