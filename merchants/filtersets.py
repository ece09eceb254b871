"""One FilterSet per list of merchants: the ISV API and the portal filter the same way."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant
from openplatform.data import mcc
from openplatform.data.validators import validate_uscc


class MerchantFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=MerchantState.choices,
                                                label=_("state"))
    mcc = django_filters.CharFilter(label=_("merchant category code (MCC)"))
    created_at = django_filters.IsoDateTimeFromToRangeFilter(label=_("created at"))
    q = django_filters.CharFilter(method="search", label=_("search"),
                                  help_text=_("Part of the short or legal name or of the "
                                              "external ID, or the whole USCC."))

    class Meta:
        model = Merchant
        fields = ["state", "mcc", "created_at"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        try:
            # A whole, valid USCC is no part of a name: look it up by its own index alone.
            return queryset.filter(uscc=validate_uscc(value))
        except ValidationError:
            pass
        return queryset.filter(Q(short_name__icontains=value) | Q(legal_name__icontains=value)
                               | Q(external_id__icontains=value))


# The MCC groups of openplatform/data/mcc.json, in words.
MCC_CATEGORY_LABELS = {
    "retail": _("Retail"),
    "food": _("Food and drink"),
    "services": _("Services"),
    "transport": _("Transport"),
    "entertainment": _("Entertainment"),
    "healthcare": _("Healthcare"),
    "pharmacy": _("Pharmacy"),
    "education": _("Education"),
    "hotel": _("Hotels"),
    "public": _("Public services"),
    "high_risk": _("High risk"),
}


def mcc_category_choices() -> list[tuple[str, str]]:
    present = {category.category for category in mcc.all_categories()}
    return [(code, MCC_CATEGORY_LABELS.get(code, code)) for code in sorted(present)]


def _start_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class PortalMerchantFilterSet(MerchantFilterSet):
    """The portal's merchant list: the API's filters plus an MCC group and creation dates
    (whole days in the platform's time zone, compared as ranges so the index serves them)."""

    state = django_filters.MultipleChoiceFilter(
        choices=MerchantState.choices, label=_("State"),
        widget=forms.SelectMultiple(attrs={"size": 4}))
    category = django_filters.ChoiceFilter(choices=mcc_category_choices, method="in_category",
                                           label=_("Category"), empty_label=_("Any category"))
    created_from = django_filters.DateFilter(
        method="created_since", label=_("Created from"),
        widget=forms.DateInput(attrs={"type": "date"}))
    created_to = django_filters.DateFilter(
        method="created_until", label=_("Created to"),
        widget=forms.DateInput(attrs={"type": "date"}))
    q = django_filters.CharFilter(
        method="search", label=_("Search"),
        help_text=_("Name, external ID or USCC."),
        widget=forms.TextInput(attrs={"type": "search"}))

    class Meta(MerchantFilterSet.Meta):
        fields = ["state", "mcc"]

    def in_category(self, queryset, name, value):
        codes = [category.code for category in mcc.all_categories()
                 if category.category == value]
        return queryset.filter(mcc__in=codes)

    def created_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of_day(value))

    def created_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of_day(value + timedelta(days=1)))


class AuthorizationFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=AuthorizationState.choices,
                                                label=_("state"))
    app = django_filters.NumberFilter(field_name="app_id", label=_("app"))
    merchant = django_filters.NumberFilter(field_name="merchant_id", label=_("merchant"))

    class Meta:
        model = Authorization
        fields = ["state", "app", "merchant"]
