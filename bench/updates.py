"""End-to-end update throughput: Samverkan against a bare python-telegram-bot echo bot.

Both bots poll the same fake Bot API server (tests/fakebot) with its rate limits turned off,
and get the same scripted mix of /help and /me from the same simulated members, all queued
up front. A run is timed from queuing the first update until the fake server has received
the bot's reply to the last one. Run with `python -m bench.updates --help`.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.app import build_application
from bot.config import Settings
from bot.domain.models import Group, Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import Call, FakeBotApi, FakeUser, Limits

SAMVERKAN = "samverkan"
ECHO = "echo"
BOTS = (SAMVERKAN, ECHO)
COMMANDS = ("/help", "/me")
AIM = 0.7

FIRST_USER_ID = 500_001
GROUPS = ("Rinkeby", "Tensta", "Husby", "Järva", "Skärholmen")
AGENCIES = ("POL", "TULL", "SKV", "FK", "AF")
COORDINATOR_EVERY = 20  # one member in 20 coordinates their group

# Idle pollers make a getUpdates request about once a second (timeout=1), so "quiet" means
# no other request for well under that.
QUIET_S = 0.3
SETTLE_TIMEOUT_S = 60.0

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class BenchError(Exception):
    """The bot did not answer as expected, so its figures would mean nothing."""


@dataclass(frozen=True)
class Person:
    """One simulated member: who they are in the bot's database and on the fake server."""

    user_id: int
    first_name: str
    language: str
    role: Role
    agency: str
    group: int


@dataclass(frozen=True)
class Measurement:
    bot: str
    updates: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.updates / self.seconds


def people(count: int) -> list[Person]:
    """Half Swedish, half English speakers, spread over groups and agencies; a few coordinators."""
    result = []
    for i in range(count):
        swedish = i % 2 == 0
        result.append(
            Person(
                user_id=FIRST_USER_ID + i,
                first_name=f"Medlem{i}" if swedish else f"Member{i}",
                language="sv" if swedish else "en",
                role=Role.COORDINATOR if i % COORDINATOR_EVERY == 0 else Role.EXPERT,
                agency=AGENCIES[i % len(AGENCIES)],
                group=i % len(GROUPS),
            )
        )
    return result


def script(members: int, updates: int, seed: int) -> list[tuple[int, str]]:
    """(member index, text) for every timed update: members in turn, /help or /me at random."""
    rng = random.Random(seed)
    return [(k % members, rng.choice(COMMANDS)) for k in range(updates)]


class CallCounter:
    """Counts the fake server's calls of some methods since it was made, incrementally."""

    def __init__(self, server: FakeBotApi, keep: Callable[[Call], bool]) -> None:
        self._server = server
        self._keep = keep
        self._next = len(server.calls)
        self.ok = 0
        self.failed = 0

    def update(self) -> int:
        calls = self._server.calls
        while self._next < len(calls):
            call = calls[self._next]
            self._next += 1
            if self._keep(call):
                if call.ok:
                    self.ok += 1
                else:
                    self.failed += 1
        return self.ok


def replies(server: FakeBotApi) -> CallCounter:
    return CallCounter(server, lambda call: call.method == "sendMessage")


async def settle(server: FakeBotApi) -> None:
    """Wait until the bot has made no request but long polls for QUIET_S."""
    activity = CallCounter(server, lambda call: call.method != "getUpdates")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_TIMEOUT_S
    seen = -1
    quiet_since = loop.time()
    while loop.time() < deadline:
        activity.update()
        total = activity.ok + activity.failed
        if total != seen:
            seen, quiet_since = total, loop.time()
        elif loop.time() - quiet_since >= QUIET_S:
            return
        await asyncio.sleep(0.05)
    raise BenchError(f"the bot did not go quiet within {SETTLE_TIMEOUT_S}s")


async def start_polling(app: AnyApplication) -> None:
    """Start an Application as `run_polling` does, without its signal handling.

    The same steps as tests/e2e/conftest.py:start_bot.
    """
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)


async def stop_polling(app: AnyApplication) -> None:
    """Stop it again as tests/e2e/conftest.py:stop_bot does."""
    assert app.updater is not None
    if app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
    await app.shutdown()


