"""The portal's merchant pages (served by the shell under /portal/, in the "portal" namespace)."""

from django.urls import path

from merchants import views

urlpatterns = [
    path("merchants/", views.merchant_list, name="merchant_list"),
    path("merchants/new/", views.merchant_create, name="merchant_create"),
    path("merchants/validate/<str:field>/", views.merchant_validate_field,
         name="merchant_validate_field"),
    path("merchants/<int:merchant_id>/", views.merchant_detail, name="merchant_detail"),
    path("merchants/<int:merchant_id>/edit/", views.merchant_edit, name="merchant_edit"),
    path("merchants/<int:merchant_id>/submit/", views.merchant_submit, name="merchant_submit"),
    path("merchants/<int:merchant_id>/reopen/", views.merchant_reopen, name="merchant_reopen"),
    path("merchants/import/", views.merchant_import, name="merchant_import"),
    path("merchants/import/start/", views.merchant_import_start, name="merchant_import_start"),
    path("merchants/import/template.<str:file_format>", views.merchant_import_template,
         name="merchant_import_template"),
    path("merchants/import/<uuid:job_id>/", views.merchant_import_job,
         name="merchant_import_job"),
    path("merchants/import/<uuid:job_id>/report/", views.merchant_import_report,
         name="merchant_import_report"),
]
