"""The ping capability's declaration: one capability in one pack, one event type, one error
code, an API route, a portal page with its navigation item."""

from django.utils.translation import gettext_lazy as _

from catalog.choices import Layer
from openplatform.errors import ErrorCode
from openplatform.plugins import (
    CapabilityPlugin,
    CapabilitySpec,
    EventGroup,
    NavItem,
    PackSpec,
)


class PingError(ErrorCode):
    PING_TEXT_TOO_LONG = ("ping_text_too_long", 409, _("The text to echo is too long"),
                          _("Send at most 20 characters."))


PLUGIN = CapabilityPlugin(
    label="plugin_capability",
    domain="ping",
    capabilities=(CapabilitySpec(
        code="ping.echo.query", name="Echo", name_zh="回声", layer=Layer.BASIC,
        description="Echoes a text back, for the merchant the token acts for.",
        description_zh="为令牌所代表的商户回显一段文字。"),),
    packs=(PackSpec(
        code="ping_basics", name="Ping basics", name_zh="回声基础", layer=Layer.BASIC,
        description="Lets the app check that it reaches you.",
        description_zh="让应用确认能够连接到您。",
        capabilities=("ping.echo.query",), default_daily_quota=1_000,
        default_per_second_quota=10),),
    event_groups=(EventGroup(
        payload="ping", fields={"text": _("The text echoed.")},
        types={"ping.echoed": _("A text was echoed.")}),),
    error_codes=(PingError,),
    api_urls="tests.plugin_capability.urls",
    portal_urls="tests.plugin_capability.portal_urls",
    nav_items=(NavItem(label=_("Ping"), url_name="portal:ping", section=frozenset({"ping"}),
                       order=95),),
)