async def register(store: Store, members: Sequence[Person]) -> None:
    """Make every simulated person a member, as settled as a long-standing one.

    Named as the fake server shows them, so the gate has no profile to refresh.
    """
    groups: list[Group] = [await make_group(store, name) for name in GROUPS]
    for person in members:
        member = await make_member(
            store,
            person.user_id,
            role=person.role,
            agency=person.agency,
            group=groups[person.group],
            name=person.first_name,
            language=person.language,
        )
        # Established members already have the menu for their role: without this, each
        # member's first message schedules its own full menu sync, and 200 first contacts
        # make ~15,000 setMyCommands calls (see bench/README.md).
        async with store.transaction() as tx:
            await tx.menus.mark_synced(member.id, member.role, member.language)


@asynccontextmanager
async def samverkan_bot(
    server: FakeBotApi, workdir: Path, members: Sequence[Person]
) -> AsyncIterator[BotApplication]:
    """The production Application (build_application) with its members registered."""
    settings = Settings(
        _env_file=None,
        bot_token=server.token,
        telegram_api_url=server.base_url,
        telegram_file_url=server.base_file_url,
        database_url=f"sqlite:///{workdir / 'samverkan.db'}",
    )
    app = build_application(settings)
    try:
        await start_polling(app)
        await register(app.bot_data.store, members)
        yield app
    finally:
        await stop_polling(app)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


