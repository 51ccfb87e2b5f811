"""Telegram's side of a webhook, with a balancer in front: pending updates are posted one at
a time, in order, to the next of several instance addresses in turn (round-robin), with the
secret header; an address that does not answer 200 is skipped for the next one, as nginx's
`proxy_next_upstream` does, and the update is only forgotten once an instance took it.
A test can pin a person to one address (`pinned`), as a sticky balancer would, to choose
which instance serves which of their taps."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Sequence
from typing import Any

import aiohttp

from bot.sandbox.botapi.state import State

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - the header's name
RETRY_S = 0.2


class WebhookPusher:
    """Posts the fake's pending updates to instances in turn until stopped."""

    def __init__(self, state: State, urls: Sequence[str]) -> None:
        self._state = state
        self._urls = list(urls)
        self._task: asyncio.Task[None] | None = None
        # Which address took each update: (update_id, url index).
        self.delivered: list[tuple[int, int]] = []
        # Telegram user id -> url index: that person's updates go there, not round-robin.
        self.pinned: dict[int, int] = {}

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="fake-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        turns = itertools.cycle(range(len(self._urls)))
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            while True:
                hook = self._state.webhook
                if hook is None:
                    await self._state.changed.wait(1.0)
                    continue
                if hook.get("allowed_updates") is not None:
                    self._state.allowed_updates = list(hook["allowed_updates"])
                pending = self._state.pending(1)
                if not pending:
                    await self._state.changed.wait(1.0)
                    continue
                update = pending[0]
                index = self.pinned.get(_sender(update) or 0, -1)
                if index < 0:
                    index = next(turns)
                if not await self._post(http, index, update, hook):
                    await asyncio.sleep(RETRY_S)

    async def _post(
        self, http: aiohttp.ClientSession, index: int, update: dict[str, Any], hook: dict[str, Any]
    ) -> bool:
        headers = {SECRET_HEADER: hook.get("secret_token", "")}
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            async with http.post(self._urls[index], json=update, headers=headers) as answer:
                if answer.status == 200:
                    self._state.confirm(update["update_id"] + 1)
                    self.delivered.append((update["update_id"], index))
                    return True
        return False


def _sender(update: dict[str, Any]) -> int | None:
    """The Telegram user an update comes from (a message or a button press), if any."""
    for kind in ("message", "callback_query", "edited_message"):
        if kind in update:
            return int(update[kind]["from"]["id"])
    return None
