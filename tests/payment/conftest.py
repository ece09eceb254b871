import pytest

from capabilities.payment import services
from merchants.choices import MerchantState
from tests import factories


@pytest.fixture
def active_merchant(isv):
    return factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)


@pytest.fixture
def buyer(db):
    return services.sandbox_buyer_ensure(login="buyer-1", name="Buyer One", balance=1_000_000)


@pytest.fixture
def open_trade(active_merchant, app):
    def make(amount=10_000, out_trade_no="order-1", kind="precreate"):
        trade, _created = services.trade_open(
            merchant=active_merchant, app=app, kind=kind, out_trade_no=out_trade_no,
            amount=amount, subject="Coffee", actor=None)
        return trade
    return make
