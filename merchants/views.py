"""The portal's merchant pages: the list, onboarding one merchant, its detail (history,
authorizations, links and QR codes, trades) and bulk onboarding from a file.

Every view is wrapped in ``portal_view`` and reads only the person's own ISV's merchants and
jobs: another ISV's id is a 404. Every change goes through a service.
"""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from isv.access import portal_view
from isv.permissions import Permission
from isv.selectors import apps_for_isv
from merchants import imports, selectors
from merchants.choices import EDITABLE_MERCHANT_STATES, MerchantState
from merchants.filtersets import PortalMerchantFilterSet
from merchants.forms import (
    FIELD_LABELS,
    LIVE_VALIDATED_FIELDS,
    AuthorizationLinkForm,
    MerchantForm,
    MerchantImportStartForm,
    MerchantImportUploadForm,
)
from merchants.models import Merchant
from merchants.services import lifecycle
from merchants.services.authorizations import authorization_link_make
from merchants.services.onboarding import INPUT_NORMALISERS, REQUIRED_INPUT_FIELDS, merchant_save
from merchants.tasks import merchant_import_task
from openplatform import plugins
from openplatform.data import pii
from openplatform.errors import DomainError
from openplatform.jobs.choices import JobKind
from openplatform.jobs.models import Job
from openplatform.jobs.services import job_create
from openplatform.web.forms import add_service_errors
from openplatform.web.panels import render_panels
from openplatform.web.qr import qr_svg

PAGE_SIZE = 25
PREVIEW_ROWS = 10
REPORT_ERRORS_SHOWN = 100
IMPORT_JOBS_SHOWN = 10
# States in which the merchant may be sent to its people to authorize an app.
AUTHORIZABLE_STATES = (MerchantState.ACTIVE, MerchantState.RECTIFYING)
# States whose outcome arrives on its own (screening runs in the background).
AWAITING_STATES = (MerchantState.SUBMITTED, MerchantState.SCREENING)
LIST_COLUMNS = ("id", "isv_id", "external_id", "legal_name", "short_name", "uscc", "mcc",
                "state", "created_at")

def _merchant_or_404(request: HttpRequest, merchant_id: int) -> Merchant:
    try:
        return selectors.merchant_get_for_isv(isv=request.portal.isv, merchant_id=merchant_id)
    except Merchant.DoesNotExist:
        raise Http404 from None


# --- List -----------------------------------------------------------------------------------


def _page_url(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return f"?{query.urlencode()}"


@require_GET
@portal_view()
def merchant_list(request: HttpRequest) -> HttpResponse:
    isv = request.portal.isv
    merchants = selectors.merchant_list_for_isv(isv=isv).only(*LIST_COLUMNS)
    filters = PortalMerchantFilterSet(request.GET or None, queryset=merchants)
    page = selectors.merchant_page(merchants=filters.qs, cursor=request.GET.get("cursor"),
                                   size=PAGE_SIZE)
    filtered = any(value for name, value in request.GET.items() if name != "cursor")
    return render(request, "portal/merchants/list.html", {
        "filters": filters,
        "page": page,
        "filtered": filtered,
        # Without filters an empty first page means no merchants at all; with filters, ask.
        "has_merchants": bool(page.merchants) or (filtered and merchants.exists()),
        "next_url": _page_url(request, page.next_cursor),
        "previous_url": _page_url(request, page.previous_cursor),
    })


# --- One merchant: onboarding and editing ----------------------------------------------------


def _save(request: HttpRequest, form: MerchantForm) -> Merchant | None:
    """Create or update the form's merchant, and submit it when the person asked to; None
    (with the errors on the form) when a service refused."""
    submit = "submit" in request.POST
    try:
        merchant = merchant_save(isv=request.portal.isv, actor=request.user,
                                 data=form.merchant_input(), merchant=form.merchant,
                                 submit=submit)
    except (ValidationError, DomainError) as error:
        add_service_errors(form, error)
        return None
    if submit:
        messages.success(request, _("%(merchant)s was submitted for screening.")
                         % {"merchant": merchant.short_name})
    else:
        messages.success(request, _("Draft of %(merchant)s saved.")
                         % {"merchant": merchant.short_name})
    return merchant


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_MERCHANTS)
def merchant_create(request: HttpRequest) -> HttpResponse:
    form = MerchantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        merchant = _save(request, form)
        if merchant is not None:
            return redirect("portal:merchant_detail", merchant_id=merchant.pk)
    return render(request, "portal/merchants/form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_MERCHANTS)
def merchant_edit(request: HttpRequest, merchant_id: int) -> HttpResponse:
    merchant = _merchant_or_404(request, merchant_id)
    if merchant.state not in EDITABLE_MERCHANT_STATES:
        messages.info(request, _("This merchant can only be edited as a draft or while "
                                 "rectifying."))
        return redirect("portal:merchant_detail", merchant_id=merchant.pk)
    form = MerchantForm(request.POST or None, merchant=merchant)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form)
        if saved is not None:
            return redirect("portal:merchant_detail", merchant_id=saved.pk)
    return render(request, "portal/merchants/form.html", {"form": form, "merchant": merchant},
                  status=400 if request.method == "POST" else 200)


