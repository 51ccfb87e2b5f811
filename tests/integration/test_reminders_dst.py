"""Reminders across both daylight-saving nights in Stockholm (2026-03-29: 02:00 -> 03:00;
2026-10-25: 03:00 -> 02:00): lead and evening-before reminders, quiet hours and the 07:00
digest fall at the right instants, and durations are real hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.models import Role
from bot.services import presence, reminders, roster, settings
from storage.store import Store
from tests.factories import make_group, make_member
from tests.integration.test_reminders import OFFICE, sent

BEFORE = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


async def scene(store: Store, *shifts: tuple[str, str]):
    group = await make_group(store, "Rinkeby", min_per_agency=1)
    coord = await make_member(store, 1, role=Role.COORDINATOR, group=group, agency=None,
                              language="en")  # fmt: skip
    anna = await make_member(store, 2, group=group, agency="POL", name="Anna", username="anna",
                             language="en")  # fmt: skip
    if shifts:
        lines = "".join(f"@anna,Rinkeby,{start},{end}\n" for start, end in shifts)
        await roster.import_roster(store, "member,group,start,end\n" + lines, BEFORE)
    return group, coord, anna


async def texts(store: Store, chat: int, needle: str) -> list[str]:
    return [x for x in await sent(store, chat) if needle in x]


async def test_lead_time_is_real_minutes_across_the_spring_change(store: Store) -> None:
    # 05:00 summer time on the 29th is 03:00 UTC; three hours before is 00:00 UTC, which the
    # clocks showed as 01:00 winter time (wall-clock arithmetic would say 02:00).
    group, coord, anna = await scene(store, ("2026-03-29T05:00", "2026-03-29T13:00"))
    await settings.change(store, anna, "lead", "180", BEFORE)
    await reminders.run_due(store, utc(2026, 3, 28, 23, 59))
    assert await texts(store, 2, "starts in") == []
    await reminders.run_due(store, utc(2026, 3, 29, 0, 0))
    assert await texts(store, 2, "starts in") == [
        "⏰ Your shift starts in 180 min: Sun 29/3 05:00–13:00."
    ]


async def test_lead_time_is_real_minutes_across_the_autumn_change(store: Store) -> None:
    # 03:00 winter time on the 25th is 02:00 UTC; three hours before is 23:00 UTC, which the
    # clocks showed as 01:00 summer time (wall-clock arithmetic would say 00:00).
    group, coord, anna = await scene(store, ("2026-10-25T03:00", "2026-10-25T11:00"))
    await settings.change(store, anna, "lead", "180", BEFORE)
    await reminders.run_due(store, utc(2026, 10, 24, 22, 59))
    assert await texts(store, 2, "starts in") == []
    await reminders.run_due(store, utc(2026, 10, 24, 23, 0))
    assert await texts(store, 2, "starts in") == [
        "⏰ Your shift starts in 180 min: Sun 25/10 03:00–11:00."
    ]


async def test_a_shift_in_the_repeated_hour_says_which_one_it_is(store: Store) -> None:
    # The second 02:30 (winter time, 01:30 UTC): an hour before it the clocks show the first
    # 02:30, so "starts in 60 min: 02:30" alone would read as "now".
    group, coord, anna = await scene(store, ("2026-10-25T02:30+01:00", "2026-10-25T10:30"))
    await settings.change(store, anna, "lead", "60", BEFORE)
    await reminders.run_due(store, utc(2026, 10, 25, 0, 29))
    assert await texts(store, 2, "starts in") == []
    await reminders.run_due(store, utc(2026, 10, 25, 0, 30))
    assert await texts(store, 2, "starts in") == [
        "⏰ Your shift starts in 60 min: Sun 25/10 02:30 CET–10:30."
    ]


async def test_evening_before_is_21_00_local_on_both_change_nights(store: Store) -> None:
    group, coord, anna = await scene(
        store,
        ("2026-03-29T06:00", "2026-03-29T14:00"),  # the evening before is still winter time
        ("2026-10-25T06:00", "2026-10-25T14:00"),  # the evening before is still summer time
    )
    await settings.change(store, anna, "evening", "", BEFORE)
    await reminders.run_due(store, utc(2026, 3, 28, 19, 59))
    assert await texts(store, 2, "early shift tomorrow") == []
    await reminders.run_due(store, utc(2026, 3, 28, 20, 0))  # 21:00 CET
    assert len(await texts(store, 2, "early shift tomorrow, Sun 29/3 06:00–14:00")) == 1
    await reminders.run_due(store, utc(2026, 10, 24, 18, 59))
    assert len(await texts(store, 2, "early shift tomorrow")) == 1
    await reminders.run_due(store, utc(2026, 10, 24, 19, 0))  # 21:00 CEST
    assert len(await texts(store, 2, "early shift tomorrow, Sun 25/10 06:00–14:00")) == 1


async def test_an_evening_reminder_never_says_tomorrow_on_the_day(store: Store) -> None:
    group, coord, anna = await scene(store, ("2026-10-25T07:30", "2026-10-25T15:30"))
    await settings.change(store, anna, "evening", "", BEFORE)
    await reminders.run_due(store, utc(2026, 10, 25, 6, 0))  # down from before 21:00 to 07:00
    assert await texts(store, 2, "tomorrow") == []
    assert await texts(store, 2, "starts in 30 min") == [
        "⏰ Your shift starts in 30 min: Sun 25/10 07:30–15:30."
    ]


async def test_quiet_hours_end_at_07_00_local_on_both_change_mornings(store: Store) -> None:
    group, coord, anna = await scene(
        store,
        ("2026-03-29T07:30", "2026-03-29T15:30"),
        ("2026-10-25T07:30", "2026-10-25T15:30"),
    )
    await settings.change(store, anna, "quiet", "22-07", BEFORE)
    for quiet_end in (utc(2026, 3, 29, 5, 0), utc(2026, 10, 25, 6, 0)):  # 07:00 CEST, CET
        await reminders.run_due(store, quiet_end - timedelta(minutes=30))  # lead due: quiet
        await reminders.run_due(store, quiet_end - timedelta(minutes=1))
        assert len(await texts(store, 2, "starts in")) == (quiet_end.month == 10)
        await reminders.run_due(store, quiet_end)
    assert await texts(store, 2, "starts in") == [
        "⏰ Your shift starts in 30 min: Sun 29/3 07:30–15:30.",
        "⏰ Your shift starts in 30 min: Sun 25/10 07:30–15:30.",
    ]


async def test_news_held_in_quiet_hours_comes_at_07_00_local_on_both_change_nights(
    store: Store,
) -> None:
    group, coord, anna = await scene(store)
    await settings.change(store, anna, "quiet", "22-07", BEFORE)
    nights = [  # 23:30 the evening before, and 07:00 the morning after, in UTC
        (utc(2026, 3, 28, 22, 30), utc(2026, 3, 29, 5, 0), "2026-03-30"),  # CET -> CEST
        (utc(2026, 10, 24, 21, 30), utc(2026, 10, 25, 6, 0), "2026-10-26"),  # CEST -> CET
    ]
    for told, (evening, morning, day) in enumerate(nights):
        line = f"@anna,Rinkeby,{day}T10:00,{day}T18:00\n"
        await roster.import_roster(store, "member,group,start,end\n" + line, evening)
        await reminders.run_due(store, morning - timedelta(minutes=1))
        assert len(await texts(store, 2, "New shifts")) == told
        await reminders.run_due(store, morning)
        assert len(await texts(store, 2, "New shifts")) == told + 1


# The coordinator joined on 2026-11-30 (tests.factories.START), so the digests are tried on
# 2027's change nights: 2027-03-28 and 2027-10-31.


async def digest_counts(store: Store) -> list[str]:
    return [x.split("\n")[1].split(",")[0] for x in await texts(store, 1, "Morning digest")]


async def test_spring_digests_at_07_00_count_the_23_hour_night_once(store: Store) -> None:
    group, coord, anna = await scene(store)
    await presence.check_in(store, anna, now=utc(2027, 3, 27, 5, 30), **OFFICE)  # 06:30 CET
    await presence.check_out(store, anna, utc(2027, 3, 27, 14, 0))
    sent_by = []
    for moment in (
        utc(2027, 3, 27, 5, 59), utc(2027, 3, 27, 6, 0),  # Saturday 07:00 CET
        utc(2027, 3, 28, 4, 59), utc(2027, 3, 28, 5, 0),  # Sunday 07:00 CEST
    ):  # fmt: skip
        await reminders.run_due(store, moment)
        sent_by.append(len(await texts(store, 1, "Morning digest")))
    assert sent_by == [0, 1, 1, 2]
    # 24 real hours before Sunday 07:00 CEST is Saturday 06:00 CET: the check-in at 06:30
    # would be counted on both mornings.
    assert await digest_counts(store) == ["Last 24 h: 1 check-ins", "Last 24 h: 0 check-ins"]


async def test_autumn_digests_at_07_00_count_the_25_hour_night_whole(store: Store) -> None:
    group, coord, anna = await scene(store)
    await presence.check_in(store, anna, now=utc(2027, 10, 30, 5, 30), **OFFICE)  # 07:30 CEST
    await presence.check_out(store, anna, utc(2027, 10, 30, 14, 0))
    await reminders.run_due(store, utc(2027, 10, 30, 5, 0))  # Saturday 07:00 CEST
    await reminders.run_due(store, utc(2027, 10, 31, 5, 0))  # 06:00 CET: not yet
    assert len(await texts(store, 1, "Morning digest")) == 1
    await reminders.run_due(store, utc(2027, 10, 31, 6, 0))  # Sunday 07:00 CET
    # 24 real hours before Sunday 07:00 CET is Saturday 08:00 CEST: 07:30 would be lost.
    assert await digest_counts(store) == ["Last 24 h: 0 check-ins", "Last 24 h: 1 check-ins"]
