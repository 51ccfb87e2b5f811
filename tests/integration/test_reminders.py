"""Reminders with an injected clock: each sent once at the right moment, not when its cause
went away, the down-time rule, quiet hours, automatic check-outs, the scan's batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.flags import Urgency
from bot.services import presence, reminders, roster, settings
from storage.store import Store
from tests.factories import make_member
from tests.integration.reminder_scene import OFFICE, T0, _flag, at, scene, sent


async def lead(store: Store) -> list[str]:
    return [x for x in await sent(store, 2) if "starts in 60 min" in x]


async def test_lead_reminder_once_at_its_moment(store: Store) -> None:
    await scene(store)
    await reminders.run_due(store, at(-61))  # (sends the coordinator's morning digest)
    assert await lead(store) == []
    result = await reminders.run_due(store, at(-60))
    assert result.sent == 1 and result.next_due is None  # nothing else within 30 s
    assert (await reminders.run_due(store, at(-59))).sent == 0
    assert len(await lead(store)) == 1
    # The scan looks 30 s ahead, so the job can wake exactly when the next one falls due.
    assert (await reminders.run_due(store, at(9.75))).next_due == at(10)


async def test_the_scan_commits_without_waiting_for_the_disk(store: Store, monkeypatch) -> None:
    """What a scan marks done and queues is lost together by a power cut, and found due
    again by the next scan: its commits need not wait for the disk; a handler's do."""
    await scene(store)
    kinds: list[bool] = []
    transaction = store.db.transaction

    def spied(durable: bool = True):
        kinds.append(durable)
        return transaction(durable=durable)

    monkeypatch.setattr(store.db, "transaction", spied)
    assert (await reminders.run_due(store, at(-60))).sent >= 1
    assert kinds and not any(kinds)


