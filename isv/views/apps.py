"""The portal's app pages (OAuth clients: credentials, redirect URIs, review, subscriptions).

Every view reads only the person's own ISV: another ISV's app or subscription is a 404. Client
secrets are rendered in the response to the POST that made them and stored nowhere in clear,
so they are shown once.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isv.access import forbidden, portal_view
from isv.choices import OPEN_SUBSCRIPTION_STATES, AppState
from isv.forms import AppForm, RotateSecretForm
from isv.models import App
from isv.permissions import Permission
from isv.selectors import apps_for_isv, subscriptions_for_app
from isv.services import apps as app_services
from isv.services import subscriptions as subscription_services
from isv.services.apps import app_update
from openplatform.errors import DomainError
from openplatform.events.models import WebhookEndpoint
from openplatform.web.forms import add_service_errors

APPS_PER_PAGE = 25


def _app_or_404(request: HttpRequest, app_id: int) -> App:
    return get_object_or_404(apps_for_isv(isv=request.portal.isv).select_related("isv"),
                             pk=app_id)


def _production_refused(request: HttpRequest, app: App) -> HttpResponse | None:
    """Production credentials and reviews are for members who manage production apps."""
    if app.is_sandbox or request.portal.allows(Permission.MANAGE_PRODUCTION_APPS):
        return None
    return forbidden(request, _("Your role does not allow managing production apps."))


def _secret_page(request: HttpRequest, *, app: App, client_secret: str,
                 created: bool) -> HttpResponse:
    response = render(request, "portal/apps/secret.html", {
        "app": app, "client_secret": client_secret, "created": created,
    })
    # The only copy of the secret: no browser or proxy may keep it.
    add_never_cache_headers(response)
    return response


@require_GET
@portal_view()
def apps(request: HttpRequest) -> HttpResponse:
    queryset = apps_for_isv(isv=request.portal.isv).annotate(
        open_subscriptions=Count("subscriptions",
                                 filter=Q(subscriptions__state__in=OPEN_SUBSCRIPTION_STATES)),
    ).order_by("-created", "-pk")
    page = Paginator(queryset, APPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/apps/list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_APPS)
def app_create(request: HttpRequest) -> HttpResponse:
    form = AppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app, client_secret = app_services.app_create(
                isv=request.portal.isv, actor=request.user, **form.service_arguments())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            return _secret_page(request, app=app, client_secret=client_secret, created=True)
    status = 400 if form.is_bound else 200
    return render(request, "portal/apps/form.html", {"form": form}, status=status)


@require_GET
@portal_view()
def app_detail(request: HttpRequest, app_id: int) -> HttpResponse:
    app = _app_or_404(request, app_id)
    portal = request.portal
    may_manage = portal.allows(Permission.MANAGE_APPS) and (
        app.is_sandbox or portal.allows(Permission.MANAGE_PRODUCTION_APPS))
    return render(request, "portal/apps/detail.html", {
        "app": app,
        "may_manage": may_manage,
        "subscriptions": list(subscriptions_for_app(app=app).order_by("-created_at", "-pk")),
        "open_states": OPEN_SUBSCRIPTION_STATES,
        "endpoint_count": WebhookEndpoint.objects.filter(app=app).count(),
        "may_go_live": app.state == AppState.OFFLINE or (
            app.state == AppState.DEVELOPING and app.is_sandbox),
        "may_submit": app.state == AppState.DEVELOPING and not app.is_sandbox,
    })


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_APPS)
def app_edit(request: HttpRequest, app_id: int) -> HttpResponse:
    app = _app_or_404(request, app_id)
    if refused := _production_refused(request, app):
        return refused
    form = AppForm(request.POST or None, app=app)
    if request.method == "POST" and form.is_valid():
        try:
            app_update(app=app, actor=request.user, **form.service_arguments())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("App saved."))
            return redirect("portal:app_detail", app_id=app.pk)
    status = 400 if form.is_bound else 200
    return render(request, "portal/apps/form.html", {"form": form, "app": app}, status=status)


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_APPS)
def app_rotate_secret(request: HttpRequest, app_id: int) -> HttpResponse:
    app = _app_or_404(request, app_id)
    if refused := _production_refused(request, app):
        return refused
    form = RotateSecretForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client_secret = app_services.app_rotate_secret(
                app=app, actor=request.user,
                overlap=timedelta(hours=form.cleaned_data["overlap_hours"]))
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            app.refresh_from_db()
            return _secret_page(request, app=app, client_secret=client_secret, created=False)
    status = 400 if form.is_bound else 200
    return render(request, "portal/apps/rotate_secret.html", {"form": form, "app": app},
                  status=status)


def _app_move(request: HttpRequest, app_id: int, move, success: str) -> HttpResponse:
    app = _app_or_404(request, app_id)
    if refused := _production_refused(request, app):
        return refused
    try:
        move(app=app, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("portal:app_detail", app_id=app.pk)


@require_POST
@portal_view(Permission.MANAGE_PRODUCTION_APPS)
def app_submit_for_review(request: HttpRequest, app_id: int) -> HttpResponse:
    return _app_move(request, app_id, app_services.app_submit_for_review,
                     _("Submitted for review. We will tell you the outcome by webhook and here."))


@require_POST
@portal_view(Permission.MANAGE_APPS)
def app_go_live(request: HttpRequest, app_id: int) -> HttpResponse:
    return _app_move(request, app_id, app_services.app_go_live, _("The app is live."))


@require_POST
@portal_view(Permission.MANAGE_APPS)
def app_take_offline(request: HttpRequest, app_id: int) -> HttpResponse:
    return _app_move(request, app_id, app_services.app_take_offline, _("The app is offline."))


@require_POST
@portal_view(Permission.MANAGE_APPS)
def subscription_cancel(request: HttpRequest, app_id: int,
                        subscription_id: int) -> HttpResponse:
    app = _app_or_404(request, app_id)
    subscription = get_object_or_404(subscriptions_for_app(app=app), pk=subscription_id)
    try:
        subscription_services.subscription_cancel(subscription=subscription, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Subscription to %(pack)s cancelled.")
                         % {"pack": subscription.pack.display_name})
    return redirect("portal:app_detail", app_id=app.pk)
