from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found, server_error

from openplatform import views
from openplatform.api import problems

admin.site.site_header = _("Open Platform governance")
admin.site.site_title = _("Open Platform governance")
admin.site.index_title = _("Governance console")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
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
