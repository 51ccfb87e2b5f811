"""The database under pressure: durable commits, a failed commit undone, reads on their own
connection in one snapshot, one migration runner at a time, and engine-neutral errors."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from pathlib import Path

import aiosqlite
import psycopg
import pytest

from bot.services import reminders
from storage import db as storage_db
from storage.db import Database
from storage.errors import Conflict, StorageBusy, StorageError
from storage.migration_files import migration_files
from storage.store import Store
from tests.factories import START, make_group
from tests.pg import Emptier, scratch_database


async def _count(conn, table: str = "bot_meta") -> int:
    rows = await conn.execute_fetchall(f"SELECT count(*) FROM {table}")
    return int(next(iter(rows))[0])


async def test_writes_are_fully_synchronous(sqlite_store: Store) -> None:
    async with sqlite_store.db.transaction() as conn:
        rows = await conn.execute_fetchall("PRAGMA synchronous")
    assert next(iter(rows))[0] == 2  # FULL: a commit survives an OS crash or power loss


async def test_a_transaction_that_may_be_redone_is_not_synced_at_its_commit(
    store: Store,
) -> None:
    # The purge's: after a power loss it is simply done again, and a later durable commit
    # syncs the log up to itself, so only the purge's own last commits could be lost.
    asks = "PRAGMA synchronous" if store.db.engine == "sqlite" else "SHOW synchronous_commit"
    async with store.transaction(durable=False) as tx:
        relaxed = next(iter(await tx.privacy._conn.execute_fetchall(asks)))[0]
        await tx.meta.put("relaxed", "kept")
    async with store.transaction() as tx:
        durable = next(iter(await tx.privacy._conn.execute_fetchall(asks)))[0]
    assert (relaxed, durable) in ((1, 2), ("off", "on"))  # SQLite NORMAL then FULL
    async with store.read() as tx:
        assert await tx.meta.get("relaxed") == "kept"


async def _thread_of(conn) -> int:
    """The native id of the thread a connection runs its statements on."""
    await conn.create_function("thread_of", 0, threading.get_native_id)
    return int(next(iter(await conn.execute_fetchall("SELECT thread_of()")))[0])


async def test_background_reads_run_on_a_thread_the_os_runs_after_the_others(
    sqlite_store: Store,
) -> None:
    # The reminder scan's reads yield the CPU to the handlers' (bench.scan, on two cores).
    async with sqlite_store.db.read() as conn:
        ordinary = os.getpriority(os.PRIO_PROCESS, await _thread_of(conn))
    async with sqlite_store.read(background=True) as tx:
        background = os.getpriority(os.PRIO_PROCESS, await _thread_of(tx.privacy._conn))
        assert await tx.meta.get("nothing") is None  # an ordinary snapshot otherwise
    assert background == min(19, ordinary + storage_db.BACKGROUND_NICE)
    if ordinary < 19:  # a suite run at nice 19 already has the lowest priority there is
        assert background > ordinary


async def test_the_reminder_scan_reads_in_the_background(store: Store) -> None:
    asked: list[bool] = []
    read = store.db.read

    def spy(*, background: bool = False):  # type: ignore[no-untyped-def]
        asked.append(background)
        return read(background=background)

    store.db.read = spy  # type: ignore[method-assign]
    await reminders.run_due(store, START)
    assert asked and asked[0] is True


async def test_a_pause_for_the_wal_copy_takes_what_was_committed_meanwhile(
    sqlite_store: Store,
) -> None:
    # So the WAL starts over at the next write, not only once the purge is done.
    store, db = sqlite_store, sqlite_store.db
    assert db._checkpointer is not None
    (_, _, path), *_ = await db._checkpointer.execute_fetchall("PRAGMA database_list")
    async with store.transaction() as tx:
        for n in range(300):
            await tx.meta.put(f"purged {n}", "x" * 500)
    # A writer whose transaction began before the copy and commits after it: what a
    # handler's commit landing while the copy runs looks like to the WAL.
    other = await aiosqlite.connect(path, isolation_level=None)
    await other.execute("BEGIN IMMEDIATE")
    copy, copies = db._copy_wal, 0

    async def copy_with_a_commit_beside() -> int:
        nonlocal copies
        copies += 1
        left = await copy()
        if copies == 1:
            await other.execute("INSERT INTO bot_meta (key, value) VALUES ('handler', '1')")
            await other.execute("COMMIT")
        return left

    db._copy_wal = copy_with_a_commit_beside  # type: ignore[method-assign]
    try:
        await db.checkpoint_now()
    finally:
        del db._copy_wal
        await other.close()
    async with store.transaction() as tx:
        await tx.meta.put("next", "1")
    rows = await db._checkpointer.execute_fetchall("PRAGMA wal_checkpoint(PASSIVE)")
    _, pages, _ = next(iter(rows))
    assert pages <= 4  # the next write's pages only: the WAL started over


async def test_a_transaction_that_may_be_redone_keeps_the_foreign_keys(
    sqlite_store: Store,
) -> None:
    async with sqlite_store.transaction(durable=False) as tx:
        rows = await tx.privacy._conn.execute_fetchall("PRAGMA foreign_keys")
    assert next(iter(rows))[0] == 1  # the purge's deletes cascade as anyone's do


async def test_a_failed_commit_is_rolled_back_and_the_next_transaction_works(
    sqlite_store: Store,
) -> None:
    store = sqlite_store
    # A deferred foreign key is checked at COMMIT, so the commit itself fails.
    with pytest.raises(Conflict):
        async with store.db.transaction() as conn:
            await conn.execute("PRAGMA defer_foreign_keys = ON")
            await conn.execute("INSERT INTO bot_meta (key, value) VALUES ('half', 'done')")
            await conn.execute(
                "INSERT INTO group_memberships (member_id, group_id, joined_at)"
                " VALUES (4711, 4711, '2026-01-01T00:00:00+00:00')"
            )
    async with store.transaction() as tx:
        await tx.meta.put("after", "works")
    async with store.read() as tx:
        assert await tx.meta.get("half") is None
        assert await tx.meta.get("after") == "works"


async def test_a_read_does_not_wait_for_a_transaction(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.meta.put("pending", "yes")

        async def look() -> str | None:
            async with store.read() as reader:
                return await reader.meta.get("pending")

        assert await asyncio.wait_for(look(), timeout=2) is None  # not committed yet
    async with store.read() as reader:
        assert await reader.meta.get("pending") == "yes"


async def test_a_read_sees_one_snapshot_while_others_commit(store: Store) -> None:
    async with store.db.read() as conn:
        before = await _count(conn)

        async def write() -> None:
            async with store.transaction() as tx:
                await tx.meta.put("new", "row")

        await asyncio.wait_for(write(), timeout=2)  # a read never holds up a writer
        assert await _count(conn) == before  # the second statement sees the same snapshot
    async with store.db.read() as conn:
        assert await _count(conn) == before + 1


async def test_a_read_cannot_write(store: Store) -> None:
    with pytest.raises(StorageError, match=r"read-?only"):
        async with store.db.read() as conn:
            await conn.execute("INSERT INTO bot_meta (key, value) VALUES ('sneaky', 'write')")
    async with store.read() as tx:
        assert await tx.meta.get("sneaky") is None


async def _migrate_twice_at_once(target: str, engine: str) -> None:
    """Two processes open one database and migrate it together: each migration runs once."""
    first, second = await Database.open(target), await Database.open(target)
    try:
        applied = await asyncio.gather(first.migrate(), second.migrate())
        names = [name for name, _ in migration_files(engine)]
        assert sorted(applied[0] + applied[1]) == names
        async with first.read() as conn:
            assert await _count(conn, "schema_migrations") == len(names)
    finally:
        await first.close()
        await second.close()


async def test_two_processes_migrating_at_once_apply_each_migration_once(
    tmp_path: Path,
) -> None:
    await _migrate_twice_at_once(str(tmp_path / "twice.db"), "sqlite")


async def test_two_instances_migrating_one_postgresql_apply_each_migration_once() -> None:
    with scratch_database() as url:
        await _migrate_twice_at_once(url, "postgresql")


async def _write_is_busy(store: Store) -> None:
    with pytest.raises(StorageBusy):
        async with store.transaction() as tx:
            await tx.meta.put("k", "v")


async def _write_and_read_back(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.meta.put("k", "v")
    async with store.read() as tx:
        assert await tx.meta.get("k") == "v"


async def test_a_lock_held_on_postgresql_is_storage_busy_and_nothing_is_lost(
    pg_database: Emptier,
) -> None:
    await pg_database.empty()
    db = await Database.open(pg_database.url, busy_timeout_ms=100)
    store = Store(db)
    other = await psycopg.AsyncConnection.connect(pg_database.url, autocommit=True)
    try:
        await other.execute("BEGIN")
        await other.execute("LOCK TABLE bot_meta IN ACCESS EXCLUSIVE MODE")
        await _write_is_busy(store)
        await other.execute("COMMIT")
        await _write_and_read_back(store)  # the connection is fine afterwards
    finally:
        await other.close()
        await db.close()


async def test_a_lock_held_elsewhere_is_storage_busy_and_nothing_is_lost(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "busy.db")
    db = await Database.open(path, busy_timeout_ms=100)
    await db.migrate()
    store = Store(db)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        await _write_is_busy(store)
        other.execute("COMMIT")
        await _write_and_read_back(store)  # the connection is fine afterwards
    finally:
        other.close()
        await db.close()


async def test_a_duplicate_is_a_conflict_not_an_sqlite_error(store: Store) -> None:
    group = await make_group(store, "Tensta")
    with pytest.raises(Conflict):
        async with store.transaction() as tx:
            await tx.groups.add(
                name="Tensta",
                lat=59.0,
                lon=18.0,
                radius_m=100,
                min_per_agency=2,
                timezone="Europe/Stockholm",
                now=START,
            )
    async with store.read() as tx:
        assert [g.id for g in await tx.groups.all()] == [group.id]


async def test_the_privacy_migration_drops_settled_texts_and_keeps_references(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = migration_files("sqlite")
    monkeypatch.setattr(
        storage_db, "migration_files", lambda engine: [m for m in every if m[0] < "0020"]
    )
    db = await Database.open(str(tmp_path / "old.db"))
    await db.migrate()
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO outbox (dedup_key, kind, chat_id, text, reply_markup, state, created_at,"
            " updated_at) VALUES ('a', 'send', 1, 'secret', '[]', 'sent', 't', 't'),"
            " ('b', 'send', 1, 'waiting', NULL, 'pending', 't', 't')"
        )
        await conn.execute(
            "INSERT INTO outbox (dedup_key, kind, chat_id, text, state, created_at, updated_at,"
            " edits) VALUES ('edit:1', 'edit', 1, 'newer', 'sent', 't', 't', 1)"
        )
    monkeypatch.setattr(storage_db, "migration_files", lambda engine: every)
    assert "0020_privacy.sql" in await db.migrate()
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall("SELECT dedup_key, text FROM outbox ORDER BY id")
        assert [tuple(r) for r in rows] == [("a", None), ("b", "waiting"), ("edit:1", None)]
        assert next(iter(await conn.execute_fetchall("PRAGMA foreign_keys")))[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            await conn.execute("DELETE FROM outbox WHERE id = 1")  # an edit still refers to it
    await db.close()


async def test_commits_leave_the_wal_to_a_checkpointer_of_its_own(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # SQLite's own checkpoint runs inside the commit that fills the WAL, copying it into the
    # file with the write lock held (bench.purge: 1.2 s); the checkpointer does it beside.
    async with sqlite_store.db.transaction() as conn:
        rows = await conn.execute_fetchall("PRAGMA wal_autocheckpoint")
    assert next(iter(rows))[0] == 0
    for n in range(30):
        async with sqlite_store.transaction() as tx:
            await tx.meta.put(f"note{n}", "x" * 2000)
    await sqlite_store.db.checkpointed()
    # The file itself, without its WAL, holds the last commit.
    file = sqlite3.connect(f"file:{tmp_path / 'test.db'}?immutable=1", uri=True)
    try:
        row = file.execute("SELECT count(*) FROM bot_meta WHERE key LIKE 'note%'").fetchone()
    finally:
        file.close()
    assert row[0] == 30


async def test_notice_drafts_in_flight_at_the_upgrade_get_the_step_their_choices_lead_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = migration_files("sqlite")
    monkeypatch.setattr(
        storage_db, "migration_files", lambda engine: [m for m in every if m[0] < "0029"]
    )
    db = await Database.open(str(tmp_path / "old.db"))
    await db.migrate()
    drafts = ((None, None, "[]"), ("t", None, "[]"), ("t", "group", "[]"), ("t", "agencies", "[]"),
              ("t", "agencies", '["POL"]'), ("t", "mine", "[]"))  # fmt: skip
    async with db.transaction() as conn:
        for n, (text, audience, agencies) in enumerate(drafts, start=1):
            await conn.execute(
                "INSERT INTO members (id, telegram_user_id, display_name, role, language,"
                " created_at) VALUES (?, ?, 'M', 'coordinator', 'sv', 't')",
                (n, 1000 + n),
            )
            await conn.execute(
                "INSERT INTO notice_drafts (member_id, text, audience, agencies, updated_at)"
                " VALUES (?, ?, ?, ?, 't')",
                (n, text, audience, agencies),
            )
    monkeypatch.setattr(storage_db, "migration_files", lambda engine: every)
    assert "0030_notice_draft_steps.sql" in await db.migrate()
    async with db.read() as conn:
        rows = await conn.execute_fetchall("SELECT step FROM notice_drafts ORDER BY member_id")
    assert [r[0] for r in rows] == ["text", "audience", "group", "agencies", "preview", "preview"]
    await db.close()
