"""FilterSets for the ISV's own lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from isv.choices import SubscriptionState
from isv.models import Subscription


class SubscriptionFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=SubscriptionState.choices,
                                                label=_("state"))
    pack = django_filters.CharFilter(field_name="pack__code", label=_("function pack"))

    class Meta:
        model = Subscription
        fields = ["state", "pack"]
