"""What the shell declares of its own portal pages: the dashboard and the docs."""

from django.utils.translation import gettext_lazy as _

from openplatform.plugins import AppPlugin, NavItem

PLUGIN = AppPlugin(
    label="portal",
    nav_items=(
        NavItem(label=_("Dashboard"), url_name="portal:dashboard",
                section=frozenset({"dashboard"}), order=10),
        NavItem(label=_("Docs"), url_name="portal:docs",
                section=frozenset({"docs", "docs_events"}), order=100),
    ),
)
