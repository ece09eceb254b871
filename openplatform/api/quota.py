"""Quotas per (app, pack): calls per day and per second, counted in the cache (Redis in
production, so every web process shares the counts).

Headers follow draft-ietf-httpapi-ratelimit-headers (structured fields)::

    RateLimit-Policy: "day";q=100000;w=86400, "second";q=20;w=1
    RateLimit: "day";r=99990;t=3600, "second";r=19;t=1
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

DAY_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class QuotaUsage:
    daily_limit: int
    per_second_limit: int
    day_count: int
    second_count: int
    # Seconds until the day's counter starts again (local midnight).
    day_reset: int

    @property
    def day_exceeded(self) -> bool:
        return self.day_count > self.daily_limit

    @property
    def exceeded(self) -> bool:
        return self.day_exceeded or self.second_count > self.per_second_limit

    @property
    def retry_after(self) -> int:
        return self.day_reset if self.day_exceeded else 1

    def headers(self) -> dict[str, str]:
        day_left = max(self.daily_limit - self.day_count, 0)
        second_left = max(self.per_second_limit - self.second_count, 0)
        return {
            "RateLimit-Policy": (f'"day";q={self.daily_limit};w={DAY_SECONDS}, '
                                 f'"second";q={self.per_second_limit};w=1'),
            "RateLimit": f'"day";r={day_left};t={self.day_reset}, "second";r={second_left};t=1',
        }

    def detail(self, *, app_label: str, app_id: int) -> str:
        names = {"app": app_label, "app_id": app_id,
                 "daily": self.daily_limit, "per_second": self.per_second_limit,
                 "retry": self.retry_after}
        if self.day_exceeded:
            return _("App %(app)s has used its %(daily)s calls for today in this pack. Retry "
                     "after %(retry)s seconds, or ask for a higher quota at "
                     "/portal/apps/%(app_id)s/subscriptions.") % names
        return _("App %(app)s exceeds %(per_second)s calls per second in this pack. Slow down "
                 "and retry after %(retry)s second(s); see the RateLimit headers.") % names


def _increment(key: str, *, timeout: int, amount: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key, amount)
    except ValueError:
        # The counter expired between add and incr: this call opens a new window.
        cache.add(key, amount, timeout=timeout)
        return amount


def increment(timeouts: dict[str, int], *, amount: int = 1) -> dict[str, int]:
    """Add ``amount`` to each counter (key → window timeout); one Redis round trip when the
    cache is ``openplatform.api.cache.RedisCache``."""
    incr_counters = getattr(cache, "incr_counters", None)
    if incr_counters is not None:
        return incr_counters(timeouts, amount=amount)
    return {key: _increment(key, timeout=timeout, amount=amount)
            for key, timeout in timeouts.items()}


@dataclass(frozen=True)
class QuotaWindows:
    """The two counters one call of an app in a pack counts in, at one moment."""

    day_key: str
    second_key: str
    # Seconds until the day's counter starts again (local midnight).
    day_reset: int

    @classmethod
    def at(cls, *, app_id: int, pack: str, now: datetime) -> "QuotaWindows":
        timestamp = now.timestamp()
        day, day_end = _local_day(timestamp)
        return cls(day_key=f"gate:quota:day:{app_id}:{pack}:{day}",
                   second_key=f"gate:quota:second:{app_id}:{pack}:{int(timestamp)}",
                   day_reset=max(int(day_end - timestamp), 1))

    @property
    def timeouts(self) -> dict[str, int]:
        return {self.day_key: DAY_SECONDS + 60, self.second_key: 2}

    def usage(self, counts: dict[str, int], *, daily_limit: int,
              per_second_limit: int) -> QuotaUsage:
        return QuotaUsage(daily_limit=daily_limit, per_second_limit=per_second_limit,
                          day_count=counts[self.day_key], second_count=counts[self.second_key],
                          day_reset=self.day_reset)

    def give_back(self) -> None:
        """Uncount a call counted ahead of its decision that the decision did not let through."""
        increment(self.timeouts, amount=-1)


# The platform's current day (TIME_ZONE): its first and last instants as timestamps, and its
# date; worked out again only when a call falls outside it.
_day: tuple[float, float, str] = (0.0, 0.0, "")


def _local_day(timestamp: float) -> tuple[str, float]:
    """The platform's local date at ``timestamp`` and the timestamp of the next midnight."""
    global _day
    start, end, day = _day
    if not start <= timestamp < end:
        local = datetime.fromtimestamp(timestamp, tz=timezone.get_default_timezone())
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        next_midnight = midnight + timedelta(days=1)
        start, end, day = _day = (midnight.timestamp(), next_midnight.timestamp(),
                                  local.date().isoformat())
    return day, end


def consume(*, app_id: int, pack: str, daily_limit: int, per_second_limit: int,
            now: datetime | None = None) -> QuotaUsage:
    """Count one call of ``app_id`` in ``pack`` and report the usage (refused calls count too)."""
    windows = QuotaWindows.at(app_id=app_id, pack=pack, now=now or timezone.now())
    return windows.usage(increment(windows.timeouts), daily_limit=daily_limit,
                         per_second_limit=per_second_limit)
