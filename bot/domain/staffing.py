"""A district's staffing target: which agencies, how many of each, and in which hours.

Hours are wall-clock times in the group's zone; the instants they name are found through
bot/domain/localtime.py, so a target of 07:00–19:00 means 07:00–19:00 on the night the clocks
change too. `start == end` means round the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.coverage import Gap, gaps
from bot.domain.localtime import on_day

_HOURS = re.compile(r"\s*(\d{1,2})(?:[:.](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[:.](\d{2}))?\s*")


@dataclass(frozen=True)
class Target:
    """At least `minimum` of `agency` in the group between `start` and `end` each day."""

    agency: str
    minimum: int
    start: time = time(0)
    end: time = time(0)

    @property
    def round_the_clock(self) -> bool:
        """True when the target holds all day."""
        return self.start == self.end

    def hours_text(self) -> str:
        """ "07:00–19:00", or "00:00–24:00" round the clock."""
        if self.round_the_clock:
            return "00:00–24:00"
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def windows(
        self, start: datetime, end: datetime, zone: str
    ) -> list[tuple[datetime, datetime]]:
        """The UTC stretches of [start, end) in which the target holds."""
        if end <= start:
            return []
        if self.round_the_clock:
            return [(start, end)]
        tz = ZoneInfo(zone)
        first = start.astimezone(tz).date() - timedelta(days=1)
        last = end.astimezone(tz).date()
        found: list[tuple[datetime, datetime]] = []
        day = first
        while day <= last:
            opens = on_day(day, self.start, zone)
            closes_day = day if self.end > self.start else day + timedelta(days=1)
            closes = on_day(closes_day, self.end, zone)
            lo, hi = max(opens, start), min(closes, end)
            if lo < hi:
                found.append((lo, hi))
            day += timedelta(days=1)
        return found

    def minimum_at(self, moment: datetime, zone: str) -> int:
        """The minimum at a moment: `minimum` within the hours, 0 outside them."""
        inside = self.windows(moment, moment + timedelta(seconds=1), zone)
        return self.minimum if inside else 0

    def gaps(
        self,
        intervals: list[tuple[datetime, datetime]],
        start: datetime,
        end: datetime,
        zone: str,
    ) -> list[Gap]:
        """Where fewer than `minimum` are planned within the target's hours in [start, end)."""
        found: list[Gap] = []
        for lo, hi in self.windows(start, end, zone):
            found.extend(gaps(intervals, lo, hi, self.minimum))
        return found


def parse_hours(text: str) -> tuple[time, time]:
    """ "07-19", "07:00–19:00", "22-06" (overnight) or "0-24" (round the clock);
    ValueError with the reason otherwise."""
    match = _HOURS.fullmatch(text)
    if match is None:
        raise ValueError(f"cannot read the hours {text!r}: use e.g. 07-19, 22-06 or 0-24")
    h1, m1, h2, m2 = (int(v) if v else 0 for v in match.groups())
    if h2 == 24 and m2 == 0:
        h2 = 0
    if not (0 <= h1 < 24 and 0 <= h2 < 24 and m1 < 60 and m2 < 60):
        raise ValueError(f"cannot read the hours {text!r}: hours are 0-24, minutes 0-59")
    return time(h1, m1), time(h2, m2)


def default_targets(staffed: list[str], minimum: int) -> list[Target]:
    """Before a target is set: each agency with members in the group, the group's minimum,
    round the clock (what the bot did before targets existed, less the agencies that never
    staff the district)."""
    return [Target(code, minimum) for code in staffed]
