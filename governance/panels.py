"""What governance adds to pages others draw: the dashboard's open notices, and a merchant's
history (its own moves and the governance actions on it)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.selectors import audit_trail_for, open_actions_for_isv
from merchants.choices import MerchantState
from merchants.models import Merchant

DASHBOARD_GOVERNANCE_LIMIT = 10
HISTORY_LIMIT = 50

# The audit trail's actions about a merchant, in words (others show their code).
HISTORY_LABELS = {
    "merchant.created": gettext_lazy("Onboarded as a draft"),
    "merchant.updated": gettext_lazy("Details edited"),
    "merchant.submitted": gettext_lazy("Submitted for screening"),
    "merchant.screening_started": gettext_lazy("Screening started"),
    "governance.merchant_screened": gettext_lazy("Screened against the negative list"),
    "merchant.activated": gettext_lazy("Activated"),
    "merchant.referred_to_review": gettext_lazy("Referred to a manual review"),
    "merchant.rejected": gettext_lazy("Rejected"),
    "merchant.reopened": gettext_lazy("Reopened for correction"),
    "merchant.rectification_ordered": gettext_lazy("Ordered to rectify"),
    "merchant.rectified": gettext_lazy("Rectification accepted"),
    "merchant.suspended": gettext_lazy("Suspended"),
    "merchant.reinstated": gettext_lazy("Reinstated"),
    "merchant.cleared_out": gettext_lazy("Cleared out"),
    "governance.measure_lifted": gettext_lazy("Restriction or suspension lifted"),
}


def dashboard_notices(request: HttpRequest) -> dict[str, Any]:
    isv = request.portal.isv
    return {"open_actions": list(open_actions_for_isv(isv=isv)[:DASHBOARD_GOVERNANCE_LIMIT])}


def merchant_history(request: HttpRequest, merchant: Merchant) -> dict[str, Any]:
    states = dict(MerchantState.choices)
    rows = []
    for event in audit_trail_for(target=merchant)[:HISTORY_LIMIT]:
        before, after = event.before.get("state"), event.after.get("state")
        rows.append({
            "event": event,
            "label": HISTORY_LABELS.get(event.action, event.action),
            "before": states.get(before) if before != after else None,
            "after": states.get(after) if before != after else None,
            "by": (event.actor.email or event.actor.get_username()) if event.actor
            else _("The platform"),
        })
    return {"history": rows}
