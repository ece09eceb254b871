"""The payment capabilities, behind the capability gate, for the merchant the token acts for.

Each view serves one capability; it reads and changes only the trades of
``request.gate.merchant_id`` (another merchant's trade is 404 ``not_found``) and calls one
service. Refund-side calls (``payment.trade.query``, ``payment.trade.refund``,
``payment.refund.query``) declare ``serves_inactive_merchants``: the gate lets a suspended
merchant through to them (openplatform/api/gate.py, "the refund exception"), and they serve
only trades paid within the last ``REFUND_WINDOW_DAYS`` (else 403 ``merchant_suspended``), so
that buyers can still be paid back. A cleared-out merchant's authorizations and tokens are
revoked at clear-out, so its apps' calls end there (401 ``invalid_token``).
"""

from datetime import date

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from capabilities.payment import selectors, services
from capabilities.payment.api.serializers import (
    HostedTradeSerializer,
    PrecreatedTradeSerializer,
    RefundSerializer,
    TradeOpenSerializer,
    TradePaySerializer,
    TradeRefundSerializer,
    TradeSerializer,
    TradeSimulateSerializer,
)
from capabilities.payment.choices import REFUND_WINDOW_DAYS, TradeKind
from capabilities.payment.errors import PaymentError
from capabilities.payment.models import Trade
from isv.models import App
from merchants.models import Merchant
from openplatform.api.error_codes import RequestError
from openplatform.api.idempotency import idempotent
from openplatform.api.problems import PROBLEM_CONTENT_TYPE, Problem
from openplatform.api.schema import IDEMPOTENCY_KEY, ProblemSerializer, problems
from openplatform.api.serializers import require_no_body
from openplatform.api.views import CapabilityAPIView

TAGS = ["payment"]

# --- documentation ---------------------------------------------------------------------------

_GATE_403 = ("The capability gate refused the call: `app_suspended`, `isv_suspended`, "
             "`insufficient_scope`, `pack_not_subscribed`, `merchant_not_authorized` or "
             "`merchant_suspended`.")
_REFUND_SIDE_403 = (_GATE_403 + " A suspended merchant may still query and refund trades paid "
                    f"in the last {REFUND_WINDOW_DAYS} days; older ones answer "
                    "`merchant_suspended`.")


def _problem_example(status_code: int, code: str, title: str, detail: str) -> dict:
    return {"type": f"http://127.0.0.1:8000/docs/errors#{code}", "title": title,
            "status": status_code, "code": code, "detail": detail,
            "instance": "urn:request:4f0c2b…"}


def _problem(status_code: int, description: str, code: str, title: str, detail: str) -> dict:
    return {(status_code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        response=ProblemSerializer, description=description,
        examples=[OpenApiExample(code, response_only=True, status_codes=[str(status_code)],
                                 value=_problem_example(status_code, code, title, detail))])}


def gate_problems(*statuses: int, refund_side: bool = False, also_forbidden: str = "",
                  not_found: str = "No trade with out_trade_no 20261126-0001 among this "
                                   "merchant's trades.",
                  conflict: tuple[str, str, str] | None = None) -> dict:
    """problem+json responses of a capability call: the shared ones, the gate's 403 codes,
    404 with ``not_found``'s example, and 409 from ``conflict`` (its description, an example
    code and detail)."""
    responses = problems(*(code for code in statuses if code not in (403, 404, 409)))
    responses |= _problem(
        403, (_REFUND_SIDE_403 if refund_side else _GATE_403) + also_forbidden,
        "merchant_suspended", "Forbidden",
        "Merchant 示例小店 (42) is suspended by governance; calls for it are refused until it "
        "is reinstated.")
    if 404 in statuses:
        responses |= _problem(404, "`not_found`: the merchant has no such object.",
                              "not_found", "Not Found", not_found)
    if 409 in statuses:
        description, code, detail = conflict
        responses |= _problem(409, description, code, "Conflict", detail)
    return responses


OPEN_CONFLICT = ("`out_trade_no_conflict` (the number was used with another body), "
                 "`idempotency_in_flight`.", "out_trade_no_conflict",
                 "The order number 20261126-0001 was used for another trade: use a new "
                 "out_trade_no for a different order.")
