"""The outbox sender's order: urgent ahead of a broadcast, and no chat, busy or refused with
a 429, holding up the others unless Telegram pauses the whole bot."""

from __future__ import annotations

import asyncio

from telegram import Bot

from bot.clock import system_clock
from bot.domain.outbox import Notification, Priority
from storage.store import Store
from tests.fakebot import FakeBotApi
from tests.integration.sender_queue import _sent_to, members, queue
from tests.senderkit import start_sender


async def test_urgent_goes_ahead_of_a_queued_broadcast(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    people = await members(store, server, 31)
    await queue(store, people[:30], "notice")
    await queue(store, people[30:], "flag", priority=Priority.URGENT)
    await queue(store, people[:1], "handover", priority=Priority.NORMAL)
    sender = await start_sender(bot, store)
    await server.wait_until(lambda: len(_sent_to(server)) >= 3, timeout=5)
    await sender.stop()
    assert _sent_to(server)[:2] == [31, 1]  # the urgent flag, then the handover


async def test_urgent_queued_during_a_broadcast_goes_next(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    people = await members(store, server, 41)
    sender = await start_sender(bot, store)
    await queue(store, people[:40], "notice")
    await server.wait_until(lambda: len(_sent_to(server)) >= 5, timeout=5)
    await queue(store, people[40:], "flag", priority=Priority.URGENT)
    # Counted from its commit: until then the sender goes on with what it leased before.
    before = len(_sent_to(server))
    await server.wait_until(lambda: 41 in _sent_to(server), timeout=5)
    await sender.stop()
    # Not behind the rest of the broadcast: at most a couple already on their way go first.
    assert _sent_to(server).index(41) <= before + 2


async def test_one_busy_chat_does_not_hold_the_others(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    busy, other = await members(store, server, 2)
    async with store.transaction() as tx:
        for n in range(60):
            note = Notification(
                dedup_key=f"busy:{n}", member_id=busy.id, chat_id=busy.telegram_user_id,
                text=f"Busy {n}", priority=Priority.NORMAL,
            )  # fmt: skip
            await tx.outbox.enqueue(note, system_clock())
    await queue(store, [other], "other", priority=Priority.NORMAL)
    sender = await start_sender(bot, store)
    await server.wait_until(lambda: other.telegram_user_id in _sent_to(server), timeout=5)
    await sender.stop()
    assert _sent_to(server).index(other.telegram_user_id) <= 1  # not after the busy chat's 60


async def test_a_429_for_one_chat_holds_up_only_that_chat(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    people = await members(store, server, 6)
    first = people[0].telegram_user_id
    server.fail_next("sendMessage", 429, retry_after=3, chat_id=first)
    await queue(store, people[:1], "slow")
    await queue(store, people[1:], "others")
    sender = await start_sender(bot, store)
    await server.wait_until(lambda: sorted(_sent_to(server)) == [1, 2, 3, 4, 5, 6], timeout=8)
    await sender.stop()
    assert _sent_to(server)[-1] == first  # the others did not wait out its 3 s


async def test_429s_for_several_chats_pause_everything(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    people = await members(store, server, 6)
    server.fail_next("sendMessage", 429, retry_after=2, chat_id=1)
    server.fail_next("sendMessage", 429, retry_after=2, chat_id=2)
    await queue(store, people[:2], "first")
    sender = await start_sender(bot, store)
    await server.wait_until(lambda: server.count_429 == 2, timeout=5)
    refused_at = asyncio.get_running_loop().time()
    await queue(store, people[2:], "later")
    await server.wait_until(lambda: len(_sent_to(server)) == 6, timeout=10)
    await sender.stop()
    # Two chats refused at once: the bot as a whole is over the limit, so all sending waited.
    assert asyncio.get_running_loop().time() - refused_at >= 1.5
