"""A database locked by another writer: a short lock is waited out; a long one gets a clear
"try again" and loses nothing once the lock is gone."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.app import build_application
from tests.e2e.conftest import settings_for, stop_bot
from tests.factories import FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi

OFFICE = (59.3880, 17.9280)


async def test_locked_database_answers_busy_then_works(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    db_path = tmp_path / "busy.db"
    settings = settings_for(server, db_path).model_copy(update={"database_busy_timeout_ms": 300})
    app = build_application(settings, clock=clock)
    await app.initialize()
    assert app.post_init is not None and app.updater is not None
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        group = await make_group(app.bot_data.store)
        await make_member(app.bot_data.store, 950, group=group, language="en")
        user = server.user(950, first_name="Busy", language_code="en")

        other = sqlite3.connect(db_path, isolation_level=None)  # e.g. the command line
        other.execute("BEGIN IMMEDIATE")
        await user.share_location(*OFFICE)
        busy = await user.wait_for_message()
        assert busy.entities_text == (
            "The database is busy right now and nothing was saved. Try again in a moment."
        )
        async with app.bot_data.store.read() as tx:
            assert await tx.presences.open_for(2) is None  # nothing half-saved

        await user.share_location(*OFFICE)
        await asyncio.sleep(0.1)
        other.execute("COMMIT")  # released within the busy timeout: the check-in waits it out
        other.close()
        done = await user.wait_for_message(lambda m: "Checked in" in m.entities_text,
                                           earlier=True)  # fmt: skip
        assert "Rinkeby" in done.entities_text
    finally:
        await stop_bot(app)
