"""The one sender: drains the outbox into Telegram under its limits, surviving anything.

Each message is marked 'sending' in the database a few slots before its request (several in
one transaction, `CLAIM_AHEAD`) and settled just after, so a crash loses nothing; what a
round leased and did not send (it ended early, or stops) goes back in line as it was. The
mark is a lease, renewed while the message is in flight: when it runs out (its sender
crashed, or lost the database) any sender sends it again, and on a SQLite file (one process)
whatever was 'sending' at start is sent again at once.

Delivery is at least once (the Bot API has no idempotency key). A request whose outcome is
unknown may have arrived and is sent again: a time-out, a network error or a 5xx (retried
with backoff), and whatever was in flight at a stop (at most `max_in_flight` messages, one
per chat; messages leased at a crash but not yet sent are taken back too, and did not
arrive). Each counts as an attempt and a message is given up after MAX_ATTEMPTS, so one
message reaches its chat at most MAX_ATTEMPTS times. A 429 is not an attempt: Telegram
refused it, so it did not arrive. README.md ("Delivery") says the same for members.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.clock import Clock
from bot.domain.outbox import (
    LEASE,
    LEASE_RENEW_S,
    MAX_ATTEMPTS,
    EditPlan,
    OutboxMessage,
    backoff,
    edit_plan,
    gives_up,
)
from bot.domain.pacing import Limits, Pacer
from bot.outbox_requests import request
from bot.services.delivery import message_refused
from bot.telegram_request import mark_outbox_task
from bot.waiting import wait_at_most
from storage.store import Store, Tx

log = logging.getLogger(__name__)

IDLE_POLL_S = 1.0
MIN_IDLE_S = 0.02
# Chats served per round (one message each). A round at the global pace takes under two
# seconds; whatever is queued meanwhile ends it early, so nothing waits for a round to end.
BATCH = 50
# Messages leased in one transaction, ahead of their slots. A claim waits for the writer
# behind whatever else commits; one claim before every send made that send late whenever
# the writer was busy for more than a slot, and a send more than a slot late loses it.
CLAIM_AHEAD = 8
# Requests to Telegram at once; what a crash mid-send may repeat.
MAX_IN_FLIGHT = 8


class Sender:
    """Sends queued messages: paced, retried, held for the unreachable, restart-safe."""

    def __init__(
        self,
        bot: Bot,
        store: Store,
        clock: Clock,
        *,
        pacer: Pacer | None = None,
        max_in_flight: int = MAX_IN_FLIGHT,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bot = bot
        self._store = store
        self._clock = clock
        # Shared with the bot's direct answers (bot/telegram_request.py): one budget.
        self._pacer = pacer or Pacer(Limits())
        self._monotonic = monotonic
        self._slots = asyncio.Semaphore(max_in_flight)
        self._wakeup = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._busy_chats: set[int] = set()
        self._next_in = IDLE_POLL_S  # when the round at hand must look again
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.recovered = 0
        # Who holds the leases this sender takes, and which messages it has in flight.
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._leased: set[int] = set()
        self._leases: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Something was queued: look at the outbox now rather than at the next poll."""
        self._wakeup.set()

    async def start(self) -> None:
        """Requeue what a crash left in flight, then start draining."""
        # One process per SQLite file: what is in flight there was left by its last stop.
        alone = self._store.db.engine == "sqlite"
        async with self._store.transaction() as tx:
            self.recovered = await tx.outbox.recover_in_flight(
                self._clock(), MAX_ATTEMPTS, all_leases=alone
            )
        if self.recovered:
            log.warning(
                "requeued %d messages that were in flight at the last stop", self.recovered
            )
        self._task = asyncio.create_task(self._run(), name="outbox-sender")
        self._leases = asyncio.create_task(self._keep_leasing(), name="outbox-leases")

    async def keep_leases(self) -> int:
        """Renew the leases of what this sender has in flight, and requeue what any sender
        left in flight when its lease ran out; return how many were requeued."""
        now = self._clock()
        async with self._store.transaction() as tx:
            await tx.outbox.renew(self.owner, sorted(self._leased), now + LEASE)
            requeued = await tx.outbox.recover_in_flight(now, MAX_ATTEMPTS)
        if requeued:
            log.warning("requeued %d messages whose sender's lease ran out", requeued)
        return requeued

    async def _keep_leasing(self) -> None:
        while True:
            await asyncio.sleep(LEASE_RENEW_S)
            try:
                await self.keep_leases()
            except Exception:
                # A lease not renewed in time only lets a message be sent again, never lost.
                log.exception("outbox leases could not be kept; trying again")

    async def stop(self, grace_s: float = 10.0) -> None:
        """Stop taking new messages and let those in flight settle."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            await self._task
        if self._in_flight:
            await asyncio.wait(self._in_flight, timeout=grace_s)
        if self._leases is not None:
            self._leases.cancel()
            await asyncio.gather(self._leases, return_exceptions=True)

    async def _run(self) -> None:
        while not self._stopping:
            try:
                started, next_in = await self._round()
            except Exception:
                # The sender must outlive any one bad round (a locked database, say).
                log.exception("outbox round failed; retrying")
                started, next_in = 0, IDLE_POLL_S
            if not started:
                await self._idle(next_in)

    async def _idle(self, seconds: float) -> None:
        await wait_at_most(self._wakeup, seconds)

    async def _round(self) -> tuple[int, float]:
        """Send what is due, lane by lane; return how many left and when to look again."""
        # Cleared before reading, so whatever is queued from now on ends this round early:
        # an urgent flag never waits behind a batch read before it existed.
        self._wakeup.clear()
        async with self._store.read() as tx:
            batch = await tx.outbox.due(self._clock(), BATCH)
        rows, started = iter(batch), 0
        self._next_in = IDLE_POLL_S
        leased: list[OutboxMessage] = []
        ahead: asyncio.Task[list[OutboxMessage]] | None = self._claiming(rows)
        try:
            while ahead is not None and not self._leaving():
                claiming, ahead = ahead, None
                if not (leased := await claiming):
                    break
                # The next few are leased while these go, so that a writer busy for a while
                # (settles, a handler, a scan) delays no slot.
                ahead = self._claiming(rows)
                started += await self._send_leased(leased)
        finally:
            # What the round leased and did not send (it ended early, or failed) goes back
            # in line, in one transaction.
            try:
                if ahead is not None:
                    leased += await ahead
            finally:
                await self._put_back(leased)
        return started, self._next_in

    def _claiming(self, rows: Iterator[OutboxMessage]) -> asyncio.Task[list[OutboxMessage]]:
        return asyncio.create_task(self._claim_ahead(rows), name="outbox-claim")

    def _leaving(self) -> bool:
        """The round must end: stopping, or something was queued since it began."""
        return self._stopping or self._wakeup.is_set()

    def _ready(self, rows: Iterator[OutboxMessage]) -> Iterator[OutboxMessage]:
        for message in rows:
            wait = self._pacer.chat_wait(message.chat_id, self._monotonic())
            if message.chat_id in self._busy_chats or wait > 0:
                # Keep each chat's messages in order and at its pace: one at a time.
                self._next_in = min(self._next_in, max(wait, MIN_IDLE_S))
                continue
            yield message

    async def _claim_ahead(self, rows: Iterator[OutboxMessage]) -> list[OutboxMessage]:
        """Lease the next few messages whose chats may take one now, in one transaction,
        ahead of their slots; none when the batch has no more."""
        while chunk := list(itertools.islice(self._ready(rows), CLAIM_AHEAD)):
            now = self._clock()
            async with self._store.transaction() as tx:
                claimed = [
                    m for m in chunk
                    if await tx.outbox.claim(m, now, owner=self.owner, until=now + LEASE)
                ]  # fmt: skip
            self._leased.update(m.id for m in claimed)
            if claimed:
                return claimed
        return []

    async def _send_leased(self, leased: list[OutboxMessage]) -> int:
        """Send leased messages in order, each at its slot, taking each off `leased`; stop
        when the round must end (the rest stays in `leased`). Return how many left."""
        started = 0
        while leased and not self._leaving():
            started += await self._send(leased.pop(0))
        return started

    async def _send(self, message: OutboxMessage) -> int:
        """Start the request of a leased message at its slot (1), or settle it or put it back
        in line (0)."""
        await self._slots.acquire()
        target = None
        if message.kind == "edit":
            # Resolved here, not in the task: the edit's request then leaves before the
            # next row's turn, so it cannot be overtaken by the sends behind it.
            try:
                target = await self._edit_target(message, self._clock())
            except Exception:
                log.exception("outbox message %s could not be settled", message.id)
                await self._look_again(message)
            if target is None:
                self._leased.discard(message.id)
                self._slots.release()
                return 0
        await self._wait_global()
        if self._pacer.chat_wait(message.chat_id, self._monotonic()) > 0:
            # A direct answer to this chat took its turn while we waited: back in line.
            self._slots.release()
            await self._put_back([message])
            return 0
        self._pacer.take(message.chat_id, self._monotonic())
        self._busy_chats.add(message.chat_id)
        task = asyncio.create_task(self._deliver(message, target))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return 1

    async def _put_back(self, messages: list[OutboxMessage]) -> None:
        """Unsent leased messages back in line as they were; if even that fails, their
        leases lapse and they are taken back then."""
        if not messages:
            return
        now = self._clock()
        try:
            async with self._store.transaction() as tx:
                for message in messages:
                    await tx.outbox.retry_at(message, now, message.attempts, None)
        finally:
            self._leased.difference_update(m.id for m in messages)

    async def _wait_global(self) -> None:
        # A 429 seen by a request in flight may extend the pause while we sleep: re-check.
        while True:
            wait = self._pacer.global_wait(self._monotonic())
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    async def _deliver(self, message: OutboxMessage, target: int | None) -> None:
        mark_outbox_task()  # this task paces and retries its request itself
        try:
            await self._attempt(message, target)
        except Exception:
            log.exception("outbox message %s could not be settled", message.id)
        finally:
            self._leased.discard(message.id)
            self._busy_chats.discard(message.chat_id)
            self._slots.release()

    async def _attempt(self, message: OutboxMessage, target: int | None) -> None:
        now = self._clock()
        try:
            message_id = await request(self._bot, message, target)
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = float(wait if isinstance(wait, int | float) else wait.total_seconds())
            everyone = self._pacer.refused(message.chat_id, seconds, self._monotonic())
            log.warning(
                "Telegram asked to wait %.0f s (%s)",
                seconds,
                "all chats" if everyone else "a chat",
            )
            later = now + timedelta(seconds=seconds)
            await self._settle(
                lambda tx: tx.outbox.retry_at(message, later, message.attempts, "429")
            )
        except Forbidden as exc:
            await message_refused(self._store, message, exc.message, now)
        except BadRequest as exc:
            if message.kind == "edit" and "not modified" in exc.message:
                await self._settle(lambda tx: tx.outbox.sent(message, None, now))
            else:
                reason = exc.message
                await self._settle(lambda tx: tx.outbox.failed(message, reason, now))
        except TelegramError as exc:
            # 5xx answers and time-outs: transient, so back off and try again, up to a limit.
            attempts = message.attempts + 1
            reason = f"{type(exc).__name__}: {exc.message}"
            if gives_up(attempts):
                await self._settle(lambda tx: tx.outbox.failed(message, reason, now))
            else:
                await self._later(message, backoff(attempts, now), attempts, reason)
        else:
            await self._settle(lambda tx: tx.outbox.sent(message, message_id, now))

    async def _edit_target(self, message: OutboxMessage, now: datetime) -> int | None:
        """Telegram's id of the message an edit changes; None when the edit is settled here."""
        async with self._store.transaction() as tx:
            original = await tx.outbox.get(message.edits) if message.edits is not None else None
            plan = edit_plan(original)
            if plan is EditPlan.EDIT:
                assert original is not None
                return original.message_id
            if plan is EditPlan.FOLD:
                assert original is not None
                if await tx.outbox.fold(message, original, now):
                    return None
            if plan is EditPlan.DROP:
                await tx.outbox.cancel(message, "its message was never delivered", now)
                return None
            # In flight (or it just left the queue): look again shortly, a counted number
            # of times, so an edit can never loop for ever.
            attempts = message.attempts + 1
            if gives_up(attempts):
                await tx.outbox.failed(message, "its message did not arrive in time", now)
            else:
                await tx.outbox.retry_at(message, backoff(attempts, now), attempts, None)
        return None

    async def _look_again(self, message: OutboxMessage) -> None:
        """Back in the queue, counted, after reading an edit's original failed (a locked
        database, say); if even that fails, the row stays in flight until the next start."""
        attempts, now = message.attempts + 1, self._clock()
        reason = "its message could not be read"
        with contextlib.suppress(Exception):
            if gives_up(attempts):
                await self._settle(lambda tx: tx.outbox.failed(message, reason, now))
            else:
                await self._later(message, backoff(attempts, now), attempts, reason)

    async def _later(
        self, message: OutboxMessage, when: datetime, attempts: int, reason: str | None
    ) -> None:
        await self._settle(lambda tx: tx.outbox.retry_at(message, when, attempts, reason))

    async def _settle(self, change: Callable[[Tx], Awaitable[None]]) -> None:
        async with self._store.transaction() as tx:
            await change(tx)
