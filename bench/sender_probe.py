"""Where the sender's slots go: `python -m sender_probe run` is `python -m bot run` with the
sender watched from outside (the product's code is not changed, only wrapped).

A bench copies this file beside the bot's packages and starts the bot with it, with
SENDER_PROBE_OUT naming a JSON file; the probe writes there when the sender stops. Times are
`time.monotonic()`, one clock for every process of the machine, so the bench can cut out the
window it measured. Recorded:

- each send's slot (`Pacer.take`): when, how late against the pacer's next slot (a send more
  than one slot late loses the slot), whether it was the first of its round, and what its
  turn waited for (a place among those in flight, the claim's transaction);
- each round: start, end, the `due` read, rows read, sends started, why it ended (a wake-up
  from a commit, the batch used up);
- each direct answer's booked slot (`Pacer.reserve`), each 429 pause, each wake-up;
- each write transaction's COMMIT (the disk's part of every claim and settle), and each
  write transaction: when it asked for the writer, got it and let it go, and its caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import sys
import time
from collections.abc import AsyncIterator
from typing import Any, Literal

from bot import delivery
from bot.cli import main
from bot.domain import pacing
from storage import db as sqlite_db
from storage import outbox as outbox_store

EVENTS: dict[str, list[Any]] = {
    "takes": [],  # [at, late_s, first_in_round, round, acquire_s, claim_s, edit_s]
    "rounds": [],  # [round, start, end, due_s, rows, started, ended_by_wakeup]
    "reserves": [],  # [at, start]  (a direct answer's slot)
    "pauses": [],  # [at, seconds, everyone]
    "wakeups": [],  # [at]
    "commits": [],  # [at, seconds]
    "writes": [],  # [asked, began, ended, who]  (each write transaction and its caller)
}
_NOT_CALLERS = ("contextlib", "storage/store.py", "storage/db.py", "sender_probe")
_turn: dict[str, Any] = {"round": -1, "first": True, "acquire_s": 0.0, "claim_s": 0.0,
                         "edit_s": 0.0}  # fmt: skip


def _now() -> float:
    return time.monotonic()


class _TimedSlots(asyncio.Semaphore):
    async def acquire(self) -> Literal[True]:
        started = _now()
        try:
            return await super().acquire()
        finally:
            _turn["acquire_s"] = _now() - started


def _wrap_async(owner: Any, name: str, record: Any) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    async def wrapped(*args: Any, **kwargs: Any) -> Any:
        started = _now()
        result = await original(*args, **kwargs)
        record(started, _now() - started, args, result)
        return result

    setattr(owner, name, wrapped)


def _caller() -> str:
    frame = sys._getframe(2)
    while frame is not None and any(n in frame.f_code.co_filename for n in _NOT_CALLERS):
        frame = frame.f_back  # type: ignore[assignment]
    return "?" if frame is None else f"{frame.f_code.co_name}"


def _watch_writes() -> None:
    original = sqlite_db.Database.transaction

    @contextlib.asynccontextmanager
    async def transaction(
        self: sqlite_db.Database, *args: Any, **kwargs: Any
    ) -> AsyncIterator[Any]:
        asked, who = _now(), _caller()
        began = asked
        try:
            async with original(self, *args, **kwargs) as conn:
                began = _now()
                yield conn
        finally:
            EVENTS["writes"].append([asked, began, _now(), who])

    sqlite_db.Database.transaction = transaction  # type: ignore[method-assign]


def install() -> None:
    """Wrap the sender, its pacer, the outbox's `due` read and the SQLite commit."""
    pacer_take, pacer_reserve, pacer_refused = (
        pacing.Pacer.take, pacing.Pacer.reserve, pacing.Pacer.refused,
    )  # fmt: skip

    def take(self: pacing.Pacer, chat_id: int, now: float) -> None:
        late = now - self._next_global
        EVENTS["takes"].append(
            [now, late, _turn["first"], _turn["round"], _turn["acquire_s"], _turn["claim_s"],
             _turn["edit_s"]]
        )  # fmt: skip
        _turn.update(first=False, edit_s=0.0, claim_s=0.0)
        pacer_take(self, chat_id, now)

    def reserve(self: pacing.Pacer, chat_id: int | None, now: float) -> float:
        wait = pacer_reserve(self, chat_id, now)
        EVENTS["reserves"].append([now, now + wait])
        return wait

    def refused(self: pacing.Pacer, chat_id: int, seconds: float, now: float) -> bool:
        everyone = pacer_refused(self, chat_id, seconds, now)
        EVENTS["pauses"].append([now, seconds, everyone])
        return everyone

    pacing.Pacer.take = take  # type: ignore[method-assign]
    pacing.Pacer.reserve = reserve  # type: ignore[method-assign]
    pacing.Pacer.refused = refused  # type: ignore[method-assign]

    sender_init, sender_round, sender_wake, sender_stop = (
        delivery.Sender.__init__, delivery.Sender._round, delivery.Sender.wake,
        delivery.Sender.stop,
    )  # fmt: skip

    def init(self: delivery.Sender, *args: Any, **kwargs: Any) -> None:
        sender_init(self, *args, **kwargs)
        self._slots = _TimedSlots(self._slots._value)

    async def round_(self: delivery.Sender) -> tuple[int, float]:
        _turn.update(round=_turn["round"] + 1, first=True, due_s=0.0, rows=0)
        started = _now()
        result = await sender_round(self)
        woken = self._wakeup.is_set()
        EVENTS["rounds"].append(
            [_turn["round"], started, _now(), _turn["due_s"], _turn["rows"], result[0], woken]
        )
        return result

    def wake(self: delivery.Sender) -> None:
        EVENTS["wakeups"].append(_now())
        sender_wake(self)

    async def stop(self: delivery.Sender, grace_s: float = 10.0) -> None:
        await sender_stop(self, grace_s)
        dump()

    delivery.Sender.__init__ = init  # type: ignore[method-assign]
    delivery.Sender._round = round_  # type: ignore[method-assign]
    delivery.Sender.wake = wake  # type: ignore[method-assign]
    delivery.Sender.stop = stop  # type: ignore[method-assign]

    def claimed(started: float, took: float, args: Any, result: Any) -> None:
        _turn["claim_s"] = took

    def edit_target(started: float, took: float, args: Any, result: Any) -> None:
        _turn["edit_s"] = took

    def read_due(started: float, took: float, args: Any, result: Any) -> None:
        _turn.update(due_s=took, rows=len(result))

    def committed(started: float, took: float, args: Any, result: Any) -> None:
        EVENTS["commits"].append([started, took])

    for claim in ("_claim", "_claim_ahead"):  # one message at a time, or several at once
        if hasattr(delivery.Sender, claim):
            _wrap_async(delivery.Sender, claim, claimed)
    _wrap_async(delivery.Sender, "_edit_target", edit_target)
    _wrap_async(outbox_store.OutboxRepository, "due", read_due)
    _wrap_async(sqlite_db.Database, "_commit_write", committed)
    _watch_writes()


def dump() -> None:
    path = os.environ.get("SENDER_PROBE_OUT")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(EVENTS, out)


if __name__ == "__main__":
    install()
    sys.exit(main())
