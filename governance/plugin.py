"""What governance declares to the platform (openplatform.plugins)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from governance import panels, subscribers
from governance.errors import GovernanceError, GovernanceFieldError
from openplatform.plugins import AppPlugin, EventGroup, NavItem, Panel

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
    event_subscriptions={"merchant.submitted": (subscribers.screen_the_submitted_merchant,)},
    error_codes=(GovernanceError, GovernanceFieldError),
    api_urls="governance.api.urls",
    portal_urls="governance.urls",
    nav_items=(
        NavItem(label=_("Governance notices"), url_name="portal:governance",
                section=frozenset({"governance", "governance_detail", "governance_respond"}),
                order=80),
    ),
    dashboard_panels=(
        Panel(template="portal/dashboard/_governance.html", context=panels.dashboard_notices,
              order=40),
    ),
    merchant_panels=(
        Panel(template="portal/merchants/panels/history.html",
              context=panels.merchant_history, order=10),
    ),
    beat_schedule={
        "escalate-overdue-rectifications": {
            "task": "governance.tasks.escalate_overdue_rectifications",
            "schedule": 15 * 60,
        },
        # A full re-screen against the whole negative list, at night (CELERY_TIMEZONE).
        "rescreen-all-nightly": {
            "task": "governance.tasks.rescreen_all_task",
            "schedule": crontab(hour=2, minute=30),
        },
    },
)
