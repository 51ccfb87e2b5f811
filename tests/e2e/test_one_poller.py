"""Long polling with two instances on one PostgreSQL server: only the leader asks Telegram
for updates (Telegram serves one poller per token), and the other takes over when it stops."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import build_application
from bot.runner import serve
from handlers.context import BotApplication
from tests.e2e.conftest import settings_for
from tests.factories import FakeClock, make_member
from tests.fakebot import FakeBotApi
from tests.pg import MANY_CONNECTIONS, scratch_database

pytestmark = MANY_CONNECTIONS


async def _serving(
    server: FakeBotApi, url: str, clock: FakeClock, tmp: Path
) -> tuple[BotApplication, asyncio.Event, asyncio.Task[None]]:
    """An instance as `samverkan run` serves it in polling mode, until its event is set."""
    settings = settings_for(server, tmp).model_copy(update={"database_url": url})
    app = build_application(settings, clock=clock)
    await app.initialize()
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, settings, stop))
    await server.wait_until(lambda: app.running or task.done(), timeout=15)
    return app, stop, task


def _conflicts(server: FakeBotApi) -> int:
    return sum(1 for call in server.calls_to("getUpdates") if call.status == 409)


async def test_only_the_leader_polls_and_the_other_takes_over_when_it_stops(
    server: FakeBotApi, clock: FakeClock, tmp_path: Path
) -> None:
    with scratch_database() as url:
        first, stop_first, first_task = await _serving(server, url, clock, tmp_path / "a.db")
        second, stop_second, second_task = await _serving(server, url, clock, tmp_path / "b.db")
        try:
            assert first.bot_data.leadership.leading and not second.bot_data.leadership.leading
            assert first.updater is not None and second.updater is not None
            assert first.updater.running and not second.updater.running
            await make_member(first.bot_data.store, 4242, language="en")
            user = server.user(4242, first_name="Poll", language_code="en")
            await user.send("/me")
            await user.wait_for_message(lambda m: "Telegram id: 4242" in m.entities_text)

            stop_first.set()
            await first_task
            await server.wait_until(lambda: second.updater is not None
                                    and second.updater.running, timeout=10)  # fmt: skip
            assert second.bot_data.leadership.leading
            await user.send("/me")
            await user.wait_for_message(lambda m: "Telegram id: 4242" in m.entities_text)
            assert _conflicts(server) == 0  # never two pollers at once
        finally:
            stop_first.set()
            stop_second.set()
            await asyncio.gather(first_task, second_task, return_exceptions=True)
