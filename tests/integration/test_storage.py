"""Storage on a real SQLite file: migrations, constraints, transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.domain.models import Role
from bot.domain.outbox import Notification, Priority
from storage.db import Database
from storage.errors import Conflict
from storage.migration_files import migration_files
from storage.store import Store
from tests.factories import START, make_group, make_member


async def test_migrations_apply_once_and_are_recorded(tmp_path: Path) -> None:
    path = str(tmp_path / "m.db")
    db = await Database.open(path)
    names = [name for name, _ in migration_files("sqlite")]
    assert names[0] == "0001_init.sql"
    assert await db.migrate() == names
    assert await db.migrate() == []
    await db.close()
    db = await Database.open(path)
    assert await db.migrate() == []
    async with db.read() as conn, conn.execute("SELECT name FROM schema_migrations") as cur:
        assert sorted(r["name"] for r in await cur.fetchall()) == names
    await db.close()


async def test_pragmas_wal_foreign_keys_busy_timeout(sqlite_store: Store) -> None:
    async with sqlite_store.db.transaction() as conn:
        async with conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
        async with conn.execute("PRAGMA foreign_keys") as cur:
            assert (await cur.fetchone())[0] == 1
        async with conn.execute("PRAGMA busy_timeout") as cur:
            assert (await cur.fetchone())[0] == 5000


async def test_twelve_agencies_are_seeded(store: Store) -> None:
    async with store.read() as tx:
        codes = [a.code for a in await tx.groups.agencies()]
    assert codes == [
        "STHLM", "SKV", "AF", "EBM", "TULL", "FK", "KVV", "SAPO", "KBV", "MIGR", "POL", "AM",
    ]  # fmt: skip


async def test_transaction_rolls_back_everything_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.meta.put("k", "v")
            raise RuntimeError("boom")
    async with store.read() as tx:
        assert await tx.meta.get("k") is None


async def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(Conflict):
        async with store.transaction() as tx:
            await tx.members.join_group(12345, 999, START)


async def test_members_of_groups_ordered_by_agency_then_name(store: Store) -> None:
    a = await make_group(store, "A")
    b = await make_group(store, "B")
    await make_member(store, 1, agency="TULL", group=a, name="Zed")
    await make_member(store, 2, agency="POL", group=a, name="Bo")
    await make_member(store, 3, agency="POL", group=b, name="Al")
    async with store.read() as tx:
        in_a = await tx.members.in_groups([a.id])
        everyone = await tx.members.in_groups()
        none = await tx.members.in_groups([])
    assert [m.display_name for m in in_a] == ["Bo", "Zed"]
    assert [m.display_name for m in everyone] == ["Al", "Bo", "Zed"]
    assert none == []
    assert in_a[0].group_ids == (a.id,)


async def test_menu_out_of_step_follows_role_language_and_deactivation(store: Store) -> None:
    member = await make_member(store, 7, role=Role.COORDINATOR)
    async with store.read() as tx:
        assert await tx.menus.out_of_step() == [(member.id, 7, Role.COORDINATOR, "sv")]
    async with store.transaction() as tx:
        await tx.menus.mark_synced(member.id, Role.COORDINATOR, "sv")
    async with store.read() as tx:
        assert await tx.menus.out_of_step() == []
    async with store.transaction() as tx:
        await tx.members.set_active(member.id, False, START)
    async with store.read() as tx:
        assert await tx.menus.out_of_step() == [(member.id, 7, None, "sv")]


async def test_waits_for_a_briefly_locked_database(tmp_path: Path) -> None:
    path = str(tmp_path / "lock.db")
    db = await Database.open(path, busy_timeout_ms=3000)
    await db.migrate()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    import asyncio

    async def release() -> None:
        await asyncio.sleep(0.3)
        other.execute("COMMIT")

    releaser = asyncio.create_task(release())
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO bot_meta (key, value) VALUES ('a', 'b')")
    await releaser
    other.close()
    async with db.read() as conn, conn.execute("SELECT value FROM bot_meta") as cur:
        assert (await cur.fetchone())[0] == "b"
    await db.close()


async def test_enqueue_many_keeps_enqueues_dedup_and_holds_for_the_unreachable(
    store: Store,
) -> None:
    reachable = await make_member(store, 1)
    blocked = await make_member(store, 2)
    notes = [
        Notification(dedup_key=f"k:{m.id}", member_id=m.id, chat_id=m.telegram_user_id,
                     text="Hello", priority=Priority.NORMAL)
        for m in (reachable, blocked)
    ]  # fmt: skip
    async with store.transaction() as tx:
        await tx.members.set_unreachable(blocked.id, START)
        assert await tx.outbox.enqueue_many(notes, START) == 2
        assert tx.outbox.touched
    async with store.transaction() as tx:
        assert await tx.outbox.enqueue_many(notes, START) == 0  # the same keys: nothing new
        assert await tx.outbox.enqueue_many([], START) == 0
        assert not tx.outbox.touched
        assert not await tx.outbox.enqueue(notes[0], START)
    async with store.read() as tx:
        due = await tx.outbox.due(START)
    async with store.db.read() as conn:
        states = await conn.execute_fetchall("SELECT chat_id, state FROM outbox ORDER BY id")
    assert [(m.chat_id, m.text) for m in due] == [(1, "Hello")]
    assert [tuple(r) for r in states] == [(1, "pending"), (2, "held")]
