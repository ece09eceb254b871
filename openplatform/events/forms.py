"""The portal's webhook endpoint forms; ``openplatform.events.services`` decides."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from openplatform.events import registry
from openplatform.events.models import WebhookEndpoint

ALL_EVENT_TYPES = "*"


def event_type_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The registry's types grouped by family (the part before the first dot), in order."""
    families: dict[str, list[tuple[str, str]]] = {}
    for name in registry.event_types():
        families.setdefault(name.split(".", 1)[0], []).append((name, name))
    return list(families.items())


class EndpointForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https",
                         widget=forms.URLInput(attrs={"spellcheck": "false"}),
                         help_text=_("Where we POST the events: https on a public address "
                                     "(a sandbox app may also use http://127.0.0.1)."))
    all_event_types = forms.BooleanField(label=_("Every event type, present and future"),
                                         required=False)
    event_types = forms.MultipleChoiceField(label=_("Event types"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args, endpoint: WebhookEndpoint | None = None, **kwargs):
        if endpoint is not None:
            every = ALL_EVENT_TYPES in endpoint.event_types
            kwargs.setdefault("initial", {
                "url": endpoint.url, "description": endpoint.description,
                "all_event_types": every,
                "event_types": [] if every else endpoint.event_types,
            })
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = event_type_choices()

    def clean(self):
        data = super().clean()
        if not data.get("all_event_types") and not data.get("event_types"):
            self.add_error("event_types", gettext("Choose at least one event type, or every "
                                                  "event type."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "url": data["url"], "description": data["description"],
            "event_types": [ALL_EVENT_TYPES] if data["all_event_types"]
            else data["event_types"],
        }


class EndpointRotateSecretForm(forms.Form):
    overlap_hours = forms.IntegerField(
        label=_("Keep signing with the old secret too for (hours)"), min_value=0,
        max_value=settings.WEBHOOKS["MAX_SECRET_OVERLAP_HOURS"],
        initial=settings.WEBHOOKS["DEFAULT_SECRET_OVERLAP_HOURS"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overlap_hours"].help_text = gettext(
            "During the overlap every delivery carries both signatures: 0 to %(hours)d "
            "hours.") % {"hours": settings.WEBHOOKS["MAX_SECRET_OVERLAP_HOURS"]}
