"""Webhook endpoints and the events sent to them (ISV API, client-credentials token)."""

from datetime import timedelta

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from isv.api.base import IsvApiViewSet
from isv.selectors import apps_for_isv
from openplatform.api.idempotency import idempotent
from openplatform.api.pagination import ApiCursorPagination
from openplatform.api.schema import (
    DETAIL_ERRORS,
    IDEMPOTENCY_KEY,
    IDEMPOTENT_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    problems,
)
from openplatform.api.serializers import require_no_body
from openplatform.events import selectors, services
from openplatform.events.api.serializers import (
    EventDetailSerializer,
    EventSerializer,
    RotatedSecretSerializer,
    RotateSecretSerializer,
    WebhookEndpointCreateSerializer,
    WebhookEndpointSerializer,
    WebhookEndpointUpdateSerializer,
    WebhookEndpointWithSecretSerializer,
)
from openplatform.events.filtersets import EventFilterSet, WebhookEndpointFilterSet
from openplatform.events.models import Event, WebhookEndpoint

ENDPOINT_EXAMPLE = {
    "id": 5, "app": 3, "url": "https://pos.example.com/webhooks/open-platform",
    "description": "Production receiver", "event_types": ["merchant.activated",
                                                          "merchant.rejected"],
    "state": "enabled", "disabled_reason": "", "failing_since": None,
    "secret_rotation_ends_at": None, "created_at": "2026-11-26T08:00:00+08:00",
    "updated_at": "2026-11-26T08:00:00+08:00",
}
SIGNING = ("Every delivery is signed per Standard Webhooks: headers `webhook-id` (the same on "
           "every retry; deduplicate on it), `webhook-timestamp` and `webhook-signature` "
           "(`v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\">` keyed with the base64 "
           "part of your `whsec_` secret; several space-separated during a rotation). Answer "
           "2xx within 10 seconds; anything else is retried with backoff for about three "
           "days, 410 Gone disables the endpoint.")


