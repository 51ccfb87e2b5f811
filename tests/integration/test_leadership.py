"""One leader among instances on one PostgreSQL server, and a new one when it dies."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.domain.outbox import Notification, Priority
from bot.leader import Leadership
from storage.db import Database
from storage.pg import LEADER_LOCK
from storage.store import Store
from tests.factories import START, make_member
from tests.pg import Emptier

# Another instance: takes the leader lock on its own session, says so, and waits to be killed.
_OTHER = """
import sys, time, psycopg
conn = psycopg.connect(sys.argv[1], autocommit=True)
assert conn.execute("SELECT pg_try_advisory_lock(%s)", (int(sys.argv[2]),)).fetchone()[0]
print("leading", flush=True)
time.sleep(120)
"""


async def test_one_instance_leads_and_the_next_takes_over_when_it_closes(
    pg_database: Emptier,
) -> None:
    first, second = await Database.open(pg_database.url), await Database.open(pg_database.url)
    try:
        assert await first.lead() is True
        assert await second.lead() is False
        assert await first.lead() is True  # asked again, it still leads
        await first.close()
        # The server ends the first session a moment after the client leaves.
        deadline = time.monotonic() + 5
        while not await second.lead() and time.monotonic() < deadline:  # noqa: ASYNC110 - the server has no event to wait on
            await asyncio.sleep(0.05)
        assert await second.lead() is True
    finally:
        await second.close()


async def test_sqlite_always_leads(tmp_path: Path) -> None:
    db = await Database.open(str(tmp_path / "one.db"))
    try:
        assert await db.lead() and await db.lead()
    finally:
        await db.close()


async def test_a_leader_killed_hard_is_replaced_within_ten_seconds(pg_database: Emptier) -> None:
    other = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _OTHER, pg_database.url, str(LEADER_LOCK),
        stdout=subprocess.PIPE,
    )  # fmt: skip
    db = await Database.open(pg_database.url)
    events: list[str] = []
    gained = asyncio.Event()

    async def gain() -> None:
        events.append("gain")
        gained.set()

    async def lose() -> None:
        events.append("lose")

    leadership = Leadership(db, gain, lose)
    try:
        assert other.stdout is not None and (await other.stdout.readline()).strip() == b"leading"
        assert await leadership.check() is False
        leadership.start()
        await asyncio.sleep(0.5)
        assert events == []  # the other one leads
        os.kill(other.pid, signal.SIGKILL)
        killed = time.monotonic()
        await asyncio.wait_for(gained.wait(), 15)
        took = time.monotonic() - killed
        assert events == ["gain"]
        assert took < 10, f"took {took:.1f} s"
    finally:
        if other.returncode is None:
            other.kill()
        await other.wait()
        await leadership.stop()
        await db.close()
    assert events == ["gain", "lose"]  # stopping stops the work too


async def test_messages_queued_by_any_instance_wake_the_leaders_sender(
    pg_database: Emptier,
) -> None:
    await pg_database.empty()
    leader, follower = await Database.open(pg_database.url), await Database.open(pg_database.url)
    woken = asyncio.Event()
    watch = asyncio.create_task(leader.watch_outbox(woken.set))
    try:
        await asyncio.wait_for(woken.wait(), 5)  # once on listening: what was queued before
        woken.clear()
        store = Store(follower)
        async with store.transaction() as tx:
            await tx.meta.put("nothing", "queued")
        await asyncio.sleep(0.3)
        assert not woken.is_set()  # a transaction that queued nothing says nothing
        member = await make_member(store, 77)
        await asyncio.sleep(0.3)
        woken.clear()
        async with store.transaction() as tx:
            await tx.outbox.enqueue(
                Notification(
                    dedup_key="n:77", member_id=member.id, chat_id=77, text="hej",
                    priority=Priority.NORMAL,
                ),
                START,
            )  # fmt: skip
        await asyncio.wait_for(woken.wait(), 5)
    finally:
        watch.cancel()
        await asyncio.gather(watch, return_exceptions=True)
        await leader.close()
        await follower.close()
