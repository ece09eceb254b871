"""The sandbox cashier and the static QR sticker, as a buyer's browser uses them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from capabilities.payment import ledger
from capabilities.payment.choices import TradeKind, TradeState
from capabilities.payment.models import Trade
from capabilities.payment.views import sticker_path

pytestmark = pytest.mark.django_db


def test_the_cashier_shows_the_trade_and_a_buyer_pays_it(client, open_trade, buyer):
    trade = open_trade(amount=12_345)
    url = reverse("payment-cashier", args=[trade.qr_token])

    page = client.get(url)
    assert page.status_code == 200
    assert "123.45" in page.content.decode() and trade.merchant.short_name in page.content.decode()
    assert "<svg" in page.content.decode()

    paid = client.post(url, {"login": buyer.login})
    assert paid.status_code == 302
    trade.refresh_from_db()
    assert trade.state == TradeState.SUCCESS
    result = client.get(paid.url)
    assert 'data-state="success"' in result.content.decode()
    assert client.get(url).status_code == 302  # a paid trade's cashier shows the result


def test_an_unknown_buyer_gets_a_field_error_and_nothing_is_paid(client, open_trade):
    trade = open_trade()
    page = client.post(reverse("payment-cashier", args=[trade.qr_token]), {"login": "nobody"})
    assert page.status_code == 200
    assert "No sandbox buyer has this login." in page.content.decode()
    trade.refresh_from_db()
    assert trade.state == TradeState.WAIT_BUYER_PAY


def test_an_expired_trade_cannot_be_paid(client, open_trade, buyer):
    trade = open_trade()
    Trade.objects.filter(pk=trade.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = client.post(reverse("payment-cashier", args=[trade.qr_token]), {"login": buyer.login})
    assert "expired" in page.content.decode()


def test_an_unknown_qr_token_is_404(client):
    assert client.get(reverse("payment-cashier", args=["nope"])).status_code == 404


def test_a_sticker_lets_the_buyer_type_the_amount(client, active_merchant, buyer):
    url = sticker_path(active_merchant)
    assert client.get(url).status_code == 200

    response = client.post(url, {"amount": "8.80", "login": buyer.login})
    assert response.status_code == 302
    trade = Trade.objects.get()
    assert (trade.kind, trade.amount, trade.state, trade.app) == (
        TradeKind.STICKER, 880, TradeState.SUCCESS, None)
    assert ledger.verify().ok


@pytest.mark.parametrize("amount", ["0", "-1", "abc", "1.234", "NaN", "99999999"])
def test_a_sticker_refuses_bad_amounts_beside_the_field(client, active_merchant, buyer, amount):
    response = client.post(sticker_path(active_merchant), {"amount": amount,
                                                           "login": buyer.login})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not Trade.objects.exists()


def test_a_forged_sticker_is_404(client, active_merchant):
    assert client.get(sticker_path(active_merchant)[:-3] + "xx/").status_code == 404
