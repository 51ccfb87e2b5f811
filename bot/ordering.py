"""Updates from different people run side by side; each person's run in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from storage.db import forget_commits


@dataclass
class _Turns:
    """One person's lock and how many of their updates hold it or wait for it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class PerPersonUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across people, sequential per person.

    One member's slow moment (a busy database, a retried request) must not hold up everyone
    else, but two taps of the same member must be handled in the order they were made.
    """

    def __init__(self, max_concurrent_updates: int = 32) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int, _Turns] = {}
        # With several instances on one database, a person's turn is also held there
        # (Database.person_turn); set once the database is open.
        self.across: Callable[[int], AbstractAsyncContextManager[None]] | None = None
        # Update id -> set once the update holds its person's turn (see `admitted`).
        self._admitted: dict[int, asyncio.Event] = {}

    def admitted(self, update_id: int) -> asyncio.Event:
        """Set once the update has its person's turn, or needs none: a webhook answers its
        post then, so the balancer's next post of that person (to any instance) comes after
        this one in the queue for the turn, never before it."""
        event = asyncio.Event()
        self._admitted[update_id] = event
        return event

    def _admit(self, update: object) -> None:
        if isinstance(update, Update) and (event := self._admitted.pop(update.update_id, None)):
            event.set()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers once this person's earlier updates are done."""
        # Each update runs in a task of its own, which inherits whatever the task that
        # created it had committed (start-up did): it starts with nothing saved.
        forget_commits()
        key = _person(update)
        if key is None:
            self._admit(update)
            await coroutine
            return
        turns = self._turns.setdefault(key, _Turns())
        # Counted, not read off the lock: between a release and the next waiter waking the
        # lock looks free, and forgetting it then would let a later update overtake that waiter.
        turns.users += 1
        try:
            async with turns.lock:
                if self.across is None:
                    self._admit(update)
                    await coroutine
                else:
                    async with self.across(key):
                        self._admit(update)
                        await coroutine
        finally:
            self._admit(update)  # also when it never got its turn
            turns.users -= 1
            if turns.users == 0:
                del self._turns[key]

    def people_waiting(self) -> int:
        """How many people have an update running or waiting (for tests and leaks)."""
        return len(self._turns)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def _person(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None
