"""The negative list, governance actions and the audit trail in the governance console."""


import base64
import time
import uuid

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import FunctionPack
from governance import imports, services
from governance.models import GovernanceAction, NegativeListEntry
from governance.normalise import entry_value
from isv.admin import AppAdmin, IsvAdmin
from merchants.admin import MerchantAdmin
from openplatform.audit.models import AuditEvent
from openplatform.data import pii, spreadsheets
from openplatform.web.admin import (
    GovernanceReasonForm,
    NoteForm,
    OptionalNoteForm,
    Perform,
    ReadOnlyAdmin,
    ServiceActionsAdmin,
    audit_trail_link,
    pretty_json,
    service_action,
)


class NegativeListEntryForm(forms.ModelForm):
    class Meta:
        model = NegativeListEntry
        fields = ("kind", "value", "category", "source", "note", "expires_at")
        help_texts = {
            "value": _("Enter the value in clear. ID numbers and bank accounts are stored "
                       "only as keyed digests and shown masked."),
        }

    def clean(self):
        cleaned_data = super().clean()
        kind, raw = cleaned_data.get("kind"), cleaned_data.get("value")
        if kind and raw:
            try:
                stored, self.instance.display_value = entry_value(kind, raw)
            except forms.ValidationError as error:
                self.add_error("value", error)
            else:
                # The model's unique (kind, value) check then sees the stored form; the
                # service receives the clear input and normalises it itself.
                self.clear_value = raw
                cleaned_data["value"] = stored
        return cleaned_data


