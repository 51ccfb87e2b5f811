"""Three `samverkan run` processes in webhook mode on one PostgreSQL database, behind a
round-robin balancer: every instance answers the people its posts reach, a notice to many
members arrives once each, and when the leader is killed (SIGKILL) mid-notice another takes
over within 10 s, loses nothing, and repeats at most what was in flight."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from telegram import Bot

from bot.domain.outbox import Notification, Priority
from bot.sandbox.botapi.webhook import WebhookPusher
from storage.db import Database
from storage.store import Store
from tests.factories import make_member
from tests.fakebot import FakeBotApi
from tests.pg import scratch_database
from tests.processes import start_instance

SECRET = "three-instances_secret"
MEMBERS = 120
# The sender's requests in flight at once (bot/delivery.py): what a kill may repeat.
IN_FLIGHT = 8


@pytest.fixture
async def database() -> AsyncIterator[str]:
    with scratch_database() as url:
        db = await Database.open(url)
        await db.migrate()
        await db.close()
        yield url


async def test_three_instances_share_the_work_and_survive_the_leaders_death(
    server: FakeBotApi, database: str
) -> None:
    db = await Database.open(database)
    store = Store(db)
    instances = [await start_instance(server, database, SECRET) for _ in range(3)]
    pusher = WebhookPusher(server.state, [f"http://127.0.0.1:{i.port}/" for i in instances])
    pusher.start()
    try:
        # The deploy step, as `samverkan webhook set` does it (tested on its own).
        async with server_bot(server) as bot:
            await bot.set_webhook("https://bot.example.org/telegram", secret_token=SECRET,
                                  allowed_updates=["message", "callback_query"])  # fmt: skip
        people = [await make_member(store, 7000 + n, language="en") for n in range(MEMBERS)]

        # Every instance answers what the balancer gives it, one person's taps in order.
        talkers = [server.user(p.telegram_user_id, first_name="T", language_code="en")
                   for p in people[:3]]  # fmt: skip
        for talker in talkers:
            for command in ("/me", "/help", "/me"):
                await talker.send(command)
                await talker.wait_for_message(timeout=15)
        assert {index for _, index in pusher.delivered} == {0, 1, 2}
        for talker in talkers:
            shown = [("Telegram id" in m.entities_text) for m in talker.messages]
            assert shown == [True, False, True], [m.entities_text[:40] for m in talker.messages]

        (leader,) = [i for i in instances if i.leads]
        for person in people:
            server.user(person.telegram_user_id).mark_started()
        async with store.transaction() as tx:
            for person in people:
                await tx.outbox.enqueue(Notification(
                    dedup_key=f"notice:{person.id}", member_id=person.id,
                    chat_id=person.telegram_user_id, text=f"Notice to {person.id}",
                    priority=Priority.BULK,
                ), datetime.now().astimezone())  # fmt: skip

        def notices() -> list[int]:
            sent = [c for c in server.calls_to("sendMessage") if c.status == 200]
            return [int(c.params["chat_id"]) for c in sent if "Notice" in str(c.params["text"])]

        await server.wait_until(lambda: len(notices()) >= 25, timeout=20)
        os.kill(leader.process.pid, signal.SIGKILL)
        killed, before = time.monotonic(), len(notices())
        await server.wait_until(lambda: len(notices()) > before + IN_FLIGHT, timeout=15)
        took_over = time.monotonic() - killed
        await server.wait_until(lambda: len(set(notices())) == MEMBERS, timeout=30)
        got = Counter(notices())
        assert set(got) == {p.telegram_user_id for p in people}  # nobody lost
        assert sum(got.values()) - MEMBERS <= IN_FLIGHT  # repeats: only what was in flight
        assert took_over < 10, f"took {took_over:.1f} s"
        assert sum(1 for i in instances if i.leads) == 2  # one other instance took over
        assert server.calls_to("setWebhook") and len(server.calls_to("setWebhook")) == 1
    finally:
        await pusher.stop()
        for instance in instances:
            await instance.stop()
        await db.close()


def server_bot(server: FakeBotApi) -> Bot:
    return Bot(server.token, base_url=server.base_url)
