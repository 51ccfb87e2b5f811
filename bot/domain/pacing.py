"""Pacing sends under Telegram's limits: a pure, clock-free rule the sender asks."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    """Telegram's broadcast limits, with a little margin so a jittery network stays under."""

    global_per_s: float = 29.0
    private_interval_s: float = 1.0
    group_interval_s: float = 3.0  # 20 per minute in a group chat


@dataclass
class Pacer:
    """Spaces sends evenly: one every 1/global_per_s overall, and per chat by its interval.

    Even spacing rather than bursts means no one-second window Telegram looks at ever
    holds more than the limit, even when requests arrive a few milliseconds apart from
    how they left.
    """

    limits: Limits = field(default_factory=Limits)
    _next_global: float = 0.0
    _next_chat: dict[int, float] = field(default_factory=dict)
    _paused_until: float = 0.0
    _last_refusal: tuple[int, float] | None = None  # (chat, until when its wait lasts)
    # The moments of the last `global_per_s` messages (sent or booked), oldest first.
    _recent: deque[float] = field(default_factory=deque)

    def chat_wait(self, chat_id: int, now: float) -> float:
        """Seconds until this chat may get another message."""
        return max(0.0, self._next_chat.get(chat_id, 0.0) - now)

    def global_wait(self, now: float) -> float:
        """Seconds until any message may go (the global pace, or a 429 pause)."""
        return max(0.0, self._next_global - now, self._paused_until - now, self._window(now))

    def _window(self, now: float) -> float:
        # A send a little late keeps its slot, so the next can follow it closely: without
        # this, a second could hold one more than the pace (30 at 29/s), and requests that
        # reach Telegram bunched would then be over its limit.
        if len(self._recent) < int(self.limits.global_per_s):
            return 0.0
        return self._recent[0] + 1.0 - now

    def _count(self, at: float) -> None:
        self._recent.append(at)
        while len(self._recent) > int(self.limits.global_per_s):
            self._recent.popleft()

    def take(self, chat_id: int, now: float) -> None:
        """Record that a message to this chat leaves now."""
        interval = 1.0 / self.limits.global_per_s
        # A send a little late (the database, the event loop) keeps its slot, so lateness
        # does not add up and the pace stays at the limit; after a pause, count from now.
        late = now - self._next_global
        base = self._next_global if 0 <= late < interval else max(now, self._next_global)
        self._next_global = base + interval
        self._count(now)
        self._next_chat[chat_id] = now + self._chat_interval(chat_id)
        if len(self._next_chat) > 10_000:
            self._forget_past(now)

    def reserve(self, chat_id: int | None, now: float) -> float:
        """Book the next slot for a direct answer; return the seconds until it comes.

        Answers and the outbox share one budget: an answer takes the next free slot, and the
        outbox's next send comes after it. An answer does not wait for its chat's interval
        (the person is typing, and Telegram allows a chat short bursts), but the outbox then
        counts that chat's interval from the answer.
        """
        interval = 1.0 / self.limits.global_per_s
        start = max(now, self._next_global, self._paused_until, now + self._window(now))
        self._next_global = start + interval
        self._count(start)
        if chat_id is not None:
            after = start + self._chat_interval(chat_id)
            self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), after)
        return start - now

    def pause_chat(self, chat_id: int, seconds: float, now: float) -> None:
        """Send nothing to this chat for a while (Telegram refused an answer to it)."""
        self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), now + seconds)

    def refused(self, chat_id: int, seconds: float, now: float) -> bool:
        """Telegram answered 429 for this chat; True when all sending must pause.

        Telegram does not say which limit was hit. One chat refused is most likely that
        chat's own limit (someone tapping fast while the outbox writes to them): only that
        chat waits, so it holds no one else up. A second chat refused while the first waits
        means the bot as a whole is over its limit: everything waits.
        """
        self.pause_chat(chat_id, seconds, now)
        last, self._last_refusal = self._last_refusal, (chat_id, now + seconds)
        if last is not None and last[0] != chat_id and last[1] > now:
            self.pause(seconds, now)
            return True
        return False

    def pause(self, seconds: float, now: float) -> None:
        """Stop all sending for a while, as Telegram asks with retry_after."""
        self._paused_until = max(self._paused_until, now + seconds)

    def _chat_interval(self, chat_id: int) -> float:
        return self.limits.group_interval_s if chat_id < 0 else self.limits.private_interval_s

    def _forget_past(self, now: float) -> None:
        self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