@require_POST
@portal_view(Permission.MANAGE_MERCHANTS)
def merchant_validate_field(request: HttpRequest, field: str) -> HttpResponse:
    """htmx: one field's feedback, checked as the person leaves it (POST: the values are ID
    and card numbers, which must stay out of URLs)."""
    if field not in LIVE_VALIDATED_FIELDS:
        raise Http404
    value = request.POST.get(field, "").strip()
    error = None
    if value:
        try:
            INPUT_NORMALISERS[field](value)
        except ValidationError as invalid:
            error = invalid.messages[0]
    return render(request, "portal/merchants/_feedback.html",
                  {"name": field, "error": error, "checked": bool(value)})


@require_POST
@portal_view(Permission.MANAGE_MERCHANTS)
def merchant_submit(request: HttpRequest, merchant_id: int) -> HttpResponse:
    merchant = _merchant_or_404(request, merchant_id)
    try:
        lifecycle.merchant_submit(merchant=merchant, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(merchant)s was submitted for screening.")
                         % {"merchant": merchant.short_name})
    return redirect("portal:merchant_detail", merchant_id=merchant.pk)


@require_POST
@portal_view(Permission.MANAGE_MERCHANTS)
def merchant_reopen(request: HttpRequest, merchant_id: int) -> HttpResponse:
    """Take a rejected application back to draft, to correct and submit it again."""
    merchant = _merchant_or_404(request, merchant_id)
    try:
        lifecycle.merchant_reopen(merchant=merchant, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:merchant_detail", merchant_id=merchant.pk)
    return redirect("portal:merchant_edit", merchant_id=merchant.pk)


# --- One merchant: detail -------------------------------------------------------------------


def _authorization_link(request: HttpRequest, merchant: Merchant) -> dict:
    """The authorization link form (a GET form on the detail page) and, once it is valid,
    the link and its QR code: the same URL the API's authorization-link endpoint returns."""
    isv = request.portal.isv
    bound = "app" in request.GET
    form = AuthorizationLinkForm(request.GET if bound else None,
                                 apps=apps_for_isv(isv=isv).order_by("name"),
                                 packs=selectors.packs_subscribed_by_isv(isv=isv))
    if not bound or not form.is_valid():
        return {"form": form}
    try:
        link = authorization_link_make(app=form.cleaned_data["app"], merchant=merchant,
                                       packs=form.cleaned_data["packs"],
                                       redirect_uri=form.cleaned_data["redirect_uri"])
    except (ValidationError, DomainError) as error:
        add_service_errors(form, error)
        return {"form": form}
    return {"form": form, "url": link.url, "qr": qr_svg(link.url)}


@require_GET
@portal_view()
def merchant_detail(request: HttpRequest, merchant_id: int) -> HttpResponse:
    merchant = _merchant_or_404(request, merchant_id)
    context = {
        "merchant": merchant,
        "masked": {
            "legal_rep_name": pii.mask_name(merchant.legal_rep_name),
            "contact_phone": pii.mask_phone(merchant.contact_phone),
        },
        "authorizations": list(selectors.authorizations_for_merchant(merchant=merchant)),
        "editable": merchant.state in EDITABLE_MERCHANT_STATES,
        "awaiting": merchant.state in AWAITING_STATES,
        "authorizable": merchant.state in AUTHORIZABLE_STATES,
        # What other apps show about the merchant: its history, its trades ...
        "panels": render_panels(plugins.merchant_panels(), request, merchant),
    }
    if context["authorizable"] and request.portal.allows(Permission.MANAGE_MERCHANTS):
        context["link"] = _authorization_link(request, merchant)
    return render(request, "portal/merchants/detail.html", context)


# --- Bulk onboarding --------------------------------------------------------------------------


def _import_page(request: HttpRequest, form: MerchantImportUploadForm,
                 status: int = 200) -> HttpResponse:
    return render(request, "portal/merchants/import.html", {
        "form": form,
        "columns": [(name, FIELD_LABELS[name], name in REQUIRED_INPUT_FIELDS)
                    for name in imports.IMPORT_COLUMNS],
        "jobs": list(selectors.merchant_import_jobs(isv=request.portal.isv)[:IMPORT_JOBS_SHOWN]),
    }, status=status)


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_MERCHANTS)
def merchant_import(request: HttpRequest) -> HttpResponse:
    """Upload a file; a readable one is kept and previewed: its first rows and every error
    the services would report for them, before anything is created."""
    form = MerchantImportUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, form, status=400 if request.method == "POST" else 200)
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        rows = imports.read_merchant_file(name=upload.name, content=content)
    except ValidationError as invalid:
        form.add_error("file", invalid)
        return _import_page(request, form, status=400)
    isv = request.portal.isv
    token = imports.upload_store(isv=isv, name=upload.name, content=content)
    results = imports.check_rows(isv=isv, rows=rows)
    return render(request, "portal/merchants/import_preview.html", {
        "file_name": upload.name,
        "row_count": len(rows),
        "preview": rows[:PREVIEW_ROWS],
        "checked": min(len(rows), imports.PREVIEW_CHECK_LIMIT),
        "counts": imports.summary(results),
        "errors": [result for result in results if result.result == imports.ERROR],
        "field_labels": FIELD_LABELS,
        "start_form": MerchantImportStartForm(initial={"upload": token}),
    })


