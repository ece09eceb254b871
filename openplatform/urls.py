from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found, server_error
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerOauthRedirectView,
    SpectacularSwaggerView,
)

from merchants.api.capability_views import MerchantInfoQueryView
from openplatform import docs_views, views
from openplatform.api import problems

admin.site.site_header = _("Open Platform governance")
admin.site.site_title = _("Open Platform governance")
admin.site.index_title = _("Governance console")

urlpatterns = [
    # The API first: every capability call resolves its URL, so it should not try the
    # portal's and the admin's patterns before its own.
    path("api/v1/merchant/info", MerchantInfoQueryView.as_view(),
         name="capability-merchant-info-query"),
    path("api/v1/payment/", include("capabilities.payment.api.urls")),
    path("api/v1/", include("openplatform.api.urls")),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("docs/errors", docs_views.errors, name="docs-errors"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("oauth/", include("openplatform.oauth.urls")),
    path("pay/", include("capabilities.payment.urls")),
    path("accounts/", include("openplatform.accounts.urls")),
    path("portal/", include("isv.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/docs/oauth2-redirect.html", SpectacularSwaggerOauthRedirectView.as_view(),
         name="api-docs-oauth2-redirect"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema",
                                                    template_name="api/redoc.html"),
         name="api-redoc"),
]



def handler404(request, exception):
    if request.path.startswith("/api/"):
        return problems.api_not_found(request, exception)
    return page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return problems.api_server_error(request)
    return server_error(request)


if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
