"""Every event type the platform emits, with what its ``data`` holds.

``event_emit`` refuses a type that is not listed here, so this registry is complete by
construction; the API docs (``GET /api/v1/event-types/``) and the portal read it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EventType:
    type: str
    description: Promise
    payload: str  # the name of a payload shape in PAYLOADS


PAYLOADS: dict[str, dict[str, Promise]] = {
    "isv": {
        "isv_id": _("The service provider's id."),
        "kind": _("company or self (a merchant that is its own developer)."),
        "state": _("The service provider's state after the change."),
    },
    "isv_member": {
        "isv_id": _("The service provider's id."),
        "kind": _("company or self (a merchant that is its own developer)."),
        "state": _("The service provider's state."),
        "member_id": _("The membership's id."),
        "user_id": _("The user's id."),
        "role": _("owner, admin, developer or finance."),
    },
    "app": {
        "app_id": _("The app's id."),
        "client_id": _("The app's OAuth client id."),
        "environment": _("sandbox or production."),
        "state": _("The app's state after the change."),
    },
    "subscription": {
        "subscription_id": _("The subscription's id."),
        "app_id": _("The subscribing app's id."),
        "pack": _("The function pack's code."),
        "solution": _("The industry solution it came with, or null."),
        "state": _("The subscription's state after the change."),
    },
    "merchant": {
        "merchant_id": _("The merchant's id."),
        "external_id": _("Your own reference for the merchant."),
        "state": _("The merchant's state after the change."),
        "reason_code": _("Why it was rejected or suspended, when it was (e.g. negative_list)."),
    },
    "store": {
        "store_id": _("The store's id."),
        "external_id": _("Your own reference for the store."),
        "merchant_id": _("The merchant's id."),
        "state": _("The store's state."),
    },
    "authorization": {
        "authorization_id": _("The authorization's id."),
        "merchant_id": _("The authorizing merchant's id."),
        "app_id": _("The authorized app's id."),
        "state": _("active, revoked or expired."),
        "packs": _("The function packs the merchant granted."),
    },
    "governance": {
        "action_id": _("The governance action's id."),
        "kind": _("warning, rectify, restrict, suspend, clear_out or reinstate."),
        "state": _("The action's state after the change."),
        "target_type": _("isv, app or merchant."),
        "target_id": _("The id of the ISV, app or merchant concerned."),
        "reason_code": _("A stable code for the reason (e.g. negative_list_gambling)."),
        "reason": _("The reason, in words."),
        "deadline": _("The rectification deadline (ISO 8601), or null."),
    },
    "trade": {
        "trade_no": _("The platform's trade number."),
        "out_trade_no": _("Your order number."),
        "merchant_id": _("The merchant's id."),
        "amount": _("The amount in fen."),
        "currency": _("Always CNY."),
        "state": _("wait_buyer_pay, success, closed or finished."),
        "refunded_amount": _("Refunded so far, in fen."),
        "paid_at": _("When the buyer paid (ISO 8601), or null."),
    },
    "refund": {
        "trade_no": _("The platform's trade number."),
        "out_trade_no": _("Your order number."),
        "merchant_id": _("The merchant's id."),
        "amount": _("The trade's amount in fen."),
        "currency": _("Always CNY."),
        "state": _("The trade's state after the refund (success or finished)."),
        "refunded_amount": _("Refunded so far, in fen, this refund included."),
        "paid_at": _("When the buyer paid (ISO 8601)."),
        "refund_no": _("The platform's refund number."),
        "out_refund_no": _("Your refund number."),
        "refund_amount": _("This refund's amount in fen."),
    },
    "webhook_endpoint": {
        "endpoint_id": _("The webhook endpoint's id."),
        "app_id": _("The app the endpoint belongs to."),
        "url": _("The endpoint's URL."),
        "state": _("enabled or disabled."),
        "disabled_reason": _("Why the platform disabled it, when it did."),
    },
}


def _types(payload: str, descriptions: dict[str, Promise]) -> list[EventType]:
    return [EventType(type=name, description=text, payload=payload)
            for name, text in descriptions.items()]


EVENT_TYPES: dict[str, EventType] = {event_type.type: event_type for event_type in [
    *_types("isv", {
        "isv.registered": _("A service provider registered and awaits review."),
        "isv.approved": _("The platform approved the service provider."),
        "isv.rejected": _("The platform rejected the service provider's registration."),
        "isv.resubmitted": _("The service provider resubmitted its registration."),
        "isv.restricted": _("The service provider was restricted."),
        "isv.restriction_lifted": _("The service provider's restriction was lifted."),
        "isv.suspended": _("The service provider was suspended."),
        "isv.reinstated": _("The service provider was reinstated."),
        "isv.cleared_out": _("The service provider was cleared out (terminal)."),
    }),
    *_types("isv_member", {
        "isv.member_added": _("A person joined the service provider's team."),
    }),
    *_types("app", {
        "app.created": _("An app was created."),
        "app.secret_rotated": _("An app's client secret was rotated."),
        "app.submitted_for_review": _("An app was submitted for review."),
        "app.approved": _("The platform approved an app."),
        "app.review_rejected": _("The platform rejected an app's review."),
        "app.live": _("An app went live."),
        "app.taken_offline": _("An app was taken offline."),
        "app.suspended": _("An app was suspended."),
        "app.reinstated": _("An app was reinstated."),
    }),
    *_types("subscription", {
        "subscription.requested": _("An app asked for a function pack that needs review."),
        "subscription.activated": _("An app's subscription to a function pack is active."),
        "subscription.approved": _("The platform approved a subscription."),
        "subscription.rejected": _("The platform rejected a subscription."),
        "subscription.suspended": _("A subscription was suspended."),
        "subscription.resumed": _("A suspended subscription was resumed."),
        "subscription.cancelled": _("A subscription was cancelled."),
    }),
    *_types("merchant", {
        "merchant.created": _("A merchant was onboarded as a draft."),
        "merchant.updated": _("A merchant's details changed."),
        "merchant.submitted": _("A merchant was submitted for screening."),
        "merchant.screening_started": _("The platform started screening a merchant."),
        "merchant.activated": _("A merchant passed screening or review and is active."),
        "merchant.referred_to_review": _("A merchant went to manual review."),
        "merchant.rejected": _("A merchant was rejected; reason_code says why."),
        "merchant.reopened": _("A rejected merchant was reopened as a draft."),
        "merchant.rectification_ordered": _("A merchant was ordered to rectify."),
        "merchant.rectified": _("A merchant's rectification was accepted."),
        "merchant.suspended": _("A merchant was suspended."),
        "merchant.reinstated": _("A merchant was reinstated."),
        "merchant.cleared_out": _("A merchant was cleared out (terminal)."),
    }),
    *_types("store", {
        "store.created": _("A store was added to a merchant."),
    }),
    *_types("authorization", {
        "authorization.granted": _("A merchant authorized an app (or extended its grant)."),
        "authorization.revoked": _("A merchant's authorization of an app was revoked."),
        "authorization.expired": _("A merchant's authorization of an app expired."),
    }),
    *_types("governance", {
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
    }),
    *_types("trade", {
        "payment.trade.succeeded": _("A buyer paid a trade."),
        "payment.trade.closed": _("An unpaid trade was closed (by you or on timeout)."),
    }),
    *_types("refund", {
        "payment.refund.succeeded": _("A refund was made to the buyer."),
    }),
    *_types("webhook_endpoint", {
        "webhook_endpoint.test": _("A test event you asked for; it goes to one endpoint only."),
        "webhook_endpoint.disabled": _("The platform disabled a webhook endpoint that kept "
                                       "failing or answered 410 Gone."),
    }),
]}


def is_registered(type: str) -> bool:
    return type in EVENT_TYPES
