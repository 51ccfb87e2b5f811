"""End-to-end update throughput: Samverkan against a bare python-telegram-bot echo bot.

Each bot runs in its own process, as in production (`python -m bot run`, or
`python -m bench.echo_bot`), and polls the fake Bot API server (bot/sandbox/botapi), which runs in
this process with its rate limits turned off. All bots get the same scripted mix of /help and
/me from the same simulated members, all queued up front. A run is timed from queuing the
first update until the fake server has received the bot's reply to the last one. Run with
`python -m bench.updates --help`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.updates_members import Person, people, script, seed, wrong_answers
from bench.updates_process import (
    DATABASE,
    ECHO,
    ECHO_CONCURRENT,
    SAMVERKAN,
    BenchError,
    BotProcess,
    Interrupted,
    bot_process,
    interrupt,
    polls_seen,
    process_cpu,
    replies,
    settle,
    until,
)
from bot.sandbox.botapi import FakeBotApi, FakeUser, Limits
from storage.db import Database
from storage.store import Store

# bench.instances runs this bench's workload with these, through this module.
__all__ = ["BenchError", "people", "process_cpu", "replies", "script", "seed", "wrong_answers"]

BOTS = (SAMVERKAN, ECHO, ECHO_CONCURRENT)
AIM = 0.7

STARTUP_TIMEOUT_S = 30.0  # process start until its first getUpdates reaches the fake
WARM_UP_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Measurement:
    bot: str
    updates: int
    seconds: float
    bot_cpu: float | None  # CPU seconds of the bot process in the timed part (None: unknown)
    fake_cpu: float  # CPU seconds of this process (fake server, simulated users) in it

    @property
    def rate(self) -> float:
        return self.updates / self.seconds


async def wait_for_menus(server: FakeBotApi, bot: BotProcess, path: Path) -> None:
    """Wait until the bot's database has no member whose menu is out of step."""
    db = await Database.open(str(path))
    try:
        store = Store(db)

        async def in_step() -> bool:
            async with store.read() as tx:
                return not await tx.menus.out_of_step()

        await until(server, bot, in_step, WARM_UP_TIMEOUT_S, "menu sync")
    finally:
        await db.close()


async def run_once(
    bot: str,
    members: Sequence[Person],
    timed: Sequence[tuple[int, str]],
    workdir: Path,
    profile: Path | None = None,
) -> Measurement:
    """One measurement on a fresh fake server and a fresh bot process (and database)."""
    if bot == SAMVERKAN:
        await seed(workdir / DATABASE, members)
    async with FakeBotApi(limits=Limits(enabled=False)) as server:
        users: list[FakeUser] = [
            server.user(p.user_id, first_name=p.first_name, language_code=p.language)
            for p in members
        ]
        everything = replies(server)
        async with bot_process(bot, server, workdir, profile) as process:
            await until(
                server, process, lambda: polls_seen(server), STARTUP_TIMEOUT_S, "start polling"
            )
            # Warm-up: each user writes once (so the bot may write to them), outside the clock.
            for user in users:
                await user.send("/help")
            await until(
                server,
                process,
                lambda: everything.update() >= len(users),
                WARM_UP_TIMEOUT_S,
                "warm-up replies",
            )
            if bot == SAMVERKAN:
                await wait_for_menus(server, process, workdir / DATABASE)
            await settle(server, process)
            gc.collect()

            answered = replies(server)
            started = time.perf_counter()
            fake_cpu = time.process_time()
            bot_cpu = process_cpu(process.proc.pid)
            for index, text in timed:
                await users[index].send(text)
            await until(
                server,
                process,
                lambda: answered.update() >= len(timed),
                max(60.0, len(timed) / 20),
                f"replies to {len(timed)} updates",
            )
            seconds = time.perf_counter() - started
            fake_cpu = time.process_time() - fake_cpu
            bot_cpu_after = process_cpu(process.proc.pid)
            bot_cpu = None if bot_cpu is None or bot_cpu_after is None else bot_cpu_after - bot_cpu

            await settle(server, process)
            answered.update()
            everything.update()
            if (
                everything.failed
                or answered.ok != len(timed)
                or everything.ok != len(users) + len(timed)
                or server.violations
            ):
                raise BenchError(
                    f"{bot}: {answered.ok} replies to {len(timed)} updates, "
                    f"{everything.ok} to {len(users) + len(timed)} in all, "
                    f"{everything.failed} failed sendMessage calls, "
                    f"{len(server.violations)} spec violations\n{server.describe()}"
                    f"{process.output()}"
                )
            wrong = wrong_answers(bot, users, timed)
            if wrong:
                sample = "\n".join(wrong[:5])
                raise BenchError(f"{bot}: {len(wrong)} wrong replies, e.g.\n{sample}")
            logged = process.log.read_text(errors="replace").strip()
            if logged:
                raise BenchError(f"{bot}: the bot logged warnings or errors{process.output()}")
    return Measurement(bot, len(timed), seconds, bot_cpu, fake_cpu)


