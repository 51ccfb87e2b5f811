"""Per-person ordering: one person's updates run one at a time, in the order they came."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.ordering import PerPersonUpdateProcessor


def _update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "Someone", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(update_id, datetime(2026, 1, 1, tzinfo=UTC), chat, from_user=user)
    return Update(update_id, message=message)


class Recorder:
    """Handlers that take a moment and record when they ran and alongside whom."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.running: set[int] = set()
        self.overlaps: list[tuple[int, ...]] = []

    async def handle(self, number: int, seconds: float = 0.01) -> None:
        self.started.append(number)
        self.running.add(number)
        if len(self.running) > 1:
            self.overlaps.append(tuple(sorted(self.running)))
        await asyncio.sleep(seconds)
        self.running.discard(number)


async def test_a_third_update_waits_for_the_second_after_the_first_is_done() -> None:
    processor = PerPersonUpdateProcessor()
    seen = Recorder()
    first = asyncio.create_task(processor.process_update(_update(1, 7), seen.handle(1)))
    second = asyncio.create_task(processor.process_update(_update(2, 7), seen.handle(2)))
    await first  # the second is now woken, but has not run yet
    third = asyncio.create_task(processor.process_update(_update(3, 7), seen.handle(3)))
    fourth = asyncio.create_task(processor.process_update(_update(4, 7), seen.handle(4)))
    await asyncio.gather(second, third, fourth)
    assert seen.overlaps == []
    assert seen.started == [1, 2, 3, 4]
    assert processor.people_waiting() == 0  # nothing left behind once everyone is done


async def test_updates_arriving_while_others_run_keep_their_order() -> None:
    processor = PerPersonUpdateProcessor()
    seen = Recorder()
    tasks = []
    for number in range(1, 9):
        tasks.append(
            asyncio.create_task(processor.process_update(_update(number, 7), seen.handle(number)))
        )
        await asyncio.sleep(0.004)  # each arrives while an earlier one is still running
    await asyncio.gather(*tasks)
    assert seen.overlaps == []
    assert seen.started == list(range(1, 9))
    assert processor.people_waiting() == 0


async def test_different_people_run_side_by_side() -> None:
    processor = PerPersonUpdateProcessor()
    seen = Recorder()
    await asyncio.gather(
        processor.process_update(_update(1, 7), seen.handle(1, 0.05)),
        processor.process_update(_update(2, 8), seen.handle(2, 0.05)),
    )
    assert seen.overlaps == [(1, 2)]
