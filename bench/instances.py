"""bench.updates' workload on several engines and instance counts, side by side: SQLite with
one instance, PostgreSQL with one, PostgreSQL with three (or what `--setups` names).

Every setup runs `samverkan run` processes in webhook mode (tests/processes.py) behind the
fake balancer (bot/sandbox/botapi/webhook.py), which posts round-robin with up to
`--in-flight` updates at once (Telegram's `max_connections`), never two of one person at once.
The members, the /help-/me mix and the checks of every reply are bench.updates' own. A run is
timed from queuing the first update until the fake has the reply to the last; the bot
processes' CPU seconds and the machine's load average (1 min, before and after) are printed
beside it, since the machine is shared.

Run with `python -m bench.instances [--members 200] [--updates 1000] [--in-flight 8]
[--runs 2] [--setups sqlite:1,postgresql:1,postgresql:3]`. PostgreSQL is the tests' server
(127.0.0.1:5432 or TEST_POSTGRES_URL); each run gets a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from telegram import Bot

from bench.updates import BenchError, people, process_cpu, replies, script, seed, wrong_answers
from bot.sandbox.botapi import FakeBotApi, FakeUser, Limits
from bot.sandbox.botapi.webhook import WebhookPusher
from tests.pg import scratch_database
from tests.processes import Instance, start_instances

SECRET = "bench-instances_secret"
# The fake's flood limits are off, so the bot's are too (as in bench.updates).
FAST = {"TELEGRAM_MESSAGES_PER_S": "1000", "LOG_LEVEL": "WARNING"}
REPLY_TIMEOUT_S = 180.0


@contextlib.contextmanager
def database(engine: str) -> Iterator[tuple[str, str]]:
    """A new database of the engine for one run: its DATABASE_URL, and what opens it here."""
    if engine == "postgresql":
        with scratch_database("samverkan_bench") as url:
            yield url, url
        return
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as tmp:
        path = Path(tmp) / "bench.db"
        yield f"sqlite:///{path}", str(path)


def cpu(instances: Sequence[Instance]) -> float:
    return sum(process_cpu(i.process.pid) or 0.0 for i in instances)


async def one_run(
    engine: str, count: int, members: int, updates: int, in_flight: int
) -> tuple[float, float]:
    """(updates per second, CPU seconds of the bot processes in the timed part)."""
    crowd = people(members)
    timed = script(members, updates, seed=1)
    with database(engine) as (url, opened):
        await seed(opened, crowd)
        async with FakeBotApi(limits=Limits(enabled=False)) as server:
            users: list[FakeUser] = [
                server.user(p.user_id, first_name=p.first_name, language_code=p.language)
                for p in crowd
            ]
            instances = await start_instances(server, url, SECRET, count, FAST)
            urls = [f"http://127.0.0.1:{i.port}/" for i in instances]
            pusher = WebhookPusher(server.state, urls, in_flight)
            pusher.start()
            try:
                async with Bot(server.token, base_url=server.base_url) as bot:
                    await bot.set_webhook("https://bot.example.org/telegram", secret_token=SECRET)
                everything = replies(server)
                for user in users:  # the warm-up: each writes once, outside the clock
                    await user.send("/help")
                await server.wait_until(lambda: everything.update() >= members, REPLY_TIMEOUT_S)
                answered = replies(server)
                started, cpu_before = time.perf_counter(), cpu(instances)
                for index, text in timed:
                    await users[index].send(text)
                await server.wait_until(lambda: answered.update() >= updates, REPLY_TIMEOUT_S)
                seconds, used = time.perf_counter() - started, cpu(instances) - cpu_before
            finally:
                await pusher.stop()
                for instance in instances:
                    await instance.stop()
            wrong = wrong_answers("samverkan", users, timed)
            if wrong or answered.failed or server.violations:
                raise BenchError(f"{engine}:{count}: {len(wrong)} wrong replies {wrong[:3]}")
    return updates / seconds, used


async def main(args: argparse.Namespace) -> None:
    print(
        f"{args.members} members send {args.updates} updates (bench.updates' mix) per run; "
        f"webhook mode, round-robin, up to {args.in_flight} in flight.\n"
        f"{os.cpu_count()} CPUs, shared with other work: load average (1 min) shown per run."
    )
    print(f"{'setup':<14} {'run':>3} {'updates/s':>9} {'bot CPU s':>9} {'load':>11}")
    rates: dict[str, list[float]] = {}
    for setup in args.setups:
        engine, count = setup.split(":")
        for run in range(1, args.runs + 1):
            load = os.getloadavg()[0]
            rate, used = await one_run(
                engine, int(count), args.members, args.updates, args.in_flight
            )
            rates.setdefault(setup, []).append(rate)
            loads = f"{load:.1f}->{os.getloadavg()[0]:.1f}"
            print(f"{setup:<14} {run:>3} {rate:>9.1f} {used:>9.2f} {loads:>11}", flush=True)
    print("median updates/s: " + ", ".join(
        f"{s} {statistics.median(r):.1f}" for s, r in rates.items()
    ))  # fmt: skip


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.instances", description=__doc__)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=8, help="updates posted at once")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--setups", default="sqlite:1,postgresql:1,postgresql:3",
                        help="engine:instances, comma-separated")  # fmt: skip
    args = parser.parse_args(argv)
    args.setups = args.setups.split(",")
    return args


if __name__ == "__main__":
    try:
        asyncio.run(main(parse_args()))
    except BenchError as exc:
        sys.exit(f"bench failed: {exc}")
