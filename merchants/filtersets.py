"""One FilterSet per list of merchants: the ISV API (and the portal) filter the same way."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant


class MerchantFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=MerchantState.choices,
                                                label=_("state"))
    mcc = django_filters.CharFilter(label=_("merchant category code (MCC)"))
    created_at = django_filters.IsoDateTimeFromToRangeFilter(label=_("created at"))
    q = django_filters.CharFilter(method="search", label=_("search"),
                                  help_text=_("Part of the short or legal name, or the "
                                              "external ID."))

    class Meta:
        model = Merchant
        fields = ["state", "mcc", "created_at"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(short_name__icontains=value) | Q(legal_name__icontains=value)
                               | Q(external_id__icontains=value))


class AuthorizationFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=AuthorizationState.choices,
                                                label=_("state"))
    app = django_filters.NumberFilter(field_name="app_id", label=_("app"))
    merchant = django_filters.NumberFilter(field_name="merchant_id", label=_("merchant"))

    class Meta:
        model = Authorization
        fields = ["state", "app", "merchant"]
