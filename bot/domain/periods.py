"""Report periods and their buckets (hours, days, weeks) in a group's time zone.

Boundaries are local midnights and local hours, turned into UTC instants: a daylight-saving
day has 23 or 25 hours, and its buckets say so. Instants are whole seconds since the epoch
(UTC), which is what the report figures compute with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.localtime import on_day

# A period longer than this is drawn by day rather than by hour of the week.
HOURLY_UP_TO_DAYS = 35


class PeriodChoice(StrEnum):
    """The periods /report offers."""

    THIS_WEEK = "this_week"
    LAST_WEEK = "last_week"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    LAST_12_MONTHS = "last_12_months"


@dataclass(frozen=True)
class Period:
    """A half-open stretch of local days [first, last + 1 day) in a zone."""

    first: date
    last: date
    zone: str

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period ends on or after the day it starts")

    @property
    def start(self) -> int:
        """The first instant, epoch seconds."""
        return local_midnight(self.first, self.zone)

    @property
    def end(self) -> int:
        """The instant after the last, epoch seconds."""
        return local_midnight(self.last + timedelta(days=1), self.zone)

    @property
    def days(self) -> int:
        """How many calendar days it holds."""
        return (self.last - self.first).days + 1

    @property
    def hourly(self) -> bool:
        """Short enough to show by hour of the week."""
        return self.days <= HOURLY_UP_TO_DAYS

    def clipped(self, now: datetime) -> tuple[int, int]:
        """[start, end) cut at `now`: the future has no data yet."""
        return self.start, max(self.start, min(self.end, int(now.timestamp())))


def local_midnight(day: date, zone: str) -> int:
    """The instant a local day begins (a zone may skip midnight; then the end of the gap)."""
    return int(on_day(day, time(0), zone).timestamp())


def period_for(choice: PeriodChoice, now: datetime, zone: str) -> Period:
    """The local calendar period a choice means at `now`."""
    today = now.astimezone(ZoneInfo(zone)).date()
    monday = today - timedelta(days=today.weekday())
    month = today.replace(day=1)
    if choice is PeriodChoice.THIS_WEEK:
        return Period(monday, monday + timedelta(days=6), zone)
    if choice is PeriodChoice.LAST_WEEK:
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), zone)
    if choice is PeriodChoice.THIS_MONTH:
        return Period(month, _next_month(month) - timedelta(days=1), zone)
    if choice is PeriodChoice.LAST_MONTH:
        previous = (month - timedelta(days=1)).replace(day=1)
        return Period(previous, month - timedelta(days=1), zone)
    first = _next_month(month).replace(year=month.year - 1)
    return Period(first, _next_month(month) - timedelta(days=1), zone)


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def day_edges(period: Period) -> list[int]:
    """The instants of every local midnight from the first day to the day after the last."""
    return [
        local_midnight(period.first + timedelta(days=i), period.zone)
        for i in range(period.days + 1)
    ]


def hour_edges(period: Period) -> list[int]:
    """Every hour boundary in the period: real hours, so 23 or 25 on a DST day."""
    # Offsets change by whole hours, so local hour boundaries are an hour apart in UTC too.
    return list(range(period.start, period.end + 1, 3600))


def hours_by_day(period: Period) -> list[tuple[date, int]]:
    """Each local day of the period with its length in hours (23, 24 or 25)."""
    edges = day_edges(period)
    return [
        (period.first + timedelta(days=i), (edges[i + 1] - edges[i]) // 3600)
        for i in range(period.days)
    ]


def hour_of_week(instant: int, zone: str) -> int:
    """0 (Monday 00–01) to 167 (Sunday 23–24), in local time."""
    local = datetime.fromtimestamp(instant, ZoneInfo(zone))
    return local.weekday() * 24 + local.hour


def week_edges(period: Period) -> list[int]:
    """Week boundaries (local Monday midnights) cut to the period: first and last may be short."""
    edges = [period.start]
    day = period.first + timedelta(days=7 - period.first.weekday())
    while day <= period.last:
        edges.append(local_midnight(day, period.zone))
        day += timedelta(days=7)
    edges.append(period.end)
    return edges


def week_label(instant: int, zone: str) -> str:
    """ISO week of a local instant: "2026-W48"."""
    year, week, _ = datetime.fromtimestamp(instant, ZoneInfo(zone)).isocalendar()
    return f"{year}-W{week:02d}"