TRADE_EXAMPLE = {
    "trade_no": "202611260000004217550137", "out_trade_no": "20261126-0001",
    "kind": "precreate", "subject": "Latte, large", "state": "wait_buyer_pay", "amount": 2800,
    "currency": "CNY", "refunded_amount": 0, "expires_at": "2026-11-26T12:00:00+08:00",
    "paid_at": None, "closed_at": None, "created_at": "2026-11-26T10:00:00+08:00",
}
PAID_TRADE_EXAMPLE = {**TRADE_EXAMPLE, "kind": "pay", "state": "success",
                      "paid_at": "2026-11-26T10:00:01+08:00"}
OPEN_REQUEST = {"out_trade_no": "20261126-0001", "amount": 2800, "currency": "CNY",
                "subject": "Latte, large"}
REFUND_EXAMPLE = {
    "refund_no": "202611260000000031415926", "out_refund_no": "20261126-0001-r1",
    "trade_no": "202611260000004217550137", "out_trade_no": "20261126-0001", "amount": 800,
    "currency": "CNY", "reason": "One cup was missing", "trade_state": "success",
    "trade_refunded_amount": 800, "refunded_at": "2026-11-26T11:00:00+08:00",
}
OUT_TRADE_NO = OpenApiParameter("out_trade_no", OpenApiTypes.STR, OpenApiParameter.PATH,
                                description="Your order number of the trade.")


# --- the views -------------------------------------------------------------------------------

class PaymentView(CapabilityAPIView):
    """A payment capability: JSON in and out, trades of the gate's merchant only."""

    renderer_classes = [JSONRenderer]
    # A suspended or cleared-out merchant is let through the gate (see the module docstring).
    serves_inactive_merchants = False

    def merchant_trade(self, request, out_trade_no: str) -> Trade:
        """The merchant's trade with this number, or 404; within the refund window when the
        merchant is not active."""
        trade = selectors.trade_by_out_trade_no(merchant_id=request.gate.merchant_id,
                                                out_trade_no=out_trade_no)
        if trade is None:
            raise Problem(code=RequestError.NOT_FOUND,
                          detail=_("No trade with out_trade_no %(number)s among this "
                                   "merchant's trades.") % {"number": out_trade_no})
        if request.gate.merchant_inactive:
            services.require_refund_side(trade)
        return trade

    @staticmethod
    def merchant_and_app(request) -> tuple[Merchant, App]:
        gate = request.gate
        merchant = Merchant.objects.select_related("isv").get(pk=gate.merchant_id)
        app = App.objects.select_related("isv").get(pk=gate.app_id)
        return merchant, app


def cashier_url(trade: Trade) -> str:
    """The absolute URL of the trade's cashier page, for the buyer (and its QR code)."""
    return settings.PLATFORM_BASE_URL.rstrip("/") + reverse("payment-cashier",
                                                            args=[trade.qr_token])


class TradeOpenView(PaymentView):
    """Shared by precreate (the merchant shows a QR code) and create (hosted checkout)."""

    kind: str
    url_field: str

    @idempotent
    def post(self, request):
        serializer = TradeOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        merchant, app = self.merchant_and_app(request)
        trade, created = services.trade_open(
            merchant=merchant, app=app, pack=request.gate.pack, cleared=request.gate,
            kind=self.kind,
            out_trade_no=data["out_trade_no"],
            amount=data["amount"], subject=data["subject"], actor=None,
            timeout_minutes=data.get("timeout_minutes"))
        body = {**TradeSerializer(trade).data, self.url_field: cashier_url(trade)}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _open_schema(*, capability: str, kind: str, summary: str, description: str,
                 url_field: str, serializer: type[TradeSerializer]):
    return extend_schema_view(post=extend_schema(
        operation_id=capability.replace(".", "_"), tags=TAGS,
        summary=f"{capability}: {summary}", description=description,
        parameters=[IDEMPOTENCY_KEY], request=TradeOpenSerializer,
        responses={201: serializer, 200: serializer,
                   **gate_problems(400, 401, 403, 409, 413, 422, 429,
                                   conflict=OPEN_CONFLICT)},
        examples=[
            OpenApiExample("Order", request_only=True, value=OPEN_REQUEST),
            OpenApiExample("Trade", response_only=True, status_codes=["201", "200"], value={
                **TRADE_EXAMPLE, "kind": kind,
                url_field: "http://127.0.0.1:8000/pay/t/Xq3v9Zb0kQe1s8Yt2mR4uW7hN5cJ6pLd/"}),
        ],
    ))


