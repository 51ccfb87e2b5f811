"""Wall-clock times across both daylight-saving nights in Stockholm."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.localtime import (
    AmbiguousLocalTime,
    NoSuchLocalTime,
    instants,
    last_at,
    next_at,
    on_day,
    to_utc,
)

ZONE = "Europe/Stockholm"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_a_time_names_one_none_or_two_instants() -> None:
    assert instants(datetime(2026, 3, 29, 1, 30), ZONE) == [utc(2026, 3, 29, 0, 30)]
    assert instants(datetime(2026, 3, 29, 2, 30), ZONE) == []  # clocks go 02:00 -> 03:00
    assert instants(datetime(2026, 3, 29, 3, 0), ZONE) == [utc(2026, 3, 29, 1, 0)]
    assert instants(datetime(2026, 10, 25, 2, 30), ZONE) == [
        utc(2026, 10, 25, 0, 30),  # 02:30 summer time (CEST)
        utc(2026, 10, 25, 1, 30),  # 02:30 again, winter time (CET)
    ]
    assert instants(datetime(2027, 3, 28, 2, 0), ZONE) == []  # other years too


def test_to_utc_refuses_what_is_missing_and_what_is_doubled() -> None:
    assert to_utc(datetime(2026, 10, 25, 3, 0), ZONE) == utc(2026, 10, 25, 2, 0)
    with pytest.raises(NoSuchLocalTime) as missing:
        to_utc(datetime(2026, 3, 29, 2, 30), ZONE)
    assert missing.value.values["when"] == "2026-03-29 02:30"
    with pytest.raises(AmbiguousLocalTime) as twice:
        to_utc(datetime(2026, 10, 25, 2, 0), ZONE)
    assert twice.value.choices == [utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 1, 0)]


def test_daily_moments_follow_the_clocks() -> None:
    seven = time(7, 0)
    assert on_day(date(2026, 3, 28), seven, ZONE) == utc(2026, 3, 28, 6, 0)  # CET
    assert on_day(date(2026, 3, 29), seven, ZONE) == utc(2026, 3, 29, 5, 0)  # CEST
    assert on_day(date(2026, 10, 25), seven, ZONE) == utc(2026, 10, 25, 6, 0)  # CET again
    assert on_day(date(2026, 3, 29), time(2, 30), ZONE) == utc(2026, 3, 29, 1, 30)  # 03:30
    assert on_day(date(2026, 10, 25), time(2, 30), ZONE) == utc(2026, 10, 25, 0, 30)  # first
    # The night of the change is 23 or 25 hours from one 07:00 to the next.
    assert next_at(utc(2026, 3, 28, 6, 0), seven, ZONE) == utc(2026, 3, 29, 5, 0)
    assert next_at(utc(2026, 10, 24, 5, 0), seven, ZONE) == utc(2026, 10, 25, 6, 0)
    assert last_at(utc(2026, 10, 25, 5, 59), seven, ZONE) == utc(2026, 10, 24, 5, 0)
    assert last_at(utc(2026, 10, 25, 6, 0), seven, ZONE) == utc(2026, 10, 25, 6, 0)
