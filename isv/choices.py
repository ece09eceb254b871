from django.db import models
from django.utils.translation import gettext_lazy as _


class IsvKind(models.TextChoices):
    COMPANY = "company", _("Service provider company")
    SELF = "self", _("Merchant developing for itself")


class IsvState(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("Pending review")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    RESTRICTED = "restricted", _("Restricted")
    SUSPENDED = "suspended", _("Suspended")
    CLEARED_OUT = "cleared_out", _("Cleared out")


ISV_TRANSITIONS = {
    IsvState.PENDING_REVIEW: {IsvState.ACTIVE, IsvState.REJECTED},
    # A rejected registration may be corrected and sent for review again.
    IsvState.REJECTED: {IsvState.PENDING_REVIEW},
    IsvState.ACTIVE: {IsvState.RESTRICTED, IsvState.SUSPENDED},
    IsvState.RESTRICTED: {IsvState.ACTIVE, IsvState.SUSPENDED},
    IsvState.SUSPENDED: {IsvState.ACTIVE, IsvState.CLEARED_OUT},
    IsvState.CLEARED_OUT: set(),
}


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    DEVELOPER = "developer", _("Developer")
    FINANCE = "finance", _("Finance")


class AppEnvironment(models.TextChoices):
    SANDBOX = "sandbox", _("Sandbox")
    PRODUCTION = "production", _("Production")


class AppState(models.TextChoices):
    DEVELOPING = "developing", _("Developing")
    IN_REVIEW = "in_review", _("In review")
    LIVE = "live", _("Live")
    OFFLINE = "offline", _("Offline")
    SUSPENDED = "suspended", _("Suspended")


APP_TRANSITIONS = {
    # Sandbox apps go live without review (the service enforces which path applies).
    AppState.DEVELOPING: {AppState.IN_REVIEW, AppState.LIVE, AppState.SUSPENDED},
    # A refused review sends the app back to development.
    AppState.IN_REVIEW: {AppState.LIVE, AppState.DEVELOPING, AppState.SUSPENDED},
    AppState.LIVE: {AppState.OFFLINE, AppState.SUSPENDED},
    AppState.OFFLINE: {AppState.LIVE, AppState.SUSPENDED},
    # Reinstatement puts a suspended app back offline; its developer takes it live again.
    AppState.SUSPENDED: {AppState.OFFLINE},
}


class SubscriptionState(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("Pending review")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


SUBSCRIPTION_TRANSITIONS = {
    SubscriptionState.PENDING_REVIEW: {
        SubscriptionState.ACTIVE, SubscriptionState.REJECTED, SubscriptionState.CANCELLED,
    },
    SubscriptionState.ACTIVE: {SubscriptionState.SUSPENDED, SubscriptionState.CANCELLED},
    SubscriptionState.SUSPENDED: {SubscriptionState.ACTIVE, SubscriptionState.CANCELLED},
    SubscriptionState.REJECTED: set(),
    SubscriptionState.CANCELLED: set(),
}

# A subscription in one of these states blocks a second one for the same app and pack.
OPEN_SUBSCRIPTION_STATES = (
    SubscriptionState.PENDING_REVIEW, SubscriptionState.ACTIVE, SubscriptionState.SUSPENDED,
)


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")


INVITATION_TRANSITIONS = {
    InvitationState.PENDING: {InvitationState.ACCEPTED, InvitationState.REVOKED},
    InvitationState.ACCEPTED: set(),
    InvitationState.REVOKED: set(),
}
