"""The portal's merchant forms: onboarding and editing one merchant, bulk onboarding uploads
and authorization links. They collect input; ``merchants/services/`` validates it and its
field errors land beside the fields here."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from catalog.models import FunctionPack
from isv.models import App
from merchants.imports import ACCEPTED_UPLOAD, MAX_UPLOAD_BYTES
from merchants.models import Merchant
from merchants.services.onboarding import (
    INPUT_FIELDS,
    PII_INPUT_FIELDS,
    REQUIRED_INPUT_FIELDS,
    MerchantInput,
)
from openplatform.data import mcc

# Fields checked as the person leaves them (htmx), with the service's own normalisers.
LIVE_VALIDATED_FIELDS = ("uscc", "legal_rep_id_number", "settlement_account", "contact_phone",
                         "mcc", "website")

FIELD_LABELS = {
    "external_id": _("External ID"),
    "legal_name": _("Legal name"),
    "short_name": _("Short name"),
    "uscc": _("Unified social credit code"),
    "legal_rep_name": _("Legal representative"),
    "legal_rep_id_number": _("Legal representative's ID number"),
    "settlement_account_name": _("Settlement account name"),
    "settlement_bank_name": _("Settlement bank"),
    "settlement_account": _("Settlement bank card number"),
    "contact_phone": _("Contact mobile phone"),
    "contact_email": _("Contact email"),
    "mcc": _("Merchant category (MCC)"),
    "address": _("Business address"),
    "business_scope": _("Business scope"),
    "website": _("Website domain"),
}
HELP_TEXTS = {
    "external_id": _("Your own identifier for this merchant; unique among your merchants."),
    "short_name": _("The name buyers see when they pay."),
    "uscc": _("18 characters, as printed on the business licence."),
    "legal_rep_id_number": _("Mainland resident ID, 18 characters; stored encrypted and never "
                             "shown again in full."),
    "settlement_account": _("Bank card or account number; stored encrypted and never shown "
                            "again in full."),
    "business_scope": _("As on the business licence."),
    "website": _("Optional, e.g. shop.example.com."),
}
MAX_LENGTHS = {"business_scope": 2000, "legal_rep_id_number": 32, "settlement_account": 40}


def _mcc_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a category")), *mcc.category_choices()]


def _input_field(name: str) -> forms.Field:
    attrs = {"autocomplete": "off"}
    if name in LIVE_VALIDATED_FIELDS:
        # POST, not GET: ID and card numbers must not end up in URLs and access logs.
        attrs.update({
            "hx-post": reverse_lazy("portal:merchant_validate_field", args=[name]),
            "hx-trigger": "blur changed" if name != "mcc" else "change",
            "hx-target": f"#{name}-feedback", "hx-swap": "outerHTML",
            "aria-describedby": f"{name}-feedback",
        })
    label, help_text = FIELD_LABELS[name], HELP_TEXTS.get(name, "")
    # Not required here: the service reports every missing field with every other error.
    if name == "mcc":
        return forms.ChoiceField(label=label, choices=_mcc_choices, required=False,
                                 widget=forms.Select(attrs=attrs))
    if name == "business_scope":
        return forms.CharField(label=label, help_text=help_text, required=False,
                               max_length=MAX_LENGTHS[name],
                               widget=forms.Textarea(attrs={**attrs, "rows": 2}))
    max_length = MAX_LENGTHS.get(name) or Merchant._meta.get_field(name).max_length
    widget = forms.EmailInput(attrs=attrs) if name == "contact_email" \
        else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, help_text=help_text, required=False,
                           max_length=max_length, widget=widget)


class MerchantForm(forms.Form):
    """Every field of ``MerchantInput``. Editing a merchant, an empty ID or card number keeps
    the stored one: it is never sent back to the browser."""

    def __init__(self, *args, merchant: Merchant | None = None, **kwargs):
        self.merchant = merchant
        if merchant is not None:
            kwargs.setdefault("initial", {name: getattr(merchant, name) for name in INPUT_FIELDS
                                          if name not in PII_INPUT_FIELDS})
        super().__init__(*args, **kwargs)
        for name in INPUT_FIELDS:
            self.fields[name] = _input_field(name)
            self.fields[name].required_marker = name in REQUIRED_INPUT_FIELDS
        if merchant is not None:
            self.fields["legal_rep_id_number"].help_text = _(
                "Stored: %(masked)s. Leave empty to keep it.") % {
                    "masked": merchant.legal_rep_id_number_masked}
            self.fields["settlement_account"].help_text = _(
                "Stored: %(masked)s. Leave empty to keep it.") % {
                    "masked": merchant.settlement_account_masked}

    def merchant_input(self) -> MerchantInput:
        values = {name: self.cleaned_data.get(name) or "" for name in INPUT_FIELDS}
        if self.merchant is not None:
            if not values["legal_rep_id_number"].strip():
                values["legal_rep_id_number"] = self.merchant.reveal_legal_rep_id_number()
            if not values["settlement_account"].strip():
                values["settlement_account"] = self.merchant.reveal_settlement_account()
        return MerchantInput(**values)


class MerchantImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One merchant per row, with the template's header row; at most 10,000 "
                    "rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_UPLOAD}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB; split it.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}, code="too_large")
        return upload


class MerchantImportStartForm(forms.Form):
    upload = forms.CharField(widget=forms.HiddenInput)
    submit_for_screening = forms.BooleanField(
        label=_("Submit each new merchant for screening"), required=False,
        help_text=_("Otherwise they are saved as drafts for you to check and submit."))


class AppChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: App) -> str:
        return f"{obj.name} ({obj.get_environment_display()})"


class PackChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: FunctionPack) -> str:
        return f"{obj.display_name} ({obj.code})"


class AuthorizationLinkForm(forms.Form):
    """Which app asks the merchant for which packs, and where the merchant returns to."""

    app = AppChoiceField(label=_("App"), queryset=App.objects.none(),
                         empty_label=_("Choose an app"))
    packs = PackChoiceField(label=_("Function packs to ask for"),
                            queryset=FunctionPack.objects.none(),
                            widget=forms.CheckboxSelectMultiple)
    redirect_uri = forms.CharField(
        label=_("Redirect URI"), required=False, max_length=2000,
        help_text=_("One of the app's registered redirect URIs; empty for its first one."))

    def __init__(self, *args, apps, packs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["app"].queryset = apps
        self.fields["packs"].queryset = packs
