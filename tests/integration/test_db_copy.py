"""`samverkan db copy`: a SQLite deployment moved to PostgreSQL without losing a row."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.domain.models import Role
from bot.domain.outbox import Notification, Priority
from storage.copy import CopyRefused, compare, copy_database
from storage.db import Database
from storage.store import Store
from tests.factories import START, make_group, make_member
from tests.pg import scratch_database

BIG_ID = 7_123_456_789  # Telegram ids outgrow 32 bits


async def _deployment(path: Path) -> Database:
    """A SQLite database with rows in many tables, big ids, NULLs, floats and non-ASCII."""
    db = await Database.open(str(path))
    await db.migrate()
    store = Store(db)
    group = await make_group(store, "Tensta–Rinkeby", lat=59.3912345678)
    coordinator = await make_member(store, BIG_ID, role=Role.COORDINATOR, group=group)
    expert = await make_member(store, 42, agency="SKV", group=group, name="Åsa Öberg")
    async with store.transaction() as tx:
        await tx.shifts.add(expert.id, group.id, START, START + timedelta(hours=8), START)
        await tx.outbox.enqueue(
            Notification(
                dedup_key="k1",
                member_id=coordinator.id,
                chat_id=-1001234567890,
                text="100 % klart ✓",
                priority=Priority.BULK,
            ),
            START,
        )
        await tx.meta.put("bot_username", "samverkan_bot")
    async with db.transaction() as conn:  # a draft made and dropped: its id is never reused
        await conn.execute(
            "INSERT INTO flag_drafts (id, member_id, step, updated_at) VALUES (57, ?, 's', ?)",
            (expert.id, START.isoformat()),
        )
        await conn.execute("DELETE FROM flag_drafts")
    return db


async def test_every_row_arrives_and_the_counts_and_checksums_match(tmp_path: Path) -> None:
    source = await _deployment(tmp_path / "old.db")
    with scratch_database() as url:
        target = await Database.open(url)
        try:
            report = await copy_database(source, target)
            assert all(t.matches for t in report), [t for t in report if not t.matches]
            rows = {t.table: t.target_rows for t in report}
            assert rows["members"] == 2 and rows["agencies"] == 12 and rows["outbox"] == 1
            assert sum(rows.values()) > 20
            moved = Store(target)
            async with moved.read() as tx:
                member = await tx.members.by_telegram_id(BIG_ID)
                assert member is not None and member.role is Role.COORDINATOR
                assert [g.name for g in await tx.groups.all()] == ["Tensta–Rinkeby"]
                assert (await tx.groups.all())[0].lat == 59.3912345678
                assert await tx.meta.get("bot_username") == "samverkan_bot"
            # The identities go on after the copied ids, and after ids SQLite handed out.
            async with moved.transaction() as tx:
                group = await tx.groups.add(
                    name="Husby", lat=59.4, lon=17.9, radius_m=300, min_per_agency=2,
                    timezone="Europe/Stockholm", now=START,
                )  # fmt: skip
            assert group.id == 2
            async with target.transaction() as conn:
                await conn.execute(
                    "INSERT INTO flag_drafts (member_id, step, updated_at) VALUES (?, 's', ?)",
                    (member.id, START.isoformat()),
                )
            async with target.read() as conn:
                ids = await conn.execute_fetchall("SELECT id FROM flag_drafts")
            assert [r[0] for r in ids] == [58]
            # A row changed afterwards shows in the checksum.
            async with target.transaction() as conn:
                await conn.execute("UPDATE outbox SET text = 'changed'")
            changed = {t.table for t in await compare(source, target) if not t.matches}
            assert changed == {"outbox", "groups", "flag_drafts"}
        finally:
            await target.close()
            await source.close()


async def test_a_target_with_data_is_refused_and_left_alone(tmp_path: Path) -> None:
    source = await _deployment(tmp_path / "old.db")
    with scratch_database() as url:
        target = await Database.open(url)
        try:
            await target.migrate()
            async with Store(target).transaction() as tx:
                await tx.meta.put("already", "here")
            with pytest.raises(CopyRefused, match="bot_meta"):
                await copy_database(source, target)
            async with Store(target).read() as tx:
                assert await tx.members.by_telegram_id(BIG_ID) is None
                assert await tx.meta.get("already") == "here"
        finally:
            await target.close()
            await source.close()
