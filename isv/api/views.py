"""The ISV's apps and their subscriptions to function packs."""

from django_filters.utils import translate_validation
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from isv import selectors
from isv.api.base import IsvApiViewSet
from isv.api.serializers import (
    AppSerializer,
    SubscriptionCreateSerializer,
    SubscriptionListSerializer,
    SubscriptionSerializer,
)
from isv.choices import SubscriptionState
from isv.filtersets import SubscriptionFilterSet
from isv.models import App, Subscription
from isv.services.subscriptions import (
    subscription_cancel,
    subscription_create,
    subscription_subscribe_solution,
)
from openplatform.api.idempotency import idempotent
from openplatform.api.pagination import ApiCursorPagination
from openplatform.api.schema import (
    DETAIL_ERRORS,
    IDEMPOTENCY_KEY,
    IDEMPOTENT_ERRORS,
    READ_ERRORS,
    problems,
)
from openplatform.api.serializers import require_no_body

SUBSCRIPTION_EXAMPLE = {
    "id": 12, "app": 3, "pack": "credit_score", "solution": None, "state": "pending_review",
    "reason": "", "daily_quota": 10000, "per_second_quota": 10,
    "created_at": "2026-11-26T08:00:00+08:00", "reviewed_at": None,
}


class AppPagination(ApiCursorPagination):
    ordering = ("-created", "-id")


@extend_schema_view(
    list=extend_schema(tags=["apps"], summary="List your ISV's apps",
                       responses={200: AppSerializer(many=True), **problems(*READ_ERRORS)}),
    retrieve=extend_schema(tags=["apps"], summary="Get one of your apps",
                           responses={200: AppSerializer, **problems(*DETAIL_ERRORS)}),
)
class AppViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IsvApiViewSet):
    queryset = App.objects.none()
    serializer_class = AppSerializer
    pagination_class = AppPagination

    def get_isv_queryset(self):
        return selectors.apps_for_isv(isv=self.isv)

    @extend_schema(
        methods=["GET"], tags=["subscriptions"], summary="List an app's subscriptions",
        parameters=[OpenApiParameter("state", enum=SubscriptionState.values, many=True),
                    OpenApiParameter("pack", description="A function pack code.")],
        responses={200: SubscriptionSerializer(many=True), **problems(*DETAIL_ERRORS)},
        request=None,
    )
    @extend_schema(
        methods=["POST"], tags=["subscriptions"], summary="Subscribe an app",
        description="Subscribe the app to one function pack (`{\"pack\": \"<code>\"}`) or to "
                    "every pack of an industry solution it does not hold yet "
                    "(`{\"solution\": \"<code>\"}`), all or none. Packs that need review "
                    "come back `pending_review`; the others are `active` at once. Conflicts: "
                    "409 `already_subscribed`, `app_suspended`, `isv_not_active`.",
        parameters=[IDEMPOTENCY_KEY], request=SubscriptionCreateSerializer,
        responses={201: SubscriptionListSerializer, **problems(*IDEMPOTENT_ERRORS, 404)},
        examples=[
            OpenApiExample("One pack", request_only=True, value={"pack": "credit_score"}),
            OpenApiExample("A whole solution", request_only=True, value={"solution": "retail"}),
            OpenApiExample("Created", response_only=True, status_codes=["201"],
                           value={"subscriptions": [SUBSCRIPTION_EXAMPLE]}),
        ],
    )
    @action(detail=True, methods=["get", "post"], url_path="subscriptions")
    def subscriptions(self, request, pk=None):
        app = self.get_object()
        if request.method == "POST":
            return self._subscribe(request, app=app)
        filterset = SubscriptionFilterSet(request.query_params,
                                          queryset=selectors.subscriptions_for_app(app=app))
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        queryset = filterset.qs
        paginator = ApiCursorPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(SubscriptionSerializer(page, many=True).data)

    @idempotent
    def _subscribe(self, request, *, app):
        serializer = SubscriptionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "solution" in data:
            created = subscription_subscribe_solution(
                app=app, solution=data["solution"], actor=None)
        else:
            created = [subscription_create(app=app, pack=data["pack"], actor=None)]
        return Response({"subscriptions": SubscriptionSerializer(created, many=True).data},
                        status=status.HTTP_201_CREATED)


class SubscriptionViewSet(IsvApiViewSet):
    queryset = Subscription.objects.none()
    serializer_class = SubscriptionSerializer

    def get_isv_queryset(self):
        return Subscription.objects.filter(app__isv=self.isv).select_related("pack", "solution")

    @extend_schema(
        tags=["subscriptions"], summary="Cancel a subscription", request=None,
        parameters=[IDEMPOTENCY_KEY],
        description="Pending, active or suspended subscriptions can be cancelled; otherwise "
                    "409 `illegal_transition`.",
        responses={200: SubscriptionSerializer, **problems(*IDEMPOTENT_ERRORS, 404)},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        require_no_body(request)
        subscription = subscription_cancel(subscription=self.get_object(), actor=None)
        return Response(SubscriptionSerializer(subscription).data)
