"""What payment adds to a merchant's page in the ISV portal (its QR sticker, latest trades and
statements: ``AppPlugin.merchant_panels``), and the statement CSV linked from it."""

from datetime import date
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from capabilities.payment.models import Statement
from capabilities.payment.selectors import (
    recent_statements_for_merchant,
    recent_trades_for_merchant,
    statement_csv,
)
from capabilities.payment.views import sticker_path
from isv.access import portal_view
from isv.permissions import Permission
from merchants.choices import LIVE_MERCHANT_STATES
from merchants.models import Merchant
from merchants.selectors import merchant_get_for_isv
from openplatform.web.qr import qr_svg

SHOWN = 10


def merchant_sticker(request: HttpRequest, merchant: Merchant) -> dict[str, Any] | None:
    if merchant.state not in LIVE_MERCHANT_STATES:
        return None
    sticker_url = f"{settings.PLATFORM_BASE_URL}{sticker_path(merchant)}"
    return {"sticker_url": sticker_url, "sticker_qr": qr_svg(sticker_url)}


def merchant_trades(request: HttpRequest, merchant: Merchant) -> dict[str, Any]:
    return {"trades": recent_trades_for_merchant(merchant=merchant, limit=SHOWN)}


def merchant_statements(request: HttpRequest, merchant: Merchant) -> dict[str, Any]:
    return {"merchant": merchant,
            "statements": recent_statements_for_merchant(merchant=merchant, limit=SHOWN)}


@require_GET
@portal_view(Permission.VIEW_FINANCE)
def merchant_statement_csv(request: HttpRequest, merchant_id: int, day: str) -> HttpResponse:
    """A closed day's statement as CSV: the same file ``payment.bill.download`` returns."""
    try:
        merchant = merchant_get_for_isv(isv=request.portal.isv, merchant_id=merchant_id)
        closed_day = date.fromisoformat(day)
    except (Merchant.DoesNotExist, ValueError):
        raise Http404(_("No statement for this day.")) from None
    statement = get_object_or_404(Statement, merchant=merchant, day=closed_day)
    response = HttpResponse(statement_csv(statement=statement), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{merchant.external_id}-{statement.day}.csv"')
    return response
