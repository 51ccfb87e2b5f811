"""The sender's pace beside a busy writer: how much of Telegram's 30/s it keeps.

The sender of `bot/delivery.py` alone, in this process, against the fake server with
Telegram's limits: 600 messages queued for 600 chats, while another task takes the write
lock every `--every` seconds and holds it `--hold` seconds (as handlers, status refreshes and
the reminder scan do in the bot). Measured: from the sender's start until the last message
reaches the server, messages per second against 30/s (the pacer's ceiling is 29/s, 96.7%),
and the 429 answers. The other parts of the bot (handlers, the fake users) are not here, so
the figure shows what waiting for the writer costs the sender, with less of the machine's
noise than `bench.lanes`.

Run with `python -m bench.pace` (about 30 s; see --help).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from telegram import Bot

from bot.delivery import Sender
from bot.domain.outbox import Notification, Priority
from bot.sandbox.botapi import FakeBotApi, Limits
from storage.db import Database
from storage.store import Store
from tests.factories import make_member

TELEGRAM_PER_S = 30.0
FIRST_CHAT = 100_000


def now() -> datetime:
    return datetime.now(UTC)


async def _busy(store: Store, hold: float, every: float, stop: asyncio.Event) -> None:
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
        if stop.is_set():
            return
        async with store.db.transaction():
            await asyncio.sleep(hold)


async def run(count: int, hold: float, every: float) -> tuple[float, int]:
    """(seconds until the last message arrived, 429 answers)."""
    with tempfile.TemporaryDirectory(prefix="samverkan-pace-") as tmp:
        db = await Database.open(str(Path(tmp) / "pace.db"))
        try:
            await db.migrate()
            store = Store(db)
            members = [await make_member(store, FIRST_CHAT + n) for n in range(count)]
            async with store.transaction() as tx:
                await tx.outbox.enqueue_many(
                    [Notification(dedup_key=f"pace:{m.id}", member_id=m.id,
                                  chat_id=m.telegram_user_id, text=f"Message {m.id}",
                                  priority=Priority.BULK) for m in members],
                    now(),
                )  # fmt: skip
            async with FakeBotApi(limits=Limits()) as server:
                for m in members:
                    server.user(m.telegram_user_id).mark_started()
                async with Bot(server.token, base_url=server.base_url) as bot:
                    sender = Sender(bot, store, now)
                    store.on_outbox = sender.wake
                    stop = asyncio.Event()
                    began = time.monotonic()
                    await sender.start()
                    busy = asyncio.create_task(_busy(store, hold, every, stop))
                    await server.wait_until(
                        lambda: sum(c.ok for c in server.calls_to("sendMessage")) >= count, 300
                    )
                    wall = time.monotonic() - began
                    stop.set()
                    await busy
                    await sender.stop()
                    return wall, server.count_429
        finally:
            await db.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pace", description=__doc__.split("\n")[0] if __doc__ else None
    )
    parser.add_argument("--count", type=int, default=600, help="messages (one per chat)")
    parser.add_argument("--hold", type=float, default=0.05, help="writer held, s")
    parser.add_argument("--every", type=float, default=0.2, help="pause between holds, s")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    for _ in range(args.runs):
        load = os.getloadavg()[0]
        wall, refused = asyncio.run(run(args.count, args.hold, args.every))
        pace = args.count / wall
        print(f"{args.count} messages in {wall:.1f} s: {pace:.2f}/s,"
              f" {100 * pace / TELEGRAM_PER_S:.1f}% of 30/s; 429 answers: {refused};"
              f" writer held {1000 * args.hold:.0f} ms every {1000 * (args.hold + args.every):.0f}"
              f" ms; load {load:.2f}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
