"""The outbox sender's edits: collapsed to the newest, ahead of queued sends, given up or
folded with their original, sent only when they change something."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot

from bot.clock import system_clock
from bot.domain.outbox import LEASE, OutboxMessage, OutboxState
from storage.errors import StorageBusy
from storage.outbox import OutboxRepository
from storage.store import Store
from tests.factories import make_member
from tests.fakebot import FakeBotApi
from tests.integration.sender_queue import members, queue
from tests.senderkit import queue_edit, settled, start_sender


async def test_edits_collapse_to_the_newest(server: FakeBotApi, bot: Bot, store: Store) -> None:
    (person,) = await members(store, server, 1)
    sender = await start_sender(bot, store)
    await queue(store, [person], "e", text="v0")
    chat = server.user(person.telegram_user_id)
    await server.wait_until(lambda: len(chat.messages) == 1, timeout=5)
    await sender.stop()  # edits pile up while the sender is down
    for version in range(1, 6):
        await queue_edit(store, person, f"v{version}")
    sender = await start_sender(bot, store)
    await server.wait_until(lambda: chat.messages[0].entities_text == "v5", timeout=5)
    await asyncio.sleep(0.3)
    await sender.stop()
    assert len(server.calls_to("editMessageText")) == 1
    assert len(chat.messages) == 1


async def test_an_edit_whose_original_cannot_be_read_for_a_moment_goes_later(
    server: FakeBotApi, bot: Bot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    (person,) = await members(store, server, 1)
    sender = await start_sender(bot, store)
    await queue(store, [person], "e", text="v0")
    chat = server.user(person.telegram_user_id)
    await server.wait_until(lambda: len(chat.messages) == 1, timeout=5)
    failures = [StorageBusy(5000)]  # one failed read, then the database is back
    real_get = OutboxRepository.get

    async def get_once_failing(repo: OutboxRepository, outbox_id: int) -> OutboxMessage | None:
        if failures:
            raise failures.pop()
        return await real_get(repo, outbox_id)

    monkeypatch.setattr(OutboxRepository, "get", get_once_failing)
    await queue_edit(store, person, "v1")
    await server.wait_until(lambda: chat.messages[0].entities_text == "v1", timeout=10)
    await server.wait_until(lambda: settled(store), timeout=5)
    await sender.stop()
    assert failures == []  # the failure happened, and the edit still went: not stuck in flight
    assert len(server.calls_to("editMessageText")) == 1


async def test_edits_go_ahead_of_queued_sends(server: FakeBotApi, bot: Bot, store: Store) -> None:
    people = await members(store, server, 21)
    sender = await start_sender(bot, store)
    await queue(store, people[:1], "status", text="0 sent")
    await server.wait_until(lambda: len(server.calls_to("sendMessage")) == 1, timeout=5)
    await sender.stop()
    await queue(store, people[1:], "bulk")
    await queue_edit(store, people[0], "20 sent")
    sender = await start_sender(bot, store)
    await server.wait_until(lambda: len(server.calls_to("sendMessage")) == 21, timeout=10)
    await sender.stop()
    methods = [c.method for c in server.calls if c.method in ("sendMessage", "editMessageText")]
    assert methods.index("editMessageText") == 1  # right after the original, before the bulk


async def _rows(store: Store) -> list[OutboxMessage]:
    async with store.read() as tx:
        return await tx.outbox.of_ref("test", 1)


async def test_an_edit_whose_original_failed_is_given_up(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    (person,) = await members(store, server, 1)
    await queue(store, [person], "f", text="v0")
    async with store.transaction() as tx:
        (original,) = await tx.outbox.due(system_clock())
        assert await tx.outbox.claim(
            original, system_clock(), owner="stopped", until=system_clock()
        )  # in flight ...
    await queue_edit(store, person, "v1")  # ... when the object changes
    async with store.transaction() as tx:
        await tx.outbox.failed(original, "Bad Request: chat not found", system_clock())
    sender = await start_sender(bot, store)
    try:
        await server.wait_until(
            lambda: _settled_edit(store), timeout=3, message="the edit is still queued"
        )
    finally:
        await sender.stop()
    (edit,) = [row for row in await _rows(store) if row.kind == "edit"]
    assert edit.state is OutboxState.CANCELLED
    assert server.calls_to("editMessageText") == []


async def _settled_edit(store: Store) -> bool:
    edits = [row for row in await _rows(store) if row.kind == "edit"]
    return bool(edits) and edits[0].state not in (OutboxState.PENDING, OutboxState.SENDING)


async def test_an_edit_of_an_original_sent_back_to_the_queue_is_folded_into_it(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    (person,) = await members(store, server, 1)
    await queue(store, [person], "g", text="v0")
    async with store.transaction() as tx:
        (original,) = await tx.outbox.due(system_clock())
        assert await tx.outbox.claim(
            original, system_clock(), owner="stopped", until=system_clock()
        )
    await queue_edit(store, person, "v1")
    async with store.transaction() as tx:  # Telegram answered 5xx: the original waits again
        await tx.outbox.retry_at(original, system_clock(), 1, "502")
    sender = await start_sender(bot, store)
    chat = server.user(person.telegram_user_id)
    await server.wait_until(lambda: len(chat.messages) == 1, timeout=5)
    await asyncio.sleep(0.5)
    await sender.stop()
    assert [m.entities_text for m in chat.messages] == ["v1"]  # one message, the new content
    assert server.calls_to("editMessageText") == []


async def test_newer_content_wins_over_an_edit_queued_while_its_original_was_in_flight(
    store: Store,
) -> None:
    person = await make_member(store, 1)
    await queue(store, [person], "h", text="v0")
    now = system_clock()
    async with store.transaction() as tx:
        (original,) = await tx.outbox.due(now)
        assert await tx.outbox.claim(original, now, owner="sender", until=now + LEASE)
    await queue_edit(store, person, "v1")  # the edit is queued while the original is in flight
    async with store.transaction() as tx:  # a 429: the original waits again
        await tx.outbox.retry_at(original, now, 0, "429")
        (edit,) = await tx.outbox.due(now)  # the sender reads the edit (v1) ...
        assert edit.kind == "edit"
        assert await tx.outbox.claim(edit, now, owner="sender", until=now + LEASE)
    await queue_edit(store, person, "v2")  # ... and the object changes again meanwhile
    async with store.transaction() as tx:
        assert await tx.outbox.fold(edit, original, now)  # settled: nothing of v1 is kept
        (queued,) = await tx.outbox.due(now)
    assert (queued.id, queued.text) == (original.id, "v2")
    assert (await _rows(store))[-1].state is OutboxState.CANCELLED


async def test_every_copy_of_an_object_in_a_chat_is_edited(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    (person,) = await members(store, server, 1)
    sender = await start_sender(bot, store)
    await queue(store, [person], "first", text="v0")
    await queue(store, [person], "again", text="v0")  # a second copy, e.g. a reminder
    chat = server.user(person.telegram_user_id)
    await server.wait_until(lambda: len(chat.messages) == 2, timeout=5)
    await queue_edit(store, person, "v1")
    await server.wait_until(lambda: [m.entities_text for m in chat.messages] == ["v1", "v1"],
                            timeout=5)  # fmt: skip
    await sender.stop()


async def test_an_edit_that_changes_nothing_is_not_sent(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    (person,) = await members(store, server, 1)
    sender = await start_sender(bot, store)
    await queue(store, [person], "same", text="v0")
    chat = server.user(person.telegram_user_id)
    await server.wait_until(lambda: len(chat.messages) == 1, timeout=5)
    await queue_edit(store, person, "v1")
    await server.wait_until(lambda: chat.messages[0].entities_text == "v1", timeout=5)
    await queue_edit(store, person, "v1")  # the same content again
    await asyncio.sleep(1.5)  # more than the chat's interval of 1 s
    await sender.stop()
    assert len(server.calls_to("editMessageText")) == 1