@extend_schema_view(
    list=extend_schema(tags=["webhooks"], summary="List your webhook endpoints",
                       responses={200: WebhookEndpointSerializer(many=True),
                                  **problems(400, *READ_ERRORS)}),
    retrieve=extend_schema(tags=["webhooks"], summary="Get a webhook endpoint",
                           responses={200: WebhookEndpointSerializer,
                                      **problems(*DETAIL_ERRORS)}),
)
class WebhookEndpointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IsvApiViewSet):
    queryset = WebhookEndpoint.objects.none()
    serializer_class = WebhookEndpointSerializer
    filterset_class = WebhookEndpointFilterSet
    pagination_class = ApiCursorPagination

    def get_isv_queryset(self):
        return selectors.endpoints_for_isv(isv=self.isv)

    @extend_schema(
        tags=["webhooks"], summary="Add a webhook endpoint",
        description="An endpoint of one of your apps. Production apps need a public https "
                    "URL; sandbox apps may also use http://127.0.0.1 or localhost. The response "
                    "holds the signing secret (`whsec_…`) this once. " + SIGNING,
        request=WebhookEndpointCreateSerializer, parameters=[IDEMPOTENCY_KEY],
        responses={201: WebhookEndpointWithSecretSerializer, **problems(*IDEMPOTENT_ERRORS)},
        examples=[OpenApiExample("Create", request_only=True, value={
            "app": 3, "url": "https://pos.example.com/webhooks/open-platform",
            "event_types": ["merchant.activated", "merchant.rejected"],
            "description": "Production receiver"})],
    )
    @idempotent
    def create(self, request):
        serializer = WebhookEndpointCreateSerializer(data=request.data,
                                                     apps=apps_for_isv(isv=self.isv))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        endpoint, secret = services.webhook_endpoint_create(
            app=data["app"], actor=None, url=data["url"], event_types=data["event_types"],
            description=data.get("description", ""))
        body = WebhookEndpointWithSecretSerializer(endpoint, context={"secret": secret}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["webhooks"], summary="Change a webhook endpoint",
        request=WebhookEndpointUpdateSerializer,
        responses={200: WebhookEndpointSerializer, **problems(*WRITE_ERRORS, 404)},
        examples=[OpenApiExample("Every event", request_only=True,
                                 value={"event_types": ["*"]}),
                  OpenApiExample("Updated", response_only=True, value=ENDPOINT_EXAMPLE)],
    )
    def partial_update(self, request, pk=None):
        endpoint = self.get_object()
        serializer = WebhookEndpointUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.webhook_endpoint_update(endpoint=endpoint, actor=None,
                                                    **serializer.validated_data)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(tags=["webhooks"], summary="Delete a webhook endpoint",
                   description="Its delivery log goes with it; the events stay.",
                   responses={204: None, **problems(*DETAIL_ERRORS)})
    def destroy(self, request, pk=None):
        services.webhook_endpoint_delete(endpoint=self.get_object(), actor=None)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=["webhooks"], summary="Rotate an endpoint's signing secret",
        description="Returns the new secret this once. During the overlap (default 24 h) "
                    "each delivery carries two signatures, one per secret, so you can switch "
                    "your receiver without losing a message.",
        request=RotateSecretSerializer, parameters=[IDEMPOTENCY_KEY],
        responses={200: RotatedSecretSerializer, **problems(*IDEMPOTENT_ERRORS, 404)},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    @idempotent
    def rotate_secret(self, request, pk=None):
        endpoint = self.get_object()
        serializer = RotateSecretSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hours = serializer.validated_data.get("overlap_hours")
        secret = services.webhook_endpoint_rotate_secret(
            endpoint=endpoint, actor=None,
            overlap=None if hours is None else timedelta(hours=hours))
        endpoint.refresh_from_db()
        return Response({"secret": secret,
                         "previous_secret_signs_until": endpoint.previous_secret_expires_at})

    @extend_schema(tags=["webhooks"], summary="Enable a webhook endpoint", request=None,
                   responses={200: WebhookEndpointSerializer, **problems(*WRITE_ERRORS, 404,
                                                                         409)})
    @action(detail=True, methods=["post"])
    def enable(self, request, pk=None):
        require_no_body(request)
        endpoint = services.webhook_endpoint_enable(endpoint=self.get_object(), actor=None)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(tags=["webhooks"], summary="Disable a webhook endpoint",
                   description="Nothing more is sent to it; deliveries still pending for it "
                               "are given up (resend them once it is enabled again).",
                   request=None,
                   responses={200: WebhookEndpointSerializer, **problems(*WRITE_ERRORS, 404,
                                                                         409)})
    @action(detail=True, methods=["post"])
    def disable(self, request, pk=None):
        require_no_body(request)
        endpoint = services.webhook_endpoint_disable(endpoint=self.get_object(), actor=None,
                                                     reason="")
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(
        tags=["webhooks"], summary="Send a test event",
        description="Queues a `webhook_endpoint.test` event for this endpoint alone; follow "
                    "its delivery at GET /api/v1/events/{id}/.",
        request=None, responses={202: EventSerializer, **problems(*WRITE_ERRORS, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        require_no_body(request)
        delivery = services.webhook_endpoint_send_test(endpoint=self.get_object(), actor=None)
        return Response(EventSerializer(delivery.event).data, status=status.HTTP_202_ACCEPTED)


class EventPagination(ApiCursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(
    list=extend_schema(tags=["events"], summary="List your events",
                       description="Everything the platform told (or will tell) your apps, "
                                   "newest first. " + SIGNING,
                       responses={200: EventSerializer(many=True),
                                  **problems(400, *READ_ERRORS)}),
    retrieve=extend_schema(tags=["events"], summary="Get an event and its deliveries",
                           description="Each delivery with its latest attempts (status, "
                                       "latency, the start of the response).",
                           responses={200: EventDetailSerializer,
                                      **problems(*DETAIL_ERRORS)}),
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IsvApiViewSet):
    queryset = Event.objects.none()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    pagination_class = EventPagination

    def get_isv_queryset(self):
        if self.action == "retrieve":
            return selectors.event_with_deliveries(isv=self.isv)
        return selectors.events_for_isv(isv=self.isv)

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer

    @extend_schema(tags=["events"], summary="Send an event again",
                   description="To every enabled endpoint of yours that wants its type, "
                               "including endpoints added since. 409 `no_endpoint` when none "
                               "does.",
                   request=None,
                   responses={202: EventDetailSerializer, **problems(*WRITE_ERRORS, 404, 409)})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        require_no_body(request)
        services.event_resend(event=self.get_object(), actor=None)
        event = selectors.event_with_deliveries(isv=self.isv).get(pk=pk)
        return Response(EventDetailSerializer(event).data, status=status.HTTP_202_ACCEPTED)
