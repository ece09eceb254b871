"""ISVs, their people, apps and pack subscriptions, as governance staff review and govern them.

Nothing is edited here: reviews and governance measures are admin actions calling services.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from isv.models import App, Isv, IsvMember, Subscription
from isv.services.apps import app_approve, app_reject_review
from isv.services.providers import isv_approve, isv_reject
from isv.services.subscriptions import (
    subscription_approve,
    subscription_reject,
    subscription_resume,
    subscription_suspend,
)
from openplatform.web.admin import (
    OptionalReasonForm,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ReasonForm,
    ServiceActionsAdmin,
    audit_trail_link,
    service_action,
)


class IsvMemberInline(ReadOnlyInline):
    model = IsvMember
    fields = ("user", "role", "invited_by", "created_at")
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "invited_by")


class AppInline(ReadOnlyInline):
    model = App
    fields = ("name", "client_id", "environment", "state", "created")
    readonly_fields = fields


@admin.register(Isv)
class IsvAdmin(ServiceActionsAdmin):
    list_display = ("name", "uscc", "kind", "state", "contact_name", "contact_phone",
                    "created_at")
    list_filter = ("state", "kind", "created_at")
    search_fields = ("name", "uscc", "contact_name", "contact_email", "legal_representative")
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("name", "uscc", "kind", "merchant", "legal_representative",
                           "business_licence")}),
        (_("Contact"), {"fields": ("contact_name", "contact_email", "contact_phone")}),
        (_("Review and governance"), {"fields": ("state", "rejection_reason", "reviewed_by",
                                                 "reviewed_at", "audit_trail",
                                                 "created_at", "updated_at")}),
    )
    readonly_fields = ("audit_trail",)
    inlines = (IsvMemberInline, AppInline)
    actions = (
        service_action(
            name="approve_isvs", description=_("Approve the selected ISVs"),
            perform=lambda isv, actor, data: isv_approve(isv=isv, actor=actor),
        ),
        service_action(
            name="reject_isvs", description=_("Reject the selected ISVs"), form_class=ReasonForm,
            perform=lambda isv, actor, data: isv_reject(isv=isv, actor=actor,
                                                                 reason=data["reason"]),
        ),
    )

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        return audit_trail_link(obj)


@admin.register(IsvMember)
class IsvMemberAdmin(ReadOnlyAdmin):
    list_display = ("user", "isv", "role", "invited_by", "created_at")
    list_filter = ("role", "created_at")
    search_fields = ("user__username", "user__email", "isv__name", "isv__uscc")
    list_select_related = ("user", "isv", "invited_by")


# django-oauth-toolkit registers the swapped application model (our App) with its own admin,
# which edits client secrets and grant types directly; governance staff get this one instead.
admin.site.unregister(App)


@admin.register(App)
class AppAdmin(ServiceActionsAdmin):
    list_display = ("name", "client_id", "isv", "environment", "state", "created")
    list_filter = ("state", "environment", "created")
    search_fields = ("name", "client_id", "isv__name", "isv__uscc")
    date_hierarchy = "created"
    list_select_related = ("isv",)
    # The hashed client secret never appears here; webhook endpoints have their own admin.
    fieldsets = (
        (None, {"fields": ("name", "isv", "description", "environment", "state",
                           "audit_trail")}),
        (_("OAuth client"), {"fields": ("client_id", "client_type", "authorization_grant_type",
                                        "redirect_uris")}),
        (_("Dates"), {"fields": ("created", "updated")}),
    )
    readonly_fields = ("audit_trail",)
    actions = (
        service_action(
            name="approve_app_reviews", description=_("Approve the review of the selected apps"),
            perform=lambda app, actor, data: app_approve(app=app, actor=actor),
        ),
        service_action(
            name="reject_app_reviews", description=_("Reject the review of the selected apps"),
            form_class=ReasonForm,
            perform=lambda app, actor, data: app_reject_review(
                app=app, actor=actor, reason=data["reason"]),
        ),
    )

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        return audit_trail_link(obj)


@admin.register(Subscription)
class SubscriptionAdmin(ServiceActionsAdmin):
    list_display = ("app", "isv", "pack", "state", "solution", "reviewed_by", "reviewed_at",
                    "created_at")
    list_filter = ("state", "pack__layer", "pack__requires_review", "created_at")
    search_fields = ("app__name", "app__client_id", "app__isv__name", "pack__code")
    date_hierarchy = "created_at"
    list_select_related = ("app__isv", "pack", "solution", "reviewed_by")
    fields = ("app", "pack", "solution", "state", "reason", "reviewed_by", "reviewed_at",
              "daily_quota_override", "per_second_quota_override", "audit_trail",
              "created_at", "updated_at")
    readonly_fields = ("audit_trail",)
    actions = (
        service_action(
            name="approve_subscriptions", description=_("Approve the selected subscriptions"),
            perform=lambda subscription, actor, data: subscription_approve(
                subscription=subscription, actor=actor),
        ),
        service_action(
            name="reject_subscriptions", description=_("Reject the selected subscriptions"),
            form_class=ReasonForm,
            perform=lambda subscription, actor, data: subscription_reject(
                subscription=subscription, actor=actor, reason=data["reason"]),
        ),
        service_action(
            name="suspend_subscriptions", description=_("Suspend the selected subscriptions"),
            form_class=ReasonForm,
            perform=lambda subscription, actor, data: subscription_suspend(
                subscription=subscription, actor=actor, reason=data["reason"]),
        ),
        service_action(
            name="resume_subscriptions", description=_("Resume the selected subscriptions"),
            form_class=OptionalReasonForm,
            perform=lambda subscription, actor, data: subscription_resume(
                subscription=subscription, actor=actor, reason=data["reason"]),
        ),
    )

    @admin.display(description=_("ISV"), ordering="app__isv__name")
    def isv(self, obj):
        return obj.app.isv

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        return audit_trail_link(obj)
