"""The portal's forms for apps and catalog subscriptions. They validate input; the services in
``isv/services.py`` decide, and their field errors land beside the fields here."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from isv.choices import AppEnvironment
from isv.models import App
from isv.services import CLIENT_SECRET_DEFAULT_OVERLAP_HOURS, CLIENT_SECRET_MAX_OVERLAP_HOURS

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