async def test_missed_check_in_reminds_then_alerts_unless_checked_in(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await presence.check_in(store, bo, now=at(-5), **OFFICE)
    await reminders.run_due(store, at(-60))
    await reminders.run_due(store, at(10))
    assert any("not checked in. Send /checkin" in x for x in await sent(store, 2))
    await reminders.run_due(store, at(20))
    for chat in (1, 3):  # the coordinator and the checked-in colleague of the same agency
        assert any(
            "Anna (Swedish Police Authority) has not checked in" in x
            for x in await sent(store, chat)
        )
    assert (await reminders.run_due(store, at(25))).sent == 0


async def test_checking_in_or_cancelling_stops_reminders(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await presence.check_in(store, anna, now=at(-70), **OFFICE)  # before the lead time
    await reminders.run_due(store, at(-60))
    await reminders.run_due(store, at(30))
    assert await sent(store, 2) == [x for x in await sent(store, 2) if "New shifts" in x]
    assert not [x for x in await sent(store, 1) if "has not checked in" in x]

    other = await make_member(store, 4, group=group, agency="TULL", username="tove",
                              language="en")  # fmt: skip
    await roster.import_roster(
        store,
        "member,group,start,end\n@tove,Rinkeby,2026-11-30T12:00,2026-11-30T20:00\n",
        T0 - timedelta(days=1),
    )
    async with store.read() as tx:
        (shift,) = await tx.shifts.of_member(other.id, at(0), at(600))
    await roster.cancel_shift(store, coord, shift.id, at(30))
    await reminders.run_due(store, at(120 + 30))
    assert not [x for x in await sent(store, 4) if "starts in" in x or "not checked in" in x]


async def test_end_reminder_and_automatic_check_out(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await presence.check_in(store, anna, now=at(-5), **OFFICE)
    await reminders.run_due(store, at(8 * 60))
    assert any("Your shift ended at 18:00" in x for x in await sent(store, 2))
    await reminders.run_due(store, at(9 * 60))
    async with store.read() as tx:
        assert await tx.presences.open_for(anna.id) is not None
    await reminders.run_due(store, at(10 * 60))
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT checked_out_at, checkout_kind FROM presences WHERE member_id = ?", (anna.id,)
        )
    assert [tuple(r) for r in rows] == [(at(10 * 60).isoformat(), "auto")]
    assert any("checked out automatically at 20:00" in x for x in await sent(store, 2))


async def test_end_reminder_of_the_longest_shift_read_late(store: Store) -> None:
    """The scan finds shifts ending by their start too (an index range): a 13-hour shift
    whose end a scan first sees almost two hours late is still found."""
    group, coord, anna, bo = await scene(store)
    await roster.import_roster(
        store,
        "member,group,start,end\n@anna,Rinkeby,2026-12-01T05:00,2026-12-01T18:00\n",
        T0 - timedelta(days=1),
    )
    await presence.check_in(store, anna, now=datetime(2026, 12, 1, 3, 55, tzinfo=UTC), **OFFICE)
    ended = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 18:00 in Stockholm
    await reminders.run_due(store, ended + timedelta(minutes=119))
    assert any("Your shift ended at 18:00" in x for x in await sent(store, 2))


async def test_down_time_sends_what_still_makes_sense_once(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    result = await reminders.run_due(store, at(3 * 60))  # down from 08:59 until 13:00
    texts = await sent(store, 2)
    assert not [x for x in texts if "starts in" in x]  # the shift has started: dropped
    assert len([x for x in texts if "not checked in" in x]) == 1  # still running: sent once
    assert result.sent == 2  # Anna's missed check-in and the coordinator's alert; no digest
    assert (await reminders.run_due(store, at(3 * 60 + 1))).sent == 0
    await reminders.run_due(store, at(9 * 60))  # shift over: nothing about it is sent now
    assert len([x for x in await sent(store, 2) if "not checked in" in x]) == 1


async def test_quiet_hours_defer_but_missed_check_in_comes_through(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await settings.change(store, anna, "quiet", "22-07", at(-600))
    await roster.import_roster(
        store,
        "member,group,start,end\n@anna,Rinkeby,2026-12-01T06:30,2026-12-01T09:30\n",
        T0,
    )
    early = datetime(2026, 12, 1, 5, 30, tzinfo=UTC)  # 06:30 Stockholm
    result = await reminders.run_due(store, early - timedelta(minutes=60))  # 05:30, quiet
    assert result.deferred >= 1
    await reminders.run_due(store, early + timedelta(minutes=10))  # 06:40, still quiet
    texts = await sent(store, 2)
    assert any("not checked in" in x for x in texts)
    assert not [x for x in texts if "starts in 60 min" in x and "1/12" in x]


async def test_no_automatic_check_out_in_the_middle_of_a_double_shift(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await roster.import_roster(
        # 13 h in a row with the 10:00-18:00 shift, the longest the rest rule allows
        store,
        "member,group,start,end\n@anna,Rinkeby,2026-11-30T18:00,2026-11-30T23:00\n",
        T0,
    )
    await presence.check_in(store, anna, now=at(-5), **OFFICE)
    await reminders.run_due(store, at(10 * 60))  # 20:00: two hours after the first shift
    async with store.read() as tx:
        assert await tx.presences.open_for(anna.id) is not None
    await reminders.run_due(store, at(18 * 60))  # 04:00: two hours after the second
    async with store.read() as tx:
        assert await tx.presences.open_for(anna.id) is None


async def test_checked_in_then_out_early_is_no_no_show_for_scan_or_digest(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await presence.check_in(store, anna, now=at(-5), **OFFICE)
    await presence.check_out(store, anna, at(5))  # left early: she came, so no no-show
    await reminders.run_due(store, at(10))
    await reminders.run_due(store, at(20))
    assert not [x for x in await sent(store, 2) if "not checked in" in x]
    assert not [x for x in await sent(store, 1) if "has not checked in" in x]
    await reminders.run_due(store, datetime(2026, 12, 1, 6, 0, tzinfo=UTC))  # 07:00 digest
    (digest,) = [x for x in await sent(store, 1) if "Morning digest" in x]
    assert "1 check-ins, 0 no-shows" in digest


async def test_a_check_in_before_the_shift_that_ended_before_it_is_a_no_show(
    store: Store,
) -> None:
    group, coord, anna, bo = await scene(store)
    await presence.check_in(store, anna, now=at(-120), **OFFICE)
    await presence.check_out(store, anna, at(-90))  # gone again before the shift began
    await reminders.run_due(store, at(10))
    await reminders.run_due(store, at(20))
    assert len([x for x in await sent(store, 2) if "not checked in" in x]) == 1
    assert (
        len(
            [
                x
                for x in await sent(store, 1)
                if "Anna (Swedish Police Authority) has not checked in" in x
            ]
        )
        == 1
    )
    await reminders.run_due(store, datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    (digest,) = [x for x in await sent(store, 1) if "Morning digest" in x]
    assert "1 check-ins, 1 no-shows" in digest


async def test_an_open_check_in_is_closed_after_days_of_down_time(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await presence.check_in(store, anna, now=at(-5), **OFFICE)
    await reminders.run_due(store, at(60))
    await reminders.run_due(store, at(3 * 24 * 60))  # down from 11:00 until three days later
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT checked_out_at, checkout_kind FROM presences WHERE member_id = ?", (anna.id,)
        )
    assert [tuple(r) for r in rows] == [(at(10 * 60).isoformat(), "auto")]  # end + 2 h
    told = [x for x in await sent(store, 2) if "checked out automatically" in x]
    assert told == ["🔒 You were checked out automatically at Mon 30/11 20:00, two hours after "
                    "your shift ended."]  # fmt: skip
    assert (await reminders.run_due(store, at(3 * 24 * 60 + 1))).sent == 0


async def test_a_late_lead_reminder_says_the_real_time_left(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await reminders.run_due(store, at(-45))  # the bot was down at the lead time (09:00)
    assert [x for x in await sent(store, 2) if "starts in" in x] == [
        "⏰ Your shift starts in 45 min: Mon 30/11 10:00–18:00."
    ]
    await settings.change(store, bo, "quiet", "22-07", at(0))
    await roster.import_roster(
        store, "member,group,start,end\n3,Rinkeby,2026-12-01T07:20,2026-12-01T15:00\n", at(0)
    )
    await reminders.run_due(store, datetime(2026, 12, 1, 5, 20, tzinfo=UTC))  # 06:20, quiet
    await reminders.run_due(store, datetime(2026, 12, 1, 6, 0, tzinfo=UTC))  # 07:00
    assert [x for x in await sent(store, 3) if "starts in" in x] == [
        "⏰ Your shift starts in 20 min: Tue 1/12 07:20–15:00."
    ]


async def test_roster_news_waits_for_the_end_of_quiet_hours(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await settings.change(store, bo, "quiet", "22-07", at(0))
    night = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 23:30 Stockholm
    await roster.import_roster(
        store, "member,group,start,end\n3,Rinkeby,2026-12-02T10:00,2026-12-02T18:00\n", night
    )
    assert not [x for x in await sent(store, 3) if "New shifts" in x]
    await reminders.run_due(store, night + timedelta(hours=2))  # 01:30, still quiet
    assert not [x for x in await sent(store, 3) if "New shifts" in x]
    await reminders.run_due(store, datetime(2026, 12, 1, 6, 0, tzinfo=UTC))  # 07:00
    await reminders.run_due(store, datetime(2026, 12, 1, 6, 1, tzinfo=UTC))
    news = [x for x in await sent(store, 3) if "New shifts" in x]
    assert news == ["📅 New shifts:\n• Wed 2/12 10:00–18:00 (Rinkeby)"]
    await roster.import_roster(  # by day it goes out at once
        store, "member,group,start,end\n3,Rinkeby,2026-12-03T10:00,2026-12-03T18:00\n",
        datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    )  # fmt: skip
    assert len([x for x in await sent(store, 3) if "New shifts" in x]) == 2


async def test_a_check_in_without_a_shift_is_closed_twelve_hours_later(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await presence.check_in(store, bo, now=at(0), **OFFICE)  # Bo has no shift today
    await reminders.run_due(store, at(12 * 60 - 1))
    async with store.read() as tx:
        assert await tx.presences.open_for(bo.id) is not None
    await reminders.run_due(store, at(12 * 60))
    async with store.read() as tx:
        assert await tx.presences.open_for(bo.id) is None
    assert [x for x in await sent(store, 3) if "checked out automatically" in x] == [
        "🔒 You were checked out automatically at 22:00, twelve hours after you checked in"
        " (no shift was planned)."
    ]


async def test_more_due_than_a_scan_settles_go_over_scans_urgent_first_each_once(
    store: Store,
) -> None:
    group, coord, anna, bo = await scene(store)
    more = [await make_member(store, n, group=group, language="en") for n in range(6, 10)]
    rows = "".join(f"{m.id},Rinkeby,2026-11-30T10:00,2026-11-30T18:00\n" for m in more)
    await roster.import_roster(store, "member,group,start,end\n" + rows, T0 - timedelta(days=1))
    await make_member(store, 5, group=group, agency="TULL", language="en")
    await reminders.run_due(store, at(-61))  # the coordinator's morning digest
    await _flag(store, anna, group, Urgency.URGENT, at(-64.5))  # escalates at -59.5
    experts = (2, *range(6, 10))

    async def leads() -> list[str]:
        return [x for c in experts for x in await sent(store, c) if "starts in" in x]

    first = await reminders.run_due(store, at(-59), limit=2)
    # The flag's two urgent messages before five lead reminders due half a minute earlier.
    assert first.sent == 2 and first.more and first.next_due == at(-59) + reminders.CONTINUE_AFTER
    assert await leads() == []
    assert any("waiting to be acknowledged" in x for x in await sent(store, 5))
    assert any("Flag #" in x for x in await sent(store, 1))
    now, sent_later = at(-59), []
    for _ in range(3):
        now += reminders.CONTINUE_AFTER
        result = await reminders.run_due(store, now, limit=2)
        sent_later.append(result.sent)
    assert sent_later == [2, 2, 1] and not result.more and result.next_due is None
    assert await leads() == ["⏰ Your shift starts in 59 min: Mon 30/11 10:00–18:00."] * 5
    assert (await reminders.run_due(store, now + timedelta(minutes=1))).sent == 0
