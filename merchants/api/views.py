"""The ISV's merchants: onboarding, editing, submission, authorization links, authorizations."""


from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response

from isv.api.base import IsvApiViewSet
from merchants import selectors
from merchants.api.serializers import (
    AuthorizationLinkRequestSerializer,
    AuthorizationLinkSerializer,
    AuthorizationRevokeSerializer,
    AuthorizationSerializer,
    MerchantInputSerializer,
    MerchantPatchSerializer,
    MerchantSerializer,
    ValidationResultSerializer,
)
from merchants.choices import EDITABLE_MERCHANT_STATES
from merchants.filtersets import AuthorizationFilterSet, MerchantFilterSet
from merchants.models import Authorization, Merchant
from merchants.services.authorizations import authorization_link_make, authorization_revoke
from merchants.services.lifecycle import merchant_submit
from merchants.services.onboarding import (
    INPUT_FIELDS,
    MODEL_INPUT_FIELDS,
    PII_INPUT_FIELDS,
    MerchantInput,
    merchant_onboard,
    merchant_update,
    merchant_validate,
)
from openplatform.api.idempotency import idempotent
from openplatform.api.schema import (
    AUTHORIZATION_URL,
    DETAIL_ERRORS,
    IDEMPOTENCY_KEY,
    IDEMPOTENT_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    problems,
)
from openplatform.api.serializers import require_no_body

MERCHANT_REQUEST = {
    "external_id": "shop-0042", "legal_name": "上海示例商贸有限公司", "short_name": "示例小店",
    "uscc": "91310000000000042X", "legal_rep_name": "王五",
    "legal_rep_id_number": "110105198001010011", "settlement_account_name": "上海示例商贸有限公司",
    "settlement_bank_name": "中国工商银行", "settlement_account": "6222020000000000428",
    "contact_phone": "13912345678", "contact_email": "boss@example.com", "mcc": "5411",
    "address": "上海市浦东新区世纪大道100号", "business_scope": "日用百货零售",
    "website": "shop.example.com",
}
MERCHANT_RESPONSE = {
    "id": 42, "external_id": "shop-0042", "legal_name": "上海示例商贸有限公司",
    "short_name": "示例小店", "uscc": "91310000000000042X", "legal_rep_name": "王*",
    "legal_rep_id_number": "110***********0011", "settlement_account_name": "上海示例商贸有限公司",
    "settlement_bank_name": "中国工商银行", "settlement_account": "6222 **** 0428",
    "contact_phone": "139****5678", "contact_email": "boss@example.com", "mcc": "5411",
    "address": "上海市浦东新区世纪大道100号", "business_scope": "日用百货零售",
    "website": "shop.example.com", "state": "draft", "rejection_reason_code": "",
    "rejection_reason_message": "", "rectification_deadline": None, "submitted_at": None,
    "activated_at": None, "created_at": "2026-11-26T08:00:00+08:00",
    "updated_at": "2026-11-26T08:00:00+08:00",
}
MERCHANT_EXAMPLES = [
    OpenApiExample("Merchant", request_only=True, value=MERCHANT_REQUEST),
    OpenApiExample("Merchant (masked)", response_only=True, value=MERCHANT_RESPONSE),
]


