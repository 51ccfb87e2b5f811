"""The sandbox's clock: real time plus an offset that the time controls move forward.

It exists only in the sandbox: `build_application` takes any clock, and only the sandbox hands
it this one, so a deployment on Telegram has no way to move its time.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.localtime import on_day

# The digest goes out at 07:00 on the group's clocks: the one jump worth a button.
MORNING = time(7, 0)
# A skip is for training and demos: a day at most, so a click cannot run a year of jobs.
LONGEST_SKIP = timedelta(days=1)


class SandboxClock:
    """Callable like `bot.clock.system_clock`; never goes backwards."""

    def __init__(self, real: type[datetime] = datetime) -> None:
        self._real = real
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return self._real.now(UTC) + self.offset

    def skip(self, delta: timedelta) -> datetime:
        """Move the clock forward by `delta` (at most a day); the new time."""
        if not timedelta() < delta <= LONGEST_SKIP:
            raise ValueError("the sandbox clock moves forward by a minute to a day")
        self.offset += delta
        return self()

    def next_local(self, at: time, zone: str) -> datetime:
        """The next instant (UTC, after now) at which the zone's clocks show `at`."""
        now = self()
        day = now.astimezone(ZoneInfo(zone)).date()
        moment = on_day(day, at, zone)
        while moment <= now:
            day += timedelta(days=1)
            moment = on_day(day, at, zone)
        return moment

    def skip_to(self, at: time, zone: str) -> datetime:
        """Move the clock to the next `at` on the zone's clocks; the new time."""
        return self.skip(self.next_local(at, zone) - self())
