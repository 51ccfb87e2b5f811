"""Waiting for an event with a time limit, without ever losing a cancellation."""

from __future__ import annotations

import asyncio
import contextlib


async def wait_at_most(event: asyncio.Event, seconds: float) -> None:
    """Return when `event` is set, or after `seconds` at the latest."""
    # Not asyncio.wait_for: on Python 3.11 it returns normally when the event is set in the
    # same turn as a cancel (gh-86296), so a `while True` loop around it never ends and the
    # event loop's shutdown waits for it for ever (a test run hung that way).
    # asyncio.timeout delivers the cancel.
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(max(seconds, 0.0)):
            await event.wait()
