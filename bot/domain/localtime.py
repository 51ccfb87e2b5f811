"""Wall-clock times in a group's zone and the instants they name.

A wall-clock time names one instant on most days, none in the hour the clocks skip in spring,
and two in the hour they repeat in autumn. Arithmetic is done on instants (UTC); a wall-clock
time is turned into one here, and a time that does not exist or exists twice is refused or
asked about, never guessed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import DomainError


class NoSuchLocalTime(DomainError):
    """The clocks skip this time in the zone (the night they go forward)."""

    key = "time.skipped"


class AmbiguousLocalTime(DomainError):
    """The clocks show this time twice in the zone (the night they go back)."""

    key = "time.twice"

    def __init__(self, choices: list[datetime], **values: object) -> None:
        super().__init__(None, **values)
        self.choices = choices


def instants(wall: datetime, zone: str) -> list[datetime]:
    """The UTC instants at which the zone's clocks show `wall` (naive): one, none or two,
    earliest first."""
    tz = ZoneInfo(zone)
    naive = wall.replace(tzinfo=None)
    found: list[datetime] = []
    for fold in (0, 1):
        moment = naive.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        if moment.astimezone(tz).replace(tzinfo=None) == naive and moment not in found:
            found.append(moment)
    return sorted(found)


def to_utc(wall: datetime, zone: str, fold: int | None = None) -> datetime:
    """The one instant a wall-clock time names; NoSuchLocalTime or AmbiguousLocalTime when
    daylight saving makes it none or two. `fold` (0 the first, 1 the second) chooses between
    two, as a button that named one of them does; it changes nothing on other days."""
    found = instants(wall, zone)
    shown = f"{wall:%Y-%m-%d %H:%M}"
    if not found:
        raise NoSuchLocalTime(when=shown, zone=zone)
    if len(found) > 1:
        if fold in (0, 1):
            return found[fold]
        first, second = (with_offset(moment, zone) for moment in found)
        raise AmbiguousLocalTime(found, when=shown, zone=zone, first=first, second=second)
    return found[0]


def with_offset(moment: datetime, zone: str) -> str:
    """An instant as the zone's clocks show it, with their offset: 2026-10-25T02:30+01:00,
    which names one instant even in the hour that happens twice."""
    return moment.astimezone(ZoneInfo(zone)).isoformat(timespec="minutes")


def read_local(text: str, zone: str) -> datetime | None:
    """An ISO 8601 date-time as an instant (UTC): with an offset as written, without one in
    the zone, refused (NoSuchLocalTime, AmbiguousLocalTime) when the zone's clocks never
    show it or show it twice. None when it is not a date-time at all."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return to_utc(moment, zone)


def hours_of_day(day: date, zone: str) -> list[tuple[int, int, datetime]]:
    """Every whole hour the zone's clocks show on a day, as (hour, fold, instant): 23 on the
    day they go forward (no 02:00 in Europe), 25 on the day they go back (02:00 twice)."""
    return [
        (hour, fold, moment)
        for hour in range(24)
        for fold, moment in enumerate(instants(datetime.combine(day, time(hour)), zone))
    ]


def on_day(day: date, at: time, zone: str) -> datetime:
    """When a daily wall-clock moment (07:00, the end of quiet hours) happens on a day: the
    first of two in autumn; in spring a skipped time falls just after the gap (02:30 is
    taken as 03:30), which is when a clock would ring."""
    wall = datetime.combine(day, at)
    found = instants(wall, zone)
    if found:
        return found[0]
    return wall.replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(UTC)


def next_at(moment: datetime, at: time, zone: str) -> datetime:
    """The first time after `moment` that the zone's clocks show `at` (a daily moment)."""
    day = moment.astimezone(ZoneInfo(zone)).date()
    for offset in range(3):
        candidate = on_day(day + timedelta(days=offset), at, zone)
        if candidate > moment:
            return candidate
    raise AssertionError("a daily moment happens within three days")


def last_at(moment: datetime, at: time, zone: str) -> datetime:
    """The latest time at or before `moment` that the zone's clocks showed `at`."""
    day = moment.astimezone(ZoneInfo(zone)).date()
    for offset in range(3):
        candidate = on_day(day - timedelta(days=offset), at, zone)
        if candidate <= moment:
            return candidate
    raise AssertionError("a daily moment happens within three days")
