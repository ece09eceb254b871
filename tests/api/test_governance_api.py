"""The ISV API's governance actions: the ISV's own list, and evidence for rectification orders."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from governance import services
from governance.api.serializers import EVIDENCE_MAX_BYTES
from governance.choices import ActionState
from governance.models import GovernanceAction
from merchants.choices import MerchantState
from openplatform.audit.models import AuditEvent
from tests import factories
from tests.api.isv_api_support import client_for

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 renewed licence"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rectify(target, **overrides):
    return services.governance_order_rectification(
        target=target, actor=None, reason_code="licence_expired",
        reason="The business licence has expired.",
        evidence_required="A photo of the renewed licence.", **overrides)


def _live_merchant(isv):
    return factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)


def _evidence_url(action) -> str:
    return f"/api/v1/governance-actions/{action.pk}/evidence"


def _evidence(content: bytes = PDF, file_name: str = "licence.pdf") -> dict:
    return {"file_name": file_name, "content_base64": base64.b64encode(content).decode()}


def test_list_shows_the_isvs_actions_newest_first_and_no_others(app):
    on_merchant = _rectify(_live_merchant(app.isv))
    on_app = services.governance_warn(target=app, actor=None, reason_code="late_filing",
                                      reason="Filing is late.")
    _rectify(_live_merchant(factories.make_isv()))  # another ISV's

    response = client_for(app).get("/api/v1/governance-actions/")

    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [on_app.pk, on_merchant.pk]
    assert rows[1] | {"created_at": None} == {
        "id": on_merchant.pk, "kind": "rectify", "target_type": "merchant",
        "target_id": str(on_merchant.merchant_id), "reason_code": "licence_expired",
        "reason": "The business licence has expired.",
        "deadline": rows[1]["deadline"], "evidence_required": "A photo of the renewed licence.",
        "statement": "", "has_evidence": False, "state": "open", "decision_note": "",
        "restricted_packs": [], "created_at": None, "resolved_at": None,
    }
    assert rows[0]["target_id"] == str(app.pk)


def test_list_filters_by_state(app):
    open_order = _rectify(_live_merchant(app.isv))
    warning = services.governance_warn(target=app.isv, actor=None, reason_code="late_filing",
                                       reason="Filing is late.")
    services.governance_action_acknowledge(action=warning, actor=None)

    response = client_for(app).get("/api/v1/governance-actions/?state=open")

    assert [row["id"] for row in response.json()["results"]] == [open_order.pk]


def test_restriction_lists_its_pack_codes(app):
    restriction = services.governance_restrict(
        target=_live_merchant(app.isv), actor=None, reason_code="credit_misuse",
        reason="Credit scores queried without consent.",
        packs=[factories.get_pack("credit_score")])

    body = client_for(app).get(f"/api/v1/governance-actions/{restriction.pk}/").json()

    assert body["restricted_packs"] == ["credit_score"]


def test_another_isvs_action_is_404_and_stays_unchanged(app):
    theirs = _rectify(_live_merchant(factories.make_isv()))
    api = client_for(app)

    assert api.get(f"/api/v1/governance-actions/{theirs.pk}/").status_code == 404
    response = api.post(_evidence_url(theirs), {"statement": "Fixed."}, format="json")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    theirs.refresh_from_db()
    assert (theirs.state, theirs.statement) == (ActionState.OPEN, "")


def test_evidence_moves_an_open_order_to_evidence_submitted(app):
    order = _rectify(_live_merchant(app.isv))

    response = client_for(app).post(_evidence_url(order), {
        "statement": "The licence was renewed.", "evidence": _evidence()}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["statement"], body["has_evidence"]) == (
        "evidence_submitted", "The licence was renewed.", True)
    order.refresh_from_db()
    assert order.state == ActionState.EVIDENCE_SUBMITTED
    assert order.statement == "The licence was renewed."
    assert order.evidence.name.endswith(".pdf")
    with order.evidence.open("rb") as stored:
        assert stored.read() == PDF
    assert AuditEvent.objects.filter(action="governance.rectification_evidence_submitted").exists()


def test_statement_alone_is_enough(app):
    order = _rectify(app.isv)

    response = client_for(app).post(_evidence_url(order), {"statement": "Done."}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["has_evidence"] is False


@pytest.mark.parametrize(("evidence", "field", "code"), [
    (_evidence(b"x" * (EVIDENCE_MAX_BYTES + 1)), "evidence.content_base64", "too_large"),
    ({"file_name": "licence.pdf", "content_base64": "not base64!"},
     "evidence.content_base64", "invalid"),
    (_evidence(file_name="licence.exe"), "evidence.file_name", "file_type"),
    (_evidence(file_name="licence"), "evidence.file_name", "file_type"),
    (_evidence(file_name="../licence.pdf"), "evidence.file_name", "invalid"),
    (_evidence(file_name=f"{'a' * 97}.pdf"), "evidence.file_name", "max_length"),
    ({"content_base64": "JVBERi0="}, "evidence.file_name", "required"),
])
def test_bad_evidence_is_400_with_field_and_code(app, evidence, field, code):
    order = _rectify(_live_merchant(app.isv))

    response = client_for(app).post(_evidence_url(order), {
        "statement": "Renewed.", "evidence": evidence}, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_error"
    assert {"field": field, "code": code} in [
        {"field": error["field"], "code": error["code"]} for error in response.json()["errors"]]
    order.refresh_from_db()
    assert order.state == ActionState.OPEN


def test_evidence_for_a_warning_is_409_not_a_rectification(app):
    warning = services.governance_warn(target=app, actor=None, reason_code="late_filing",
                                       reason="Filing is late.")

    response = client_for(app).post(_evidence_url(warning), {"statement": "Sorry."},
                                    format="json")

    assert (response.status_code, response.json()["code"]) == (409, "not_a_rectification")
    assert response["Content-Type"] == "application/problem+json"


def test_evidence_after_the_deadline_is_409_deadline_passed(app):
    order = _rectify(_live_merchant(app.isv))
    GovernanceAction.objects.filter(pk=order.pk).update(
        deadline=timezone.now() - timedelta(minutes=1))

    response = client_for(app).post(_evidence_url(order), {"statement": "Late."}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "deadline_passed")
    order.refresh_from_db()
    assert order.state == ActionState.OPEN


def test_read_scope_cannot_submit_evidence(app):
    order = _rectify(app.isv)

    response = client_for(app, scope="isv:read").post(_evidence_url(order), {"statement": "x"},
                                                      format="json")

    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")


def test_evidence_replays_with_the_same_idempotency_key(app):
    order = _rectify(_live_merchant(app.isv))
    api = client_for(app)
    body = {"statement": "The licence was renewed.", "evidence": _evidence()}

    first = api.post(_evidence_url(order), body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    replay = api.post(_evidence_url(order), body, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert first.status_code == replay.status_code == 200
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(
        action="governance.rectification_evidence_submitted").count() == 1
