"""Payment's demo data for ``seed_demo``: sandbox buyers who pay on the cashier page or show
their payment code, each with a funded wallet."""

from django.conf import settings
from django.utils.translation import gettext as _

from capabilities.payment import ledger
from capabilities.payment.services import sandbox_buyer_ensure
from capabilities.payment.templatetags.payment import yuan
from openplatform.plugins import DemoWorld

# (login, name)
DEMO_BUYERS = (("buyer-1", "Demo Buyer One"), ("buyer-2", "Demo Buyer Two"))


def sandbox_buyers(world: DemoWorld) -> list[str]:
    """The demo buyers (funded only when made: a rerun moves no money) and the lines that
    tell how to pay as them."""
    lines = [_("Sandbox buyers (login / payment code / wallet):")]
    for login, name in DEMO_BUYERS:
        buyer = sandbox_buyer_ensure(login=login, name=name,
                                     balance=settings.PAYMENT["SANDBOX_BUYER_BALANCE"])
        balance = ledger.balance(ledger.buyer_wallet(buyer)[0])
        lines.append(_("  %(login)s / %(code)s / %(balance)s yuan")
                     % {"login": buyer.login, "code": buyer.payment_code,
                        "balance": yuan(balance)})
    return lines