@asynccontextmanager
async def echo_bot(server: FakeBotApi) -> AsyncIterator[AnyApplication]:
    """A bare python-telegram-bot Application: one handler that echoes text back."""
    app = ApplicationBuilder().token(server.token).base_url(server.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    try:
        await start_polling(app)
        yield app
    finally:
        await stop_polling(app)


async def menus_in_step(app: BotApplication) -> bool:
    """True once the menu syncs that the warm-up set off have all run."""
    async with app.bot_data.store.read() as tx:
        pending = await tx.menus.out_of_step()
    queued = app.job_queue.get_jobs_by_name("menu-sync-now") if app.job_queue else ()
    return not pending and not queued


def wrong_answers(
    bot: str, users: Sequence[FakeUser], timed: Sequence[tuple[int, str]]
) -> list[str]:
    """Replies that are not what each update asked for (say, "you are not registered")."""
    asked: dict[int, list[str]] = {}
    for index, text in timed:
        asked.setdefault(index, []).append(text)
    wrong = []
    for index, texts in asked.items():
        user = users[index]
        for text, message in zip(texts, user.messages[-len(texts) :], strict=True):
            if bot == ECHO:
                right = message.text == text
            elif text == "/me":
                right = f"{user.id}" in message.entities_text  # the card shows the Telegram id
            else:
                right = "/me" in message.entities_text  # a member's /help lists /me
            if not right:
                wrong.append(f"{user} {text} -> {message.entities_text[:80]!r}")
    return wrong


async def run_once(
    bot: str,
    members: Sequence[Person],
    timed: Sequence[tuple[int, str]],
    workdir: Path,
    profiler: cProfile.Profile | None = None,
) -> Measurement:
    """One measurement on a fresh fake server (and, for Samverkan, a fresh database).

    With a profiler, only the timed part is profiled (the figures then include its overhead).
    """
    async with FakeBotApi(limits=Limits(enabled=False)) as server:
        users: list[FakeUser] = [
            server.user(p.user_id, first_name=p.first_name, language_code=p.language)
            for p in members
        ]
        context: AbstractAsyncContextManager[AnyApplication] = (
            samverkan_bot(server, workdir, members) if bot == SAMVERKAN else echo_bot(server)
        )
        async with context as app:
            # Warm-up: each user writes once (so the bot may write to them), outside the clock.
            warm = replies(server)
            for user in users:
                await user.send("/help")
            await server.wait_until(lambda: warm.update() >= len(users), 60.0, "warm-up replies")
            if bot == SAMVERKAN:
                await server.wait_until(lambda: menus_in_step(app), 60.0, "menu sync")
            await settle(server)
            gc.collect()

            answered = replies(server)
            if profiler is not None:
                profiler.enable()
            started = time.perf_counter()
            for index, text in timed:
                await users[index].send(text)
            await server.wait_until(
                lambda: answered.update() >= len(timed),
                max(60.0, len(timed) / 10),
                f"{bot}: replies to {len(timed)} updates",
            )
            seconds = time.perf_counter() - started
            if profiler is not None:
                profiler.disable()

            await settle(server)
            answered.update()
            if warm.failed or answered.failed or answered.ok != len(timed) or server.violations:
                raise BenchError(
                    f"{bot}: {answered.ok} replies to {len(timed)} updates, "
                    f"{warm.failed + answered.failed} failed sendMessage calls, "
                    f"{len(server.violations)} spec violations\n{server.describe()}"
                )
            wrong = wrong_answers(bot, users, timed)
            if wrong:
                sample = "\n".join(wrong[:5])
                raise BenchError(f"{bot}: {len(wrong)} wrong replies, e.g.\n{sample}")
    return Measurement(bot, len(timed), seconds)


async def bench(args: argparse.Namespace) -> dict[str, list[Measurement]]:
    members = people(args.members)
    timed = script(args.members, args.updates, args.seed)
    results: dict[str, list[Measurement]] = {bot: [] for bot in BOTS}
    profilers = {bot: cProfile.Profile() for bot in BOTS} if args.profile else {}
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as tmp:
        for round_ in range(args.runs):
            # Alternate which bot goes first, so neither always runs on a warmer process.
            order = BOTS if round_ % 2 == 0 else BOTS[::-1]
            for bot in order:
                workdir = Path(tmp) / f"{bot}-{round_}"
                workdir.mkdir()
                result = await run_once(bot, members, timed, workdir, profilers.get(bot))
                results[bot].append(result)
                print(
                    f"  run {round_ + 1}/{args.runs} {bot:<9} {result.updates:>6} updates "
                    f"{result.seconds:>7.2f} s {result.rate:>8.1f}/s",
                    flush=True,
                )
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
        for bot, profiler in profilers.items():
            profiler.dump_stats(args.profile / f"{bot}.prof")
        print(f"  profiles of the timed phases: {args.profile}/{{{','.join(BOTS)}}}.prof")
    return results


def report(args: argparse.Namespace, results: dict[str, list[Measurement]]) -> str:
    best = {bot: max(runs, key=lambda m: m.rate) for bot, runs in results.items()}
    median = {bot: statistics.median(m.rate for m in runs) for bot, runs in results.items()}
    lines = [
        "",
        f"best of {args.runs} runs each; median updates/s alongside",
        f"{'bot':<10} {'updates':>8} {'seconds':>8} {'updates/s':>10} {'median/s':>9}",
    ]
    for bot in BOTS:
        m = best[bot]
        lines.append(
            f"{bot:<10} {m.updates:>8} {m.seconds:>8.2f} {m.rate:>10.1f} {median[bot]:>9.1f}"
        )
    ratio = best[SAMVERKAN].rate / best[ECHO].rate
    median_ratio = median[SAMVERKAN] / median[ECHO]
    verdict = "meets" if ratio >= AIM else "BELOW"
    lines.append(
        f"ratio samverkan/echo: {ratio:.2f} (best), {median_ratio:.2f} (median); "
        f"aim >= {AIM:.2f}: {verdict}"
    )
    return "\n".join(lines)


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
        help="cProfile the timed phases into DIR/samverkan.prof and DIR/echo.prof",
    )
    args = parser.parse_args(argv)
    for name in ("members", "updates", "runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    timed = script(args.members, args.updates, args.seed)
    helps = sum(1 for _, text in timed if text == "/help")
    print(
        f"{args.members} members send {args.updates} updates per run "
        f"({helps} /help, {args.updates - helps} /me), all queued up front;\n"
        "timed from queuing the first update until the fake server has the reply to the last.\n"
        "Fake Bot API rate limits are OFF (Limits(enabled=False)) for both bots, so this "
        "measures the bots, not the limiter.\n"
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; each run: fresh fake server "
        "and bot, warmed up with one /help per member.",
        flush=True,
    )
    try:
        results = asyncio.run(bench(args))
    except BenchError as exc:
        sys.exit(f"bench failed: {exc}")
    print(report(args, results))


if __name__ == "__main__":
    main()
