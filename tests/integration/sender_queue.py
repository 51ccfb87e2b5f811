"""The sender's integration tests' members, queued notifications, and whom the server
sent to."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Member
from bot.domain.outbox import Button, Notification, Priority
from storage.store import Store
from tests.fakebot import FakeBotApi
from tests.senderkit import started_member


async def members(store: Store, server: FakeBotApi, count: int) -> list[Member]:
    return [await started_member(store, server, uid) for uid in range(1, count + 1)]


async def queue(
    store: Store,
    people: list[Member],
    key: str,
    text: str = "Hello",
    priority: Priority = Priority.BULK,
) -> None:
    async with store.transaction() as tx:
        for m in people:
            note = Notification(
                dedup_key=f"{key}:{m.id}", member_id=m.id, chat_id=m.telegram_user_id,
                text=f"{text} <b>{m.id}</b>", ref_type="test", ref_id=1,
                keyboard=[[Button(text="OK", data=f"ok:{m.id}")]], priority=priority,
            )  # fmt: skip
            await tx.outbox.enqueue(note, datetime.now().astimezone())


def _sent_to(server: FakeBotApi) -> list[int]:
    return [c.params["chat_id"] for c in server.calls_to("sendMessage") if c.ok]
