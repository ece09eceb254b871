"""The buyer's side, sandbox: the cashier page of a trade's QR URL and a merchant's static
QR sticker. Nobody logs in: the URL's secret (the trade's qr_token, the sticker's signature)
is what grants access."""

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capabilities.payment import services
from capabilities.payment.choices import STICKER_PACK, TradeState
from capabilities.payment.forms import BuyerForm, StickerPaymentForm
from capabilities.payment.models import Trade
from governance.access import merchant_refusal
from merchants.models import Merchant
from openplatform.errors import DomainError
from openplatform.web.qr import qr_svg

STICKER_SALT = "payment.sticker"


def sticker_token(merchant: Merchant) -> str:
    return signing.dumps(merchant.pk, salt=STICKER_SALT)


def sticker_path(merchant: Merchant) -> str:
    return reverse("payment-sticker", args=[sticker_token(merchant)])


def _trade_for(qr_token: str) -> Trade:
    return get_object_or_404(Trade.objects.select_related("merchant", "app"), qr_token=qr_token)


def _unavailable(request, merchant: Merchant) -> HttpResponse:
    """The merchant may not take payments now (governance): no form, nothing to pay."""
    return render(request, "payment/unavailable.html", {"merchant": merchant}, status=403)


@require_http_methods(["GET", "POST"])
def cashier(request, qr_token: str):
    trade = _trade_for(qr_token)
    if trade.state != TradeState.WAIT_BUYER_PAY:
        return redirect("payment-cashier-result", qr_token=qr_token)
    if merchant_refusal(trade.merchant, pack=trade.pack, app=trade.app):
        return _unavailable(request, trade.merchant)
    form = BuyerForm(request.POST or None)
    if form.is_valid():
        try:
            services.trade_pay(trade=trade, buyer=form.cleaned_data["login"], actor=None)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("payment-cashier-result", qr_token=qr_token)
    return render(request, "payment/cashier.html", {
        "trade": trade, "form": form, "qr_svg": qr_svg(request.build_absolute_uri()),
    })


def cashier_result(request, qr_token: str):
    return render(request, "payment/result.html", {"trade": _trade_for(qr_token)})


@require_http_methods(["GET", "POST"])
def sticker(request, token: str):
    try:
        merchant_id = signing.loads(token, salt=STICKER_SALT)
    except signing.BadSignature:
        raise Http404(_("This sticker is not valid.")) from None
    merchant = get_object_or_404(Merchant, pk=merchant_id)
    if merchant_refusal(merchant, pack=STICKER_PACK):
        return _unavailable(request, merchant)
    form = StickerPaymentForm(request.POST or None)
    if form.is_valid():
        try:
            trade = services.sticker_pay(merchant=merchant, amount=form.cleaned_data["amount"],
                                         buyer=form.cleaned_data["login"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("payment-cashier-result", qr_token=trade.qr_token)
    return render(request, "payment/sticker.html", {
        "merchant": merchant, "form": form, "qr_svg": qr_svg(request.build_absolute_uri()),
    })
