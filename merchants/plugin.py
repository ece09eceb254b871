"""What the merchants app declares to the platform (openplatform.plugins)."""

from django.utils.translation import gettext_lazy as _

from merchants import panels, subscribers
from merchants.errors import MerchantError, MerchantFieldError
from openplatform.plugins import AppPlugin, EventGroup, NavItem, Panel

MERCHANT_EVENTS = EventGroup(
    payload="merchant",
    fields={
        "merchant_id": _("The merchant's id."),
        "external_id": _("Your own reference for the merchant."),
        "state": _("The merchant's state after the change."),
        "reason_code": _("Why it was rejected or suspended, when it was (e.g. negative_list)."),
    },
    types={
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
    },
)

STORE_EVENTS = EventGroup(
    payload="store",
    fields={
        "store_id": _("The store's id."),
        "external_id": _("Your own reference for the store."),
        "merchant_id": _("The merchant's id."),
        "state": _("The store's state."),
    },
    types={
        "store.created": _("A store was added to a merchant."),
    },
)

AUTHORIZATION_EVENTS = EventGroup(
    payload="authorization",
    fields={
        "authorization_id": _("The authorization's id."),
        "merchant_id": _("The authorizing merchant's id."),
        "app_id": _("The authorized app's id."),
        "state": _("active, revoked or expired."),
        "packs": _("The function packs the merchant granted."),
    },
    types={
        "authorization.granted": _("A merchant authorized an app (or extended its grant)."),
        "authorization.revoked": _("A merchant's authorization of an app was revoked."),
        "authorization.expired": _("A merchant's authorization of an app expired."),
    },
)

PLUGIN = AppPlugin(
    label="merchants",
    event_groups=(MERCHANT_EVENTS, STORE_EVENTS, AUTHORIZATION_EVENTS),
    event_subscriptions={
        "isv.approved": (subscribers.give_the_approved_isv_its_sandbox,),
        "isv.cleared_out": (subscribers.end_the_authorizations_of_a_cleared_out_isv,),
    },
    error_codes=(MerchantError, MerchantFieldError),
    api_urls="merchants.api.urls",
    portal_urls="merchants.urls",
    urls={"oauth/": "merchants.oauth.urls"},
    nav_items=(
        NavItem(label=_("Merchants"), url_name="portal:merchant_list", section=frozenset({
            "merchant_list", "merchant_create", "merchant_detail", "merchant_edit",
            "merchant_import", "merchant_import_start", "merchant_import_job"}), order=60),
    ),
    dashboard_panels=(
        Panel(template="portal/dashboard/_merchants.html", context=panels.dashboard_merchants,
              order=30),
    ),
)
