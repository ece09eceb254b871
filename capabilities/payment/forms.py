from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from capabilities.payment.choices import MAX_TRADE_AMOUNT
from capabilities.payment.models import SandboxBuyer


class BuyerForm(forms.Form):
    """Who pays: a sandbox buyer's login (the sandbox has no real wallets)."""

    login = forms.CharField(label=_("Sandbox buyer login"), max_length=60,
                            help_text=_("For example buyer-1; seed_demo prints the logins."))

    def clean_login(self) -> SandboxBuyer:
        buyer = SandboxBuyer.objects.filter(login=self.cleaned_data["login"].strip()).first()
        if buyer is None:
            raise forms.ValidationError(_("No sandbox buyer has this login."), code="unknown")
        return buyer


class StickerPaymentForm(BuyerForm):
    """A static sticker carries no amount: the buyer types it, in yuan."""

    amount = forms.CharField(label=_("Amount (yuan)"), max_length=12,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    field_order = ["amount", "login"]

    def clean_amount(self) -> int:
        try:
            yuan = Decimal(self.cleaned_data["amount"].strip())
        except InvalidOperation:
            raise forms.ValidationError(_("Enter an amount such as 12.50."),
                                        code="invalid") from None
        if not yuan.is_finite() or yuan.as_tuple().exponent < -2:
            raise forms.ValidationError(_("Use at most two decimals."), code="invalid")
        fen = int(yuan * 100)
        if not 0 < fen <= MAX_TRADE_AMOUNT:
            raise forms.ValidationError(
                _("Enter an amount between 0.01 and %(limit)s yuan.")
                % {"limit": f"{MAX_TRADE_AMOUNT // 100:,}"}, code="out_of_range")
        return fen
