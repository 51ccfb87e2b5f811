"""Trouble a test orders from the fake Bot API: errors instead of answers, requests held."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from bot.sandbox.botapi.models import ApiError, default_description


class Held:
    """A request the fake keeps waiting, as if it were still on its way: see `FakeBotApi.hold`."""

    def __init__(self, method: str, chat_id: int | None) -> None:
        self.method = method
        self.chat_id = chat_id
        self.arrived = asyncio.Event()
        self._released = asyncio.Event()

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        return method == self.method and self.chat_id in (None, params.get("chat_id"))

    def release(self) -> None:
        """Let the request through: it is served (and answered) now."""
        self._released.set()

    async def wait_released(self) -> None:
        self.arrived.set()
        await self._released.wait()


class Faults:
    """The errors and holds ordered per method (canonical names), taken by the calls they fit."""

    def __init__(self) -> None:
        self._errors: dict[str, deque[tuple[int | None, ApiError]]] = {}
        self._holds: list[Held] = []

    def add_errors(
        self,
        method: str,
        status: int,
        count: int,
        retry_after: int,
        description: str | None,
        chat_id: int | None,
    ) -> None:
        """Answer the next `count` calls of `method` (to `chat_id`, if given) with an error."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if status == 429
                else default_description(status)
            )
        queue = self._errors.setdefault(method, deque())
        for _ in range(count):
            retry = retry_after if status == 429 else None
            queue.append((chat_id, ApiError(status, description, retry_after=retry, kind="other")))

    def add_hold(self, method: str, chat_id: int | None) -> Held:
        held = Held(method, chat_id)
        self._holds.append(held)
        return held

    async def wait_if_held(self, method: str, params: dict[str, Any]) -> None:
        """Keep this call waiting if a hold fits it, until the test releases it."""
        held = next((h for h in self._holds if h.matches(method, params)), None)
        if held is not None:
            self._holds.remove(held)
            await held.wait_released()

    def raise_if_failing(self, method: str, params: dict[str, Any]) -> None:
        """Raise the first error ordered for this call, if any (it is used up)."""
        errors = self._errors.get(method, deque())
        fault = next((f for f in errors if f[0] in (None, params.get("chat_id"))), None)
        if fault is not None:
            errors.remove(fault)
            raise fault[1]
