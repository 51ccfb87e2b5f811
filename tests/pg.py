"""A PostgreSQL database for a test run: made once, emptied between tests, dropped after.

The server is CI's (127.0.0.1:5432, or TEST_POSTGRES_URL). Without one the tests that need
it fail with one line saying so: the integration tier runs on both engines, and a run that
quietly left one out would pass while PostgreSQL was broken.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import tempfile
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from storage.db import Database

SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
UNREACHABLE = (
    "PostgreSQL is not reachable at {where} ({why}): the integration tier runs on SQLite and "
    "PostgreSQL; start a server there or set TEST_POSTGRES_URL"
)
# Each instance holds up to ~22 PostgreSQL sessions (writer, readers, turns, leader, listener):
# two multi-instance tests at once on other workers passed the server's 100 connections
# ("too many clients"). Such tests take turns through a lock file, across xdist workers and
# across test runs sharing the server (xdist's loadgroup does not group with this pytest).
MANY_CONNECTIONS = pytest.mark.usefixtures("postgresql_instances_turn")
INSTANCES_LOCK = Path(tempfile.gettempdir()) / "samverkan-postgresql-instances.lock"


@contextmanager
def instances_turn() -> Iterator[None]:
    """Hold the one turn for tests that start several instances on the server."""
    with INSTANCES_LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
    ids restarted, the seeded rows (the agencies) put back. DELETE rather than TRUNCATE: on
    tables of a few rows it is many times quicker (TRUNCATE makes new files for each table)."""

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
            sequences = [
                r[0]
                for r in conn.execute(
                    "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
                )
            ]
            self.seeds: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {}
            for table in tables:
                cur = conn.execute(f'SELECT * FROM "{table}"')
                rows = cur.fetchall()
                if rows:
                    columns = [c.name for c in cur.description or ()]
                    self.seeds[table] = (columns, rows)
        # References are not checked while emptying (a test database, the server's superuser).
        self.script = (
            "SET session_replication_role = replica;"
            + "".join(f'DELETE FROM "{t}";' for t in tables)
            + "".join(f"SELECT setval('\"{q}\"', 1, false);" for q in sequences)
            + "SET session_replication_role = DEFAULT;"
        )

    async def empty(self) -> None:
        conn = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
        async with conn, conn.transaction():
            await conn.execute(self.script)  # type: ignore[arg-type]
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
