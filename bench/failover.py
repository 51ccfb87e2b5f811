"""Failover on PostgreSQL: three `samverkan run` processes in webhook mode on one database, a
notice to many members at Telegram's limits (the fake Bot API's), and a SIGKILL of the leader
once a quarter of it is out. Prints, per run, how long until another instance sent again,
until the last member had it, and how many members got it twice (at most what was in flight).

Run with `python -m bench.failover [--members 400] [--runs 3] [--instances 3]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import time
from collections import Counter
from datetime import datetime

from bot.domain.outbox import Notification, Priority
from bot.sandbox.botapi import FakeBotApi
from storage.db import Database
from storage.store import Store
from tests.factories import make_member
from tests.pg import scratch_database
from tests.processes import Instance, start_instances

SECRET = "bench-failover_secret"


async def one_run(members: int, count: int) -> tuple[float, float, float, int]:
    """(s from kill to the next send, s from kill to the last member, notice s, repeats)."""
    with scratch_database("samverkan_bench") as url:
        db = await Database.open(url)
        await db.migrate()
        store = Store(db)
        async with FakeBotApi() as server:
            instances: list[Instance] = []
            try:
                instances = await start_instances(server, url, SECRET, count)
                people = [await make_member(store, 9000 + n) for n in range(members)]
                for person in people:
                    server.user(person.telegram_user_id).mark_started()
                (leader,) = [i for i in instances if i.leads]

                def sent() -> list[int]:
                    calls = server.calls_to("sendMessage")
                    return [int(c.params["chat_id"]) for c in calls if c.status == 200]

                began = time.monotonic()
                async with store.transaction() as tx:
                    for person in people:
                        note = Notification(
                            dedup_key=f"notice:{person.id}", member_id=person.id,
                            chat_id=person.telegram_user_id, text="Notice",
                            priority=Priority.BULK,
                        )  # fmt: skip
                        await tx.outbox.enqueue(note, datetime.now().astimezone())
                await server.wait_until(lambda: len(sent()) >= members // 4, timeout=120)
                os.kill(leader.process.pid, signal.SIGKILL)
                killed, before = time.monotonic(), len(sent())
                await server.wait_until(lambda: len(sent()) > before + 8, timeout=60)
                next_send = time.monotonic() - killed
                await server.wait_until(lambda: len(set(sent())) == members, timeout=180)
                done = time.monotonic()
                repeats = sum(Counter(sent()).values()) - members
                return next_send, done - killed, done - began, repeats
            finally:
                for instance in instances:
                    await instance.stop()
                await db.close()


async def main(members: int, runs: int, count: int) -> None:
    print(f"{count} instances, a notice to {members} members, leader killed at 25 %")
    print(f"{'run':>3} {'next send s':>11} {'last member s':>13} {'notice s':>8} {'repeats':>7}")
    rows = []
    for run in range(1, runs + 1):
        row = await one_run(members, count)
        rows.append(row)
        print(f"{run:>3} {row[0]:>11.1f} {row[1]:>13.1f} {row[2]:>8.1f} {row[3]:>7}")
    if runs > 1:
        print(
            f"med {statistics.median(r[0] for r in rows):>11.1f}"
            f" {statistics.median(r[1] for r in rows):>13.1f}"
            f" {statistics.median(r[2] for r in rows):>8.1f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--instances", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.members, args.runs, args.instances))
