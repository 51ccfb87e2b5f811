"""A PostgreSQL database for a test run: made once, emptied between tests, dropped after.

The server is CI's (127.0.0.1:5432, or TEST_POSTGRES_URL). Without one the tests that need
it fail with one line saying so: the integration tier runs on both engines, and a run that
quietly left one out would pass while PostgreSQL was broken.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
import pytest

from storage.db import Database

SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
UNREACHABLE = (
    "PostgreSQL is not reachable at {where} ({why}): the integration tier runs on SQLite and "
    "PostgreSQL; start a server there or set TEST_POSTGRES_URL"
)


def admin() -> psycopg.Connection[tuple[object, ...]]:
    """A connection to the server's maintenance database, or the test fails in one line."""
    try:
        return psycopg.connect(SERVER, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        where = SERVER.split("@")[-1]
        why = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        pytest.fail(UNREACHABLE.format(where=where, why=why), pytrace=False)


def url_of(name: str) -> str:
    """The address of another database on the same server."""
    return SERVER.rsplit("/", 1)[0] + "/" + name


@contextmanager
def scratch_database(prefix: str = "samverkan_t") -> Iterator[str]:
    """A new, empty database for as long as the block runs."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url_of(name)
    finally:
        with admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Emptier:
    """Puts a migrated database back as the migrations left it: every table emptied and its
    ids restarted, the seeded rows (the agencies) put back. Much quicker than a new database."""

    def __init__(self, url: str) -> None:
        self.url = url
        with psycopg.connect(url, autocommit=True) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    " AND tablename <> 'schema_migrations' ORDER BY tablename"
                )
            ]
            self.seeds: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {}
            for table in tables:
                cur = conn.execute(f'SELECT * FROM "{table}"')
                rows = cur.fetchall()
                if rows:
                    columns = [c.name for c in cur.description or ()]
                    self.seeds[table] = (columns, rows)
        self.truncate = "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY"

    async def empty(self) -> None:
        conn = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
        async with conn, conn.transaction():
            await conn.execute(self.truncate)
            for table, (columns, rows) in self.seeds.items():
                names = ", ".join(columns)
                marks = ", ".join(["%s"] * len(columns))
                async with conn.cursor() as cur:
                    await cur.executemany(
                        f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows
                    )


@contextmanager
def migrated_database() -> Iterator[Emptier]:
    """A database with every migration applied, for a whole test session."""
    with scratch_database() as url:

        async def migrate() -> None:
            db = await Database.open(url)
            try:
                await db.migrate()
            finally:
                await db.close()

        # In a thread of its own: the fixture asking for this may be running on an event loop.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, migrate()).result()
        yield Emptier(url)