@_open_schema(
    capability="payment.trade.precreate", kind=TradeKind.PRECREATE,
    summary="open a trade and get a QR code for the buyer",
    description="Opens a trade waiting for the buyer and returns `qr_code`, the URL to show as "
                "a QR code: the buyer scans it and pays on the platform's cashier page. 201 "
                "when created; the same `out_trade_no` with the same body returns the same "
                "trade with 200. Amounts are integer fen, currency CNY. The trade closes by "
                "itself after `timeout_minutes` (default 120).",
    url_field="qr_code", serializer=PrecreatedTradeSerializer)
class TradePrecreateView(TradeOpenView):
    capability = "payment.trade.precreate"
    kind = TradeKind.PRECREATE
    url_field = "qr_code"


@_open_schema(
    capability="payment.trade.create", kind=TradeKind.CREATE,
    summary="open a trade for hosted checkout",
    description="Opens a trade waiting for the buyer and returns `cashier_url`, the platform's "
                "cashier page to send the buyer to (from your app or online shop). 201 when "
                "created; the same `out_trade_no` with the same body returns the same trade "
                "with 200. Amounts are integer fen, currency CNY. The trade closes by itself "
                "after `timeout_minutes` (default 120).",
    url_field="cashier_url", serializer=HostedTradeSerializer)
class TradeCreateView(TradeOpenView):
    capability = "payment.trade.create"
    kind = TradeKind.CREATE
    url_field = "cashier_url"


