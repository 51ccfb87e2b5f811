"""Staffing targets: their hours are wall-clock hours in the group's zone, on any night."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.domain.staffing import Target, parse_hours

ZONE = "Europe/Stockholm"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_daytime_hours_follow_the_clock_across_the_autumn_change() -> None:
    day = Target("POL", 1, time(7), time(19))
    windows = day.windows(utc(2026, 10, 24, 0), utc(2026, 10, 26, 0), ZONE)
    assert windows == [
        (utc(2026, 10, 24, 5), utc(2026, 10, 24, 17)),  # CEST: 07:00 is 05:00 UTC
        (utc(2026, 10, 25, 6), utc(2026, 10, 25, 18)),  # CET from the night before
    ]


def test_overnight_hours_and_round_the_clock() -> None:
    night = Target("POL", 2, time(22), time(6))
    assert night.windows(utc(2026, 12, 1, 12), utc(2026, 12, 2, 12), ZONE) == [
        (utc(2026, 12, 1, 21), utc(2026, 12, 2, 5))
    ]
    assert night.minimum_at(utc(2026, 12, 1, 22), ZONE) == 2
    assert night.minimum_at(utc(2026, 12, 1, 12), ZONE) == 0
    always = Target("SKV", 1)
    assert always.round_the_clock and always.hours_text() == "00:00–24:00"
    assert always.windows(utc(2026, 12, 1), utc(2026, 12, 2), ZONE) == [
        (utc(2026, 12, 1), utc(2026, 12, 2))
    ]


def test_gaps_only_within_the_hours() -> None:
    day = Target("POL", 1, time(7), time(19))
    planned = [(utc(2026, 12, 1, 6), utc(2026, 12, 1, 14))]  # 07:00-15:00 Stockholm
    found = day.gaps(planned, utc(2026, 12, 1, 0), utc(2026, 12, 2, 0), ZONE)
    assert [(g.start, g.end) for g in found] == [(utc(2026, 12, 1, 14), utc(2026, 12, 1, 18))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("07-19", (time(7), time(19))), ("7:30–19.45", (time(7, 30), time(19, 45))),
     ("0-24", (time(0), time(0))), ("22-06", (time(22), time(6)))],
)  # fmt: skip
def test_hours_are_read_as_people_write_them(text: str, expected: tuple[time, time]) -> None:
    assert parse_hours(text) == expected


@pytest.mark.parametrize("text", ["7-25", "morning", "07:60-19"])
def test_bad_hours_say_why(text: str) -> None:
    with pytest.raises(ValueError, match="cannot read the hours"):
        parse_hours(text)
