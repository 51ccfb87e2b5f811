"""Stopping the bot while the outbox is busy, in the order `run_polling` stops it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.domain.outbox import Notification, OutboxState, Priority
from tests.e2e.conftest import start_bot, stop_bot
from tests.factories import FakeClock, make_member
from tests.fakebot import FakeBotApi

COUNT = 60


async def test_the_sender_stops_before_the_http_client_closes(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    app = await start_bot(server, tmp_path / "stop.db", clock)
    store = app.bot_data.store
    people = []
    for uid in range(500, 500 + COUNT):
        people.append(await make_member(store, uid, language="en"))
        server.user(uid, first_name=f"U{uid}").mark_started()
    async with store.transaction() as tx:
        for person in people:
            note = Notification(
                dedup_key=f"stop:{person.id}", member_id=person.id,
                chat_id=person.telegram_user_id, text=f"Hello {person.id}",
                ref_type="test", ref_id=1, priority=Priority.BULK,
            )  # fmt: skip
            await tx.outbox.enqueue(note, clock())
    await server.wait_until(lambda: len(server.calls_to("sendMessage")) >= 5, timeout=10)
    caplog.set_level(logging.WARNING)
    await stop_bot(app)  # mid-broadcast: about 2 s of sending are left

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    second = await start_bot(server, tmp_path / "stop.db", clock)
    try:
        assert second.bot_data.sender.recovered == 0  # nothing was left in flight
        async with second.bot_data.store.read() as tx:
            rows = [await tx.outbox.get(i) for i in range(1, COUNT + 1)]
        # No request was tried after the HTTP client had closed (PTB calls that a
        # NetworkError, so it would count as a failed attempt).
        assert [(r.error, r.attempts) for r in rows if r is not None and r.error] == []
        assert [r for r in rows if r is None or r.state is OutboxState.FAILED] == []
    finally:
        await stop_bot(second)