# The uploaded file waits in the cache between preview and confirmation, sealed with the PII
# key (it holds ID numbers and bank accounts in clear); progress is kept next to it.
IMPORT_CACHE_PREFIX = "negative_list_import"
IMPORT_CACHE_SECONDS = 60 * 60
PREVIEW_ROWS = 50
# Far above MAX_IMPORT_ROWS rows of ordinary entries (about 60 bytes each).
MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024
TEMPLATE_DIR = "admin/governance/negativelistentry"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class NegativeListImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A .csv (UTF-8 or GB18030) or .xlsx file whose first row names the columns "
                    "kind, value, category, source, note and expires_at (ISO date or date and "
                    "time, optional)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(megabytes)d MB; split it.")
                % {"megabytes": MAX_IMPORT_FILE_BYTES // (1024 * 1024)}, code="file_too_large")
        return upload


def _upload_key(token: str) -> str:
    return f"{IMPORT_CACHE_PREFIX}:{token}"


def _progress_key(token: str) -> str:
    return f"{IMPORT_CACHE_PREFIX}:{token}:progress"


def _file_response(dataset, *, file_format: str, stem: str) -> HttpResponse:
    # A BOM, so that Excel opens the UTF-8 CSV with its Chinese text intact.
    body = "\ufeff" + dataset.export("csv") if file_format == "csv" else dataset.export("xlsx")
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response


@admin.register(NegativeListEntry)
class NegativeListEntryAdmin(admin.ModelAdmin):
    """Entries one at a time, bulk import (upload, preview with every row's errors, confirm:
    all rows or none, with progress) and export of the filtered list as CSV or XLSX."""

    form = NegativeListEntryForm
    change_list_template = f"{TEMPLATE_DIR}/change_list.html"
    list_display = ("display_value", "kind", "category", "source", "expires_at", "created_by",
                    "created_at")
    list_filter = ("kind", "category", "created_at", "expires_at")
    search_fields = ("display_value", "source", "note")
    date_hierarchy = "created_at"
    list_select_related = ("created_by",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("kind", "value", "category", "source", "note", "expires_at")
        # The stored value of an existing entry (possibly a digest) is never edited or shown.
        return ("kind", "display_value", "category", "source", "note", "expires_at",
                "created_by", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("kind", "display_value", "created_by", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name]
                  for name in ("category", "source", "note", "expires_at")}
        if change:
            services.negative_list_entry_update(entry=obj, actor=request.user, **fields)
        else:
            created = services.negative_list_entry_add(
                actor=request.user, kind=form.cleaned_data["kind"],
                value=form.clear_value, **fields)
            # The admin goes on with ``obj`` (log entry, redirect): make it the saved row.
            obj.pk = created.pk
            obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.negative_list_entry_remove(entry=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            services.negative_list_entry_remove(entry=entry, actor=request.user)

    # --- Import and export -------------------------------------------------------------------

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name=f"{name}_import"),
            path("import/template/", view(self.import_template_view),
                 name=f"{name}_import_template"),
            path("import/<uuid:token>/confirm/", view(self.import_confirm_view),
                 name=f"{name}_import_confirm"),
            path("import/<uuid:token>/status/", view(self.import_status_view),
                 name=f"{name}_import_status"),
            path("export/<str:file_format>/", view(self.export_view), name=f"{name}_export"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a file and see it checked: counts, the first rows and every row's errors."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = NegativeListImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            started = time.monotonic()
            try:
                parsed = imports.read_import_file(name=upload.name, content=content)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                checked = imports.check_rows(parsed.rows)
                token = None if checked.errors else self._keep_upload(request, upload.name,
                                                                      content)
                return self._preview(request, file_name=upload.name, parsed=parsed,
                                     checked=checked, token=token,
                                     seconds=time.monotonic() - started)
        return TemplateResponse(request, f"{TEMPLATE_DIR}/import.html", {
            **self._context(request, _("Import negative-list entries")),
            "form": form,
            "columns": imports.IMPORT_COLUMNS,
        })

    def import_confirm_view(self, request, token):
        """Import the previewed file in one transaction, reporting progress to the status view."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        upload = cache.get(_upload_key(token))
        if upload is None or upload["user_id"] != request.user.pk:
            messages.error(request, gettext("This import has expired or has already run; "
                                            "upload the file again."))
            return self._finish(request, reverse(f"admin:{self._url_name('import')}"))

        def report(phase: str, done: int, total: int) -> None:
            cache.set(_progress_key(token), {"user_id": request.user.pk, "phase": phase,
                                             "done": done, "total": total},
                      IMPORT_CACHE_SECONDS)

        content = base64.b64decode(pii.decrypt(upload["content"]))
        parsed = imports.read_import_file(name=upload["file_name"], content=content)
        started = time.monotonic()
        try:
            count = services.negative_list_entries_import(
                actor=request.user, rows=parsed.rows, file_name=upload["file_name"],
                on_progress=report)
        except ValidationError as error:
            # The list changed since the preview (an entry added meanwhile): show why.
            report("failed", 0, len(parsed.rows))
            cache.delete(_upload_key(token))
            checked = imports.CheckedImport(entries=[], row_numbers=[],
                                            errors=imports.row_errors_of(error))
            return self._preview(request, file_name=upload["file_name"], parsed=parsed,
                                 checked=checked, token=None,
                                 seconds=time.monotonic() - started)
        report("done", count, count)
        cache.delete(_upload_key(token))
        messages.success(request, gettext(
            "Imported %(count)d entries from %(file)s in %(seconds).1f s; the live merchants "
            "are being screened against them.") % {
                "count": count, "file": upload["file_name"],
                "seconds": time.monotonic() - started})
        return self._finish(request, reverse(f"admin:{self._url_name('changelist')}"))

    def import_status_view(self, request, token):
        """How far the import is: {"phase": "waiting" | "checking" | "importing" | "done" |
        "failed", "done": rows, "total": rows} (polled by the confirmation page)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        progress = cache.get(_progress_key(token))
        if progress is None or progress["user_id"] != request.user.pk:
            return JsonResponse({"phase": "waiting", "done": 0, "total": 0})
        return JsonResponse({key: progress[key] for key in ("phase", "done", "total")})

    def import_template_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return _file_response(imports.template_dataset(), file_format="csv",
                              stem="negative-list-template")

    def export_view(self, request, file_format):
        """The list as the changelist shows it (same filters and search) as CSV or XLSX."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if file_format not in spreadsheets.FORMATS:
            raise Http404
        entries = self.get_changelist_instance(request).get_queryset(request)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return _file_response(imports.export_dataset(entries.iterator(chunk_size=2000)),
                              file_format=file_format, stem=f"negative-list-{stamp}")

    def _url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def _context(self, request, title) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title,
                "has_view_permission": self.has_view_permission(request)}

    def _keep_upload(self, request, file_name: str, content: bytes) -> str:
        token = str(uuid.uuid4())
        cache.set(_upload_key(token), {
            "user_id": request.user.pk,
            "file_name": file_name,
            "content": pii.encrypt(base64.b64encode(content).decode("ascii")),
        }, IMPORT_CACHE_SECONDS)
        return token

    def _preview(self, request, *, file_name, parsed, checked, token, seconds):
        rows = list(zip(checked.row_numbers[:PREVIEW_ROWS], checked.entries[:PREVIEW_ROWS],
                        strict=True))
        return TemplateResponse(request, f"{TEMPLATE_DIR}/import_preview.html", {
            **self._context(request, _("Check the import")),
            "file_name": file_name,
            "row_count": len(parsed.rows),
            "valid_count": len(checked.entries),
            "error_rows": len({error.row for error in checked.errors}),
            "errors": checked.errors,
            "kind_counts": sorted(checked.kind_counts.items()),
            "ignored_columns": parsed.ignored_columns,
            "preview_rows": rows,
            "seconds": seconds,
            "token": token,
            "confirm_url": token and reverse(f"admin:{self._url_name('import_confirm')}",
                                             args=[token]),
            "status_url": token and reverse(f"admin:{self._url_name('import_status')}",
                                            args=[token]),
        })

    def _finish(self, request, url: str):
        """Redirect, or tell the confirmation page's script where to go."""
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"redirect": url})
        return redirect(url)


@admin.register(GovernanceAction)
class GovernanceActionAdmin(ServiceActionsAdmin):
    """Governance actions are issued from the ISV, app and merchant lists; here staff follow
    them up and decide on rectification evidence."""

    list_display = ("kind", "target_type", "target", "reason_code", "state", "deadline",
                    "actor", "created_at")
    list_filter = ("kind", "state", "target_type", "created_at", "deadline")
    search_fields = ("reason_code", "reason", "isv__name", "app__name", "app__client_id",
                     "merchant__short_name", "merchant__external_id")
    date_hierarchy = "created_at"
    list_select_related = ("isv", "app", "merchant", "actor")
    fieldsets = (
        (None, {"fields": ("kind", "target_type", "isv", "app", "merchant", "state", "actor",
                           "created_at")}),
        (_("Reason"), {"fields": ("reason_code", "reason", "restricted_packs")}),
        (_("Rectification"), {"fields": ("deadline", "evidence_required", "statement",
                                         "evidence", "decision_note", "escalated_to",
                                         "resolved_at")}),
        (None, {"fields": ("audit_trail",)}),
    )
    readonly_fields = ("audit_trail",)
    actions = (
        service_action(
            name="accept_rectification_evidence",
            description=_("Accept the evidence of the selected rectification orders"),
            form_class=OptionalNoteForm,
            perform=lambda action, actor, data: services.rectification_accept(
                action=action, actor=actor, note=data["note"]),
        ),
        service_action(
            name="reject_rectification_evidence",
            description=_("Reject the evidence of the selected rectification orders"),
            form_class=NoteForm,
            perform=lambda action, actor, data: services.rectification_reject(
                action=action, actor=actor, note=data["note"]),
        ),
    )

    @admin.display(description=_("target"))
    def target(self, obj):
        return obj.target

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        return audit_trail_link(obj)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The append-only audit trail: nobody adds, edits or deletes a line here."""

    list_display = ("created_at", "actor_label", "action", "target_type", "target_repr",
                    "reason")
    list_filter = (
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("target_type", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    search_fields = ("action", "actor_label", "target_repr", "target_id", "reason")
    date_hierarchy = "created_at"
    list_select_related = ("target_type",)
    show_full_result_count = False
    fields = ("created_at", "actor", "actor_label", "action", "target_type", "target_id",
              "target", "before_json", "after_json", "reason")
    readonly_fields = ("target", "before_json", "after_json")

    @admin.display(description=_("target"))
    def target(self, obj):
        content_type = obj.target_type
        try:
            url = reverse(f"admin:{content_type.app_label}_{content_type.model}_change",
                          args=[obj.target_id])
        except NoReverseMatch:
            return obj.target_repr
        return format_html('<a href="{}">{}</a>', url, obj.target_repr)

    @admin.display(description=_("before"))
    def before_json(self, obj):
        return pretty_json(obj.before)

    @admin.display(description=_("after"))
    def after_json(self, obj):
        return pretty_json(obj.after)


# --- The governance ladder, on the ISV, app and merchant admins ----------------------------

class RectificationForm(GovernanceReasonForm):
    evidence_required = forms.CharField(
        label=_("Evidence required"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].help_text = gettext(
            "Leave empty for the default of %(days)d days."
        ) % {"days": settings.RECTIFICATION_DEFAULT_DAYS}

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline is not None and deadline <= timezone.now():
            raise ValidationError(gettext("The deadline must be in the future."),
                                  code="deadline_past")
        return deadline


class RestrictionForm(GovernanceReasonForm):
    packs = forms.ModelMultipleChoiceField(
        label=_("Function packs to restrict"),
        queryset=FunctionPack.objects.order_by("layer", "code"),
        widget=forms.CheckboxSelectMultiple,
    )


def _warn(target, actor, data):
    return services.governance_warn(
        target=target, actor=actor, reason_code=data["reason_code"], reason=data["reason"])


def _order_rectification(target, actor, data):
    return services.governance_order_rectification(
        target=target, actor=actor, reason_code=data["reason_code"], reason=data["reason"],
        evidence_required=data["evidence_required"], deadline=data["deadline"])


def _restrict(target, actor, data):
    return services.governance_restrict(
        target=target, actor=actor, reason_code=data["reason_code"], reason=data["reason"],
        packs=list(data["packs"]))


def _suspend(target, actor, data):
    return services.governance_suspend(
        target=target, actor=actor, reason_code=data["reason_code"], reason=data["reason"])


def _reinstate(target, actor, data):
    return services.governance_reinstate(
        target=target, actor=actor, reason_code=data["reason_code"], reason=data["reason"])


def _clear_out(target, actor, data):
    return services.governance_clear_out(
        target=target, actor=actor, reason_code=data["reason_code"], reason=data["reason"])


GOVERNANCE_LADDER: dict[str, tuple[type[forms.Form], Perform]] = {
    "warn": (GovernanceReasonForm, _warn),
    "rectify": (RectificationForm, _order_rectification),
    "restrict": (RestrictionForm, _restrict),
    "suspend": (GovernanceReasonForm, _suspend),
    "reinstate": (GovernanceReasonForm, _reinstate),
    "clear_out": (GovernanceReasonForm, _clear_out),
}


def governance_action(kind: str, description: str):
    """One step of the governance ladder (``GOVERNANCE_LADDER``) on an ISV, app or merchant:
    the governance service of that kind, called with each selected object as its target."""
    form_class, perform = GOVERNANCE_LADDER[kind]
    return service_action(name=f"governance_{kind}", description=description,
                          form_class=form_class, perform=perform, permission="govern")


def _govern(model_admin: type[admin.ModelAdmin], *actions) -> None:
    """Governance staff act on ISVs, apps and merchants from their own admin pages: the
    ladder's rungs join those admins' actions."""
    model_admin.actions = (*model_admin.actions, *actions)


_govern(IsvAdmin,
        governance_action("warn", _("Warn the selected ISVs")),
        governance_action("restrict", _("Restrict the selected ISVs")),
        governance_action("suspend", _("Suspend the selected ISVs")),
        governance_action("reinstate", _("Reinstate the selected ISVs")),
        governance_action("clear_out", _("Clear out the selected ISVs")))
_govern(AppAdmin,
        governance_action("warn", _("Warn the selected apps")),
        governance_action("restrict", _("Restrict packs of the selected apps")),
        governance_action("suspend", _("Suspend the selected apps")),
        governance_action("reinstate", _("Reinstate the selected apps")))
_govern(MerchantAdmin,
        governance_action("warn", _("Warn the selected merchants")),
        governance_action("rectify", _("Order the selected merchants to rectify")),
        governance_action("restrict", _("Restrict packs of the selected merchants")),
        governance_action("suspend", _("Suspend the selected merchants")),
        governance_action("reinstate", _("Reinstate the selected merchants")),
        governance_action("clear_out", _("Clear out the selected merchants")))
