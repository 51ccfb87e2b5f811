"""Every request the bot makes outside the outbox shares the outbox's budget and its patience.

Telegram allows about 30 messages a second in all. The outbox paces itself (bot/delivery.py);
answers sent directly to the person who is typing (a reply, a file, an edit, a button's
answer) go through this request class, which books each message a slot from the same pacer
and waits out a 429 the same way wherever it was sent from, so no handler can bypass it.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.domain.pacing import Pacer

log = logging.getLogger(__name__)

# How long an answer may wait for Telegram in all (a 429's retry_after, added up); a longer
# wait is given up and fails like any other error.
PATIENCE_S = 10.0
# An answer that wakes this late for its slot (a busy event loop) books another: leaving at
# once, it would reach Telegram bunched with the sends booked after it, and Telegram counts
# arrivals, not bookings (test_one_budget saw a 429 so on a loaded machine).
LATE_WAKE_S = 0.05
REBOOKS = 3
# Methods that put a message in a chat: they count against Telegram's ~30 per second.
COUNTED = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendMediaGroup",
        "sendPhoto",
        "sendLocation",
        "sendVenue",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)

# Set in the sender's tasks: the outbox paces and retries its own messages, and a 429 it gets
# pauses all sending rather than one chat (see Sender._attempt).
_FROM_OUTBOX: contextvars.ContextVar[bool] = contextvars.ContextVar("from_outbox", default=False)


def mark_outbox_task() -> None:
    """Declare the current task a sender's: its requests skip this layer's pacing and retries."""
    _FROM_OUTBOX.set(True)


class PacedRequest(HTTPXRequest):
    """PTB's HTTP request, with a slot from the shared pacer and patience for 429s."""

    def __init__(
        self,
        pacer: Pacer,
        *,
        patience_s: float = PATIENCE_S,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        **httpx_options: Any,
    ) -> None:
        super().__init__(**httpx_options)
        self._pacer = pacer
        self._patience_s = patience_s
        self._monotonic = monotonic
        self._sleep = sleep

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send, in turn; on a 429, wait as told (that chat only) and send again."""
        # (The timeouts are PTB's "float, None or its default" values, passed on untouched.)
        timeouts = {
            "read_timeout": read_timeout,
            "write_timeout": write_timeout,
            "connect_timeout": connect_timeout,
            "pool_timeout": pool_timeout,
        }
        if _FROM_OUTBOX.get():
            return await super().do_request(url, method, request_data, **timeouts)
        chat_id = _chat_of(request_data)
        if url.rsplit("/", 1)[-1] in COUNTED:
            await self._wait_for_slot(chat_id)
        waited = 0.0
        while True:
            code, payload = await super().do_request(url, method, request_data, **timeouts)
            seconds = _retry_after(payload) if code == 429 else None
            if seconds is None or waited + seconds > self._patience_s:
                return code, payload
            # Someone tapping fast can outrun their chat's limit; the outbox keeps off that
            # chat meanwhile, and carries on with everyone else.
            if chat_id is not None:
                self._pacer.refused(chat_id, seconds, self._monotonic())
            log.info("Telegram asked an answer to wait %.0f s", seconds)
            waited += seconds
            await self._sleep(seconds)

    async def _wait_for_slot(self, chat_id: int | None) -> None:
        """Wait for a slot of the shared pacer; woken late, book another (a few times)."""
        for _ in range(REBOOKS):
            now = self._monotonic()
            delay = self._pacer.reserve(chat_id, now)
            if delay <= 0:
                return
            await self._sleep(min(delay, self._patience_s))
            if self._monotonic() - (now + delay) <= LATE_WAKE_S:
                return


def paced_request(pacer: Pacer) -> PacedRequest:
    """The request object the bot's own (non-polling) calls use, as PTB would build it."""
    return PacedRequest(pacer, connection_pool_size=256)


def _chat_of(request_data: RequestData | None) -> int | None:
    chat = request_data.parameters.get("chat_id") if request_data is not None else None
    return chat if isinstance(chat, int) else None


def _retry_after(payload: bytes) -> float | None:
    try:
        body = json.loads(payload)
        seconds = body["parameters"]["retry_after"]
    except (ValueError, KeyError, TypeError):
        return None
    return float(seconds) if isinstance(seconds, int | float) else None
