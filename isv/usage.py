"""Reads of an ISV's metered API calls and failing webhook deliveries, for the portal.

Every figure is aggregated in SQL (``GROUP BY``), so a page costs the same few queries
whether the window holds ten calls or ten million. ``ApiCall`` is indexed by (app, created_at):
the calls are filtered by the ISV's app ids and a start time.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from isv.models import Isv
from openplatform.events.choices import DeliveryState
from openplatform.events.models import Delivery
from openplatform.models import ApiCall

USAGE_WINDOWS = (7, 30)
DEFAULT_WINDOW_DAYS = 30
# A call answered with this status or above counts as an error.
ERROR_STATUS = 400
TOP_MERCHANTS = 10
RECENT_WEBHOOK_FAILURES = 5

_ERRORS = Count("id", filter=Q(status_code__gte=ERROR_STATUS))


@dataclass(frozen=True)
class UsageFilter:
    # The ISV's app ids (or the one app chosen); a values("id") queryset becomes a subquery.
    app_ids: Collection[int] | QuerySet
    pack: str = ""
    capability: str = ""
    days: int = DEFAULT_WINDOW_DAYS


@dataclass(frozen=True)
class DailyUsage:
    day: date
    calls: int
    errors: int


def window_first_day(*, days: int, today: date | None = None) -> date:
    """The first local day of a window of ``days`` days ending today."""
    today = today or timezone.localdate()
    return today - timedelta(days=days - 1)


def api_calls(*, usage_filter: UsageFilter, today: date | None = None) -> QuerySet[ApiCall]:
    """The calls of ``usage_filter.app_ids`` (the ISV's apps, or the one chosen) in the window."""
    first_day = window_first_day(days=usage_filter.days, today=today)
    since = timezone.make_aware(datetime.combine(first_day, datetime.min.time()))
    calls = ApiCall.objects.filter(app_id__in=usage_filter.app_ids, created_at__gte=since)
    if usage_filter.pack:
        calls = calls.filter(pack=usage_filter.pack)
    if usage_filter.capability:
        calls = calls.filter(capability=usage_filter.capability)
    return calls


def daily_usage(*, calls: QuerySet[ApiCall], days: int,
                today: date | None = None) -> list[DailyUsage]:
    """Calls and errors per local day, every day of the window present (zero when idle)."""
    first_day = window_first_day(days=days, today=today)
    rows = (calls.annotate(day=TruncDate("created_at")).order_by().values("day")
            .annotate(calls=Count("id"), errors=_ERRORS))
    by_day = {row["day"]: row for row in rows}
    result = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        row = by_day.get(day, {"calls": 0, "errors": 0})
        result.append(DailyUsage(day=day, calls=row["calls"], errors=row["errors"]))
    return result


def usage_by_capability_and_error(*, calls: QuerySet[ApiCall]) -> list[dict]:
    """One row per (capability, pack, status, error code): ``error_code`` is empty on success."""
    return list(calls.order_by().values("capability", "pack", "status_code", "error_code")
                .annotate(calls=Count("id"))
                .order_by("capability", "pack", "status_code", "error_code"))


def usage_by_app(*, calls: QuerySet[ApiCall]) -> list[dict]:
    return list(calls.order_by().values("app_id", "app__name", "app__client_id")
                .annotate(calls=Count("id"), errors=_ERRORS).order_by("-calls", "app_id"))


def usage_by_merchant(*, calls: QuerySet[ApiCall], limit: int = TOP_MERCHANTS) -> list[dict]:
    """The merchants called for most; calls acting for no merchant are left out."""
    return list(calls.filter(merchant__isnull=False).order_by()
                .values("merchant_id", "merchant__short_name")
                .annotate(calls=Count("id"), errors=_ERRORS)
                .order_by("-calls", "merchant_id")[:limit])


def recent_webhook_failures(*, isv: Isv, limit: int = RECENT_WEBHOOK_FAILURES) -> list[Delivery]:
    """The latest deliveries to the ISV's endpoints that gave up or were answered with an error."""
    return list(
        Delivery.objects.filter(endpoint__app__isv=isv)
        .filter(Q(state=DeliveryState.FAILED) | Q(last_status_code__gte=ERROR_STATUS))
        .select_related("event", "endpoint", "endpoint__app")
        .order_by("-created_at", "-id")[:limit]
    )


# --- the chart ---------------------------------------------------------------------------------

CHART_WIDTH = 640
CHART_HEIGHT = 180
CHART_LEFT = 44  # room for the y-axis labels
CHART_RIGHT = 20  # room for the last date label
CHART_BOTTOM = 22  # room for the date labels
CHART_TOP = 8


@dataclass(frozen=True)
class ChartBar:
    day: date
    calls: int
    errors: int
    x: float
    width: float
    calls_y: float
    calls_height: float
    errors_y: float
    errors_height: float


@dataclass(frozen=True)
class ChartTick:
    value: int
    y: float


@dataclass(frozen=True)
class ChartLabel:
    day: date
    x: float


@dataclass(frozen=True)
class UsageChart:
    """Geometry of a bar chart of calls per day, errors drawn over the bottom of each bar."""

    bars: list[ChartBar]
    ticks: list[ChartTick]
    labels: list[ChartLabel]
    total_calls: int
    total_errors: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = CHART_LEFT
    right: int = CHART_WIDTH - CHART_RIGHT
    baseline: float = CHART_HEIGHT - CHART_BOTTOM

    @property
    def error_rate(self) -> float:
        return self.total_errors / self.total_calls * 100 if self.total_calls else 0.0


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^n at or above ``value`` (so the axis reads round numbers)."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def usage_chart(daily: list[DailyUsage]) -> UsageChart:
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    baseline = CHART_HEIGHT - CHART_BOTTOM
    top = _nice_ceiling(max((day.calls for day in daily), default=0) or 1)
    slot = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / max(len(daily), 1)
    width = max(slot * 0.7, 1.0)

    def height_of(count: int) -> float:
        return round(count / top * plot_height, 2)

    bars = []
    for index, day in enumerate(daily):
        calls_height, errors_height = height_of(day.calls), height_of(day.errors)
        bars.append(ChartBar(
            day=day.day, calls=day.calls, errors=day.errors,
            x=round(CHART_LEFT + index * slot + (slot - width) / 2, 2), width=round(width, 2),
            calls_y=round(baseline - calls_height, 2), calls_height=calls_height,
            errors_y=round(baseline - errors_height, 2), errors_height=errors_height))
    ticks = [ChartTick(value=value, y=round(baseline - height_of(value), 2))
             for value in sorted({0, top // 2, top})]
    # About five date labels, the last day always among them.
    every = max(len(daily) // 5, 1)
    labels = [ChartLabel(day=bar.day, x=round(bar.x + bar.width / 2, 2))
              for index, bar in enumerate(bars)
              if (len(bars) - 1 - index) % every == 0]
    return UsageChart(bars=bars, ticks=ticks, labels=labels,
                      total_calls=sum(day.calls for day in daily),
                      total_errors=sum(day.errors for day in daily))


def isv_usage_chart(*, isv: Isv, days: int = DEFAULT_WINDOW_DAYS) -> UsageChart:
    """The dashboard's chart: every app of the ISV, the last ``days`` days."""
    calls = api_calls(usage_filter=UsageFilter(app_ids=isv.apps.values("id"), days=days))
    return usage_chart(daily_usage(calls=calls, days=days))
