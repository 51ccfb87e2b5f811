"""The integration tier runs on both engines: every test that takes `store` runs twice."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram import Bot

from storage.db import Database
from storage.store import Store
from tests.factories import migrated_sqlite
from tests.fakebot import FakeBotApi, Limits
from tests.pg import Emptier, migrated_database


@pytest.fixture(scope="session")
def pg_database() -> Iterator[Emptier]:
    with migrated_database() as emptier:
        yield emptier


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        async with migrated_sqlite(tmp_path / "test.db") as migrated:
            yield migrated
        return
    emptier: Emptier = request.getfixturevalue("pg_database")
    await emptier.empty()
    db = await Database.open(emptier.url)
    yield Store(db)
    await db.close()


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    """For what only SQLite has (pragmas, a second process holding the file)."""
    async with migrated_sqlite(tmp_path / "test.db") as migrated:
        yield migrated


@pytest.fixture
def limits() -> Limits:
    """Telegram's flood limits as the fake enforces them; a module whose subject is not timing
    overrides this with `Limits(enabled=False)`."""
    return Limits()


@pytest.fixture
async def server(limits: Limits) -> AsyncIterator[FakeBotApi]:
    """The fake Telegram; every request made to it must have matched the Bot API."""
    async with FakeBotApi(limits=limits) as fake:
        yield fake
        assert fake.violations == []


@pytest.fixture
async def bot(server: FakeBotApi) -> AsyncIterator[Bot]:
    """A python-telegram-bot client of the fake Telegram."""
    async with Bot(server.token, base_url=server.base_url) as telegram_bot:
        yield telegram_bot
