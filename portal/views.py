"""The shell's own pages: the public home page with the catalog, and the portal's dashboard,
whose panels the apps add (``AppPlugin.dashboard_panels``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.selectors import catalog_overview
from isv.access import portal_view
from openplatform import plugins
from openplatform.web.panels import render_panels


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"overview": catalog_overview()})


@require_GET
@portal_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/dashboard.html", {
        "isv": request.portal.isv,
        "panels": render_panels(plugins.dashboard_panels(), request),
    })


def portal_context(request: HttpRequest) -> dict:
    """Template context processor: ``portal`` on the pages ``portal_view`` serves."""
    return {"portal": getattr(request, "portal", None)}
