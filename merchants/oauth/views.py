"""The merchant user's side of OAuth: the consent page, "my authorizations", and the
token introspection endpoint restricted to the calling app's own tokens."""

import hashlib
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from oauth2_provider import views as dot_views
from oauth2_provider.forms import AllowForm
from oauth2_provider.models import get_access_token_model
from oauthlib.common import Request as OauthlibRequest

from catalog.models import FunctionPack
from isv.models import App
from isv.scopes import pack_codes
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant
from merchants.oauth.validator import AUTHORIZATION_CLAIM
from merchants.selectors import merchants_for_user
from merchants.services.authorizations import authorization_grant, authorization_revoke
from openplatform.errors import DomainError

# A merchant may authorize apps while it trades (a rectification does not stop it).
CONSENTING_MERCHANT_STATES = (MerchantState.ACTIVE, MerchantState.RECTIFYING)
REVOKED_BY_MERCHANT = "Revoked by the merchant user."


def _consenting_merchants(user) -> QuerySet[Merchant]:
    return merchants_for_user(user=user).filter(state__in=CONSENTING_MERCHANT_STATES)


def _active_authorizations(user) -> QuerySet[Authorization]:
    """The active authorizations of every merchant ``user`` acts for."""
    return (
        Authorization.objects.filter(merchant__in=merchants_for_user(user=user),
                                     state=AuthorizationState.ACTIVE)
        .select_related("app", "app__isv", "merchant")
        .prefetch_related("packs")
        .order_by("-granted_at", "-id")
    )


class MerchantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Merchant) -> str:
        return f"{obj.short_name} · {obj.legal_name}"


class ConsentForm(AllowForm):
    merchant = MerchantChoiceField(queryset=Merchant.objects.none(), required=False,
                                   empty_label=None, label=_("Authorize for merchant"))

    def __init__(self, *args, merchants: QuerySet[Merchant], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merchant"].queryset = merchants

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("allow") and not cleaned_data.get("merchant"):
            self.add_error("merchant", ValidationError(
                _("Choose the merchant you authorize this app for."), code="required"))
        return cleaned_data


class ConsentView(dot_views.AuthorizationView):
    """The authorize endpoint: a merchant user grants an app function packs for one merchant.

    Consent is always asked: the client cannot skip it with ``approval_prompt=auto``, since the
    user must choose the merchant each time.
    """

    template_name = "oauth/authorize.html"
    form_class = ConsentForm

    def dispatch(self, request, *args, **kwargs):
        self.merchant = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        request.GET = request.GET.copy()
        request.GET.pop("approval_prompt", None)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "merchants": _consenting_merchants(self.request.user)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        app = (
            App.objects.select_related("isv").filter(client_id=form["client_id"].value()).first()
        )
        codes = pack_codes((form["scope"].value() or "").split())
        context.update(
            application=app,
            packs=FunctionPack.objects.filter(code__in=codes).order_by("code"),
            merchants=form.fields["merchant"].queryset,
        )
        return context

    def form_valid(self, form):
        self.merchant = form.cleaned_data.get("merchant")
        try:
            return super().form_valid(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)

    def create_authorization_response(self, request, scopes, credentials, allow):
        if not allow or self.merchant is None:
            return super().create_authorization_response(request, scopes, credentials, False)
        app = App.objects.get(client_id=credentials["client_id"])
        packs = list(FunctionPack.objects.filter(code__in=pack_codes(scopes.split())))
        if not packs:
            # No pack asked for: oauthlib refuses the scopes and no authorization is made.
            return super().create_authorization_response(request, scopes, credentials, allow)
        # The authorization and the code are kept together or not at all: a request that
        # oauthlib refuses (scope, redirect URI, PKCE) grants nothing.
        with transaction.atomic():
            authorization = authorization_grant(merchant=self.merchant, app=app, packs=packs,
                                                actor=request.user)
            credentials = {**credentials, "claims": {AUTHORIZATION_CLAIM: authorization.pk}}
            uri, headers, body, status = super().create_authorization_response(
                request, scopes, credentials, allow)
            if "code" not in parse_qs(urlsplit(uri or "").query):
                transaction.set_rollback(True)
        return uri, headers, body, status


class IntrospectTokenView(dot_views.IntrospectTokenView):
    """RFC 7662 introspection for the calling app's own tokens: another app's token reads as
    inactive, so that introspection tells one tenant nothing about another."""

    http_method_names = ["post", "options"]

    def authenticate_client(self, request) -> bool:
        core = self.get_oauthlib_core()
        oauth_request = OauthlibRequest(*core._extract_params(request))
        authenticated = core.server.request_validator.authenticate_client(oauth_request)
        self.client = oauth_request.client if authenticated else None
        return authenticated

    def post(self, request, *args, **kwargs):
        token_value = request.POST.get("token")
        if token_value is not None:
            checksum = hashlib.sha256(token_value.encode("utf-8")).hexdigest()
            owned = get_access_token_model().objects.filter(
                token_checksum=checksum, application=getattr(self, "client", None))
            if not owned.exists():
                return JsonResponse({"active": False})
        return self.get_token_response(token_value)


@login_required
def my_authorizations(request: HttpRequest) -> HttpResponse:
    return render(request, "oauth/my_authorizations.html",
                  {"authorizations": _active_authorizations(request.user)})


@login_required
@require_POST
def my_authorization_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    authorization = get_object_or_404(_active_authorizations(request.user), pk=pk)
    authorization_revoke(authorization=authorization, actor=request.user,
                         reason=REVOKED_BY_MERCHANT)
    messages.success(request, gettext("%(app)s can no longer act for %(merchant)s.") % {
        "app": authorization.app.name, "merchant": authorization.merchant.short_name})
    return redirect("oauth:my-authorizations")
