"""bench.lanes, part 2: one chat's long queue in the sender does not hold up another chat's
message in the same lane."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from telegram import Bot

from bench.lanes_report import B_TRIALS, QUEUED_FOR_A, Figures
from bot.delivery import Sender
from bot.domain.outbox import Notification, Priority
from bot.sandbox.botapi import FakeBotApi, Limits
from storage.db import Database
from storage.store import Store
from tests.factories import make_member

CHAT_A, CHAT_B = 730_001, 730_002


async def second_chat(workdir: Path, figures: Figures) -> None:
    db = await Database.open(str(workdir / "chats.db"))
    try:
        await db.migrate()
        store = Store(db)
        a = await make_member(store, CHAT_A, language="en")
        b = await make_member(store, CHAT_B, language="en")
        async with FakeBotApi(limits=Limits()) as server:
            for uid in (CHAT_A, CHAT_B):
                server.user(uid, first_name=str(uid)).mark_started()
            async with Bot(server.token, base_url=server.base_url) as bot:
                sender = Sender(bot, store, time_now)
                store.on_outbox = sender.wake
                await sender.start()
                try:
                    async with store.transaction() as tx:
                        for n in range(QUEUED_FOR_A):
                            await tx.outbox.enqueue(_note(a.id, CHAT_A, f"a{n}"), time_now())
                    loop = asyncio.get_running_loop()
                    for trial in range(B_TRIALS):
                        key = f"b{trial}"
                        before = len(server.calls)
                        async with store.transaction() as tx:
                            await tx.outbox.enqueue(_note(b.id, CHAT_B, key), time_now())
                        queued = loop.time()
                        await server.wait_until(partial(_arrived, server, key, before), 10.0)
                        figures.chat_b_s.append(loop.time() - queued)
                        await asyncio.sleep(max(0.0, queued + 1.0 - loop.time()))
                finally:
                    await sender.stop(grace_s=2.0)
    finally:
        await db.close()


def _arrived(server: FakeBotApi, key: str, since: int) -> bool:
    return any(
        c.method == "sendMessage" and c.ok and f"Message {key}" == c.params.get("text")
        for c in server.calls[since:]
    )


def time_now() -> datetime:
    return datetime.now(UTC)


def _note(member_id: int, chat_id: int, key: str) -> Notification:
    return Notification(
        dedup_key=f"lanes:{key}", member_id=member_id, chat_id=chat_id,
        text=f"Message {key}", priority=Priority.NORMAL,
    )  # fmt: skip
