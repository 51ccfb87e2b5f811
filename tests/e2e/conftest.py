"""The end-to-end rig: the production Application polling the fake Bot API server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application
from bot.config import Settings
from bot.lifecycle import start_application
from bot.lifecycle import stop_application as stop_bot  # e2e tests and benches import it here
from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.agency_codes import raw_codes
from tests.factories import FakeClock
from tests.fakebot import FakeBotApi, Limits


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    """The fake Telegram; every request the bot made must have matched the Bot API, and no
    member was shown an agency's raw code where its name belongs."""
    async with FakeBotApi(limits=Limits()) as fake:
        yield fake
        assert fake.violations == []
        assert raw_codes(fake.calls) == []


def settings_for(server: FakeBotApi, db_path: Path) -> Settings:
    """Production settings, pointed at the fake server and a test database."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=server.token,
        telegram_api_url=server.base_url,
        telegram_file_url=server.base_file_url,
        database_url=f"sqlite:///{db_path}",
    )


async def start_bot(server: FakeBotApi, db_path: Path, clock: FakeClock) -> BotApplication:
    """Start the production Application in `run_polling`'s order, without its signal handling."""
    app = build_application(settings_for(server, db_path), clock=clock)
    await start_application(app)
    return app


@pytest.fixture
async def app(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[BotApplication]:
    bot = await start_bot(server, tmp_path / "bot.db", clock)
    yield bot
    await stop_bot(bot)


@pytest.fixture
def bot_store(app: BotApplication) -> Store:
    """The running bot's own store, for arranging a scene."""
    return app.bot_data.store
