"""A person's updates that reach two instances are handled one at a time (PostgreSQL)."""

from __future__ import annotations

import asyncio

from bot.ordering import PerPersonUpdateProcessor
from storage.db import Database
from storage.store import Store
from tests.factories import START, make_group
from tests.pg import MANY_CONNECTIONS, Emptier
from tests.unit.test_ordering import Recorder, _update

pytestmark = MANY_CONNECTIONS


async def test_one_persons_updates_on_two_instances_never_overlap(pg_database: Emptier) -> None:
    first, second = await Database.open(pg_database.url), await Database.open(pg_database.url)
    a, b = PerPersonUpdateProcessor(), PerPersonUpdateProcessor()
    a.across, b.across = first.person_turn, second.person_turn
    seen = Recorder()
    try:
        await asyncio.gather(
            *(
                (a if n % 2 else b).process_update(_update(n, 7), seen.handle(n, 0.05))
                for n in range(1, 7)
            )
        )
        assert sorted(seen.started) == [1, 2, 3, 4, 5, 6]
        assert seen.overlaps == []  # one at a time, though half went to each instance
        others = Recorder()
        await asyncio.gather(
            a.process_update(_update(10, 7), others.handle(10, 0.3)),
            b.process_update(_update(11, 8), others.handle(11, 0.3)),
        )
        assert others.overlaps == [(10, 11)]  # two people run side by side
    finally:
        await first.close()
        await second.close()


async def test_a_turn_held_elsewhere_is_waited_for(pg_database: Emptier) -> None:
    first, second = await Database.open(pg_database.url), await Database.open(pg_database.url)
    try:
        async with first.person_turn(42):
            waiting = asyncio.create_task(_enter(second, 42))
            await asyncio.sleep(0.3)
            assert not waiting.done()
            async with second.person_turn(43):
                pass  # someone else's turn is free
        await asyncio.wait_for(waiting, 5)
    finally:
        await first.close()
        await second.close()


async def _enter(db: Database, person: int) -> None:
    async with db.person_turn(person):
        pass


async def test_two_instances_seeing_one_coverage_change_tell_once(
    pg_database: Emptier,
) -> None:
    await pg_database.empty()
    first, second = await Database.open(pg_database.url), await Database.open(pg_database.url)
    read = {name: asyncio.Event() for name in ("a", "b", "a moved")}

    async def instance(store: Store, me: str, other: str, after: str) -> bool:
        async with store.transaction() as tx:
            assert await tx.reminders.coverage_states(group.id) == {}  # nothing told yet
            read[me].set()
            await read[other].wait()
            await read[after].wait()
            moved = await tx.reminders.move_coverage_state(group.id, "POL", "ok", "short", START)
            read["a moved"].set()
            return moved

    try:
        group = await make_group(Store(first), "Husby")
        read["none"] = asyncio.Event()
        read["none"].set()
        # Both read before either writes; b writes after a, and waits for a's commit.
        results = await asyncio.gather(
            instance(Store(first), "a", "b", "none"),
            instance(Store(second), "b", "a", "a moved"),
        )
        assert results == [True, False]
        async with Store(second).read() as tx:
            assert await tx.reminders.coverage_states(group.id) == {"POL": "short"}
    finally:
        await first.close()
        await second.close()
