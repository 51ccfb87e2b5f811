"""The outbox sender's tests: a sender running against the fake Bot API, members who started
the bot, and the queued edits those tests make."""

from __future__ import annotations

from telegram import Bot

from bot.clock import system_clock
from bot.delivery import MAX_IN_FLIGHT, Sender
from bot.domain.models import Member
from bot.domain.outbox import OutboxState
from bot.domain.pacing import Pacer
from storage.store import Store
from tests.factories import make_member
from tests.fakebot import FakeBotApi


async def start_sender(
    bot: Bot, store: Store, pacer: Pacer | None = None, max_in_flight: int = MAX_IN_FLIGHT
) -> Sender:
    """The production sender on the real clock, woken by every transaction that queues."""
    sender = Sender(bot, store, system_clock, pacer=pacer, max_in_flight=max_in_flight)
    store.on_outbox = sender.wake
    await sender.start()
    return sender


async def started_member(store: Store, server: FakeBotApi, uid: int) -> Member:
    """A member who wrote to the bot, so it may write to them."""
    member = await make_member(store, uid)
    await server.user(uid, first_name=f"U{uid}").send("hi")
    return member


async def queue_edit(store: Store, person: Member, text: str) -> None:
    """Queue an edit of every copy of the test object (ref test:1) in the person's chat."""
    async with store.transaction() as tx:
        await tx.outbox.enqueue_edit(
            ref_type="test", ref_id=1, chat_id=person.telegram_user_id,
            text=text, keyboard=None, now=system_clock(),
        )  # fmt: skip


async def settled(store: Store) -> bool:
    """Whether every row of the test object (ref test:1) is out of the queue and not in flight."""
    async with store.read() as tx:
        rows = await tx.outbox.of_ref("test", 1)
    return all(row.state not in (OutboxState.PENDING, OutboxState.SENDING) for row in rows)
