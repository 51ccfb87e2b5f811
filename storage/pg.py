"""The PostgreSQL engine behind the same `Database` the repositories use with SQLite.

One writer connection behind a lock (as with SQLite, so an instance's own transactions never
race each other) and a few readers, each read in one REPEATABLE READ snapshot; the statements
are the repositories' own, run through `storage.pg_conn`. Advisory locks serialise migrations,
choose the one leader of several instances, and hold each person's turn; NOTIFY wakes the
leader's sender. psycopg 3 rather than asyncpg: its DB-API shape (cursors, rowcount, named and
positional parameters) is the one the repositories already use through aiosqlite, and it has
LISTEN/NOTIFY and server-side cursors.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

import aiosqlite
import psycopg
from psycopg import errors as pg_errors

from storage.db import Database
from storage.dialect import ddl_to_pg
from storage.errors import Conflict, StorageBusy, StorageError
from storage.migration_files import migration_files
from storage.pg_conn import Connection

READERS = 3
# The one advisory lock key that serialises migrations across instances ("samv" in ASCII).
MIGRATION_LOCK = 0x73616D76
# Per-person turns are two-key advisory locks (a space of their own, apart from the one-key
# leader and migration locks): (PERSON_SPACE, the person's id folded into 31 bits). Two people
# folded together only wait for each other now and then.
PERSON_SPACE = 0x70657273
# Sessions that hold turns: one per person being served at once, per instance.
TURN_SESSIONS = 16
# Notified in every transaction that queued messages, listened to by the leader's sender.
OUTBOX_CHANNEL = "samverkan_outbox"
# Held for as long as an instance leads ("lead"); the server lets go when its session ends.
LEADER_LOCK = 0x6C656164
# The server notices a leader's host gone silent within about 3 + 2 * 2 s (TCP keepalives),
# so another instance can take over well inside 10 s; a process that dies closes at once.
_KEEPALIVE = "-c tcp_keepalives_idle=3 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=2"
# What the repositories' SQL takes from SQLite, given to PostgreSQL before any migration:
# case-insensitive comparison for the columns declared COLLATE NOCASE, and the date functions
# in the forms the queries use (ISO 8601 UTC text in, the same text or seconds out).
_PRELUDE = """
CREATE COLLATION IF NOT EXISTS nocase
    (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE OR REPLACE FUNCTION unixepoch(t text) RETURNS bigint LANGUAGE sql STABLE AS
    $$ SELECT floor(extract(epoch FROM t::timestamptz))::bigint $$;
CREATE OR REPLACE FUNCTION julianday(t text) RETURNS double precision LANGUAGE sql STABLE AS
    $$ SELECT extract(epoch FROM t::timestamptz)::double precision / 86400 + 2440587.5 $$;
CREATE OR REPLACE FUNCTION strftime(fmt text, t text, modifier text DEFAULT '0 seconds')
    RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF fmt <> '%Y-%m-%dT%H:%M:%S+00:00' THEN
        RAISE EXCEPTION 'strftime: only the ISO 8601 UTC format is translated, not %', fmt;
    END IF;
    RETURN to_char((t::timestamptz + modifier::interval) AT TIME ZONE 'UTC',
                   'YYYY-MM-DD"T"HH24:MI:SS"+00:00"');
END $$;
"""


def is_postgres(target: str) -> bool:
    """True when a database address names a PostgreSQL server."""
    return target.startswith(("postgresql://", "postgres://"))


async def _connect(
    url: str, busy_timeout_ms: int, options: str = ""
) -> psycopg.AsyncConnection[tuple[Any, ...]]:
    # Autocommit: BEGIN and COMMIT are said explicitly, as with SQLite; lock_timeout plays the
    # part of SQLite's busy timeout (a row or the migration lock held by another instance).
    return await psycopg.AsyncConnection.connect(
        url, autocommit=True, options=f"-c lock_timeout={int(busy_timeout_ms)} {options}"
    )


class PgDatabase(Database):
    """The bot's database on a PostgreSQL server."""

    def __init__(
        self,
        url: str,
        writer: psycopg.AsyncConnection[tuple[Any, ...]],
        readers: list[psycopg.AsyncConnection[tuple[Any, ...]]],
        busy_timeout_ms: int,
    ) -> None:
        super().__init__(cast(aiosqlite.Connection, None), [], busy_timeout_ms)
        self.url = url
        self._pg_writer = writer
        self._pg_readers: asyncio.Queue[psycopg.AsyncConnection[tuple[Any, ...]]] = asyncio.Queue()
        for reader in readers:
            self._pg_readers.put_nowait(reader)
        self._reader_count = len(readers)
        self._turns: asyncio.Queue[psycopg.AsyncConnection[tuple[Any, ...]] | None] = (
            asyncio.Queue()
        )
        for _ in range(TURN_SESSIONS):
            self._turns.put_nowait(None)  # connected when first needed
        # The session that holds the leader lock, once this instance has asked for it.
        self._leader: psycopg.AsyncConnection[tuple[Any, ...]] | None = None
        self._leading = False

    engine = "postgresql"

    @classmethod
    async def connect(cls, url: str, busy_timeout_ms: int = 5000) -> PgDatabase:
        """Connect the writer and the readers to the server at `url`."""
        try:
            writer = await _connect(url, busy_timeout_ms)
            readers = [await _connect(url, busy_timeout_ms) for _ in range(READERS)]
        except psycopg.Error as exc:
            raise StorageError(_first_line(exc)) from exc
        return cls(url, writer, readers, busy_timeout_ms)

    async def announce_outbox(self, conn: aiosqlite.Connection) -> None:
        """Sent at commit (and not at all on a rollback): the leader's sender looks now."""
        await conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")

    async def watch_outbox(self, wake: Callable[[], None]) -> None:
        """Listen, until cancelled, for messages queued by any instance, and wake the sender;
        a lost connection is made again (meanwhile the sender's own polling covers)."""
        while True:
            try:
                listener = await _connect(self.url, self._busy_timeout_ms, _KEEPALIVE)
                async with listener:
                    await listener.execute(f"LISTEN {OUTBOX_CHANNEL}")
                    wake()  # whatever was queued while nobody listened
                    async for _ in listener.notifies():
                        wake()
            except psycopg.Error:
                await asyncio.sleep(1)

    @asynccontextmanager
    async def person_turn(self, person: int) -> AsyncIterator[None]:
        """Hold a person's turn on the server for the span of one update, so two taps of
        theirs that reach two instances are never handled at the same time."""
        session = await self._turns.get()
        key = (PERSON_SPACE, person % 2_147_483_647)
        try:
            if session is None or session.closed or session.broken:
                session = await _connect(self.url, self._busy_timeout_ms, "-c lock_timeout=0")
            await session.execute("SELECT pg_advisory_lock(%s, %s)", key)
            try:
                yield
            finally:
                if not session.broken and not session.closed:
                    await session.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        except psycopg.Error as exc:
            raise self._translated_pg(exc) from exc
        finally:
            self._turns.put_nowait(session)

    async def lead(self) -> bool:
        """Whether this instance leads: it holds the leader lock on a session of its own, or
        takes it now that nobody does. Asked again and again; a lost session loses it."""
        try:
            if self._leader is None or self._leader.closed or self._leader.broken:
                self._leading = False
                self._leader = await _connect(self.url, self._busy_timeout_ms, _KEEPALIVE)
            if self._leading:
                await self._leader.execute("SELECT 1")  # the session lives, so the lock holds
                return True
            cur = await self._leader.execute("SELECT pg_try_advisory_lock(%s)", (LEADER_LOCK,))
            row = await cur.fetchone()
            self._leading = bool(row and row[0])
        except psycopg.Error:
            self._leading = False
        return self._leading

    async def close(self) -> None:
        if self._leader is not None:
            await self._leader.close()  # lets the lock go at once, for the next leader
        while not self._turns.empty():
            session = self._turns.get_nowait()
            if session is not None:
                await session.close()
        for _ in range(self._reader_count):
            await (await self._pg_readers.get()).close()
        async with self._lock:
            await self._pg_writer.close()

    async def _live_writer(self) -> psycopg.AsyncConnection[tuple[Any, ...]]:
        # A server restart or a failover breaks the connection: the next transaction makes a
        # new one rather than failing for ever.
        if self._pg_writer.closed or self._pg_writer.broken:
            self._pg_writer = await _connect(self.url, self._busy_timeout_ms)
        return self._pg_writer

    async def _begin_write(self, durable: bool) -> aiosqlite.Connection:
        raw = await self._live_writer()
        await raw.execute("BEGIN")
        if not durable:
            # The commit does not wait for the WAL's flush; the server stays consistent.
            await raw.execute("SET LOCAL synchronous_commit = off")
        return cast(aiosqlite.Connection, Connection(raw))

    async def _commit_write(self, conn: aiosqlite.Connection) -> None:
        await self._pg_writer.execute("COMMIT")

    async def _end_write(self, conn: aiosqlite.Connection) -> None:
        await _end(self._pg_writer)

    def _storage_error(self, exc: Exception) -> StorageError | None:
        return self._translated_pg(exc) if isinstance(exc, psycopg.Error) else None

    @asynccontextmanager
    async def read(self, *, background: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        # `background` changes nothing here: the reads run in the server's processes.
        raw = await self._pg_readers.get()
        try:
            if raw.closed or raw.broken:
                raw = await _connect(self.url, self._busy_timeout_ms)
            await raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            try:
                yield cast(aiosqlite.Connection, Connection(raw))
            finally:
                await _end(raw)
        except psycopg.Error as exc:
            raise self._translated_pg(exc) from exc
        finally:
            self._pg_readers.put_nowait(raw)

    async def migrate(self) -> list[str]:
        """Apply the pending migrations, one transaction each, under an advisory lock held by
        the transaction, so two instances starting together never apply one twice."""
        applied: list[str] = []
        while True:
            async with self.transaction() as conn:
                raw = cast(Connection, conn).raw
                await raw.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                await raw.execute(cast(Any, _PRELUDE))
                await raw.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                cur = await raw.execute("SELECT name FROM schema_migrations")
                done = {r[0] for r in await cur.fetchall()}
                pending = [(n, sql) for n, sql in migration_files("postgresql") if n not in done]
                if not pending:
                    return applied
                name, sql = pending[0]
                # One script, sent as it is: psycopg runs several statements when it binds no
                # parameters, so a function body's semicolons need no splitting.
                await raw.execute(cast(Any, ddl_to_pg(sql)))
                await raw.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (%s, %s)",
                    (name, _now()),
                )
            applied.append(name)

    def _translated_pg(self, exc: psycopg.Error) -> StorageError:
        """The engine-neutral error for a psycopg one (the original stays as its cause)."""
        if isinstance(exc, psycopg.IntegrityError):
            return Conflict(_first_line(exc))
        if isinstance(
            exc,
            pg_errors.LockNotAvailable
            | pg_errors.SerializationFailure
            | pg_errors.DeadlockDetected,
        ):
            return StorageBusy(self._busy_timeout_ms)
        return StorageError(f"{type(exc).__name__}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat()


async def _end(raw: psycopg.AsyncConnection[tuple[Any, ...]]) -> None:
    """Roll back whatever is open (nothing after a commit); a broken connection is left to
    be replaced."""
    if raw.broken or raw.closed:
        return
    if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        await raw.execute("ROLLBACK")