@extend_schema_view(
    list=extend_schema(
        tags=["merchants"], summary="List your merchants",
        description="Newest first, cursor-paginated; personal data masked.",
        responses={200: MerchantSerializer(many=True), **problems(400, *READ_ERRORS)}),
    retrieve=extend_schema(
        tags=["merchants"], summary="Get one of your merchants",
        responses={200: MerchantSerializer, **problems(*DETAIL_ERRORS)},
        examples=[MERCHANT_EXAMPLES[1]]),
)
class MerchantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IsvApiViewSet):
    queryset = Merchant.objects.none()
    serializer_class = MerchantSerializer
    filterset_class = MerchantFilterSet

    def get_isv_queryset(self):
        return selectors.merchant_list_for_isv(isv=self.isv)

    @extend_schema(
        tags=["merchants"], summary="Onboard a merchant (draft)",
        description="Idempotent on `external_id`: the same `external_id` with the same data "
                    "returns the existing merchant with 200; with other data, 409 "
                    "`external_id_conflict`. Every field error comes back at once (400 "
                    "`validation_error`); unknown fields are `unknown_field` errors.",
        parameters=[IDEMPOTENCY_KEY], request=MerchantInputSerializer,
        responses={201: MerchantSerializer, 200: MerchantSerializer,
                   **problems(*IDEMPOTENT_ERRORS)},
        examples=MERCHANT_EXAMPLES,
    )
    @idempotent
    def create(self, request):
        merchant, created = merchant_onboard(isv=self.isv, actor=None,
                                             data=self._input(request))
        return Response(MerchantSerializer(merchant).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        tags=["merchants"], summary="Edit a draft or rectifying merchant",
        description="Only the fields sent change. Other states: 409 `merchant_not_editable`.",
        request=MerchantPatchSerializer,
        responses={200: MerchantSerializer, **problems(*WRITE_ERRORS, 404, 409)},
        examples=[OpenApiExample("Fix the phone", request_only=True,
                                 value={"contact_phone": "13812345678"}),
                  MERCHANT_EXAMPLES[1]],
    )
    def partial_update(self, request, pk=None):
        merchant = self.get_object()
        serializer = MerchantPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        current = {name: getattr(merchant, name) for name in MODEL_INPUT_FIELDS}
        if merchant.state in EDITABLE_MERCHANT_STATES:
            current["legal_rep_id_number"] = merchant.reveal_legal_rep_id_number()
            current["settlement_account"] = merchant.reveal_settlement_account()
        else:
            current.update(dict.fromkeys(PII_INPUT_FIELDS, ""))
        data = MerchantInput(**{**current, **serializer.validated_data})
        merchant = merchant_update(merchant=merchant, actor=None, data=data)
        return Response(MerchantSerializer(merchant).data)

    @extend_schema(
        tags=["merchants"], summary="Submit a draft for screening",
        description="Moves a draft to `submitted`; screening against the negative list runs "
                    "right after and the result arrives as a `merchant.*` webhook. Other "
                    "states: 409 `illegal_transition`.",
        request=None, parameters=[IDEMPOTENCY_KEY],
        responses={200: MerchantSerializer, **problems(*IDEMPOTENT_ERRORS, 404)},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, pk=None):
        require_no_body(request)
        merchant = merchant_submit(merchant=self.get_object(), actor=None)
        return Response(MerchantSerializer(merchant).data)

    @extend_schema(
        tags=["merchants"], summary="Validate a merchant without saving (dry run)",
        description="Returns `{\"valid\": true}`, or 400 `validation_error` listing every "
                    "field error at once. Nothing is saved.",
        request=MerchantInputSerializer,
        responses={200: ValidationResultSerializer, **problems(*WRITE_ERRORS)},
        examples=[OpenApiExample("Merchant", request_only=True, value=MERCHANT_REQUEST),
                  OpenApiExample("Valid", response_only=True, value={"valid": True})],
    )
    @action(detail=False, methods=["post"])
    def validate(self, request):
        errors = merchant_validate(isv=self.isv, data=self._input(request))
        if errors:
            raise ValidationError(errors)
        return Response({"valid": True})

    @extend_schema(
        tags=["authorizations"], summary="Make an authorization link for a merchant",
        description=(
            "Returns the URL of the platform's consent page for this app and merchant "
            f"(`{AUTHORIZATION_URL}` with `client_id`, `response_type=code`, `scope` and "
            "`redirect_uri`). Before sending the merchant there, **add your own PKCE "
            "`code_challenge` (S256) with `code_challenge_method=S256`, and a `state`** that "
            "you check on the redirect: PKCE is required and the code verifier must never "
            "leave your server. The merchant consents; you exchange the code at "
            "`/oauth/token/` for tokens acting for that merchant. The app must hold an "
            "active subscription to each pack (400 `pack_not_subscribed`); the merchant must "
            "be active or rectifying (409 `merchant_not_active`)."),
        request=AuthorizationLinkRequestSerializer, parameters=[IDEMPOTENCY_KEY],
        responses={200: AuthorizationLinkSerializer, **problems(*IDEMPOTENT_ERRORS, 404)},
        examples=[
            OpenApiExample("Request", request_only=True,
                           value={"packs": ["merchant_basics"],
                                  "redirect_uri": "https://isv.example.com/callback"}),
            OpenApiExample("Link", response_only=True, value={
                "authorization_url": "http://127.0.0.1:8000/oauth/authorize/?client_id=abc"
                                     "&response_type=code&scope=pack%3Amerchant_basics"
                                     "&redirect_uri=https%3A%2F%2Fisv.example.com%2Fcallback",
                "client_id": "abc", "scope": "pack:merchant_basics",
                "redirect_uri": "https://isv.example.com/callback", "merchant_id": 42}),
        ],
    )
    @action(detail=True, methods=["post"], url_path="authorization-link")
    @idempotent
    def authorization_link(self, request, pk=None):
        merchant = self.get_object()
        serializer = AuthorizationLinkRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        app = self.app
        redirect_uri = serializer.validated_data.get("redirect_uri", "")
        link = authorization_link_make(app=app, merchant=merchant,
                                       packs=serializer.validated_data["packs"],
                                       redirect_uri=redirect_uri)
        return Response({
            "authorization_url": link.url, "client_id": app.client_id, "scope": link.scope,
            "redirect_uri": link.redirect_uri, "merchant_id": merchant.pk,
        })

    def _input(self, request) -> MerchantInput:
        """The request as a MerchantInput; a wrong type or unknown field is reported together
        with the service's errors for the other fields, so that one answer lists them all."""
        serializer = MerchantInputSerializer(data=request.data)
        if serializer.is_valid():
            return MerchantInput(**serializer.validated_data)
        errors = dict(serializer.errors)
        if isinstance(request.data, dict):
            usable = {name: value for name, value in request.data.items()
                      if name in INPUT_FIELDS and name not in errors and isinstance(value, str)}
            data = MerchantInput(**{**dict.fromkeys(INPUT_FIELDS, ""), **usable})
            for name, field_errors in merchant_validate(isv=self.isv, data=data).items():
                errors.setdefault(name, [ErrorDetail(" ".join(error.messages), code=error.code)
                                         for error in field_errors])
        raise serializers.ValidationError(errors)


