"""The sandbox clock moves forward only, by a minute to a day, and finds the next 07:00 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.sandbox.clock import SandboxClock


def frozen(at: datetime) -> type[datetime]:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz: object = None) -> Frozen:  # type: ignore[override]
            return cls.fromtimestamp(at.timestamp(), tz=UTC)

    return Frozen


def test_skip_moves_forward_only_and_at_most_a_day() -> None:
    clock = SandboxClock(frozen(datetime(2026, 3, 1, 12, tzinfo=UTC)))
    assert clock.skip(timedelta(minutes=15)) == datetime(2026, 3, 1, 12, 15, tzinfo=UTC)
    assert clock() == datetime(2026, 3, 1, 12, 15, tzinfo=UTC)
    for wrong in (timedelta(), timedelta(minutes=-5), timedelta(days=1, seconds=1)):
        with pytest.raises(ValueError):
            clock.skip(wrong)
    assert clock.offset == timedelta(minutes=15)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Winter (UTC+1): 07:00 is 06:00 UTC, later the same day.
        (datetime(2026, 1, 15, 3, 0, tzinfo=UTC), datetime(2026, 1, 15, 6, 0, tzinfo=UTC)),
        # Past 07:00: tomorrow's.
        (datetime(2026, 1, 15, 6, 0, tzinfo=UTC), datetime(2026, 1, 16, 6, 0, tzinfo=UTC)),
        # The night the clocks go forward (29 March 2026): 07:00 CEST is 05:00 UTC.
        (datetime(2026, 3, 28, 22, 0, tzinfo=UTC), datetime(2026, 3, 29, 5, 0, tzinfo=UTC)),
    ],
)
def test_to_seven_is_the_next_seven_on_the_groups_clocks(
    now: datetime, expected: datetime
) -> None:
    clock = SandboxClock(frozen(now))
    assert clock.skip_to(time(7, 0), "Europe/Stockholm") == expected
