"""Claiming the outbox under leases: several senders never take one row or one chat at once,
and a crashed sender's messages are taken again when its lease runs out, not before."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest
from telegram import Bot

from bot.delivery import Sender
from bot.domain.models import Member
from bot.domain.outbox import LEASE, MAX_ATTEMPTS, Notification, OutboxMessage, Priority
from bot.domain.pacing import Pacer
from storage.db import Database
from storage.errors import StorageBusy
from storage.store import Store
from tests.factories import START, FakeClock, make_member
from tests.fakebot import FakeBotApi
from tests.pg import Emptier

LATER = START + timedelta(minutes=1)


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake
        assert fake.violations == []


async def _people(store: Store, count: int) -> list[Member]:
    return [await make_member(store, 500 + n) for n in range(count)]


async def _queue(store: Store, people: list[Member], key: str) -> None:
    async with store.transaction() as tx:
        for m in people:
            note = Notification(
                dedup_key=f"{key}:{m.id}", member_id=m.id, chat_id=m.telegram_user_id,
                text=f"{key} to {m.id}", ref_type="lease", ref_id=1, priority=Priority.BULK,
            )  # fmt: skip
            await tx.outbox.enqueue(note, START)


async def _claim(store: Store, message: OutboxMessage, owner: str) -> bool:
    """Claim at START, for a lease of LEASE."""
    async with store.transaction() as tx:
        return await tx.outbox.claim(message, START, owner=owner, until=START + LEASE)


async def _due(store: Store, at: datetime = START) -> list[OutboxMessage]:
    async with store.read() as tx:
        return await tx.outbox.due(at)


async def test_a_chat_takes_one_message_at_a_time_whichever_sender_claims(store: Store) -> None:
    (person,) = await _people(store, 1)
    await _queue(store, [person], "one")
    await _queue(store, [person], "two")
    (first,) = await _due(store)
    assert await _claim(store, first, "sender-a")
    (second,) = await _due(store)  # the next in the chat, while the first is in flight
    assert second.text == f"two to {person.id}"
    assert not await _claim(store, second, "sender-b")
    async with store.transaction() as tx:
        await tx.outbox.sent(first, 11, START)
    assert await _claim(store, second, "sender-b")


async def test_a_crashed_claimers_messages_are_taken_when_its_lease_ends_not_before(
    store: Store,
) -> None:
    people = await _people(store, 2)
    await _queue(store, people, "c")
    crashed, other = await _due(store)
    assert await _claim(store, crashed, "crashed")
    just_before = START + LEASE - timedelta(seconds=1)
    async with store.transaction() as tx:
        assert await tx.outbox.recover_in_flight(just_before, MAX_ATTEMPTS) == 0
    assert [m.id for m in await _due(store, just_before)] == [other.id]
    async with store.read() as tx:
        row = await tx.outbox.get(crashed.id)
    assert row is not None and row.state == "sending"

    after = START + LEASE + timedelta(seconds=1)
    async with store.transaction() as tx:
        assert await tx.outbox.recover_in_flight(after, MAX_ATTEMPTS) == 1
    (again, _) = await _due(store, after)
    assert again.id == crashed.id and again.attempts == 1  # in flight at a stop: one attempt
    async with store.transaction() as tx:
        assert await tx.outbox.claim(again, after, owner="next", until=after + LEASE)


async def test_a_renewed_lease_holds_and_only_the_owners_own(store: Store) -> None:
    people = await _people(store, 2)
    await _queue(store, people, "r")
    mine, theirs = await _due(store)
    assert await _claim(store, mine, "me")
    assert await _claim(store, theirs, "them")
    renewed_at = START + LEASE - timedelta(seconds=2)
    async with store.transaction() as tx:
        # Renewing names both rows, but only the owner's is extended.
        assert await tx.outbox.renew("me", [mine.id, theirs.id], renewed_at + LEASE) == 1
    after_first = START + LEASE + timedelta(seconds=1)
    async with store.transaction() as tx:
        assert await tx.outbox.recover_in_flight(after_first, MAX_ATTEMPTS) == 1
    async with store.read() as tx:
        kept, lapsed = await tx.outbox.get(mine.id), await tx.outbox.get(theirs.id)
    assert kept is not None and kept.state == "sending"
    assert lapsed is not None and lapsed.state == "pending"
    async with store.transaction() as tx:
        assert await tx.outbox.recover_in_flight(renewed_at + LEASE, MAX_ATTEMPTS) == 1


async def test_a_stop_on_one_sqlite_file_requeues_every_lease(sqlite_store: Store) -> None:
    """One process per SQLite file: whatever is in flight at its start was left by a stop."""
    people = await _people(sqlite_store, 1)
    await _queue(sqlite_store, people, "s")
    (message,) = await _due(sqlite_store)
    assert await _claim(sqlite_store, message, "stopped")
    async with sqlite_store.transaction() as tx:
        assert await tx.outbox.recover_in_flight(START, MAX_ATTEMPTS) == 0
        assert await tx.outbox.recover_in_flight(START, MAX_ATTEMPTS, all_leases=True) == 1


async def test_two_senders_claiming_at_once_never_take_the_same_row(
    pg_database: Emptier,
) -> None:
    await pg_database.empty()
    first, second = await Database.open(pg_database.url), await Database.open(pg_database.url)
    a, b = Store(first), Store(second)
    try:
        people = await _people(a, 120)
        await _queue(a, people, "n")
        batch = await _due(a)
        assert len(batch) == 120
        taken: dict[str, list[int]] = {"a": [], "b": []}

        async def claimer(store: Store, name: str) -> None:
            for message in batch:  # both go through the same batch, in the same order
                if await _claim(store, message, name):
                    taken[name].append(message.id)
                await asyncio.sleep(0)

        await asyncio.gather(claimer(a, "a"), claimer(b, "b"))
        assert not set(taken["a"]) & set(taken["b"])
        assert sorted(taken["a"] + taken["b"]) == sorted(m.id for m in batch)
        assert taken["a"] and taken["b"]  # both took part
    finally:
        await first.close()
        await second.close()


async def test_a_row_another_sender_is_claiming_is_skipped_without_waiting(
    pg_database: Emptier,
) -> None:
    await pg_database.empty()
    # The second instance would give up waiting for a row lock after 0.2 s (StorageBusy).
    first, second = await Database.open(pg_database.url), await Database.open(pg_database.url, 200)
    a, b = Store(first), Store(second)
    try:
        people = await _people(a, 2)
        await _queue(a, people, "k")
        locked, free = await _due(a)
        async with a.transaction() as tx:
            assert await tx.outbox.claim(locked, START, owner="a", until=START + LEASE)
            # a's claim is not committed yet: its row is skipped, the other one is taken.
            try:
                assert not await _claim(b, locked, "b")
            except StorageBusy:
                pytest.fail("the second sender waited for the first one's row lock")
            assert await _claim(b, free, "b")
        async with b.transaction() as tx:
            assert await tx.outbox.recover_in_flight(START + LEASE, MAX_ATTEMPTS) == 2
    finally:
        await first.close()
        await second.close()


async def test_two_senders_deliver_each_message_once_in_each_chats_order(
    pg_database: Emptier, server: FakeBotApi
) -> None:
    await pg_database.empty()
    first, second = await Database.open(pg_database.url), await Database.open(pg_database.url)
    a, b = Store(first), Store(second)
    async with Bot(server.token, base_url=server.base_url) as bot:
        people = await _people(a, 12)
        for m in people:
            await server.user(m.telegram_user_id).send("hi")
        pacer = Pacer()  # one budget for the token, as the leader keeps it
        senders = [Sender(bot, store, FakeClock(LATER), pacer=pacer) for store in (a, b)]
        for sender in senders:
            await sender.start()
        try:
            for key in ("one", "two", "three"):
                await _queue(a, people, key)
            for sender in senders:
                sender.wake()
            await server.wait_until(lambda: len(server.calls_to("sendMessage")) >= 36, timeout=15)
        finally:
            for sender in senders:
                await sender.stop()
            await first.close()
            await second.close()
    for m in people:
        texts = [x.entities_text for x in server.user(m.telegram_user_id).messages]
        assert texts == [f"{k} to {m.id}" for k in ("one", "two", "three")]
    assert len(server.calls_to("sendMessage")) == 36


async def test_a_sender_takes_a_crashed_senders_message_when_its_lease_ends(
    pg_database: Emptier, server: FakeBotApi
) -> None:
    await pg_database.empty()
    crashed_db = await Database.open(pg_database.url)
    live_db = await Database.open(pg_database.url)
    crashed, live = Store(crashed_db), Store(live_db)
    clock = FakeClock(START)
    async with Bot(server.token, base_url=server.base_url) as bot:
        people = await _people(live, 2)
        for m in people:
            await server.user(m.telegram_user_id).send("hi")
        await _queue(live, people[:1], "lost")
        (message,) = await _due(live)
        assert await _claim(crashed, message, "crashed")  # ... and then it died
        await crashed_db.close()
        sender = Sender(bot, live, clock)
        await sender.start()
        try:
            assert sender.recovered == 0  # its lease still runs
            await _queue(live, people[1:], "fresh")
            sender.wake()
            fresh = server.user(people[1].telegram_user_id)
            await fresh.wait_for_message(lambda m: "fresh" in m.entities_text, earlier=True)
            assert await sender.keep_leases() == 0
            assert server.user(people[0].telegram_user_id).messages == []
            clock.now = START + LEASE + timedelta(seconds=1)
            assert await sender.keep_leases() == 1
            lost = server.user(people[0].telegram_user_id)
            got = await lost.wait_for_message(lambda m: m.entities_text.startswith("lost"))
            assert got.entities_text == f"lost to {people[0].id}"
        finally:
            await sender.stop()
            await live_db.close()


async def test_claims_refused_by_a_busy_database_give_their_places_back(
    tmp_path: Path, server: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    path = str(tmp_path / "busy.db")
    db = await Database.open(path, busy_timeout_ms=50)
    await db.migrate()
    store = Store(db)
    clock = FakeClock(LATER)
    async with Bot(server.token, base_url=server.base_url) as bot:
        people = await _people(store, 3)
        for m in people:
            await server.user(m.telegram_user_id).send("hi")
        await _queue(store, people, "b")
        async with store.transaction() as tx:
            for message in await tx.outbox.due(LATER):  # due a minute from now
                # Put back for later as a sender does: only a message in flight can be.
                assert await tx.outbox.claim(message, LATER, owner="test", until=LATER)
                await tx.outbox.retry_at(message, LATER + timedelta(minutes=1), 0, None)
            # Else the sender may lease them before the other writer holds the file (it
            # did, on a loaded machine: sent, then not settled, and no claim refused).
            assert await tx.outbox.due(LATER) == []
        sender = Sender(bot, store, clock, max_in_flight=2)
        await sender.start()
        other = await aiosqlite.connect(path)  # another writer, holding the file a while
        await other.execute("BEGIN IMMEDIATE")
        try:
            clock.now = LATER + timedelta(minutes=2)
            # More claims refused than the sender has places for requests in flight.
            await server.wait_until(lambda: _refused(caplog) >= 3, timeout=15)
            await other.rollback()
            await server.wait_until(lambda: len(server.calls_to("sendMessage")) == 3, timeout=10)
        finally:
            await other.close()
            await sender.stop()
            await db.close()


def _refused(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for r in caplog.records if r.getMessage() == "outbox round failed; retrying")
