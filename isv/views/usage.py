"""Usage in the portal: the ISV's metered API calls per day, per capability and error code,
per app and per merchant, over the last 7 or 30 days. Finance permission.

The figures are aggregated in SQL (``isv.usage``): the page costs the same queries
for any number of calls.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from catalog.models import Capability, FunctionPack
from isv import usage
from isv.access import portal_view
from isv.models import App
from isv.permissions import Permission
from isv.selectors import apps_for_isv


class AppChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: App) -> str:
        return f"{obj.name or obj.client_id} · {obj.get_environment_display()}"


class UsageFilterForm(forms.Form):
    app = AppChoiceField(label=_("App"), queryset=App.objects.none(), required=False,
                         empty_label=_("Every app"))
    pack = forms.ModelChoiceField(label=_("Function pack"), queryset=FunctionPack.objects.none(),
                                  to_field_name="code", required=False,
                                  empty_label=_("Every pack"))
    capability = forms.ModelChoiceField(label=_("Capability"), queryset=Capability.objects.none(),
                                        to_field_name="code", required=False,
                                        empty_label=_("Every capability"))
    days = forms.TypedChoiceField(
        label=_("Period"), coerce=int, initial=usage.DEFAULT_WINDOW_DAYS, required=False,
        empty_value=usage.DEFAULT_WINDOW_DAYS)

    def __init__(self, *args, apps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["app"].queryset = apps
        self.fields["pack"].queryset = FunctionPack.objects.order_by("code")
        self.fields["capability"].queryset = Capability.objects.order_by("code")
        # Formatted per request: a lazy string formatted at import would freeze its language.
        self.fields["days"].choices = [(days, _("Last %(days)d days") % {"days": days})
                                       for days in usage.USAGE_WINDOWS]

    def usage_filter(self, *, app_ids) -> usage.UsageFilter:
        """The chosen filter; an invalid field (shown beside it) counts as not chosen."""
        data = self.cleaned_data if self.is_bound else {}
        app = data.get("app")
        pack = data.get("pack")
        capability = data.get("capability")
        return usage.UsageFilter(
            app_ids=(app.pk,) if app else app_ids,
            pack=pack.code if pack else "",
            capability=capability.code if capability else "",
            days=data.get("days") or usage.DEFAULT_WINDOW_DAYS)


@require_GET
@portal_view(Permission.VIEW_FINANCE)
def usage_page(request: HttpRequest) -> HttpResponse:
    apps = apps_for_isv(isv=request.portal.isv).order_by("name", "id")
    form = UsageFilterForm(request.GET or None, apps=apps)
    if form.is_bound:
        form.is_valid()
    usage_filter = form.usage_filter(app_ids=apps.values("id"))
    calls = usage.api_calls(usage_filter=usage_filter)
    daily = usage.daily_usage(calls=calls, days=usage_filter.days)
    return render(request, "portal/usage/usage.html", {
        "form": form,
        "days": usage_filter.days,
        "chart": usage.usage_chart(daily),
        "by_capability": usage.usage_by_capability_and_error(calls=calls),
        "by_app": usage.usage_by_app(calls=calls),
        "by_merchant": usage.usage_by_merchant(calls=calls),
    })
