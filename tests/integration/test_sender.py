"""The outbox sender against the fake Bot API: limits, faults, blocking, restarts,
deactivation."""

from __future__ import annotations

import asyncio
import time

from telegram import Bot

from bot.clock import system_clock
from bot.domain.models import Group, Member, Role
from bot.domain.outbox import MAX_ATTEMPTS, Notification, OutboxState, Priority
from bot.domain.pacing import Pacer
from bot.services.delivery import member_returned
from bot.services.members import deactivate_member
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi
from tests.integration.sender_queue import _sent_to, members, queue
from tests.senderkit import settled, start_sender


async def _group_with_coordinator(store: Store, server: FakeBotApi) -> Group:
    """A group whose coordinator (user 900, in English) started the bot."""
    group = await make_group(store)
    await make_member(store, 900, role=Role.COORDINATOR, group=group, language="en")
    await server.user(900, first_name="Coord").send("hi")
    return group


def _delivered(server: FakeBotApi, people: list[Member]) -> int:
    """How many messages these people's chats hold."""
    return sum(len(server.user(m.telegram_user_id).messages) for m in people)


async def states(store: Store) -> dict[OutboxState, int]:
    async with store.read() as tx:
        return await tx.outbox.states("test", 1)


async def test_every_message_once_with_its_keyboard(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    people = await members(store, server, 40)
    sender = await start_sender(bot, store)
    await queue(store, people, "n")
    await queue(store, people, "n")  # the same notification again: de-duplicated
    await server.wait_until(lambda: len(server.calls_to("sendMessage")) >= 40, timeout=10)
    await sender.stop()
    assert await states(store) == {OutboxState.SENT: 40}
    for m in people:
        mine = server.user(m.telegram_user_id).messages
        assert [x.entities_text for x in mine] == [f"Hello {m.id}"]
        assert mine[0].button_texts() == ["OK"]
    assert server.count_429 == 0


async def test_429_pauses_all_sending_and_loses_nothing(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    people = await members(store, server, 10)
    server.fail_next("sendMessage", 429, count=2, retry_after=1)
    loop = asyncio.get_running_loop()
    began = loop.time()
    sender = await start_sender(bot, store)
    await queue(store, people, "r")
    await server.wait_until(lambda: _delivered(server, people) == 10, timeout=10)
    await sender.stop()
    assert await states(store) == {OutboxState.SENT: 10}
    refused = [c for c in server.calls_to("sendMessage") if c.status == 429]
    assert len(refused) == 2
    assert loop.time() - began >= 0.9  # waited retry_after before sending again


async def test_5xx_is_retried_with_backoff_then_delivered(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    people = await members(store, server, 3)
    server.fail_next("sendMessage", 502, count=2)
    sender = await start_sender(bot, store)
    await queue(store, people, "x")
    await server.wait_until(lambda: _delivered(server, people) == 3, timeout=15)
    await sender.stop()
    assert await states(store) == {OutboxState.SENT: 3}


async def test_bad_request_fails_at_once_with_telegrams_reason(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    (person,) = await members(store, server, 1)
    sender = await start_sender(bot, store)
    async with store.transaction() as tx:
        await tx.outbox.enqueue(
            Notification(dedup_key="bad", member_id=person.id, chat_id=person.telegram_user_id,
                         text="<b>unclosed", ref_type="test", ref_id=1,
                         priority=Priority.NORMAL),
            system_clock(),
        )  # fmt: skip
    await server.wait_until(lambda: settled(store), timeout=5)
    await sender.stop()
    async with store.read() as tx:
        (row,) = await tx.outbox.of_ref("test", 1)
    assert row.state is OutboxState.FAILED
    assert "can't parse entities" in (row.error or "").lower()
    assert len(server.calls_to("sendMessage")) == 1  # not retried


async def test_blocked_member_is_held_coordinator_told_once_and_released_on_return(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    group = await _group_with_coordinator(store, server)
    blocker = await make_member(store, 901, group=group, name="Blocky", agency="TULL")
    blocking_user = server.user(901, first_name="Blocky")
    await blocking_user.send("hi")
    blocking_user.block()
    sender = await start_sender(bot, store)
    await queue(store, [blocker], "a")
    await queue(store, [blocker], "b")
    coord_chat = server.user(900)
    await server.wait_until(lambda: len(coord_chat.messages) == 1, timeout=5)
    assert "Blocky (Swedish Customs) cannot be reached" in coord_chat.messages[0].entities_text
    await asyncio.sleep(0.5)
    forbidden = [c for c in server.calls_to("sendMessage") if c.status == 403]
    assert len(forbidden) == 1  # the second message was held, not attempted
    assert await states(store) == {OutboxState.HELD: 2}

    blocking_user.unblock()
    async with store.read() as tx:
        back = await tx.members.get(blocker.id)
    assert back is not None and back.unreachable_since is not None
    assert await member_returned(store, back, system_clock()) == 2
    await server.wait_until(lambda: len(blocking_user.messages) == 2, timeout=5)
    await sender.stop()
    assert len(coord_chat.messages) == 1  # told once, not again on release


async def test_restart_sends_what_was_queued_or_in_flight(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    people = await members(store, server, 6)
    await queue(store, people, "c")
    # A crash in the middle: two were claimed ('sending') and never settled (and, as the
    # claims say, their leases have run out).
    async with store.transaction() as tx:
        for message in (await tx.outbox.due(system_clock()))[:2]:
            assert await tx.outbox.claim(
                message, system_clock(), owner="stopped", until=system_clock()
            )
    sender = await start_sender(bot, store)
    assert sender.recovered == 2
    await server.wait_until(lambda: len(server.calls_to("sendMessage")) == 6, timeout=10)
    await sender.stop()
    assert await states(store) == {OutboxState.SENT: 6}


async def test_a_message_in_flight_at_every_stop_is_sent_at_most_max_attempts_times(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    (person,) = await members(store, server, 1)
    await queue(store, [person], "r")
    # Each stop came while this message was in flight (it may have arrived every time).
    for stops in range(1, MAX_ATTEMPTS + 1):
        async with store.transaction() as tx:
            (message,) = await tx.outbox.due(system_clock())
            assert await tx.outbox.claim(
                message, system_clock(), owner="stopped", until=system_clock()
            )
        sender = await start_sender(bot, store)
        await sender.stop()
        expected = OutboxState.FAILED if stops == MAX_ATTEMPTS else OutboxState.PENDING
        assert await states(store) == {expected: 1}, stops
    async with store.read() as tx:
        (row,) = await tx.outbox.of_ref("test", 1)
    assert row.error == f"in flight at {MAX_ATTEMPTS} stops; it may have arrived"
    assert server.calls_to("sendMessage") == []


async def test_a_claimed_message_whose_chat_an_answer_took_goes_back_in_line(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    (person,) = await members(store, server, 1)
    chat = person.telegram_user_id
    await queue(store, [person], "t")
    pacer = Pacer()
    pacer.pause(1.5, time.monotonic())  # the sender claims the message, then waits here
    sender = await start_sender(bot, store, pacer)
    for _ in range(100):  # the claim, however long a loaded machine takes to make it
        async with store.read() as tx:
            states = [m.state for m in await tx.outbox.of_ref("test", 1)]
        if states == [OutboxState.SENDING]:
            break
        await asyncio.sleep(0.01)
    assert states == [OutboxState.SENDING]
    answered = time.monotonic()  # an answer to that chat takes its turn, at the pause's end
    slot = answered + pacer.reserve(chat, answered)
    await server.wait_until(lambda: len(server.calls_to("sendMessage")) == 1, timeout=8)
    sent = time.monotonic()
    await sender.stop()
    # It waited for the chat's interval after the answer's slot (the slot is the pause's
    # end), not only for the pause to end, and went once, not lost.
    assert sent >= slot + pacer.limits.private_interval_s - 0.05
    async with store.read() as tx:
        (row,) = await tx.outbox.of_ref("test", 1)
    assert (row.state, row.attempts) == (OutboxState.SENT, 0)
    assert server.count_429 == 0


async def test_a_deactivated_member_gets_nothing_queued_before(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    kept, gone = await members(store, server, 2)
    await queue(store, [kept, gone], "before", priority=Priority.NORMAL)
    async with store.transaction() as tx:  # e.g. another process, between queue and claim
        await tx.members.set_active(gone.id, False, system_clock())
    sender = await start_sender(bot, store)
    await server.wait_until(lambda: kept.telegram_user_id in _sent_to(server), timeout=5)
    await asyncio.sleep(0.3)
    await sender.stop()
    assert _sent_to(server) == [kept.telegram_user_id]
    async with store.read() as tx:
        assert await tx.outbox.states("test", 1) == {
            OutboxState.SENT: 1, OutboxState.CANCELLED: 1
        }  # fmt: skip


async def test_deactivating_cancels_what_was_queued_or_held(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    group = await make_group(store)
    await make_member(store, 900, role=Role.COORDINATOR, group=group)
    gone = await make_member(store, 901, group=group)
    await queue(store, [gone], "held", priority=Priority.NORMAL)
    async with store.transaction() as tx:
        await tx.outbox.hold_member(gone.id, system_clock())  # as after a 403
    await queue(store, [gone], "queued", priority=Priority.NORMAL)
    await deactivate_member(store, gone.id, system_clock())
    async with store.read() as tx:
        assert await tx.outbox.states("test", 1) == {OutboxState.CANCELLED: 2}


async def test_twenty_blocked_members_give_a_coordinator_one_message(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    group = await _group_with_coordinator(store, server)
    blockers = []
    for uid in range(901, 921):
        blockers.append(await make_member(store, uid, group=group, name=f"B{uid}"))
        user = server.user(uid, first_name=f"B{uid}")
        await user.send("hi")
        user.block()
    sender = await start_sender(bot, store)
    await queue(store, blockers, "notice")  # each is refused with 403
    coord = server.user(900)
    await server.wait_until(lambda: len(server.calls_to("sendMessage")) >= 21, timeout=10)
    await server.wait_until(
        lambda: "20 people cannot be reached" in coord.messages[-1].entities_text, timeout=10
    )
    assert len(coord.messages) == 1  # one message, edited, not twenty
    assert all(f"B{uid}" in coord.messages[0].entities_text for uid in range(901, 921))

    server.user(905).unblock()
    async with store.read() as tx:
        back = await tx.members.get(blockers[4].id)
    assert back is not None
    await member_returned(store, back, system_clock())
    await server.wait_until(
        lambda: "19 people cannot be reached" in coord.messages[0].entities_text, timeout=5
    )
    await sender.stop()
    assert "B905" not in coord.messages[0].entities_text
    assert len(coord.messages) == 1
