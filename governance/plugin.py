"""What governance declares to the platform (openplatform.plugins)."""

from django.utils.translation import gettext_lazy as _

from governance.errors import GovernanceError, GovernanceFieldError
from openplatform.plugins import AppPlugin, EventGroup

GOVERNANCE_EVENTS = EventGroup(
    payload="governance",
    fields={
        "action_id": _("The governance action's id."),
        "kind": _("warning, rectify, restrict, suspend, clear_out or reinstate."),
        "state": _("The action's state after the change."),
        "target_type": _("isv, app or merchant."),
        "target_id": _("The id of the ISV, app or merchant concerned."),
        "reason_code": _("A stable code for the reason (e.g. negative_list_gambling)."),
        "reason": _("The reason, in words."),
        "deadline": _("The rectification deadline (ISO 8601), or null."),
    },
    types={
        "governance.warning": _("The platform issued a warning."),
        "governance.warning_acknowledged": _("A warning was acknowledged."),
        "governance.rectification_ordered": _("The platform ordered a rectification."),
        "governance.rectification_evidence_submitted": _("Rectification evidence was sent."),
        "governance.rectification_accepted": _("The platform accepted a rectification."),
        "governance.rectification_rejected": _("The platform rejected rectification evidence."),
        "governance.rectification_escalated": _("An overdue rectification was escalated."),
        "governance.restricted": _("The platform restricted function packs."),
        "governance.suspended": _("The platform suspended an ISV, app or merchant."),
        "governance.cleared_out": _("The platform cleared out an ISV, app or merchant."),
        "governance.reinstated": _("The platform reinstated an ISV, app or merchant."),
    },
)

PLUGIN = AppPlugin(
    label="governance",
    event_groups=(GOVERNANCE_EVENTS,),
    error_codes=(GovernanceError, GovernanceFieldError),
)
