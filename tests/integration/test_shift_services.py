"""Roster validation, coverage and check-in rules over real storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import NotAllowed
from bot.domain.models import Role
from bot.i18n import t
from bot.services import coverage, presence, roster
from storage.store import Store
from tests.factories import START, make_group, make_member

HEADER = "member,group,start,end\n"


async def _scene(store: Store):
    group = await make_group(store, "Tensta", min_per_agency=1)
    other = await make_group(store, "Husby")
    coord = await make_member(store, 1, role=Role.COORDINATOR, group=group, agency=None)
    tove = await make_member(store, 2, group=group, agency="TULL", username="tove")
    ulf = await make_member(store, 3, group=other, agency="TULL", username="ulf")
    return group, other, coord, tove, ulf


async def test_every_problem_is_reported_with_its_line(store: Store) -> None:
    group, other, coord, tove, ulf = await _scene(store)
    await roster.import_roster(
        store, HEADER + "@tove,Tensta,2026-12-05T08:00,2026-12-05T16:00\n", START
    )
    text = HEADER + "\n".join([
        "@tove,Tensta,2026-12-01T08:00,2026-12-01T16:00",   # 2 ok
        "@ghost,Tensta,2026-12-01T08:00,2026-12-01T16:00",  # 3 unknown member
        "@ulf,Tensta,2026-12-01T08:00,2026-12-01T16:00",    # 4 not in that group
        "@tove,Nowhere,2026-12-01T08:00,2026-12-01T16:00",  # 5 unknown group
        "@tove,Tensta,2026-12-02T08:00,2026-12-03T09:00",   # 6 over 24 h
        "@tove,Tensta,2026-12-01T12:00,2026-12-01T20:00",   # 7 overlaps line 2
        "@tove,Tensta,2026-12-05T12:00,2026-12-05T20:00",   # 8 overlaps an existing shift
        "@tove,Tensta,tomorrow,2026-12-01T20:00",           # 9 bad time
        "3,Tensta,2026-12-04T08:00,2026-12-04T16:00",       # 10 ulf by id: not in group
    ])  # fmt: skip
    with pytest.raises(roster.RosterInvalid) as caught:
        await roster.import_roster(store, text, START, actor=coord)
    found = [(p.line, p.key) for p in caught.value.problems]
    assert found == [
        (3, "roster.unknown_member"), (4, "roster.not_in_group"), (5, "roster.unknown_group"),
        (6, "roster.too_long"), (7, "roster.overlap"), (8, "roster.overlap_existing"),
        (9, "roster.bad_time"), (10, "roster.not_in_group"),
    ]  # fmt: skip
    async with store.read() as tx:
        assert len(await tx.shifts.of_member(tove.id, START, START + timedelta(days=9))) == 1


async def test_coordinator_cannot_import_for_another_group(store: Store) -> None:
    group, other, coord, tove, ulf = await _scene(store)
    text = HEADER + "@ulf,Husby,2026-12-01T08:00,2026-12-01T16:00\n"
    with pytest.raises(roster.RosterInvalid) as caught:
        await roster.import_roster(store, text, START, actor=coord)
    assert [p.key for p in caught.value.problems] == ["roster.not_your_group"]


async def test_semicolons_bom_and_offsets_are_read(store: Store) -> None:
    group, other, coord, tove, ulf = await _scene(store)
    text = (
        "\ufeffMember;Group;Start;End\r\n@tove;Tensta;2026-12-01T08:00+01:00;2026-12-01T16:00Z\r\n"
    )
    report = await roster.import_roster(store, text, START)
    assert report.added == 1
    async with store.read() as tx:
        (shift,) = await tx.shifts.of_member(tove.id, START, START + timedelta(days=3))
    assert shift.starts_at == datetime(2026, 12, 1, 7, tzinfo=UTC)
    assert shift.ends_at == datetime(2026, 12, 1, 16, tzinfo=UTC)


async def test_coverage_gap_is_merged_and_bounded(store: Store) -> None:
    group, other, coord, tove, ulf = await _scene(store)
    text = HEADER + "\n".join([
        "@tove,Tensta,2026-11-30T08:00,2026-11-30T21:00",  # 13 h, the longest allowed
        "@tove,Tensta,2026-12-01T10:00,2026-12-01T23:00",  # after 13 h of rest
    ])  # fmt: skip
    await roster.import_roster(store, text, START)
    report = await coverage.coverage(store, coord, group.id, START)
    tull = [g.gap for g in report.gaps if g.agency.code == "TULL"]
    local = [(g.start.astimezone(UTC), g.end.astimezone(UTC), g.lowest) for g in tull]
    assert local[0] == (
        datetime(2026, 11, 30, 20, tzinfo=UTC),
        datetime(2026, 12, 1, 9, tzinfo=UTC),
        0,
    )
    # No POL member in Tensta and no target set: POL never staffs it, so it has no gaps.
    assert {g.agency.code for g in report.gaps} == {"TULL"}
    with pytest.raises(NotAllowed):
        await coverage.coverage(store, tove, group.id, START)


async def test_several_groups_choose_by_location_or_ask(store: Store) -> None:
    a = await make_group(store, "A", lat=59.40, lon=17.90, radius_m=300)
    b = await make_group(store, "B", lat=59.30, lon=18.10, radius_m=300)
    both = await make_member(store, 9, group=a)
    async with store.transaction() as tx:
        await tx.members.join_group(both.id, b.id, START)
        both = await tx.members.get(both.id)
    assert both is not None
    done = await presence.check_in(store, both, lat=59.30, lon=18.10, accuracy_m=5, now=START)
    assert done.group.name == "B" and done.inside and done.shift is None
    await presence.check_out(store, both, START + timedelta(hours=1))
    with pytest.raises(presence.ChooseGroup) as caught:
        await presence.check_in(store, both, lat=59.29, lon=18.10, accuracy_m=5, now=START)
    assert [g.name for g in caught.value.groups] == ["B", "A"]  # nearest first
    with pytest.raises(presence.CheckInRefused):
        await presence.check_in(store, both, lat=123.0, lon=15.0, accuracy_m=5, now=START)


# The nights the clocks change in Stockholm: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00.


async def test_a_roster_refuses_times_the_clocks_skip_or_show_twice(store: Store) -> None:
    group, other, coord, tove, ulf = await _scene(store)
    text = HEADER + "\n".join([
        "@tove,Tensta,2026-03-29T02:30,2026-03-29T10:00",  # 2 does not exist
        "@tove,Tensta,2026-10-24T20:00,2026-10-25T02:30",  # 3 happens twice
        "@tove,Tensta,2026-10-26T02:30,2026-10-26T10:00",  # 4 a night later: fine
    ])  # fmt: skip
    with pytest.raises(roster.RosterInvalid) as caught:
        await roster.import_roster(store, text, START, actor=coord)
    skipped, twice = caught.value.problems
    assert (skipped.line, skipped.key, skipped.detail) == (
        2,
        "roster.time_skipped",
        "2026-03-29T02:30",
    )
    assert t("en", twice.key, **twice.values()) == (
        "2026-10-25T02:30 happens twice that night (the clocks go back):"
        " write 2026-10-25T02:30+02:00 or 2026-10-25T02:30+01:00"
    )
    assert twice.line == 3
    async with store.read() as tx:
        assert await tx.shifts.of_member(tove.id, utc(2026, 3, 1), utc(2026, 11, 1)) == []
    fixed = HEADER + "@tove,Tensta,2026-10-24T20:00,2026-10-25T02:30+01:00\n"  # the second
    assert (await roster.import_roster(store, fixed, START)).added == 1
    async with store.read() as tx:
        (shift,) = await tx.shifts.of_member(tove.id, utc(2026, 3, 1), utc(2026, 11, 1))
    assert shift.ends_at - shift.starts_at == timedelta(hours=7, minutes=30)  # 6.5 on the clock


async def test_roster_lengths_are_real_hours_across_the_change_nights(store: Store) -> None:
    group, other, coord, tove, ulf = await _scene(store)
    too_long = HEADER + "@tove,Tensta,2026-10-24T23:30,2026-10-25T12:00\n"  # 13.5 real hours
    with pytest.raises(roster.RosterInvalid) as caught:
        await roster.import_roster(store, too_long, START)
    assert [p.key for p in caught.value.problems] == ["roster.too_long"]
    text = HEADER + "\n".join([
        "@tove,Tensta,2026-03-28T23:00,2026-03-29T13:00",  # 14 by the clock, 13 real: allowed
        "@tove,Tensta,2026-10-24T22:00,2026-10-25T06:00",  # 9 real hours
    ])  # fmt: skip
    assert (await roster.import_roster(store, text, START)).added == 2
    async with store.read() as tx:
        shifts = await tx.shifts.of_member(tove.id, utc(2026, 3, 1), utc(2026, 11, 1))
    assert [(s.starts_at, s.ends_at) for s in shifts] == [
        (utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 11, 0)),
        (utc(2026, 10, 24, 20, 0), utc(2026, 10, 25, 5, 0)),
    ]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]
