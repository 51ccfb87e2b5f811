"""Keep less: settled outbox rows carry no text, yet an edit that changes nothing is skipped."""

from __future__ import annotations

import asyncio

from telegram import Bot

from bot.clock import system_clock
from bot.domain.models import Member
from bot.domain.outbox import Button, Notification, Priority
from storage.store import Store
from tests.fakebot import FakeBotApi
from tests.senderkit import queue_edit, settled, start_sender, started_member


async def _queue(store: Store, person: Member, key: str, text: str) -> None:
    async with store.transaction() as tx:
        await tx.outbox.enqueue(
            Notification(
                dedup_key=f"{key}:{person.id}", member_id=person.id,
                chat_id=person.telegram_user_id, text=text, ref_type="test", ref_id=1,
                keyboard=[[Button(text="OK", data="ok")]], priority=Priority.NORMAL,
            ),
            system_clock(),
        )  # fmt: skip


async def _rows(store: Store) -> list[tuple[str, str, str | None, str | None]]:
    async with store.read() as tx:
        rows = await tx.outbox._conn.execute_fetchall(
            "SELECT kind, state, text, reply_markup FROM outbox ORDER BY id"
        )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def test_settled_rows_keep_no_text_and_an_unchanged_edit_is_still_skipped(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    person = await started_member(store, server, 1)
    sender = await start_sender(bot, store)
    chat = server.user(person.telegram_user_id)
    await _queue(store, person, "a", "secret v0")
    await server.wait_until(lambda: len(chat.messages) == 1, timeout=5)
    await queue_edit(store, person, "secret v1")
    await server.wait_until(lambda: chat.messages[0].entities_text == "secret v1", timeout=5)
    await server.wait_until(lambda: settled(store), timeout=5)
    assert [(k, s, t, m) for k, s, t, m in await _rows(store)] == [
        ("send", "sent", None, None),
        ("edit", "sent", None, None),
    ]
    await queue_edit(store, person, "secret v1")  # what the message shows already
    await asyncio.sleep(1.3)  # more than the chat's interval
    await sender.stop()
    assert len(server.calls_to("editMessageText")) == 1


async def test_failed_and_cancelled_rows_keep_no_text(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    person = await started_member(store, server, 1)
    other = await started_member(store, server, 2)
    await _queue(store, person, "first", "<b>unclosed")
    await _queue(store, other, "later", "secret")
    async with store.transaction() as tx:  # both are cancelled before the sender starts
        assert await tx.outbox.cancel_ref("test", 1, system_clock()) == 2
    await _queue(store, person, "again", "<b>unclosed")  # Telegram refuses it: failed
    sender = await start_sender(bot, store)
    await server.wait_until(lambda: settled(store), timeout=5)
    await sender.stop()
    rows = await _rows(store)
    assert {s for _k, s, _t, _m in rows} == {"cancelled", "failed"}
    assert all(t is None and m is None for _k, _s, t, m in rows)


async def test_an_objects_copies_can_be_cancelled_in_one_chat_only(
    server: FakeBotApi, store: Store
) -> None:
    person = await started_member(store, server, 1)
    other = await started_member(store, server, 2)
    await _queue(store, person, "mine", "secret")
    await _queue(store, other, "theirs", "secret")
    async with store.transaction() as tx:
        cancelled = await tx.outbox.cancel_ref("test", 1, system_clock(), person.telegram_user_id)
    assert cancelled == 1
    assert [s for _k, s, _t, _m in await _rows(store)] == ["cancelled", "pending"]
