"""Reminders with an injected clock for others than the one on shift: flag escalation,
handovers, the morning digest and the coverage watch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.flags import Urgency
from bot.services import flags, presence, reminders, watch
from storage.store import Store
from tests.factories import make_member
from tests.integration.reminder_scene import OFFICE, _flag, at, scene, sent


async def test_flag_reminders_escalate_stop_on_acknowledge_and_cap_at_five(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    tove = await make_member(store, 5, group=group, agency="TULL", language="en")
    first = await _flag(store, anna, group, Urgency.URGENT, at(0))
    # Nobody of TULL is on duty: the flag went to Tove at once (the ladder's second rung);
    # the coordinator gets the flag itself, with its buttons, one deadline later.
    assert any(f"Flag #{first}</b> ·" in x for x in await sent(store, 5))
    await reminders.run_due(store, at(4))
    assert not [x for x in await sent(store, 1) if f"Flag #{first}</b> ·" in x]
    await reminders.run_due(store, at(5))
    assert len([x for x in await sent(store, 5) if "waiting to be acknowledged" in x]) == 1
    assert len([x for x in await sent(store, 1) if f"Flag #{first}</b> ·" in x]) == 1
    await reminders.run_due(store, at(10))
    assert len([x for x in await sent(store, 1) if f"Flag #{first}</b> ·" in x]) == 1
    await reminders.run_due(store, at(60))  # long pause: only the latest step, once
    assert len([x for x in await sent(store, 5) if "waiting to be acknowledged" in x]) == 3
    await reminders.run_due(store, at(120))
    assert len([x for x in await sent(store, 5) if "waiting to be acknowledged" in x]) == 3

    second = await _flag(store, anna, group, Urgency.PRIORITY, at(200))
    await flags.act(store, tove, second, "acknowledge", at(210))
    await reminders.run_due(store, at(300))
    assert not [x for x in await sent(store, 5) if f"#{second} for TULL is waiting" in x]
    await reminders.run_due(store, at(210 + 24 * 60))
    assert any(f"#{second} that you acknowledged" in x for x in await sent(store, 5))


async def test_handover_reminders_and_morning_digest(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await presence.check_in(store, bo, now=at(-5), **OFFICE)
    await presence.check_in(store, anna, now=at(0), **OFFICE)
    await presence.check_out(store, anna, at(60))
    await presence.hand_over(store, anna, 2, "Nyckeln ligger i skåpet", at(60))
    await reminders.run_due(store, at(90))
    assert any("waiting for your acknowledgement" in x for x in await sent(store, 3))
    await reminders.run_due(store, at(120))
    assert any("still not acknowledged" in x for x in await sent(store, 1))

    before = len([x for x in await sent(store, 1) if "Morning digest" in x])
    assert before == 0  # the coordinator joined after this morning's 07:00
    morning = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 07:00 Stockholm
    await reminders.run_due(store, morning)
    digest = [x for x in await sent(store, 1) if "Morning digest" in x][before:]
    assert len(digest) == 1
    assert "2 check-ins, 0 no-shows, 0 flags raised" in digest[0]
    assert "Swedish Police Authority: " in digest[0] and "Gaps in the next 24 h" in digest[0]
    assert "TULL" not in digest[0]  # no TULL member in Rinkeby, no target: not a gap line
    await reminders.run_due(store, morning + timedelta(hours=6))
    assert len([x for x in await sent(store, 1) if "Morning digest" in x]) == before + 1


async def test_coverage_watch_alerts_once_per_change(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await watch.watch(store, at(30))  # Anna planned (1 of 1) but not checked in
    assert len([x for x in await sent(store, 1) if "has 0 of 1 present" in x]) == 1
    await watch.watch(store, at(33))
    assert len([x for x in await sent(store, 1) if "has 0 of 1 present" in x]) == 1
    await presence.check_in(store, anna, now=at(35), **OFFICE)
    await watch.watch(store, at(36))
    assert (
        len([x for x in await sent(store, 1) if "Swedish Police Authority is covered again" in x])
        == 1
    )


async def test_no_covered_again_when_the_plan_ends_with_nobody_back(store: Store) -> None:
    group, coord, anna, bo = await scene(store)
    await watch.watch(store, at(30))  # Anna planned (1 of 1) but not checked in
    assert len([x for x in await sent(store, 1) if "has 0 of 1 present" in x]) == 1
    await watch.watch(store, at(8 * 60 + 1))  # her shift is over; still nobody there
    await watch.watch(store, at(8 * 60 + 4))
    assert not [x for x in await sent(store, 1) if "covered again" in x]
    await presence.check_in(store, bo, now=at(9 * 60), **OFFICE)
    await watch.watch(store, at(9 * 60 + 1))  # present without a plan: nothing was short
    assert not [x for x in await sent(store, 1) if "covered again" in x]
