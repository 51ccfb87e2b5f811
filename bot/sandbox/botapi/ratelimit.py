"""Flood limits modelled on Telegram's documented broadcasting limits.

Per chat: a token bucket (short bursts pass, then about one message per second). Globally: a
sliding one-second window. Group chats (negative ids): a sliding one-minute window.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Limits:
    enabled: bool = True
    global_per_s: int = 30
    per_chat_per_s: float = 1.0
    per_chat_burst: int = 3
    group_per_min: int = 20


class ManualClock:
    """A clock for FakeBotApi(clock=...) that only moves when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._global: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}

    def acquire(self, limits: Limits, chat_id: int, *, counts_globally: bool) -> int | None:
        """Take one send for chat_id; None if allowed, else seconds until it would be.

        Nothing is consumed when the answer is "wait", as Telegram does not count
        requests it refuses.
        """
        if not limits.enabled:
            return None
        now = self._clock()
        waits = [self._chat_wait(limits, chat_id, now)]
        if counts_globally:
            waits.append(_window_wait(self._global, limits.global_per_s, 1.0, now))
        if chat_id < 0:
            window = self._groups.setdefault(chat_id, deque())
            waits.append(_window_wait(window, limits.group_per_min, 60.0, now))
        wait = max(waits)
        if wait > 0:
            return max(1, math.ceil(wait - 1e-9))
        self._buckets[chat_id].tokens -= 1.0
        if counts_globally:
            self._global.append(now)
        if chat_id < 0:
            self._groups[chat_id].append(now)
        return None

    def _chat_wait(self, limits: Limits, chat_id: int, now: float) -> float:
        burst = float(max(limits.per_chat_burst, 1))
        bucket = self._buckets.setdefault(chat_id, _Bucket(burst, now))
        elapsed = max(now - bucket.updated, 0.0)
        bucket.tokens = min(burst, bucket.tokens + elapsed * limits.per_chat_per_s)
        bucket.updated = now
        if bucket.tokens >= 1.0 - 1e-9:
            return 0.0
        if limits.per_chat_per_s <= 0:
            return 3600.0
        return (1.0 - bucket.tokens) / limits.per_chat_per_s


def _window_wait(window: deque[float], limit: int, span: float, now: float) -> float:
    while window and window[0] <= now - span:
        window.popleft()
    if len(window) < limit:
        return 0.0
    if limit <= 0:
        return span
    return window[len(window) - limit] + span - now
