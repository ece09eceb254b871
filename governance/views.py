"""Governance notices in the portal: every measure the platform took on the ISV, its apps and
its merchants, and the answer to a rectification order (a statement and evidence).

Everyone in the team reads the notices; answering needs RESPOND_TO_GOVERNANCE. Every query
goes through ``governance.selectors.actions_for_isv``: another ISV's notice is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance import services
from governance.choices import ActionKind, ActionState
from governance.forms import EvidenceForm, GovernanceNoticeFilterSet
from governance.models import GovernanceAction
from governance.selectors import actions_for_isv
from isv.access import portal_view
from isv.permissions import Permission
from openplatform.errors import DomainError
from openplatform.web.forms import add_service_errors

NOTICES_PER_PAGE = 20


def _notice_or_404(request: HttpRequest, action_id: int) -> GovernanceAction:
    return get_object_or_404(actions_for_isv(isv=request.portal.isv), pk=action_id)


def awaits_evidence(action: GovernanceAction) -> bool:
    """An open rectification order whose deadline has not passed can still be answered."""
    return (action.kind == ActionKind.RECTIFY and action.state == ActionState.OPEN
            and action.deadline > timezone.now())


@require_GET
@portal_view()
def governance_list(request: HttpRequest) -> HttpResponse:
    filterset = GovernanceNoticeFilterSet(request.GET or None,
                                          queryset=actions_for_isv(isv=request.portal.isv))
    page = Paginator(filterset.qs, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/governance/list.html", {
        "filterset": filterset, "page": page, "notices": page.object_list,
        "filter_query": query.urlencode(),
    })


def _detail_page(request: HttpRequest, action: GovernanceAction, *,
                 form: EvidenceForm | None = None, status: int = 200) -> HttpResponse:
    may_respond = request.portal.allows(Permission.RESPOND_TO_GOVERNANCE)
    answerable = awaits_evidence(action)
    return render(request, "portal/governance/detail.html", {
        "action": action,
        "answerable": answerable,
        "may_respond": may_respond,
        "form": (form or EvidenceForm()) if answerable and may_respond else None,
    }, status=status)


@require_GET
@portal_view()
def governance_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    return _detail_page(request, _notice_or_404(request, action_id))


@require_POST
@portal_view(Permission.RESPOND_TO_GOVERNANCE)
def governance_respond(request: HttpRequest, action_id: int) -> HttpResponse:
    """Send the statement and evidence for an open rectification order."""
    action = _notice_or_404(request, action_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.rectification_submit_evidence(
                action=action, actor=request.user, statement=form.cleaned_data["statement"],
                evidence=form.cleaned_data["evidence"])
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            # The order moved on meanwhile (deadline passed, already answered): the form no
            # longer applies, the page says what the order's state is now.
            messages.error(request, error.message)
            return redirect("portal:governance_detail", action_id=action.pk)
        else:
            messages.success(request, _("Your evidence was sent: platform staff will review it."))
            return redirect("portal:governance_detail", action_id=action.pk)
    return _detail_page(request, action, form=form, status=400)


@require_GET
@portal_view()
def governance_evidence(request: HttpRequest, action_id: int) -> FileResponse:
    """The evidence the team sent, to the team only (media is never listed)."""
    action = _notice_or_404(request, action_id)
    if not action.evidence:
        raise Http404
    return FileResponse(action.evidence.open("rb"), as_attachment=True,
                        filename=action.evidence.name.rsplit("/", 1)[-1])


@require_GET
@portal_view()
def governance_countdown(request: HttpRequest, action_id: int) -> HttpResponse:
    """htmx: the deadline countdown, polled every minute while the page is open."""
    return render(request, "portal/governance/_countdown.html",
                  {"action": _notice_or_404(request, action_id)})