@extend_schema_view(list=extend_schema(
    tags=["authorizations"], summary="List the authorizations of your apps",
    description="Every merchant's grant of packs to one of your ISV's apps, newest first.",
    responses={200: AuthorizationSerializer(many=True), **problems(400, *READ_ERRORS)},
))
class AuthorizationViewSet(mixins.ListModelMixin, IsvApiViewSet):
    queryset = Authorization.objects.none()
    serializer_class = AuthorizationSerializer
    filterset_class = AuthorizationFilterSet

    def get_isv_queryset(self):
        return (Authorization.objects.filter(app__isv=self.isv)
                .select_related("app", "merchant").prefetch_related("packs"))

    @extend_schema(
        tags=["authorizations"], summary="Revoke an authorization",
        description="Revokes the merchant's authorization of the app and every token issued "
                    "under it, at once. Already revoked or expired: 409 "
                    "`illegal_transition`.",
        request=AuthorizationRevokeSerializer, parameters=[IDEMPOTENCY_KEY],
        responses={200: AuthorizationSerializer, **problems(*IDEMPOTENT_ERRORS, 404)},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def revoke(self, request, pk=None):
        authorization = self.get_object()
        serializer = AuthorizationRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        authorization = authorization_revoke(
            authorization=authorization, actor=None,
            reason=serializer.validated_data["reason"])
        return Response(AuthorizationSerializer(authorization).data)