async def bench(args: argparse.Namespace) -> dict[str, list[Measurement]]:
    members = people(args.members)
    timed = script(args.members, args.updates, args.seed)
    results: dict[str, list[Measurement]] = {bot: [] for bot in BOTS}
    # Ctrl-C or SIGTERM (say, from `timeout`) stop the bench, and with it the bot processes,
    # rather than leave them polling a fake server that has gone.
    task = asyncio.current_task()
    assert task is not None
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, interrupt, signum, task)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as tmp:
        for round_ in range(args.runs):
            # Rotate which bot goes first, so none always runs on a warmer machine.
            shift = round_ % len(BOTS)
            for bot in BOTS[shift:] + BOTS[:shift]:
                workdir = Path(tmp) / f"{bot}-{round_ + 1}"
                workdir.mkdir()
                profile = args.profile / f"{bot}-{round_ + 1}.prof" if args.profile else None
                result = await run_once(bot, members, timed, workdir, profile)
                results[bot].append(result)
                cpu = "?" if result.bot_cpu is None else f"{result.bot_cpu:.2f}"
                print(
                    f"  run {round_ + 1}/{args.runs} {bot:<16} {result.updates:>6} updates "
                    f"{result.seconds:>7.2f} s {result.rate:>8.1f}/s   CPU s: bot {cpu} "
                    f"fake {result.fake_cpu:.2f}",
                    flush=True,
                )
    if args.profile:
        print(f"  profiles of the bot processes: {args.profile}/<bot>-<run>.prof")
    return results


def report(args: argparse.Namespace, results: dict[str, list[Measurement]]) -> str:
    best = {bot: max(runs, key=lambda m: m.rate) for bot, runs in results.items()}
    median = {bot: statistics.median(m.rate for m in runs) for bot, runs in results.items()}
    lines = [
        "",
        f"best of {args.runs} runs each; median updates/s alongside",
        f"{'bot':<16} {'updates':>8} {'seconds':>8} {'updates/s':>10} {'median/s':>9}",
    ]
    for bot in BOTS:
        m = best[bot]
        lines.append(
            f"{bot:<16} {m.updates:>8} {m.seconds:>8.2f} {m.rate:>10.1f} {median[bot]:>9.1f}"
        )
    for yardstick in (ECHO, ECHO_CONCURRENT):
        ratio = best[SAMVERKAN].rate / best[yardstick].rate
        median_ratio = median[SAMVERKAN] / median[yardstick]
        verdict = "meets" if ratio >= AIM else "BELOW"
        lines.append(
            f"ratio samverkan/{yardstick}: {ratio:.2f} (best), {median_ratio:.2f} (median)"
            + (f"; aim >= {AIM:.2f}: {verdict}" if yardstick == ECHO else "")
        )
    return "\n".join(lines)


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.partition(":")[2].strip()
    return "unknown CPU"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.updates",
        description="End-to-end updates/s of Samverkan versus a bare PTB echo bot.",
    )
    parser.add_argument("--members", type=int, default=200, help="simulated members (200)")
    parser.add_argument("--updates", type=int, default=2000, help="timed updates per run (2000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each bot (3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the /help-/me mix (1)")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="run each bot process under cProfile, writing DIR/<bot>-<run>.prof "
        "(the whole process: start-up, warm-up and timed part)",
    )
    args = parser.parse_args(argv)
    for name in ("members", "updates", "runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.profile:
        args.profile = args.profile.resolve()
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    timed = script(args.members, args.updates, args.seed)
    helps = sum(1 for _, text in timed if text == "/help")
    print(
        f"{args.members} members send {args.updates} updates per run "
        f"({helps} /help, {args.updates - helps} /me), all queued up front;\n"
        "timed from queuing the first update until the fake server has the reply to the last.\n"
        "Each bot runs in its own process; the fake Bot API runs in this one, with its rate "
        "limits OFF.\n"
        "CPU s: CPU time in the timed part of the bot process and of this one (fake server and "
        "simulated users).\n"
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs ({cpu_model()}); each run: "
        "fresh fake server and bot process, warmed up with one /help per member.",
        flush=True,
    )
    try:
        results = asyncio.run(bench(args))
    except BenchError as exc:
        sys.exit(f"bench failed: {exc}")
    except (Interrupted, KeyboardInterrupt, asyncio.CancelledError):
        sys.exit("bench interrupted")
    print(report(args, results))


if __name__ == "__main__":
    main()
