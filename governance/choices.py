from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    USCC = "uscc", _("Unified social credit code")
    ID_NUMBER = "id_number", _("Legal representative ID number")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    PHONE = "phone", _("Phone number")
    DOMAIN = "domain", _("Domain")
    KEYWORD = "keyword", _("Name or business-scope keyword")
    INDUSTRY = "industry", _("Prohibited industry (MCC)")


# Kinds kept only as keyed digests: the clear value is personal data.
DIGEST_ENTRY_KINDS = (EntryKind.ID_NUMBER, EntryKind.BANK_ACCOUNT)


class EntryCategory(models.TextChoices):
    PORNOGRAPHY = "pornography", _("Pornography")
    GAMBLING = "gambling", _("Gambling")
    DRUGS = "drugs", _("Drugs")
    FRAUD = "fraud", _("Fraud")
    UNLICENSED = "unlicensed", _("No business registration")
    SANCTIONS = "sanctions", _("Sanctions")
    OTHER = "other", _("Other")


class TargetType(models.TextChoices):
    ISV = "isv", _("ISV")
    APP = "app", _("App")
    MERCHANT = "merchant", _("Merchant")


class ActionKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    RECTIFY = "rectify", _("Rectification order")
    RESTRICT = "restrict", _("Restriction")
    SUSPEND = "suspend", _("Suspension")
    CLEAR_OUT = "clear_out", _("Clear-out")
    REINSTATE = "reinstate", _("Reinstatement")


class ActionState(models.TextChoices):
    OPEN = "open", _("Open")
    EVIDENCE_SUBMITTED = "evidence_submitted", _("Evidence submitted")
    RESOLVED = "resolved", _("Resolved")
    ESCALATED = "escalated", _("Escalated")


ACTION_TRANSITIONS = {
    # Rectification orders move through evidence; other kinds are open until resolved.
    ActionState.OPEN: {
        ActionState.EVIDENCE_SUBMITTED, ActionState.RESOLVED, ActionState.ESCALATED,
    },
    # Staff accept the evidence (resolved) or send the order back (open).
    ActionState.EVIDENCE_SUBMITTED: {ActionState.RESOLVED, ActionState.OPEN},
    ActionState.RESOLVED: set(),
    ActionState.ESCALATED: set(),
}
