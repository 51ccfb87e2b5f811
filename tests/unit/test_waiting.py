"""A loop waiting on an event ends when it is cancelled, even as the event is set."""

from __future__ import annotations

import asyncio

import pytest

from bot.waiting import wait_at_most


async def test_a_cancel_that_comes_with_the_event_ends_the_loop() -> None:
    event = asyncio.Event()
    rounds = 0

    async def watch() -> None:
        nonlocal rounds
        while True:
            rounds += 1
            await wait_at_most(event, 5.0)
            event.clear()

    task = asyncio.create_task(watch())
    await asyncio.sleep(0)  # the task now waits on the event
    event.set()
    task.cancel()  # in the same turn: the wait ends and the cancel arrives together
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 2)
    assert rounds == 1


async def test_it_returns_on_the_event_or_after_the_time() -> None:
    event = asyncio.Event()
    event.set()
    await asyncio.wait_for(wait_at_most(event, 60), 2)  # set: returns at once
    loop = asyncio.get_running_loop()
    started = loop.time()
    await wait_at_most(asyncio.Event(), 0.05)  # never set: returns after the limit
    assert loop.time() - started >= 0.05
