"""What the ISV app adds to pages the shell draws: the dashboard's apps and usage."""

from typing import Any

from django.http import HttpRequest

from isv import usage
from isv.selectors import apps_for_isv


def dashboard_apps(request: HttpRequest) -> dict[str, Any]:
    isv = request.portal.isv
    return {"apps": list(apps_for_isv(isv=isv).only("id", "name", "environment", "state",
                                                    "client_id", "isv_id"))}


def dashboard_usage(request: HttpRequest) -> dict[str, Any]:
    isv = request.portal.isv
    return {"usage_chart": usage.isv_usage_chart(isv=isv),
            "webhook_failures": usage.recent_webhook_failures(isv=isv)}