@require_GET
@portal_view(Permission.MANAGE_MERCHANTS)
def merchant_import_template(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format == "csv":
        content, content_type = imports.template_csv(), "text/csv; charset=utf-8"
    elif file_format == "xlsx":
        content, content_type = imports.template_xlsx(), (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="merchants.{file_format}"'
    return response


@require_POST
@portal_view(Permission.MANAGE_MERCHANTS)
def merchant_import_start(request: HttpRequest) -> HttpResponse:
    isv = request.portal.isv
    form = MerchantImportStartForm(request.POST)
    path = imports.upload_path(isv=isv, token=request.POST.get("upload", ""))
    if not form.is_valid() or path is None:
        messages.error(request, _("That upload is no longer available; upload the file again."))
        return redirect("portal:merchant_import")
    job = job_create(kind=JobKind.MERCHANT_IMPORT, isv=isv, actor=request.user)
    merchant_import_task.delay_on_commit(str(job.pk), path,
                                         form.cleaned_data["submit_for_screening"])
    return redirect("portal:merchant_import_job", job_id=job.pk)


def _job_or_404(request: HttpRequest, job_id) -> Job:
    job = selectors.merchant_import_jobs(isv=request.portal.isv).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


@require_GET
@portal_view(Permission.MANAGE_MERCHANTS)
def merchant_import_job(request: HttpRequest, job_id) -> HttpResponse:
    """The job's progress; htmx polls the progress panel alone until the job has finished."""
    job = _job_or_404(request, job_id)
    if request.htmx:
        if job.is_finished:
            # The whole page again, now with the rows that failed.
            return HttpResponseClientRefresh()
        return render(request, "portal/merchants/_import_progress.html", {"job": job})
    errors = []
    if job.is_finished and job.result_file:
        with job.result_file.open("rb") as report:
            errors = [result for result in imports.report_rows(report.read())
                      if result.result == imports.ERROR][:REPORT_ERRORS_SHOWN]
    return render(request, "portal/merchants/import_job.html", {
        "job": job, "errors": errors, "errors_shown": REPORT_ERRORS_SHOWN,
        "field_labels": FIELD_LABELS,
    })


@require_GET
@portal_view(Permission.MANAGE_MERCHANTS)
def merchant_import_report(request: HttpRequest, job_id) -> FileResponse:
    job = _job_or_404(request, job_id)
    if not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True,
                        filename=f"merchant-import-report-{job.created_at:%Y%m%d-%H%M}.csv",
                        content_type="text/csv; charset=utf-8")
