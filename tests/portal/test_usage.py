"""Usage in the portal: calls and errors per day as an SVG chart, tables by capability and
error code, app and merchant, filters, the finance permission, and the dashboard's chart and
recent webhook failures. Figures are aggregated in SQL: queries do not grow with calls."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from isv import usage
from isv.choices import MemberRole
from merchants.choices import MerchantState
from openplatform.events.choices import DeliveryState
from openplatform.events.models import Delivery, Event, WebhookEndpoint
from openplatform.models import ApiCall
from tests import factories
from tests.portal.support import client_for, make_member

pytestmark = pytest.mark.django_db


def record_calls(app, *, count=1, days_ago=0, capability="merchant.info.query",
                 pack="merchant_basics", status_code=200, error_code="", merchant=None):
    at = timezone.now() - timedelta(days=days_ago)
    ApiCall.objects.bulk_create([
        ApiCall(app=app, merchant=merchant, capability=capability, pack=pack,
                status_code=status_code, error_code=error_code, latency_ms=12, created_at=at)
        for _ in range(count)])


@pytest.fixture
def app(portal_isv):
    return factories.make_app(isv=portal_isv, name="Till")


def test_the_usage_page_charts_and_tables_the_calls(portal_isv, owner_client, app):
    merchant = factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE,
                                       short_name="Corner Shop")
    record_calls(app, count=3, merchant=merchant)
    record_calls(app, count=2, days_ago=2, status_code=403, error_code="merchant_suspended",
                 merchant=merchant)
    record_calls(app, count=4, days_ago=40)  # outside the window

    response = owner_client.get(reverse("portal:usage"))
    page = response.content.decode()

    assert response.status_code == 200
    chart = response.context["chart"]
    assert (chart.total_calls, chart.total_errors) == (5, 2)
    assert len(chart.bars) == 30
    assert [bar.calls for bar in chart.bars[-3:]] == [2, 0, 3]
    assert "<svg" in page and "5 calls, 2 errors" in page
    assert {(row["error_code"], row["calls"]) for row in response.context["by_capability"]} == {
        ("", 3), ("merchant_suspended", 2)}
    assert f'href="{reverse("docs-errors")}#merchant_suspended"' in page
    assert response.context["by_app"][0]["calls"] == 5
    assert "Corner Shop" in page


def test_the_filters_narrow_the_calls(portal_isv, owner_client, app):
    other_app = factories.make_app(isv=portal_isv)
    record_calls(app, count=2)
    record_calls(app, count=1, capability="payment.trade.create", pack="payment_basics")
    record_calls(other_app, count=4)
    record_calls(app, count=8, days_ago=10)

    def total(**query):
        return owner_client.get(reverse("portal:usage"), query).context["chart"].total_calls

    assert total() == 15
    assert total(app=app.pk) == 11
    assert total(pack="payment_basics") == 1
    assert total(capability="merchant.info.query", days=7) == 6
    assert len(owner_client.get(reverse("portal:usage"), {"days": 7}).context["chart"].bars) == 7


def test_another_isvs_app_is_an_invalid_choice_and_its_calls_never_show(portal_isv, owner_client,
                                                                         app):
    theirs = factories.make_app(isv=factories.make_isv())
    record_calls(theirs, count=5)
    record_calls(app, count=1)

    response = owner_client.get(reverse("portal:usage"), {"app": theirs.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert response.context["chart"].total_calls == 1


def test_no_calls_show_the_empty_state(portal_isv, owner_client):
    page = owner_client.get(reverse("portal:usage")).content.decode()
    assert "No calls in this period." in page


def test_usage_queries_do_not_grow_with_calls_apps_or_merchants(
        portal_isv, owner_client, django_assert_max_num_queries):
    def fill(count):
        for index in range(count):
            app = factories.make_app(isv=portal_isv)
            merchant = factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE)
            record_calls(app, count=5, days_ago=index % 30, merchant=merchant)
            record_calls(app, count=1, status_code=429, error_code="quota_exceeded",
                         capability=f"capability.{index}")

    fill(1)
    query = {"app": "", "pack": "merchant_basics", "days": 30}
    with django_assert_max_num_queries(14) as few:
        owner_client.get(reverse("portal:usage"), query)
    fill(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(reverse("portal:usage"), query)


@pytest.mark.parametrize(("role", "status"), [
    (MemberRole.OWNER, 200), (MemberRole.ADMIN, 200), (MemberRole.FINANCE, 200),
    (MemberRole.DEVELOPER, 403),
])
def test_usage_is_for_finance(portal_isv, role, status):
    member = make_member(portal_isv, role)
    client = client_for(member.user)

    assert client.get(reverse("portal:usage")).status_code == status
    nav = client.get(reverse("portal:dashboard")).content.decode()
    assert (f'href="{reverse("portal:usage")}"' in nav) is (status == 200)


def test_the_chart_axis_reads_round_numbers():
    today = timezone.localdate()
    daily = [usage.DailyUsage(day=today - timedelta(days=2 - index), calls=calls, errors=errors)
             for index, (calls, errors) in enumerate([(0, 0), (37, 5), (12, 12)])]

    chart = usage.usage_chart(daily)

    assert [tick.value for tick in chart.ticks] == [0, 25, 50]
    tallest = chart.bars[1]
    assert tallest.calls_height > chart.bars[2].calls_height == chart.bars[2].errors_height
    assert chart.bars[0].calls_height == 0
    assert chart.labels[-1].day == today
    assert round(chart.error_rate, 1) == 34.7


# --- the dashboard -------------------------------------------------------------------------


def make_delivery(app, *, state, last_status_code=None, type="merchant.activated"):
    endpoint = WebhookEndpoint.objects.create(app=app, url="https://hooks.example.com/in",
                                              event_types=["*"], secret_ciphertext="x")
    event = Event.objects.create(type=type, isv=app.isv, app=app, payload={})
    return Delivery.objects.create(event=event, endpoint=endpoint, state=state,
                                   last_status_code=last_status_code, attempt_count=3)


def test_the_dashboard_charts_30_days_and_lists_recent_webhook_failures(portal_isv,
                                                                       owner_client, app):
    record_calls(app, count=4)
    record_calls(app, count=1, status_code=401, error_code="invalid_token")
    make_delivery(app, state=DeliveryState.FAILED, type="merchant.suspended")
    make_delivery(app, state=DeliveryState.PENDING, last_status_code=500, type="app.live")
    make_delivery(app, state=DeliveryState.DELIVERED, last_status_code=200, type="isv.approved")
    theirs = factories.make_app(isv=factories.make_isv())
    make_delivery(theirs, state=DeliveryState.FAILED, type="store.created")

    response = owner_client.get(reverse("portal:dashboard"))
    page = response.content.decode()

    assert response.context["usage_chart"].total_calls == 5
    assert len(response.context["usage_chart"].bars) == 30
    assert {delivery.event.type for delivery in response.context["webhook_failures"]} == {
        "merchant.suspended", "app.live"}
    assert "store.created" not in page and "isv.approved" not in page


def test_the_dashboard_shows_at_most_five_webhook_failures(portal_isv, owner_client, app):
    for _ in range(7):
        make_delivery(app, state=DeliveryState.FAILED)

    response = owner_client.get(reverse("portal:dashboard"))

    assert len(response.context["webhook_failures"]) == 5


def test_the_dashboard_empty_states(portal_isv, owner_client):
    page = owner_client.get(reverse("portal:dashboard")).content.decode()

    assert "No calls yet." in page
    assert "No failed webhook deliveries." in page
