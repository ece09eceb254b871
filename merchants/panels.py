"""What the merchants app adds to pages the shell draws: the dashboard's merchant counts."""

from typing import Any

from django.http import HttpRequest

from merchants.choices import MerchantState
from merchants.selectors import merchant_counts_by_state


def dashboard_merchants(request: HttpRequest) -> dict[str, Any]:
    counts = merchant_counts_by_state(isv=request.portal.isv)
    return {"merchant_counts": [(state, counts[state.value]) for state in MerchantState],
            "merchant_total": sum(counts.values())}
