"""Admin plumbing shared by every app: read-only model admins and actions that call services.

Governance staff change state only through admin actions. Each action calls one service per
selected object; a refused object becomes an error message naming it and the others proceed.
Actions that need a reason first render an intermediate page (the Django admin's own pattern,
as in ``delete_selected``) that posts back the selected ids, the action name and ``apply``.
"""

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openplatform.errors import DomainError

ACTION_FORM_TEMPLATE = "admin/governance_action_form.html"

# perform(obj, actor, cleaned_data) calls exactly one service for one selected object.
Perform = Callable[[models.Model, Any, dict[str, Any]], object]


# --- Forms of the intermediate page -------------------------------------------------------

class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("The ISV reads this reason."),
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class GovernanceReasonForm(ReasonForm):
    field_order = ["reason_code", "reason"]

    reason_code = forms.SlugField(
        label=gettext_lazy("Reason code"), max_length=64,
        help_text=gettext_lazy(
            "A stable code the ISV's systems can act on, e.g. negative_list_hit, "
            "prohibited_industry, fraud_suspected, missing_licence."
        ),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the ISV"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class OptionalNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the ISV"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


# --- Actions ------------------------------------------------------------------------------

def service_action(
    *,
    name: str,
    description: str,
    perform: Perform,
    form_class: type[forms.Form] | None = None,
    permission: str = "act",
):
    """An admin action that calls ``perform`` once per selected object.

    ``permission`` names a ``has_<permission>_permission`` method of the model admin: ``act``
    (change permission on the model) or ``govern`` (also the right to issue governance
    actions), see ServiceActionsAdmin.
    """

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet):
        data: dict[str, Any] = {}
        if form_class is not None:
            form = form_class(request.POST) if "apply" in request.POST else form_class()
            if not form.is_bound or not form.is_valid():
                return _render_action_form(modeladmin, request, queryset, form, name,
                                           description)
            data = form.cleaned_data
        _apply_to_each(modeladmin, request, queryset, perform, data, description)
        return None

    action.__name__ = name
    return admin.action(description=description, permissions=[permission])(action)


def _apply_to_each(modeladmin, request, queryset, perform: Perform, data, description) -> None:
    selected = list(queryset)
    done = 0
    for obj in selected:
        try:
            perform(obj, request.user, data)
        except (DomainError, ValidationError) as error:
            modeladmin.message_user(
                request,
                _("%(object)s: %(message)s") % {"object": obj, "message": error_text(error)},
                messages.ERROR,
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            _("%(action)s: done for %(done)d of %(total)d.")
            % {"action": description, "done": done, "total": len(selected)},
            messages.SUCCESS,
        )


def error_text(error: DomainError | ValidationError) -> str:
    if isinstance(error, DomainError):
        return str(error.message)
    return " ".join(error.messages)


def _render_action_form(modeladmin, request, queryset, form, name, description):
    opts = modeladmin.model._meta
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": description,
        "objects": list(queryset),
        "form": form,
        "action_name": name,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": opts,
        "app_label": opts.app_label,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, ACTION_FORM_TEMPLATE, context)


# --- Model admins -------------------------------------------------------------------------

class NoWritesMixin:
    """No add, change or delete in the admin: the rows change only through services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWritesMixin, admin.ModelAdmin):
    """Rows that change only through services: staff see them, nobody edits them here."""


class ServiceActionsAdmin(ReadOnlyAdmin):
    """Read-only, except through admin actions that call services.

    The model's change permission is what lets a user run those actions (``act``); issuing a
    governance action also needs the add permission on GovernanceAction (``govern``).
    """

    def has_act_permission(self, request) -> bool:
        codename = get_permission_codename("change", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def has_govern_permission(self, request) -> bool:
        return self.has_act_permission(request) and request.user.has_perm(
            "governance.add_governanceaction"
        )


class ReadOnlyInline(NoWritesMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


# --- Display helpers ----------------------------------------------------------------------

def audit_trail_link(obj: models.Model) -> str:
    """A link to the audit events of ``obj`` (for a read-only field on its change page)."""
    if obj.pk is None:
        return "-"
    content_type = ContentType.objects.get_for_model(obj)
    url = reverse("admin:audit_auditevent_changelist") + "?" + urlencode(
        {"target_type__id__exact": content_type.pk, "target_id": obj.pk}
    )
    return format_html('<a href="{}">{}</a>', url, _("Show the audit trail"))


def pretty_json(value: Any) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2,
                                                   sort_keys=True))
