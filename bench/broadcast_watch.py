"""Watching the fake server's calls: the notice copies each recipient got, and when."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence

from bench.broadcast_db import COORDINATOR_ID
from bot.sandbox.botapi import Call, FakeBotApi, FakeUser


class CallWatcher:
    """Reads the fake server's calls made since it was created, each once, as they come:
    `update()` hands every new call to `seen` with the moment it was read."""

    def __init__(self, server: FakeBotApi) -> None:
        self._server = server
        self._next = len(server.calls)

    def update(self) -> None:
        now = asyncio.get_running_loop().time()
        calls = self._server.calls
        while self._next < len(calls):
            call = calls[self._next]
            self._next += 1
            self.seen(call, now)

    def seen(self, call: Call, now: float) -> None:
        raise NotImplementedError


class Copies(CallWatcher):
    """Counts, from the fake server's calls, the notice copies each recipient got."""

    def __init__(self, server: FakeBotApi, marker: str, recipients: Sequence[int]) -> None:
        super().__init__(server)
        self._marker = marker
        self._recipients = set(recipients)
        self.per_chat: Counter[int] = Counter()
        self.send_ok = 0
        self.send_429 = 0
        self.send_errors: Counter[str] = Counter()
        self.first_at: float | None = None
        self.covered_at: float | None = None
        self.seen_at: list[float] = []  # when each copy was seen, in order
        self.status_edits: list[tuple[float, str]] = []  # (seen at, text) to the coordinator

    @property
    def covered(self) -> int:
        return len(self.per_chat)

    def seen(self, call: Call, now: float) -> None:
        if call.method == "editMessageText" and call.ok:
            if call.params.get("chat_id") == COORDINATOR_ID:
                self.status_edits.append((now, str(call.params.get("text") or "")))
            return
        if call.method != "sendMessage":
            return
        if call.status == 429:
            self.send_429 += 1
            return
        if not call.ok:
            self.send_errors[f"{call.status} {call.description}"] += 1
            return
        chat = call.params.get("chat_id")
        text = call.params.get("text") or ""
        if chat in self._recipients and self._marker in str(text):
            self.per_chat[int(chat)] += 1
            self.send_ok += 1
            self.seen_at.append(now)
            if self.first_at is None:
                self.first_at = now
            if self.covered_at is None and self.covered == len(self._recipients):
                self.covered_at = now

    async def wait(self, until: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
        """Keep counting until `until()` holds (True) or `timeout` seconds pass (False)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self.update()
            if until():
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await self._server.state.changed.wait(min(remaining, 0.05))

    def tally(self) -> tuple[int, int]:
        """(lost, duplicates) over all recipients."""
        lost = sum(1 for chat in self._recipients if self.per_chat[chat] == 0)
        duplicates = sum(n - 1 for n in self.per_chat.values() if n > 1)
        return lost, duplicates


def tally_from_chats(users: Sequence[FakeUser], marker: str) -> tuple[int, int]:
    """(lost, duplicates) as the members' chats show them."""
    counts = [sum(1 for m in u.messages if marker in m.entities_text) for u in users]
    return sum(1 for n in counts if n == 0), sum(n - 1 for n in counts if n > 1)
