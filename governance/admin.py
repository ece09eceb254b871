"""The negative list, governance actions and the audit trail in the governance console."""


from django import forms
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from governance import services
from governance.models import AuditEvent, GovernanceAction, NegativeListEntry
from governance.normalise import entry_value
from openplatform.admin_helpers import (
    NoteForm,
    OptionalNoteForm,
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


@admin.register(NegativeListEntry)
class NegativeListEntryAdmin(admin.ModelAdmin):
    form = NegativeListEntryForm
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
