"""Telegram's side of a webhook, with a balancer in front: pending updates are posted, in
order, to the next of several instance addresses in turn (round-robin), with the secret
header; an address that does not answer 200 is skipped for the next one, as nginx's
`proxy_next_upstream` does, and an update is only forgotten once an instance took it.

By default one update is in flight at a time. With `in_flight` N, up to N are, on as many
connections (Telegram's `max_connections`), but never two of one person at once: a person's
next update waits for the answer to the one before, so their order holds.
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
LOOK_AHEAD = 8


class WebhookPusher:
    """Posts the fake's pending updates to instances in turn until stopped."""

    def __init__(self, state: State, urls: Sequence[str], in_flight: int = 1) -> None:
        self._state = state
        self._urls = list(urls)
        self._in_flight = in_flight
        self._task: asyncio.Task[None] | None = None
        self._stopped = False
        self._turns = itertools.cycle(range(len(self._urls)))
        # Update ids being posted (still pending until taken: their people's next wait).
        self._posting: set[int] = set()
        # Which address took each update: (update_id, url index).
        self.delivered: list[tuple[int, int]] = []
        # Telegram user id -> url index: that person's updates go there, not round-robin.
        self.pinned: dict[int, int] = {}

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="fake-webhook")

    async def stop(self) -> None:
        # A flag as well as the cancellation: Python 3.11's wait_for (under the state's
        # wait) can swallow a cancellation that comes as the awaited change does.
        self._stopped = True
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        limits = aiohttp.TCPConnector(limit=max(self._in_flight, 1))
        timeout = aiohttp.ClientTimeout(total=5)
        async with aiohttp.ClientSession(timeout=timeout, connector=limits) as http:
            posts: set[asyncio.Task[None]] = set()
            try:
                while not self._stopped:
                    hook = self._state.webhook
                    if hook is not None and hook.get("allowed_updates") is not None:
                        self._state.allowed_updates = list(hook["allowed_updates"])
                    for update in self._next(hook):
                        self._posting.add(update["update_id"])
                        posts.add(asyncio.create_task(self._deliver(http, update, hook or {})))
                    posts = {p for p in posts if not p.done()}
                    await self._state.changed.wait(1.0)
            finally:
                for post in posts:
                    post.cancel()
                await asyncio.gather(*posts, return_exceptions=True)

    def _next(self, hook: dict[str, Any] | None) -> list[dict[str, Any]]:
        """Pending updates to post now: in order, within the limit, one per person."""
        if hook is None:
            return []
        room = self._in_flight - len(self._posting)
        chosen: list[dict[str, Any]] = []
        held: set[int | None] = set()
        # Looked at a window ahead, not the whole queue at every turn: a long queue of one
        # person's updates only costs concurrency, never order.
        for update in self._state.pending(LOOK_AHEAD * self._in_flight + LOOK_AHEAD):
            if room <= len(chosen):
                break
            who = _sender(update)
            if update["update_id"] in self._posting or who in held:
                held.add(who)  # a later update of theirs waits for this one
                continue
            held.add(who)
            chosen.append(update)
        return chosen

    async def _deliver(
        self, http: aiohttp.ClientSession, update: dict[str, Any], hook: dict[str, Any]
    ) -> None:
        """Post to instances in turn until one takes it; then forget it."""
        who = _sender(update)
        while True:
            index = self.pinned.get(who or 0, -1)
            if index < 0:
                index = next(self._turns)
            if await self._post(http, index, update, hook):
                break
            await asyncio.sleep(RETRY_S)
        self._state.forget(update["update_id"])
        self.delivered.append((update["update_id"], index))
        self._posting.discard(update["update_id"])
        self._state.changed.notify()

    async def _post(
        self, http: aiohttp.ClientSession, index: int, update: dict[str, Any], hook: dict[str, Any]
    ) -> bool:
        headers = {SECRET_HEADER: hook.get("secret_token", "")}
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            async with http.post(self._urls[index], json=update, headers=headers) as answer:
                return answer.status == 200
        return False


def _sender(update: dict[str, Any]) -> int | None:
    """The Telegram user an update comes from (a message or a button press), if any."""
    for kind in ("message", "callback_query", "edited_message"):
        if kind in update:
            return int(update[kind]["from"]["id"])
    return None
