"""FilterSets for the ISV's events and webhook endpoints (API and portal)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from openplatform.events.choices import EndpointState
from openplatform.events.models import Event, WebhookEndpoint


class EventFilterSet(django_filters.FilterSet):
    type = django_filters.CharFilter(label=_("type"))
    type_prefix = django_filters.CharFilter(field_name="type", lookup_expr="startswith",
                                            label=_("type starts with"))
    app = django_filters.NumberFilter(field_name="app_id", label=_("app"))
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at",
                                                     lookup_expr="gte", label=_("created after"))
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at",
                                                      lookup_expr="lt",
                                                      label=_("created before"))

    class Meta:
        model = Event
        fields = ["type", "type_prefix", "app", "created_after", "created_before"]


class WebhookEndpointFilterSet(django_filters.FilterSet):
    app = django_filters.NumberFilter(field_name="app_id", label=_("app"))
    state = django_filters.ChoiceFilter(choices=EndpointState.choices, label=_("state"))

    class Meta:
        model = WebhookEndpoint
        fields = ["app", "state"]
