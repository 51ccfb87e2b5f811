"""The sender leases messages a few at a time, ahead of their slots: a busy writer does not
hold up sends already leased, and whatever a round leaves unsent goes back in line."""

from __future__ import annotations

from datetime import datetime

from telegram import Bot

from bot.delivery import CLAIM_AHEAD
from bot.domain.models import Member
from bot.domain.outbox import Notification, OutboxState, Priority
from bot.domain.pacing import Limits, Pacer
from storage.store import Store
from tests.fakebot import FakeBotApi
from tests.senderkit import start_sender, started_member


async def _queue(store: Store, people: list[Member], priority: Priority = Priority.BULK) -> None:
    async with store.transaction() as tx:
        for m in people:
            await tx.outbox.enqueue(
                Notification(dedup_key=f"c:{m.id}", member_id=m.id, chat_id=m.telegram_user_id,
                             text=f"To {m.id}", ref_type="test", ref_id=1, priority=priority),
                datetime.now().astimezone(),
            )  # fmt: skip


def _sent(server: FakeBotApi) -> int:
    return sum(1 for c in server.calls_to("sendMessage") if c.ok)


async def _rows(store: Store) -> list[tuple[OutboxState, int]]:
    async with store.read() as tx:
        return [(r.state, r.attempts) for r in await tx.outbox.of_ref("test", 1)]


async def test_sends_already_leased_go_on_while_the_writer_is_busy(
    server: FakeBotApi, bot: Bot, sqlite_store: Store
) -> None:
    store = sqlite_store
    people = [await started_member(store, server, uid) for uid in range(1, 21)]
    await _queue(store, people)
    # A slot every 0.1 s, so the sends to come are far apart enough to tell.
    sender = await start_sender(bot, store, Pacer(Limits(global_per_s=10.0)))
    await server.wait_until(lambda: _sent(server) >= 1, timeout=5)
    async with store.db.transaction():  # another transaction holds the writer meanwhile
        held = _sent(server)
        await server.wait_until(lambda: _sent(server) >= held + 4, timeout=3)
    await server.wait_until(lambda: _sent(server) == 20, timeout=10)
    await sender.stop()
    assert await _rows(store) == [(OutboxState.SENT, 0)] * 20


async def test_the_next_few_are_leased_while_the_last_ones_go(
    server: FakeBotApi, bot: Bot, sqlite_store: Store
) -> None:
    store = sqlite_store
    people = [await started_member(store, server, uid) for uid in range(1, 31)]
    await _queue(store, people)
    # Room for many requests waiting to be settled, so only leases limit what goes.
    sender = await start_sender(bot, store, Pacer(Limits(global_per_s=10.0)), max_in_flight=30)
    await server.wait_until(lambda: _sent(server) >= CLAIM_AHEAD + 2, timeout=5)
    async with store.db.transaction():  # the writer busy for longer than a lease's few
        # One more than the two batches leased so far: a batch leased before the writer
        # was taken, while the one before it went.
        beyond = max(_sent(server), 2 * CLAIM_AHEAD) + 1
        await server.wait_until(lambda: _sent(server) >= beyond, timeout=5)
    await server.wait_until(lambda: _sent(server) == 30, timeout=10)
    await sender.stop()
    assert await _rows(store) == [(OutboxState.SENT, 0)] * 30


async def test_a_stop_puts_back_what_was_leased_and_not_sent(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    people = [await started_member(store, server, uid) for uid in range(1, 21)]
    await _queue(store, people)
    sender = await start_sender(bot, store, Pacer(Limits(global_per_s=10.0)))
    await server.wait_until(lambda: _sent(server) >= 2, timeout=5)
    await sender.stop()
    rows = await _rows(store)
    sent = _sent(server)
    assert sent < 20  # stopped in the middle
    # Nothing left in flight (or leased for ever): what did not go waits, not counted as tried.
    assert sorted(rows) == sorted(
        [(OutboxState.SENT, 0)] * sent + [(OutboxState.PENDING, 0)] * (20 - sent)
    )


async def test_urgent_queued_mid_lease_goes_next_and_the_rest_follows_untried(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    people = [await started_member(store, server, uid) for uid in range(1, 22)]
    await _queue(store, people[:20])
    sender = await start_sender(bot, store, Pacer(Limits(global_per_s=10.0)))
    await server.wait_until(lambda: _sent(server) >= 2, timeout=5)
    await _queue(store, people[20:], Priority.URGENT)
    before = _sent(server)  # from its commit on
    await server.wait_until(lambda: _sent(server) == 21, timeout=10)
    await sender.stop()
    order = [c.params["chat_id"] for c in server.calls_to("sendMessage") if c.ok]
    assert order.index(21) <= before + 2  # not behind the messages leased before it came
    assert await _rows(store) == [(OutboxState.SENT, 0)] * 21
