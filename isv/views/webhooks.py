"""The portal's webhook pages: an app's endpoints (add, edit, enable/disable, rotate the
signing secret, send a test event), the ISV's deliveries with their attempts and a resend
button, and the catalogue of event types.

Every view is wrapped in ``isv.access.portal_view`` and reads only the person's own ISV:
another ISV's app, endpoint, delivery or event is a 404. Signing secrets are rendered in the
response to the POST that made them and stored only encrypted, so they are shown once.
"""

import json
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isv.access import portal_view
from isv.models import App
from isv.permissions import Permission
from isv.selectors import apps_for_isv
from openplatform.errors import DomainError
from openplatform.events import registry, selectors, services
from openplatform.events.choices import DeliveryState
from openplatform.events.forms import EndpointForm, EndpointRotateSecretForm
from openplatform.events.models import WebhookEndpoint
from openplatform.web.forms import add_service_errors

DELIVERIES_PER_PAGE = 50
ATTEMPTS_SHOWN = 50


def _app_or_404(request: HttpRequest, app_id: int) -> App:
    return get_object_or_404(apps_for_isv(isv=request.portal.isv), pk=app_id)


def _endpoint_or_404(request: HttpRequest, app: App, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(
        selectors.endpoints_for_isv(isv=request.portal.isv).filter(app=app), pk=endpoint_id)


def _secret_page(request: HttpRequest, *, endpoint: WebhookEndpoint, secret: str,
                 created: bool) -> HttpResponse:
    response = render(request, "portal/webhooks/secret.html",
                      {"app": endpoint.app, "endpoint": endpoint, "secret": secret,
                       "created": created})
    add_never_cache_headers(response)
    return response


def _to_endpoints(app: App) -> HttpResponse:
    return redirect("portal:webhook_endpoints", app_id=app.pk)


# --- Endpoints ---------------------------------------------------------------------------


@require_GET
@portal_view()
def webhook_endpoints(request: HttpRequest, app_id: int) -> HttpResponse:
    app = _app_or_404(request, app_id)
    endpoints = (WebhookEndpoint.objects.filter(app=app)
                 .annotate(delivery_count=Count("deliveries")).order_by("-created_at", "-id"))
    return render(request, "portal/webhooks/endpoints.html",
                  {"app": app, "endpoints": list(endpoints)})


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_APPS)
def webhook_endpoint_create(request: HttpRequest, app_id: int) -> HttpResponse:
    app = _app_or_404(request, app_id)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.webhook_endpoint_create(
                app=app, actor=request.user, **form.service_arguments())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            return _secret_page(request, endpoint=endpoint, secret=secret, created=True)
    status = 400 if form.is_bound else 200
    return render(request, "portal/webhooks/form.html", {"app": app, "form": form},
                  status=status)


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_APPS)
def webhook_endpoint_edit(request: HttpRequest, app_id: int, endpoint_id: int) -> HttpResponse:
    app = _app_or_404(request, app_id)
    endpoint = _endpoint_or_404(request, app, endpoint_id)
    form = EndpointForm(request.POST or None, endpoint=endpoint)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_endpoint_update(endpoint=endpoint, actor=request.user,
                                             **form.service_arguments())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Webhook endpoint saved."))
            return _to_endpoints(app)
    status = 400 if form.is_bound else 200
    return render(request, "portal/webhooks/form.html",
                  {"app": app, "endpoint": endpoint, "form": form}, status=status)


def _endpoint_action(request: HttpRequest, app_id: int, endpoint_id: int, action,
                     success: str) -> HttpResponse:
    app = _app_or_404(request, app_id)
    endpoint = _endpoint_or_404(request, app, endpoint_id)
    try:
        action(endpoint=endpoint, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success % {"url": endpoint.url})
    return _to_endpoints(app)


@require_POST
@portal_view(Permission.MANAGE_APPS)
def webhook_endpoint_enable(request: HttpRequest, app_id: int, endpoint_id: int) -> HttpResponse:
    return _endpoint_action(request, app_id, endpoint_id, services.webhook_endpoint_enable,
                            _("%(url)s is enabled."))


