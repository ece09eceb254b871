from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MerchantState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    MANUAL_REVIEW = "manual_review", _("Manual review")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    RECTIFYING = "rectifying", _("Rectifying")
    SUSPENDED = "suspended", _("Suspended")
    CLEARED_OUT = "cleared_out", _("Cleared out")


MERCHANT_TRANSITIONS = {
    MerchantState.DRAFT: {MerchantState.SUBMITTED},
    MerchantState.SUBMITTED: {MerchantState.SCREENING},
    MerchantState.SCREENING: {
        MerchantState.ACTIVE, MerchantState.MANUAL_REVIEW, MerchantState.REJECTED,
    },
    MerchantState.MANUAL_REVIEW: {MerchantState.ACTIVE, MerchantState.REJECTED},
    # The ISV may correct a rejected application and submit it again (screening reruns).
    MerchantState.REJECTED: {MerchantState.DRAFT},
    MerchantState.ACTIVE: {MerchantState.RECTIFYING, MerchantState.SUSPENDED},
    MerchantState.RECTIFYING: {MerchantState.ACTIVE, MerchantState.SUSPENDED},
    MerchantState.SUSPENDED: {MerchantState.ACTIVE, MerchantState.CLEARED_OUT},
    MerchantState.CLEARED_OUT: set(),
}

# States in which the merchant trades on the platform; its USCC may be live only once.
LIVE_MERCHANT_STATES = (
    MerchantState.ACTIVE, MerchantState.RECTIFYING, MerchantState.SUSPENDED,
)
# States in which the ISV may still edit the merchant's data.
EDITABLE_MERCHANT_STATES = (MerchantState.DRAFT, MerchantState.RECTIFYING)


class StoreState(models.TextChoices):
    OPEN = "open", pgettext_lazy("store", "Open")
    CLOSED = "closed", pgettext_lazy("store", "Closed")


class MerchantUserRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")


class AuthorizationState(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


AUTHORIZATION_TRANSITIONS = {
    AuthorizationState.ACTIVE: {AuthorizationState.REVOKED, AuthorizationState.EXPIRED},
    AuthorizationState.REVOKED: set(),
    AuthorizationState.EXPIRED: set(),
}
