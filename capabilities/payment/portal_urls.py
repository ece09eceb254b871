"""Payment's portal pages (served by the shell under /portal/, in the "portal" namespace)."""

from django.urls import path

from capabilities.payment import merchant_page

urlpatterns = [
    path("merchants/<int:merchant_id>/statements/<str:day>.csv",
         merchant_page.merchant_statement_csv, name="merchant_statement_csv"),
]
