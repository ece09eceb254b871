import django_filters
from django.utils.translation import gettext_lazy

from governance.choices import ActionState
from governance.models import GovernanceAction


class GovernanceActionFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=ActionState.choices,
                                                label=gettext_lazy("state"))

    class Meta:
        model = GovernanceAction
        fields = ["state"]
