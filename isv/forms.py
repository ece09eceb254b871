"""The portal's forms for registration (KYB) and the team. They validate input; the services
in ``isv/services.py`` decide, and their field errors land beside the fields here."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from isv.choices import IsvKind, MemberRole
from isv.models import Isv
from merchants.models import Merchant

LICENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class MerchantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Merchant) -> str:
        return f"{obj.short_name} · {obj.legal_name}"


class RegistrationForm(forms.Form):
    """The company's registration; ``kind`` and ``merchant`` only when registering."""

    kind = forms.ChoiceField(label=_("Who is registering"), choices=IsvKind.choices,
                             initial=IsvKind.COMPANY, widget=forms.RadioSelect)
    merchant = MerchantChoiceField(
        label=_("Your merchant"), queryset=Merchant.objects.none(), required=False,
        help_text=_("Only for a merchant developing for itself: the merchant you act for."))
    name = forms.CharField(label=_("Company name"), max_length=200)
    uscc = forms.CharField(
        label=_("Unified social credit code"), max_length=32,
        help_text=_("18 characters, as printed on the business licence."),
        widget=forms.TextInput(attrs={
            "autocomplete": "off", "spellcheck": "false",
            # Checked as soon as the person leaves the field (htmx), and again on submit.
            "hx-get": reverse_lazy("portal:validate_uscc"), "hx-trigger": "blur changed",
            "hx-target": "#uscc-feedback", "hx-swap": "outerHTML",
        }),
    )
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=100)
    contact_name = forms.CharField(label=_("Contact name"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact mobile phone"), max_length=20,
                                    widget=forms.TextInput(attrs={"autocomplete": "tel"}))
    contact_email = forms.EmailField(label=_("Contact email"),
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    business_licence = forms.FileField(
        label=_("Business licence"),
        help_text=_("A scan or photo: PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": LICENCE_ACCEPT}),
    )

    def __init__(self, *args, merchants=None, instance: Isv | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {
                field: getattr(instance, field)
                for field in ("name", "uscc", "legal_representative", "contact_name",
                              "contact_phone", "contact_email")
            })
        super().__init__(*args, **kwargs)
        if instance is not None:
            # Correcting a registration: who registers is fixed, the stored licence stays
            # unless a new file replaces it.
            del self.fields["kind"], self.fields["merchant"]
            self.fields["business_licence"].required = False
            self.fields["business_licence"].widget = forms.FileInput(
                attrs={"accept": LICENCE_ACCEPT})
            self.fields["business_licence"].help_text = _(
                "Leave empty to keep the file you uploaded; PDF, JPEG or PNG.")
        elif merchants is not None and merchants.exists():
            self.fields["merchant"].queryset = merchants
        else:
            del self.fields["kind"], self.fields["merchant"]

    def service_arguments(self) -> dict:
        """The cleaned values under the service's argument names."""
        data = self.cleaned_data
        arguments = {field: data[field] for field in (
            "name", "uscc", "legal_representative", "contact_name", "contact_phone",
            "contact_email")}
        arguments["business_licence"] = data.get("business_licence") or None
        if "kind" in self.fields:
            arguments["kind"] = data["kind"]
            arguments["merchant"] = data.get("merchant") if data["kind"] == IsvKind.SELF \
                else None
        return arguments


def role_choices(*, may_manage_owners: bool) -> list[tuple[str, str]]:
    return [(value, label) for value, label in MemberRole.choices
            if may_manage_owners or value != MemberRole.OWNER]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices,
                             initial=MemberRole.DEVELOPER)

    def __init__(self, *args, may_manage_owners: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(may_manage_owners=may_manage_owners)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices,
                             widget=forms.Select(attrs={"aria-label": _("Role")}))

    def __init__(self, *args, may_manage_owners: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(may_manage_owners=may_manage_owners)
