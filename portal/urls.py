"""The root URLconf: every app's routes, collected from its plugin (openplatform.plugins).

A capability's API is mounted under /api/v1/<domain>/, the core's under /api/v1/; portal pages
under /portal/ in the "portal" namespace; other pages under the prefix their plugin names.
"""

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

from openplatform import plugins
from openplatform.api import problems
from openplatform.views import healthz
from portal import docs, views

admin.site.site_header = _("Open Platform governance")
admin.site.site_title = _("Open Platform governance")
admin.site.index_title = _("Governance console")

portal_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("docs/", docs.quickstart, name="docs"),
    path("docs/events/", docs.events, name="docs_events"),
    *(path("", include(plugin.portal_urls)) for plugin in plugins.registered()
      if plugin.portal_urls),
]

urlpatterns = [
    # The API first: every capability call resolves its URL, so it should not try the
    # portal's and the admin's patterns before its own.
    *(path(plugin.api_prefix, include(plugin.api_urls)) for plugin in plugins.registered()
      if plugin.api_urls),
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("docs/errors", docs.errors, name="docs-errors"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    *(path(prefix, include(urlconf)) for plugin in plugins.registered()
      for prefix, urlconf in plugin.urls.items()),
    path("portal/", include((portal_patterns, "portal"))),
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
