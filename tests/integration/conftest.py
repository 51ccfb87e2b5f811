"""The integration tier runs on both engines: every test that takes `store` runs twice."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from storage.db import Database
from storage.store import Store
from tests.pg import Emptier, migrated_database


@pytest.fixture(scope="session")
def pg_database() -> Iterator[Emptier]:
    with migrated_database() as emptier:
        yield emptier


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        db = await Database.open(str(tmp_path / "test.db"))
        await db.migrate()
    else:
        emptier: Emptier = request.getfixturevalue("pg_database")
        await emptier.empty()
        db = await Database.open(emptier.url)
    yield Store(db)
    await db.close()


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    """For what only SQLite has (pragmas, a second process holding the file)."""
    db = await Database.open(str(tmp_path / "test.db"))
    await db.migrate()
    yield Store(db)
    await db.close()
