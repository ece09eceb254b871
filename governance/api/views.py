"""Governance actions on the ISV, its apps and its merchants; evidence for rectification orders."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from governance import selectors, services
from governance.api.serializers import EvidenceSubmitSerializer, GovernanceActionSerializer
from governance.filtersets import GovernanceActionFilterSet
from governance.models import GovernanceAction
from isv.api.base import IsvApiViewSet
from openplatform.api.idempotency import idempotent
from openplatform.api.schema import (
    DETAIL_ERRORS,
    IDEMPOTENCY_KEY,
    IDEMPOTENT_ERRORS,
    READ_ERRORS,
    problems,
)

ACTION_EXAMPLE = {
    "id": 7, "kind": "rectify", "target_type": "merchant", "target_id": "42",
    "reason_code": "licence_expired", "reason": "The business licence has expired.",
    "deadline": "2026-12-10T08:00:00+08:00",
    "evidence_required": "A photo of the renewed licence.",
    "statement": "The licence was renewed on 1 December.", "has_evidence": True,
    "state": "evidence_submitted", "decision_note": "", "restricted_packs": [],
    "created_at": "2026-11-26T08:00:00+08:00", "resolved_at": None,
}


@extend_schema_view(
    list=extend_schema(
        tags=["governance"], summary="List governance actions on your ISV",
        description="Warnings, rectification orders, restrictions, suspensions, clear-outs "
                    "and reinstatements on your ISV, its apps and its merchants, newest "
                    "first, cursor-paginated.",
        responses={200: GovernanceActionSerializer(many=True), **problems(400, *READ_ERRORS)}),
    retrieve=extend_schema(
        tags=["governance"], summary="Get one governance action",
        responses={200: GovernanceActionSerializer, **problems(*DETAIL_ERRORS)},
        examples=[OpenApiExample("Rectification order", response_only=True,
                                 value=ACTION_EXAMPLE)]),
)
class GovernanceActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IsvApiViewSet):
    queryset = GovernanceAction.objects.none()
    serializer_class = GovernanceActionSerializer
    filterset_class = GovernanceActionFilterSet

    def get_isv_queryset(self):
        return selectors.actions_for_isv(isv=self.isv)

    @extend_schema(
        tags=["governance"], summary="Answer a rectification order",
        description="Send a statement and, optionally, one supporting document (PDF, JPEG or "
                    "PNG, at most 512 KiB, base64-encoded): an open order moves to "
                    "`evidence_submitted` for platform staff to review. Conflicts: 409 "
                    "`not_a_rectification`, `deadline_passed`, `illegal_transition`.",
        request=EvidenceSubmitSerializer, parameters=[IDEMPOTENCY_KEY],
        responses={200: GovernanceActionSerializer, **problems(*IDEMPOTENT_ERRORS, 404)},
        examples=[
            OpenApiExample("Statement and document", request_only=True, value={
                "statement": "The licence was renewed on 1 December.",
                "evidence": {"file_name": "licence.pdf", "content_base64": "JVBERi0xLjQK"}}),
            OpenApiExample("Evidence submitted", response_only=True, value=ACTION_EXAMPLE),
        ],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def evidence(self, request, pk=None):
        governance_action = self.get_object()
        serializer = EvidenceSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        governance_action = services.rectification_submit_evidence(
            action=governance_action, actor=None,
            statement=serializer.validated_data["statement"],
            evidence=serializer.validated_data.get("evidence"))
        return Response(GovernanceActionSerializer(governance_action).data)
