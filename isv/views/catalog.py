"""The portal's catalog: layers, function packs and industry solutions, with one-step
subscription of one of the ISV's apps."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from catalog.models import FunctionPack, IndustrySolution
from catalog.selectors import catalog_overview, solution_list
from isv.access import portal_view
from isv.choices import OPEN_SUBSCRIPTION_STATES, AppState, SubscriptionState
from isv.forms import SubscribeForm
from isv.models import App, Subscription
from isv.permissions import Permission
from isv.selectors import apps_for_isv
from isv.services.subscriptions import subscription_create, subscription_subscribe_solution
from openplatform.errors import DomainError
from openplatform.web.forms import add_service_errors


def _subscribable_apps(request: HttpRequest):
    return apps_for_isv(isv=request.portal.isv).exclude(state=AppState.SUSPENDED).order_by(
        "name", "pk")


def _catalog_page(request: HttpRequest, *, form: SubscribeForm | None = None,
                  form_target: str = "", status: int = 200) -> HttpResponse:
    isv = request.portal.isv
    held: dict[int, list[Subscription]] = defaultdict(list)
    for subscription in Subscription.objects.filter(
            app__isv=isv, state__in=OPEN_SUBSCRIPTION_STATES).select_related("app"):
        held[subscription.pack_id].append(subscription)
    layers = catalog_overview()
    for layer in layers:
        for pack in layer.packs:
            pack.held_by = held.get(pack.pk, [])
    apps = list(_subscribable_apps(request))
    return render(request, "portal/catalog/catalog.html", {
        "layers": layers,
        "solutions": list(solution_list()),
        "apps": apps,
        "form": form,
        "form_target": form_target,
    }, status=status)


@require_GET
@portal_view()
def catalog(request: HttpRequest) -> HttpResponse:
    return _catalog_page(request)


def _subscribe(request: HttpRequest, *, target: str, subscribe) -> HttpResponse:
    form = SubscribeForm(request.POST, apps=_subscribable_apps(request))
    if form.is_valid():
        app = form.cleaned_data["app"]
        try:
            message = subscribe(app)
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("portal:app_detail", app_id=app.pk)
    return _catalog_page(request, form=form, form_target=target, status=400)


@require_POST
@portal_view(Permission.MANAGE_APPS)
def catalog_subscribe_pack(request: HttpRequest, code: str) -> HttpResponse:
    pack = get_object_or_404(FunctionPack, code=code)

    def subscribe(app: App) -> str:
        subscription = subscription_create(app=app, pack=pack, actor=request.user)
        if subscription.state == SubscriptionState.PENDING_REVIEW:
            return _("%(app)s asked for %(pack)s; the platform reviews the request.") % {
                "app": app.name, "pack": pack.display_name}
        return _("%(app)s is subscribed to %(pack)s.") % {"app": app.name,
                                                          "pack": pack.display_name}

    return _subscribe(request, target=f"pack-{pack.code}", subscribe=subscribe)


@require_POST
@portal_view(Permission.MANAGE_APPS)
def catalog_subscribe_solution(request: HttpRequest, code: str) -> HttpResponse:
    solution = get_object_or_404(IndustrySolution, code=code)

    def subscribe(app: App) -> str:
        created = subscription_subscribe_solution(app=app, solution=solution,
                                                  actor=request.user)
        if not created:
            return _("%(app)s already holds every pack of %(solution)s.") % {
                "app": app.name, "solution": solution.display_name}
        return ngettext(
            "%(app)s is subscribed to %(solution)s: %(count)d function pack.",
            "%(app)s is subscribed to %(solution)s: %(count)d function packs.", len(created),
        ) % {"app": app.name, "solution": solution.display_name, "count": len(created)}

    return _subscribe(request, target=f"solution-{solution.code}", subscribe=subscribe)
