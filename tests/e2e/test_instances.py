"""Two instances of the bot on one PostgreSQL server: one leads (timed jobs, sending), and
when it stops the other takes over and sends what was queued, each message once."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from bot.app import build_application
from bot.domain.outbox import Notification, Priority
from bot.lifecycle import start_application, stop_application
from handlers.context import BotApplication
from tests.e2e.conftest import settings_for
from tests.factories import FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi
from tests.pg import scratch_database


async def _instance(server: FakeBotApi, url: str, clock: FakeClock, tmp: Path) -> BotApplication:
    settings = settings_for(server, tmp).model_copy(update={"database_url": url})
    app = build_application(settings, clock=clock)
    await start_application(app, polling=False)
    return app


async def _queue(app: BotApplication, chat_ids: list[int], key: str) -> None:
    store = app.bot_data.store
    async with store.transaction() as tx:
        for chat_id in chat_ids:
            member = await tx.members.by_telegram_id(chat_id)
            assert member is not None
            await tx.outbox.enqueue(
                Notification(
                    dedup_key=f"{key}:{chat_id}", member_id=member.id, chat_id=chat_id,
                    text=f"{key} to {chat_id}", priority=Priority.BULK,
                ),
                datetime.now().astimezone(),
            )  # fmt: skip


async def test_one_leads_and_the_other_takes_over_when_it_stops(
    server: FakeBotApi, clock: FakeClock, tmp_path: Path
) -> None:
    with scratch_database() as url:
        first = await _instance(server, url, clock, tmp_path / "unused-a.db")
        second = await _instance(server, url, clock, tmp_path / "unused-b.db")
        stopped = False
        try:
            assert first.bot_data.leadership.leading
            assert not second.bot_data.leadership.leading
            store = first.bot_data.store
            group = await make_group(store, "Husby")
            people = [1001, 1002, 1003]
            for chat_id in people:
                await server.user(chat_id).send("hi")  # they started the bot
                await make_member(store, chat_id, group=group)
            # Queued through the instance that does not lead: the leader sends it.
            await _queue(second, people, "one")
            await server.wait_until(lambda: len(server.calls_to("sendMessage")) == 3, timeout=10)
            await stop_application(first)
            stopped = True
            await _queue(second, people, "two")
            # Taken over and sent within 10 s, or wait_until fails.
            await server.wait_until(lambda: len(server.calls_to("sendMessage")) == 6, timeout=10)
            assert second.bot_data.leadership.leading
            texts = sorted(c.params["text"] for c in server.calls_to("sendMessage"))
            assert texts == sorted(f"{k} to {c}" for k in ("one", "two") for c in people)
            await asyncio.sleep(1.5)  # nothing is sent twice afterwards
            assert len(server.calls_to("sendMessage")) == 6
        finally:
            if not stopped:
                await stop_application(first)
            await stop_application(second)
