"""One SQLite connection per process: pragmas, migrations and serialised transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from importlib import resources

import aiosqlite

MIGRATIONS_PACKAGE = "storage.migrations"

# Whether the task at hand (one update being handled) has committed a transaction, so an error
# after it is never reported as "nothing was saved". A ContextVar because each update runs in
# a task of its own and must see only its own commits, whatever runs beside it.
_COMMITTED: ContextVar[bool] = ContextVar("samverkan_committed", default=False)


def forget_commits() -> None:
    """Start afresh for the task at hand (a new update): nothing committed yet."""
    _COMMITTED.set(False)


def committed_here() -> bool:
    """True when the task at hand committed a transaction since `forget_commits()`."""
    return _COMMITTED.get()


class Database:
    """The bot's database: a single aiosqlite connection guarded by a lock.

    aiosqlite runs every statement of a connection on one thread, so two coroutines that
    interleave statements would interleave their transactions. The lock makes each
    `transaction()` (and each `read()`) atomic from the event loop's point of view.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str, busy_timeout_ms: int = 5000) -> Database:
        """Open (creating if needed) the database file with the pragmas the bot relies on."""
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await conn.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:":
            await conn.execute("PRAGMA journal_mode = WAL")
            # WAL with NORMAL is durable across application crashes (only an OS crash can
            # lose the last commits), which is the failure the outbox must survive.
            await conn.execute("PRAGMA synchronous = NORMAL")
        return cls(conn)

    async def close(self) -> None:
        """Close the connection, waiting for a running transaction to finish."""
        async with self._lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run a write transaction: committed on success, rolled back on any error."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.rollback()
                raise
            await self._conn.commit()
            _COMMITTED.set(True)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """Read a consistent snapshot: no other coroutine's transaction is half done."""
        async with self._lock:
            yield self._conn

    async def migrate(self) -> list[str]:
        """Apply the numbered migrations not applied yet; return the names applied now."""
        async with self._lock:
            await self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            async with self._conn.execute("SELECT name FROM schema_migrations") as cur:
                done = {row["name"] for row in await cur.fetchall()}
            applied: list[str] = []
            for name, sql in _migration_files():
                if name in done:
                    continue
                # executescript commits first, so the script and its record are wrapped
                # in one explicit transaction of their own.
                script = (
                    "BEGIN IMMEDIATE;\n"
                    + sql
                    + "\nINSERT INTO schema_migrations (name, applied_at) VALUES ("
                    + _sql_literal(name)
                    + ", "
                    + _sql_literal(datetime.now(UTC).isoformat())
                    + ");\nCOMMIT;"
                )
                try:
                    await self._conn.executescript(script)
                except sqlite3.Error:
                    if self._conn.in_transaction:
                        await self._conn.rollback()
                    raise
                applied.append(name)
            return applied


def _migration_files() -> list[tuple[str, str]]:
    folder = resources.files(MIGRATIONS_PACKAGE)
    files = sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )
    return files


def _sql_literal(text: str) -> str:
    # executescript cannot bind parameters; names and timestamps are ours, not user input,
    # and quoting them like SQLite does keeps even an odd file name harmless.
    return "'" + text.replace("'", "''") + "'"
