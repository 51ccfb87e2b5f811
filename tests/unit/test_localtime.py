"""Wall-clock times across both daylight-saving nights in Stockholm."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.localtime import (
    AmbiguousLocalTime,
    NoSuchLocalTime,
    hours_of_day,
    instants,
    last_at,
    next_at,
    on_day,
    read_local,
    to_utc,
    with_offset,
)
from bot.i18n import explain

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


def test_a_fold_chooses_between_two_and_changes_nothing_else() -> None:
    twice = datetime(2026, 10, 25, 2, 30)
    assert to_utc(twice, ZONE, fold=0) == utc(2026, 10, 25, 0, 30)
    assert to_utc(twice, ZONE, fold=1) == utc(2026, 10, 25, 1, 30)
    assert to_utc(datetime(2026, 10, 24, 22, 0), ZONE, fold=1) == utc(2026, 10, 24, 20, 0)
    with pytest.raises(NoSuchLocalTime):
        to_utc(datetime(2026, 3, 29, 2, 0), ZONE, fold=0)


def test_a_doubled_time_names_both_ways_to_write_it() -> None:
    with pytest.raises(AmbiguousLocalTime) as twice:
        to_utc(datetime(2026, 10, 25, 2, 30), ZONE)
    assert twice.value.values["first"] == "2026-10-25T02:30+02:00"
    assert twice.value.values["second"] == "2026-10-25T02:30+01:00"
    assert with_offset(utc(2026, 3, 29, 1, 0), ZONE) == "2026-03-29T03:00+02:00"


def test_read_local_takes_an_offset_as_written_and_refuses_what_the_zone_cannot_mean() -> None:
    assert read_local("2026-10-25T02:30+01:00", ZONE) == utc(2026, 10, 25, 1, 30)
    assert read_local("2026-10-25T02:30Z", ZONE) == utc(2026, 10, 25, 2, 30)
    assert read_local("2026-10-24T22:00", ZONE) == utc(2026, 10, 24, 20, 0)  # CEST
    assert read_local("2026-10-25T06:00", ZONE) == utc(2026, 10, 25, 5, 0)  # CET
    assert read_local("tomorrow", ZONE) is None
    with pytest.raises(NoSuchLocalTime):
        read_local("2026-03-29T02:30", ZONE)
    with pytest.raises(AmbiguousLocalTime):
        read_local("2026-10-25T02:30", ZONE)


def test_a_day_has_23_24_or_25_whole_hours() -> None:
    spring = hours_of_day(date(2026, 3, 29), ZONE)
    assert [h for h, _, _ in spring] == [0, 1, *range(3, 24)]
    assert [h for h, _, _ in hours_of_day(date(2026, 3, 30), ZONE)] == list(range(24))
    autumn = hours_of_day(date(2026, 10, 25), ZONE)
    assert [(h, fold) for h, fold, _ in autumn][:5] == [(0, 0), (1, 0), (2, 0), (2, 1), (3, 0)]
    assert [moment for h, _, moment in autumn if h == 2] == [
        utc(2026, 10, 25, 0, 0),
        utc(2026, 10, 25, 1, 0),
    ]
    assert len(autumn) == 25


def test_both_refusals_read_clearly_in_both_languages() -> None:
    with pytest.raises(NoSuchLocalTime) as missing:
        to_utc(datetime(2026, 3, 29, 2, 30), ZONE)
    with pytest.raises(AmbiguousLocalTime) as twice:
        to_utc(datetime(2026, 10, 25, 2, 30), ZONE)
    assert explain("en", missing.value) == (
        "2026-03-29 02:30 does not exist in Europe/Stockholm: the clocks go forward that night"
        " and skip it. Choose another time."
    )
    assert explain("sv", twice.value) == (
        "2026-10-25 02:30 inträffar två gånger i Europe/Stockholm den natten (klockan ställs"
        " tillbaka): skriv 2026-10-25T02:30+02:00 för den första eller 2026-10-25T02:30+01:00"
        " för den andra."
    )
