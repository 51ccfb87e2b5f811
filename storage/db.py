"""The database of one process: one writer, a few readers, migrations.

SQLite here; PostgreSQL (`storage.pg`) keeps the same shape when DATABASE_URL names a server.

Writes are serialised through one connection and a lock; reads run on connections of their
own (WAL lets readers and one writer work at once), each read in one snapshot. Errors leave
as `StorageBusy` or `Conflict`, never as sqlite3's, so callers do not depend on the engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar

import aiosqlite

from storage.errors import Conflict, StorageBusy, StorageError
from storage.migration_files import apply, migration_files, without_foreign_keys

log = logging.getLogger(__name__)

# Readers are cheap (a thread each) and let a long read, such as the reminder scan, run
# beside the handlers' short ones.
READERS = 3
# Background reads (the reminder scan's) have a reader of their own, whose thread the OS
# runs after the handlers' threads (nice +10): on two cores a scan's SQL kept one core busy,
# and every thread hop of a handler waited its turn behind it (bench.scan: /onduty p95
# 1.2 ms idle and 6.0 ms during scans before; the figures with it are in bench/README.md).
BACKGROUND_NICE = 10
# SQLite's automatic checkpoint runs inside the commit that fills the WAL to 1,000 pages and
# copies them into the file, with an fsync, while the write lock is held (bench.purge: one
# commit took 1.2 s). The writer's is off; a connection of its own checkpoints instead, this
# long after a commit (gathering the commits meanwhile), beside the next transactions:
# PASSIVE waits for nobody, and WAL lets one writer go on meanwhile.
CHECKPOINT_AFTER_S = 0.5
# A WAL this long (256 MB) is copied to its end with the writer held, so that it starts over
# even under commits without a pause (copying the last pages and syncing the file took
# 140-210 ms on bench.purge's database, so not routinely).
WAL_MOST_PAGES = 65536

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
    """The bot's database: a writer guarded by a lock, and a pool of read-only readers.

    aiosqlite runs every statement of a connection on one thread, so two coroutines that
    interleave statements on one connection would interleave their transactions. The lock
    makes each `transaction()` atomic from the event loop's point of view; each `read()`
    borrows a reader of its own. A `:memory:` database exists only in its one connection,
    so there the reads share the writer and its lock.
    """

    def __init__(
        self,
        writer: aiosqlite.Connection,
        readers: list[aiosqlite.Connection],
        busy_timeout_ms: int,
        checkpointer: aiosqlite.Connection | None = None,
        relaxed: aiosqlite.Connection | None = None,
        background: aiosqlite.Connection | None = None,
    ) -> None:
        self._writer = writer
        self._checkpointer = checkpointer
        self._relaxed = relaxed
        self._checkpoint: asyncio.Task[None] | None = None
        self._committed_since = False
        self._wal_pages = 0
        self._lock = asyncio.Lock()
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for reader in readers:
            self._readers.put_nowait(reader)
        self._reader_count = len(readers)
        self._background: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._has_background = background is not None
        if background is not None:
            self._background.put_nowait(background)
        self._busy_timeout_ms = busy_timeout_ms
        # Told how long each write transaction held the lock (seconds): for measurements.
        self.on_write: Callable[[float], None] | None = None

    engine = "sqlite"

    @classmethod
    async def open(cls, path: str, busy_timeout_ms: int = 5000) -> Database:
        """Open (creating if needed) the database file with the pragmas the bot relies on,
        or connect to the PostgreSQL server a `postgresql://` address names."""
        from storage.pg import PgDatabase, is_postgres  # the PostgreSQL engine imports this

        if is_postgres(path):
            return await PgDatabase.connect(path, busy_timeout_ms)
        writer = await _connect(path, busy_timeout_ms)
        await writer.execute("PRAGMA foreign_keys = ON")
        readers: list[aiosqlite.Connection] = []
        if path != ":memory:":
            await writer.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit that was answered "done" survives an OS crash or power loss too,
            # and the bot's write rate is far below what the extra sync costs.
            await writer.execute("PRAGMA synchronous = FULL")
            await writer.execute("PRAGMA wal_autocheckpoint = 0")
            for _ in range(READERS + 1):
                reader = await _connect(path, busy_timeout_ms)
                await reader.execute("PRAGMA query_only = ON")
                readers.append(reader)
            background = readers.pop()
            await _lower_priority(background)
            checkpointer = await _connect(path, busy_timeout_ms)
            relaxed = await _connect(path, busy_timeout_ms)
            await relaxed.execute("PRAGMA foreign_keys = ON")
            # NORMAL: a commit is written to the WAL but not synced; the checkpointer syncs the
            # WAL before it copies, and the next durable commit syncs it up to itself.
            await relaxed.execute("PRAGMA synchronous = NORMAL")
            await relaxed.execute("PRAGMA wal_autocheckpoint = 0")
            return cls(writer, readers, busy_timeout_ms, checkpointer, relaxed, background)
        return cls(writer, readers, busy_timeout_ms)

    async def announce_outbox(self, conn: aiosqlite.Connection) -> None:
        """Tell other instances, at commit, that messages were queued: on one SQLite file
        there are none (the sender is woken in process)."""

    async def watch_outbox(self, wake: Callable[[], None]) -> None:
        """Call `wake` whenever another instance queued messages; here, never."""

    @asynccontextmanager
    async def person_turn(self, person: int) -> AsyncIterator[None]:
        """Hold one person's turn across instances for the span of an update: on one SQLite
        file there is one process, whose own per-person lock suffices."""
        yield

    async def lead(self) -> bool:
        """Whether this instance leads (runs the timed jobs and the sender): on one SQLite
        file there is one process, so always."""
        return True

    async def close(self) -> None:
        """Close every connection, waiting for running reads and the transaction to end."""
        for _ in range(self._reader_count):
            await (await self._readers.get()).close()
        if self._has_background:
            await (await self._background.get()).close()
        async with self._lock:
            if self._checkpoint is not None:
                self._checkpoint.cancel()  # closing the last connection checkpoints anyway
                with contextlib.suppress(asyncio.CancelledError):
                    await self._checkpoint
            if self._checkpointer is not None:
                await self._checkpointer.close()
            if self._relaxed is not None:
                await self._relaxed.close()
            await self._writer.close()

    async def checkpointed(self) -> None:
        """Wait until the WAL is copied into the file, up to the last commit."""
        if self._checkpoint is not None:
            await self._checkpoint

    def _after_commit(self) -> None:
        """Have the checkpointer copy the WAL into the file soon, once for many commits."""
        if self._checkpointer is None:
            return
        self._committed_since = True
        if self._checkpoint is None or self._checkpoint.done():
            self._checkpoint = asyncio.get_running_loop().create_task(self._run_checkpoints())

    async def _run_checkpoints(self) -> None:
        while self._committed_since:
            await asyncio.sleep(CHECKPOINT_AFTER_S)
            self._committed_since = False  # a commit from now on asks for one more
            try:
                await self._checkpoint_wal()
            except sqlite3.Error:
                log.warning("checkpoint failed; the next commit asks again", exc_info=True)
                return

    async def _checkpoint_wal(self) -> None:
        """Copy the WAL into the file beside the writer. The WAL starts over once a copy
        reached its end with no commit since; under a steady stream of commits (the purge
        pauses for `checkpoint_now`) past WAL_MOST_PAGES, the copy is finished with the
        writer held."""
        left = await self._copy_wal()
        if self._wal_pages > WAL_MOST_PAGES:
            async with self._lock:
                held_since = time.perf_counter()
                try:
                    left = await self._copy_wal()
                finally:
                    if self.on_write is not None:  # a hold of the writer like a transaction
                        self.on_write(time.perf_counter() - held_since)
        if left:
            self._committed_since = True  # copy the rest after the next pause

    async def checkpoint_now(self) -> None:
        """Copy the WAL into the file now, beside the writer: a long run of writes (the
        purge) pauses for it now and then, so that the WAL can start over."""
        if self._checkpointer is not None:
            await self._copy_wal()
            # What was committed while it copied is not in that copy (it copies the WAL as
            # it was when it began, and says it is done): one more takes those few pages,
            # so the WAL is complete and the next write starts it over. Without it a
            # handler's commit every 20 ms kept the WAL growing through a year's purge
            # (bench.purge: finished with the writer held at 256 MB 77 times, up to 126 ms).
            await self._copy_wal()

    async def _copy_wal(self) -> int:
        """Copy what the WAL holds into the file; the pages left behind (newer commits)."""
        assert self._checkpointer is not None
        rows = await self._checkpointer.execute_fetchall("PRAGMA wal_checkpoint(PASSIVE)")
        _, pages, copied = next(iter(rows))
        self._wal_pages = int(pages)
        return max(0, int(pages) - int(copied))

    @asynccontextmanager
    async def transaction(self, *, durable: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """Run a write transaction: committed on success, rolled back on any error.

        `durable=False` is for work that is simply done again if lost (the purge): its commit
        does not wait for the disk to confirm it (bench.purge: a sync behind a checkpoint's
        held the writer 434 ms). A power loss may lose such commits, the last ones only (a
        log is synced in order, so a later durable commit makes them durable too), never the
        database's consistency; an answered write is always durable."""
        async with self._lock:
            held_since = time.perf_counter()
            try:
                conn = await self._begin_write(durable)
                try:
                    yield conn
                    await self._commit_write(conn)
                    _COMMITTED.set(True)
                    self._after_commit()
                except BaseException:
                    # Also after a failed COMMIT, which leaves the transaction open: the
                    # connection must not carry it into the next caller's transaction.
                    await self._end_write(conn)
                    raise
            except Exception as exc:
                error = self._storage_error(exc)
                if error is None:
                    raise
                raise error from exc
            finally:
                if self.on_write is not None:
                    self.on_write(time.perf_counter() - held_since)

    # The engine's steps of `transaction()`, one writer at a time (the lock): the durable
    # one, or the one whose commits are not synced; storage.pg has its own.
    async def _begin_write(self, durable: bool) -> aiosqlite.Connection:
        conn = self._writer if durable or self._relaxed is None else self._relaxed
        await conn.execute("BEGIN IMMEDIATE")
        return conn

    async def _commit_write(self, conn: aiosqlite.Connection) -> None:
        await conn.commit()

    async def _end_write(self, conn: aiosqlite.Connection) -> None:
        await _end(conn)

    def _storage_error(self, exc: Exception) -> StorageError | None:
        """The engine-neutral error for one of the engine's own; None for any other."""
        return self._translated(exc) if isinstance(exc, sqlite3.Error) else None

    @asynccontextmanager
    async def read(self, *, background: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """Read in one snapshot: every statement inside sees the same committed state.
        `background`: work nobody waits for (the reminder scan), on the reader that yields
        the CPU to the others; one such read at a time."""
        if self._reader_count == 0:
            async with self._lock:
                yield self._writer
            return
        pool = self._background if background else self._readers
        reader = await pool.get()
        try:
            await reader.execute("BEGIN")
            try:
                yield reader
            finally:
                await _end(reader)
        except sqlite3.Error as exc:
            raise self._translated(exc) from exc
        finally:
            pool.put_nowait(reader)

    async def migrate(self) -> list[str]:
        """Apply the numbered migrations not applied yet; return the names applied now.

        Each migration is applied in a write transaction that first reads what is applied,
        so two processes starting together never apply one twice.
        """
        applied: list[str] = []
        while True:
            async with self.transaction() as conn:
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                done = {
                    r[0] for r in await conn.execute_fetchall("SELECT name FROM schema_migrations")
                }
                pending = [(n, sql) for n, sql in migration_files(self.engine) if n not in done]
                if not pending:
                    return applied
                name, sql = pending[0]
                rebuilds = without_foreign_keys(sql)
                if not rebuilds:
                    await apply(conn, name, sql)
            if rebuilds and not await self._apply_without_foreign_keys(name, sql):
                continue  # the other process applied it between the two transactions
            applied.append(name)

    async def _apply_without_foreign_keys(self, name: str, sql: str) -> bool:
        """Apply a migration that rebuilds a table others refer to (SQLite's way to change a
        column): foreign keys off, as they can only be switched outside a transaction, and
        every reference checked before it commits. False when another process applied it."""
        async with self._lock:
            await self._writer.execute("PRAGMA foreign_keys = OFF")
        try:
            async with self.transaction() as conn:
                done = await conn.execute_fetchall(
                    "SELECT 1 FROM schema_migrations WHERE name = ?", (name,)
                )
                if done:
                    return False  # another process applied it meanwhile
                await apply(conn, name, sql)
                broken = list(await conn.execute_fetchall("PRAGMA foreign_key_check"))
                if broken:
                    raise sqlite3.IntegrityError(f"{name} leaves {len(broken)} broken references")
            return True
        finally:
            async with self._lock:
                await self._writer.execute("PRAGMA foreign_keys = ON")

    def _translated(self, exc: sqlite3.Error) -> StorageError:
        """The engine-neutral error for an sqlite3 one (the original stays as its cause)."""
        if isinstance(exc, sqlite3.IntegrityError):
            return Conflict(str(exc))
        if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
            return StorageBusy(self._busy_timeout_ms)
        return StorageError(f"{type(exc).__name__}: {exc}")


async def _connect(path: str, busy_timeout_ms: int) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    return conn


async def _lower_priority(conn: aiosqlite.Connection) -> None:
    """Have the OS run this connection's thread after the others (Linux: a thread's own
    nice value, BACKGROUND_NICE above the process's, at most 19: a bot started at nice 9
    or more gains less of it); elsewhere, or where it is refused, it keeps its priority."""

    def lower() -> int:
        if sys.platform == "linux":
            thread = threading.get_native_id()
            with contextlib.suppress(OSError):
                nice = os.getpriority(os.PRIO_PROCESS, thread) + BACKGROUND_NICE
                os.setpriority(os.PRIO_PROCESS, thread, min(19, nice))
        return 0

    # A function called by SQLite runs on the connection's own thread.
    await conn.create_function("samverkan_lower_priority", 0, lower)
    await conn.execute("SELECT samverkan_lower_priority()")


async def _end(conn: aiosqlite.Connection) -> None:
    """Roll back whatever is open on a connection (nothing, after a successful commit)."""
    if conn.in_transaction:
        await conn.rollback()


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc)
    return "locked" in text or "busy" in text


__all__ = ["Conflict", "Database", "StorageBusy", "StorageError"]