class TradePayView(PaymentView):
    capability = "payment.trade.pay"

    @extend_schema(
        operation_id="payment_trade_pay", tags=TAGS,
        summary="payment.trade.pay: charge the buyer's payment code at the counter",
        description="The merchant scans the payment code on the buyer's phone (`auth_code`); "
                    "the trade is opened and paid at once, or nothing happens. 201 with the "
                    "paid trade; the same `out_trade_no` and body again: 200 with the same "
                    "trade. Unknown code: 400 with field `auth_code`, code "
                    "`invalid_payment_code`.",
        parameters=[IDEMPOTENCY_KEY], request=TradePaySerializer,
        responses={201: TradeSerializer, 200: TradeSerializer,
                   **gate_problems(400, 401, 403, 409, 413, 422, 429, conflict=(
                       "`out_trade_no_conflict`, `buyer_balance_insufficient`, "
                       "`idempotency_in_flight`.", "buyer_balance_insufficient",
                       "The buyer's balance is not enough for this payment."))},
        examples=[OpenApiExample("Scan", request_only=True,
                                 value={**OPEN_REQUEST, "auth_code": "283012345678901234"}),
                  OpenApiExample("Paid", response_only=True, status_codes=["201", "200"],
                                 value=PAID_TRADE_EXAMPLE)],
    )
    @idempotent
    def post(self, request):
        serializer = TradePaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        merchant, app = self.merchant_and_app(request)
        trade, created = services.trade_pay_with_code(
            merchant=merchant, app=app, pack=request.gate.pack, cleared=request.gate,
            out_trade_no=data["out_trade_no"],
            amount=data["amount"], subject=data["subject"], payment_code=data["auth_code"],
            actor=None)
        return Response(TradeSerializer(trade).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class TradeQueryView(PaymentView):
    capability = "payment.trade.query"
    serves_inactive_merchants = True

    @extend_schema(
        operation_id="payment_trade_query", tags=TAGS, parameters=[OUT_TRADE_NO],
        summary="payment.trade.query: a trade's state and amounts",
        description="Looks the trade up by your order number.",
        responses={200: TradeSerializer,
                   **gate_problems(401, 403, 404, 429, refund_side=True)},
        examples=[OpenApiExample("Paid", response_only=True, value=PAID_TRADE_EXAMPLE)],
    )
    def get(self, request, out_trade_no: str):
        return Response(TradeSerializer(self.merchant_trade(request, out_trade_no)).data)


class TradeCloseView(PaymentView):
    capability = "payment.trade.close"

    @extend_schema(
        operation_id="payment_trade_close", tags=TAGS, parameters=[OUT_TRADE_NO, IDEMPOTENCY_KEY],
        summary="payment.trade.close: close an unpaid trade",
        description="The buyer can no longer pay it. Closing a closed trade returns it; a paid "
                    "trade cannot be closed (409 `illegal_transition`: refund it instead). No "
                    "body.",
        request=None,
        responses={200: TradeSerializer, **gate_problems(
            400, 401, 403, 404, 409, 422, 429,
            conflict=("`illegal_transition` (the trade was paid), `idempotency_in_flight`.",
                      "illegal_transition",
                      "trade “202611260000004217550137 (20261126-0001)” cannot go from Paid "
                      "to Closed."))},
        examples=[OpenApiExample("Closed", response_only=True, value={
            **TRADE_EXAMPLE, "state": "closed", "closed_at": "2026-11-26T10:05:00+08:00"})],
    )
    @idempotent
    def post(self, request, out_trade_no: str):
        require_no_body(request)
        trade = services.trade_close(trade=self.merchant_trade(request, out_trade_no),
                                     actor=None, reason=_("Closed by the merchant."))
        return Response(TradeSerializer(trade).data)


class TradeRefundView(PaymentView):
    capability = "payment.trade.refund"
    serves_inactive_merchants = True

    @extend_schema(
        operation_id="payment_trade_refund", tags=TAGS,
        parameters=[OUT_TRADE_NO, IDEMPOTENCY_KEY],
        summary="payment.trade.refund: refund part or all of a paid trade",
        description="Several refunds per trade, each with its own `out_refund_no`, up to the "
                    "paid amount; concurrent refunds never pass it. 201 with the refund; the "
                    "same `out_refund_no`, amount and reason again: 200 with the same refund. "
                    "The platform fee goes back in proportion. A suspended merchant may still "
                    f"refund trades paid in the last {REFUND_WINDOW_DAYS} days.",
        request=TradeRefundSerializer,
        responses={201: RefundSerializer, 200: RefundSerializer, **gate_problems(
            400, 401, 403, 404, 409, 413, 422, 429, refund_side=True, conflict=(
                "`trade_not_paid`, `refund_exceeds_paid` (more than what is left to refund), "
                "`out_refund_no_conflict` (the number was used for another refund), "
                "`idempotency_in_flight`.", "refund_exceeds_paid",
                "The refund (3000 fen) is more than what is left to refund (2000 fen)."))},
        examples=[OpenApiExample("Refund", request_only=True, value={
                      "out_refund_no": "20261126-0001-r1", "amount": 800,
                      "reason": "One cup was missing"}),
                  OpenApiExample("Refunded", response_only=True, status_codes=["201", "200"],
                                 value=REFUND_EXAMPLE)],
    )
    @idempotent
    def post(self, request, out_trade_no: str):
        serializer = TradeRefundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        refund, created = services.trade_refund(
            trade=self.merchant_trade(request, out_trade_no), out_refund_no=data["out_refund_no"],
            amount=data["amount"], reason=data["reason"], actor=None)
        return Response(RefundSerializer(refund).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class RefundQueryView(PaymentView):
    capability = "payment.refund.query"
    serves_inactive_merchants = True

    @extend_schema(
        operation_id="payment_refund_query", tags=TAGS,
        parameters=[OUT_TRADE_NO, OpenApiParameter(
            "out_refund_no", OpenApiTypes.STR, OpenApiParameter.PATH,
            description="Your refund number.")],
        summary="payment.refund.query: one refund of a trade",
        responses={200: RefundSerializer,
                   **gate_problems(401, 403, 404, 429, refund_side=True)},
        examples=[OpenApiExample("Refund", response_only=True, value=REFUND_EXAMPLE)],
    )
    def get(self, request, out_trade_no: str, out_refund_no: str):
        trade = self.merchant_trade(request, out_trade_no)
        refund = selectors.refund_by_out_refund_no(trade=trade, out_refund_no=out_refund_no)
        if refund is None:
            raise Problem(code=RequestError.NOT_FOUND,
                          detail=_("Trade %(trade)s has no refund %(refund)s.")
                          % {"trade": out_trade_no, "refund": out_refund_no})
        refund.trade = trade
        return Response(RefundSerializer(refund).data)


class CsvRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: text/csv``; the statement itself is a plain response,
    and a problem is still JSON (under its problem+json content type)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, accepted_media_type, renderer_context)


class BillDownloadView(PaymentView):
    capability = "payment.bill.download"
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        operation_id="payment_bill_download", tags=TAGS,
        parameters=[OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.PATH,
                                     description="The day, YYYY-MM-DD (platform time)."),
                    # Send Accept: text/csv (or nothing); no ?format= switch to document.
                    OpenApiParameter("format", exclude=True)],
        summary="payment.bill.download: a closed day's statement as CSV",
        description="One line per trade paid and per refund made that day, then the totals "
                    "(amount, fee, net, in fen; refunds negative). A day is closed after "
                    "01:00 the next day: until then, 409 `bill_not_ready`. A day without "
                    "trades or refunds has no statement: 404 `not_found`.",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, examples=[OpenApiExample(
                "Statement", response_only=True, value=(
                    "record,trade_no,out_trade_no,refund_no,out_refund_no,time,amount,fee,net\n"
                    "trade,202611260000004217550137,20261126-0001,,,2026-11-26T10:00:01+08:00,"
                    "2800,17,2783\n"
                    "total,,,,,2026-11-26,2800,17,2783\n"))]),
            **gate_problems(
                400, 401, 403, 404, 409, 429,
                not_found="There is no statement for 2026-11-26: the merchant had no trades "
                          "or refunds that day.",
                conflict=("`bill_not_ready`: the day is not closed yet; retry after 01:00 the "
                          "next day.", "bill_not_ready",
                          "The statement of 2026-11-26 is not ready: a day is closed after "
                          "01:00 the next day.")),
        },
    )
    def get(self, request, day: str):
        statement_day = _parse_day(day)
        merchant_id = request.gate.merchant_id
        statement = selectors.statement_for(merchant_id=merchant_id, day=statement_day)
        if statement is None:
            if _may_still_close(merchant_id, statement_day):
                raise Problem(code=PaymentError.BILL_NOT_READY, detail=_(
                    "The statement of %(day)s is not ready: a day is closed after 01:00 the "
                    "next day.") % {"day": day})
            raise Problem(code=RequestError.NOT_FOUND, detail=_(
                "There is no statement for %(day)s: the merchant had no trades or refunds "
                "that day.") % {"day": day})
        response = HttpResponse(selectors.statement_csv(statement=statement),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="statement-{day}.csv"'
        return response


def _parse_day(day: str) -> date:
    try:
        return date.fromisoformat(day)
    except ValueError:
        raise Problem(code=RequestError.VALIDATION_ERROR, detail=_(
            "Some fields are invalid: see errors for each field and how to fix it."), errors=[
            {"field": "day", "code": "invalid", "message": _("Send a date as YYYY-MM-DD.")}],
        ) from None


def _may_still_close(merchant_id: int, day: date) -> bool:
    """Whether the day has no statement yet because it is not closed (today, or a past day
    with activity that the nightly settlement has not reached)."""
    if day >= timezone.localdate():
        return True
    trades, refunds = services.day_activity(merchant=Merchant(pk=merchant_id), day=day)
    return trades.exists() or refunds.exists()


class TradeSimulateView(PaymentView):
    """Sandbox only; gated as ``payment.trade.query``, which every payment pack holds."""

    capability = "payment.trade.query"

    @extend_schema(
        operation_id="payment_trade_simulate", tags=TAGS,
        parameters=[OUT_TRADE_NO, IDEMPOTENCY_KEY],
        summary="payment.trade.query (sandbox): simulate the buyer paying or failing",
        description="For trades opened by a sandbox app only (else 403 `not_sandbox`): "
                    "`success` pays the trade from the simulator's wallet (the usual "
                    "`payment.trade.succeeded` webhook follows); `failure` closes it unpaid. "
                    "Needs the `payment.trade.query` capability, which every payment pack "
                    "holds; a suspended merchant's trades cannot be simulated.",
        request=TradeSimulateSerializer,
        responses={200: TradeSerializer, **gate_problems(
            400, 401, 403, 404, 409, 413, 422, 429,
            also_forbidden=" `not_sandbox`: the trade was not opened by a sandbox app.",
            conflict=(
                "`illegal_transition` (the trade is no longer waiting), `trade_expired`, "
                "`idempotency_in_flight`.", "trade_expired",
                "This trade expired; ask the merchant for a new one."))},
        examples=[OpenApiExample("Pay", request_only=True, value={"result": "success"}),
                  OpenApiExample("Paid", response_only=True, value={
                      **TRADE_EXAMPLE, "state": "success",
                      "paid_at": "2026-11-26T10:00:30+08:00"})],
    )
    @idempotent
    def post(self, request, out_trade_no: str):
        serializer = TradeSimulateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        trade = self.merchant_trade(request, out_trade_no)
        trade = services.trade_simulate(
            trade=trade, succeed=serializer.validated_data["result"] == "success", actor=None,
            cleared=request.gate)
        return Response(TradeSerializer(trade).data)
