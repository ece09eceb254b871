"""The portal's forms: registration (KYB), the team, apps and catalog subscriptions. They
validate input; the services in ``isv/services/`` decide, and their field errors land beside
the fields here."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from isv.choices import AppEnvironment, IsvKind, MemberRole
from isv.models import App, Isv
from isv.services.apps import CLIENT_SECRET_DEFAULT_OVERLAP_HOURS, CLIENT_SECRET_MAX_OVERLAP_HOURS

LICENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class MerchantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.short_name} · {obj.legal_name}"


class RegistrationForm(forms.Form):
    """The company's registration; ``kind`` and ``merchant`` only when registering."""

    kind = forms.ChoiceField(label=_("Who is registering"), choices=IsvKind.choices,
                             initial=IsvKind.COMPANY, widget=forms.RadioSelect)
    merchant = MerchantChoiceField(
        label=_("Your merchant"), queryset=None, required=False,
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


# --- Apps and subscriptions -----------------------------------------------------------------

REDIRECT_URIS_HELP = _("One per line. https only; a sandbox app may also use "
                       "http://127.0.0.1 or http://localhost. Leave empty if the app only "
                       "acts as itself (client credentials).")


class AppForm(forms.Form):
    """What the developer describes of an app; ``environment`` only when creating it."""

    name = forms.CharField(label=_("Name"), max_length=255)
    environment = forms.ChoiceField(
        label=_("Environment"), choices=AppEnvironment.choices, initial=AppEnvironment.SANDBOX,
        widget=forms.RadioSelect,
        help_text=_("Sandbox apps go live at once and call the sandbox; production apps go "
                    "live after the platform reviews them."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    redirect_uris = forms.CharField(label=_("Redirect URIs"), required=False,
                                    help_text=REDIRECT_URIS_HELP,
                                    widget=forms.Textarea(attrs={"rows": 3,
                                                                 "spellcheck": "false"}))

    def __init__(self, *args, app: App | None = None, **kwargs):
        if app is not None:
            kwargs.setdefault("initial", {
                "name": app.name, "description": app.description,
                "redirect_uris": "\n".join(app.redirect_uris.split()),
            })
        super().__init__(*args, **kwargs)
        if app is not None:
            del self.fields["environment"]

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class RotateSecretForm(forms.Form):
    overlap_hours = forms.IntegerField(
        label=_("Keep the old secret working for (hours)"), min_value=0,
        max_value=CLIENT_SECRET_MAX_OVERLAP_HOURS, initial=CLIENT_SECRET_DEFAULT_OVERLAP_HOURS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overlap_hours"].help_text = gettext(
            "Time to deploy the new secret: 0 to %(hours)d hours. Choose 0 if the old secret "
            "leaked.") % {"hours": CLIENT_SECRET_MAX_OVERLAP_HOURS}


class AppChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: App) -> str:
        return f"{obj.name} · {obj.get_environment_display()}"


class SubscribeForm(forms.Form):
    """Subscribe one of the ISV's apps to a pack or a solution."""

    app = AppChoiceField(label=_("App"), queryset=App.objects.none(),
                         empty_label=_("Choose an app"))

    def __init__(self, *args, apps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["app"].queryset = apps
