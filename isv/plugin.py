"""What the ISV app declares to the platform (openplatform.plugins)."""

from django.utils.translation import gettext_lazy as _

from isv import panels
from isv.errors import IsvError, IsvFieldError
from isv.permissions import Permission
from openplatform.plugins import AppPlugin, EventGroup, NavItem, Panel

ISV_EVENTS = EventGroup(
    payload="isv",
    fields={
        "isv_id": _("The service provider's id."),
        "kind": _("company or self (a merchant that is its own developer)."),
        "state": _("The service provider's state after the change."),
    },
    types={
        "isv.registered": _("A service provider registered and awaits review."),
        "isv.approved": _("The platform approved the service provider."),
        "isv.rejected": _("The platform rejected the service provider's registration."),
        "isv.resubmitted": _("The service provider resubmitted its registration."),
        "isv.restricted": _("The service provider was restricted."),
        "isv.restriction_lifted": _("The service provider's restriction was lifted."),
        "isv.suspended": _("The service provider was suspended."),
        "isv.reinstated": _("The service provider was reinstated."),
        "isv.cleared_out": _("The service provider was cleared out (terminal)."),
    },
)

ISV_MEMBER_EVENTS = EventGroup(
    payload="isv_member",
    fields={
        "isv_id": _("The service provider's id."),
        "kind": _("company or self (a merchant that is its own developer)."),
        "state": _("The service provider's state."),
        "member_id": _("The membership's id."),
        "user_id": _("The user's id."),
        "role": _("owner, admin, developer or finance."),
    },
    types={
        "isv.member_added": _("A person joined the service provider's team."),
    },
)

APP_EVENTS = EventGroup(
    payload="app",
    fields={
        "app_id": _("The app's id."),
        "client_id": _("The app's OAuth client id."),
        "environment": _("sandbox or production."),
        "state": _("The app's state after the change."),
    },
    types={
        "app.created": _("An app was created."),
        "app.secret_rotated": _("An app's client secret was rotated."),
        "app.submitted_for_review": _("An app was submitted for review."),
        "app.approved": _("The platform approved an app."),
        "app.review_rejected": _("The platform rejected an app's review."),
        "app.live": _("An app went live."),
        "app.taken_offline": _("An app was taken offline."),
        "app.suspended": _("An app was suspended."),
        "app.reinstated": _("An app was reinstated."),
    },
)

SUBSCRIPTION_EVENTS = EventGroup(
    payload="subscription",
    fields={
        "subscription_id": _("The subscription's id."),
        "app_id": _("The subscribing app's id."),
        "pack": _("The function pack's code."),
        "solution": _("The industry solution it came with, or null."),
        "state": _("The subscription's state after the change."),
    },
    types={
        "subscription.requested": _("An app asked for a function pack that needs review."),
        "subscription.activated": _("An app's subscription to a function pack is active."),
        "subscription.approved": _("The platform approved a subscription."),
        "subscription.rejected": _("The platform rejected a subscription."),
        "subscription.suspended": _("A subscription was suspended."),
        "subscription.resumed": _("A suspended subscription was resumed."),
        "subscription.cancelled": _("A subscription was cancelled."),
    },
)

PLUGIN = AppPlugin(
    label="isv",
    event_groups=(ISV_EVENTS, ISV_MEMBER_EVENTS, APP_EVENTS, SUBSCRIPTION_EVENTS),
    error_codes=(IsvError, IsvFieldError),
    api_urls="isv.api.urls",
    portal_urls="isv.urls",
    urls={"accounts/": "isv.signup_urls"},
    nav_items=(
        NavItem(label=_("Registration"), url_name="portal:registration",
                section=frozenset({"registration", "registration_edit"}), order=20),
        NavItem(label=_("Team"), url_name="portal:team",
                section=frozenset({"team", "team_invite", "team_member_remove"}), order=30),
        NavItem(label=_("Apps"), url_name="portal:apps", section=frozenset({
            "apps", "app_create", "app_detail", "app_edit", "app_rotate_secret",
            "webhook_endpoints", "webhook_endpoint_create", "webhook_endpoint_edit",
            "webhook_endpoint_rotate_secret"}), order=40),
        NavItem(label=_("Catalog"), url_name="portal:catalog", section=frozenset({"catalog"}),
                order=50),
        NavItem(label=_("Webhooks"), url_name="portal:webhook_deliveries",
                section=frozenset({"webhook_deliveries", "webhook_delivery", "event_types"}),
                order=70),
        NavItem(label=_("Usage"), url_name="portal:usage", section=frozenset({"usage"}),
                permission=Permission.VIEW_FINANCE, order=90),
    ),
    dashboard_panels=(
        Panel(template="portal/dashboard/_apps.html", context=panels.dashboard_apps, order=20),
        Panel(template="portal/dashboard/_usage.html", context=panels.dashboard_usage,
              order=50),
    ),
)