@require_POST
@portal_view(Permission.MANAGE_APPS)
def webhook_endpoint_disable(request: HttpRequest, app_id: int,
                             endpoint_id: int) -> HttpResponse:
    return _endpoint_action(request, app_id, endpoint_id, services.webhook_endpoint_disable,
                            _("%(url)s is disabled: nothing more is sent to it."))


@require_POST
@portal_view(Permission.MANAGE_APPS)
def webhook_endpoint_send_test(request: HttpRequest, app_id: int,
                               endpoint_id: int) -> HttpResponse:
    return _endpoint_action(request, app_id, endpoint_id, services.webhook_endpoint_send_test,
                            _("A test event is on its way to %(url)s: see Deliveries."))


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_APPS)
def webhook_endpoint_rotate_secret(request: HttpRequest, app_id: int,
                                   endpoint_id: int) -> HttpResponse:
    app = _app_or_404(request, app_id)
    endpoint = _endpoint_or_404(request, app, endpoint_id)
    form = EndpointRotateSecretForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            secret = services.webhook_endpoint_rotate_secret(
                endpoint=endpoint, actor=request.user,
                overlap=timedelta(hours=form.cleaned_data["overlap_hours"]))
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            endpoint.refresh_from_db()
            return _secret_page(request, endpoint=endpoint, secret=secret, created=False)
    status = 400 if form.is_bound else 200
    return render(request, "portal/webhooks/rotate_secret.html",
                  {"app": app, "endpoint": endpoint, "form": form}, status=status)


# --- Deliveries --------------------------------------------------------------------------


@require_GET
@portal_view()
def webhook_deliveries(request: HttpRequest) -> HttpResponse:
    isv = request.portal.isv
    apps = list(apps_for_isv(isv=isv).only("id", "name", "isv_id").order_by("name", "pk"))
    deliveries = selectors.deliveries_for_isv(isv=isv)
    app_filter = request.GET.get("app", "")
    if app_filter.isdigit():
        deliveries = deliveries.filter(endpoint__app_id=int(app_filter))
    state_filter = request.GET.get("state", "")
    if state_filter in DeliveryState.values:
        deliveries = deliveries.filter(state=state_filter)
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/webhooks/deliveries.html", {
        "page": page, "apps": apps, "app_filter": app_filter, "state_filter": state_filter,
        "states": DeliveryState.choices, "query": query.urlencode(),
    })


@require_GET
@portal_view()
def webhook_delivery(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_object_or_404(selectors.deliveries_for_isv(isv=request.portal.isv),
                                 pk=delivery_id)
    return render(request, "portal/webhooks/delivery.html", {
        "delivery": delivery,
        "attempts": list(selectors.delivery_attempts(delivery=delivery)[:ATTEMPTS_SHOWN]),
        "body": json.dumps(json.loads(services.event_body(delivery.event)), ensure_ascii=False,
                           indent=2),
    })


@require_POST
@portal_view(Permission.MANAGE_APPS)
def webhook_event_resend(request: HttpRequest, event_id) -> HttpResponse:
    event = get_object_or_404(selectors.events_for_isv(isv=request.portal.isv), pk=event_id)
    try:
        deliveries = services.event_resend(event=event, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ngettext(
            "%(type)s is being sent again to %(count)d endpoint.",
            "%(type)s is being sent again to %(count)d endpoints.", len(deliveries),
        ) % {"type": event.type, "count": len(deliveries)})
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(back)
    return redirect("portal:webhook_deliveries")


# --- Event types -------------------------------------------------------------------------


@require_GET
@portal_view()
def event_types(request: HttpRequest) -> HttpResponse:
    families: dict[str, list[dict]] = {}
    payloads = registry.payloads()
    for event_type in registry.event_types().values():
        families.setdefault(event_type.type.split(".", 1)[0], []).append({
            "type": event_type.type, "description": event_type.description,
            "payload": list(payloads[event_type.payload].items()),
        })
    return render(request, "portal/webhooks/event_types.html",
                  {"families": list(families.items())})
